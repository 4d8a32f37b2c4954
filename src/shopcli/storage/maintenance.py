"""SQL for looking after the database file: checks, copies (backup API), restores, erasure.

These work on plain sqlite3 connections as well as on a Store, because a damaged file or a
backup must be examined without migrating it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from shopcli.core.errors import StorageError
from shopcli.storage import BUSY_TIMEOUT_S, Store

SQLITE_HEADER = b"SQLite format 3\x00"


class FileError(StorageError):
    """An SQLite error on a database file opened outside a Store, with its reason in plain
    words (`reason`) for the caller's own message."""

    def __init__(self, exc: sqlite3.Error) -> None:
        super().__init__(f"database error: {exc}")
        self.detail = str(exc)
        self.reason = plain_reason(self.detail)


def plain_reason(text: str) -> str:
    """An SQLite or OS error message as the shopper can act on it."""
    if "full" in text or "No space" in text:
        return "the disk is full"
    if "readonly" in text or "read-only" in text or "Permission" in text:
        return "the folder is read-only"
    return text


def connect(path: Path) -> sqlite3.Connection:
    """A plain connection to an existing file: never creates one, never migrates."""
    uri = "file:" + _uri_path(path) + "?mode=rw"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    conn.row_factory = sqlite3.Row
    return conn


@contextmanager
def opened(path: Path) -> Iterator[sqlite3.Connection]:
    """`connect(path)` for the length of the block, then closed. An existing file only (an
    empty one, made by `create_private`, is a new database). Any SQLite error in the block
    comes out as FileError, so callers outside storage never handle sqlite3 themselves."""
    try:
        conn = connect(path)
    except sqlite3.Error as exc:
        raise FileError(exc) from None
    try:
        yield conn
    except sqlite3.Error as exc:
        raise FileError(exc) from None
    finally:
        conn.close()


def _uri_path(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(Path(path).resolve()))


def header_problem(path: Path) -> str | None:
    """Why the file cannot be an SQLite database, judged from its first bytes; None if it may be.

    An empty file is a valid (empty) database.
    """
    size = path.stat().st_size
    if size == 0:
        return None
    with open(path, "rb") as handle:
        head = handle.read(100)
    if not head.startswith(SQLITE_HEADER):
        return "it is not an SQLite database (the file starts with other data)"
    if len(head) < 100:
        return f"it is truncated ({size} bytes, shorter than an SQLite header)"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    if page_size and size % page_size:
        return f"it is truncated ({size} bytes is not a whole number of {page_size}-byte pages)"
    if pages and page_size and size < pages * page_size and not _has_wal(path):
        return f"it is truncated ({size} bytes of the {pages * page_size} it should have)"
    return None


def _has_wal(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def integrity(conn: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """What `PRAGMA integrity_check` finds wrong (empty when the file is sound)."""
    pragma = "quick_check" if quick else "integrity_check"
    rows = [row[0] for row in conn.execute(f"PRAGMA {pragma}(20)").fetchall()]
    return [] if rows == ["ok"] else rows


def foreign_key_problems(conn: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """Rows pointing at records that do not exist: (table, parent table) -> count."""
    found: dict[tuple[str, str], int] = {}
    for row in conn.execute("PRAGMA foreign_key_check").fetchall():
        key = (row[0], row[2])
        found[key] = found.get(key, 0) + 1
    return found


def applied_migrations(conn: sqlite3.Connection) -> list[str] | None:
    """The shopcli migrations a database has, in order; None if it is not a shopcli database."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    if not has_table:
        return None
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'shopcli' ORDER BY id"
        ).fetchall()
    ]
    return names or None


def issued_invoices(conn: sqlite3.Connection) -> dict[str, str]:
    """Every issued invoice and credit note: number -> its frozen document."""
    if not has_table(conn, "invoices"):
        return {}
    return {
        row[0]: row[1] for row in conn.execute("SELECT number, document FROM invoices").fetchall()
    }


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    return bool(
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]
        ).fetchone()
    )


def counts(conn: sqlite3.Connection, tables: Sequence[str]) -> dict[str, int]:
    """Rows in each of these tables that exist."""
    return {
        table: int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        for table in tables
        if has_table(conn, table)
    }


def receipt_mismatches(conn: sqlite3.Connection) -> tuple[int, list[int]] | None:
    """How many receipts there are, and the ids of those whose file no longer matches the
    SHA-256 it was kept with (None when the database has no receipts table)."""
    import hashlib

    if not has_table(conn, "receipts"):
        return None
    count, bad = 0, []
    for receipt_id, digest, data in conn.execute("SELECT id, sha256, data FROM receipts"):
        count += 1
        if hashlib.sha256(bytes(data or b"")).hexdigest() != digest:
            bad.append(receipt_id)
    return count, bad


def page_size(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA page_size").fetchone()[0])


def journal_mode(conn: sqlite3.Connection) -> str:
    return str(conn.execute("PRAGMA journal_mode").fetchone()[0])


def standalone(conn: sqlite3.Connection) -> None:
    """Make a copy one self-contained file (no -wal beside it)."""
    conn.execute("PRAGMA journal_mode = DELETE")


def set_page_size(conn: sqlite3.Connection, size: int) -> None:
    """Rewrite a (non-WAL) database with another page size."""
    conn.execute(f"PRAGMA page_size = {int(size)}")
    conn.execute("VACUUM")


def copy_file(store: Store, target: Path, tables: Sequence[str]) -> dict[str, int] | None:
    """Copy the database file and its write-ahead log to `target` (an owner-only file made
    before; `-wal` beside it) while this connection holds the write lock: a consistent copy
    for the price of a file copy, which the kernel makes (the backup API reads and writes
    every page through SQLite: ~3x the CPU). Returns the rows each of `tables` holds, for
    the copy to be checked against; None, having copied nothing, when another command is
    writing: a backup never waits for one (copy with `copy_to` then).

    Pages a checkpoint writes into the file meanwhile are pages the log also holds, up to
    this connection's snapshot: opening the copy replays the log over them."""
    import shutil

    conn = store.conn
    wait = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return None
        raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(wait)}")
    try:
        held = counts(conn, tables)
        shutil.copyfile(store.path, target)
        log = store.path.with_name(store.path.name + "-wal")
        if log.exists() and log.stat().st_size:
            copied = target.with_name(target.name + "-wal")
            create_private(copied)
            shutil.copyfile(log, copied)
    finally:
        conn.execute("ROLLBACK")  # nothing was written: the lock only held writers back
    return held


def copy_to(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """Copy a whole database, consistently, with SQLite's online backup API.

    In WAL mode the copy is one snapshot even while another process writes; into a live
    database the copy is one transaction, so readers see the old or the new, never a mix.
    """
    source.backup(target)


def create_private(path: Path) -> None:
    """Create a new, empty file readable by its owner only (refusing to overwrite one)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


# -- erasure --------------------------------------------------------------------------------


def triggers_on(store: Store, table: str) -> list[tuple[str, str]]:
    return [
        (row["name"], row["sql"])
        for row in store.query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", [table]
        )
    ]


@contextmanager
def triggers_suspended(store: Store, table: str) -> Iterator[None]:
    """Drop a table's triggers for the length of the caller's transaction and put them back.

    Only for erasure the law requires (the event log refuses updates otherwise). DDL is
    transactional in SQLite: if anything fails, the triggers come back with the rollback.
    """
    if not store.conn.in_transaction:
        raise StorageError("triggers may only be suspended inside a transaction")
    saved = triggers_on(store, table)
    for name, _sql in saved:
        store.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        if store.conn.in_transaction:
            for _name, sql in saved:
                store.execute(sql)


def update_rows(
    store: Store, table: str, names: Sequence[str], keys: Sequence[tuple], changes: dict[str, Any]
) -> tuple[int, int]:
    """Make the same change to rows given by their keys (values of the `names` columns, or
    rowid). Rows a trigger or constraint keeps as they are (an issued invoice is frozen) are
    left alone. Returns (changed, refused)."""
    import json

    if not keys:
        return 0, 0
    sets = ", ".join(f'"{column}" = ?' for column in changes)
    columns = ", ".join(f'"{name}"' if name != "rowid" else "rowid" for name in names)
    parts = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(names)))
    sql = f'UPDATE "{table}" SET {sets} WHERE ({columns}) IN (SELECT {parts} FROM json_each(?))'
    if _try(store, sql, [*changes.values(), json.dumps([list(key) for key in keys])]):
        return len(keys), 0
    if len(keys) == 1:
        return 0, 1
    changed = refused = 0
    for key in keys:  # some rows refuse: find which, one by one
        done, kept = update_rows(store, table, names, [key], changes)
        changed, refused = changed + done, refused + kept
    return changed, refused


def _try(store: Store, sql: str, params: list) -> bool:
    """Run one statement in a savepoint; False (and nothing changed) if a trigger refuses."""
    store.execute("SAVEPOINT erase_rows")
    try:
        store.conn.execute(sql, params)
    except sqlite3.IntegrityError:
        store.execute("ROLLBACK TO erase_rows")
        store.execute("RELEASE erase_rows")
        return False
    except sqlite3.Error as exc:
        store.execute("ROLLBACK TO erase_rows")
        store.execute("RELEASE erase_rows")
        from shopcli.storage import translate_error

        raise translate_error(exc, store.path) from None
    store.execute("RELEASE erase_rows")
    return True


def redact_events(store: Store, ids: Sequence[int], summary: str) -> int:
    """Replace the summary and detail of these events (the rest of each line stays)."""
    import json

    ids = list(ids)
    if not ids:
        return 0
    with triggers_suspended(store, "events"):
        store.execute(
            "UPDATE events SET summary = ?, detail = '{}' "
            "WHERE id IN (SELECT value FROM json_each(?))",
            [summary, json.dumps(ids)],
        )
    return len(ids)


def events_about(
    store: Store, client_ids: Sequence[int], job_ids: Sequence[int], item_ids: Sequence[int]
) -> list[int]:
    """Ids of events about any of these clients, jobs or items."""
    import json

    found: set[int] = set()
    for column, values in (("client_id", client_ids), ("job_id", job_ids), ("item_id", item_ids)):
        if values:
            found.update(
                row[0]
                for row in store.execute(
                    f"SELECT id FROM events WHERE {column} IN (SELECT value FROM json_each(?))",
                    [json.dumps(list(values))],
                ).fetchall()
            )
    return sorted(found)


def secure_delete(store: Store, on: bool) -> None:
    """Overwrite freed content with zeros, so erased text does not linger in the file."""
    store.execute(f"PRAGMA secure_delete = {'ON' if on else 'OFF'}")


def checkpoint(store: Store) -> None:
    """Fold the write-ahead log into the database and empty it (old pages go with it)."""
    try:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlite3.Error:
        pass


# -- the schema as shopcli makes it ---------------------------------------------------------

# The table sqlite-utils keeps its record of migrations in: its text depends on the version
# of sqlite-utils that made it, so only its columns are compared.
_MIGRATIONS_TABLE = "_sqlite_migrations"


def _normal_sql(sql: str | None) -> str:
    """SQL text as compared: identifier quoting, spacing and line breaks do not count."""
    import re

    if not sql:
        return ""
    sql = re.sub(
        r'\[([^\]]*)\]|"([^"]*)"|`([^`]*)`',
        lambda m: next(g for g in m.groups() if g is not None),
        sql,
    )
    sql = re.sub(r"\s+", " ", sql).strip()
    return re.sub(r"\s*([(),;=])\s*", r"\1", sql)


def schema_objects(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple[str, str]]:
    """Every table, index, trigger and view: (type, name) -> (table it belongs to, its SQL).

    SQLite's own objects (sqlite_sequence, automatic indexes) follow from the others."""
    return {
        (row[0], row[1]): (row[2], _normal_sql(row[3]))
        for row in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
    }


def _columns(conn: sqlite3.Connection, table: str) -> list[tuple]:
    return [tuple(row)[1:] for row in conn.execute(f'PRAGMA table_xinfo("{table}")').fetchall()]


def expected_schema(applied: Sequence[str]) -> sqlite3.Connection | None:
    """A new in-memory database with exactly these shopcli migrations applied, in order; None
    when they are not a beginning of shopcli's own list (a history shopcli never writes)."""
    from shopcli.storage.migrations import migrations

    known = migrations.names()
    if list(applied) != known[: len(applied)]:
        return None
    conn = sqlite3.connect(":memory:", isolation_level=None)
    pending = known[len(applied) :]
    migrations.apply(conn, stop_before=pending[0] if pending else None)
    return conn


def schema_differences(conn: sqlite3.Connection) -> list[str]:
    """How the schema of a shopcli database differs from the one its migrations make:
    tables, columns, indexes, triggers and views missing, added or defined otherwise."""
    applied = applied_migrations(conn) or []
    reference = expected_schema(applied)
    if reference is None:
        return [
            "its record of migrations (" + ", ".join(applied) + ") is not a sequence shopcli writes"
        ]
    try:
        wanted, found = schema_objects(reference), schema_objects(conn)
        differences = []
        for key in sorted(set(wanted) | set(found), key=lambda k: (k[0] != "table", k)):
            kind, name = key
            if key not in found:
                differences.append(f"{kind} {name} is missing")
            elif key not in wanted:
                differences.append(f"{kind} {name} is not one shopcli makes")
            elif kind == "table" and (name == _MIGRATIONS_TABLE or wanted[key][1] != found[key][1]):
                differences.extend(
                    _table_differences(reference, conn, name, wanted[key][1] != found[key][1])
                )
            elif wanted[key] != found[key] and found[key][0] != _MIGRATIONS_TABLE:
                differences.append(f"{kind} {name} is defined differently")
        return differences
    finally:
        reference.close()


def _table_differences(
    reference: sqlite3.Connection, conn: sqlite3.Connection, table: str, text_differs: bool
) -> list[str]:
    wanted = {column[0]: column for column in _columns(reference, table)}
    found = {column[0]: column for column in _columns(conn, table)}
    found_names = list(found)
    differences = [f"table {table} lacks column {name}" for name in wanted if name not in found]
    differences += [
        f"table {table} has a column {name} shopcli does not make"
        for name in found_names
        if name not in wanted
    ]
    differences += [
        f"table {table}: column {name} is defined differently"
        for name in wanted
        if name in found and found[name] != wanted[name]
    ]
    if not differences and text_differs and table != _MIGRATIONS_TABLE:
        differences.append(f"table {table} is defined differently (its constraints)")
    return differences
