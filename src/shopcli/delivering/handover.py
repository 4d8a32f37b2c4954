"""Handover and wrapping: giving the goods to the client, and the gift labels for them.

`hand_over` marks the job's received items (and its delivered digital goods not yet given)
delivered, records the handover, and returns what the note needs; `--plan` only records
the day and place (the `ready` notification announces it). Labels and the packing list
name every bought item per recipient.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from shopcli.core import dates, validate
from shopcli.core.dates import now
from shopcli.core.errors import Conflict, InvalidInput, NotFound
from shopcli.delivering.notifications import shopper
from shopcli.people.clients import document_language
from shopcli.storage import Store, events
from shopcli.storage import clients as client_queries
from shopcli.storage import delivery as queries
from shopcli.storage.records import item_ref
from shopcli.storage.rows import Item, Job
from shopcli.work import items, lifecycle

METHODS = ("pickup", "courier", "post", "digital")
FORMATS = ("text", "html")
# What goes on a packing list: everything bought and not sent back.
PACKED = (lifecycle.ORDERED, lifecycle.SHIPPED, lifecycle.RECEIVED, lifecycle.DELIVERED)


def _method(value: str) -> str:
    value = value.strip().lower()
    if value not in METHODS:
        raise InvalidInput(f"handover method must be one of {', '.join(METHODS)}")
    return value


def plan(
    store: Store,
    job: Job,
    *,
    method: str,
    on: str,
    place: str | None = None,
    note: str | None = None,
) -> dict:
    """Record the day and place of a coming handover (nothing is marked delivered)."""
    method, day, place, note = _terms(method, on, place, note)
    with store.write():
        handover_id = store.insert(
            "handovers",
            {
                "job_id": job["id"],
                "state": "planned",
                "method": method,
                "handed_on": day,
                "place": place,
                "note": note,
                "created_at": now(),
            },
        )
        events.log(
            store,
            "handover.planned",
            f"handover planned: {method} on {day}" + (f" at {place}" if place else ""),
            client_id=job["client_id"],
            job_id=job["id"],
            detail={"handover": handover_id, "method": method, "on": day, "place": place},
        )
    return store.get("handovers", handover_id) or {}


def _terms(
    method: str, on: str, place: str | None, note: str | None
) -> tuple[str, str, str | None, str | None]:
    """A handover's method, day, place and note, checked."""
    return (
        _method(method),
        validate.date(on, "handover date"),
        validate.text(place, "place", max_length=500) if place is not None else None,
        validate.text(note, "note") if note is not None else None,
    )


def hand_over(
    store: Store,
    job: Job,
    *,
    method: str,
    on: str,
    place: str | None = None,
    note: str | None = None,
    item_refs: Sequence[str] = (),
) -> tuple[dict, list[Item]]:
    """Mark the job's received items delivered and record the handover.

    Returns the handover and the items handed over. Items with an unresolved problem from
    inspection are left out (named ones are refused).
    """
    method, day, place, note = _terms(method, on, place, note)
    received = queries.job_items(store, job["id"], (lifecycle.RECEIVED,))
    digital_ids = set(queries.digital_not_handed_over(store, job["id"]))
    digital = (
        queries.job_items(store, job["id"], item_ids=sorted(digital_ids)) if digital_ids else []
    )
    candidates = {row["id"]: row for row in [*received, *digital]}
    problems = {row["id"] for row in received if queries.open_problem(store, row["id"])}
    if item_refs:
        chosen = []
        for ref in item_refs:
            row = items.get(store, ref, job)
            if row["job_id"] != job["id"]:
                raise InvalidInput(f"item {ref!r} is not in job #{job['id']}")
            if row["id"] not in candidates:
                raise Conflict(
                    f"item {item_ref(row)} is {lifecycle.label(row['status'])}; only received "
                    "items (and "
                    "delivered digital goods) are handed over"
                )
            if row["id"] in problems:
                raise Conflict(
                    f"item {item_ref(row)} has an open problem from inspection; resolve it "
                    f"first (shop item resolve {row['id']})"
                )
            chosen.append(candidates[row["id"]])
    else:
        chosen = [row for row in candidates.values() if row["id"] not in problems]
    if not chosen:
        raise NotFound(
            f"nothing to hand over in job #{job['id']}: no received items"
            + (" without an open problem" if problems else "")
        )
    with store.write():
        handover_id = store.insert(
            "handovers",
            {
                "job_id": job["id"],
                "state": "done",
                "method": method,
                "handed_on": day,
                "place": place,
                "note": note,
                "created_at": now(),
            },
        )
        queries.add_handover_items(store, handover_id, [row["id"] for row in chosen])
        for row in chosen:
            if row["status"] == lifecycle.RECEIVED:
                items.set_status(
                    store,
                    row,
                    lifecycle.DELIVERED,
                    note=f"handed over ({method})",
                    detail={"handover": handover_id, "method": method, "on": day},
                    delivered_on=day,
                )
        events.log(
            store,
            "handover.done",
            f"handover ({method}) on {day}: items "
            + ", ".join(str(row["number"]) for row in chosen),
            client_id=job["client_id"],
            job_id=job["id"],
            detail={
                "handover": handover_id,
                "method": method,
                "on": day,
                "place": place,
                "items": [row["id"] for row in chosen],
            },
        )
    return store.get("handovers", handover_id) or {}, chosen


def _group(rows: Sequence[Item], digital: dict[int, dict], reveal: bool) -> list[dict[str, Any]]:
    from shopcli.delivering.delivery import mask_code, mask_link
    from shopcli.proposing.proposals import shown_order

    # One section per recipient (two of the same name stay apart), in the proposal's order.
    people: dict[int | None, dict[str, Any]] = {}
    for row in shown_order(rows):
        person = people.setdefault(
            row.get("recipient_id"), {"name": row.get("recipient"), "gifts": []}
        )
        code = digital.get(row["id"])
        person["gifts"].append(
            {
                "id": row["id"],
                "number": row["number"],
                "title": row["title"],
                "qty": int(row["qty"]),
                "size": row.get("size"),
                "colour": row.get("colour"),
                "store": row.get("store"),
                "status": row["status"],
                "price": Decimal(row["price"]),
                "currency": row["currency"],
                "code": None
                if code is None
                else (code["code"] if reveal else mask_code(code["code"])),
                "link": None
                if code is None
                else (code["link"] if reveal else mask_link(code["link"])),
            }
        )
    return list(people.values())


def note_context(
    store: Store, job: Job, handover: dict, rows: Sequence[Item], *, reveal: bool = False
) -> dict[str, Any]:
    client = client_queries.existing(store, job["client_id"])
    people = _group(rows, queries.job_digital(store, job["id"]), reveal)
    return {
        "shopper": shopper(),
        "client": {"name": client.get("name"), "address": client.get("address")},
        "job": {"id": job["id"], "title": job["title"]},
        "handover": {
            "method": handover["method"],
            "date": handover["handed_on"],
            "place": handover["place"],
            "note": handover["note"],
        },
        "recipients": people,
        "revealed": reveal,
        "codes_masked": not reveal and any(i["code"] for p in people for i in p["gifts"]),
    }


def hand_over_with_note(
    store: Store,
    job: Job,
    *,
    method: str,
    on: str,
    place: str | None = None,
    note: str | None = None,
    item_refs: Sequence[str] = (),
    reveal: bool = False,
    deliver: Callable[[str], Any] | None = None,
) -> tuple[dict, list[Item], str]:
    """Hand over, render the note and `deliver` it (write it) in one transaction: if the note
    cannot be made or written, nothing changes."""
    with store.write():
        done, handed = hand_over(
            store, job, method=method, on=on, place=place, note=note, item_refs=item_refs
        )
        text = render_note(store, job, done, handed, reveal=reveal)
        if deliver is not None:
            deliver(text)
    return done, handed, text


def render_note(
    store: Store, job: Job, handover: dict, rows: Sequence[Item], *, reveal: bool = False
) -> str:
    """The handover note (codes masked unless revealed), logged."""
    from shopcli.documents import render

    client = client_queries.existing(store, job["client_id"])
    language = document_language(client)
    text = render.render(
        "handover.txt", note_context(store, job, handover, rows, reveal=reveal), language=language
    )
    events.rendered(
        store,
        "document.handover",
        "handover note",
        "text",
        client_id=job["client_id"],
        job_id=job["id"],
        template="handover.txt",
        language=language,
        handover=handover["id"],
        codes_revealed=reveal,
    )
    return text


def labels(
    store: Store,
    job: Job,
    *,
    fmt: str = "text",
    sender: str | None = None,
    today: dt.date | None = None,
    deliver: Callable[[str], Any] | None = None,
) -> str:
    """Gift labels and a packing list per recipient, as text or printable HTML, logged;
    `deliver` (writing them) runs inside the transaction that logs them."""
    from shopcli.documents import render

    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise InvalidInput(f"labels format must be one of {', '.join(FORMATS)}")
    rows = queries.job_items(store, job["id"], PACKED)
    if not rows:
        raise NotFound(
            f"nothing to wrap in job #{job['id']}: no item is ordered, shipped, "
            "received or delivered yet"
        )
    client = client_queries.existing(store, job["client_id"])
    if sender is not None:
        sender = validate.text(sender, "sender", max_length=200)
    else:
        # The client's whole name: a name is never cut at a space (Hungarian and Chinese
        # names put the family name first); `shop labels --from "Anna"` signs them otherwise.
        sender = client.get("name") or ""
    language = document_language(client)
    recipients = _group(rows, {}, False)
    context = {
        "shopper": shopper(),
        "client": {"name": client.get("name")},
        "job": {"id": job["id"], "title": job["title"], "occasion": job.get("occasion")},
        "sender": sender,
        "recipients": recipients,
        "date": (today or dt.date.fromisoformat(dates.today())).isoformat(),
    }
    name = f"labels.{'txt' if fmt == 'text' else 'html'}"
    text = render.render(name, context, language=language)
    with store.write():
        events.rendered(
            store,
            "document.labels",
            "gift labels",
            fmt,
            client_id=job["client_id"],
            job_id=job["id"],
            template=name,
            language=language,
            recipients=[p["name"] for p in recipients],
        )
        if deliver is not None:
            deliver(text)
    return text
