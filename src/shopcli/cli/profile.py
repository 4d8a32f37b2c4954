"""`shop profile`: the shopper's own details and terms."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli.common import Shown, echo, json_output, print_record

app = typer.Typer(
    help="Your profile: business details, payment details and terms.", no_args_is_help=True
)


@app.command("show")
@json_output
def show() -> Shown:
    """Show every profile key and its value."""
    from shopcli.people import profile

    current = profile.load()
    values = current.as_dict(as_written=True)
    _warn_about(current)

    def human() -> None:
        print_record([(key, value) for key, value in values.items()])
        missing = [key for key, value in values.items() if value in (None, "")]
        if missing:
            echo(f"\nNot set: {', '.join(missing)}")

    return Shown(json=lambda: values, human=human)


def _warn_about(current) -> None:
    """Say on stderr what in the file is not valid or not known (the values stay as written)."""
    for key, problem in current.problems().items():
        typer.echo(
            f"Not valid: {key}: {problem} (fix it with `shop profile set {key} VALUE`)", err=True
        )
    unknown = current.unknown()
    if unknown:
        typer.echo(
            f"Ignored (not profile keys, kept in {current.path}): {', '.join(unknown)}", err=True
        )


@app.command("set")
def set_(
    key: Annotated[str, typer.Argument(help="Profile key, e.g. iban or terms.returns.")],
    value: Annotated[str, typer.Argument(help="New value; an empty string clears the key.")],
) -> None:
    """Set one profile key (validated: ids, IBAN, currency, language...)."""
    from shopcli.core import paths
    from shopcli.people import profile

    paths.ensure_home()
    current = profile.load()
    cleaned = current.set(key, value)
    current.save()
    echo(f"{key} = {cleaned}" if cleaned is not None else f"{key} cleared")
    for other, problem in current.problems().items():
        typer.echo(
            f"Still not valid: {other}: {problem} (fix it with `shop profile set {other} VALUE`)",
            err=True,
        )
