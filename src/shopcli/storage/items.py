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
    select: str | None = None,
) -> tuple[str, list[int | str]]:
    """The listing's query: the items chosen, in order; `select` may give other columns
    (read from `_FROM`'s i, j and r)."""
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
    columns = f"SELECT {select} {_FROM}" if select else BRIEF if brief else SELECT
    sql = f"{columns} WHERE {' AND '.join(where)} ORDER BY i.job_id, i.number"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return sql, params


def _public_members() -> str:
    """json_object's arguments for an item as work.items.public() has it, key for key."""
    from shopcli.storage.amounts import times_text

    total = times_text("i.price", "i.qty")
    members = (
        ("id", "i.id"),
        ("job_id", "i.job_id"),
        ("job", "j.title"),
        ("number", "i.number"),
        ("recipient_id", "i.recipient_id"),
        ("recipient", "r.name"),
        ("title", "i.title"),
        ("store", "i.store"),
        ("url", "i.url"),
        ("price", "i.price"),
        ("currency", "i.currency"),
        ("qty", "i.qty"),
        ("total", total),
        ("size", "i.size"),
        ("colour", "i.colour"),
        ("notes", "i.notes"),
        ("paid_by", "i.paid_by"),
        ("billed_as", "i.billed_as"),
        ("shipping", "i.shipping"),
        ("customs", "i.customs"),
        ("return_by", "i.return_by"),
        ("image_url", "i.image_url"),
        ("status", "i.status"),
    )
    return ", ".join(f"'{key}', {value}" for key, value in members)


def listing_json(
    store: Store,
    *,
    job_id: int | None = None,
    status: str | None = None,
    recipient_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Iterator[list[str | dict]]:
    """The listing's items, a few thousand at a time, as the JSON text SQLite's json_object
    writes for each, compact and in the order of keys of work.items.public() (~8x faster
    than encoding them in Python). An item SQLite would write otherwise comes as a dict of
    its row (as `one` gives it) for the caller to encode: a quantity holding a fraction, or
    a total SQLite would not write exactly (see storage.amounts); from a BLOB on (which
    json_object refuses), the rest of the listing comes so."""
    import sqlite3

    from shopcli.storage.amounts import product_too_big

    flag = f"typeof(i.qty) <> 'integer' OR {product_too_big('i.price', 'i.qty')}"
    sql, params = listing_sql(
        job_id,
        status,
        recipient_id,
        limit,
        offset,
        select=f"CASE WHEN {flag} THEN i.id ELSE json_object({_public_members()}) END",
    )
    cursor = store.execute(sql, params)
    cursor.row_factory = None  # plain tuples: a Row apiece would cost a tenth more
    done = 0
    try:
        while chunk := cursor.fetchmany(4000):
            texts = [found for (found,) in chunk]
            if set(map(type, texts)) != {str}:  # (map and set: faster than all())
                for n, found in enumerate(texts):
                    if not isinstance(found, str):  # an item's id: SQLite cannot write it
                        texts[n] = one(store, found) or {}
            yield texts
            done += len(chunk)
    except sqlite3.OperationalError as exc:
        if "BLOB" not in str(exc):
            raise
        rest = limit - done if limit is not None else -1  # -1: no limit, as SQLite has it
        yield [
            dict(row)
            for row in iter_listing(
                store,
                job_id=job_id,
                status=status,
                recipient_id=recipient_id,
                limit=rest,
                offset=offset + done,
            )
        ]


def fill_missing_status_days(store: Store) -> None:
    """Give every item without one the day it entered its status (`status_on`): from the
    event log (its latest event entering that status), else its last change. For items
    written without the column (a whole export made before m017, imported)."""
    store.execute(
        "UPDATE items SET status_on = coalesce((SELECT substr(max(e.at), 1, 10) FROM events e "
        "WHERE e.item_id = items.id AND e.kind = 'item.' || items.status), "
        "substr(updated_at, 1, 10)) WHERE status_on IS NULL"
    )
