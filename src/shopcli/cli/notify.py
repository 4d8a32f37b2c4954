"""`shop notify`: render a message that keeps the client informed (text or an email draft)."""

from __future__ import annotations

from functools import partial
from typing import Annotated

import typer

from shopcli.cli import complete
from shopcli.cli.common import check_output, emit_document


def register(app: typer.Typer) -> None:
    app.command("notify")(notify)


def notify(
    job: Annotated[
        str,
        typer.Argument(help="Job id, title, prefix, or CLIENT/JOB.", autocompletion=complete.jobs),
    ],
    kind: Annotated[
        str,
        typer.Argument(
            help="received-order, purchased, shipped, delayed, inspected, ready, "
            "refund-pending, refunded or follow-up (after the handover: how were the gifts "
            "received?)."
        ),
    ],
    item: Annotated[
        list[str] | None,
        typer.Option("--item", help="Only this item (JOB/N, #N, id or title); repeat for more."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="text (to copy into a message) or eml (a draft).")
    ] = "text",
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today", help="The day it is sent, YYYY-MM-DD (which return windows are open)."
        ),
    ] = None,
) -> None:
    """Render a notification to the client about the items it concerns, and log it."""

    from shopcli.cli.common import open_store
    from shopcli.delivering import notifications
    from shopcli.work import jobs

    fmt = fmt.strip().lower()
    check_output(output, fmt)
    store = open_store()
    row = jobs.get(store, job)
    kind = kind.strip().lower()
    notifications.render_notice(
        store,
        row,
        kind,
        item_refs=item or (),
        fmt=fmt,
        today=today,
        deliver=partial(emit_document, output=output),
    )
    if kind == "received-order":
        from shopcli.cli.common import warn_untranslated_terms
        from shopcli.people import clients

        client = clients.by_id(store, row["client_id"])
        warn_untranslated_terms(row, clients.document_language(client))
