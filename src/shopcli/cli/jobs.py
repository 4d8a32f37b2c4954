"""`shop job`: commissions from clients."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli import complete
from shopcli.cli.common import (
    ForceOption,
    Shown,
    YesOption,
    echo,
    json_output,
    open_store,
    print_record,
    print_table,
    remove_record,
)

app = typer.Typer(help="Jobs: one commission from a client.", no_args_is_help=True)

JobArg = Annotated[
    str, typer.Argument(help="Job id, title, prefix, or CLIENT/JOB.", autocompletion=complete.jobs)
]
Deadline = Annotated[str | None, typer.Option(help="Deadline, YYYY-MM-DD.")]
Fee = Annotated[
    str | None,
    typer.Option(help="Fee terms: flat:AMOUNT, per-item:AMOUNT, hourly:AMOUNT or percent:N."),
]
Budget = Annotated[str | None, typer.Option(help="Total budget for the job's goods.")]
Currency = Annotated[str | None, typer.Option(help="Job currency (default: the client's).")]
MinFee = Annotated[str | None, typer.Option("--min-fee", help="Minimum fee.")]
Deposit = Annotated[str | None, typer.Option(help="Deposit: an amount, or N% of the fee.")]
Occasion = Annotated[str | None, typer.Option(help="Occasion (birthday, Christmas...).")]
Notes = Annotated[str | None, typer.Option(help="Notes.")]


@app.command("add")
def add(
    client: Annotated[str, typer.Argument(help="The client commissioning the job.")],
    title: Annotated[str, typer.Argument(help='A title, e.g. "Christmas 2026".')],
    deadline: Deadline = None,
    fee: Fee = None,
    budget: Budget = None,
    currency: Currency = None,
    min_fee: MinFee = None,
    deposit: Deposit = None,
    occasion: Occasion = None,
    notes: Notes = None,
) -> None:
    """Add a job for a client and print the new id."""
    from shopcli.people import clients
    from shopcli.work import jobs

    store = open_store()
    owner = clients.get(store, client)
    row = jobs.add(
        store,
        owner,
        title,
        fee=fee,
        deadline=deadline,
        budget=budget,
        currency=currency,
        min_fee=min_fee,
        deposit=deposit,
        occasion=occasion,
        notes=notes,
    )
    echo(f"Added job #{row['id']} {row['title']} for {owner['name']} ({row['currency']})")


@app.command("list")
@json_output
def list_(
    client: Annotated[str | None, typer.Option(help="Only this client's jobs.")] = None,
    status: Annotated[str | None, typer.Option(help="Only jobs in this status.")] = None,
) -> Shown:
    """List jobs, nearest deadline first."""
    from shopcli.core.money import shown
    from shopcli.people import clients
    from shopcli.work import jobs

    store = open_store()
    owner = clients.get(store, client) if client else None
    rows = jobs.listing(store, owner["id"] if owner else None, status)

    def human() -> None:
        print_table(
            ["id", "client", "title", "deadline", "budget", "fee", "status"],
            [
                [
                    r["id"],
                    r["client"],
                    r["title"],
                    r["deadline"],
                    shown(r["budget"], r["currency"]) if r["budget"] else r["currency"],
                    jobs.fee_text(r),
                    r["status"],
                ]
                for r in rows
            ],
            right=["id"],
        )

    return Shown(json=lambda: [jobs.public(r) for r in rows], human=human)


@app.command("show")
@json_output
def show(job: JobArg) -> Shown:
    """Show one job with its terms and items."""
    from shopcli.core.money import shown
    from shopcli.people import clients
    from shopcli.work import items, jobs, lifecycle

    store = open_store()
    row = jobs.get(store, job)
    owner = clients.by_id(store, row["client_id"])
    rows = items.listing(store, job_id=row["id"])
    data = jobs.public(row, owner["name"])
    cur = row["currency"]

    def human() -> None:
        print_record(
            [
                ("Job", f"#{data['id']} {data['title']}"),
                ("Client", data["client"]),
                ("Occasion", data["occasion"]),
                ("Deadline", data["deadline"]),
                ("Currency", data["currency"]),
                ("Budget", shown(data["budget"], cur) if data["budget"] else None),
                ("Fee", jobs.fee_shown(row)),
                ("Minimum fee", shown(data["min_fee"], cur) if data["min_fee"] else None),
                ("Deposit", jobs.deposit_shown(row)),
                ("Status", data["status"]),
                ("Notes", data["notes"]),
            ]
        )
        if rows:
            echo(f"\nItems ({len(rows)}):")
            for i in rows:
                who = f" for {i['recipient']}" if i["recipient"] else ""
                echo(
                    f"  {i['number']:>3}. {i['title']}{who}: {items.price_text(i)} "
                    f"x{i['qty']} [{lifecycle.label(i['status'])}]"
                )

    return Shown(json=lambda: {**data, "items": [items.public(i) for i in rows]}, human=human)


@app.command("edit")
def edit(
    job: JobArg,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    deadline: Deadline = None,
    fee: Fee = None,
    budget: Budget = None,
    currency: Currency = None,
    min_fee: MinFee = None,
    deposit: Deposit = None,
    occasion: Occasion = None,
    notes: Notes = None,
    status: Annotated[str | None, typer.Option(help="open, done or cancelled.")] = None,
) -> None:
    """Change a job's details (an empty value clears an optional field)."""
    from shopcli.work import jobs

    store = open_store()
    row = jobs.get(store, job)
    updated = jobs.edit(
        store,
        row,
        fee=fee,
        title=title,
        deadline=deadline,
        budget=budget,
        currency=currency,
        min_fee=min_fee,
        deposit=deposit,
        occasion=occasion,
        notes=notes,
        status=status,
    )
    echo(f"Updated job #{updated['id']} {updated['title']}")


@app.command("rm")
def rm(job: JobArg, force: ForceOption = False, yes: YesOption = False) -> None:
    """Remove a job (refused while it has items or budgets, unless --force)."""
    from shopcli.work import jobs

    store = open_store()
    row = jobs.get(store, job)
    remove_record(store, jobs, "job", row, row["title"], force=force, yes=yes)
