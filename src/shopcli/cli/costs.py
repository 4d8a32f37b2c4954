"""`shop cost`: shipping, customs duty and other costs paid for a whole job."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli import complete
from shopcli.cli.common import (
    Shown,
    echo,
    json_output,
    open_store,
    print_table,
)

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
    receipt: Annotated[
        str | None,
        typer.Option(help="Keep this receipt (PDF or image, up to 20 MB) with the cost."),
    ] = None,
) -> None:
    """Add a cost you paid for a job (billed at cost, outside VAT)."""
    from decimal import Decimal

    from shopcli.billing import costs
    from shopcli.core.money import shown
    from shopcli.work import jobs

    store = open_store()
    row = jobs.get(store, job)
    cost = costs.add(store, row, kind, amount, currency=currency, note=note, receipt=receipt)
    amount_text = shown(Decimal(cost["amount"]), cost["currency"])
    echo(f"Added {cost['kind']} cost #{cost['id']}: {amount_text} for {row['title']}")
    kept = cost.get("receipt")
    if kept:
        echo(f"Kept receipt #{kept['id']} {kept['name']} ({kept['mime']}, {kept['size']:,} bytes)")


@app.command("list")
@json_output
def list_(job: JobArg) -> Shown:
    """List a job's costs."""
    from shopcli.billing import costs, receipts
    from shopcli.core.money import shown
    from shopcli.work import jobs

    store = open_store()
    row = jobs.get(store, job)
    kept: dict[int, list[int]] = {}
    for receipt in receipts.listing(store, row):
        if receipt["cost_id"] is not None:
            kept.setdefault(receipt["cost_id"], []).append(receipt["id"])
    found = [
        {**costs.public(c), "receipts": kept.get(c["id"], [])} for c in costs.listing(store, row)
    ]

    def human() -> None:
        print_table(
            ["id", "kind", "amount", "note", "receipts"],
            [
                [
                    c["id"],
                    c["kind"],
                    shown(c["amount"], c["currency"]),
                    c["note"],
                    ", ".join(f"#{r}" for r in c["receipts"]),
                ]
                for c in found
            ],
            right=["id", "amount"],
        )

    return Shown(json=lambda: found, human=human)


@app.command("receipt")
def receipt(
    cost: Annotated[int, typer.Argument(help="Cost id (see `shop cost list`).")],
    file: Annotated[str, typer.Argument(help="The receipt: a PDF or an image, up to 20 MB.")],
) -> None:
    """Keep a receipt (PDF or image) with a cost, inside the database."""
    from shopcli.billing import receipts

    store = open_store()
    kept = receipts.add_to_cost(store, cost, file)
    echo(
        f"Kept receipt #{kept['id']} {kept['name']} ({kept['mime']}, {kept['size']:,} bytes) "
        f"with cost #{cost}"
    )


@app.command("rm")
def rm(cost: Annotated[int, typer.Argument(help="Cost id (see `shop cost list`).")]) -> None:
    """Remove a cost entered by mistake (issued invoices keep what they billed)."""
    from shopcli.billing import costs

    store = open_store()
    row = costs.remove(store, cost)
    echo(f"Removed {row['kind']} cost #{row['id']}")
