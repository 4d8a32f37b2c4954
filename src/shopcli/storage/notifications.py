"""Queries behind notifications that are not about delivery: the recipients' budgets."""

from __future__ import annotations

from shopcli.storage import Store


def recipient_budgets(store: Store, job_id: int) -> list[dict]:
    """The job's recipients that have a budget, by name (case-insensitive), with the amount."""
    return store.query(
        "SELECT r.name, b.amount FROM budgets b JOIN recipients r ON r.id = b.recipient_id "
        "WHERE b.job_id = ? ORDER BY r.name COLLATE NOCASE",
        [job_id],
    )
