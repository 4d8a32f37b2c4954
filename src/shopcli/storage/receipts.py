"""Queries about receipts: files kept inside the database with a job cost or an item.

Lists never read the file itself (`data`): SQLite reads a blob's pages only when the column
is asked for, so a list of a hundred 5 MB receipts stays instant.
"""

from __future__ import annotations

from collections.abc import Iterable

from shopcli.storage import Store

# Everything but the file, with what the receipt is attached to.
_SELECT = (
    "SELECT r.id, r.job_id, r.cost_id, r.item_id, r.name, r.mime, r.size, r.sha256, "
    "r.created_at, j.title AS job, j.client_id, i.number AS item_number, i.title AS item, "
    "k.kind AS cost_kind, k.note AS cost_note "
    "FROM receipts r JOIN jobs j ON j.id = r.job_id "
    "LEFT JOIN items i ON i.id = r.item_id LEFT JOIN job_costs k ON k.id = r.cost_id"
)


def add(store: Store, row: dict) -> int:
    return store.insert("receipts", row)


def by_id(store: Store, receipt_id: int) -> dict | None:
    return store.one(f"{_SELECT} WHERE r.id = ?", [receipt_id])


def data(store: Store, receipt_id: int) -> bytes | None:
    value = store.scalar("SELECT data FROM receipts WHERE id = ?", [receipt_id])
    return bytes(value) if value is not None else None


def listing(store: Store, job_id: int | None = None) -> list[dict]:
    if job_id is None:
        return store.query(f"{_SELECT} ORDER BY r.id")
    return store.query(f"{_SELECT} WHERE r.job_id = ? ORDER BY r.id", [job_id])


def same_file(store: Store, sha256: str, *, cost_id: int | None, item_id: int | None) -> int | None:
    """The id of a receipt with these contents already kept with the same cost or item."""
    return store.scalar(
        "SELECT id FROM receipts WHERE sha256 = ? AND cost_id IS ? AND item_id IS ?",
        [sha256, cost_id, item_id],
    )


def delete(store: Store, receipt_ids: Iterable[int]) -> int:
    ids = list(receipt_ids)
    if not ids:
        return 0
    marks = ", ".join("?" for _ in ids)
    return store.execute(f"DELETE FROM receipts WHERE id IN ({marks})", ids).rowcount


def ids_for_cost(store: Store, cost_id: int) -> list[int]:
    return [
        row["id"] for row in store.query("SELECT id FROM receipts WHERE cost_id = ?", [cost_id])
    ]
