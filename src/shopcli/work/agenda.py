"""The agenda: everything that needs doing across all jobs, most urgent first.

Each entry has a section, the day it is due (or was), and the records it concerns. What is
due today or overdue comes first, ordered by how much is at stake (a problem on receipt
before a late parcel before a refund...); then what is coming, soonest first. The day is
always passed in, so the same records give the same agenda.
"""

from __future__ import annotations

import calendar
import datetime as dt
import heapq
import json
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice
from operator import itemgetter

from shopcli.storage import Store
from shopcli.storage import agenda as queries

# Sections in order of urgency when they are due: the rank breaks ties among overdue work.
SECTIONS = (
    "inspection",  # damaged, wrong or missing on receipt: the client must hear at once
    "client",  # changed or unavailable at the store, or a change asked for: the same
    "late",  # a shipment past its expected date
    "refund",  # money the store owes back
    "invoice",  # an invoice past its due date
    "awaiting",  # a decision the client has owed for more than N days
    "to_order",  # approved but not yet ordered
    "handover",  # received, not yet handed over
    "return_window",  # a store's return deadline within a week, for a gift not known to please
    "deadline",  # a job's deadline within a week
    "follow_up",  # N days after a handover: ask how the gifts were received
    "birthday",  # a recipient's birthday within 30 days, with earlier occasions' gifts and verdicts
)
RANK = {name: number for number, name in enumerate(SECTIONS, start=1)}
DEADLINE_DAYS = 7
RETURN_WINDOW_DAYS = 7
BIRTHDAY_DAYS = 30
DEFAULT_WAIT_DAYS = 3
DEFAULT_FOLLOWUP_DAYS = 10  # the profile's followup_days, when it says nothing


@dataclass(frozen=True)
class Options:
    """What the shopper chose: decisions owed for more than `wait_days` are listed; a follow-up
    is proposed `followup_days` after a handover."""

    wait_days: int = DEFAULT_WAIT_DAYS
    followup_days: int = DEFAULT_FOLLOWUP_DAYS


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _entry(section: str, due: dt.date, today: dt.date, row: dict, **detail) -> dict:
    return {
        "section": section,
        "rank": RANK[section],
        "due": due.isoformat(),
        "days": (due - today).days,
        "overdue": due < today,
        "client_id": row.get("client_id"),
        "client": row.get("client"),
        "job_id": row.get("job_id"),
        "job": row.get("job"),
        "item_id": row.get("item_id"),
        "item_number": row.get("item_number"),
        "item": row.get("item"),
        "recipient": row.get("recipient"),
        "detail": detail,
    }


def next_birthday(birthday: str, today: dt.date) -> dt.date | None:
    """The next birthday on or after today (29 February is kept on the 28th in other years)."""
    born = _day(birthday)
    if born is None:
        return None
    for year in (today.year, today.year + 1):
        try:
            day = born.replace(year=year)
        except ValueError:
            day = dt.date(year, 2, 28)
        if day >= today:
            return day
    return None


def build(
    store: Store,
    today: dt.date,
    *,
    wait_days: int = DEFAULT_WAIT_DAYS,
    followup_days: int = DEFAULT_FOLLOWUP_DAYS,
) -> Iterator[dict]:
    """Every agenda entry on `today`, most urgent first, one at a time.

    Each section's query reads in its own order of urgency, so the sections are merged as
    they stream: a shop with 50,000 entries never holds them all.
    """
    options = _options(wait_days, followup_days)
    sections = [_SECTIONS[section](store, today, options, None) for section in SECTIONS]
    return heapq.merge(*sections, key=_order(today))


def build_json(
    store: Store,
    today: dt.date,
    *,
    wait_days: int = DEFAULT_WAIT_DAYS,
    followup_days: int = DEFAULT_FOLLOWUP_DAYS,
) -> tuple[Iterator[list[str]], dict[str, int]]:
    """`build`'s entries as JSON text (compact: what `json.dumps(entry, ensure_ascii=False,
    separators=(",", ":"))` writes), in the same order, a few thousand at a time, and how many
    each section has (complete once the entries have been read).

    What is due by today comes section by section in order of rank (each section reads in
    its own order), so those entries are passed on as read, never compared; only what is due
    later is merged by day. The sections that hold most entries on a big shop (answers owed,
    items to order, unpaid invoices) are written by SQLite (storage.agenda); the others are
    made here and encoded."""
    options = _options(wait_days, followup_days)
    iso = today.isoformat()
    order = _order(today)
    counts = dict.fromkeys(SECTIONS, 0)
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    cutoff = (today - dt.timedelta(days=options.wait_days)).isoformat()
    written = {
        "invoice": lambda: _invoices_written(store, today),
        "to_order": lambda: queries.approved_not_ordered_json(store, iso, RANK["to_order"]),
        "awaiting": lambda: queries.awaiting_client_json(
            store, cutoff, iso, options.wait_days, RANK["awaiting"]
        ),
    }

    def rows(section: str) -> Iterator[tuple[str, dict | str]]:
        """The section's entries as (day due, entry or its JSON text), in its order."""
        if section in written:
            return written[section]()
        return ((entry["due"], entry) for entry in _SECTIONS[section](store, today, options, None))

    def keyed(section: str, rows: Iterable[tuple[str, dict | str]]) -> Iterator[tuple]:
        """Entries due after today with what orders them among all sections' (`_order`)."""
        for _due, entry in rows:
            yield order(json.loads(entry) if isinstance(entry, str) else entry), section, entry

    def entries() -> Iterator[list[str]]:
        later = []  # each section's entries due after today, keyed for the merge
        for section in sorted(SECTIONS, key=RANK.__getitem__):
            source = iter(rows(section))
            while chunk := list(islice(source, _BATCH)):
                deferred = chunk[-1][0] > iso  # from here on, the section is due later
                if deferred:
                    cut = bisect_right(chunk, iso, key=itemgetter(0))
                    rest = chain(chunk[cut:], source)
                    later.append(keyed(section, rest))
                    chunk = chunk[:cut]
                counts[section] += len(chunk)
                if chunk:
                    yield [entry if type(entry) is str else encode(entry) for _d, entry in chunk]
                if deferred:
                    break
        merged = heapq.merge(*later, key=itemgetter(0))
        while batch := list(islice(merged, _BATCH)):
            for _order, section, _text in batch:
                counts[section] += 1
            yield [entry if type(entry) is str else encode(entry) for _k, _s, entry in batch]

    return entries(), counts


_BATCH = 2000  # entries handed on at a time by build_json


def most_urgent(
    store: Store,
    today: dt.date,
    *,
    limit: int,
    wait_days: int = DEFAULT_WAIT_DAYS,
    followup_days: int = DEFAULT_FOLLOWUP_DAYS,
) -> tuple[list[dict], dict[str, int]]:
    """The `limit` most urgent entries of `build`, and how many entries each section has.

    Cheaper than `build` on a big shop: what is due now is ordered by section first, so once
    the sections looked at hold `limit` entries due now, the later ones are only counted.
    """
    options = _options(wait_days, followup_days)
    counts = _counts(store, today, options)
    entries: list[dict] = []
    due_now = 0
    iso = today.isoformat()
    for section in SECTIONS:
        if not counts[section] or due_now >= limit:
            continue
        found = list(_SECTIONS[section](store, today, options, limit))
        entries.extend(found)
        due_now += sum(1 for entry in found if entry["due"] <= iso)
    entries.sort(key=_order(today))
    return entries[:limit], counts


def _options(wait_days: int, followup_days: int) -> Options:
    from shopcli.core.errors import InvalidInput

    if wait_days < 0:
        raise InvalidInput("--days must be 0 or more")
    if followup_days < 0:
        raise InvalidInput("the follow-up delay (followup_days) must be 0 or more")
    return Options(wait_days, followup_days)


def _order(today: dt.date):
    """Due today or overdue first, by section then day; then what is coming, by day."""
    iso = today.isoformat()

    def key(entry: dict):
        due_now = entry["due"] <= iso
        if due_now:
            return (0, entry["rank"], entry["due"], entry["job_id"] or 0, entry["item_number"] or 0)
        return (1, entry["due"], entry["rank"], entry["job_id"] or 0, entry["item_number"] or 0)

    return key


def _birthday_range(today: dt.date) -> tuple[dt.date, str, str]:
    """The last day birthdays are looked for, and the MM-DD range from today to it."""
    last = today + dt.timedelta(days=BIRTHDAY_DAYS)
    # A 29 February birthday is kept on the 28th in other years: let the range reach it.
    leap = last.month == 2 and last.day == 28 and calendar.isleap(last.year)
    last_day = "02-29" if last.isoformat()[5:] == "02-28" and not leap else last.isoformat()[5:]
    return last, today.isoformat()[5:], last_day


def _counts(store: Store, today: dt.date, options: Options) -> dict[str, int]:
    iso = today.isoformat()
    unpaid, part_paid = queries.count_unpaid_overdue_invoices(store, iso)
    owing = sum(1 for row in part_paid if _owed(row) > 0)
    cutoff = (today - dt.timedelta(days=options.wait_days)).isoformat()
    until = (today + dt.timedelta(days=DEADLINE_DAYS)).isoformat()
    returns_until = (today + dt.timedelta(days=RETURN_WINDOW_DAYS)).isoformat()
    _last, first, last_day = _birthday_range(today)
    return {
        "inspection": queries.count_inspection_problems(store),
        "client": queries.count_needs_client(store),
        "late": queries.count_past_eta(store, iso),
        "refund": queries.count_refunds_pending(store),
        "invoice": unpaid + owing,
        "awaiting": queries.count_awaiting_client(store, cutoff),
        "to_order": queries.count_approved_not_ordered(store),
        "handover": queries.count_received_not_handed_over(store),
        "return_window": queries.count_return_windows_closing(store, iso, returns_until),
        "deadline": queries.count_deadlines(store, until),
        "follow_up": queries.count_follow_ups_due(store, iso, options.followup_days),
        "birthday": queries.count_birthdays(store, first, last_day),
    }


def _owed(row: dict) -> Decimal:
    payments = row["paid"]
    if not payments or payments == "[]":  # most overdue invoices: nothing paid yet
        return Decimal(row["total"]) - _NOTHING
    paid = sum((Decimal(a) for a in json.loads(payments) if a), _NOTHING)
    return Decimal(row["total"]) - paid


_NOTHING = Decimal(0)


# Each section: (store, today, options, limit) -> its entries one at a time, most urgent
# first (the order `_order` gives within a section: by the day due, then job and item).


def _inspections(
    store: Store, today: dt.date, options: Options, limit: int | None
) -> Iterator[dict]:
    for row in queries.inspection_problems(store, limit):
        due = _day(row["inspected_on"]) or today
        yield _entry("inspection", due, today, row, result=row["result"], note=row["note"])


def _needs_client(
    store: Store, today: dt.date, options: Options, limit: int | None
) -> Iterator[dict]:
    for row in queries.needs_client(store, limit):
        # Due the day it happened: the client hears of it at once, whatever `--days` says.
        due = min(_day(row["since"]) or today, today)
        yield _entry(
            "client",
            due,
            today,
            row,
            status=row["status"],
            since=row["since"],
            old_price=row["old_price"] if row["new_price"] is not None else None,
            new_price=row["new_price"],
            currency=row["check_currency"],
            unavailable=bool(row["unavailable"]),
            note=row["check_note"]
            if row["check_note"]
            else row["decision_note"]
            if row["status"] == "change_requested"
            else None,
        )


def _late(store: Store, today: dt.date, options: Options, limit: int | None) -> Iterator[dict]:
    for row in queries.past_eta(store, today.isoformat(), limit):
        yield _entry(
            "late",
            _day(row["eta"]) or today,
            today,
            row,
            status=row["status"],
            eta=row["eta"],
            carrier=row["carrier"],
            tracking=row["tracking"],
            delay_reason=row["delay_reason"],
        )


def _refunds(store: Store, today: dt.date, options: Options, limit: int | None) -> Iterator[dict]:
    for row in queries.refunds_pending(store, limit):
        yield _entry(
            "refund",
            _day(row["expected_by"]) or today,
            today,
            row,
            reason=row["reason"],
            amount=row["amount"],
            currency=row["currency"],
            paid_by=row["paid_by"],
        )


def _invoices(store: Store, today: dt.date, options: Options, limit: int | None) -> Iterator[dict]:
    found = 0
    offset = 0
    while True:
        # Paid ones drop out after the query (settled in Decimal): read on until `limit`.
        rows = queries.invoices_overdue(store, today.isoformat(), limit, offset) or []
        read = 0
        for row in rows:
            read += 1
            entry = _invoice_entry(row, today)
            if entry is not None:
                yield entry
                found += 1
                if limit is not None and found >= limit:
                    return
        if limit is None or read < limit:
            return
        offset += limit


def _invoice_entry(row: dict, today: dt.date) -> dict | None:
    """An overdue invoice's entry, None once its payments settle it."""
    owed = _owed(row)
    if owed <= 0:
        return None
    return _entry(
        "invoice",
        _day(row["due"]) or today,
        today,
        row,
        invoice=row["number"],
        total=row["total"],
        owed=str(owed),
        currency=row["currency"],
        reminder=_reminder(row, today),
    )


def _invoices_written(store: Store, today: dt.date) -> Iterator[tuple[str, dict | str]]:
    """The invoice section as build_json takes it: (day due, JSON text) as SQLite writes the
    entries it can (storage.agenda), the others made here."""
    iso = today.isoformat()
    for due, text, invoice_id in queries.invoices_overdue_json(store, iso, RANK["invoice"]):
        if text is not None:
            yield due, text
            continue
        for row in queries.invoices_overdue(store, iso, invoice_id=invoice_id) or []:
            entry = _invoice_entry(row, today)
            if entry is not None:
                yield entry["due"], entry


def _reminder(row: dict, today: dt.date) -> dict:
    """Which payment reminder the invoice is due, and when (`shop invoice remind`)."""
    level, on = row.get("next_level"), row.get("next_due")
    return {
        "level": level,
        "due": on,
        "due_now": bool(level and on and on <= today.isoformat()),
        "last_level": row.get("reminded_level"),
        "last_sent": row.get("reminded_on"),
        "pay_by": row.get("reminded_pay_by"),
    }


def _awaiting(store: Store, today: dt.date, options: Options, limit: int | None) -> Iterator[dict]:
    cutoff = (today - dt.timedelta(days=options.wait_days)).isoformat()
    for row in queries.awaiting_client(store, cutoff, limit):
        since = _day(row["since"]) or today
        yield _entry(
            "awaiting",
            since + dt.timedelta(days=options.wait_days),
            today,
            row,
            status=row["status"],
            since=row["since"],
            waiting_days=(today - since).days,
        )


def _to_order(store: Store, today: dt.date, options: Options, limit: int | None) -> Iterator[dict]:
    for row in queries.approved_not_ordered(store, today.isoformat(), limit):
        yield _entry(
            "to_order",
            min(_day(row["since"]) or today, today),
            today,
            row,
            since=row["since"],
            deadline=row["deadline"],
        )


def _handovers(store: Store, today: dt.date, options: Options, limit: int | None) -> Iterator[dict]:
    for row in queries.received_not_handed_over(store, today.isoformat(), limit):
        planned = _day(row["planned_on"])
        since = _day(row["since"]) or today
        due = planned if planned and planned >= today else min(since, today)
        yield _entry(
            "handover",
            due,
            today,
            row,
            received=row["since"],
            planned_on=row["planned_on"],
            planned_place=row["planned_place"],
        )


def _deadlines(store: Store, today: dt.date, options: Options, limit: int | None) -> Iterator[dict]:
    until = (today + dt.timedelta(days=DEADLINE_DAYS)).isoformat()
    for row in queries.deadlines(store, until, limit):
        yield _entry(
            "deadline",
            _day(row["deadline"]) or today,
            today,
            row,
            items=row["items"],
            open_items=row["open_items"],
        )


def _birthdays(store: Store, today: dt.date, options: Options, limit: int | None) -> Iterator[dict]:
    last, first, last_day = _birthday_range(today)
    # Wide enough for the year before the latest birthday the window holds.
    gifts_since = (today - dt.timedelta(days=365 + BIRTHDAY_DAYS)).isoformat()
    for row in queries.birthdays(store, first, last_day, gifts_since, limit):
        day = next_birthday(row["birthday"], today)
        if day is None or day > last:
            continue
        born = _day(row["birthday"])
        yield _entry(
            "birthday",
            day,
            today,
            row,
            birthday=row["birthday"],
            age=(day.year - born.year) if born else None,
            last_gifts=earlier_gifts(json.loads(row["gifts"] or "[]"), day),
        )


def _return_windows(
    store: Store, today: dt.date, options: Options, limit: int | None
) -> Iterator[dict]:
    until = (today + dt.timedelta(days=RETURN_WINDOW_DAYS)).isoformat()
    for row in queries.return_windows_closing(store, today.isoformat(), until, limit):
        yield _entry(
            "return_window",
            _day(row["return_by"]) or today,
            today,
            row,
            return_by=row["return_by"],
            store=row["store"],
            status=row["status"],
            verdict=row["verdict"],
        )


def _follow_ups(
    store: Store, today: dt.date, options: Options, limit: int | None
) -> Iterator[dict]:
    for row in queries.follow_ups_due(store, today.isoformat(), options.followup_days, limit):
        yield _entry(
            "follow_up",
            _day(row["due"]) or today,
            today,
            row,
            handed_over=row["handed_on"],
            method=row["method"],
            awaiting=row["awaiting"],
            after_days=options.followup_days,
        )


def earlier_gifts(gifts: list[dict], occasion: dt.date) -> list[dict]:
    """The gifts handed over in the year before this occasion, not those for it.

    Gifts for an occasion are handed over in the weeks before it (the agenda shows a birthday
    BIRTHDAY_DAYS ahead): one handed over since then is this occasion's, not last year's."""
    opens = occasion - dt.timedelta(days=BIRTHDAY_DAYS)
    year_before = _year_before(opens)
    return [
        {key: gift.get(key) for key in ("title", "on", "job", "verdict", "note")}
        for gift in gifts
        if (handed := _day(gift.get("on"))) is not None and year_before <= handed < opens
    ]


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


_SECTIONS = {
    "inspection": _inspections,
    "client": _needs_client,
    "late": _late,
    "refund": _refunds,
    "invoice": _invoices,
    "awaiting": _awaiting,
    "to_order": _to_order,
    "handover": _handovers,
    "return_window": _return_windows,
    "deadline": _deadlines,
    "follow_up": _follow_ups,
    "birthday": _birthdays,
}


def notes(store: Store) -> list[str]:
    """What the agenda could not look at in this database (older schema parts)."""
    missing = []
    if not queries.table_exists(store, "invoices"):
        missing.append("invoices (no invoice table yet)")
    return missing
