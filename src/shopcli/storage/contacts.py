"""Queries that find the client or recipient a contact card is."""

from __future__ import annotations

from typing import cast

from shopcli.storage import Store
from shopcli.storage.rows import Client, Recipient


def clients_with_email(store: Store, email: str) -> list[Client]:
    rows = store.query(
        "SELECT * FROM clients WHERE email = ? COLLATE NOCASE ORDER BY id LIMIT 5", [email]
    )
    return cast("list[Client]", rows)


def clients_named(store: Store, name: str) -> list[Client]:
    """Clients of exactly this name (case-insensitive, also beyond ASCII)."""
    found = store.query(
        "SELECT * FROM clients WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 5", [name]
    )
    if not found and not name.isascii():
        folded = name.casefold()
        found = [
            row
            for row in store.query("SELECT * FROM clients WHERE length(name) = ?", [len(name)])
            if row["name"].casefold() == folded
        ]
    return cast("list[Client]", found)


def recipient_named(store: Store, client_id: int, name: str) -> Recipient | None:
    rows = store.query("SELECT * FROM recipients WHERE client_id = ? ORDER BY id", [client_id])
    folded = name.casefold()
    return cast(
        "Recipient | None", next((row for row in rows if row["name"].casefold() == folded), None)
    )
