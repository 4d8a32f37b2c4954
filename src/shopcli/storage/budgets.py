"""Queries about budgets: stored amounts and the items counted against them."""

from __future__ import annotations

from shopcli.storage import Store


def upsert(store: Store, job_id: int, recipient_id: int, amount: str) -> None:
    store.execute(
        "INSERT INTO budgets (job_id, recipient_id, amount) VALUES (?, ?, ?) "
        "ON CONFLICT (job_id, recipient_id) DO UPDATE SET amount = excluded.amount",
        [job_id, recipient_id, amount],
    )


def for_job(store: Store, job_id: int) -> list[dict]:
    return store.query(
        "SELECT b.recipient_id, b.amount, r.name FROM budgets b "
        "JOIN recipients r ON r.id = b.recipient_id WHERE b.job_id = ? ORDER BY r.name",
        [job_id],
    )


def job_items(store: Store, job_id: int) -> list[dict]:
    return store.query(
        "SELECT i.recipient_id, i.price, i.qty, i.currency, i.shipping, i.customs, i.status, "
        "r.name FROM items i "
        "LEFT JOIN recipients r ON r.id = i.recipient_id WHERE i.job_id = ?",
        [job_id],
    )
