"""Queries about jobs."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from shopcli.core.errors import NotFound
from shopcli.storage import Store
from shopcli.storage.records import find
from shopcli.storage.rows import Job


def by_id(store: Store, job_id: int) -> Job | None:
    return cast("Job | None", store.get("jobs", job_id))


def existing(store: Store, job_id: int) -> Job:
    """A job that must be there: one an item or invoice refers to, one just written."""
    found = by_id(store, job_id)
    if found is None:
        raise NotFound(f"no job with id {job_id}")
    return found


def find_titled(
    store: Store,
    ref: str,
    client_id: int | None = None,
    describe: Callable[[dict], str] | None = None,
) -> Job:
    """A job by id, title or unambiguous prefix, of one client if given."""
    if client_id is None:
        row = find(store, "job", "jobs", "title", ref, describe=describe)
    else:
        row = find(
            store,
            "job",
            "jobs",
            "title",
            ref,
            where="client_id = ?",
            params=(client_id,),
            describe=describe,
        )
    return cast(Job, row)


def find_named(store: Store, ref: str, describe: Callable[[dict], str] | None = None) -> Job:
    """A job as every command names one: by id, title or unambiguous prefix, or as
    CLIENT/JOB (the client named as anywhere) when titles repeat across clients."""
    try:
        return find_titled(store, ref, describe=describe)
    except NotFound:
        if "/" not in ref:
            raise
    from shopcli.storage import clients

    client_ref, _, title = ref.partition("/")
    client = clients.named(store, client_ref)
    return find_titled(store, title, client["id"])


def named(store: Store, client_id: int, title: str) -> Job | None:
    """The client's job with exactly this title (case-insensitive), if any."""
    return cast(
        "Job | None",
        store.one(
            "SELECT * FROM jobs WHERE client_id = ? AND title = ? COLLATE NOCASE",
            [client_id, title],
        ),
    )


def issued_invoices(store: Store, job_id: int) -> int:
    """How many issued invoices a job has (0 before the invoices table exists)."""
    if not store.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'invoices'"):
        return 0
    return int(store.scalar("SELECT count(*) FROM invoices WHERE job_id = ?", [job_id]) or 0)


def listing(store: Store, client_id: int | None = None, status: str | None = None) -> list[Job]:
    where: list[str] = ["1"]
    params: list[int | str] = []
    if client_id is not None:
        where.append("j.client_id = ?")
        params.append(client_id)
    if status:
        where.append("j.status = ?")
        params.append(status)
    rows = store.query(
        "SELECT j.*, c.name AS client FROM jobs j JOIN clients c ON c.id = j.client_id "
        f"WHERE {' AND '.join(where)} ORDER BY j.deadline IS NULL, j.deadline, j.id",
        params,
    )
    return cast("list[Job]", rows)
