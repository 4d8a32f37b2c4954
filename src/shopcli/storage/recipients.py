"""Queries about recipients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

from shopcli.core.errors import NotFound
from shopcli.storage import Store
from shopcli.storage.records import find
from shopcli.storage.rows import Recipient

_SELECT = "SELECT r.*, c.name AS client FROM recipients r JOIN clients c ON c.id = r.client_id"


def by_id(store: Store, recipient_id: int) -> Recipient | None:
    return cast("Recipient | None", store.get("recipients", recipient_id))


def existing(store: Store, recipient_id: int) -> Recipient:
    """A recipient that must be there: one an item refers to, one just written."""
    found = by_id(store, recipient_id)
    if found is None:
        raise NotFound(f"no recipient with id {recipient_id}")
    return found


def find_named(
    store: Store,
    ref: str,
    client_id: int | None = None,
    describe: Callable[[dict], str] | None = None,
) -> Recipient:
    """A recipient by id, name or unambiguous prefix, on one client's list if given."""
    if client_id is None:
        row = find(store, "recipient", "recipients", "name", ref, describe=describe)
    else:
        row = find(
            store,
            "recipient",
            "recipients",
            "name",
            ref,
            where="client_id = ?",
            params=(client_id,),
            describe=describe,
        )
    return cast(Recipient, row)


def named(store: Store, client_id: int, name: str) -> Recipient | None:
    """The client's recipient with exactly this name (case-insensitive), if any."""
    return cast(
        "Recipient | None",
        store.one(
            "SELECT * FROM recipients WHERE client_id = ? AND name = ? COLLATE NOCASE",
            [client_id, name],
        ),
    )


def listing(store: Store, client_id: int | None = None) -> list[Recipient]:
    return cast("list[Recipient]", store.query(*listing_sql(client_id)))


def iter_listing(store: Store, client_id: int | None = None) -> Iterator[Recipient]:
    """Like `listing`, read one row at a time (none held in memory)."""
    return (cast(Recipient, dict(row)) for row in store.stream(*listing_sql(client_id)))


def listing_sql(client_id: int | None = None) -> tuple[str, list[Any]]:
    if client_id is None:
        return f"{_SELECT} ORDER BY c.name COLLATE NOCASE, r.name COLLATE NOCASE", []
    return f"{_SELECT} WHERE r.client_id = ? ORDER BY r.name COLLATE NOCASE", [client_id]
