"""Queries that find the client or recipient a contact card is."""

from __future__ import annotations

from shopcli.storage import Store


def clients_with_email(store: Store, email: str) -> list[dict]:
    return store.query(
        "SELECT * FROM clients WHERE email = ? COLLATE NOCASE ORDER BY id LIMIT 5", [email]
    )


def clients_named(store: Store, name: str) -> list[dict]:
    """Clients of exactly this name (case-insensitive, also beyond ASCII)."""
    found = store.query(
        "SELECT * FROM clients WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 5", [name]
    )
    if found or name.isascii():
        return found
    folded = name.casefold()
    return [
        row
        for row in store.query("SELECT * FROM clients WHERE length(name) = ?", [len(name)])
        if row["name"].casefold() == folded
    ]


def recipient_named(store: Store, client_id: int, name: str) -> dict | None:
    rows = store.query("SELECT * FROM recipients WHERE client_id = ? ORDER BY id", [client_id])
    folded = name.casefold()
    return next((row for row in rows if row["name"].casefold() == folded), None)
