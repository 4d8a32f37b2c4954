"""Delivery: checking, ordering, shipping, receiving and inspecting items; refunds; codes.

Every change goes through `items.set_status` (so the lifecycle is enforced and each step is
logged). Digital codes are stored in full but never written to the event log: events,
lists and exports get `mask_code`; only `code(..., reveal=True)` gives the full value.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from shopcli.core import validate
from shopcli.core.dates import now
from shopcli.core.errors import Conflict, InvalidInput, NotFound
from shopcli.core.money import currency as check_currency
from shopcli.core.money import parse_amount, shown, to_text
from shopcli.storage import Store, events
from shopcli.storage import delivery as queries
from shopcli.storage import items as item_queries
from shopcli.storage import jobs as job_queries
from shopcli.storage.records import item_ref
from shopcli.storage.rows import Item, Job
from shopcli.work import items, lifecycle
from shopcli.work.lifecycle import (
    APPROVED,
    CANCELLED,
    CANDIDATE,
    CHANGE_REQUESTED,
    DELIVERED,
    NEEDS_CLIENT,
    ORDERED,
    PROPOSED,
    RECEIVED,
    REFUNDED,
    RETURNED,
    SHIPPED,
)

# Statuses `shop item mark` sets; the decisions (approved, rejected...) belong to proposals.
MARKS = (ORDERED, SHIPPED, RECEIVED, DELIVERED, CANCELLED, RETURNED, REFUNDED)
# Where order and shipment details (carrier, tracking, order number) may be recorded.
SHIPPING_DETAILS = (ORDERED, SHIPPED, RECEIVED, DELIVERED, RETURNED)
# An expected delivery date only makes sense while the item is on its way.
ETA_STATUSES = (ORDERED, SHIPPED)
# Checks against the store page are made before buying.
CHECKABLE = (CANDIDATE, PROPOSED, CHANGE_REQUESTED, APPROVED, NEEDS_CLIENT)
RESULTS = ("ok", "damaged", "wrong", "missing")
PROBLEMS = ("damaged", "wrong", "missing")
RESOLUTIONS = ("accepted", "exchange", "return")
# Days a store has to pay a refund when none is given (the EU 14-day rule for withdrawals).
REFUND_DAYS = 14


# -- masking ------------------------------------------------------------------------------


def mask_code(code: str | None) -> str | None:
    """A code with all but its last few letters and digits starred: ****-****-AB12.

    Separators stay, so the shape is recognisable; codes of 12 or more letters and digits
    keep 4, shorter ones keep 2, and codes of fewer than 6 are starred completely.
    """
    if code is None:
        return None
    alnum = sum(ch.isalnum() for ch in code)
    keep = 4 if alnum >= 12 else 2 if alnum >= 6 else 0
    out, seen = [], 0
    for ch in code:
        if ch.isalnum():
            seen += 1
            out.append(ch if seen > alnum - keep else "*")
        else:
            out.append(ch)
    return "".join(out)


def mask_link(link: str | None) -> str | None:
    """A download link with its path and query hidden (they often hold the secret token)."""
    if link is None:
        return None
    match = re.match(r"(https?://[^/?#]+)(.*)", link, re.IGNORECASE)
    if not match:
        return mask_code(link)
    return match.group(1) + ("/…" if match.group(2) not in ("", "/") else match.group(2))


# -- cleaning -----------------------------------------------------------------------------


def _text(value: str | None, what: str, max_length: int = 200) -> str | None:
    return None if value is None else validate.text(value, what, max_length=max_length)


def _date(value: str | dt.date | None, what: str) -> str | None:
    if value is None or isinstance(value, dt.date):
        return value.isoformat() if value else None
    return validate.date(value, what)


def _job(store: Store, item: Item) -> Job:
    return job_queries.existing(store, item["job_id"])


def _label(item: Item) -> str:
    """How the event log names an item (an error names it by `item_ref`, never its title)."""
    return f"item {item['number']} {item['title']}"


@dataclass
class Refund:
    amount: Decimal
    currency: str
    expected_by: str


def default_refund(item: Item, reason: str) -> Decimal:
    """What the store should pay back: the goods, and the shipping when it cancelled."""
    amount = Decimal(item["price"]) * int(item["qty"])
    shipping = item.get("shipping")
    if reason == CANCELLED and shipping:
        amount += Decimal(shipping)
    return amount


def _refund(
    item: Item,
    reason: str,
    since: dt.date,
    amount: str | None,
    currency: str | None,
    by: str | None,
) -> Refund:
    """The refund to expect: the amount given or the default, by the day given or 14 days
    after `since` (the day the order was cancelled or the item sent back)."""
    code = check_currency(currency) if currency else item["currency"]
    if amount is None and code != item["currency"]:
        raise InvalidInput(
            f"the item is priced in {item['currency']}: give the refund amount in {code} "
            "with --refund"
        )
    value = parse_amount(amount, "refund") if amount is not None else default_refund(item, reason)
    expected = _date(by, "refund date") or (since + dt.timedelta(days=REFUND_DAYS)).isoformat()
    return Refund(value, code, expected)


# -- marking ------------------------------------------------------------------------------


def mark(
    store: Store,
    item: Item,
    status: str,
    *,
    today: dt.date,
    on: str | None = None,
    carrier: str | None = None,
    tracking: str | None = None,
    eta: str | None = None,
    order_no: str | None = None,
    note: str | None = None,
    code: str | None = None,
    link: str | None = None,
    refund: str | None = None,
    refund_currency: str | None = None,
    refund_by: str | None = None,
) -> Item:
    """Move an item to ordered, shipped, received, delivered, cancelled, returned or refunded."""
    status = status.strip().lower()
    if status not in MARKS:
        raise InvalidInput(
            f"cannot mark an item {status!r}: use one of {', '.join(MARKS)} "
            "(approvals are recorded with `shop approve`)"
        )
    day = _date(on, "date") or today.isoformat()
    shipping = {
        "carrier": _text(carrier, "carrier", 100),
        "tracking": _text(tracking, "tracking number", 100),
        "order_no": _text(order_no, "order number", 100),
    }
    shipping = {key: value for key, value in shipping.items() if value is not None}
    note = _text(note, "note", 2000)
    eta_day = _date(eta, "expected delivery date (--eta)")
    if shipping and status not in SHIPPING_DETAILS:
        given = ", ".join("--" + key.replace("_", "-") for key in shipping)
        raise InvalidInput(f"{given} cannot be recorded when marking an item {status}")
    if eta_day and status not in ETA_STATUSES:
        raise InvalidInput(
            f"--eta is for items on their way ({', '.join(ETA_STATUSES)}), not {status}"
        )
    if (code is not None or link is not None) and status != DELIVERED:
        raise InvalidInput("--code and --link are recorded when marking an item delivered")
    if status not in (CANCELLED, RETURNED, REFUNDED) and (refund or refund_currency or refund_by):
        raise InvalidInput(
            "--refund, --refund-currency and --refund-by are for cancelled, "
            "returned or refunded items"
        )
    if status == REFUNDED and refund_by:
        raise InvalidInput(
            "--refund-by is the date a refund is expected; a refunded item "
            "records the day it came (--on)"
        )
    code = _text(code, "code", 500)
    link = validate.url(link) if link is not None else None
    lifecycle.check(item["status"], status)
    problem = queries.open_problem(store, item["id"])
    if problem and status == DELIVERED:
        raise Conflict(
            f"item {item_ref(item)} has an open problem from inspection ({problem['result']}); "
            f"resolve it first with `shop item resolve {item['id']} "
            "--accepted|--exchange|--return`"
        )

    fields: dict[str, Any] = dict(shipping)
    if eta_day:
        fields["eta"] = eta_day
    if status == DELIVERED:
        fields["delivered_on"] = day
    detail: dict[str, Any] = {**shipping, "on": day}
    if eta_day:
        detail["eta"] = eta_day
    if code is not None or link is not None:
        detail["code"] = mask_code(code)
        detail["link"] = mask_link(link)
    if problem and status in (RETURNED, REFUNDED):
        # The item went back: that settles the problem found on receipt.
        detail["problem_closed"] = problem["result"]

    stamp = now()
    with store.write():
        if status in (CANCELLED, RETURNED):
            paid = item["status"] in lifecycle.BOUGHT
            if paid or refund is not None:
                expected = _refund(
                    item, status, dt.date.fromisoformat(day), refund, refund_currency, refund_by
                )
                store.insert(
                    "refunds",
                    {
                        "item_id": item["id"],
                        "reason": status,
                        "amount": to_text(expected.amount),
                        "currency": expected.currency,
                        "expected_by": expected.expected_by,
                        "note": note,
                        "created_at": stamp,
                    },
                )
                detail["refund"] = {
                    "amount": to_text(expected.amount),
                    "currency": expected.currency,
                    "expected_by": expected.expected_by,
                }
        elif status == REFUNDED:
            detail["refund"] = _record_refund(
                store, item, day, refund, refund_currency, note, stamp
            )
        if code is not None or link is not None:
            queries.save_digital(store, item["id"], code, link, day, stamp)
        if problem and status in (RETURNED, REFUNDED):
            store.update(
                "inspections",
                problem["id"],
                {"resolution": "return", "resolved_on": day, "resolution_note": note},
            )
        updated = items.set_status(store, item, status, note=note, detail=detail, **fields)
    return updated


def _record_refund(
    store: Store,
    item: Item,
    day: str,
    amount: str | None,
    currency: str | None,
    note: str | None,
    stamp: str,
) -> dict:
    pending = queries.pending_refund(store, item["id"])
    if pending is None:
        reason = item["status"] if item["status"] in (CANCELLED, RETURNED) else CANCELLED
        expected = _refund(item, reason, dt.date.fromisoformat(day), amount, currency, day)
        refund_id = store.insert(
            "refunds",
            {
                "item_id": item["id"],
                "reason": reason,
                "amount": to_text(expected.amount),
                "currency": expected.currency,
                "expected_by": day,
                "note": note,
                "created_at": stamp,
            },
        )
        pending = store.get("refunds", refund_id) or {}
    if currency and check_currency(currency) != pending["currency"]:
        raise InvalidInput(
            f"the refund was expected in {pending['currency']}, not {check_currency(currency)}"
        )
    received = parse_amount(amount, "refund") if amount is not None else Decimal(pending["amount"])
    store.update(
        "refunds", pending["id"], {"received_on": day, "received_amount": to_text(received)}
    )
    return {
        "amount": to_text(received),
        "currency": pending["currency"],
        "expected": pending["amount"],
        "received_on": day,
    }


def delay(store: Store, item: Item, *, eta: str, reason: str | None = None) -> Item:
    """Record that an item on its way will come later than expected, and why."""
    if item["status"] not in ETA_STATUSES:
        raise Conflict(
            f"item {item_ref(item)} is {lifecycle.label(item['status'])}; only ordered or "
            "shipped items can be delayed"
        )
    new_eta = validate.date(eta, "new expected date (--eta)")
    reason = _text(reason, "reason", 2000)
    job = _job(store, item)
    with store.write():
        store.update(
            "items", item["id"], {"eta": new_eta, "delay_reason": reason, "updated_at": now()}
        )
        events.log(
            store,
            "item.delayed",
            f"{_label(item)} delayed to {new_eta}" + (f" ({reason})" if reason else ""),
            client_id=job["client_id"],
            job_id=item["job_id"],
            item_id=item["id"],
            detail={"from": item.get("eta"), "to": new_eta, "reason": reason},
        )
    return item_queries.existing(store, item["id"])


# -- checking before buying ---------------------------------------------------------------


@dataclass
class CheckOutcome:
    item: Item
    matched: bool
    old_price: str
    new_price: str | None
    unavailable: bool
    over_budget: bool
    statuses: list[str]
    old_currency: str = ""
    new_currency: str | None = None
    findings: list[str] = field(default_factory=list)


def check(
    store: Store,
    item: Item,
    *,
    today: dt.date,
    on: str | None = None,
    price: str | None = None,
    currency: str | None = None,
    unavailable: bool = False,
    note: str | None = None,
    page_title: str | None = None,
    source: str = "manual",
) -> CheckOutcome:
    """Record a check of the store page before buying.

    No findings: everything matched. A new price (or the price in another currency),
    unavailability or a note is a mismatch: the new price is recorded on the item, and an
    approved item goes to `needs_client`; when the new price puts the recipient over budget
    it goes on to `proposed`, i.e. it needs the client's approval again (`shop approve`
    brings either back to approved). Items not yet approved keep their status: the next
    proposal shows the new price. `source` "page": the findings were read from the page
    (`check_page`), whose product name is then kept as `page_title`.
    """
    if item["status"] not in CHECKABLE:
        raise Conflict(
            f"item {item_ref(item)} is already {lifecycle.label(item['status'])}; the store "
            "page is checked before buying"
        )
    found = _found(
        item,
        today=today,
        on=on,
        price=price,
        currency=currency,
        unavailable=unavailable,
        note=note,
        source=source,
    )
    job = _job(store, item)
    stamp = now()
    findings = found.findings()
    with store.write():
        over = _record_on_item(store, item, job, found, page_title, stamp)
        detail = _record_check(store, item, job, found, findings, page_title, over, stamp)
        current, statuses = _status_after_check(store, item, found, findings, over, detail)
    return CheckOutcome(
        current,
        found.matched,
        to_text(found.old),
        to_text(found.new) if found.new is not None else None,
        found.unavailable,
        over,
        statuses,
        found.old_currency,
        found.new_currency,
        findings,
    )


@dataclass(frozen=True)
class _Found:
    """What a check found, as given and cleaned: the item's price before it, the new price
    (None: the same) in `code` (the item's currency unless it changed)."""

    day: str
    old: Decimal
    old_currency: str
    new: Decimal | None
    code: str
    unavailable: bool
    note: str | None
    source: str

    @property
    def new_currency(self) -> str | None:
        return self.code if self.code != self.old_currency else None

    @property
    def matched(self) -> bool:
        return self.new is None and not self.unavailable and self.note is None

    def findings(self) -> list[str]:
        """The mismatches in words, for the event log and the item's status note."""
        found = []
        if self.new is not None:
            found.append(
                f"price {shown(self.old, self.old_currency)} → {shown(self.new, self.code)}"
            )
        if self.unavailable:
            found.append("not available")
        if self.note:
            found.append(self.note)
        return found


def _found(
    item: Item,
    *,
    today: dt.date,
    on: str | None,
    price: str | None,
    currency: str | None,
    unavailable: bool,
    note: str | None,
    source: str,
) -> _Found:
    """A check's findings as `check` is given them, checked; a price equal to the old one
    (in the same currency) is no new price."""
    if source not in ("manual", "page"):
        raise InvalidInput(f"unknown check source {source!r}")
    day = _date(on, "date") or today.isoformat()
    note = _text(note, "note", 2000)
    old = Decimal(item["price"])
    old_currency = item["currency"]
    code = check_currency(currency) if currency else old_currency
    if code != old_currency and price is None:
        raise InvalidInput(
            f"the price is now in {code}: give it with --price (the item was priced in "
            f"{old_currency})"
        )
    new = parse_amount(price, "new price") if price is not None else None
    if new is not None and new == old and code == old_currency:
        new = None
    return _Found(day, old, old_currency, new, code, unavailable, note, source)


def _record_on_item(
    store: Store, item: Item, job: Job, found: _Found, page_title: str | None, stamp: str
) -> bool:
    """The new price and the page's product name kept on the item; whether a higher price
    (or one in another currency) puts its recipient over budget."""
    over = False
    new = found.new
    changes: dict[str, Any] = {}
    if new is not None:
        changes.update({"price": to_text(new), "currency": found.code})
    if page_title is not None:
        changes["page_title"] = _text(page_title, "title on the page", 300)
    if changes:
        store.update("items", item["id"], {**changes, "updated_at": stamp})
        if new is not None and (new > found.old or found.new_currency):
            over = _over_budget(store, job, item)
    return over


def _record_check(
    store: Store,
    item: Item,
    job: Job,
    found: _Found,
    findings: list[str],
    page_title: str | None,
    over: bool,
    stamp: str,
) -> dict[str, Any]:
    """The check kept in the item's checks and the event log; the event's detail."""
    new = found.new
    store.insert(
        "item_checks",
        {
            "item_id": item["id"],
            "checked_on": found.day,
            "matched": int(found.matched),
            "old_price": to_text(found.old),
            "new_price": to_text(new) if new is not None else None,
            "currency": found.old_currency,
            "new_currency": found.new_currency,
            "unavailable": int(found.unavailable),
            "over_budget": int(over),
            "note": found.note,
            "page_title": page_title,
            "source": found.source,
            "created_at": stamp,
        },
    )
    how = "read from the page" if found.source == "page" else "checked"
    summary = f"{_label(item)} {how}: " + (
        "everything matched" if found.matched else "; ".join(findings)
    )
    detail = {
        "matched": found.matched,
        "on": found.day,
        "old_price": to_text(found.old),
        "new_price": to_text(new) if new is not None else None,
        "currency": found.old_currency,
        "new_currency": found.new_currency,
        "unavailable": found.unavailable,
        "over_budget": over,
        "note": found.note,
        "source": found.source,
    }
    events.log(
        store,
        "item.checked",
        summary,
        client_id=job["client_id"],
        job_id=item["job_id"],
        item_id=item["id"],
        detail=detail,
    )
    return detail


def _status_after_check(
    store: Store,
    item: Item,
    found: _Found,
    findings: list[str],
    over: bool,
    detail: dict[str, Any],
) -> tuple[Item, list[str]]:
    """The item as it is after the check, and the statuses it went to: an approved item
    with a mismatch needs the client, and their approval again when over budget."""
    statuses: list[str] = []
    current = item_queries.by_id(store, item["id"]) or item
    if not found.matched and current["status"] == APPROVED:
        current = items.set_status(
            store, current, NEEDS_CLIENT, note="; ".join(findings), detail={"check": detail}
        )
        statuses.append(NEEDS_CLIENT)
    if over and current["status"] == NEEDS_CLIENT:
        current = items.set_status(
            store,
            current,
            PROPOSED,
            note="over budget: needs approval again",
            detail={"over_budget": True},
        )
        statuses.append(PROPOSED)
    return current, statuses


def check_page(
    store: Store,
    item: Item,
    page: Any,
    *,
    today: dt.date,
    on: str | None = None,
    note: str | None = None,
) -> CheckOutcome:
    """Check an item against what its product page says now (a `ProductPage`), recorded
    exactly as a check by hand with the same findings: the price and its currency, whether
    it can be bought (schema.org availability), and whether the product's name changed
    since the page was last read. A page that leaves the price unknown is not guessed at."""
    from shopcli.work.product_pages import describe_availability

    label = f"item {item_ref(item)}"
    price, code = page.value("price"), page.value("currency")
    if price is None:
        raise InvalidInput(
            f"{label}: the page shows no price now; check it by hand "
            f"(shop item check {item['id']} --price ... or --unavailable)"
        )
    if code is None:
        raise InvalidInput(
            f"{label}: the page gives a price without a currency; check it by hand "
            f"(shop item check {item['id']} --price ... --currency ...)"
        )
    findings = [note] if note else []
    title_now = page.value("title")
    before = item.get("page_title")
    if title_now and before and _folded(title_now) != _folded(before):
        findings.append(f"name on the page changed: {before} → {title_now}")
    availability = page.value("availability")
    if page.unavailable:
        findings_unavailable = True
        if availability and availability != "OutOfStock":
            findings.append(f"the page says {describe_availability(availability)}")
    else:
        findings_unavailable = False
    return check(
        store,
        item,
        today=today,
        on=on,
        price=str(price),
        currency=code,
        unavailable=findings_unavailable,
        note="; ".join(findings) or None,
        page_title=title_now,
        source="page",
    )


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class PageCheck:
    """One item of `check_pages`: its outcome, or why it could not be checked."""

    item: Item
    outcome: CheckOutcome | None = None
    problem: str | None = None


def check_pages(
    store: Store,
    job: Job,
    *,
    today: dt.date,
    read: Any,
    on: str | None = None,
    progress: Any = None,
) -> list[PageCheck]:
    """Check every approved item of a job against its page (`read(url)` gives a
    ProductPage). Each item is its own check and transaction; an item whose page cannot be
    read is reported, not guessed at, and the others go on. `progress(done, total, item)`
    is told before each item."""
    from shopcli.core.errors import ShopError

    rows = items.listing(store, job_id=job["id"], status=APPROVED)
    results: list[PageCheck] = []
    for index, row in enumerate(rows):
        if progress is not None:
            progress(index, len(rows), row)
        if not row.get("url"):
            results.append(PageCheck(row, problem="no link to check"))
            continue
        try:
            page = read(row["url"])
            results.append(PageCheck(row, check_page(store, row, page, today=today, on=on)))
        except ShopError as exc:
            results.append(PageCheck(row, problem=str(exc)))
    if progress is not None:
        progress(len(rows), len(rows), None)
    return results


def _over_budget(store: Store, job: Job, item: Item) -> bool:
    """Whether the item's recipient is over budget with the prices as they stand now."""
    if item.get("recipient_id") is None:
        return False
    from shopcli.work import budgets

    report = budgets.report(store, job)
    for line in report.lines:
        if line.recipient_id == item["recipient_id"]:
            return line.over
    return False


# -- receiving and inspecting -------------------------------------------------------------


def receive(
    store: Store,
    item: Item,
    result: str,
    *,
    today: dt.date,
    on: str | None = None,
    note: str | None = None,
) -> Item:
    """Record that an item arrived and how it was found: ok, damaged, wrong or missing."""
    if result not in RESULTS:
        raise InvalidInput(f"inspection result must be one of {', '.join(RESULTS)}")
    day = _date(on, "date") or today.isoformat()
    note = _text(note, "note", 2000)
    if item["status"] == RECEIVED:
        problem = queries.open_problem(store, item["id"])
        if problem:
            raise Conflict(
                f"item {item_ref(item)} already has an open problem ({problem['result']}); "
                f"resolve it first with `shop item resolve {item['id']} "
                "--accepted|--exchange|--return`"
            )
    elif item["status"] not in (ORDERED, SHIPPED):
        lifecycle.check(item["status"], RECEIVED)
    job = _job(store, item)
    stamp = now()
    with store.write():
        store.insert(
            "inspections",
            {
                "item_id": item["id"],
                "result": result,
                "note": note,
                "inspected_on": day,
                "created_at": stamp,
            },
        )
        if item["status"] != RECEIVED:
            item = items.set_status(
                store, item, RECEIVED, note=note, detail={"inspection": result, "on": day}
            )
        events.log(
            store,
            "item.inspected",
            f"{_label(item)} inspected: {result}" + (f" ({note})" if note else ""),
            client_id=job["client_id"],
            job_id=item["job_id"],
            item_id=item["id"],
            detail={"result": result, "note": note, "on": day},
        )
    return item_queries.existing(store, item["id"])


def resolve(
    store: Store,
    item: Item,
    how: str,
    *,
    today: dt.date,
    on: str | None = None,
    note: str | None = None,
    refund: str | None = None,
    refund_currency: str | None = None,
    refund_by: str | None = None,
) -> Item:
    """Close an inspection problem: accepted as is, exchanged (a replacement is ordered),
    or returned (a refund is then expected)."""
    if how not in RESOLUTIONS:
        raise InvalidInput(f"resolve with one of {', '.join(RESOLUTIONS)}")
    problem = queries.open_problem(store, item["id"])
    if problem is None:
        raise NotFound(f"item {item_ref(item)} has no open inspection problem to resolve")
    if how != "return" and (refund or refund_currency or refund_by):
        raise InvalidInput("--refund, --refund-currency and --refund-by go with --return")
    day = _date(on, "date") or today.isoformat()
    note = _text(note, "note", 2000)
    job = _job(store, item)
    with store.write():
        store.update(
            "inspections",
            problem["id"],
            {"resolution": how, "resolved_on": day, "resolution_note": note},
        )
        events.log(
            store,
            "item.resolved",
            f"{_label(item)}: {problem['result']} resolved by "
            f"{how}" + (f" ({note})" if note else ""),
            client_id=job["client_id"],
            job_id=item["job_id"],
            item_id=item["id"],
            detail={"problem": problem["result"], "resolution": how, "note": note, "on": day},
        )
        if how == "exchange":
            # A replacement is on its way: the old shipment details no longer apply.
            item = items.set_status(
                store,
                item,
                ORDERED,
                note="exchange: replacement ordered",
                detail={"exchange": True},
                carrier=None,
                tracking=None,
                eta=None,
                delay_reason=None,
            )
        elif how == "return":
            item = mark(
                store,
                item,
                RETURNED,
                today=today,
                on=day,
                note=note,
                refund=refund,
                refund_currency=refund_currency,
                refund_by=refund_by,
            )
    return item_queries.existing(store, item["id"])


# -- digital goods ------------------------------------------------------------------------


def code(store: Store, item: Item, *, reveal: bool = False) -> dict:
    """An item's code and link: masked, or in full with reveal (which is logged)."""
    row = queries.digital(store, item["id"])
    if row is None:
        raise NotFound(
            f"item {item_ref(item)} has no code or link (mark it delivered with --code or --link)"
        )
    if reveal:
        job = _job(store, item)
        with store.write():
            events.log(
                store,
                "item.code_revealed",
                f"{_label(item)}: code shown in full",
                client_id=job["client_id"],
                job_id=item["job_id"],
                item_id=item["id"],
            )
    return {
        "item_id": item["id"],
        "title": item["title"],
        "code": row["code"] if reveal else mask_code(row["code"]),
        "link": row["link"] if reveal else mask_link(row["link"]),
        "delivered_on": row["delivered_on"],
        "revealed": reveal,
    }


# -- history ------------------------------------------------------------------------------


def details(store: Store, item: Item) -> dict:
    """The item's delivery record as it stands (codes masked), with stable keys."""
    check_row = queries.latest_check(store, item["id"])
    inspection = queries.latest_inspection(store, item["id"])
    refund = queries.latest_refund(store, item["id"])
    digital = queries.digital(store, item["id"])
    return {
        "status": item["status"],
        "carrier": item.get("carrier"),
        "tracking": item.get("tracking"),
        "eta": item.get("eta"),
        "order_no": item.get("order_no"),
        "delay_reason": item.get("delay_reason"),
        "delivered_on": item.get("delivered_on"),
        "check": None
        if check_row is None
        else {
            "on": check_row["checked_on"],
            "matched": bool(check_row["matched"]),
            "old_price": check_row["old_price"],
            "new_price": check_row["new_price"],
            "unavailable": bool(check_row["unavailable"]),
            "over_budget": bool(check_row["over_budget"]),
            "note": check_row["note"],
        },
        "inspection": None
        if inspection is None
        else {
            "on": inspection["inspected_on"],
            "result": inspection["result"],
            "note": inspection["note"],
            "resolution": inspection["resolution"],
            "resolved_on": inspection["resolved_on"],
        },
        "refund": None
        if refund is None
        else {
            "reason": refund["reason"],
            "amount": refund["amount"],
            "currency": refund["currency"],
            "expected_by": refund["expected_by"],
            "received_on": refund["received_on"],
            "received_amount": refund["received_amount"],
        },
        "code": mask_code(digital["code"]) if digital else None,
        "link": mask_link(digital["link"]) if digital else None,
    }


def history(store: Store, item: Item) -> list[dict]:
    """Every logged change of the item, oldest first, with stable keys."""
    return [
        {"at": row["at"], "kind": row["kind"], "summary": row["summary"], "detail": row["detail"]}
        for row in events.timeline(store, item_id=item["id"])
    ]
