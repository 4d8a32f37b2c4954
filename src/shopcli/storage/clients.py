"""Queries about clients."""

from __future__ import annotations

from shopcli.storage import Store


def listing(store: Store, limit: int | None = None, offset: int = 0) -> list[dict]:
    sql = "SELECT * FROM clients ORDER BY name COLLATE NOCASE, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return store.query(sql)


def count(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM clients"))
