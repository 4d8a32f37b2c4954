"""`shop notify`: render a message that keeps the client informed (text or an email draft)."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli import complete
from shopcli.cli.common import emit_document


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
            "refund-pending or refunded."
        ),
    ],
    item: Annotated[
        list[str] | None,
        typer.Option("--item", help="Only this item (id, title or #N); repeat for more."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="text (to copy into a message) or eml (a draft).")
    ] = "text",
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Render a notification to the client about the items it concerns, and log it."""
    import sys

    from shopcli.cli.common import open_store
    from shopcli.delivering import notifications
    from shopcli.work import jobs

    store = open_store()
    row = jobs.get(store, job)
    result = notifications.render_notice(
        store, row, kind.strip().lower(), item_refs=item or (), fmt=fmt.strip().lower()
    )
    if isinstance(result, bytes) and output in (None, "-"):
        sys.stdout.buffer.write(result)
        sys.stdout.flush()
        return
    emit_document(result, output)  # type: ignore[arg-type]
