"""Clients: the people who commission the shopping and pay the fee."""

from __future__ import annotations

from collections.abc import Iterator
from sqlite3 import Row
from typing import Any

from shopcli.core import validate
from shopcli.core.errors import Conflict
from shopcli.storage import (
    Store,
    delete_with_dependents,
    dependents,
    describe_counts,
    events,
    now,
)
from shopcli.storage import clients as queries
from shopcli.storage.records import clean, find

FIELDS = (
    "name",
    "email",
    "phone",
    "address",
    "birthday",
    "language",
    "currency",
    "vat_id",
    "notes",
    "referred_by",
)


def _currency(value: str) -> str:
    from shopcli.core.money import currency

    return currency(value)


CLEANERS = {
    "name": lambda v: validate.text(v, "client name", max_length=200),
    "email": validate.email,
    "phone": validate.phone,
    "address": lambda v: validate.text(v, "address", max_length=500, multiline=True),
    "birthday": lambda v: validate.date(v, "birthday"),
    "language": validate.language,
    "currency": _currency,
    "vat_id": validate.vat_id,
    "notes": lambda v: validate.text(v, "notes", multiline=True),
    "referred_by": lambda v: validate.text(v, "referred by", max_length=200),
}


def get(store: Store, ref: str) -> dict:
    return find(store, "client", "clients", "name", ref, describe=_describe)


def _describe(row: dict) -> str:
    return f"{row['name']}" + (f" <{row['email']}>" if row.get("email") else "")


def add(store: Store, name: str, **fields: Any) -> dict:
    values = clean(CLEANERS, {"name": name, **fields})
    stamp = now()
    with store.write():
        client_id = store.insert("clients", {**values, "created_at": stamp, "updated_at": stamp})
        events.log(store, "client.added", f"client {values['name']} added", client_id=client_id)
    return store.get("clients", client_id) or {}


def edit(store: Store, client: dict, **changes: Any) -> dict:
    values = clean(CLEANERS, changes, editing=True)
    if "name" in values and values["name"] is None:
        values.pop("name")
    if not values:
        return client
    with store.write():
        store.update("clients", client["id"], {**values, "updated_at": now()})
        events.log(
            store,
            "client.edited",
            f"client edited: {', '.join(sorted(values))}",
            client_id=client["id"],
        )
    return store.get("clients", client["id"]) or {}


def listing(store: Store, *, limit: int | None = None, offset: int = 0) -> list[dict]:
    return queries.listing(store, limit, offset)


def iter_listing(store: Store, *, limit: int | None = None, offset: int = 0) -> Iterator[Row]:
    """Like `listing`, one `sqlite3.Row` at a time (for long output)."""
    return queries.iter_listing(store, limit, offset)


def count(store: Store) -> int:
    return queries.count(store)


def removal_plan(store: Store, client: dict) -> list[tuple[str, int]]:
    """What removing this client would also remove; refused outright if it has invoices."""
    from shopcli.storage.invoices import refuse_removal

    refuse_removal(store, client=client)
    return dependents(store, "clients", client["id"])


def remove(store: Store, client: dict, *, force: bool = False) -> list[tuple[str, int]]:
    """Remove a client; refuse if records depend on it unless forced. Returns what went."""
    deps = removal_plan(store, client)
    if deps and not force:
        raise Conflict(
            f"client {client['name']!r} still has {describe_counts(deps)}; "
            "use --force to remove them too"
        )
    delete_with_dependents(store, "clients", client["id"])
    return deps


def public(row: dict) -> dict:
    """The stable JSON shape of a client."""
    return {key: row.get(key) for key in ("id", *FIELDS, "created_at", "updated_at")}
