"""The delivery domain: every lifecycle transition, refunds, checks, masking, agenda dates."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopcli.core.errors import Conflict, InvalidInput
from shopcli.delivering import delivery
from shopcli.people import clients
from shopcli.storage import Store
from shopcli.work import agenda, items, jobs, lifecycle

TODAY = dt.date(2030, 3, 1)
PAIRS = [(current, new) for current in lifecycle.TRANSITIONS for new in delivery.MARKS]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """One database for the module; each test makes its own item in it."""
    store = Store(tmp_path_factory.mktemp("delivery") / "shop.db")
    client = clients.add(store, "Ewa Zielińska", currency="PLN")
    store.job = jobs.add(store, client, "Gwiazdka", currency="PLN")  # type: ignore[attr-defined]
    yield store
    store.close()


def _item(db, status: str, **fields) -> dict:
    row = items.add(db, db.job, "Latarka", price=fields.pop("price", "80"), **fields)
    with db.write():
        db.update("items", row["id"], {"status": status})
    return db.get("items", row["id"])


def _events(db, item_id: int) -> list[dict]:
    return db.query("SELECT * FROM events WHERE item_id = ? ORDER BY id", [item_id])


@pytest.mark.parametrize(("current", "new"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_transition(db, current, new):
    row = _item(db, current)
    before = len(_events(db, row["id"]))
    if new in lifecycle.TRANSITIONS[current]:
        updated = delivery.mark(db, row, new, today=TODAY)
        assert updated["status"] == new
        event = _events(db, row["id"])[-1]
        assert event["kind"] == f"item.{new}"
        assert json.loads(event["detail"])["from"] == current
    else:
        with pytest.raises(Conflict) as refused:
            delivery.mark(db, row, new, today=TODAY)
        message = str(refused.value)
        if current == new:
            assert "already" in message
        else:
            options = lifecycle.TRANSITIONS[current]
            assert all(lifecycle.label(option) in message for option in options)
            if not options:
                assert "final" in message
        assert db.get("items", row["id"])["status"] == current
        assert len(_events(db, row["id"])) == before
        assert db.scalar("SELECT count(*) FROM refunds WHERE item_id = ?", [row["id"]]) == 0


@pytest.mark.parametrize("paid_status", lifecycle.BOUGHT)
def test_cancelling_or_returning_what_was_bought_expects_a_refund(db, paid_status):
    row = _item(db, paid_status, qty=3, shipping="15")
    target = (
        lifecycle.CANCELLED
        if lifecycle.CANCELLED in lifecycle.TRANSITIONS[paid_status]
        else lifecycle.RETURNED
    )
    delivery.mark(db, row, target, today=TODAY)
    refund = db.one("SELECT * FROM refunds WHERE item_id = ?", [row["id"]])
    expected = Decimal("255") if target == lifecycle.CANCELLED else Decimal("240")
    assert Decimal(refund["amount"]) == expected
    assert refund["expected_by"] == "2030-03-15"
    assert refund["currency"] == "PLN"


def test_refunded_without_a_pending_refund_records_one(db):
    row = _item(db, lifecycle.CANCELLED)
    delivery.mark(db, row, lifecycle.REFUNDED, today=TODAY, refund="80")
    refund = db.one("SELECT * FROM refunds WHERE item_id = ?", [row["id"]])
    assert (refund["received_on"], refund["received_amount"]) == ("2030-03-01", "80")


def test_default_refund():
    item = {"price": "19.99", "qty": 2, "shipping": "4.90"}
    assert delivery.default_refund(item, "cancelled") == Decimal("44.88")
    assert delivery.default_refund(item, "returned") == Decimal("39.98")
    assert delivery.default_refund({**item, "shipping": None}, "cancelled") == Decimal("39.98")


def test_bad_values_are_refused_before_anything_is_written(db):
    row = _item(db, lifecycle.APPROVED)
    with pytest.raises(InvalidInput):
        delivery.mark(db, row, "ordered", today=TODAY, eta="31.12.2030")
    with pytest.raises(InvalidInput):
        delivery.mark(db, row, "ordered", today=TODAY, carrier="   ")
    with pytest.raises(InvalidInput):
        delivery.mark(db, row, "ordered", today=TODAY, note="card 4111 1111 1111 1111")
    assert db.get("items", row["id"])["status"] == lifecycle.APPROVED


def test_a_code_that_looks_like_a_payment_card_is_refused(db):
    row = _item(db, lifecycle.ORDERED)
    with pytest.raises(InvalidInput):
        delivery.mark(db, row, "delivered", today=TODAY, code="4111 1111 1111 1111")
    assert db.get("items", row["id"])["status"] == lifecycle.ORDERED
    assert db.one("SELECT * FROM digital_goods WHERE item_id = ?", [row["id"]]) is None


def test_check_of_an_item_without_recipient_never_breaks_a_budget(db):
    row = _item(db, lifecycle.APPROVED)
    outcome = delivery.check(db, row, today=TODAY, price="9999")
    assert outcome.over_budget is False
    assert outcome.item["status"] == lifecycle.NEEDS_CLIENT
    assert outcome.statuses == [lifecycle.NEEDS_CLIENT]


def test_same_price_is_no_mismatch(db):
    row = _item(db, lifecycle.APPROVED, price="80")
    outcome = delivery.check(db, row, today=TODAY, price="80,00")
    assert outcome.matched and outcome.item["status"] == lifecycle.APPROVED


# -- masking ------------------------------------------------------------------------------


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_mask_keeps_shape_and_hides_most(code):
    masked = delivery.mask_code(code)
    assert len(masked) == len(code)
    alnum = [ch for ch in code if ch.isalnum()]
    shown = [a for a, b in zip(code, masked, strict=True) if a.isalnum() and a == b]
    assert len(shown) <= 4
    if len(alnum) >= 6:
        assert masked != code
    # Separators stay where they were.
    assert all(b == a for a, b in zip(code, masked, strict=True) if not a.isalnum())


def test_mask_link_hides_the_path():
    assert delivery.mask_link("https://dl.example/get/abc123?t=9") == "https://dl.example/…"
    assert delivery.mask_link("https://dl.example") == "https://dl.example"
    assert delivery.mask_link(None) is None


# -- agenda dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birthday", "today", "expected"),
    [
        ("2019-03-20", "2030-03-01", "2030-03-20"),
        ("2019-03-20", "2030-03-20", "2030-03-20"),
        ("2019-01-05", "2030-12-20", "2031-01-05"),
        ("2012-02-29", "2030-02-01", "2030-02-28"),
        ("2012-02-29", "2032-02-01", "2032-02-29"),
    ],
)
def test_next_birthday(birthday, today, expected):
    day = agenda.next_birthday(birthday, dt.date.fromisoformat(today))
    assert day == dt.date.fromisoformat(expected)
