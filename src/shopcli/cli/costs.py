"""`shop cost`: shipping, customs duty and other costs paid for a whole job."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli import complete
from shopcli.cli.common import JsonOption, echo, open_store, paged, print_json, print_table

app = typer.Typer(
    help="Costs you paid for a whole job, billed at cost on its invoice.", no_args_is_help=True
)

JobArg = Annotated[
    str, typer.Argument(help="Job id, title, prefix, or CLIENT/JOB.", autocompletion=complete.jobs)
]


@app.command("add")
def add(
    job: JobArg,
    kind: Annotated[str, typer.Argument(help="shipping, customs or other.")],
    amount: Annotated[str, typer.Argument(help="What you paid, e.g. 12.50.")],
    currency: Annotated[str | None, typer.Option(help="Currency (default: the job's).")] = None,
    note: Annotated[str | None, typer.Option(help="What it was (shown on the invoice).")] = None,
) -> None:
    """Add a cost you paid for a job (billed at cost, outside VAT)."""
    from decimal import Decimal

    from shopcli.billing import costs
    from shopcli.core.money import plain
    from shopcli.work import jobs

    store = open_store()
    row = jobs.get(store, job)
    cost = costs.add(store, row, kind, amount, currency=currency, note=note)
    shown = plain(Decimal(cost["amount"]), cost["currency"])
    echo(f"Added {cost['kind']} cost #{cost['id']}: {shown} {cost['currency']} for {row['title']}")


@app.command("list")
@paged
def list_(job: JobArg, as_json: JsonOption = False) -> None:
    """List a job's costs."""
    from shopcli.billing import costs
    from shopcli.work import jobs

    store = open_store()
    row = jobs.get(store, job)
    found = [costs.public(c) for c in costs.listing(store, row)]
    if as_json:
        print_json(found)
        return
    print_table(
        ["id", "kind", "amount", "note"],
        [[c["id"], c["kind"], f"{c['amount']} {c['currency']}", c["note"]] for c in found],
        right=["id", "amount"],
    )


@app.command("rm")
def rm(cost: Annotated[int, typer.Argument(help="Cost id (see `shop cost list`).")]) -> None:
    """Remove a cost entered by mistake (issued invoices keep what they billed)."""
    from shopcli.billing import costs

    store = open_store()
    row = costs.remove(store, cost)
    echo(f"Removed {row['kind']} cost #{row['id']}")
