"""Queries about delivery: checks, inspections, refunds, digital goods and handovers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from shopcli.storage import Store
from shopcli.storage.rows import Item

_ITEM_SELECT = (
    "SELECT i.*, r.name AS recipient, j.title AS job, j.client_id AS client_id "
    "FROM items i JOIN jobs j ON j.id = i.job_id LEFT JOIN recipients r ON r.id = i.recipient_id"
)


def latest_check(store: Store, item_id: int) -> dict | None:
    return store.one(
        "SELECT * FROM item_checks WHERE item_id = ? ORDER BY id DESC LIMIT 1", [item_id]
    )


def latest_checks(store: Store, item_ids: Sequence[int]) -> dict[int, dict]:
    """The latest check of each of these items that has one."""
    found: dict[int, dict] = {}
    ids = list(item_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for row in store.query(
            "SELECT k.* FROM item_checks k WHERE k.id IN (SELECT max(id) FROM item_checks "
            f"WHERE item_id IN ({marks}) GROUP BY item_id)",
            chunk,
        ):
            found[row["item_id"]] = row
    return found


def checks(store: Store, item_id: int) -> list[dict]:
    return store.query("SELECT * FROM item_checks WHERE item_id = ? ORDER BY id", [item_id])


def latest_inspection(store: Store, item_id: int) -> dict | None:
    return store.one(
        "SELECT * FROM inspections WHERE item_id = ? ORDER BY id DESC LIMIT 1", [item_id]
    )


def open_problem(store: Store, item_id: int) -> dict | None:
    """The item's unresolved inspection problem (damaged, wrong or missing), if any."""
    return store.one(
        "SELECT * FROM inspections WHERE item_id = ? AND resolved_on IS NULL AND result <> 'ok' "
        "ORDER BY id DESC LIMIT 1",
        [item_id],
    )


def pending_refund(store: Store, item_id: int) -> dict | None:
    return store.one(
        "SELECT * FROM refunds WHERE item_id = ? AND received_on IS NULL ORDER BY id DESC LIMIT 1",
        [item_id],
    )


def latest_refund(store: Store, item_id: int) -> dict | None:
    return store.one("SELECT * FROM refunds WHERE item_id = ? ORDER BY id DESC LIMIT 1", [item_id])


def digital(store: Store, item_id: int) -> dict | None:
    return store.one("SELECT * FROM digital_goods WHERE item_id = ?", [item_id])


def save_digital(
    store: Store, item_id: int, code: str | None, link: str | None, on: str, stamp: str
) -> None:
    """Insert or replace an item's code and link (call inside the write transaction)."""
    from shopcli.storage.typed import guard

    guard("digital_goods", {"code": code, "link": link})
    store.execute(
        "INSERT INTO digital_goods (item_id, code, link, delivered_on, created_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET code = excluded.code, "
        "link = excluded.link, delivered_on = excluded.delivered_on",
        [item_id, code, link, on, stamp],
    )


def job_items(
    store: Store,
    job_id: int,
    statuses: Sequence[str] | None = None,
    item_ids: Sequence[int] | None = None,
) -> list[Item]:
    """A job's items (with recipient names), optionally only some statuses or ids."""
    where = ["i.job_id = ?"]
    params: list[int | str] = [job_id]
    if statuses is not None:
        where.append(f"i.status IN ({', '.join('?' for _ in statuses)})")
        params.extend(statuses)
    if item_ids is not None:
        where.append(f"i.id IN ({', '.join('?' for _ in item_ids)})")
        params.extend(item_ids)
    rows = store.query(f"{_ITEM_SELECT} WHERE {' AND '.join(where)} ORDER BY i.number", params)
    return cast("list[Item]", rows)


def job_inspections(store: Store, job_id: int) -> dict[int, dict]:
    """The latest inspection of every item in a job, by item id."""
    rows = store.query(
        "SELECT s.* FROM inspections s JOIN items i ON i.id = s.item_id WHERE i.job_id = ? "
        "AND s.id = (SELECT max(id) FROM inspections WHERE item_id = s.item_id)",
        [job_id],
    )
    return {row["item_id"]: row for row in rows}


def job_refunds(store: Store, job_id: int, *, received: bool) -> list[dict]:
    """Refunds of a job's items, pending (received=False) or received, with the item."""
    state = "IS NOT NULL" if received else "IS NULL"
    return store.query(
        "SELECT f.*, i.number, i.title, i.paid_by, i.recipient_id, r.name AS recipient "
        "FROM refunds f JOIN items i ON i.id = f.item_id "
        "LEFT JOIN recipients r ON r.id = i.recipient_id "
        f"WHERE i.job_id = ? AND f.received_on {state} ORDER BY i.number, f.id",
        [job_id],
    )


def job_digital(store: Store, job_id: int) -> dict[int, dict]:
    rows = store.query(
        "SELECT d.* FROM digital_goods d JOIN items i ON i.id = d.item_id WHERE i.job_id = ?",
        [job_id],
    )
    return {row["item_id"]: row for row in rows}


def digital_not_handed_over(store: Store, job_id: int) -> list[int]:
    """Delivered digital items of a job that no handover has included yet."""
    return [
        row["item_id"]
        for row in store.query(
            "SELECT d.item_id FROM digital_goods d JOIN items i ON i.id = d.item_id "
            "WHERE i.job_id = ? AND i.status = 'delivered' AND NOT EXISTS "
            "(SELECT 1 FROM handover_items h WHERE h.item_id = d.item_id)",
            [job_id],
        )
    ]


def latest_handover(store: Store, job_id: int, state: str | None = None) -> dict | None:
    if state is None:
        return store.one(
            "SELECT * FROM handovers WHERE job_id = ? ORDER BY id DESC LIMIT 1", [job_id]
        )
    return store.one(
        "SELECT * FROM handovers WHERE job_id = ? AND state = ? ORDER BY id DESC LIMIT 1",
        [job_id, state],
    )


def add_handover_items(store: Store, handover_id: int, item_ids: Sequence[int]) -> None:
    store.conn.executemany(
        "INSERT INTO handover_items (handover_id, item_id) VALUES (?, ?)",
        [(handover_id, item_id) for item_id in item_ids],
    )


def handed_over_on(store: Store, job_id: int) -> str | None:
    """The last day the job's goods were handed over (None before any handover)."""
    return store.scalar(
        "SELECT max(handed_on) FROM handovers WHERE job_id = ? AND state = 'done'", [job_id]
    )
