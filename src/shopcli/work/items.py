"""Items: candidate products for a recipient in a job, from any store, and their status."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from sqlite3 import Row
from typing import TYPE_CHECKING, Any, cast

from shopcli.core import validate
from shopcli.core.dates import now
from shopcli.core.errors import Conflict, InvalidInput, NotFound
from shopcli.core.money import currency, parse_amount, to_text
from shopcli.storage import Store, events, remove_with_dependents
from shopcli.storage import items as queries
from shopcli.storage import jobs as job_queries
from shopcli.storage import pictures as picture_queries
from shopcli.storage import recipients as recipient_queries
from shopcli.storage.records import Cleaner, clean, item_ref
from shopcli.storage.rows import Item, Job, Recipient
from shopcli.work import lifecycle

if TYPE_CHECKING:
    from shopcli.work.pictures import Picture

PAYERS = ("client", "shopper")
# How goods the shopper pays for are billed: bought in the client's name and recharged at
# cost outside VAT (disbursement, the default), or bought in the shopper's name and sold on
# with VAT (resale). Only items paid by the shopper are billed at all.
BILLED_AS = ("disbursement", "resale")


def _payer(value: str) -> str:
    value = value.strip().lower()
    if value not in PAYERS:
        raise InvalidInput("paid by must be 'client' (the client pays the store) or 'shopper'")
    return value


def _billed_as(value: str) -> str:
    value = value.strip().lower()
    if value not in BILLED_AS:
        raise InvalidInput(
            "billed as must be 'disbursement' (bought in the client's name, recharged at cost "
            "outside VAT) or 'resale' (bought in your name, sold on with VAT)"
        )
    return value


CLEANERS: dict[str, Cleaner] = {
    "title": lambda v: validate.text(v, "item title", max_length=300),
    "store": lambda v: validate.text(v, "store", max_length=200),
    "url": validate.url,
    "price": lambda v: to_text(parse_amount(v, "price")),
    "currency": currency,
    "qty": validate.quantity,
    "size": lambda v: validate.text(v, "size", max_length=50),
    "colour": lambda v: validate.text(v, "colour", max_length=50),
    "notes": lambda v: validate.text(v, "notes", multiline=True),
    "paid_by": _payer,
    "billed_as": _billed_as,
    "shipping": lambda v: to_text(parse_amount(v, "shipping")),
    "customs": lambda v: to_text(parse_amount(v, "customs duty")),
    "return_by": lambda v: validate.date(v, "return deadline (--return-by)"),
    "image_url": validate.url,
    "page_title": lambda v: validate.text(v, "title on the product page", max_length=300),
}


def _refuse_resale_paid_by_client(paid_by: str | None, billed_as: str | None) -> None:
    """A resale is goods the shopper buys in their own name: the client cannot pay for it."""
    if billed_as == "resale" and paid_by != "shopper":
        raise InvalidInput(
            "an item billed as resale is one you buy and pay for yourself: give --paid-by "
            "shopper, or --billed-as disbursement"
        )


def get(store: Store, ref: str, job: Job | None = None) -> Item:
    """An item as `JOB/N` (its number in the job, the job named as anywhere: `Christmas
    2026/3`, `Anna/Christmas 2026/3`), by id or title, or within a job as `#N`."""
    ref = str(ref).strip()
    numbered = in_job(store, ref)
    if numbered is not None:
        owner, number_in_job = numbered
        if job is not None and owner["id"] != job["id"]:
            raise InvalidInput(f"item {ref} is in job #{owner['id']}, not in job #{job['id']}")
        return by_number(store, owner, number_in_job)
    number = ref[1:]
    if job is not None and ref.startswith("#") and number.isascii() and number.isdigit():
        if len(number) > 9:
            raise NotFound(f"job #{job['id']} has no item number {number}")
        return by_number(store, job, int(number))
    return queries.find_titled(
        store,
        ref,
        job["id"] if job else None,
        describe=lambda row: f"{row['title']} (job #{row['job_id']}, no. {row['number']})",
    )


def in_job(store: Store, ref: str) -> tuple[Job, int] | None:
    """The job and number of a `JOB/N` name, or None when `ref` is no such name (a title
    with a slash, "AC/DC 1", falls through to the title search when no job is named so)."""
    from shopcli.work import jobs

    head, slash, tail = ref.rpartition("/")
    tail = tail.strip()
    if not slash or not head.strip() or not (tail.isascii() and tail.isdigit()) or len(tail) > 9:
        return None
    try:
        owner = jobs.get(store, head.strip())
    except NotFound:  # an ambiguous job name is reported as such
        return None
    return owner, int(tail)


def by_number(store: Store, job: Job, number: int) -> Item:
    row = queries.by_number(store, job["id"], number)
    if not row:
        raise NotFound(f"job #{job['id']} has no item number {number}")
    return row


def add(
    db: Store,
    job: Job,
    title: str,
    *,
    recipient: Recipient | None = None,
    picture: Picture | None = None,
    **fields: Any,
) -> Item:
    """Add a candidate item; `picture`: a picture file made small (else `image_url`)."""
    values = clean(CLEANERS, {"title": title, **fields})
    if "price" not in values:
        raise InvalidInput("an item needs a price (--price)")
    values.setdefault("currency", job["currency"])
    _refuse_resale_paid_by_client(values.get("paid_by", "client"), values.get("billed_as"))
    if recipient is not None and recipient["client_id"] != job["client_id"]:
        raise InvalidInput(f"recipient #{recipient['id']} is not on this job's client's list")
    stamp = now()
    with db.write():
        number = queries.next_number(db, job["id"])
        item_id = db.insert(
            "items",
            {
                "job_id": job["id"],
                "number": number,
                "recipient_id": recipient["id"] if recipient else None,
                **values,
                "status": lifecycle.CANDIDATE,
                "status_on": stamp[:10],
                "created_at": stamp,
                "updated_at": stamp,
            },
        )
        if picture is not None:
            picture_queries.save(db, item_id, picture.row(stamp))
        events.log(
            db,
            "item.added",
            f"item {number} {values['title']} added",
            client_id=job["client_id"],
            job_id=job["id"],
            item_id=item_id,
        )
    return queries.existing(db, item_id)


def edit(
    db: Store,
    item: Item,
    *,
    recipient: Recipient | None = None,
    picture: Picture | None = None,
    **changes: Any,
) -> Item:
    """Change an item's details; a picture file replaces a picture link and the other way
    round (`image_url=""` removes either)."""
    values = clean(CLEANERS, changes, editing=True)
    clear_picture = "image_url" in values or picture is not None
    if picture is not None:
        values["image_url"] = None
    for required in ("title", "price", "currency", "qty", "paid_by", "billed_as"):
        if required in values and values[required] is None:
            values.pop(required)
    _refuse_resale_paid_by_client(
        values.get("paid_by", item.get("paid_by")), values.get("billed_as", item.get("billed_as"))
    )
    if recipient is not None:
        job = job_queries.existing(db, item["job_id"])
        if recipient["client_id"] != job["client_id"]:
            raise InvalidInput(f"recipient #{recipient['id']} is not on this job's client's list")
        values["recipient_id"] = recipient["id"]
    if not values and picture is None:
        return item
    if item["status"] in lifecycle.BOUGHT and {"price", "currency", "qty"} & set(values):
        raise Conflict(f"item {item_ref(item)} is already {item['status']}; its price is settled")
    reapprove = (
        _approved_changes(db, item, values, recipient)
        if item["status"] in (lifecycle.APPROVED, lifecycle.NEEDS_CLIENT)
        else []
    )
    stamp = now()
    with db.write():
        db.update("items", item["id"], {**values, "updated_at": stamp})
        if clear_picture:
            picture_queries.remove(db, item["id"])
        if picture is not None:
            picture_queries.save(db, item["id"], picture.row(stamp))
        job = job_queries.existing(db, item["job_id"])
        named = sorted({*values, *(["picture"] if picture is not None else [])})
        named = ["picture" if name == "image_url" else name for name in named]
        events.log(
            db,
            "item.edited",
            f"item {item['number']} edited: {', '.join(dict.fromkeys(named))}",
            client_id=job["client_id"],
            job_id=item["job_id"],
            item_id=item["id"],
        )
        if reapprove:
            _back_to_proposed(db, item, reapprove)
    return queries.existing(db, item["id"])


def _approved_changes(
    db: Store, item: Item, values: Mapping[str, Any], recipient: Recipient | None
) -> list[dict[str, Any]]:
    """The details the client approved (price, currency, quantity, recipient) that an edit
    really changes, as {field, old, new}."""
    found = []
    if "price" in values and Decimal(values["price"]) != Decimal(item["price"]):
        found.append({"field": "price", "old": item["price"], "new": values["price"]})
    for name in ("currency", "qty"):
        if name in values and values[name] != item[name]:
            found.append({"field": name, "old": item[name], "new": values[name]})
    if recipient is not None and recipient["id"] != item.get("recipient_id"):
        previous = item.get("recipient_id")
        before = recipient_queries.by_id(db, previous) if previous else None
        found.append(
            {
                "field": "recipient",
                "old": before["name"] if before else None,
                "new": recipient["name"],
            }
        )
    return found


def _back_to_proposed(db: Store, item: Item, changed: list[dict[str, Any]]) -> Item:
    """An approved item whose price, currency, quantity or recipient changed needs the
    client's approval again: it goes back to proposed (an approved one by way of
    needs_client, as the lifecycle has it), each step logged with the reason."""
    reason = "changed after approval: " + ", ".join(
        f"{change['field']} {_value(item, change, 'old')} → {_value(item, change, 'new')}"
        for change in changed
    )
    current = queries.by_id(db, item["id"]) or item
    detail = {"changed": changed}
    if current["status"] == lifecycle.APPROVED:
        current = set_status(db, current, lifecycle.NEEDS_CLIENT, note=reason, detail=detail)
    return set_status(
        db,
        current,
        lifecycle.PROPOSED,
        note=f"{reason}; needs the client's approval again",
        detail=detail,
    )


def _value(item: Item, change: dict[str, Any], side: str) -> str:
    """A changed detail as the shopper reads it: a price as money in the item's currency."""
    from shopcli.core.money import shown

    if change["field"] == "price" and change[side] is not None:
        return shown(change[side], item["currency"])
    return str(change[side])


def set_status(
    store: Store,
    item: Item,
    new: str,
    *,
    note: str | None = None,
    detail: dict[str, Any] | None = None,
    **fields: Any,
) -> Item:
    """Move an item to a new status (checked against the lifecycle), logging the change."""
    lifecycle.check(item["status"], new)
    with store.write():
        stamp = now()
        changes = {"status": new, **fields, "status_on": stamp[:10], "updated_at": stamp}
        store.update("items", item["id"], changes)
        job = job_queries.existing(store, item["job_id"])
        summary = (
            f"item {item['number']} {item['title']}: {lifecycle.label(item['status'])} → "
            f"{lifecycle.label(new)}" + (f" ({note})" if note else "")
        )
        events.log(
            store,
            f"item.{new}",
            summary,
            client_id=job["client_id"],
            job_id=item["job_id"],
            item_id=item["id"],
            detail={"from": item["status"], "to": new, "note": note, **(detail or {})},
        )
    return queries.existing(store, item["id"])


def listing(store: Store, **filters: Any) -> list[Item]:
    """Items with their job title and recipient name, in job and number order. `filters` as
    storage.items.iter_listing takes them: job_id, status (one or several), recipient_id,
    limit, offset."""
    return list(iter_listing(store, **filters))


def iter_listing(store: Store, **filters: Any) -> Iterator[Item]:
    """Like `listing`, read one at a time (for long output)."""
    return (cast(Item, dict(row)) for row in queries.iter_listing(store, **filters))


def listing_json(
    store: Store,
    *,
    job_id: int | None = None,
    status: str | None = None,
    recipient_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Iterator[list[str]]:
    """Like `iter_listing`, a few thousand at a time, each item as `public` has it, as
    compact JSON text: as SQLite writes it (storage.items.listing_json), or as json writes
    `public`'s dict where SQLite could not."""
    import json

    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
    for chunk in queries.listing_json(
        store,
        job_id=job_id,
        status=status,
        recipient_id=recipient_id,
        limit=limit,
        offset=offset,
    ):
        if set(map(type, chunk)) == {str}:
            yield cast("list[str]", chunk)
        else:
            yield [
                found if isinstance(found, str) else encode(public(cast(Item, found)))
                for found in chunk
            ]


def iter_brief(store: Store, **filters: Any) -> Iterator[Row]:
    """Only what a list of items shows (id, job_id, number, title, price, currency, qty,
    status, recipient, job), as `sqlite3.Row`s, one at a time: a long list is read faster."""
    return queries.iter_listing(store, brief=True, **filters)


def remove(store: Store, item: Item, *, force: bool = False) -> list[tuple[str, int]]:
    label = f"item {item_ref(item)}"
    if item["status"] in lifecycle.BOUGHT and not force:
        raise Conflict(f"{label} is {item['status']}; use --force to remove it")
    return remove_with_dependents(store, "items", item["id"], label, force=force)


def price_text(row: Mapping[str, Any]) -> str:
    """The unit price rounded to its currency, for people: 49.90 EUR."""
    from shopcli.core.money import shown

    return shown(row["price"], row["currency"])


def line_total(row: Mapping[str, Any]) -> Decimal:
    """Price times quantity, in the item's currency, exact."""
    return Decimal(row["price"]) * int(row["qty"])


def public(row: Item) -> dict[str, Any]:
    return {
        "id": row["id"],
        "job_id": row["job_id"],
        "job": row.get("job"),
        "number": row["number"],
        "recipient_id": row.get("recipient_id"),
        "recipient": row.get("recipient"),
        "title": row["title"],
        "store": row.get("store"),
        "url": row.get("url"),
        "price": row["price"],
        "currency": row["currency"],
        "qty": row["qty"],
        "total": to_text(line_total(row)),
        "size": row.get("size"),
        "colour": row.get("colour"),
        "notes": row.get("notes"),
        "paid_by": row["paid_by"],
        "billed_as": row.get("billed_as", "disbursement"),
        "shipping": row.get("shipping"),
        "customs": row.get("customs"),
        "return_by": row.get("return_by"),
        "image_url": row.get("image_url"),
        "status": row["status"],
    }


def listing_one(store: Store, item_id: int) -> Item:
    """One item with its job title and recipient name."""
    row = queries.one(store, item_id)
    if not row:
        raise NotFound(f"no item with id {item_id}")
    return row
