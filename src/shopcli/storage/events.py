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
