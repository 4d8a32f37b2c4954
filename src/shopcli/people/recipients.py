"""Recipients: the people on a client's list, kept across jobs with their tastes and sizes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from shopcli.core import validate
from shopcli.core.dates import now
from shopcli.core.errors import Conflict, InvalidInput
from shopcli.storage import Store, dependents, events, remove_with_dependents
from shopcli.storage import clients as client_queries
from shopcli.storage import recipients as queries
from shopcli.storage.records import Cleaner, clean, dumps, loads
from shopcli.storage.rows import Client, Recipient


def parse_sizes(values: list[str] | dict | None) -> dict[str, str]:
    """Sizes as `M` (a general size) or `KIND=SIZE` (shoe=38); a dict passes through."""
    if values is None:
        return {}
    if isinstance(values, dict):
        return {str(k).strip(): str(v).strip() for k, v in values.items() if str(v).strip()}
    sizes: dict[str, str] = {}
    for value in values:
        kind, sep, size = value.partition("=")
        if not sep:
            kind, size = "size", kind
        kind, size = kind.strip(), size.strip()
        if not kind or not size:
            raise InvalidInput(f"size {value!r} not understood: write M or shoe=38")
        sizes[kind] = size
    return sizes


def parse_dates(values: list[str] | dict | None) -> dict[str, str]:
    """Other dates to remember, as `NAME=YYYY-MM-DD` (name day, anniversary...)."""
    if values is None:
        return {}
    if isinstance(values, dict):
        return {str(k): validate.date(str(v), f"date {k}") for k, v in values.items()}
    dates: dict[str, str] = {}
    for value in values:
        name, sep, day = value.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"date {value!r} not understood: write NAME=YYYY-MM-DD")
        dates[name.strip()] = validate.date(day, f"date {name.strip()}")
    return dates


CLEANERS: dict[str, Cleaner] = {
    "name": lambda v: validate.text(v, "recipient name", max_length=200),
    "relation": lambda v: validate.text(v, "relation", max_length=100),
    "birthday": lambda v: validate.date(v, "birthday"),
    "dates": lambda v: dumps(parse_dates(v)),
    "interests": lambda v: dumps(validate.words(v)),
    "dislikes": lambda v: dumps(validate.words(v)),
    "sizes": lambda v: dumps(parse_sizes(v)),
    "address": lambda v: validate.text(v, "delivery address", max_length=500, multiline=True),
    "notes": lambda v: validate.text(v, "notes", multiline=True),
}
FIELDS = tuple(CLEANERS)


def get(store: Store, ref: str, client_id: int | None = None) -> Recipient:
    """A recipient by id or name, within one client's list when a client is given."""
    if client_id is not None:
        return queries.find_named(store, ref, client_id)
    return queries.find_named(store, ref, describe=_describe(store))


def by_id(store: Store, recipient_id: int) -> Recipient:
    """The recipient an item names: it is always there."""
    return queries.existing(store, recipient_id)


def _describe(store: Store) -> Callable[[dict], str]:
    def describe(row: dict) -> str:
        client = client_queries.by_id(store, row["client_id"])
        return f"{row['name']} (for {client['name'] if client else '?'})"

    return describe


def add(store: Store, client: Client, name: str, **fields: Any) -> Recipient:
    values = clean(CLEANERS, {"name": name, **fields})
    stamp = now()
    with store.write():
        duplicate = queries.named(store, client["id"], values["name"])
        if duplicate:
            raise Conflict(
                f"client #{client['id']} already has a recipient with this name "
                f"(#{duplicate['id']}); edit it or use another name"
            )
        recipient_id = store.insert(
            "recipients",
            {"client_id": client["id"], **values, "created_at": stamp, "updated_at": stamp},
        )
        events.log(
            store, "recipient.added", f"recipient {values['name']} added", client_id=client["id"]
        )
    return queries.existing(store, recipient_id)


def edit(store: Store, recipient: Recipient, **changes: Any) -> Recipient:
    values = clean(CLEANERS, changes, editing=True)
    if values.get("name", "") is None:
        values.pop("name")
    for key in ("interests", "dislikes", "sizes", "dates"):
        if key in values and values[key] is None:
            values[key] = "{}" if key in ("sizes", "dates") else "[]"
    if not values:
        return recipient
    with store.write():
        store.update("recipients", recipient["id"], {**values, "updated_at": now()})
        events.log(
            store,
            "recipient.edited",
            f"recipient edited: {', '.join(sorted(values))}",
            client_id=recipient["client_id"],
        )
    return queries.existing(store, recipient["id"])


def listing(store: Store, client_id: int | None = None) -> list[Recipient]:
    return queries.listing(store, client_id)


def iter_listing(store: Store, client_id: int | None = None) -> Iterator[Recipient]:
    """Like `listing`, read one at a time (for long output)."""
    return queries.iter_listing(store, client_id)


def removal_plan(store: Store, recipient: Recipient) -> list[tuple[str, int]]:
    """What removing this recipient would also remove."""
    return dependents(store, "recipients", recipient["id"])


def remove(store: Store, recipient: Recipient, *, force: bool = False) -> list[tuple[str, int]]:
    return remove_with_dependents(
        store, "recipients", recipient["id"], f"recipient #{recipient['id']}", force=force
    )


def public(row: Recipient, client_name: str | None = None) -> dict[str, Any]:
    return {
        "id": row["id"],
        "client_id": row["client_id"],
        "client": client_name if client_name is not None else row.get("client"),
        "name": row["name"],
        "relation": row.get("relation"),
        "birthday": row.get("birthday"),
        "dates": loads(row.get("dates"), {}),
        "interests": loads(row.get("interests"), []),
        "dislikes": loads(row.get("dislikes"), []),
        "sizes": loads(row.get("sizes"), {}),
        "address": row.get("address"),
        "notes": row.get("notes"),
    }
