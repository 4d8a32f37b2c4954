"""Dates: one source for today (SHOP_TODAY moves every command), dates written YYYY-MM-DD only
and within sane years on every Python, and the day money came or time was spent within
reason."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing_helpers import ready
from shopcli.core import validate
from shopcli.core.errors import ExitStatus, InvalidInput

SRC = Path(__file__).parent.parent / "src" / "shopcli"
# Modules that take the clock for a moment, not for the shopper's today: a backup's file
# name and age, an export's and a calendar's time stamp.
MOMENTS = {"data/backup.py", "data/calendar.py", "data/exporting.py", "data/privacy.py"}
_TODAY = re.compile(r"\b(?:date|datetime)\.today\(|\bdate\.fromtimestamp\(")
_NOW = re.compile(r"\bdatetime\.now\(")


def test_today_has_one_source() -> None:
    """`core.dates.today()` is today everywhere: it honours SHOP_TODAY and --today, so a
    command that asks the clock itself ignores both (the agenda did)."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        if name == "core/dates.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if _TODAY.search(code) or (_NOW.search(code) and name not in MOMENTS):
                found.append(f"{name}:{number}: {line.strip()}")
    assert not found, "ask core.dates.today() (or dates.now()) instead:\n" + "\n".join(found)


def test_shop_today_moves_the_agenda_and_the_days_recorded(shop, store, monkeypatch) -> None:
    ready(shop)
    shop("job", "edit", "Midsummer", "--deadline", "2031-06-24")
    monkeypatch.setenv("SHOP_TODAY", "2031-06-20")
    agenda = shop.json("agenda")
    assert agenda["today"] == "2031-06-20"
    [deadline] = [e for e in agenda["entries"] if e["section"] == "deadline"]
    assert (deadline["due"], deadline["days"]) == ("2031-06-24", 4)
    assert "2031-06-20" in shop("agenda").stdout
    monkeypatch.setenv("SHOP_TODAY", "2031-07-01")
    assert shop.json("agenda")["today"] == "2031-07-01"


def test_shop_today_dates_a_handover(shop, delivery_db, monkeypatch) -> None:
    monkeypatch.setenv("SHOP_TODAY", "2030-12-18")
    shop("item", "mark", "Atlas", "ordered")
    shop("item", "receive", "Atlas", "--ok")
    shop("handover", "Gwiazdka", "--method", "pickup")
    handover = delivery_db.one("SELECT handed_on FROM handovers")
    assert handover == {"handed_on": "2030-12-18"}
    assert delivery_db.one("SELECT delivered_on FROM items WHERE title LIKE 'Atlas%'") == {
        "delivered_on": "2030-12-18"
    }


# -- YYYY-MM-DD, within sane years --------------------------------------------------------------


@given(st.dates(dt.date(validate.FIRST_YEAR, 1, 1), dt.date(validate.LAST_YEAR, 12, 31)))
def test_every_date_in_range_reads_back(day: dt.date) -> None:
    assert validate.date(day.isoformat()) == day.isoformat()
    assert validate.date(f"  {day.isoformat()}\n") == day.isoformat()


@given(st.text(max_size=12))
def test_only_yyyy_mm_dd_is_a_date(text: str) -> None:
    """The same on every Python: 3.11+ `date.fromisoformat` also reads 20261224 and week
    dates, 3.10 does not; neither is taken here."""
    try:
        found = validate.date(text)
    except InvalidInput:
        return
    assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text.strip()) and found == text.strip()


@pytest.mark.parametrize(
    "value", ["20261224", "2026W011", "2026-W01-1", "2026-12-24T10:00", "2026-1-5", "٢٠٢٦-١٢-٢٤"]
)
def test_other_iso_forms_are_refused_on_the_command_line(shop, store, value) -> None:
    ready(shop)
    failed = shop.fails("time", "log", "Midsummer", "5m", "--date", value, code=2)
    assert "date worked must be a date written YYYY-MM-DD" in failed.stderr
    assert store.scalar("SELECT count(*) FROM time_entries") == 0


@pytest.mark.parametrize("value", ["1899-12-31", "2201-01-01", "9999-12-31", "0001-01-01"])
def test_far_years_are_refused(value) -> None:
    with pytest.raises(InvalidInput, match="must fall in the years 1900-2200"):
        validate.date(value, "date")


@pytest.mark.parametrize(
    "args",
    [
        ("agenda", "--today", "9999-12-31"),
        ("invoice", "remind", "2026-0001", "--preview", "--today", "9999-12-31"),
        ("calendar", "--days", "99999999999"),
    ],
    ids=["agenda", "remind", "calendar"],
)
def test_far_dates_are_refused_not_a_crash(shop, args) -> None:
    ready(shop)
    shop("invoice", "Midsummer", "--issue", "--today", "2026-06-20")
    failed = shop.fails(*args, code=ExitStatus.INVALID_INPUT)
    said = [line for line in failed.stderr.splitlines() if line.startswith("Error:")]
    assert len(said) == 1 and ("1900-2200" in said[0] or "3650" in said[0]), failed.stderr


# -- money received and time worked: not after tomorrow, a warning for long ago ------------------


@pytest.fixture
def billed(shop, monkeypatch):
    monkeypatch.setenv("SHOP_TODAY", "2026-06-20")
    ready(shop, fee="flat:100")
    shop("invoice", "Midsummer", "--issue")


@pytest.mark.parametrize(
    "args",
    [
        ("pay", "2026-0001", "10", "--date", "2026-06-22"),
        ("pay", "2026-0001", "10", "--date", "9999-12-31"),
        ("time", "log", "Midsummer", "1h", "--date", "2026-06-22"),
        ("time", "log", "Midsummer", "1h", "--date", "2099-01-01"),
    ],
    ids=["pay after tomorrow", "pay far ahead", "time after tomorrow", "time far ahead"],
)
def test_a_day_after_tomorrow_is_refused(shop, store, billed, args) -> None:
    failed = shop.fails(*args, code=ExitStatus.INVALID_INPUT)
    assert len(failed.stderr.strip().splitlines()) == 1
    assert store.scalar("SELECT count(*) FROM payments") == 0
    assert store.scalar("SELECT count(*) FROM time_entries") == 0


def test_tomorrow_and_a_year_back_are_taken_and_longer_ago_warns(shop, store, billed) -> None:
    for args in (("pay", "2026-0001", "10"), ("time", "log", "Midsummer", "1h")):
        quiet = shop(*args, "--date", "2026-06-21")  # the bank's day may be ahead of yours
        assert "Warning" not in quiet.stderr
        quiet = shop(*args, "--date", "2025-06-20")
        assert "more than a year ago" not in quiet.stderr
        warned = shop(*args, "--date", "2025-06-18")
        assert "2025-06-18 is more than a year ago (today is 2026-06-20)" in warned.stderr
    assert [r["paid_on"] for r in store.query("SELECT paid_on FROM payments ORDER BY id")] == [
        "2026-06-21",
        "2025-06-20",
        "2025-06-18",
    ]
    assert store.scalar("SELECT count(*) FROM time_entries") == 3
