"""Invoice numbers: gap-free series by the profile's number format."""

from __future__ import annotations

import datetime as dt

from shopcli.core.errors import Conflict, InvalidInput
from shopcli.storage import Store
from shopcli.storage import invoices as queries


def series_key(number_format: str, day: str) -> str:
    """The series a number belongs to: its year (and month) when the format shows them."""
    fields = _checked_fields(number_format)
    date = dt.date.fromisoformat(day)
    parts = []
    if "year" in fields:
        parts.append(f"{date.year:04d}")
    if "month" in fields:
        parts.append(f"{date.month:02d}")
    return "-".join(parts) or "all"


def format_number(number_format: str, day: str, seq: int) -> str:
    _checked_fields(number_format)
    date = dt.date.fromisoformat(day)
    return number_format.format(year=date.year, month=date.month, seq=seq)


def _checked_fields(number_format: str) -> set[str]:
    """The format's fields, refusing anything but {year}, {month} and {seq} (see profile)."""
    from shopcli.people.profile import number_format_fields

    try:
        return number_format_fields(number_format)
    except InvalidInput as exc:
        raise InvalidInput(
            f"{exc}; fix it with `shop profile set invoice_number_format '{{year}}-{{seq:04d}}'`"
        ) from None


def next_number(store: Store, prof, day: str) -> tuple[str, str, int]:
    """(number, series, seq) for a document issued on `day`; call inside the transaction."""
    latest = queries.latest_issue_date(store)
    if latest and day < latest:
        raise Conflict(
            f"cannot issue with date {day}: a document was already issued on {latest}, and "
            "numbers must follow the dates"
        )
    number_format = str(prof.get("invoice_number_format") or "{year}-{seq:04d}")
    series = series_key(number_format, day)
    last = queries.last_in_series(store, series)
    seq = (int(last["seq"]) if last else 0) + 1
    number = format_number(number_format, day, seq)
    if queries.by_number(store, number):
        raise Conflict(
            f"number {number} is taken already (the number format changed?); set a format "
            "that cannot repeat with `shop profile set invoice_number_format ...`"
        )
    return number, series, seq


def reference_for(number: str) -> str | None:
    from shopcli.billing.payment_codes import rf_reference

    try:
        return rf_reference(number)
    except (InvalidInput, ValueError):
        return None
