"""Shell completion (`shop --install-completion`): client, job and recipient names, item and
invoice numbers, read straight from the database.

A completion runs on every Tab press, so it must not be noticed: a read-only SQLite
connection and one small query, no migrations, no sqlite-utils, Jinja, Babel or rich. A
missing or busy database completes nothing rather than waiting or creating one.
"""

from __future__ import annotations

import sqlite3
from typing import Any

LIMIT = 60


def _rows(sql: str, params: tuple = ()) -> list[tuple]:
    from shopcli.core.paths import db_path

    path = db_path()
    if not path.is_file():
        return []
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0.2)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def _like(incomplete: str) -> str:
    escaped = incomplete.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _matching(rows: list[tuple], incomplete: str) -> list[tuple[str, str]]:
    """(value, help) pairs whose value starts with what was typed (Typer then keeps those
    that match it exactly, case included)."""
    folded = incomplete.casefold()
    found = [(str(value), str(help_ or "")) for value, help_ in rows]
    return [pair for pair in found if pair[0].casefold().startswith(folded)][:LIMIT]


def clients(incomplete: str) -> list[tuple[str, str]]:
    return _matching(
        _rows("SELECT name, coalesce(email, '') FROM clients ORDER BY name LIMIT 2000"),
        incomplete,
    )


def jobs(incomplete: str) -> list[tuple[str, str]]:
    return _matching(
        _rows(
            "SELECT j.title, c.name || ' · ' || j.status FROM jobs j "
            "JOIN clients c ON c.id = j.client_id "
            "ORDER BY j.status = 'open' DESC, j.id DESC LIMIT 2000"
        ),
        incomplete,
    )


def recipients(incomplete: str) -> list[tuple[str, str]]:
    return _matching(
        _rows(
            "SELECT r.name, 'for ' || c.name FROM recipients r "
            "JOIN clients c ON c.id = r.client_id ORDER BY r.name LIMIT 2000"
        ),
        incomplete,
    )


def _job_id(ctx: Any) -> int | None:
    """The job named earlier on the line (its id, title, prefix or CLIENT/JOB), if exactly
    one job answers to it."""
    job = str((getattr(ctx, "params", None) or {}).get("job") or "").strip()
    if not job:
        return None
    title = job.rsplit("/", 1)[-1].strip()
    rows = _rows(
        "SELECT id FROM jobs WHERE CAST(id AS TEXT) = ? OR title LIKE ? ESCAPE '\\' LIMIT 2",
        (title, _like(title)),
    )
    return rows[0][0] if len(rows) == 1 else None


def items(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Within a job (--job given): `#N` with the title; otherwise item ids with the title."""
    job_id = _job_id(ctx)
    if job_id is not None:
        rows = _rows(
            "SELECT '#' || number, title || ' · ' || status FROM items WHERE job_id = ? "
            "ORDER BY number LIMIT 2000",
            (job_id,),
        )
        return _matching(rows, incomplete)
    rows = _rows(
        "SELECT i.id, i.title || ' · ' || j.title FROM items i JOIN jobs j ON j.id = i.job_id "
        "WHERE CAST(i.id AS TEXT) LIKE ? ESCAPE '\\' ORDER BY i.id DESC LIMIT 2000",
        (_like(incomplete),),
    )
    return _matching(rows, incomplete)


def item_numbers(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Item numbers in the job named before them (`shop approve JOB 1 3`)."""
    job_id = _job_id(ctx)
    if job_id is None:
        return []
    rows = _rows(
        "SELECT number, title || ' · ' || status FROM items WHERE job_id = ? "
        "ORDER BY number LIMIT 2000",
        (job_id,),
    )
    return _matching(rows, incomplete)


def invoices(incomplete: str) -> list[tuple[str, str]]:
    return _matching(
        _rows(
            "SELECT inv.number, c.name || ' · ' || inv.issued FROM invoices inv "
            "JOIN clients c ON c.id = inv.client_id WHERE inv.number LIKE ? ESCAPE '\\' "
            "ORDER BY inv.id DESC LIMIT 2000",
            (_like(incomplete),),
        ),
        incomplete,
    )
