"""`shop calendar`: birthdays, deadlines, handovers, deliveries and due dates as an .ics file."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli.common import echo, open_store


def register(app: typer.Typer) -> None:
    app.command("calendar")(calendar)


def calendar(
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", help="Write to this .ics file (default: stdout)."),
    ] = None,
    days: Annotated[
        int | None,
        typer.Option(
            "--days",
            min=0,
            help="Only one-off events from today to this many days ahead (yearly ones always).",
        ),
    ] = None,
) -> None:
    """Write an iCalendar file for a calendar program to import or subscribe to: birthdays
    and name days (yearly), job deadlines, planned handovers, expected deliveries and
    invoice due dates. Importing a newer file updates the same events."""
    import datetime as dt
    import sys

    from shopcli.core.dates import today
    from shopcli.data import calendar as ics

    store = open_store()
    found = ics.events(store, today=dt.date.fromisoformat(today()), days=days)
    data = ics.to_ics(found)
    if output is None or output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from pathlib import Path

    from shopcli.core.files import write_private

    write_private(Path(output), data)
    counts: dict[str, int] = {}
    for event in found:
        counts[event.category] = counts.get(event.category, 0) + 1
    shown = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in sorted(counts.items()))
    echo(f"Wrote {output}: {len(found)} events" + (f" ({shown})" if shown else ""))
