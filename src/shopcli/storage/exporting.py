"""Queries that read the schema itself: every table, its columns and keys, and linked rows.

Export, import and privacy work on whatever tables the migrations made, so nothing here
names a table except the bookkeeping ones it leaves out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from shopcli.storage import Store

# SQLite's and sqlite-utils' own bookkeeping: not records.
INTERNAL_TABLES = frozenset({"_sqlite_migrations", "sqlite_sequence", "sqlite_stat1"})


@dataclass(frozen=True)
class Link:
    """`child.column` refers to `parent.parent_column` (declared or by the `<parent>_id` name)."""

    child: str
    column: str
    parent: str
    parent_column: str


@contextmanager
def snapshot(store: Store) -> Iterator[None]:
    """One read transaction for the block: every table as of the same moment (a transaction
    the caller already holds serves as well)."""
    started = not store.conn.in_transaction
    if started:
        store.execute("BEGIN")
    try:
        yield
    finally:
        if started and store.conn.in_transaction:
            store.execute("COMMIT")


def table_names(store: Store) -> list[str]:
    """Every record table, parents before the tables that refer to them."""
    names = [
        row[0]
        for row in store.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        ).fetchall()
        if row[0] not in INTERNAL_TABLES
    ]
    shadow = _shadow_tables(store)
    names = [name for name in names if name not in shadow]
    return _parents_first(store, names)


def _shadow_tables(store: Store) -> set[str]:
    """Tables a virtual table (full-text search) keeps for itself."""
    try:
        rows = store.execute("PRAGMA table_list").fetchall()
    except Exception:  # pragma: no cover - SQLite before 3.37
        return set()
    return {row["name"] for row in rows if row["type"] in ("shadow", "virtual")}


def _parents_first(store: Store, names: list[str]) -> list[str]:
    parents = {name: {fk.parent for fk in declared_links(store, name)} - {name} for name in names}
    ordered: list[str] = []
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done or name in path:
            return
        for parent in sorted(parents.get(name, ())):
            if parent in parents:
                visit(parent, (*path, name))
        done.add(name)
        ordered.append(name)

    for name in names:
        visit(name, ())
    return ordered


def columns(store: Store, table: str) -> list[dict]:
    """PRAGMA table_info rows: name, type, notnull, dflt_value, pk."""
    return [dict(row) for row in store.execute(f"PRAGMA table_info({_quote(table)})").fetchall()]


def column_names(store: Store, table: str) -> list[str]:
    return [column["name"] for column in columns(store, table)]


def key_columns(store: Store, table: str) -> list[str]:
    """The primary-key columns in key order, or ["rowid"] for a table without one."""
    keyed = sorted((c for c in columns(store, table) if c["pk"]), key=lambda c: c["pk"])
    return [c["name"] for c in keyed] or ["rowid"]


def declared_links(store: Store, table: str) -> list[Link]:
    return [
        Link(table, row["from"], row["table"], row["to"] or "id")
        for row in store.execute(f"PRAGMA foreign_key_list({_quote(table)})").fetchall()
    ]


def links_to(store: Store, parent: str, tables: Iterable[str]) -> list[Link]:
    """Every column in `tables` that refers to `parent`: declared foreign keys, and columns
    named `<parent singular>_id` without one (the event log keeps ids without keys)."""
    implied = parent[:-1] + "_id" if parent.endswith("s") else parent + "_id"
    found: list[Link] = []
    for table in tables:
        declared = declared_links(store, table)
        found.extend(link for link in declared if link.parent == parent)
        keyed = {link.column for link in declared}
        if implied not in keyed and implied in column_names(store, table):
            found.append(Link(table, implied, parent, "id"))
    return found


def iter_rows(store: Store, table: str, *, batch: int = 5000) -> Iterator[tuple]:
    """Every row of a table as tuples (columns in table order), in primary-key order."""
    order = ", ".join(_quote(c) for c in key_columns(store, table))
    cursor = store.execute(f"SELECT * FROM {_quote(table)} ORDER BY {order}")
    while True:
        chunk = cursor.fetchmany(batch)
        if not chunk:
            return
        for row in chunk:
            yield tuple(row)


def iter_json_rows(store: Store, table: str) -> Iterator[str | tuple[Any, ...]]:
    """Every row in primary-key order as JSON text written by SQLite's `json_object` (~5x
    faster than in Python): the text `json.dumps(row, ensure_ascii=False, separators=(",",
    ":"))` gives for text, integers and NULL.

    What SQLite writes differently comes as the tuple of the row's values instead, for the
    caller to write: a row with a REAL value or a BLOB in a column declared BLOB, and from the
    first other BLOB on, the rest of the table.
    """
    import sqlite3

    found = columns(store, table)
    keys = key_columns(store, table)
    keyed = ", ".join(_quote(k) if k != "rowid" else "rowid" for k in keys)
    pairs = ", ".join(f"{_literal(c['name'])}, {_quote(c['name'])}" for c in found)
    # Only columns without TEXT affinity can hold a REAL (a TEXT column stores it as text);
    # a BLOB (a receipt's file), which json_object refuses, sits in a column declared BLOB.
    reals = [
        f"typeof({_quote(c['name'])}) IN ('real', 'blob')"
        if "BLOB" in (c["type"] or "").upper()
        else f"typeof({_quote(c['name'])}) = 'real'"
        for c in found
        if not _text_affinity(c["type"]) and [c["name"]] != keys
    ]
    flag = " OR ".join(reals) or "0"
    cursor = store.execute(
        f"SELECT CASE WHEN {flag} THEN NULL ELSE json_object({pairs}) END, {keyed} "
        f"FROM {_quote(table)} ORDER BY {keyed}"
    )
    by_key = " AND ".join(f"{_quote(k) if k != 'rowid' else 'rowid'} = ?" for k in keys)
    last: tuple | None = None
    try:
        while chunk := cursor.fetchmany(2000):
            for text, *key in chunk:
                if text is None:
                    yield tuple(
                        store.execute(
                            f"SELECT * FROM {_quote(table)} WHERE {by_key}", key
                        ).fetchone()
                    )
                else:
                    yield text
                last = tuple(key)
    except sqlite3.OperationalError as exc:
        if "BLOB" not in str(exc):
            raise
        after = f"({keyed}) > ({', '.join('?' for _ in keys)})" if last else "1"
        yield from (
            tuple(row)
            for row in store.execute(
                f"SELECT * FROM {_quote(table)} WHERE {after} ORDER BY {keyed}", list(last or ())
            )
        )


def _text_affinity(declared: str) -> bool:
    kind = (declared or "").upper()
    return "INT" not in kind and any(word in kind for word in ("CHAR", "CLOB", "TEXT"))


def has_values(store: Store, table: str, column: str) -> bool:
    """Whether any row has a value in this column (not NULL, not empty)."""
    return bool(
        store.scalar(
            f"SELECT EXISTS (SELECT 1 FROM {_quote(table)} "
            f"WHERE {_quote(column)} IS NOT NULL AND {_quote(column)} <> '')"
        )
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def count(store: Store, table: str) -> int:
    return int(store.scalar(f"SELECT count(*) FROM {_quote(table)}") or 0)


def keys_where_in(store: Store, table: str, column: str, values: Iterable) -> list[tuple]:
    """The keys (primary-key columns, or rowid) of rows whose `column` is one of `values`."""
    import json

    keys = ", ".join(_quote(k) if k != "rowid" else "rowid" for k in key_columns(store, table))
    return [
        tuple(row)
        for row in store.execute(
            f"SELECT {keys} FROM {_quote(table)} "
            f"WHERE {_quote(column)} IN (SELECT value FROM json_each(?))",
            [json.dumps(list(values))],
        ).fetchall()
    ]


def rows_by_keys(store: Store, table: str, keys: Iterable[tuple]) -> list[dict]:
    """Whole rows by their keys, as dicts (with `_rowid_` when the table has no primary key)."""
    import json

    names = key_columns(store, table)
    select = "*" if names != ["rowid"] else "rowid AS _rowid_, *"
    keys = list(keys)
    if len(names) == 1:
        column = "rowid" if names == ["rowid"] else _quote(names[0])
        where = f"{column} IN (SELECT value FROM json_each(?))"
        params = [json.dumps([key[0] for key in keys])]
    else:
        parts = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(names)))
        columns = ", ".join(_quote(name) for name in names)
        where = f"({columns}) IN (SELECT {parts} FROM json_each(?))"
        params = [json.dumps([list(key) for key in keys])]
    return store.query(f"SELECT {select} FROM {_quote(table)} WHERE {where}", params)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


quote = _quote
