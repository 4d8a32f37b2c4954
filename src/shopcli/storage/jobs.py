"""Queries about jobs."""

from __future__ import annotations

from shopcli.storage import Store


def named(store: Store, client_id: int, title: str) -> dict | None:
    """The client's job with exactly this title (case-insensitive), if any."""
    return store.one(
        "SELECT * FROM jobs WHERE client_id = ? AND title = ? COLLATE NOCASE", [client_id, title]
    )


def issued_invoices(store: Store, job_id: int) -> int:
    """How many issued invoices a job has (0 before the invoices table exists)."""
    if not store.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'invoices'"):
        return 0
    return int(store.scalar("SELECT count(*) FROM invoices WHERE job_id = ?", [job_id]) or 0)


def listing(store: Store, client_id: int | None = None, status: str | None = None) -> list[dict]:
    where: list[str] = ["1"]
    params: list[int | str] = []
    if client_id is not None:
        where.append("j.client_id = ?")
        params.append(client_id)
    if status:
        where.append("j.status = ?")
        params.append(status)
    return store.query(
        "SELECT j.*, c.name AS client FROM jobs j JOIN clients c ON c.id = j.client_id "
        f"WHERE {' AND '.join(where)} ORDER BY j.deadline IS NULL, j.deadline, j.id",
        params,
    )
