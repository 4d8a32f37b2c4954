"""Queries for the calendar: dates that recur every year and dates that come once."""

from __future__ import annotations

from shopcli.storage import Store


def recipient_dates(store: Store) -> list[dict]:
    """Recipients with a birthday or other dates to remember, with their client's name."""
    return store.query(
        "SELECT r.id, r.name, r.birthday, r.dates, r.relation, c.name AS client "
        "FROM recipients r JOIN clients c ON c.id = r.client_id "
        "WHERE r.birthday IS NOT NULL OR (r.dates IS NOT NULL AND r.dates NOT IN ('', '{}')) "
        "ORDER BY r.id"
    )


def client_birthdays(store: Store) -> list[dict]:
    return store.query(
        "SELECT id, name, birthday FROM clients WHERE birthday IS NOT NULL ORDER BY id"
    )


def job_deadlines(store: Store, first: str | None, last: str | None) -> list[dict]:
    """Deadlines of the jobs still open."""
    return store.query(
        "SELECT j.id, j.title, j.deadline, j.status, j.updated_at, c.name AS client "
        "FROM jobs j JOIN clients c ON c.id = j.client_id "
        "WHERE j.deadline IS NOT NULL AND j.status = 'open' "
        "AND (? IS NULL OR j.deadline >= ?) AND (? IS NULL OR j.deadline <= ?) ORDER BY j.id",
        [first, first, last, last],
    )


def planned_handovers(store: Store, first: str | None, last: str | None) -> list[dict]:
    return store.query(
        "SELECT h.id, h.handed_on, h.method, h.place, h.note, j.title AS job, "
        "c.name AS client, (SELECT count(*) FROM handover_items hi WHERE hi.handover_id = h.id) "
        "AS items FROM handovers h JOIN jobs j ON j.id = h.job_id "
        "JOIN clients c ON c.id = j.client_id WHERE h.state = 'planned' "
        "AND (? IS NULL OR h.handed_on >= ?) AND (? IS NULL OR h.handed_on <= ?) ORDER BY h.id",
        [first, first, last, last],
    )


def expected_deliveries(store: Store, first: str | None, last: str | None) -> list[dict]:
    """Items on their way (ordered or shipped) with an expected delivery date."""
    return store.query(
        "SELECT i.id, i.title, i.eta, i.carrier, i.tracking, i.status, j.title AS job, "
        "r.name AS recipient FROM items i JOIN jobs j ON j.id = i.job_id "
        "LEFT JOIN recipients r ON r.id = i.recipient_id "
        "WHERE i.status IN ('ordered', 'shipped') AND i.eta IS NOT NULL "
        "AND (? IS NULL OR i.eta >= ?) AND (? IS NULL OR i.eta <= ?) ORDER BY i.id",
        [first, first, last, last],
    )
