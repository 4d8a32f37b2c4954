"""Clients: the people who commission the shopping and pay the fee."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from shopcli.core import validate
from shopcli.core.dates import now
from shopcli.core.errors import Conflict, InvalidInput
from shopcli.storage import Store, dependents, events, remove_with_dependents
from shopcli.storage import clients as queries
from shopcli.storage.records import Cleaner, clean
from shopcli.storage.rows import Client

FIELDS = (
    "name",
    "salutation",
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


CLEANERS: dict[str, Cleaner] = {
    "name": lambda v: validate.text(v, "client name", max_length=200),
    # How documents greet them, as the shopper would say it: "Pani Katarzyno", "Олено".
    "salutation": lambda v: validate.text(v, "salutation", max_length=100),
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


def get(store: Store, ref: str) -> Client:
    """A client by id, name or unambiguous prefix."""
    return queries.named(store, ref)


def by_id(store: Store, client_id: int) -> Client:
    """The client a record refers to (a job's, an invoice's): it is always there."""
    return queries.existing(store, client_id)


def add(store: Store, name: str, **fields: Any) -> Client:
    values = clean(CLEANERS, {"name": name, **fields})
    stamp = now()
    with store.write():
        client_id = store.insert("clients", {**values, "created_at": stamp, "updated_at": stamp})
        events.log(store, "client.added", f"client {values['name']} added", client_id=client_id)
    return queries.existing(store, client_id)


def edit(store: Store, client: Client, **changes: Any) -> Client:
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
    return queries.existing(store, client["id"])


def listing(store: Store, *, limit: int | None = None, offset: int = 0) -> list[Client]:
    return queries.listing(store, limit, offset)


def iter_listing(store: Store, *, limit: int | None = None, offset: int = 0) -> Iterator[Client]:
    """Like `listing`, read one at a time (for long output)."""
    return queries.iter_listing(store, limit, offset)


def count(store: Store) -> int:
    return queries.count(store)


def removal_plan(store: Store, client: Client) -> list[tuple[str, int]]:
    """What removing this client would also remove; refused outright if it has invoices."""
    from shopcli.storage.invoices import refuse_removal

    refuse_removal(store, client=client)
    return dependents(store, "clients", client["id"])


def remove(store: Store, client: Client, *, force: bool = False) -> list[tuple[str, int]]:
    """Remove a client; refuse if records depend on it unless forced. Returns what went."""
    from shopcli.storage.invoices import refuse_removal

    refuse_removal(store, client=client)
    return remove_with_dependents(
        store, "clients", client["id"], f"client #{client['id']}", force=force
    )


def document_language(client: Mapping[str, Any]) -> str:
    """The language documents for this client are written in: theirs, else the shopper's."""
    from shopcli.people import profile

    return str(client.get("language") or profile.load().get("language") or "en")


def public(row: Client) -> dict[str, Any]:
    """The stable JSON shape of a client."""
    return {key: row.get(key) for key in ("id", *FIELDS, "created_at", "updated_at")}


# -- references and recommendations ---------------------------------------------------------

CONSENTS = ("yes", "no")


def consent(value: str) -> str:
    value = value.strip().lower()
    if value not in CONSENTS:
        raise InvalidInput("--reference takes yes (the client agrees to be a reference) or no")
    return value


def set_reference(
    store: Store, client: Client, *, agrees: str | None = None, note: str | None = None, on: str
) -> Client:
    """Record a client's consent to be a reference (yes or no, with the day it was given or
    withdrawn) and what they are happy to talk about; withdrawing consent clears the note.

    A note needs consent: given now or before. An empty note clears it."""
    day = validate.date(on, "consent date")
    changes: dict[str, Any] = {}
    if agrees is not None:
        agrees = consent(agrees)
        if agrees != client.get("reference"):  # consent given again keeps its first day
            changes["reference"] = agrees
            changes["reference_on"] = day
    effective = agrees or client.get("reference")
    if note is not None and note.strip():
        if agrees == "no":
            raise InvalidInput("a reference note needs the client's consent (--reference yes)")
        if effective != "yes":
            raise Conflict(
                f"client #{client['id']} has not agreed to be a reference; record that first "
                "with --reference yes"
            )
        changes["reference_note"] = validate.text(note, "reference note", max_length=500)
    elif note is not None or agrees == "no":
        changes["reference_note"] = None
    if not changes:
        return client
    with store.write():
        store.update("clients", client["id"], {**changes, "updated_at": now()})
        what = {
            "yes": "agreed to be a reference",
            "no": "withdrew consent to be a reference",
        }.get(changes.get("reference") or "", "reference note changed")
        events.log(
            store,
            "client.reference",
            f"client {what}",
            client_id=client["id"],
            detail={"consent": changes.get("reference"), "on": day},
        )
    return queries.existing(store, client["id"])


def recommend(store: Store, client: Client, text: str | None, *, on: str) -> Client:
    """Keep the client's recommendation of the service (None or empty: clear it)."""
    day = validate.date(on, "recommendation date")
    cleaned = (
        validate.text(text, "recommendation", max_length=2000, multiline=True)
        if text and text.strip()
        else None
    )
    with store.write():
        store.update(
            "clients",
            client["id"],
            {
                "recommendation": cleaned,
                "recommendation_on": day if cleaned else None,
                "updated_at": now(),
            },
        )
        events.log(
            store,
            "client.recommendation",
            "client's recommendation " + ("recorded" if cleaned else "cleared"),
            client_id=client["id"],
            detail={"on": day},
        )
    return queries.existing(store, client["id"])


def references(store: Store) -> list[Client]:
    """Clients who agreed to be a reference, by name (with their job count)."""
    return queries.references(store)


def reference_of(row: Client) -> dict[str, Any] | None:
    """A client's consent as shown in JSON: None if never asked."""
    if not row.get("reference"):
        return None
    return {
        "consent": row["reference"],
        "on": row.get("reference_on"),
        "note": row.get("reference_note"),
    }


def recommendation_of(row: Client) -> dict[str, Any] | None:
    if not row.get("recommendation"):
        return None
    return {"text": row["recommendation"], "on": row.get("recommendation_on")}
