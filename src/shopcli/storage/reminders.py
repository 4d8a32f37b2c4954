"""Queries about payment reminders: the append-only log, and when the next one is due.

The rule for the next reminder lives here, once, as SQL the agenda shares: the first is due
the day after the invoice's due date, each later one the day after the previous reminder's
"pay by" date, and there is none after the third (the schema allows levels 1 to 3 only).
"""

from __future__ import annotations

from shopcli.storage import Store

LEVELS = (1, 2, 3)

# For an invoice aliased `v` (with NEXT_REMINDER_JOIN): the latest reminder's level, day and
# pay-by day, the next level (NULL after the last) and the day it is due.
NEXT_REMINDER_COLUMNS = (
    "rl.level AS reminded_level, rl.sent_on AS reminded_on, rl.pay_by AS reminded_pay_by, "
    f"CASE WHEN coalesce(rl.level, 0) < {max(LEVELS)} THEN coalesce(rl.level, 0) + 1 END "
    "AS next_level, date(coalesce(rl.pay_by, v.due), '+1 day') AS next_due"
)
# What NEXT_REMINDER_COLUMNS read: the invoice's (`v`) latest reminder, if any (one lookup
# in the index of its reminders).
NEXT_REMINDER_JOIN = (
    "LEFT JOIN reminders rl ON rl.id = (SELECT r.id FROM reminders r "
    "WHERE r.invoice_id = v.id ORDER BY r.level DESC LIMIT 1)"
)


def next_for(store: Store, invoice_id: int) -> dict:
    """The reminder columns above for one invoice."""
    return (
        store.one(
            f"SELECT {NEXT_REMINDER_COLUMNS} FROM invoices v {NEXT_REMINDER_JOIN} WHERE v.id = ?",
            [invoice_id],
        )
        or {}
    )


def for_invoice(store: Store, invoice_id: int) -> list[dict]:
    return store.query("SELECT * FROM reminders WHERE invoice_id = ? ORDER BY level", [invoice_id])


def add(store: Store, row: dict) -> int:
    return store.insert("reminders", row)
