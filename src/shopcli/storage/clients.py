"""Queries about clients."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

from shopcli.core.errors import NotFound
from shopcli.storage import Store
from shopcli.storage.records import find
from shopcli.storage.rows import Client


def by_id(store: Store, client_id: int) -> Client | None:
    return cast("Client | None", store.get("clients", client_id))


def existing(store: Store, client_id: int) -> Client:
    """A client that must be there: one a job or invoice refers to, one just written."""
    found = by_id(store, client_id)
    if found is None:
        raise NotFound(f"no client with id {client_id}")
    return found


def named(store: Store, ref: str) -> Client:
    """The client named by id, name or unambiguous prefix (see `records.find`); namesakes
    are told apart by their email in the list of candidates."""
    return cast(Client, find(store, "client", "clients", "name", ref, describe=_describe))


def _describe(row: Mapping[str, Any]) -> str:
    return f"{row['name']}" + (f" <{row['email']}>" if row.get("email") else "")


def listing_sql(limit: int | None = None, offset: int = 0) -> str:
    sql = "SELECT * FROM clients ORDER BY name COLLATE NOCASE, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return sql


def listing(store: Store, limit: int | None = None, offset: int = 0) -> list[Client]:
    return cast("list[Client]", store.query(listing_sql(limit, offset)))


def iter_listing(store: Store, limit: int | None = None, offset: int = 0) -> Iterator[Client]:
    """Like `listing`, read one row at a time (none held in memory)."""
    return (cast(Client, dict(row)) for row in store.stream(listing_sql(limit, offset)))


def count(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM clients"))


def references(store: Store) -> list[Client]:
    """Clients who agreed to be a reference, by name, with how many jobs they commissioned."""
    return cast(
        "list[Client]",
        store.query(
            "SELECT c.*, (SELECT count(*) FROM jobs j WHERE j.client_id = c.id) AS jobs "
            "FROM clients c WHERE c.reference = 'yes' ORDER BY c.name COLLATE NOCASE, c.id"
        ),
    )
