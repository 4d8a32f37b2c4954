"""`shop log`: the timeline of events for a client or a job."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli.common import (
    Shown,
    echo,
    json_output,
    open_store,
    print_table,
)


def register(root: typer.Typer) -> None:
    root.command("log")(log)


@json_output
def log(
    ref: Annotated[str, typer.Argument(help="A job or a client: id, name or prefix.")],
    client: Annotated[
        bool, typer.Option("--client", help="REF is a client (all of their jobs).")
    ] = False,
    job: Annotated[bool, typer.Option("--job", help="REF is a job.")] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", help="Only the latest N events.", min=1)
    ] = None,
) -> Shown:
    """Show what happened for a client or a job, oldest first: records, documents, decisions."""
    from shopcli.core.errors import InvalidInput
    from shopcli.storage import events

    if client and job:
        raise InvalidInput("give --client or --job, not both")
    store = open_store()
    kind, record_id, name = _resolve(store, ref, "client" if client else "job" if job else None)
    rows = events.timeline(store, **{f"{kind}_id": record_id})
    if limit is not None:
        rows = rows[-limit:]

    def human() -> None:
        title = f"{kind} {name}"
        if not rows:
            echo(f"No events for {title}.")
            return
        print_table(
            ["when (UTC)", "what", "summary"],
            [[e["at"][:16].replace("T", " "), e["kind"], e["summary"]] for e in rows],
            title=f"Timeline of {title}",
        )

    return Shown(
        json=lambda: {
            "kind": kind,
            "id": record_id,
            "name": name,
            "events": [
                {
                    key: e[key]
                    for key in (
                        "id",
                        "at",
                        "kind",
                        "client_id",
                        "job_id",
                        "item_id",
                        "summary",
                        "detail",
                    )
                }
                for e in rows
            ],
        },
        human=human,
    )


def _resolve(store, ref: str, kind: str | None) -> tuple[str, int, str]:
    """A job or a client by reference, as (kind, id, title or name); without a hint,
    whichever one matches (never both)."""
    from shopcli.core.errors import Ambiguous, NotFound
    from shopcli.people import clients
    from shopcli.work import jobs

    def job() -> tuple[str, int, str]:
        found = jobs.get(store, ref)
        return "job", found["id"], found["title"]

    def client() -> tuple[str, int, str]:
        found = clients.get(store, ref)
        return "client", found["id"], found["name"]

    if kind == "job":
        return job()
    if kind == "client":
        return client()
    found: dict[str, tuple[str, int, str]] = {}
    for name, getter in (("job", job), ("client", client)):
        try:
            found[name] = getter()
        except NotFound:
            continue
    if not found:
        raise NotFound(f"no job or client matches {ref!r}")
    if len(found) == 2:
        raise Ambiguous(
            f"{ref!r} matches job #{found['job'][1]} and client #{found['client'][1]}; "
            "add --job or --client"
        )
    return next(iter(found.values()))
