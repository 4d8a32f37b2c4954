"""The append-only event log: what changed, and which document was rendered for whom."""

from __future__ import annotations

from typing import Any

from shopcli.core.dates import now
from shopcli.storage import Store
from shopcli.storage.records import dumps, loads


def log(
    store: Store,
    kind: str,
    summary: str,
    *,
    client_id: int | None = None,
    job_id: int | None = None,
    item_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> int:
    """Append one event (inside the caller's transaction)."""
    return store.insert(
        "events",
        {
            "at": now(),
            "kind": kind,
            "client_id": client_id,
            "job_id": job_id,
            "item_id": item_id,
            "summary": summary,
            "detail": dumps(detail or {}),
        },
    )


def rendered(
    store: Store,
    kind: str,
    what: str,
    fmt: str,
    *,
    client_id: int | None,
    job_id: int | None,
    again: bool = False,
    **detail: Any,
) -> int:
    """Log that a document was rendered for a client: "<what> rendered [again] as <fmt>", the
    format (and whatever else the caller names, such as `output`) in the detail. Its own write
    transaction, or the caller's."""
    with store.write():
        return log(
            store,
            kind,
            f"{what} rendered{' again' if again else ''} as {fmt}",
            client_id=client_id,
            job_id=job_id,
            detail={**detail, "format": fmt},
        )


def timeline(
    store: Store,
    *,
    client_id: int | None = None,
    job_id: int | None = None,
    item_id: int | None = None,
    limit: int | None = None,
) -> list[dict]:
    """Events for a client, a job or an item, oldest first."""
    if item_id is not None:
        rows = store.rows("events", "item_id = ?", [item_id], limit=limit)
    elif job_id is not None:
        rows = store.rows("events", "job_id = ?", [job_id], limit=limit)
    elif client_id is not None:
        rows = store.rows("events", "client_id = ?", [client_id], limit=limit)
    else:
        rows = store.rows("events", limit=limit)
    for row in rows:
        row["detail"] = loads(row["detail"], {})
    return rows
