"""Queries about payment reminders: the append-only log, and when the next one is due.

The rule for the next reminder lives here, once, as SQL the agenda shares: the first is due
the day after the invoice's due date, each later one the day after the previous reminder's
"pay by" date, and there is none after the third (the schema allows levels 1 to 3 only).
"""

from __future__ import annotations

from shopcli.storage import Store

LEVELS = (1, 2, 3)

# For an invoice aliased `v`: the latest reminder's level, day and pay-by day, the next
# level (NULL after the last) and the day it is due.
NEXT_REMINDER_COLUMNS = (
    "(SELECT max(r.level) FROM reminders r WHERE r.invoice_id = v.id) AS reminded_level, "
    "(SELECT r.sent_on FROM reminders r WHERE r.invoice_id = v.id "
    "ORDER BY r.level DESC LIMIT 1) AS reminded_on, "
    "(SELECT r.pay_by FROM reminders r WHERE r.invoice_id = v.id "
    "ORDER BY r.level DESC LIMIT 1) AS reminded_pay_by, "
    "CASE WHEN coalesce((SELECT max(r.level) FROM reminders r WHERE r.invoice_id = v.id), 0) "
    f"< {max(LEVELS)} THEN coalesce((SELECT max(r.level) FROM reminders r "
    "WHERE r.invoice_id = v.id), 0) + 1 END AS next_level, "
    "date(coalesce((SELECT r.pay_by FROM reminders r WHERE r.invoice_id = v.id "
    "ORDER BY r.level DESC LIMIT 1), v.due), '+1 day') AS next_due"
)


def next_for(store: Store, invoice_id: int) -> dict:
    """The reminder columns above for one invoice."""
    return (
        store.one(f"SELECT {NEXT_REMINDER_COLUMNS} FROM invoices v WHERE v.id = ?", [invoice_id])
        or {}
    )


def for_invoice(store: Store, invoice_id: int) -> list[dict]:
    return store.query("SELECT * FROM reminders WHERE invoice_id = ? ORDER BY level", [invoice_id])


def add(store: Store, row: dict) -> int:
    return store.insert("reminders", row)
