"""`shop time`: durations as typed, logging, listing, removing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopcli.billing.timelog import format_minutes, hours, parse_duration
from shopcli.core.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1h30m", 90),
        ("1h 30m", 90),
        ("90m", 90),
        ("90min", 90),
        ("1.5h", 90),
        ("1,5h", 90),
        ("2h", 120),
        ("2 hours", 120),
        ("45 minutes", 45),
        ("1:30", 90),
        ("0:05", 5),
        ("0.25h", 15),
        ("24h", 1440),
    ],
)
def test_durations_as_typed(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    "text",
    ["", "abc", "0m", "0h", "-1h", "1.01h", "30m1h", "1h1h", "25h", "1h30", "h", "1x", "1:75"],
)
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_duration(text)


@given(st.integers(min_value=1, max_value=1440))
def test_formatted_durations_parse_back(minutes: int) -> None:
    assert parse_duration(format_minutes(minutes)) == minutes
    assert parse_duration(f"{minutes}m") == minutes


def test_hours_are_exact_when_they_can_be() -> None:
    assert str(hours(90)) == "1.5" and str(hours(600)) == "10" and str(hours(125)) == "2.0833"


def test_log_list_and_remove(shop) -> None:
    from billing_helpers import ready

    ready(shop, fee="hourly:40")
    out = shop(
        "time",
        "log",
        "Midsummer",
        "1h30m",
        "--note",
        "three shops downtown",
        "--date",
        "2026-06-02",
    ).stdout
    assert "Logged 1h30m on Midsummer 2026" in out and "total 1h30m" in out
    shop("time", "log", "Midsummer", "20m", "--date", "2026-06-03")
    data = shop.json("time", "list", "Midsummer")
    assert data["total_minutes"] == 110 and data["total"] == "1h50m"
    assert data["hours"] == "1.8333"
    assert [(e["worked_on"], e["minutes"], e["note"]) for e in data["entries"]] == [
        ("2026-06-02", 90, "three shops downtown"),
        ("2026-06-03", 20, None),
    ]
    listing = shop("time", "list", "Midsummer").stdout
    assert "three shops downtown" in listing and "Total: 1h50m" in listing
    shop("time", "rm", str(data["entries"][1]["id"]))
    assert shop.json("time", "list", "Midsummer")["total_minutes"] == 90
    draft = shop.json("invoice", "Midsummer")
    assert draft["lines"][0]["amount"] == "60.00"  # 90 min at 40 per hour


def test_bad_input_changes_nothing(shop) -> None:
    from billing_helpers import ready

    ready(shop, fee="hourly:40")
    shop.fails("time", "log", "Midsummer", "ninety", code=2)
    shop.fails("time", "log", "Midsummer", "1h", "--date", "June 2nd", code=2)
    shop.fails("time", "log", "No such job", "1h", code=3)
    shop.fails("time", "log", "Midsummer", "1h", "--note", "card 4111 1111 1111 1111")
    shop.fails("time", "rm", "99", code=3)
    assert shop.json("time", "list", "Midsummer")["entries"] == []


def test_removing_time_and_costs_is_one_logged_step(shop, store) -> None:
    import json

    from billing_helpers import ready

    ready(shop, fee="hourly:40")
    shop("time", "log", "Midsummer", "45m", "--date", "2026-06-02")
    shop("cost", "add", "Midsummer", "shipping", "9.90", "--note", "parcel to Oskar")
    assert "Removed time entry #1 (45m)" in shop("time", "rm", "1").stdout
    assert "Removed shipping cost #1" in shop("cost", "rm", "1").stdout
    removed = {
        e["kind"]: (e["summary"], json.loads(e["detail"]), e["job_id"])
        for e in store.rows("events")
        if e["kind"].endswith(".removed")
    }
    assert removed == {
        "time.removed": (
            "time entry 1 (45m) removed",
            {"id": 1, "minutes": 45, "worked_on": "2026-06-02"},
            1,
        ),
        "cost.removed": (
            "shipping cost 9.90 EUR removed",
            {"id": 1, "kind": "shipping", "amount": "9.9", "currency": "EUR"},
            1,
        ),
    }
    for args, message in (
        (("time", "rm", "1"), "no time entry with id 1"),
        (("cost", "rm", "1"), "no job cost with id 1"),
    ):
        assert message in shop.fails(*args, code=3).stderr
    assert store.scalar("SELECT count(*) FROM time_entries") == 0
    assert store.scalar("SELECT count(*) FROM job_costs") == 0
    assert store.scalar("SELECT count(*) FROM events WHERE kind LIKE '%.removed'") == 2
