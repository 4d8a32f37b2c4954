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


def add_days(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=int(days))).isoformat()


def now() -> str:
    """The current time as stored: ISO 8601 UTC, seconds."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
