"""`shop time`: time spent on a job (the basis of an hourly fee)."""

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

app = typer.Typer(help="Time spent on jobs, for hourly fees.", no_args_is_help=True)

JobArg = Annotated[
    str, typer.Argument(help="Job id, title, prefix, or CLIENT/JOB.", autocompletion=complete.jobs)
]


@app.command("log")
def log(
    job: JobArg,
    duration: Annotated[str, typer.Argument(help="Time spent: 1h30m, 90m, 1.5h, 2h or 1:30.")],
    note: Annotated[str | None, typer.Option(help="What the time was spent on.")] = None,
    date: Annotated[
        str | None, typer.Option(help="Day worked, YYYY-MM-DD (default today).")
    ] = None,
) -> None:
    """Log time spent on a job."""
    from shopcli.billing import timelog
    from shopcli.work import jobs

    store = open_store()
    row = jobs.get(store, job)
    entry = timelog.log(store, row, duration, note=note, worked_on=date)
    total = timelog.total_minutes(store, row)
    echo(
        f"Logged {timelog.format_minutes(entry['minutes'])} on {row['title']} "
        f"({entry['worked_on']}, entry #{entry['id']}); total {timelog.format_minutes(total)}"
    )


@app.command("list")
@json_output
def list_(job: JobArg) -> Shown:
    """List the time logged on a job, with the total."""
    from shopcli.billing import timelog
    from shopcli.work import jobs

    store = open_store()
    row = jobs.get(store, job)
    entries = timelog.listing(store, row)
    total = sum(e["minutes"] for e in entries)

    def human() -> None:
        print_table(
            ["id", "date", "time", "note"],
            [
                [e["id"], e["worked_on"], timelog.format_minutes(e["minutes"]), e["note"]]
                for e in entries
            ],
            right=["id", "time"],
        )
        if entries:
            echo(f"Total: {timelog.format_minutes(total)} ({timelog.hours(total):f} h)")

    return Shown(
        json=lambda: {
            "job_id": row["id"],
            "job": row["title"],
            "total_minutes": total,
            "total": timelog.format_minutes(total),
            "hours": str(timelog.hours(total)),
            "entries": [timelog.public(e) for e in entries],
        },
        human=human,
    )


@app.command("rm")
def rm(entry: Annotated[int, typer.Argument(help="Time entry id (see `shop time list`).")]) -> None:
    """Remove a time entry logged by mistake."""
    from shopcli.billing import timelog

    store = open_store()
    row = timelog.remove(store, entry)
    echo(f"Removed time entry #{row['id']} ({timelog.format_minutes(row['minutes'])})")
