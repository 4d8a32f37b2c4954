"""`shop handover` and `shop labels`: giving the goods to the client, wrapped and labelled."""

from __future__ import annotations

from functools import partial
from typing import Annotated

import typer

from shopcli.cli import complete
from shopcli.cli.common import check_output, echo, emit_document, open_store

JobArg = Annotated[
    str, typer.Argument(help="Job id, title, prefix, or CLIENT/JOB.", autocompletion=complete.jobs)
]
OutputOpt = Annotated[
    str | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]


def register(app: typer.Typer) -> None:
    app.command("handover")(handover)
    app.command("labels")(labels)


def handover(
    job: JobArg,
    method: Annotated[str, typer.Option("--method", help="pickup, courier, post or digital.")],
    date: Annotated[
        str | None, typer.Option("--date", help="Day of the handover, YYYY-MM-DD (default: today).")
    ] = None,
    place: Annotated[str | None, typer.Option("--place", help="Where it happens.")] = None,
    item: Annotated[
        list[str] | None,
        typer.Option("--item", help="Only this item (JOB/N, #N, id or title); repeat for more."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note for the handover.")] = None,
    plan: Annotated[
        bool,
        typer.Option(
            "--plan",
            help="Only record the day and place (announce it with "
            "`shop notify JOB ready`); nothing is marked delivered.",
        ),
    ] = False,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Print digital codes and links in full in the note.")
    ] = False,
    output: OutputOpt = None,
) -> None:
    """Hand over the received items (marking them delivered) and print the handover note."""
    from shopcli.core import dates
    from shopcli.delivering import handover as handing
    from shopcli.work import jobs

    store = open_store()
    row = jobs.get(store, job)
    day = date or dates.today()
    if plan:
        if item or reveal:
            from shopcli.core.errors import InvalidInput

            raise InvalidInput("--item and --reveal go with the handover itself, not --plan")
        planned = handing.plan(store, row, method=method, on=day, place=place, note=note)
        echo(
            f"Handover planned for {row['title']}: {planned['method']} on {planned['handed_on']}"
            + (f" at {planned['place']}" if planned["place"] else "")
            + f"; tell the client with: shop notify {row['id']} ready"
        )
        return
    _done, handed, _note = handing.hand_over_with_note(
        store,
        row,
        method=method,
        on=day,
        place=place,
        note=note,
        item_refs=item or (),
        reveal=reveal,
        deliver=partial(emit_document, output=output),
    )
    typer.echo(f"Handed over {len(handed)} item(s) of {row['title']}; marked delivered.", err=True)


def labels(
    job: JobArg,
    fmt: Annotated[str, typer.Option("--format", help="text, or html to print on paper.")] = "text",
    sender: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Who the gifts are from, as the tags should say it (default: the client's "
            "whole name).",
        ),
    ] = None,
    output: OutputOpt = None,
) -> None:
    """Render gift labels and a packing list per recipient."""
    from shopcli.delivering import handover as handing
    from shopcli.work import jobs

    fmt = fmt.strip().lower()
    check_output(output, fmt)
    store = open_store()
    row = jobs.get(store, job)
    handing.labels(
        store, row, fmt=fmt, sender=sender, deliver=partial(emit_document, output=output)
    )
