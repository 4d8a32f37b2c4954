"""Queries about recipients."""

from __future__ import annotations

from collections.abc import Iterator
from sqlite3 import Row

from shopcli.storage import Store

_SELECT = "SELECT r.*, c.name AS client FROM recipients r JOIN clients c ON c.id = r.client_id"


def named(store: Store, client_id: int, name: str) -> dict | None:
    """The client's recipient with exactly this name (case-insensitive), if any."""
    return store.one(
        "SELECT * FROM recipients WHERE client_id = ? AND name = ? COLLATE NOCASE",
        [client_id, name],
    )


def listing(store: Store, client_id: int | None = None) -> list[dict]:
    return store.query(*listing_sql(client_id))


def iter_listing(store: Store, client_id: int | None = None) -> Iterator[Row]:
    return store.stream(*listing_sql(client_id))


def listing_sql(client_id: int | None = None) -> tuple[str, list]:
    if client_id is None:
        return f"{_SELECT} ORDER BY c.name COLLATE NOCASE, r.name COLLATE NOCASE", []
    return f"{_SELECT} WHERE r.client_id = ? ORDER BY r.name COLLATE NOCASE", [client_id]
