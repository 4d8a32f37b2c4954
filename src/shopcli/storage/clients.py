"""Queries about clients."""

from __future__ import annotations

from collections.abc import Iterator
from sqlite3 import Row

from shopcli.storage import Store


def listing_sql(limit: int | None = None, offset: int = 0) -> str:
    sql = "SELECT * FROM clients ORDER BY name COLLATE NOCASE, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return sql


def listing(store: Store, limit: int | None = None, offset: int = 0) -> list[dict]:
    return store.query(listing_sql(limit, offset))


def iter_listing(store: Store, limit: int | None = None, offset: int = 0) -> Iterator[Row]:
    return store.stream(listing_sql(limit, offset))


def count(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM clients"))


def references(store: Store) -> list[dict]:
    """Clients who agreed to be a reference, by name, with how many jobs they commissioned."""
    return store.query(
        "SELECT c.*, (SELECT count(*) FROM jobs j WHERE j.client_id = c.id) AS jobs "
        "FROM clients c WHERE c.reference = 'yes' ORDER BY c.name COLLATE NOCASE, c.id"
    )
