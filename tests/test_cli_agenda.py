"""`shop agenda`: every section, most urgent first, on a fixed date."""

from __future__ import annotations

import pytest

from delivery_data import refused
from shopcli.work import items, lifecycle

TODAY = "2030-12-15"


def _add(shop, store, title: str, who: str, status: str = lifecycle.APPROVED) -> None:
    shop("item", "add", "Gwiazdka", title, "--for", who, "--price", "40")
    items.set_status(store, items.get(store, title), status)


def _invoice(store, number: str, due: str, total: str, paid: str | None = None) -> None:
    job = store.one("SELECT * FROM jobs")
    with store.write():
        invoice_id = store.insert(
            "invoices",
            {
                "number": number,
                "series": "2030",
                "seq": int(number[-1]),
                "kind": "invoice",
                "job_id": job["id"],
                "client_id": job["client_id"],
                "issued": "2030-11-01",
                "due": due,
                "currency": "PLN",
                "total": total,
                "document": "{}",
                "created_at": "2030-11-01T10:00:00+00:00",
            },
        )
        if paid:
            store.insert(
                "payments",
                {
                    "invoice_id": invoice_id,
                    "client_id": job["client_id"],
                    "amount": paid,
                    "received": paid,
                    "currency": "PLN",
                    "paid_on": "2030-11-20",
                    "method": "transfer",
                    "created_at": "2030-11-20T10:00:00+00:00",
                },
            )


@pytest.fixture
def busy(shop, delivery_db):
    """One entry for every section of the agenda on 2030-12-15."""
    store = delivery_db
    shop("item", "mark", "Atlas", "ordered")
    shop(
        "item",
        "mark",
        "Atlas",
        "shipped",
        "--carrier",
        "InPost",
        "--tracking",
        "6200",
        "--eta",
        "2030-12-12",
    )  # late
    shop("item", "mark", "Dzwonek", "ordered")
    shop("item", "receive", "Dzwonek", "--damaged", "--note", "bent", "--on", "2030-12-10")
    # Karta podarunkowa stays approved (to order); Kask is proposed (awaiting the client).
    items.set_status(store, items.get(store, "Kask"), lifecycle.PROPOSED)
    _add(shop, store, "Puzzle", "Kuba")
    shop("item", "mark", "Puzzle", "ordered")
    shop("item", "mark", "Puzzle", "cancelled", "--on", "2030-12-01")  # refund due 12-15
    _add(shop, store, "Lampka", "Hania")
    shop("item", "mark", "Lampka", "ordered")
    shop("item", "receive", "Lampka", "--ok")  # to hand over
    _add(shop, store, "Rower", "Kuba")
    shop("item", "mark", "Rower", "ordered")
    shop("item", "mark", "Rower", "delivered", "--on", "2030-06-01")  # last year's gift
    _add(shop, store, "Stary rower", "Kuba")
    shop("item", "mark", "Stary rower", "ordered")
    shop("item", "mark", "Stary rower", "delivered", "--on", "2029-06-01")  # too long ago
    shop("recipient", "edit", "Kuba", "--birthday", "2020-12-25")
    has_invoices = bool(
        store.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'invoices'")
    )
    if has_invoices:
        _invoice(store, "2030-0001", "2030-12-01", "150", paid="50")  # overdue, 100 owed
        _invoice(store, "2030-0002", "2030-12-01", "100", paid="100")  # paid
        _invoice(store, "2030-0003", "2030-12-31", "100")  # not due yet
    return has_invoices


def test_order_on_a_fixed_day(shop, busy):
    data = shop.json("agenda", "--today", TODAY)
    assert data["today"] == TODAY
    entries = data["entries"]
    got = [(e["section"], e["item"] or e["job"] or e["recipient"]) for e in entries]
    expected = [
        ("inspection", "Dzwonek rowerowy"),
        ("late", "Atlas koni"),
        ("refund", "Puzzle"),
        ("invoice", "Gwiazdka 2030"),
        ("awaiting", "Kask"),
        ("to_order", "Karta podarunkowa"),
        ("handover", "Lampka"),
        ("deadline", "Gwiazdka 2030"),
        ("birthday", None),
    ]
    if not busy:
        expected.remove(("invoice", "Gwiazdka 2030"))
    assert [section for section, _ in got] == [section for section, _ in expected]
    assert got[:-1] == expected[:-1]
    late = entries[1]
    assert (late["due"], late["days"], late["overdue"]) == ("2030-12-12", -3, True)
    assert late["detail"]["tracking"] == "6200"
    refund = next(e for e in entries if e["section"] == "refund")
    assert (refund["due"], refund["overdue"], refund["detail"]["amount"]) == (
        "2030-12-15",
        False,
        "40",
    )
    deadline = next(e for e in entries if e["section"] == "deadline")
    assert (deadline["due"], deadline["days"]) == ("2030-12-20", 5)
    birthday = entries[-1]
    assert (birthday["recipient"], birthday["due"], birthday["detail"]["age"]) == (
        "Kuba",
        "2030-12-25",
        10,
    )
    assert [gift["title"] for gift in birthday["detail"]["last_gifts"]] == ["Rower"]
    if busy:
        invoice = next(e for e in entries if e["section"] == "invoice")
        assert (invoice["detail"]["invoice"], invoice["detail"]["owed"]) == ("2030-0001", "100")


def test_text_output_and_waiting_days(shop, busy):
    text = shop("agenda", "--today", TODAY).stdout
    assert "Agenda for 2030-12-15" in text
    for label in (
        "problem on receipt",
        "past expected date",
        "refund pending",
        "awaiting the client",
        "approved, not ordered",
        "to hand over",
        "job deadline",
        "birthday",
    ):
        assert label in text
    assert "Rower" in text
    # Waiting longer than the proposal has existed: no "awaiting" entry.
    entries = shop.json("agenda", "--today", TODAY, "--days", "3650")["entries"]
    assert "awaiting" not in [e["section"] for e in entries]


def test_planned_handover_moves_it_to_its_day(shop, busy):
    shop("handover", "Gwiazdka", "--plan", "--method", "pickup", "--date", "2030-12-19")
    entries = shop.json("agenda", "--today", TODAY)["entries"]
    sections = [e["section"] for e in entries]
    assert sections.index("handover") == sections.index("deadline") - 1
    handover = entries[sections.index("handover")]
    assert (handover["due"], handover["detail"]["planned_on"]) == ("2030-12-19", "2030-12-19")


def test_birthdays_wrap_around_new_year(shop, delivery_db):
    shop("recipient", "edit", "Kuba", "--birthday", "2020-01-05")
    entries = shop.json("agenda", "--today", "2030-12-20")["entries"]
    birthdays = [e for e in entries if e["section"] == "birthday"]
    assert [(e["recipient"], e["due"]) for e in birthdays] == [("Kuba", "2031-01-05")]
    entries = shop.json("agenda", "--today", "2030-11-01")["entries"]
    assert not [e for e in entries if e["section"] == "birthday"]


def test_quiet_day_and_bad_input(shop, delivery_db):
    with delivery_db.write():
        delivery_db.execute("UPDATE items SET status = 'delivered'")
    out = shop("agenda", "--today", "2030-07-01").stdout
    assert "Nothing on the agenda for 2030-07-01" in out
    refused(
        shop,
        *("agenda", "--today", "1.7.2030"),
        says="--today must be a date written YYYY-MM-DD, e.g. 2026-12-24",
        code=2,
    )
    refused(shop, "agenda", "--days", "-1", says="--days", code=2)


def test_the_whole_agenda_streams_in_order(shop, busy, delivery_db):
    """`--json` and `--all` merge the sections as they are read: the result is the agenda's
    order, every entry once, counted per section."""
    import datetime as dt

    from shopcli.work import agenda

    store = delivery_db
    for n, eta in enumerate(["2030-12-14", "2030-12-01", "2030-12-20", "2030-12-14"]):
        _add(shop, store, f"Klocki {n}", "Hania")
        shop("item", "mark", f"Klocki {n}", "ordered")
        shop("item", "mark", f"Klocki {n}", "shipped", "--eta", eta)
    for n in range(3):
        _add(shop, store, f"Skarpety {n}", "Kuba")  # approved: to order
        _add(shop, store, f"Czapka {n}", "Hania", lifecycle.PROPOSED)  # awaiting the client
    data = shop.json("agenda", "--today", TODAY, "--days", "0")
    entries = data["entries"]
    assert entries == sorted(entries, key=agenda._order(dt.date.fromisoformat(TODAY)))
    assert data["counts"] == {
        section: sum(1 for e in entries if e["section"] == section) for section in agenda.SECTIONS
    }
    assert data["counts"]["late"] == 4 and data["counts"]["to_order"] >= 3
    late = [e["item"] for e in entries if e["section"] == "late"]
    assert late[:3] == ["Klocki 1", "Atlas koni", "Klocki 0"]  # 12-01, 12-12, 12-14 ...
    assert "Klocki 2" not in late  # due 12-20: not late yet
    text = shop("agenda", "--today", TODAY, "--days", "0", "--all").stdout
    assert "more" not in text
    assert sum(text.count(label) for label in ("past expected date", "approved, not ordered")) == (
        data["counts"]["late"] + data["counts"]["to_order"]
    )


def test_items_that_need_the_client_are_urgent_at_once(shop, busy, delivery_db):
    """A price changed or an item unavailable at the store, or a change the client asked for,
    is on the agenda the same day, among the urgent entries, whatever --days says."""
    store = delivery_db
    shop("item", "check", "Karta", "--price", "260", "--on", TODAY)  # approved -> needs client
    shop("item", "check", "Kask", "--unavailable", "--note", "sold out until January")
    entries = shop.json("agenda", "--today", TODAY, "--days", "30")["entries"]
    urgent = [(e["section"], e["item"]) for e in entries if e["section"] == "client"]
    assert sorted(urgent) == [("client", "Karta podarunkowa"), ("client", "Kask")]
    sections = [e["section"] for e in entries]
    assert sections.index("client") == sections.index("inspection") + 1
    assert sections.index("client") < sections.index("late")
    assert "awaiting" not in sections  # Kask is urgent now, not merely awaiting an answer
    kask = next(e for e in entries if e["item"] == "Kask")
    assert kask["due"] <= TODAY and kask["detail"]["unavailable"] is True  # due now
    assert kask["detail"]["note"] == "sold out until January"
    karta = next(e for e in entries if e["item"] == "Karta podarunkowa")
    assert (karta["detail"]["old_price"], karta["detail"]["new_price"]) == ("100", "260")
    text = shop("agenda", "--today", TODAY).stdout
    assert "needs the client" in text and "price 100.00 PLN → 260.00 PLN" in text
    assert "store check: not available; sold out until January" in text
    assert "next proposal version shows them (shop propose 1)" in text
    # A change the client asked for is there at once too.
    _add(shop, store, "Kredki", "Hania", lifecycle.PROPOSED)
    items.set_status(store, items.get(store, "Kredki"), lifecycle.CHANGE_REQUESTED)
    entries = shop.json("agenda", "--today", TODAY, "--days", "30")["entries"]
    assert ("client", "Kredki") in [(e["section"], e["item"]) for e in entries]
    # Checked again and everything matched: off the urgent list.
    shop("item", "check", "Kask")
    entries = shop.json("agenda", "--today", TODAY, "--days", "0")["entries"]
    assert "Kask" not in [e["item"] for e in entries if e["section"] == "client"]


def test_last_years_gifts_are_those_before_this_occasion(shop, busy, delivery_db):
    """Kuba's birthday is on 2030-12-25: a gift handed over on 2030-12-10 is for this one;
    one handed over at last year's birthday is last year's."""
    store = delivery_db
    for title, day in (("Hulajnoga", "2030-12-10"), ("Klocki", "2029-12-22")):
        _add(shop, store, title, "Kuba")
        shop("item", "mark", title, "ordered")
        shop("item", "mark", title, "delivered", "--on", day)
    entries = shop.json("agenda", "--today", TODAY)["entries"]
    birthday = next(e for e in entries if e["section"] == "birthday")
    gifts = [gift["title"] for gift in birthday["detail"]["last_gifts"]]
    assert gifts == ["Klocki", "Rower"]  # not Hulajnoga (this year's), not Stary rower (2029-06)
    text = shop("agenda", "--today", TODAY).stdout
    assert "Klocki; Rower" in text and "Hulajnoga" not in text.split("turns 10")[1]


def test_each_entry_counts_from_the_day_the_item_entered_its_status(shop, delivery_db):
    """The day an item entered its status is kept on it (`status_on`) as the status changes:
    the agenda counts the wait from it, and a new status starts a new day."""
    import datetime as dt

    store = delivery_db
    _add(shop, store, "Latarka", "Kuba", lifecycle.PROPOSED)
    entered = dt.datetime.now(dt.timezone.utc).date()
    row = store.one("SELECT status, status_on FROM items WHERE title = 'Latarka'")
    assert row == {"status": "proposed", "status_on": entered.isoformat()}
    later = (entered + dt.timedelta(days=5)).isoformat()

    def entry(section: str) -> dict:
        found = shop.json("agenda", "--today", later, "--days", "3")["entries"]
        return next(e for e in found if e["section"] == section and e["item"] == "Latarka")

    awaiting = entry("awaiting")
    assert awaiting["detail"]["since"] == entered.isoformat()
    assert awaiting["detail"]["waiting_days"] == 5
    assert (awaiting["due"], awaiting["days"]) == ((entered + dt.timedelta(days=3)).isoformat(), -2)
    with store.write():  # as if proposed long ago: the stored day is what counts
        store.execute("UPDATE items SET status_on = '2020-01-01' WHERE title = 'Latarka'")
    assert entry("awaiting")["detail"]["since"] == "2020-01-01"
    items.set_status(store, items.get(store, "Latarka"), lifecycle.APPROVED)
    to_order = entry("to_order")
    assert to_order["detail"]["since"] == entered.isoformat() and to_order["days"] == -5
