"""Queries behind `shop agenda`: one query per section, each served by an index.

Each section's rows come in the order the agenda shows them within the section (by the day
they are due, then job and item number), so the first `limit` rows are that section's most
urgent; each section also has a count, for saying how much a short agenda leaves out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from sqlite3 import Cursor

from shopcli.storage import Store
from shopcli.storage.amounts import positive_as_decimal_writes
from shopcli.storage.reminders import NEXT_REMINDER_COLUMNS, NEXT_REMINDER_JOIN

# The item, its job, client and recipient, as every item section shows them.
_ITEM = (
    "i.id AS item_id, i.number AS item_number, i.title AS item, i.status, "
    "i.job_id, j.title AS job, j.client_id, c.name AS client, r.name AS recipient"
)
# Items first (CROSS JOIN keeps SQLite's join order): every section picks its items by
# status or date from an index, then looks up each one's job, client and recipient. Left to
# itself the planner scanned every job and read all its items (100,000 items: 2.5x slower).
_FROM = (
    "FROM items i CROSS JOIN jobs j ON j.id = i.job_id CROSS JOIN clients c ON c.id = j.client_id "
    "LEFT JOIN recipients r ON r.id = i.recipient_id"
)
# Statuses after which an item needs nothing more from the shopper.
FINISHED = ("delivered", "rejected", "cancelled", "refunded", "returned")


def table_exists(store: Store, name: str) -> bool:
    return bool(
        store.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name])
    )


def _limit(limit: int | None) -> str:
    return f" LIMIT {int(limit)}" if limit is not None else ""


def _rows(store: Store, sql: str, params: Sequence | dict, limit: int | None) -> Iterable[dict]:
    """A section's rows: a list when limited, else one at a time (a big agenda is never held
    twice, as rows and as entries)."""
    if limit is not None:
        return store.query(sql, params)
    return store.dicts(sql, params)


def _since(kinds: tuple[str, ...]) -> str:
    """The day an item last entered one of these statuses (from the event log)."""
    marks = ", ".join(f"'{kind}'" for kind in kinds)
    return (
        "substr(coalesce((SELECT max(e.at) FROM events e WHERE e.item_id = i.id "
        f"AND e.kind IN ({marks})), i.updated_at), 1, 10)"
    )


# An item whose latest check at the store did not match (a new price, unavailable, a note).
_MISMATCHED = (
    "SELECT k.item_id FROM item_checks k WHERE k.matched = 0 AND k.id = "
    "(SELECT max(k2.id) FROM item_checks k2 WHERE k2.item_id = k.item_id)"
)
# Items the client must hear about at once: changed or unavailable at the store, or a change
# they asked for. Found from the two small sets that hold them (the items in one of the two
# statuses, the checks that did not match), not by asking every candidate of a big shop.
_NEEDS_CLIENT_WHERE = (
    "i.status IN ('needs_client', 'change_requested', 'candidate', 'proposed') AND i.id IN ("
    "SELECT n.id FROM items n WHERE n.status IN ('needs_client', 'change_requested') "
    f"UNION {_MISMATCHED})"
)
# Proposed items waiting for a decision since `:cutoff` or longer (those that need the client
# for a reason above are in their own, urgent, section). The items whose check did not match
# are found once, not asked of each item.
_AWAITING_WHERE = (
    f"i.status = 'proposed' AND i.status_on <= :cutoff AND i.id NOT IN ({_MISMATCHED})"
)
_NEEDING = ("item.needs_client", "item.change_requested", "item.checked")


def needs_client(store: Store, limit: int | None = None) -> Iterable[dict]:
    """Items the client must hear about now, with what the latest check found, oldest first."""
    return _rows(
        store,
        f"SELECT * FROM (SELECT {_ITEM}, {_since(_NEEDING)} AS since, "
        "k.new_price, k.old_price, k.currency AS check_currency, k.unavailable, "
        "k.note AS check_note, (SELECT d.note FROM decisions d WHERE d.item_id = i.id "
        "ORDER BY d.id DESC LIMIT 1) AS decision_note "
        f"{_FROM} LEFT JOIN item_checks k ON k.id = (SELECT max(k2.id) FROM item_checks k2 "
        f"WHERE k2.item_id = i.id) AND k.matched = 0 WHERE {_NEEDS_CLIENT_WHERE}) "
        "ORDER BY since, job_id, item_number" + _limit(limit),
        (),
        limit,
    )


def count_needs_client(store: Store) -> int:
    return store.scalar(f"SELECT count(*) FROM items i WHERE {_NEEDS_CLIENT_WHERE}")


def awaiting_client(store: Store, cutoff: str, limit: int | None = None) -> Iterable[dict]:
    """Proposed items waiting since `cutoff` or longer (in the order of items_status_on)."""
    return _rows(
        store,
        f"SELECT {_ITEM}, i.status_on AS since {_FROM} WHERE {_AWAITING_WHERE} "
        "ORDER BY i.status_on, i.job_id, i.number" + _limit(limit),
        {"cutoff": cutoff},
        limit,
    )


def count_awaiting_client(store: Store, cutoff: str) -> int:
    return store.scalar(f"SELECT count(*) FROM items i WHERE {_AWAITING_WHERE}", {"cutoff": cutoff})


def approved_not_ordered(store: Store, today: str, limit: int | None = None) -> Iterable[dict]:
    """Approved items, by the day they were approved (a future day counts as `today`)."""
    return _rows(
        store,
        f"SELECT {_ITEM}, j.deadline, i.status_on AS since {_FROM} WHERE i.status = 'approved' "
        "ORDER BY min(coalesce(i.status_on, :today), :today), i.job_id, i.number" + _limit(limit),
        {"today": today},
        limit,
    )


def count_approved_not_ordered(store: Store) -> int:
    return store.scalar("SELECT count(*) FROM items WHERE status = 'approved'")


def past_eta(store: Store, today: str, limit: int | None = None) -> Iterable[dict]:
    """Items on their way whose expected delivery date has passed."""
    return _rows(
        store,
        f"SELECT {_ITEM}, i.eta, i.carrier, i.tracking, i.delay_reason {_FROM} "
        f"WHERE {_PAST_ETA} ORDER BY i.eta, i.job_id, i.number" + _limit(limit),
        [today],
        limit,
    )


_PAST_ETA = "i.status IN ('ordered', 'shipped') AND i.eta IS NOT NULL AND i.eta < ?"


def count_past_eta(store: Store, today: str) -> int:
    return store.scalar(f"SELECT count(*) FROM items i WHERE {_PAST_ETA}", [today])


_TO_HAND_OVER = (
    "i.status = 'received' AND NOT EXISTS (SELECT 1 FROM inspections s "
    "WHERE s.item_id = i.id AND s.resolved_on IS NULL AND s.result <> 'ok')"
)


def received_not_handed_over(store: Store, today: str, limit: int | None = None) -> Iterable[dict]:
    """Received items without an open problem, with the day received and any planned handover.

    In the order of the day they are due: a planned handover's day if still to come, else
    the day received (a future day counts as `today`).
    """
    return _rows(
        store,
        f"SELECT * FROM (SELECT {_ITEM}, i.status_on AS since, "
        "(SELECT h.handed_on FROM handovers h WHERE h.job_id = i.job_id AND h.state = 'planned' "
        "ORDER BY h.id DESC LIMIT 1) AS planned_on, "
        "(SELECT h.place FROM handovers h WHERE h.job_id = i.job_id AND h.state = 'planned' "
        f"ORDER BY h.id DESC LIMIT 1) AS planned_place {_FROM} WHERE {_TO_HAND_OVER}) "
        "ORDER BY CASE WHEN planned_on >= :today THEN planned_on "
        "ELSE min(coalesce(since, :today), :today) END, "
        "job_id, item_number" + _limit(limit),
        {"today": today},
        limit,
    )


def count_received_not_handed_over(store: Store) -> int:
    return store.scalar(f"SELECT count(*) FROM items i WHERE {_TO_HAND_OVER}")


_OPEN_PROBLEM = "s.resolved_on IS NULL AND s.result <> 'ok'"


def inspection_problems(store: Store, limit: int | None = None) -> Iterable[dict]:
    return _rows(
        store,
        f"SELECT {_ITEM}, s.result, s.note, s.inspected_on FROM inspections s "
        "CROSS JOIN items i ON i.id = s.item_id JOIN jobs j ON j.id = i.job_id "
        "JOIN clients c ON c.id = j.client_id LEFT JOIN recipients r ON r.id = i.recipient_id "
        f"WHERE {_OPEN_PROBLEM} ORDER BY substr(s.inspected_on, 1, 10), i.job_id, i.number, s.id"
        + _limit(limit),
        (),
        limit,
    )


def count_inspection_problems(store: Store) -> int:
    return store.scalar(f"SELECT count(*) FROM inspections s WHERE {_OPEN_PROBLEM}")


def refunds_pending(store: Store, limit: int | None = None) -> Iterable[dict]:
    return _rows(
        store,
        f"SELECT {_ITEM}, f.reason, f.amount, f.currency, f.expected_by, i.paid_by "
        "FROM refunds f CROSS JOIN items i ON i.id = f.item_id JOIN jobs j ON j.id = i.job_id "
        "JOIN clients c ON c.id = j.client_id LEFT JOIN recipients r ON r.id = i.recipient_id "
        "WHERE f.received_on IS NULL ORDER BY f.expected_by, i.job_id, i.number, f.id"
        + _limit(limit),
        (),
        limit,
    )


def count_refunds_pending(store: Store) -> int:
    return store.scalar("SELECT count(*) FROM refunds WHERE received_on IS NULL")


def _open_work() -> str:
    """An open job due by ? that still has work: unfinished items, or none yet."""
    finished = ", ".join(f"'{status}'" for status in FINISHED)
    return (
        "j.status = 'open' AND j.deadline IS NOT NULL AND j.deadline <= ? "
        "AND (NOT EXISTS (SELECT 1 FROM items i WHERE i.job_id = j.id) "
        f"OR EXISTS (SELECT 1 FROM items i WHERE i.job_id = j.id AND i.status NOT IN ({finished})))"
    )


def deadlines(store: Store, until: str, limit: int | None = None) -> Iterable[dict]:
    """Open jobs due by `until` that still have work: unfinished items, or none yet."""
    finished = ", ".join(f"'{status}'" for status in FINISHED)
    return _rows(
        store,
        "SELECT j.id AS job_id, j.title AS job, j.deadline, j.client_id, "
        "c.name AS client, (SELECT count(*) FROM items i WHERE i.job_id = j.id) AS items, "
        "(SELECT count(*) FROM items i WHERE i.job_id = j.id "
        f"AND i.status NOT IN ({finished})) AS open_items "
        f"FROM jobs j JOIN clients c ON c.id = j.client_id WHERE {_open_work()} "
        "ORDER BY j.deadline, j.id" + _limit(limit),
        [until],
        limit,
    )


def count_deadlines(store: Store, until: str) -> int:
    return store.scalar(f"SELECT count(*) FROM jobs j WHERE {_open_work()}", [until])


_OVERDUE = (
    "v.kind <> 'credit_note' AND v.due IS NOT NULL AND v.due < :today "
    "AND NOT EXISTS (SELECT 1 FROM invoices n WHERE n.original_id = v.id "
    "AND n.kind = 'credit_note')"
)


# An invoice as the agenda shows it, with its payments and reminders (see `_OVERDUE`).
_INVOICE = (
    "v.id AS invoice_id, v.number, v.kind, v.due, v.total, v.currency, v.job_id, "
    "j.title AS job, v.client_id, c.name AS client, "
    "(SELECT json_group_array(p.amount) FROM payments p WHERE p.invoice_id = v.id) AS paid, "
    f"{NEXT_REMINDER_COLUMNS}"
)
_INVOICE_FROM = (
    "FROM invoices v JOIN jobs j ON j.id = v.job_id JOIN clients c ON c.id = v.client_id "
    f"{NEXT_REMINDER_JOIN}"
)


def invoices_overdue(
    store: Store,
    today: str,
    limit: int | None = None,
    offset: int = 0,
    *,
    invoice_id: int | None = None,
) -> Iterable[dict] | None:
    """Issued invoices past their due date with what was paid on each (None: no invoices yet);
    only the one with `invoice_id` if given.

    Whether the payments settle it is decided in Decimal by the caller, not in SQL.
    """
    if not table_exists(store, "invoices"):
        return None
    one = " AND v.id = :invoice" if invoice_id is not None else ""
    return _rows(
        store,
        f"SELECT {_INVOICE} {_INVOICE_FROM} WHERE {_OVERDUE}{one} "
        "ORDER BY v.due, v.job_id, v.id"
        + (_limit(limit) + f" OFFSET {int(offset)}" if limit is not None else ""),
        {"today": today, "invoice": invoice_id},
        limit,
    )


def count_unpaid_overdue_invoices(store: Store, today: str) -> tuple[int, list[dict]]:
    """Overdue invoices with no payment and a total above zero (counted), and the totals and
    payments of the overdue invoices with payments, for the caller to settle in Decimal."""
    if not table_exists(store, "invoices"):
        return 0, []
    unpaid = store.scalar(
        f"SELECT count(*) FROM invoices v WHERE {_OVERDUE} AND CAST(v.total AS REAL) > 0 "
        "AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = v.id)",
        {"today": today},
    )
    part_paid = store.query(
        "SELECT v.total, (SELECT json_group_array(p.amount) FROM payments p "
        f"WHERE p.invoice_id = v.id) AS paid FROM invoices v WHERE {_OVERDUE} "
        "AND EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = v.id)",
        {"today": today},
    )
    return unpaid, part_paid


def _birthday_where(first: str, last: str) -> str:
    day = "substr(r.birthday, 6, 5)"
    return f"{day} BETWEEN ? AND ?" if first <= last else f"({day} >= ? OR {day} <= ?)"


def birthdays(
    store: Store, first: str, last: str, gifts_since: str, limit: int | None = None
) -> Iterable[dict]:
    """Recipients whose birthday (MM-DD) falls from `first` to `last` (wrapping at New Year),
    soonest first, with the gifts delivered to them since `gifts_since` as a JSON array (each
    with the latest verdict on it and its note, null without one)."""
    day = "substr(r.birthday, 6, 5)"
    return _rows(
        store,
        "SELECT r.id AS recipient_id, r.name AS recipient, r.birthday, r.client_id, "
        "c.name AS client, (SELECT json_group_array(json_object('title', g.title, "
        "'on', g.on_day, 'job', g.job, 'verdict', g.verdict, 'note', g.note)) "
        "FROM (SELECT i.title, coalesce(i.delivered_on, j.deadline, "
        "substr(i.updated_at, 1, 10)) AS on_day, j.title AS job, f.verdict, f.note "
        "FROM items i JOIN jobs j ON j.id = i.job_id LEFT JOIN feedback f ON f.id = "
        "(SELECT max(x.id) FROM feedback x WHERE x.item_id = i.id) WHERE i.recipient_id = r.id "
        "AND i.status = 'delivered' ORDER BY on_day) g WHERE g.on_day >= ?) AS gifts "
        "FROM recipients r JOIN clients c ON c.id = r.client_id "
        f"WHERE r.birthday IS NOT NULL AND {_birthday_where(first, last)} "
        f"ORDER BY {day} < ?, {day}, r.name" + _limit(limit),
        [gifts_since, first, last, first],
        limit,
    )


def count_birthdays(store: Store, first: str, last: str) -> int:
    return store.scalar(
        "SELECT count(*) FROM recipients r "
        f"WHERE r.birthday IS NOT NULL AND {_birthday_where(first, last)}",
        [first, last],
    )


# -- aftercare ------------------------------------------------------------------------------

# A job's latest done handover that no follow-up has followed yet, while a gift it delivered
# still awaits feedback, handed over on or before `:until` (today less the follow-up delay: a
# range the handovers_done index reads in order). "Followed" is read from
# the order of the event log (a follow-up logged after the handover was), not from clock
# times, which two commands in the same second share.
_FOLLOW_UP = (
    "h.state = 'done' AND h.id = (SELECT max(x.id) FROM handovers x WHERE x.job_id = h.job_id "
    "AND x.state = 'done') AND h.handed_on <= :until "
    "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.job_id = h.job_id "
    "AND e.kind = 'notify.follow-up' AND e.id > (SELECT coalesce(max(d.id), 0) FROM events d "
    "WHERE d.job_id = h.job_id AND d.kind = 'handover.done')) "
    "AND EXISTS (SELECT 1 FROM items i WHERE i.job_id = h.job_id AND i.status = 'delivered' "
    "AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.item_id = i.id))"
)


def _follow_up_params(today: str, after_days: int) -> dict:
    import datetime as dt

    until = dt.date.fromisoformat(today) - dt.timedelta(days=int(after_days))
    return {"until": until.isoformat(), "after": f"+{int(after_days)} days"}


def follow_ups_due(
    store: Store, today: str, after_days: int, limit: int | None = None
) -> Iterable[dict]:
    """Jobs whose follow-up is due: `after_days` after their latest handover, not yet sent,
    with gifts that await the recipient's verdict; by the day it falls due."""
    return _rows(
        store,
        "SELECT h.job_id, j.title AS job, j.client_id, c.name AS client, h.handed_on, "
        "h.method, date(h.handed_on, :after) AS due, (SELECT count(*) FROM items i "
        "WHERE i.job_id = h.job_id AND i.status = 'delivered' AND NOT EXISTS "
        "(SELECT 1 FROM feedback f WHERE f.item_id = i.id)) AS awaiting "
        "FROM handovers h JOIN jobs j ON j.id = h.job_id JOIN clients c ON c.id = j.client_id "
        f"WHERE {_FOLLOW_UP} ORDER BY h.handed_on, h.job_id" + _limit(limit),
        _follow_up_params(today, after_days),
        limit,
    )


def count_follow_ups_due(store: Store, today: str, after_days: int) -> int:
    params = _follow_up_params(today, after_days)
    return store.scalar(
        f"SELECT count(*) FROM handovers h WHERE {_FOLLOW_UP}", {"until": params["until"]}
    )


# Gifts the recipient may still send back: in the client's hands (or the shopper's), the
# store's return deadline from today to `until`, and no verdict that says they keep it.
_RETURN_WINDOW = (
    "i.return_by IS NOT NULL AND i.return_by >= :today AND i.return_by <= :until "
    "AND i.status IN ('received', 'delivered') AND NOT EXISTS (SELECT 1 FROM feedback f "
    "WHERE f.item_id = i.id AND f.id = (SELECT max(x.id) FROM feedback x "
    "WHERE x.item_id = i.id) AND f.verdict IN ('loved', 'liked'))"
)


def return_windows_closing(
    store: Store, today: str, until: str, limit: int | None = None
) -> Iterable[dict]:
    """Items whose return window closes from `today` to `until`, soonest first, with the
    latest verdict on each (None without one)."""
    return _rows(
        store,
        f"SELECT {_ITEM}, i.return_by, i.store, (SELECT f.verdict FROM feedback f "
        "WHERE f.item_id = i.id ORDER BY f.id DESC LIMIT 1) AS verdict "
        f"{_FROM} WHERE {_RETURN_WINDOW} ORDER BY i.return_by, i.job_id, i.number" + _limit(limit),
        {"today": today, "until": until},
        limit,
    )


def count_return_windows_closing(store: Store, today: str, until: str) -> int:
    return store.scalar(
        f"SELECT count(*) FROM items i WHERE {_RETURN_WINDOW}", {"today": today, "until": until}
    )


# -- the whole agenda as JSON -----------------------------------------------------------------
# The sections that hold most entries on a big shop (answers owed, items to order, unpaid
# invoices) are also written by SQLite: each entry's JSON text as work.agenda's `_entry`
# makes it (key for key, in order), with the day it is due. ~8x faster than making each
# entry in Python and encoding it.


def _entry_json(section: str, rank: int, due: str, days: str, overdue: str, detail: str) -> str:
    """json_object for an item entry, read from a subquery with `_ITEM`'s columns: `due` the
    day due (YYYY-MM-DD), `days` the days from today to it, `overdue` whether it is before
    today (SQL true or false), `detail` the detail's json_object. Each is given as cheap as
    the section allows: the day arithmetic written once per entry, not once per use."""
    return (
        f"json_object('section', '{section}', 'rank', {rank}, 'due', {due}, 'days', {days}, "
        f"'overdue', CASE WHEN {overdue} THEN json('true') ELSE json('false') END, "
        "'client_id', client_id, 'client', client, 'job_id', job_id, 'job', job, "
        "'item_id', item_id, 'item_number', item_number, 'item', item, "
        f"'recipient', recipient, 'detail', {detail})"
    )


def _entries(store: Store, sql: str, params: dict) -> Cursor:
    cursor = store.execute(sql, params)
    cursor.row_factory = None  # plain tuples: a Row apiece would cost a tenth more
    return cursor


def _julian(day: str) -> float:
    """The Julian day number SQLite's julianday() gives a YYYY-MM-DD day (at midnight)."""
    import datetime as dt

    return dt.date.fromisoformat(day).toordinal() + 1721424.5


def approved_not_ordered_json(store: Store, today: str, rank: int) -> Iterator[tuple[str, str]]:
    """`approved_not_ordered` as (day due, JSON text), in order: those approved before today
    (due the day approved, overdue) in the order items_status_on holds them (no sorting),
    then the others (due today)."""
    detail = "json_object('since', since, 'deadline', deadline)"
    select = (
        "SELECT due, {entry} FROM (SELECT "
        f"{_ITEM}, j.deadline, i.status_on AS since, {{due}} AS due {_FROM} "
        "WHERE i.status = 'approved' AND {where}) ORDER BY {order}"
    )
    params = {"today": today, "jd": _julian(today)}
    before = select.format(
        entry=_entry_json(
            "to_order", rank, "due", "CAST(julianday(due) - :jd AS INTEGER)", "1", detail
        ),
        due="i.status_on",
        where="i.status_on < :today",
        order="since, job_id, item_number",
    )
    rest = select.format(
        entry=_entry_json("to_order", rank, "due", "0", "0", detail),
        due=":today",
        where="(i.status_on IS NULL OR i.status_on >= :today)",
        order="+job_id, +item_number",  # few, sorted (not all items read in their order)
    )
    return chain(_entries(store, before, params), _entries(store, rest, params))


def awaiting_client_json(
    store: Store, cutoff: str, today: str, wait_days: int, rank: int
) -> Iterator[tuple[str, str]]:
    """`awaiting_client` as (day due, JSON text), in the order items_status_on holds them.

    Each is due `wait_days` after the day it was proposed (`since`), by today (`cutoff` is
    today less `wait_days`): overdue when proposed before `cutoff`."""
    waiting = "CAST(:jd - julianday(since) AS INTEGER)"
    detail = f"json_object('status', status, 'since', since, 'waiting_days', {waiting})"
    days = f"{int(wait_days)} - {waiting}"
    return _entries(
        store,
        f"SELECT due, {_entry_json('awaiting', rank, 'due', days, 'since < :cutoff', detail)} "
        f"FROM (SELECT {_ITEM}, i.status_on AS since, date(i.status_on, :wait) AS due {_FROM} "
        f"WHERE {_AWAITING_WHERE}) ORDER BY since, job_id, item_number",
        {"jd": _julian(today), "cutoff": cutoff, "wait": f"+{int(wait_days)} days"},
    )


# An overdue invoice SQLite writes as work.agenda writes it: nothing paid on it (what is
# owed is then its total, as stored), a total above zero as money.to_text writes amounts
# (Decimal would write it back the same), a due day that is a date. Any other is made in
# Python (`invoices_overdue` with its id).
_WRITTEN_INVOICE = (
    "NOT EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = v.id) "
    f"AND {positive_as_decimal_writes('v.total')} "
    "AND v.due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' "
    "AND date(v.due, '+0 days') = v.due"  # (date() alone lets 02-30 through)
)


def invoices_overdue_json(store: Store, today: str, rank: int) -> Iterator[tuple]:
    """`invoices_overdue` as (day due, JSON text, invoice id) in order, the text NULL where
    `_WRITTEN_INVOICE` does not hold (the caller makes that entry from the invoice's row)."""
    if not table_exists(store, "invoices"):
        return iter(())
    reminder = (
        "json_object('level', next_level, 'due', next_due, 'due_now', CASE WHEN next_level "
        "AND next_due <> '' AND next_due <= :today THEN json('true') ELSE json('false') END, "
        "'last_level', reminded_level, 'last_sent', reminded_on, 'pay_by', reminded_pay_by)"
    )
    entry = (
        f"json_object('section', 'invoice', 'rank', {int(rank)}, 'due', due, "
        "'days', CAST(julianday(due) - :jd AS INTEGER), 'overdue', json('true'), "
        "'client_id', client_id, 'client', client, 'job_id', job_id, 'job', job, "
        "'item_id', NULL, 'item_number', NULL, 'item', NULL, 'recipient', NULL, "
        "'detail', json_object('invoice', number, 'total', total, 'owed', total, "
        f"'currency', currency, 'reminder', {reminder}))"
    )
    return _entries(
        store,
        f"SELECT due, CASE WHEN written THEN {entry} END, invoice_id FROM (SELECT {_INVOICE}, "
        f"{_WRITTEN_INVOICE} AS written {_INVOICE_FROM} WHERE {_OVERDUE}) "
        "ORDER BY due, job_id, invoice_id",
        {"today": today, "jd": _julian(today)},
    )
