"""Queries for the seals of the books: the chain heads, the seals in order, sealed records.

They take a Store or a plain sqlite3 connection: `shop doctor` and `shop restore` examine a
file without migrating it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any


def _conn(db: Any) -> sqlite3.Connection:
    return getattr(db, "conn", db)


def has_seals(db: Any) -> bool:
    return bool(
        _conn(db)
        .execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'seals'")
        .fetchone()
    )


def chain_head(db: Any, chain: str) -> str | None:
    """The hash of the latest seal of a chain (call inside the write transaction)."""
    row = (
        _conn(db)
        .execute("SELECT hash FROM seals WHERE chain = ? ORDER BY id DESC LIMIT 1", [chain])
        .fetchone()
    )
    return row[0] if row else None


def add_seal(
    db: Any, chain: str, record: str, record_id: int, prev_hash: str, digest: str, at: str
) -> None:
    _conn(db).execute(
        "INSERT INTO seals (chain, record, record_id, prev_hash, hash, sealed_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [chain, record, record_id, prev_hash, digest, at],
    )


def all_seals(db: Any) -> Iterator[tuple]:
    """(id, chain, record, record_id, prev_hash, hash) of every seal, oldest first."""
    return iter(
        _conn(db).execute(
            "SELECT id, chain, record, record_id, prev_hash, hash FROM seals ORDER BY id"
        )
    )


def records(db: Any, table: str, columns: Sequence[str], order_by: str) -> Iterator[tuple]:
    """The sealed columns of every row of a table (the column names are shopcli's own)."""
    names = ", ".join(columns)
    return iter(_conn(db).execute(f"SELECT {names} FROM {table} ORDER BY {order_by}"))


def unsealed(db: Any, table: str, record: str, columns: Sequence[str], order_by: str):
    """The rows of a table that have no seal yet, in the order they were made."""
    names = ", ".join(f"t.{c}" for c in columns)
    return (
        _conn(db)
        .execute(
            f"SELECT {names} FROM {table} t WHERE NOT EXISTS "
            "(SELECT 1 FROM seals s WHERE s.record = ? AND s.record_id = t.id) "
            f"ORDER BY {', '.join('t.' + c.strip() for c in order_by.split(','))}",
            [record],
        )
        .fetchall()
    )


def has_table(db: Any, name: str) -> bool:
    return bool(
        _conn(db)
        .execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name])
        .fetchone()
    )
