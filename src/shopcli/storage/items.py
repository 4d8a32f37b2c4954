"""Queries about items."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from sqlite3 import Row
from typing import cast

from shopcli.core.errors import NotFound
from shopcli.storage import Store
from shopcli.storage.records import find
from shopcli.storage.rows import Item

_FROM = (
    "FROM items i JOIN jobs j ON j.id = i.job_id LEFT JOIN recipients r ON r.id = i.recipient_id"
)
SELECT = f"SELECT i.*, r.name AS recipient, j.title AS job, j.client_id AS client_id {_FROM}"
# What a list of items shows: reading only these columns is ~40 % faster for long lists.
BRIEF = (
    "SELECT i.id, i.job_id, i.number, i.title, i.price, i.currency, i.qty, i.status, "
    f"r.name AS recipient, j.title AS job {_FROM}"
)


def by_id(store: Store, item_id: int) -> Item | None:
    return cast("Item | None", store.get("items", item_id))


def existing(store: Store, item_id: int) -> Item:
    """An item that must be there: one just written, one a record refers to."""
    found = by_id(store, item_id)
    if found is None:
        raise NotFound(f"no item with id {item_id}")
    return found


def by_number(store: Store, job_id: int, number: int) -> Item | None:
    return cast(
        "Item | None",
        store.one("SELECT * FROM items WHERE job_id = ? AND number = ?", [job_id, number]),
    )


def find_titled(
    store: Store, ref: str, job_id: int | None = None, describe: Callable[[dict], str] | None = None
) -> Item:
    """An item by id, title or unambiguous prefix, in one job if given."""
    where, params = ("job_id = ?", (job_id,)) if job_id is not None else ("1", ())
    row = find(store, "item", "items", "title", ref, where=where, params=params, describe=describe)
    return cast(Item, row)


def next_number(store: Store, job_id: int) -> int:
    """The next per-job item number (call inside the write transaction)."""
    return int(
        store.scalar("SELECT coalesce(max(number), 0) + 1 FROM items WHERE job_id = ?", [job_id])
    )


def one(store: Store, item_id: int) -> Item | None:
    """One item with its job title and recipient name."""
    return cast("Item | None", store.one(f"{SELECT} WHERE i.id = ?", [item_id]))


def iter_listing(
    store: Store,
    *,
    job_id: int | None = None,
    status: str | Collection[str] | None = None,
    recipient_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
    brief: bool = False,
) -> Iterator[Row]:
    """Items with their job title and recipient name, in job and number order, one
    `sqlite3.Row` at a time (none held in memory). `status`: one status or several; `brief`:
    only what a list of items shows (BRIEF), which a long list reads faster."""
    return store.stream(*listing_sql(job_id, status, recipient_id, limit, offset, brief=brief))


def listing_sql(
    job_id: int | None = None,
    status: str | Collection[str] | None = None,
    recipient_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
    *,
    brief: bool = False,
) -> tuple[str, list[int | str]]:
    where: list[str] = ["1"]
    params: list[int | str] = []
    if job_id is not None:
        where.append("i.job_id = ?")
        params.append(job_id)
    if status is not None:
        statuses = [status] if isinstance(status, str) else list(status)
        where.append(f"i.status IN ({', '.join('?' for _ in statuses)})" if statuses else "0")
        params.extend(statuses)
    if recipient_id is not None:
        where.append("i.recipient_id = ?")
        params.append(recipient_id)
    sql = f"{BRIEF if brief else SELECT} WHERE {' AND '.join(where)} ORDER BY i.job_id, i.number"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return sql, params
