"""Queries behind `shop agenda`: one query per section, each served by an index."""

from __future__ import annotations

from shopcli.storage import Store

# The item, its job, client and recipient, as every item section shows them.
_ITEM = (
    "i.id AS item_id, i.number AS item_number, i.title AS item, i.status, "
    "i.job_id, j.title AS job, j.client_id, c.name AS client, r.name AS recipient"
)
_FROM = (
    "FROM items i JOIN jobs j ON j.id = i.job_id JOIN clients c ON c.id = j.client_id "
    "LEFT JOIN recipients r ON r.id = i.recipient_id"
)
# Statuses after which an item needs nothing more from the shopper.
FINISHED = ("delivered", "rejected", "cancelled", "refunded", "returned")


def table_exists(store: Store, name: str) -> bool:
    return bool(
        store.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name])
    )


def _since(kinds: tuple[str, ...]) -> str:
    """The day an item last entered one of these statuses (from the event log)."""
    marks = ", ".join(f"'{kind}'" for kind in kinds)
    return (
        "substr(coalesce((SELECT max(e.at) FROM events e WHERE e.item_id = i.id "
        f"AND e.kind IN ({marks})), i.updated_at), 1, 10)"
    )


def awaiting_client(store: Store, cutoff: str) -> list[dict]:
    """Proposed items, or items that need the client, waiting since `cutoff` or longer."""
    return store.query(
        f"SELECT * FROM (SELECT {_ITEM}, "
        f"{_since(('item.proposed', 'item.needs_client'))} AS since {_FROM} "
        "WHERE i.status IN ('proposed', 'needs_client')) WHERE since <= ? "
        "ORDER BY since, job_id, item_number",
        [cutoff],
    )


def approved_not_ordered(store: Store) -> list[dict]:
    return store.query(
        f"SELECT {_ITEM}, j.deadline, {_since(('item.approved',))} AS since {_FROM} "
        "WHERE i.status = 'approved' ORDER BY since, i.job_id, i.number"
    )


def past_eta(store: Store, today: str) -> list[dict]:
    """Items on their way whose expected delivery date has passed."""
    return store.query(
        f"SELECT {_ITEM}, i.eta, i.carrier, i.tracking, i.delay_reason {_FROM} "
        "WHERE i.status IN ('ordered', 'shipped') AND i.eta IS NOT NULL AND i.eta < ? "
        "ORDER BY i.eta, i.job_id, i.number",
        [today],
    )


def received_not_handed_over(store: Store) -> list[dict]:
    """Received items without an open problem, with the day received and any planned handover."""
    return store.query(
        f"SELECT {_ITEM}, {_since(('item.received',))} AS since, "
        "(SELECT h.handed_on FROM handovers h WHERE h.job_id = i.job_id AND h.state = 'planned' "
        "ORDER BY h.id DESC LIMIT 1) AS planned_on, "
        "(SELECT h.place FROM handovers h WHERE h.job_id = i.job_id AND h.state = 'planned' "
        f"ORDER BY h.id DESC LIMIT 1) AS planned_place {_FROM} "
        "WHERE i.status = 'received' AND NOT EXISTS (SELECT 1 FROM inspections s "
        "WHERE s.item_id = i.id AND s.resolved_on IS NULL AND s.result <> 'ok') "
        "ORDER BY since, i.job_id, i.number"
    )


def inspection_problems(store: Store) -> list[dict]:
    return store.query(
        f"SELECT {_ITEM}, s.result, s.note, s.inspected_on FROM inspections s "
        "JOIN items i ON i.id = s.item_id JOIN jobs j ON j.id = i.job_id "
        "JOIN clients c ON c.id = j.client_id LEFT JOIN recipients r ON r.id = i.recipient_id "
        "WHERE s.resolved_on IS NULL AND s.result <> 'ok' ORDER BY s.inspected_on, s.id"
    )


def refunds_pending(store: Store) -> list[dict]:
    return store.query(
        f"SELECT {_ITEM}, f.reason, f.amount, f.currency, f.expected_by, i.paid_by "
        "FROM refunds f JOIN items i ON i.id = f.item_id JOIN jobs j ON j.id = i.job_id "
        "JOIN clients c ON c.id = j.client_id LEFT JOIN recipients r ON r.id = i.recipient_id "
        "WHERE f.received_on IS NULL ORDER BY f.expected_by, f.id"
    )


def deadlines(store: Store, until: str) -> list[dict]:
    """Open jobs due by `until` that still have work: unfinished items, or none yet."""
    finished = ", ".join(f"'{status}'" for status in FINISHED)
    return store.query(
        "SELECT * FROM (SELECT j.id AS job_id, j.title AS job, j.deadline, j.client_id, "
        "c.name AS client, (SELECT count(*) FROM items i WHERE i.job_id = j.id) AS items, "
        "(SELECT count(*) FROM items i WHERE i.job_id = j.id "
        f"AND i.status NOT IN ({finished})) AS open_items "
        "FROM jobs j JOIN clients c ON c.id = j.client_id "
        "WHERE j.status = 'open' AND j.deadline IS NOT NULL AND j.deadline <= ?) "
        "WHERE open_items > 0 OR items = 0 ORDER BY deadline, job_id",
        [until],
    )


def invoices_overdue(store: Store, today: str) -> list[dict] | None:
    """Issued invoices past their due date with what was paid on each (None: no invoices yet).

    Whether the payments settle it is decided in Decimal by the caller, not in SQL.
    """
    if not table_exists(store, "invoices"):
        return None
    return store.query(
        "SELECT v.id AS invoice_id, v.number, v.kind, v.due, v.total, v.currency, v.job_id, "
        "j.title AS job, v.client_id, c.name AS client, "
        "(SELECT json_group_array(p.amount) FROM payments p WHERE p.invoice_id = v.id) AS paid "
        "FROM invoices v JOIN jobs j ON j.id = v.job_id JOIN clients c ON c.id = v.client_id "
        "WHERE v.kind <> 'credit_note' AND v.due IS NOT NULL AND v.due < ? "
        "AND NOT EXISTS (SELECT 1 FROM invoices n WHERE n.original_id = v.id "
        "AND n.kind = 'credit_note') ORDER BY v.due, v.id",
        [today],
    )


def birthdays(store: Store, first: str, last: str, gifts_since: str) -> list[dict]:
    """Recipients whose birthday (MM-DD) falls from `first` to `last` (wrapping at New Year),
    with the gifts delivered to them since `gifts_since` as a JSON array."""
    day = "substr(r.birthday, 6, 5)"
    where = f"{day} BETWEEN ? AND ?" if first <= last else f"({day} >= ? OR {day} <= ?)"
    return store.query(
        "SELECT r.id AS recipient_id, r.name AS recipient, r.birthday, r.client_id, "
        "c.name AS client, (SELECT json_group_array(json_object('title', g.title, "
        "'on', g.on_day, 'job', g.job)) FROM (SELECT i.title, coalesce(i.delivered_on, "
        "j.deadline, substr(i.updated_at, 1, 10)) AS on_day, j.title AS job FROM items i "
        "JOIN jobs j ON j.id = i.job_id WHERE i.recipient_id = r.id "
        "AND i.status = 'delivered' ORDER BY on_day) g WHERE g.on_day >= ?) AS gifts "
        "FROM recipients r JOIN clients c ON c.id = r.client_id "
        f"WHERE r.birthday IS NOT NULL AND {where} ORDER BY {day}, r.name",
        [gifts_since, first, last],
    )
