"""Dates: today (fixed by SHOP_TODAY or --today), and day arithmetic."""

from __future__ import annotations

import datetime as dt
import os

from shopcli.core import validate

ENV_TODAY = "SHOP_TODAY"


def today(override: str | None = None) -> str:
    """Today's date (ISO); `override` or the SHOP_TODAY environment variable fixes it."""
    fixed = override or os.environ.get(ENV_TODAY)
    if fixed:
        return validate.date(fixed, "today's date")
    return dt.date.today().isoformat()


# A day something happened may be tomorrow (the shopper's day may be the bank's tomorrow) but
# no later; one more than this many days back is taken with a warning (a typo in the year?).
LONG_AGO_DAYS = 366


def past_day(value: str | None, what: str, override: str | None = None) -> str:
    """The day something happened (money received, time worked), YYYY-MM-DD; today when not
    given. A day after tomorrow is refused: it would put the money or the hours into the
    wrong period of the books and the report. A day more than a year back is kept, with a
    warning (ShopWarning)."""
    on = today(override)
    if value is None:
        return on
    day = validate.date(value, what)
    if day > add_days(on, 1):
        from shopcli.core.errors import InvalidInput

        raise InvalidInput(
            f"{what} {day} is in the future (today is {on}); record it on the day it happens"
        )
    if day < add_days(on, -LONG_AGO_DAYS):
        import warnings

        from shopcli.core.errors import ShopWarning

        warnings.warn(
            f"{what} {day} is more than a year ago (today is {on}); recorded as given; "
            "check the year",
            ShopWarning,
            stacklevel=2,
        )
    return day


def add_days(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=int(days))).isoformat()


def now() -> str:
    """The current time as stored: ISO 8601 UTC, seconds."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
