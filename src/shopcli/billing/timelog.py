"""Time spent on a job, in whole minutes (the basis of an hourly fee)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from shopcli.core import validate
from shopcli.core.dates import now
from shopcli.core.errors import InvalidInput
from shopcli.storage import Store, events
from shopcli.storage import invoices as queries
from shopcli.storage.rows import Job

MAX_MINUTES = 24 * 60

_UNITS = re.compile(r"(\d+(?:[.,]\d+)?)(hours?|hrs|hr|h|minutes?|mins|min|m)", re.IGNORECASE)


def parse_duration(text: str) -> int:
    """Minutes in a duration as typed: 1h30m, 1h 30m, 90m, 1.5h, 1,5h, 2h or 1:30.

    Only whole minutes are accepted (0.01h is refused rather than rounded), and one entry
    is at most 24 hours.
    """
    raw = text
    value = (text or "").strip().lower()
    if not value:
        raise InvalidInput("give a duration such as 1h30m, 90m or 1.5h")
    clock = re.fullmatch(r"(\d{1,2}):([0-5]\d)", value)
    if clock:
        minutes = Decimal(int(clock.group(1)) * 60 + int(clock.group(2)))
    else:
        pos, minutes, seen = 0, Decimal(0), set()
        compact = value.replace(" ", "")
        for match in _UNITS.finditer(compact):
            if match.start() != pos:
                break
            unit = "h" if match.group(2).startswith("h") else "m"
            if unit in seen or (unit == "h" and "m" in seen):
                raise InvalidInput(f"duration {raw!r} not understood: write hours before minutes")
            seen.add(unit)
            try:
                number = Decimal(match.group(1).replace(",", "."))
            except InvalidOperation:  # pragma: no cover - the pattern only admits digits
                raise InvalidInput(f"duration {raw!r} not understood") from None
            minutes += number * 60 if unit == "h" else number
            pos = match.end()
        if not seen or pos != len(compact):
            raise InvalidInput(
                f"duration {raw!r} not understood: write e.g. 1h30m, 90m, 1.5h, 2h or 1:30"
            )
    if minutes != minutes.to_integral_value():
        raise InvalidInput(f"duration {raw!r} is not a whole number of minutes")
    whole = int(minutes)
    if whole <= 0:
        raise InvalidInput("a duration must be more than zero minutes")
    if whole > MAX_MINUTES:
        raise InvalidInput("one time entry can be at most 24 hours; log each day separately")
    return whole


def format_minutes(minutes: int) -> str:
    """1h30m, 45m, 2h: how a duration is shown in tables."""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return f"{hours}h{rest:02d}m"
    return f"{hours}h" if hours else f"{rest}m"


def hours(minutes: int) -> Decimal:
    """Minutes as hours for display: exact when it can be (90 -> 1.5), else to 4 places.

    Amounts are never computed from this: an hourly fee is minutes x rate / 60.
    """
    from shopcli.core.money import to_text

    return Decimal(to_text((Decimal(int(minutes)) / Decimal(60)).quantize(Decimal("0.0001"))))


def log(
    store: Store,
    job: Job,
    duration: str,
    *,
    note: str | None = None,
    worked_on: str | None = None,
    today: str | None = None,
) -> dict:
    """Record time spent on a job."""
    from shopcli.core.dates import today as current_day

    minutes = parse_duration(duration)
    day = validate.date(worked_on, "date") if worked_on else current_day(today)
    cleaned_note = validate.text(note, "note", max_length=500) if note else None
    with store.write():
        entry_id = store.insert(
            "time_entries",
            {
                "job_id": job["id"],
                "worked_on": day,
                "minutes": minutes,
                "note": cleaned_note,
                "created_at": now(),
            },
        )
        events.log(
            store,
            "time.logged",
            f"{format_minutes(minutes)} logged on {day}",
            client_id=job["client_id"],
            job_id=job["id"],
            detail={"minutes": minutes, "worked_on": day, "entry_id": entry_id},
        )
    return store.get("time_entries", entry_id) or {}


def listing(store: Store, job: Job) -> list[dict]:
    return queries.time_entries(store, job["id"])


def total_minutes(store: Store, job: Job) -> int:
    return queries.time_minutes(store, job["id"])


def remove(store: Store, entry_id: int) -> dict:
    """Remove a time entry logged by mistake (issued invoices keep what they billed)."""
    from shopcli.billing.invoices import remove_billing_input

    return remove_billing_input(
        store,
        "time_entries",
        entry_id,
        what="time entry",
        event="time.removed",
        summary=lambda row: f"time entry {row['id']} ({format_minutes(row['minutes'])}) removed",
        detail=("minutes", "worked_on"),
    )


def public(row: dict) -> dict:
    return {
        "id": row["id"],
        "job_id": row["job_id"],
        "worked_on": row["worked_on"],
        "minutes": row["minutes"],
        "duration": format_minutes(row["minutes"]),
        "note": row.get("note"),
    }
