"""Queries for imports: matching what a file names, and inserting many rows at once."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain, islice
from typing import Any, cast

from shopcli.core.errors import Conflict
from shopcli.storage import Store, integrity_message, translate_error
from shopcli.storage.exporting import quote
from shopcli.storage.rows import Client

# Items per INSERT statement in a bulk insert (50 rows of at most 15 values stay under
# the oldest SQLite limit of 999 values per statement).
ROWS_PER_STATEMENT = 50


def clients_by_email(store: Store, email: str) -> list[Client]:
    rows = store.query("SELECT * FROM clients WHERE email = ? COLLATE NOCASE ORDER BY id", [email])
    return cast("list[Client]", rows)


def clients_by_name(store: Store, name: str) -> list[Client]:
    """Clients with exactly this name; non-ASCII case is folded in Python (SQLite folds ASCII)."""
    rows = store.query("SELECT * FROM clients WHERE name = ? COLLATE NOCASE ORDER BY id", [name])
    if not rows and not name.isascii():
        folded = name.casefold()
        rows = [
            row
            for row in store.query("SELECT * FROM clients ORDER BY id")
            if str(row["name"]).casefold() == folded
        ]
    return cast("list[Client]", rows)


def budget_amount(store: Store, job_id: int, recipient_id: int) -> str | None:
    return store.scalar(
        "SELECT amount FROM budgets WHERE job_id = ? AND recipient_id = ?", [job_id, recipient_id]
    )


def recipients_of(store: Store, client_id: int) -> list[dict]:
    return store.query("SELECT id, name FROM recipients WHERE client_id = ?", [client_id])


def next_item_number(store: Store, job_id: int) -> int:
    return int(
        store.scalar("SELECT coalesce(max(number), 0) + 1 FROM items WHERE job_id = ?", [job_id])
    )


def item_keys(store: Store, job_id: int) -> list[tuple]:
    """The job's items as comparison keys: the values an items file sets, in its field order
    (title, store, url, price, currency, recipient_id, size, colour, qty, notes, paid_by,
    shipping, customs, return_by)."""
    return [
        tuple(row)
        for row in store.execute(
            "SELECT title, store, url, price, currency, recipient_id, size, colour, qty, notes, "
            "paid_by, shipping, customs, return_by FROM items WHERE job_id = ?",
            [job_id],
        )
    ]


# SQLite's page cache while a big import writes (KiB): the pages of the items table's
# indexes it keeps changing stay in memory instead of being read again (~8 % of an import).
BULK_CACHE_KIB = 16_000


@contextmanager
def bulk_cache(store: Store) -> Iterator[None]:
    """A bigger page cache for the block (the connection's own is restored after)."""
    before = store.conn.execute("PRAGMA cache_size").fetchone()[0]
    store.conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        store.conn.execute(f"PRAGMA cache_size = {int(before)}")


def insert_items(
    store: Store, columns: Sequence[str], constants: Mapping[str, Any], rows: Iterable[Sequence]
) -> None:
    """Insert many items (the caller holds the transaction): `rows` give the `columns`, and
    `constants` (the same for every row) are written into the statement, so that they are not
    passed 100,000 times over. Rows go ROWS_PER_STATEMENT to a statement: handing SQLite one
    row at a time costs more than inserting it."""
    names = ", ".join(quote(name) for name in (*columns, *constants))
    one = "(" + ", ".join(["?"] * len(columns) + [_literal(v) for v in constants.values()]) + ")"
    per = ROWS_PER_STATEMENT
    rest: list[Sequence] = []

    def groups() -> Iterator[list]:
        remaining = iter(rows)
        while True:
            group = list(islice(remaining, per))
            if len(group) < per:
                rest.extend(group)
                return
            yield list(chain.from_iterable(group))

    _executemany(store, f"INSERT INTO items ({names}) VALUES {', '.join([one] * per)}", groups())
    _executemany(store, f"INSERT INTO items ({names}) VALUES {one}", rest)


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def insert_rows(store: Store, table: str, names: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert rows as they are, ids included (restoring an export)."""
    columns = ", ".join(quote(name) for name in names)
    marks = ", ".join("?" for _ in names)
    _executemany(store, f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})", rows)


def defer_foreign_keys(store: Store) -> None:
    """Check foreign keys at commit rather than per row (rows may come in any order)."""
    store.execute("PRAGMA defer_foreign_keys = ON")


def missing_references(store: Store) -> list[dict]:
    """Rows that point at a record that does not exist: table, rowid, parent (the table
    pointed at), in the order SQLite finds them."""
    return store.query("PRAGMA foreign_key_check")


def _executemany(store: Store, sql: str, rows: Iterable[Sequence]) -> None:
    try:
        store.conn.executemany(sql, rows)
    except sqlite3.IntegrityError as exc:
        raise Conflict(integrity_message(exc)) from None
    except sqlite3.Error as exc:
        raise translate_error(exc, store.path) from None
