"""`shop item mark|check|receive|resolve|delay|history|code` through the real CLI and database."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import delivery_data
from shopcli import delivery, items, lifecycle


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("built") / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHOP_HOME", str(folder))
        delivery_data.build(folder)
    return folder


@pytest.fixture
def shop_items(built, home):
    """Approved Atlas koni (120) and Karta podarunkowa (100) for Hania (budget 250), Dzwonek
    rowerowy (2 x 35 + 12.50 shipping) for Kuba, and a candidate Kask (199) for Kuba."""
    from shopcli.storage import Store

    delivery_data.copy_into(built, home)
    store = Store(home / "shop.db")
    yield store
    store.close()


def _events(store, item_id: int) -> list[dict]:
    return store.query("SELECT * FROM events WHERE item_id = ? ORDER BY id", [item_id])


# -- transitions through the CLI (every pair is checked in test_delivery.py) -------------


@pytest.fixture(scope="module")
def template_db(tmp_path_factory) -> Path:
    """One database with a single item, built once and copied for each status."""
    from shopcli import clients, jobs
    from shopcli.storage import Store

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


def test_unknown_mark_status_is_refused(shop, shop_items):
    result = shop.fails("item", "mark", "Atlas", "approved")
    assert "shop approve" in result.stderr
    result = shop.fails("item", "mark", "Atlas", "lost")
    assert "ordered, shipped" in result.stderr


# -- ordering and shipping ---------------------------------------------------------------


def test_order_ship_and_history(shop, shop_items):
    store = shop_items
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


def test_options_that_do_not_fit_are_refused(shop, shop_items):
    store = shop_items
    shop.fails("item", "mark", "Atlas", "ordered", "--code", "ABCD-1234", code=2)
    shop.fails("item", "mark", "Atlas", "ordered", "--refund", "10", code=2)
    shop.fails("item", "mark", "Atlas", "ordered", "--eta", "soon", code=2)
    shop.fails("item", "mark", "Atlas", "cancelled", "--tracking", "X1", code=2)
    shop("item", "mark", "Atlas", "ordered")
    shop.fails("item", "mark", "Atlas", "delivered", "--eta", "2030-01-01", code=2)
    shop.fails("item", "mark", "Atlas", "delivered", "--link", "not a link", code=2)
    assert items.get(store, "Atlas")["status"] == "ordered"


def test_delay_records_new_date_and_reason(shop, shop_items):
    store = shop_items
    shop.fails("item", "delay", "Atlas", "--eta", "2030-03-20")  # not ordered yet
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


def test_check_everything_matched(shop, shop_items):
    store = shop_items
    out = shop("item", "check", "Atlas", "--on", "2030-03-01").stdout
    assert "everything matched" in out
    row = items.get(store, "Atlas")
    assert row["status"] == "approved"
    check = store.one("SELECT * FROM item_checks WHERE item_id = ?", [row["id"]])
    assert check["matched"] == 1 and check["checked_on"] == "2030-03-01"
    assert check["new_price"] is None


def test_check_price_change_within_budget_needs_the_client(shop, shop_items):
    store = shop_items
    out = shop("item", "check", "Atlas", "--price", "130").stdout
    assert "120 → 130 PLN" in out and "shop approve" in out
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


def test_check_price_over_budget_needs_approval_again(shop, shop_items):
    store = shop_items
    # Hania: budget 250; Atlas 120 + gift card 100 approved; 120 -> 160 makes 260.
    out = shop("item", "check", "Atlas", "--price", "160").stdout
    assert "over budget" in out
    row = items.get(store, "Atlas")
    assert row["status"] == "proposed"
    assert Decimal(row["price"]) == Decimal("160")
    kinds = [event["kind"] for event in _events(store, row["id"])]
    assert kinds[-3:] == ["item.checked", "item.needs_client", "item.proposed"]
    assert store.one("SELECT over_budget FROM item_checks")["over_budget"] == 1


def test_check_unavailable_and_note_are_mismatches(shop, shop_items):
    store = shop_items
    shop("item", "check", "Atlas", "--unavailable")
    assert items.get(store, "Atlas")["status"] == "needs_client"
    shop("item", "check", "Dzwonek", "--note", "only in red now")
    row = items.get(store, "Dzwonek")
    assert row["status"] == "needs_client"
    assert (
        store.one("SELECT note FROM item_checks WHERE item_id = ?", [row["id"]])["note"]
        == "only in red now"
    )


def test_check_before_approval_keeps_status_and_after_ordering_is_refused(shop, shop_items):
    store = shop_items
    shop("item", "check", "Kask", "--price", "189")
    row = items.get(store, "Kask")
    assert (row["status"], row["price"]) == ("candidate", "189")
    shop("item", "mark", "Atlas", "ordered")
    result = shop.fails("item", "check", "Atlas", code=4)
    assert "before buying" in result.stderr
    shop.fails("item", "check", "Atlas", "--price", "abc")


# -- receiving and inspection ------------------------------------------------------------


def test_receive_ok(shop, shop_items):
    store = shop_items
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
def test_receive_problem_until_resolved(shop, shop_items, problem):
    store = shop_items
    shop("item", "mark", "Atlas", "ordered")
    shop("item", "mark", "Atlas", "shipped", "--carrier", "DPD", "--tracking", "DPD-1")
    out = shop("item", "receive", "Atlas", f"--{problem}", "--note", "cover torn").stdout
    assert "resolve" in out
    agenda = shop.json("agenda", "--today", "2030-03-06")["entries"]
    assert [e["section"] for e in agenda if e["item"] == "Atlas koni"] == ["inspection"]
    # A second inspection waits for the first to be resolved; handover skips it.
    shop.fails("item", "receive", "Atlas", "--ok", code=4)
    shop.fails("handover", "Gwiazdka", "--method", "pickup", "--date", "2030-03-07")
    shop("item", "resolve", "Atlas", "--accepted", "--note", "Jan keeps it")
    row = items.get(store, "Atlas")
    assert row["status"] == "received"
    found = store.one("SELECT * FROM inspections WHERE item_id = ?", [row["id"]])
    assert found["resolution"] == "accepted" and found["resolution_note"] == "Jan keeps it"
    agenda = shop.json("agenda", "--today", "2030-03-06")["entries"]
    assert [e["section"] for e in agenda if e["item"] == "Atlas koni"] == ["handover"]
    shop.fails("item", "resolve", "Atlas", "--accepted")  # nothing open any more


def test_resolve_by_exchange_goes_back_to_ordered(shop, shop_items):
    store = shop_items
    shop("item", "mark", "Atlas", "ordered", "--eta", "2030-03-03")
    shop("item", "mark", "Atlas", "shipped", "--carrier", "DPD", "--tracking", "DPD-1")
    shop("item", "receive", "Atlas", "--wrong", "--note", "got volume 2")
    shop("item", "resolve", "Atlas", "--exchange")
    row = items.get(store, "Atlas")
    assert (row["status"], row["tracking"], row["eta"]) == ("ordered", None, None)
    shop("item", "mark", "Atlas", "shipped", "--carrier", "DPD", "--tracking", "DPD-2")
    shop("item", "receive", "Atlas", "--ok")
    assert items.get(store, "Atlas")["status"] == "received"


def test_resolve_by_return_expects_a_refund(shop, shop_items):
    store = shop_items
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


def test_receive_needs_exactly_one_result(shop, shop_items):
    shop("item", "mark", "Atlas", "ordered")
    shop.fails("item", "receive", "Atlas", code=2)
    shop.fails("item", "receive", "Atlas", "--ok", "--damaged", code=2)
    shop.fails("item", "receive", "Karta", "--ok", code=4)  # approved, never ordered


# -- refunds -----------------------------------------------------------------------------


def test_cancelled_order_expects_refund_with_shipping_until_refunded(shop, shop_items):
    store = shop_items
    shop("item", "mark", "Dzwonek", "ordered")
    out = shop("item", "mark", "Dzwonek", "cancelled", "--on", "2030-03-02").stdout
    assert "82.5 PLN" in out
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
    shop.fails("item", "mark", "Dzwonek", "refunded", "--refund-currency", "EUR", code=2)
    shop("item", "mark", "Dzwonek", "refunded", "--refund", "70", "--on", "2030-03-18")
    refund = store.one("SELECT * FROM refunds WHERE item_id = ?", [row["id"]])
    assert (refund["received_on"], refund["received_amount"]) == ("2030-03-18", "70")
    agenda = shop.json("agenda", "--today", "2030-03-20")["entries"]
    assert not [e for e in agenda if e["section"] == "refund"]


def test_returned_item_with_explicit_refund(shop, shop_items):
    store = shop_items
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
    shop.fails("item", "mark", "Dzwonek", "returned", "--refund-currency", "EUR", code=2)


def test_cancelling_before_ordering_expects_no_refund(shop, shop_items):
    store = shop_items
    out = shop("item", "mark", "Karta", "cancelled").stdout
    assert "Refund" not in out
    assert store.scalar("SELECT count(*) FROM refunds") == 0


# -- digital goods and masked codes ------------------------------------------------------

CODE = "ZXCV-7788-QWER-AB12"


def test_digital_code_is_masked_everywhere_but_reveal(shop, shop_items):
    store = shop_items
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


def test_code_needs_a_digital_item(shop, shop_items):
    shop.fails("item", "code", "Atlas", code=3)


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
