"""Shared record handling: finding records by id, name or prefix, and cleaning typed fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from shopcli.core.errors import Ambiguous, InvalidInput, NotFound
from shopcli.storage import Store

Cleaner = Callable[[Any], Any]


def clean(
    cleaners: Mapping[str, Cleaner], values: Mapping[str, Any], *, editing: bool = False
) -> dict:
    """Run each given value through its cleaner; None means "not given".

    When editing, an empty string clears an optional field.
    """
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        if key not in cleaners:
            raise InvalidInput(f"unknown field {key!r}")
        if editing and isinstance(value, str) and value.strip() == "":
            cleaned[key] = None
            continue
        cleaned[key] = cleaners[key](value)
    return cleaned


def find(
    store: Store,
    kind: str,
    table: str,
    column: str,
    ref: str,
    *,
    where: str = "1",
    params: tuple = (),
    describe: Callable[[dict], str] | None = None,
) -> dict:
    """One record named by id, exact name or unambiguous prefix (case-insensitive)."""
    ref = str(ref).strip()
    if not ref:
        raise InvalidInput(f"name a {kind} (its id or name)")
    describe = describe or (lambda row: str(row[column]))
    if _is_id(ref):
        row = store.find_id(table, int(ref), where, params)
        if row:
            return row
    if ref.startswith("#") and _is_id(ref[1:]):
        row = store.find_id(table, int(ref[1:]), where, params)
        if row:
            return row
        raise NotFound(f"no {kind} with id {ref[1:]}")
    rows, _exact = store.find_named(table, column, ref, where, params)
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise NotFound(f"no {kind} matches {ref!r}")
    shown = "; ".join(f"#{row['id']} {describe(row)}" for row in rows[:8])
    more = f" and {len(rows) - 8} more" if len(rows) > 8 else ""
    raise Ambiguous(
        f"{ref!r} matches {len(rows)} {kind}s: {shown}{more}; use the id or a longer name"
    )


def _is_id(ref: str) -> bool:
    """Plain ASCII digits that fit an SQLite integer (not "²", not 20 digits)."""
    return ref.isascii() and ref.isdigit() and len(ref) <= 18


def item_ref(item: Mapping[str, Any]) -> str:
    """How errors and hints name an item: `JOB/N` by the job's id (`2/3`), which every
    command taking an item accepts, and which names neither the item nor its job."""
    return f"{item['job_id']}/{item['number']}"


def loads(value: str | None, default: Any) -> Any:
    if not value:
        return default
    import json  # here: a command that reads no JSON column does not import it

    return json.loads(value)


def dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)
