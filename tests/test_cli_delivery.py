"""`shop item mark|check|receive|resolve|delay|history|code` through the real CLI and database."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from delivery_data import refused
from shopcli.delivering import delivery
from shopcli.work import items, lifecycle


def _events(store, item_id: int) -> list[dict]:
    return store.query("SELECT * FROM events WHERE item_id = ? ORDER BY id", [item_id])


# -- transitions through the CLI (every pair is checked in test_delivery.py) -------------


@pytest.fixture(scope="module")
def template_db(tmp_path_factory) -> Path:
    """One database with a single item, built once and copied for each status."""
    from shopcli.people import clients
    from shopcli.storage import Store
    from shopcli.work import jobs

    path = tmp_path_factory.mktemp("template") / "shop.db"
    store = Store(path)
    client = clients.add(store, "Ewa Zielińska", currency="PLN")
    job = jobs.add(store, client, "Gwiazdka", currency="PLN")
    items.add(store, job, "Latarka", price="80", shipping="10")
    store.close()
    return path


@pytest.mark.parametrize("current", list(lifecycle.TRANSITIONS))
def test_mark_allowed_and_refused(shop, home, template_db, current):
    """From each status: the first mark it allows succeeds, one it does not is refused."""
    from shopcli.storage import Store

    home.mkdir(parents=True, exist_ok=True)
    allowed = [new for new in delivery.MARKS if new in lifecycle.TRANSITIONS[current]]
    refused = [new for new in delivery.MARKS if new not in lifecycle.TRANSITIONS[current]]
    cases = ([(allowed[0], True)] if allowed else []) + [(refused[-1], False)]
    for new, ok in cases:
        shutil.copy(template_db, home / "shop.db")
        store = Store(home / "shop.db")
        with store.write():
            store.update("items", 1, {"status": current})
        before = store.scalar("SELECT count(*) FROM events")
        if ok:
            result = shop("item", "mark", "Latarka", new, "--on", "2030-03-01")
            assert f"{lifecycle.label(current)} → {lifecycle.label(new)}" in result.stdout
            assert store.get("items", 1)["status"] == new
            event = store.one("SELECT * FROM events ORDER BY id DESC LIMIT 1")
            assert event["kind"] == f"item.{new}"
        else:
            result = shop.fails("item", "mark", "Latarka", new, code=4)
            if current == new:
                assert "already" in result.stderr
            else:
                assert (
                    f"{lifecycle.label(new)}; from {lifecycle.label(current)} it can go to:"
                    in result.stderr
                )
                for option in lifecycle.TRANSITIONS[current]:
                    assert lifecycle.label(option) in result.stderr
            assert store.get("items", 1)["status"] == current
            assert store.scalar("SELECT count(*) FROM events") == before
        store.close()


def test_unknown_mark_status_is_refused(shop, delivery_db):
    refused(shop, "item", "mark", "Atlas", "approved", says="shop approve", code=2)
    refused(shop, "item", "mark", "Atlas", "lost", says="use one of ordered, shipped", code=2)


# -- ordering and shipping ---------------------------------------------------------------


def test_order_ship_and_history(shop, delivery_db):
    store = delivery_db
    out = shop(
        "item",
        "mark",
        "Atlas",
        "ordered",
        "--order-no",
        "KS-2030-77",
        "--eta",
        "2030-03-10",
        "--note",
        "paid by Jan",
    ).stdout
    assert "approved → ordered" in out and "KS-2030-77" in out
    shop(
        "item",
        "mark",
        "Atlas",
        "shipped",
        "--carrier",
        "InPost",
        "--tracking",
        "620000111222333",
        "--eta",
        "2030-03-12",
    )
    row = items.get(store, "Atlas")
    assert (row["status"], row["order_no"], row["carrier"], row["tracking"], row["eta"]) == (
        "shipped",
        "KS-2030-77",
        "InPost",
        "620000111222333",
        "2030-03-12",
    )
    data = shop.json("item", "history", "Atlas")
    assert data["delivery"]["carrier"] == "InPost"
    kinds = [entry["kind"] for entry in data["history"]]
    assert kinds == ["item.added", "item.approved", "item.ordered", "item.shipped"]
    assert data["history"][2]["detail"]["note"] == "paid by Jan"
    assert data["history"][3]["detail"]["tracking"] == "620000111222333"
    text = shop("item", "history", "Atlas").stdout
    assert "ordered → shipped" in text and "InPost" in text


def test_options_that_do_not_fit_are_refused(shop, delivery_db):
    store = delivery_db
    for args, says in [
        (["ordered", "--code", "ABCD-1234"], "--code and --link are recorded when marking an"),
        (["ordered", "--refund", "10"], "--refund, --refund-currency and --refund-by are for"),
        (["ordered", "--eta", "soon"], "(--eta) must be a date written YYYY-MM-DD, e.g."),
        (["cancelled", "--tracking", "X1"], "--tracking cannot be recorded when marking an item"),
    ]:
        refused(shop, "item", "mark", "Atlas", *args, says=says, code=2)
    shop("item", "mark", "Atlas", "ordered")
    for args, says in [
        (["--eta", "2030-01-01"], "--eta is for items on their way (ordered, shipped)"),
        (["--link", "not a link"], "link is not a web link"),
    ]:
        refused(shop, "item", "mark", "Atlas", "delivered", *args, says=says, code=2)
    assert items.get(store, "Atlas")["status"] == "ordered"


def test_delay_records_new_date_and_reason(shop, delivery_db):
    store = delivery_db
    refused(
        shop,
        *("item", "delay", "Atlas", "--eta", "2030-03-20"),
        says="is approved; only ordered or shipped items can be delayed",
        code=4,
    )
    shop("item", "mark", "Atlas", "ordered", "--eta", "2030-03-10")
    shop(
        "item", "delay", "Atlas", "--eta", "2030-03-20", "--reason", "out of stock at the warehouse"
    )
    row = items.get(store, "Atlas")
    assert row["eta"] == "2030-03-20" and row["delay_reason"].startswith("out of stock")
    event = _events(store, row["id"])[-1]
    assert event["kind"] == "item.delayed"
    assert json.loads(event["detail"])["from"] == "2030-03-10"


# -- pre-purchase checks -----------------------------------------------------------------


def test_check_everything_matched(shop, delivery_db):
    store = delivery_db
    out = shop("item", "check", "Atlas", "--on", "2030-03-01").stdout
    assert "everything matched" in out
    row = items.get(store, "Atlas")
    assert row["status"] == "approved"
    check = store.one("SELECT * FROM item_checks WHERE item_id = ?", [row["id"]])
    assert check["matched"] == 1 and check["checked_on"] == "2030-03-01"
    assert check["new_price"] is None


def test_check_price_change_within_budget_needs_the_client(shop, delivery_db):
    store = delivery_db
    out = shop("item", "check", "Atlas", "--price", "130").stdout
    assert "price 120.00 PLN → 130.00 PLN" in out and "shop approve" in out
    row = items.get(store, "Atlas")
    assert row["status"] == "needs_client"
    assert Decimal(row["price"]) == Decimal("130")
    check = store.one("SELECT * FROM item_checks WHERE item_id = ?", [row["id"]])
    assert (check["matched"], check["old_price"], check["new_price"], check["over_budget"]) == (
        0,
        "120",
        "130",
        0,
    )
    # The client says yes: approving again is allowed from needs_client.
    lifecycle.check("needs_client", "approved")


def test_check_price_over_budget_needs_approval_again(shop, delivery_db):
    store = delivery_db
    # Hania: budget 250; Atlas 120 + gift card 100 approved; 120 -> 160 makes 260.
    out = shop("item", "check", "Atlas", "--price", "160").stdout
    assert "over budget" in out
    row = items.get(store, "Atlas")
    assert row["status"] == "proposed"
    assert Decimal(row["price"]) == Decimal("160")
    kinds = [event["kind"] for event in _events(store, row["id"])]
    assert kinds[-3:] == ["item.checked", "item.needs_client", "item.proposed"]
    assert store.one("SELECT over_budget FROM item_checks")["over_budget"] == 1


def test_check_unavailable_and_note_are_mismatches(shop, delivery_db):
    store = delivery_db
    shop("item", "check", "Atlas", "--unavailable")
    assert items.get(store, "Atlas")["status"] == "needs_client"
    shop("item", "check", "Dzwonek", "--note", "only in red now")
    row = items.get(store, "Dzwonek")
    assert row["status"] == "needs_client"
    assert (
        store.one("SELECT note FROM item_checks WHERE item_id = ?", [row["id"]])["note"]
        == "only in red now"
    )


def test_check_before_approval_keeps_status_and_after_ordering_is_refused(shop, delivery_db):
    store = delivery_db
    shop("item", "check", "Kask", "--price", "189")
    row = items.get(store, "Kask")
    assert (row["status"], row["price"]) == ("candidate", "189")
    refused(shop, "item", "check", "Kask", "--price", "abc", says="not a number: 'abc'", code=2)
    shop("item", "mark", "Atlas", "ordered")
    refused(
        shop,
        "item",
        "check",
        "Atlas",
        says="is already ordered; the store page is checked before buying",
        code=4,
    )


# -- receiving and inspection ------------------------------------------------------------


def test_receive_ok(shop, delivery_db):
    store = delivery_db
    shop("item", "mark", "Atlas", "ordered")
    shop("item", "receive", "Atlas", "--ok", "--on", "2030-03-05")
    row = items.get(store, "Atlas")
    assert row["status"] == "received"
    found = store.one("SELECT * FROM inspections WHERE item_id = ?", [row["id"]])
    assert (found["result"], found["inspected_on"], found["resolved_on"]) == (
        "ok",
        "2030-03-05",
        None,
    )


@pytest.mark.parametrize("problem", ["damaged", "wrong", "missing"])
def test_receive_problem_until_resolved(shop, delivery_db, problem):
    store = delivery_db
    shop("item", "mark", "Atlas", "ordered")
    shop("item", "mark", "Atlas", "shipped", "--carrier", "DPD", "--tracking", "DPD-1")
    out = shop("item", "receive", "Atlas", f"--{problem}", "--note", "cover torn").stdout
    assert "resolve" in out
    agenda = shop.json("agenda", "--today", "2030-03-06")["entries"]
    assert [e["section"] for e in agenda if e["item"] == "Atlas koni"] == ["inspection"]
    # A second inspection waits for the first to be resolved; handover skips it.
    refused(shop, "item", "receive", "Atlas", "--ok", says="already has an open problem", code=4)
    refused(
        shop,
        *("handover", "Gwiazdka", "--method", "pickup", "--date", "2030-03-07"),
        says="no received items without an open problem",
        code=3,
    )
    shop("item", "resolve", "Atlas", "--accepted", "--note", "Jan keeps it")
    row = items.get(store, "Atlas")
    assert row["status"] == "received"
    found = store.one("SELECT * FROM inspections WHERE item_id = ?", [row["id"]])
    assert found["resolution"] == "accepted" and found["resolution_note"] == "Jan keeps it"
    agenda = shop.json("agenda", "--today", "2030-03-06")["entries"]
    assert [e["section"] for e in agenda if e["item"] == "Atlas koni"] == ["handover"]
    refused(
        shop,
        *("item", "resolve", "Atlas", "--accepted"),
        says="has no open inspection problem to resolve",
        code=3,
    )


def test_resolve_by_exchange_goes_back_to_ordered(shop, delivery_db):
    store = delivery_db
    shop("item", "mark", "Atlas", "ordered", "--eta", "2030-03-03")
    shop("item", "mark", "Atlas", "shipped", "--carrier", "DPD", "--tracking", "DPD-1")
    shop("item", "receive", "Atlas", "--wrong", "--note", "got volume 2")
    shop("item", "resolve", "Atlas", "--exchange")
    row = items.get(store, "Atlas")
    assert (row["status"], row["tracking"], row["eta"]) == ("ordered", None, None)
    shop("item", "mark", "Atlas", "shipped", "--carrier", "DPD", "--tracking", "DPD-2")
    shop("item", "receive", "Atlas", "--ok")
    assert items.get(store, "Atlas")["status"] == "received"


def test_resolve_by_return_expects_a_refund(shop, delivery_db):
    store = delivery_db
    shop("item", "mark", "Atlas", "ordered")
    shop("item", "receive", "Atlas", "--damaged", "--on", "2030-03-05")
    shop("item", "resolve", "Atlas", "--return", "--on", "2030-03-06")
    row = items.get(store, "Atlas")
    assert row["status"] == "returned"
    refund = store.one("SELECT * FROM refunds WHERE item_id = ?", [row["id"]])
    assert (refund["reason"], refund["amount"], refund["currency"], refund["received_on"]) == (
        "returned",
        "120",
        "PLN",
        None,
    )


def test_an_open_problem_blocks_delivery_until_resolved(shop, delivery_db):
    store = delivery_db
    shop("item", "mark", "Atlas", "ordered")
    shop("item", "receive", "Atlas", "--damaged", "--note", "torn cover", "--on", "2030-03-05")
    atlas = items.get(store, "Atlas")
    refused(
        shop,
        *("item", "mark", "Atlas", "delivered"),
        says=f"open problem from inspection (damaged); resolve it first with "
        f"`shop item resolve {atlas['id']} --accepted|--exchange|--return`",
        code=4,
    )
    shop("item", "resolve", "Atlas", "--accepted", "--note", "Ewa keeps it")
    shop("item", "mark", "Atlas", "delivered", "--on", "2030-03-07")
    assert items.get(store, "Atlas")["status"] == "delivered"
    agenda = shop.json("agenda", "--today", "2030-03-08")["entries"]
    assert not [e for e in agenda if e["section"] == "inspection"]


def test_returning_an_item_closes_its_problem(shop, delivery_db):
    store = delivery_db
    shop("item", "mark", "Atlas", "ordered")
    shop("item", "receive", "Atlas", "--wrong", "--on", "2030-03-05")
    shop("item", "mark", "Atlas", "returned", "--on", "2030-03-06", "--note", "sent back")
    atlas = items.get(store, "Atlas")
    found = store.one("SELECT * FROM inspections WHERE item_id = ?", [atlas["id"]])
    assert (found["resolution"], found["resolved_on"], found["resolution_note"]) == (
        "return",
        "2030-03-06",
        "sent back",
    )
    event = _events(store, atlas["id"])[-1]
    assert json.loads(event["detail"])["problem_closed"] == "wrong"
    agenda = shop.json("agenda", "--today", "2030-03-08")["entries"]
    assert [e["section"] for e in agenda if e["item"] == "Atlas koni"] == ["refund"]


def test_refunding_closes_a_problem_left_open_by_an_older_version(shop, delivery_db):
    store = delivery_db
    shop("item", "mark", "Atlas", "ordered")
    shop("item", "receive", "Atlas", "--missing", "--on", "2030-03-05")
    shop("item", "mark", "Atlas", "returned", "--on", "2030-03-06")
    # Returned before returning closed problems: the problem is still open.
    with store.write():
        store.execute("UPDATE inspections SET resolution = NULL, resolved_on = NULL")
    shop("item", "mark", "Atlas", "refunded", "--on", "2030-03-10")
    found = store.one("SELECT * FROM inspections")
    assert (found["resolution"], found["resolved_on"]) == ("return", "2030-03-10")
    agenda = shop.json("agenda", "--today", "2030-03-11")["entries"]
    assert not [e for e in agenda if e["item"] == "Atlas koni"]


def test_receive_needs_exactly_one_result(shop, delivery_db):
    shop("item", "mark", "Atlas", "ordered")
    says = "give exactly one result: --ok, --damaged, --wrong or --missing"
    refused(shop, "item", "receive", "Atlas", says=says, code=2)
    refused(shop, "item", "receive", "Atlas", "--ok", "--damaged", says=says, code=2)
    both = "(not --ok and --damaged)"
    refused(shop, "item", "receive", "Atlas", "--ok", "--damaged", says=both, code=2)
    # Resolving a problem takes exactly one way, said the same way.
    says = "give exactly one resolution: --accepted, --exchange or --return"
    refused(shop, "item", "resolve", "Atlas", says=says, code=2)
    refused(shop, "item", "resolve", "Atlas", "--accepted", "--return", says=says, code=2)
    # Approved, never ordered.
    refused(shop, "item", "receive", "Karta", "--ok", says="from approved it can go to", code=4)


# -- refunds -----------------------------------------------------------------------------


def test_cancelled_order_expects_refund_with_shipping_until_refunded(shop, delivery_db):
    store = delivery_db
    shop("item", "mark", "Dzwonek", "ordered")
    out = shop("item", "mark", "Dzwonek", "cancelled", "--on", "2030-03-02").stdout
    assert "82.50 PLN" in out
    row = items.get(store, "Dzwonek")
    refund = store.one("SELECT * FROM refunds WHERE item_id = ?", [row["id"]])
    # 2 x 35 + 12.50 shipping, due in 14 days.
    assert (refund["amount"], refund["expected_by"], refund["reason"]) == (
        "82.5",
        "2030-03-16",
        "cancelled",
    )
    agenda = shop.json("agenda", "--today", "2030-03-20")["entries"]
    pending = [e for e in agenda if e["section"] == "refund"]
    assert pending[0]["overdue"] and pending[0]["detail"]["amount"] == "82.5"
    refused(
        shop,
        *("item", "mark", "Dzwonek", "refunded", "--refund-currency", "EUR"),
        says="the refund was expected in PLN, not EUR",
        code=2,
    )
    shop("item", "mark", "Dzwonek", "refunded", "--refund", "70", "--on", "2030-03-18")
    refund = store.one("SELECT * FROM refunds WHERE item_id = ?", [row["id"]])
    assert (refund["received_on"], refund["received_amount"]) == ("2030-03-18", "70")
    agenda = shop.json("agenda", "--today", "2030-03-20")["entries"]
    assert not [e for e in agenda if e["section"] == "refund"]


def test_returned_item_with_explicit_refund(shop, delivery_db):
    store = delivery_db
    shop("item", "mark", "Atlas", "ordered")
    shop("item", "mark", "Atlas", "delivered")
    shop(
        "item",
        "mark",
        "Atlas",
        "returned",
        "--refund",
        "27,90",
        "--refund-currency",
        "EUR",
        "--refund-by",
        "2030-04-01",
    )
    refund = store.one("SELECT * FROM refunds")
    assert (refund["amount"], refund["currency"], refund["expected_by"]) == (
        "27.9",
        "EUR",
        "2030-04-01",
    )
    # Another currency without an amount cannot be guessed.
    shop("item", "mark", "Dzwonek", "ordered")
    shop("item", "mark", "Dzwonek", "shipped")
    refused(
        shop,
        *("item", "mark", "Dzwonek", "returned", "--refund-currency", "EUR"),
        says="priced in PLN: give the refund amount in EUR with --refund",
        code=2,
    )


def test_cancelling_before_ordering_expects_no_refund(shop, delivery_db):
    store = delivery_db
    out = shop("item", "mark", "Karta", "cancelled").stdout
    assert "Refund" not in out
    assert store.scalar("SELECT count(*) FROM refunds") == 0


# -- digital goods and masked codes ------------------------------------------------------

CODE = "ZXCV-7788-QWER-AB12"


def test_digital_code_is_masked_everywhere_but_reveal(shop, delivery_db):
    store = delivery_db
    shop("item", "mark", "Karta", "ordered")
    out = shop(
        "item",
        "mark",
        "Karta",
        "delivered",
        "--code",
        CODE,
        "--link",
        "https://prezenty.example/karta/SECRET-TOKEN-991",
    ).stdout
    assert CODE not in out and "****-****-****-AB12" in out and "SECRET" not in out
    row = items.get(store, "Karta")
    assert row["status"] == "delivered"
    stored = store.one("SELECT * FROM digital_goods WHERE item_id = ?", [row["id"]])
    assert stored["code"] == CODE
    outputs = [
        shop("item", "history", "Karta").stdout,
        shop("item", "history", "Karta", "--json").stdout,
        shop("item", "show", "Karta", "--json").stdout,
        shop("item", "list", "--json").stdout,
        shop("item", "code", "Karta").stdout,
        shop("item", "code", "Karta", "--json").stdout,
    ]
    for text in outputs:
        assert CODE not in text and "SECRET-TOKEN" not in text
    assert "****-****-****-AB12" in outputs[0]
    revealed = shop.json("item", "code", "Karta", "--reveal")
    assert revealed["code"] == CODE and revealed["revealed"] is True
    assert revealed["link"].endswith("SECRET-TOKEN-991")
    # The event log (the shopper's "logs") never holds the code, only that it was shown.
    log = " ".join(f"{e['summary']} {e['detail']}" for e in store.query("SELECT * FROM events"))
    assert CODE not in log and "SECRET-TOKEN" not in log and "AB12" in log
    assert store.scalar("SELECT count(*) FROM events WHERE kind = 'item.code_revealed'") == 1


def test_code_needs_a_digital_item(shop, delivery_db):
    refused(shop, "item", "code", "Atlas", says="has no code or link", code=3)


@pytest.mark.parametrize(
    ("code", "masked"),
    [
        ("ZXCV-7788-QWER-AB12", "****-****-****-AB12"),
        ("ABCDEFGH1234", "********1234"),
        ("ABC123", "****23"),
        ("A1B2", "****"),
    ],
)
def test_mask_examples(code, masked):
    assert delivery.mask_code(code) == masked
