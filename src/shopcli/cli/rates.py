"""`shop rate`: exchange rates entered by hand."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli.common import JsonOption, echo, open_store, paged, print_json, print_table

app = typer.Typer(help="Exchange rates you enter (no network look-ups).", no_args_is_help=True)


@app.command("set")
def set_(
    base: Annotated[str, typer.Argument(help="From currency, e.g. USD.")],
    quote: Annotated[str, typer.Argument(help="To currency, e.g. EUR.")],
    rate: Annotated[str, typer.Argument(help="How many QUOTE one BASE buys, e.g. 0.92.")],
) -> None:
    """Store a rate: 1 BASE = RATE QUOTE (the inverse is used for the other direction)."""
    from shopcli.work import rates

    value = rates.set_rate(open_store(), base, quote, rate)
    echo(f"1 {base.upper()} = {value} {quote.upper()}")


@app.command("list")
@paged
def list_(as_json: JsonOption = False) -> None:
    """List the stored rates."""
    from shopcli.work import rates

    rows = rates.list_rates(open_store())
    if as_json:
        print_json([{k: r[k] for k in ("base", "quote", "rate", "updated_at")} for r in rows])
        return
    print_table(
        ["base", "quote", "rate", "updated"],
        [[r["base"], r["quote"], r["rate"], r["updated_at"]] for r in rows],
    )


@app.command("rm")
def rm(
    base: Annotated[str, typer.Argument(help="From currency.")],
    quote: Annotated[str, typer.Argument(help="To currency.")],
) -> None:
    """Remove a stored rate."""
    from shopcli.work import rates

    rates.remove_rate(open_store(), base, quote)
    echo(f"Removed the {base.upper()} → {quote.upper()} rate")
