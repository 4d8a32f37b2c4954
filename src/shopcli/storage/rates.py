"""Queries about exchange rates."""

from __future__ import annotations

from shopcli.core.dates import now
from shopcli.storage import Store


def upsert(store: Store, base: str, quote: str, rate: str) -> None:
    store.execute(
        "INSERT INTO rates (base, quote, rate, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (base, quote) DO UPDATE SET rate = excluded.rate, "
        "updated_at = excluded.updated_at",
        [base, quote, rate, now()],
    )


def delete(store: Store, base: str, quote: str) -> int:
    return store.execute("DELETE FROM rates WHERE base = ? AND quote = ?", [base, quote]).rowcount


def listing(store: Store) -> list[dict]:
    return store.rows("rates", order_by="base, quote")
