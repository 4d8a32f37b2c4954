"""`shop budget`: per-recipient budgets and how much of them is used."""

from __future__ import annotations

from decimal import Decimal
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

app = typer.Typer(help="Budgets per recipient and for the job.", no_args_is_help=True)

JobArg = Annotated[
    str, typer.Argument(help="Job id, title, prefix, or CLIENT/JOB.", autocompletion=complete.jobs)
]


@app.command("set")
def set_(
    job: JobArg,
    recipient: Annotated[str, typer.Argument(help="A recipient on the job's client's list.")],
    amount: Annotated[str, typer.Argument(help="Budget in the job currency.")],
) -> None:
    """Set what the client allows for one recipient in this job."""
    from shopcli.people import recipients
    from shopcli.work import budgets, jobs

    store = open_store()
    row = jobs.get(store, job)
    person = recipients.get(store, recipient, row["client_id"])
    from shopcli.core.money import shown

    value = budgets.set_budget(store, row, person, amount)
    echo(f"Budget for {person['name']} in {row['title']}: {shown(value, row['currency'])}")


@app.command("list")
@json_output
def list_(job: JobArg) -> Shown:
    """Budget, planned, approved and remaining per recipient, in the job currency."""
    from shopcli.core.money import plain, shown
    from shopcli.work import budgets, jobs

    store = open_store()
    row = jobs.get(store, job)
    report = budgets.report(store, row)
    cur = report.currency

    def fmt(value: Decimal | None) -> str | None:
        return plain(value, cur) if value is not None else None

    def as_dict(line: budgets.BudgetLine) -> dict:
        return {
            "recipient_id": line.recipient_id,
            "name": line.name,
            "budget": fmt(line.budget),
            "planned": fmt(line.planned),
            "approved": fmt(line.approved),
            "remaining": fmt(line.remaining),
            "over_budget": line.over,
            "items": line.items,
        }

    def human() -> None:
        lines = [*report.lines, report.total]

        def money(value: Decimal | None) -> str:
            return shown(value, cur) if value is not None else "-"

        print_table(
            ["recipient", "budget", "planned", "approved", "remaining", ""],
            [
                [
                    line.name,
                    money(line.budget),
                    money(line.planned),
                    money(line.approved),
                    money(line.remaining),
                    "OVER" if line.over else "",
                ]
                for line in lines
            ],
            title=f"Budgets for {row['title']} (in {cur}; planned and approved include shipping "
            "and customs)",
            right=["budget", "planned", "approved", "remaining"],
        )
        for line in lines:
            if line.over and line.remaining is not None:
                echo(f"{line.name} is over budget by {shown(-line.remaining, cur)}")

    return Shown(
        json=lambda: {
            "job_id": row["id"],
            "job": row["title"],
            "currency": cur,
            "recipients": [as_dict(line) for line in report.lines],
            "total": as_dict(report.total),
        },
        human=human,
    )
