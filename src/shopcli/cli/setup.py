"""`shop init` and `shop path`: creating the data folder and saying where things live."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli.common import Shown, echo, json_output, open_store


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("path")(path)


def init(
    name: Annotated[str | None, typer.Option(help="Your name, as printed on documents.")] = None,
    email: Annotated[str | None, typer.Option(help="Your email address.")] = None,
    currency: Annotated[str | None, typer.Option(help="Default currency (ISO 4217).")] = None,
    language: Annotated[str | None, typer.Option(help="Default document language.")] = None,
    business_name: Annotated[str | None, typer.Option(help="Business name.")] = None,
) -> None:
    """Create the data folder, the database and your profile (safe to run again)."""
    from shopcli.people import profile as profile_module

    existed = profile_module.exists()
    store = open_store(create=True)
    current = profile_module.load()
    given = {
        "name": name,
        "email": email,
        "currency": currency,
        "language": language,
        "business_name": business_name,
    }
    for key, value in given.items():
        if value is not None:
            current.set(key, value)
    current.save()
    store.close()
    verb = "Updated" if existed else "Created"
    echo(f"{verb} your shop in {current.path.parent}")
    echo(f"  database  {store.path}")
    echo(f"  profile   {current.path}")
    if not existed:
        echo("Next: `shop profile set business_id ...`, then `shop client add NAME`.")


@json_output
def path() -> Shown:
    """Print where the database, profile and template overrides live."""
    from shopcli.core import paths

    places = {
        "home": str(paths.home()),
        "database": str(paths.db_path()),
        "profile": str(paths.profile_path()),
        "templates": str(paths.user_templates()),
    }

    def human() -> None:
        for key, value in places.items():
            echo(f"{key:<10} {value}")

    return Shown(json=lambda: places, human=human)
