"""`shop calendar -o shop.ics [--days N]`: written with icalendar, read back here with a
second, independent parser (vobject), as a calendar program would read it."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from billing_helpers import item, ready


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_TODAY", "2026-06-20")


@pytest.fixture
def busy(shop, store):
    """A shop with something of every kind the calendar shows."""
    ready(shop)  # Helmi Saari's shop, client Oskar Lund, job Midsummer 2026
    shop("job", "edit", "Midsummer", "--deadline", "2026-06-26")
    shop("client", "edit", "Oskar Lund", "--birthday", "1979-11-02")
    shop(
        "recipient",
        "add",
        "Oskar Lund",
        "Elsa",
        "--birthday",
        "2016-02-29",
        "--date",
        "name day=2016-01-19",
    )
    shop("recipient", "add", "Oskar Lund", "Nils", "--birthday", "2012-08-30")
    item(shop, "Straw hat", "35", status="approved")
    item(shop, "Picnic blanket", "60", status="approved")
    shop("item", "mark", "Straw hat", "ordered", "--eta", "2026-06-24", "--carrier", "PostNord")
    shop("item", "mark", "Picnic blanket", "ordered", "--eta", "2026-07-15")
    shop(
        "handover",
        "Midsummer",
        "--method",
        "pickup",
        "--plan",
        "--date",
        "2026-06-25",
        "--place",
        "Café Aalto",
    )
    shop("invoice", "Midsummer", "--issue")
    return store


def read_back(path: Path) -> dict[str, object]:
    """The events of an .ics file by UID, parsed by vobject (not icalendar)."""
    import vobject

    text = path.read_bytes().decode("utf-8")
    assert "\r\n" in text  # RFC 5545 line ends
    calendar = vobject.readOne(text)
    assert calendar.version.value == "2.0"
    events = {event.uid.value: event for event in calendar.vevent_list}
    assert len(events) == len(calendar.vevent_list), "UIDs must be unique"
    return events


def test_every_kind_of_date_is_in_the_calendar(shop, busy, tmp_path) -> None:
    out = tmp_path / "shop.ics"
    done = shop("calendar", "-o", str(out))
    assert oct(out.stat().st_mode & 0o777) == "0o600"  # it names people and dates
    events = read_back(out)
    invoice = busy.one("SELECT id, number, due FROM invoices")
    elsa = busy.one("SELECT id FROM recipients WHERE name = 'Elsa'")["id"]
    item_ids = {r["title"]: r["id"] for r in busy.query("SELECT id, title FROM items")}
    expected = {
        f"birthday-recipient-{elsa}@shopcli": ("Birthday: Elsa (Oskar Lund)", "2016-02-29"),
        f"date-recipient-{elsa}-name-day@shopcli": ("Name day: Elsa (Oskar Lund)", "2016-01-19"),
        "birthday-client-1@shopcli": ("Birthday: Oskar Lund (client)", "1979-11-02"),
        "deadline-job-1@shopcli": ("Deadline: Midsummer 2026 (Oskar Lund)", "2026-06-26"),
        "handover-1@shopcli": (
            "Handover (pickup) at Café Aalto: Midsummer 2026 (Oskar Lund)",
            "2026-06-25",
        ),
        f"delivery-item-{item_ids['Straw hat']}@shopcli": ("Expected: Straw hat", "2026-06-24"),
        f"delivery-item-{item_ids['Picnic blanket']}@shopcli": (
            "Expected: Picnic blanket",
            "2026-07-15",
        ),
        f"invoice-due-{invoice['id']}@shopcli": (
            f"Invoice {invoice['number']} due (Oskar Lund)",
            invoice["due"],
        ),
    }
    for uid, (summary, day) in expected.items():
        event = events[uid]
        assert event.summary.value == summary
        assert event.dtstart.value == dt.date.fromisoformat(day)  # an all-day date
        assert event.dtend.value == dt.date.fromisoformat(day) + dt.timedelta(days=1)
    assert len(events) == len(expected) + 1  # and Nils's birthday
    # Birthdays and name days come back every year; 29 February on February's last day.
    assert events["birthday-client-1@shopcli"].rrule.value == "FREQ=YEARLY"
    elsa_rule = events[f"birthday-recipient-{elsa}@shopcli"].rruleset
    assert dt.datetime(2027, 2, 28) in list(
        elsa_rule.between(dt.datetime(2027, 1, 1), dt.datetime(2027, 12, 31), inc=True)
    )
    assert not hasattr(events["deadline-job-1@shopcli"], "rrule")
    assert "PostNord" in events[f"delivery-item-{item_ids['Straw hat']}@shopcli"].description.value
    # A planned handover names no items yet: no "0 item(s)".
    assert not hasattr(events["handover-1@shopcli"], "description")
    assert "Wrote" in done.stdout and "9 events" in done.stdout


def test_uids_stay_the_same_so_a_new_file_updates_the_events(shop, busy, tmp_path) -> None:
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    shop("calendar", "-o", str(first))
    shop("item", "delay", "Straw hat", "--eta", "2026-06-29", "--reason", "late at customs")
    shop("calendar", "-o", str(second))
    before, after = read_back(first), read_back(second)
    assert set(before) == set(after)
    hat = busy.one("SELECT id FROM items WHERE title = 'Straw hat'")["id"]
    uid = f"delivery-item-{hat}@shopcli"
    assert (before[uid].dtstart.value, after[uid].dtstart.value) == (
        dt.date(2026, 6, 24),
        dt.date(2026, 6, 29),
    )


def test_days_limits_one_off_events_but_keeps_yearly_ones(shop, busy, tmp_path) -> None:
    out = tmp_path / "week.ics"
    shop("calendar", "-o", str(out), "--days", "5")
    events = read_back(out)
    one_off = sorted(e.summary.value for e in events.values() if not hasattr(e, "rrule"))
    # 20 June + 5 days: the hat (24th) and the handover (25th); not the deadline (26th),
    # the blanket (15 July) or the invoice (due in July).
    assert one_off == [
        "Expected: Straw hat",
        "Handover (pickup) at Café Aalto: Midsummer 2026 (Oskar Lund)",
    ]
    assert sum(1 for e in events.values() if hasattr(e, "rrule")) == 4


def test_done_work_leaves_the_calendar(shop, busy, tmp_path) -> None:
    invoice = busy.one("SELECT number, total FROM invoices")
    shop("pay", invoice["number"], invoice["total"])
    shop("item", "mark", "Straw hat", "delivered")
    shop("job", "edit", "Midsummer", "--status", "done")
    out = tmp_path / "later.ics"
    shop("calendar", "-o", str(out))
    summaries = [event.summary.value for event in read_back(out).values()]
    assert not any(s.startswith(("Invoice", "Deadline", "Expected: Straw")) for s in summaries)


def test_an_empty_shop_writes_an_empty_calendar_to_stdout(shop, tmp_path) -> None:
    import vobject

    shop("init", "--name", "Helmi Saari")
    text = shop("calendar").stdout
    calendar = vobject.readOne(text)
    assert calendar.prodid.value.startswith("-//shopcli//")
    assert not list(calendar.components())
    assert os.environ["SHOP_TODAY"] == "2026-06-20"
