"""Queries for shell completion: client, job and recipient names, item and invoice numbers,
each with what it is, read over a read-only connection.

A completion runs on every Tab press, so it must not be noticed: the file is opened
read-only (`mode=ro`: never created, never migrated), one small query runs, and a missing,
busy, old or damaged database completes nothing rather than waiting or failing. Only the
standard library and storage itself are imported (no sqlite-utils).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from shopcli.core.errors import ShopError
from shopcli.storage import Store

T = TypeVar("T")
# At most this many rows are read for one completion.
ROWS = 2000


class _ReadOnly(Store):
    """A Store over a read-only connection: not migrated, and never waiting for a writer
    (a statement that finds the database busy fails at once)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = None
        self.conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0.2)
        self.conn.row_factory = sqlite3.Row

    def execute(self, sql: str, params: Sequence[Any] | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)


def _reading(path: Path, read: Callable[[Store], T], nothing: T) -> T:
    if not path.is_file():
        return nothing
    try:
        store = _ReadOnly(path)
    except sqlite3.Error:
        return nothing
    try:
        return read(store)
    except (sqlite3.Error, ShopError):
        return nothing
    finally:
        store.close()


def _pairs(path: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[str, str]]:
    """(value, what it is) rows of a query, as text."""

    def read(store: Store) -> list[tuple[str, str]]:
        rows = store.execute(f"{sql} LIMIT {ROWS}", params).fetchall()
        return [(str(value), str(what or "")) for value, what in rows]

    return _reading(path, read, [])


def _like(typed: str) -> str:
    escaped = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def clients(path: Path) -> list[tuple[str, str]]:
    return _pairs(path, "SELECT name, coalesce(email, '') FROM clients ORDER BY name")


def jobs(path: Path) -> list[tuple[str, str]]:
    return _pairs(
        path,
        "SELECT j.title, c.name || ' · ' || j.status FROM jobs j "
        "JOIN clients c ON c.id = j.client_id ORDER BY j.status = 'open' DESC, j.id DESC",
    )


def recipients(path: Path) -> list[tuple[str, str]]:
    return _pairs(
        path,
        "SELECT r.name, 'for ' || c.name FROM recipients r "
        "JOIN clients c ON c.id = r.client_id ORDER BY r.name",
    )


def job_id(path: Path, ref: str) -> int | None:
    """The id of the job `ref` names by the rules every command uses (id, title, prefix or
    CLIENT/JOB, see `storage.jobs.find_named`), or None when none or several answer."""
    from shopcli.storage import jobs

    ref = ref.strip()
    if not ref:
        return None
    return _reading(path, lambda store: jobs.find_named(store, ref)["id"], None)


def items_in_job(path: Path, job: int) -> list[tuple[str, str]]:
    """`#N` of each item of a job, with its title and status."""
    return _pairs(
        path,
        "SELECT '#' || number, title || ' · ' || status FROM items WHERE job_id = ? "
        "ORDER BY number",
        (job,),
    )


def item_numbers(path: Path, job: int) -> list[tuple[str, str]]:
    """The number of each item of a job, with its title and status."""
    return _pairs(
        path,
        "SELECT number, title || ' · ' || status FROM items WHERE job_id = ? ORDER BY number",
        (job,),
    )


def item_ids(path: Path, typed: str) -> list[tuple[str, str]]:
    """Item ids starting with what was typed, newest first, with the item's and job's title."""
    return _pairs(
        path,
        "SELECT i.id, i.title || ' · ' || j.title FROM items i JOIN jobs j ON j.id = i.job_id "
        "WHERE CAST(i.id AS TEXT) LIKE ? ESCAPE '\\' ORDER BY i.id DESC",
        (_like(typed),),
    )


def invoices(path: Path, typed: str) -> list[tuple[str, str]]:
    """Invoice numbers starting with what was typed, newest first, with client and date."""
    return _pairs(
        path,
        "SELECT inv.number, c.name || ' · ' || inv.issued FROM invoices inv "
        "JOIN clients c ON c.id = inv.client_id WHERE inv.number LIKE ? ESCAPE '\\' "
        "ORDER BY inv.id DESC",
        (_like(typed),),
    )
