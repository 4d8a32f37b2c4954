"""Shell completion (`shop --install-completion`): client, job and recipient names, item and
invoice numbers, read from the database by `storage.completion`.

A completion runs on every Tab press, so it must not be noticed: a read-only SQLite
connection and one small query, no migrations, no sqlite-utils, Jinja, Babel or rich. A
missing or busy database completes nothing rather than waiting or creating one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

LIMIT = 60


def _db() -> Path:
    from shopcli.core.paths import db_path

    return db_path()


def _matching(rows: list[tuple[str, str]], incomplete: str) -> list[tuple[str, str]]:
    """(value, help) pairs whose value starts with what was typed (Typer then keeps those
    that match it exactly, case included)."""
    folded = incomplete.casefold()
    return [pair for pair in rows if pair[0].casefold().startswith(folded)][:LIMIT]


def clients(incomplete: str) -> list[tuple[str, str]]:
    from shopcli.storage import completion

    return _matching(completion.clients(_db()), incomplete)


def jobs(incomplete: str) -> list[tuple[str, str]]:
    from shopcli.storage import completion

    return _matching(completion.jobs(_db()), incomplete)


def recipients(incomplete: str) -> list[tuple[str, str]]:
    from shopcli.storage import completion

    return _matching(completion.recipients(_db()), incomplete)


def _job_id(ctx: Any) -> int | None:
    """The job named earlier on the line, as any command would read it."""
    from shopcli.storage import completion

    job = str((getattr(ctx, "params", None) or {}).get("job") or "")
    return completion.job_id(_db(), job)


def items(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Within a job (--job given): `#N` with the title; otherwise item ids with the title."""
    from shopcli.storage import completion

    job_id = _job_id(ctx)
    if job_id is not None:
        return _matching(completion.items_in_job(_db(), job_id), incomplete)
    return _matching(completion.item_ids(_db(), incomplete), incomplete)


def item_numbers(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Item numbers in the job named before them (`shop approve JOB 1 3`)."""
    from shopcli.storage import completion

    job_id = _job_id(ctx)
    if job_id is None:
        return []
    return _matching(completion.item_numbers(_db(), job_id), incomplete)


def invoices(incomplete: str) -> list[tuple[str, str]]:
    from shopcli.storage import completion

    return _matching(completion.invoices(_db(), incomplete), incomplete)
