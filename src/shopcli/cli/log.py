"""`shop log`: the timeline of events for a client or a job."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli.common import JsonOption, echo, open_store, paged, print_json, print_table


def register(root: typer.Typer) -> None:
    root.command("log")(paged(log))


def log(
    ref: Annotated[str, typer.Argument(help="A job or a client: id, name or prefix.")],
    client: Annotated[
        bool, typer.Option("--client", help="REF is a client (all of their jobs).")
    ] = False,
    job: Annotated[bool, typer.Option("--job", help="REF is a job.")] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", help="Only the latest N events.", min=1)
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show what happened for a client or a job, oldest first: records, documents, answers."""
    from shopcli.core.errors import InvalidInput
    from shopcli.storage import events

    if client and job:
        raise InvalidInput("give --client or --job, not both")
    store = open_store()
    kind, row = _resolve(store, ref, "client" if client else "job" if job else None)
    rows = events.timeline(store, **{f"{kind}_id": row["id"]})
    if limit is not None:
        rows = rows[-limit:]
    if as_json:
        print_json(
            {
                "kind": kind,
                "id": row["id"],
                "name": row["name"] if kind == "client" else row["title"],
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
            }
        )
        return
    title = f"client {row['name']}" if kind == "client" else f"job {row['title']}"
    if not rows:
        echo(f"No events for {title}.")
        return
    print_table(
        ["when (UTC)", "what", "summary"],
        [[e["at"][:16].replace("T", " "), e["kind"], e["summary"]] for e in rows],
        title=f"Timeline of {title}",
    )


def _resolve(store, ref: str, kind: str | None) -> tuple[str, dict]:
    """A job or a client by reference; without a hint, whichever one matches (never both)."""
    from shopcli.core.errors import Ambiguous, NotFound
    from shopcli.people import clients
    from shopcli.work import jobs

    if kind == "job":
        return "job", jobs.get(store, ref)
    if kind == "client":
        return "client", clients.get(store, ref)
    found: dict[str, dict] = {}
    for name, getter in (("job", jobs.get), ("client", clients.get)):
        try:
            found[name] = getter(store, ref)
        except NotFound:
            continue
    if not found:
        raise NotFound(f"no job or client matches {ref!r}")
    if len(found) == 2:
        raise Ambiguous(
            f"{ref!r} matches job {found['job']['title']!r} and client "
            f"{found['client']['name']!r}; add --job or --client"
        )
    return next(iter(found.items()))
