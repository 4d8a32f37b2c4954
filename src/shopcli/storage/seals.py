"""Tamper evidence for the books: every issued invoice, credit note and payment is sealed.

A seal is a SHA-256 over the record's frozen content and the previous seal of its chain
(one chain per invoice numbering series, credit notes included, and one for payments). A
record changed, removed or slipped in with an SQL tool no longer matches, and `verify`
names the first one that does not. Without a secret key this detects tampering with the
file, not someone who recomputes every later seal as well: the latest hash (`shop doctor`
shows it) can be noted down or handed to an accountant to pin the books as they were.

The queries take a Store or a plain sqlite3 connection: `shop doctor` and `shop restore`
examine a file without migrating it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
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


GENESIS = ""  # the previous hash of a chain's first seal

# What each kind of record seals: its table, the columns (a fixed list, so a column added
# later changes no existing seal) and the order its records were made in.
_INVOICE_COLUMNS = (
    "id",
    "number",
    "series",
    "seq",
    "kind",
    "job_id",
    "client_id",
    "issued",
    "due",
    "currency",
    "total",
    "original_id",
    "reference",
    "document",
    "created_at",
)
_PAYMENT_COLUMNS = (
    "id",
    "invoice_id",
    "client_id",
    "received",
    "amount",
    "currency",
    "paid_on",
    "method",
    "note",
    "created_at",
)
SEALED: dict[str, tuple[str, tuple[str, ...], str]] = {
    "invoice": ("invoices", _INVOICE_COLUMNS, "series, seq"),
    "payment": ("payments", _PAYMENT_COLUMNS, "id"),
}


def chain_of(record: str, row: dict[str, Any]) -> str:
    return f"invoices {row['series']}" if record == "invoice" else "payments"


def digest(prev_hash: str, chain: str, record: str, row: dict[str, Any]) -> str:
    """The seal of one record: SHA-256 over the previous hash and the record's content."""
    columns = SEALED[record][1]
    content = json.dumps(
        [prev_hash, chain, record, [row[c] for c in columns]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def seal(store: Any, record: str, record_id: int) -> str:
    """Seal a record just stored (inside the caller's write transaction); returns its hash."""
    from shopcli.core.dates import now

    table, columns, _order = SEALED[record]
    found = store.one(f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", [record_id])
    if found is None:
        raise LookupError(f"no {record} #{record_id} to seal")
    return _add(store, record, found, chain_head, now())


def _add(db: Any, record: str, row: dict[str, Any], head, at: str) -> str:

    chain = chain_of(record, row)
    prev = head(db, chain) or GENESIS
    value = digest(prev, chain, record, row)
    add_seal(db, chain, record, int(row["id"]), prev, value, at)
    return value


def seal_missing(db: Any) -> int:
    """Seal every record that has none, in the order they were made (an upgraded database or
    an export from before seals). Returns how many were sealed."""
    from shopcli.core.dates import now

    at = now()
    done = 0
    for record, (table, columns, order) in SEALED.items():
        if not has_table(db, table):
            continue
        for values in unsealed(db, table, record, columns, order):
            _add(db, record, dict(zip(columns, values, strict=True)), chain_head, at)
            done += 1
    return done


@dataclass(frozen=True)
class Broken:
    """A record or seal that does not match: what it is, and what is wrong."""

    what: str
    problem: str

    def __str__(self) -> str:
        return f"{self.what} {self.problem}"


@dataclass
class Verified:
    """What `verify` found: the records checked per kind, the chain heads, the problems."""

    checked: dict[str, int]
    heads: dict[str, str]
    broken: list[Broken]


def _label(record: str, row: dict[str, Any] | None, record_id: int) -> str:
    if record == "invoice" and row is not None:
        word = "credit note" if row.get("kind") == "credit_note" else "invoice"
        return f"{word} {row['number']} (#{record_id})"
    return f"{record} #{record_id}"


def verify(db: Any) -> Verified:
    """Check every seal against its record and its chain; name the first record of each
    chain that does not match, and every record without a seal."""

    rows: dict[str, dict[int, dict[str, Any]]] = {}
    for record, (table, columns, order) in SEALED.items():
        rows[record] = (
            {
                int(values[0]): dict(zip(columns, values, strict=True))
                for values in records(db, table, columns, order)
            }
            if has_table(db, table)
            else {}
        )
    checked = {record: len(found) for record, found in rows.items()}
    heads: dict[str, str] = {}
    broken_chains: set[str] = set()
    broken: list[Broken] = []
    if not has_seals(db):
        missing = [(r, i) for r, found in rows.items() for i in found]
        if missing:
            record, record_id = missing[0]
            broken.append(
                Broken(
                    _label(record, rows[record][record_id], record_id),
                    f"has no seal, nor do {len(missing) - 1} other records: the seals table "
                    "is missing",
                )
            )
        return Verified(checked, heads, broken)
    for _seal_id, chain, record, record_id, prev, value in all_seals(db):
        if record not in rows:
            continue
        row = rows[record].pop(int(record_id), None)
        if chain in broken_chains:
            continue
        what = _label(record, row, int(record_id))
        if prev != heads.get(chain, GENESIS):
            broken.append(
                Broken(
                    what, "does not follow the seal before it: a sealed record or seal was removed"
                )
            )
        elif row is None:
            broken.append(Broken(what, "was deleted after it was sealed"))
        elif chain_of(record, row) != chain or digest(prev, chain, record, row) != value:
            done = "issued" if record == "invoice" else "recorded"
            problem = f"does not match its seal: it was changed after it was {done}"
            broken.append(Broken(what, problem))
        else:
            heads[chain] = value
            continue
        broken_chains.add(chain)
    for record, left in rows.items():
        for record_id, row in left.items():
            if chain_of(record, row) in broken_chains:
                continue
            broken.append(
                Broken(_label(record, row, record_id), "has no seal: it was added outside shopcli")
            )
    return Verified(checked, heads, broken)
