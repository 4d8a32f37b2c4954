"""Queries about proposal versions and the client's decisions per item."""

from __future__ import annotations

from typing import cast

from shopcli.core.dates import now
from shopcli.storage import Store
from shopcli.storage.rows import Decision


def versions(store: Store, job_id: int) -> list[dict]:
    """Every recorded version of a job's proposal, oldest first."""
    return store.query("SELECT * FROM proposals WHERE job_id = ? ORDER BY version", [job_id])


def latest(store: Store, job_id: int) -> dict | None:
    return store.one(
        "SELECT * FROM proposals WHERE job_id = ? ORDER BY version DESC LIMIT 1", [job_id]
    )


def by_version(store: Store, job_id: int, version: int) -> dict | None:
    return store.one("SELECT * FROM proposals WHERE job_id = ? AND version = ?", [job_id, version])


def add_version(store: Store, job_id: int, currency: str, snapshot: str) -> tuple[int, int]:
    """Record the next version (call inside the write transaction); returns (id, version)."""
    version = int(
        store.scalar(
            "SELECT coalesce(max(version), 0) + 1 FROM proposals WHERE job_id = ?", [job_id]
        )
    )
    proposal_id = store.insert(
        "proposals",
        {
            "job_id": job_id,
            "version": version,
            "currency": currency,
            "snapshot": snapshot,
            "created_at": now(),
        },
    )
    return proposal_id, version


def replace_snapshot(store: Store, proposal_id: int, snapshot: str) -> None:
    """A version's figures rendered anew (its items unchanged): call inside a transaction."""
    store.execute("UPDATE proposals SET snapshot = ? WHERE id = ?", [snapshot, proposal_id])


def add_decision(
    store: Store, proposal_id: int, item_id: int, decision: str, note: str | None, source: str
) -> int:
    return store.insert(
        "decisions",
        {
            "proposal_id": proposal_id,
            "item_id": item_id,
            "decision": decision,
            "note": note,
            "source": source,
            "decided_at": now(),
        },
    )


def decisions(store: Store, job_id: int) -> list[Decision]:
    """Every decision recorded for a job, oldest first, with the version and item it concerns."""
    rows = store.query(
        "SELECT d.*, p.version, i.number, i.title FROM decisions d "
        "JOIN proposals p ON p.id = d.proposal_id JOIN items i ON i.id = d.item_id "
        "WHERE p.job_id = ? ORDER BY d.id",
        [job_id],
    )
    return cast("list[Decision]", rows)


def decision_counts(store: Store, job_id: int) -> list[dict]:
    """How many decisions of each kind each version received."""
    return store.query(
        "SELECT p.version, d.decision, count(*) AS n FROM decisions d "
        "JOIN proposals p ON p.id = d.proposal_id WHERE p.job_id = ? "
        "GROUP BY p.version, d.decision",
        [job_id],
    )


def last_decisions(store: Store, item_ids: list[int]) -> dict[int, Decision]:
    """The latest decision on each of these items."""
    if not item_ids:
        return {}
    marks = ", ".join("?" for _ in item_ids)
    rows = store.query(
        f"SELECT d.* FROM decisions d WHERE d.id IN (SELECT max(id) FROM decisions "
        f"WHERE item_id IN ({marks}) GROUP BY item_id)",
        list(item_ids),
    )
    return {row["item_id"]: cast(Decision, row) for row in rows}
