"""The proposal domain: snapshots, what changed, drafts, and all-or-nothing answers."""

from __future__ import annotations

from decimal import Decimal
from email import policy
from email.parser import BytesParser

import pytest

from shopcli.core.errors import InvalidInput, StorageError
from shopcli.documents import email_draft
from shopcli.proposing import proposals
from shopcli.work import jobs


def item(item_id: int, **fields) -> dict:
    base = {
        "id": item_id,
        "number": item_id,
        "recipient": "Ken",
        "title": f"thing {item_id}",
        "store": "Shop",
        "url": f"https://shop.example/{item_id}",
        "price": "10",
        "currency": "EUR",
        "qty": 1,
        "size": None,
        "colour": None,
    }
    return {**base, **fields}


def test_changes_lists_added_removed_and_each_changed_field() -> None:
    old = {"items": [item(1), item(2), item(3, size="L", colour="red")]}
    new = {
        "items": [
            item(1),
            item(3, size="M", colour="red", price="12", currency="GBP", qty=2),
            item(4),
        ]
    }
    found = proposals.changes(old, new)
    assert [i["id"] for i in found["added"]] == [4]
    assert [i["id"] for i in found["removed"]] == [2]
    [changed] = found["changed"]
    assert changed["item"]["id"] == 3
    assert changed["fields"] == [
        {"field": "price", "old": "10", "new": "12", "old_currency": "EUR", "new_currency": "GBP"},
        {"field": "qty", "old": 1, "new": 2},
        {"field": "size", "old": "L", "new": "M"},
    ]
    assert proposals.changes(new, new) == {"added": [], "removed": [], "changed": [], "flagged": []}


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        ([1, 2, 3, 4, 5], {"approve": [1, 3], "reject": 2, "change": 4, "combined": True}),
        ([2, 5, 9], {"approve": [2], "reject": 5, "change": 9, "combined": True}),
        ([7], {"approve": [7], "reject": 7, "change": 7, "combined": False}),
    ],
)
def test_how_to_answer_examples_use_the_proposals_own_numbers(numbers, expected) -> None:
    assert proposals._examples(numbers) == expected


def draft(**overrides) -> bytes:
    values = {
        "to_name": "Hana Satō",
        "to_email": "hana@example.com",
        "from_name": "Ruth Okafor",
        "from_email": "ruth@example.co.uk",
        "subject": "Shopping proposal: Kevät 2027 – ÄÖ",
        "text": "Dear Hana,\n\nPrice: 12,50 €\n",
        "html": "<p>Dear Hana, <b>12,50 €</b></p>",
    }
    return email_draft.build(**{**values, **overrides})


def test_a_draft_parses_back_with_both_parts_in_utf8() -> None:
    message = BytesParser(policy=policy.default).parsebytes(draft())
    assert message["Subject"] == "Shopping proposal: Kevät 2027 – ÄÖ"
    assert message["X-Unsent"] == "1"
    assert message["To"].addresses[0].display_name == "Hana Satō"
    text, html = message.iter_parts()
    assert text.get_content().replace("\r\n", "\n") == "Dear Hana,\n\nPrice: 12,50 €\n"
    assert html.get_content_type() == "text/html" and "12,50 €" in html.get_content()


@pytest.mark.parametrize(
    "overrides",
    [
        {"subject": "Hello\r\nBcc: all@example.com"},
        {"subject": "Hello\nthere"},
        {"to_name": "Hana\nBcc: x@example.com"},
        {"from_email": "ruth@example.co.uk\r\nX-Evil: 1"},
    ],
)
def test_line_breaks_in_header_values_are_refused(overrides) -> None:
    with pytest.raises(InvalidInput, match="line break"):
        draft(**overrides)


def test_an_unusable_address_is_refused() -> None:
    with pytest.raises(InvalidInput, match="address is not usable"):
        draft(to_email="not an address@@")


def test_a_failed_delivery_records_nothing(shop, cart, store) -> None:
    job = jobs.get(store, "Spring")

    def broken(document) -> None:
        raise StorageError("cannot write proposal.html: disk full")

    with pytest.raises(StorageError):
        proposals.propose(store, job, fmt="html", deliver=broken)
    assert store.scalar("SELECT count(*) FROM proposals") == 0
    assert {r["status"] for r in store.query("SELECT status FROM items")} == {"candidate"}
    assert store.scalar("SELECT count(*) FROM events WHERE kind LIKE 'proposal.%'") == 0


def test_a_failure_while_applying_answers_rolls_all_of_them_back(
    shop, cart, store, monkeypatch
) -> None:
    from shopcli.work import items

    shop("propose", "Spring")
    job = jobs.get(store, "Spring")
    real = items.set_status
    calls = []

    def fail_on_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise StorageError("the disk is full: nothing was saved")
        return real(*args, **kwargs)

    monkeypatch.setattr(items, "set_status", fail_on_third)
    with pytest.raises(StorageError):
        proposals.apply_reply(store, job, "approve 1, 2\nreject 3\nchange 4: smaller")
    assert len(calls) == 3
    assert {r["status"] for r in store.query("SELECT status FROM items")} == {"proposed"}
    assert store.scalar("SELECT count(*) FROM decisions") == 0


def test_the_snapshot_shows_planned_and_approved_items_only(shop, cart, store) -> None:
    shop("propose", "Spring")
    shop("approve", "Spring", "1")
    shop("reject", "Spring", "2")
    shop("item", "add", "Spring", "Gift wrap", "--price", "4")
    job = jobs.get(store, "Spring")
    snap = proposals.snapshot(store, job)
    assert [(i["number"], i["status"]) for i in snap["items"]] == [
        (1, "approved"),
        (3, "proposed"),
        (4, "proposed"),
        (5, "proposed"),  # a candidate is shown as it will be once proposed
    ]
    ctx = proposals.context(store, job, snap, version=2, previous=None, preview=True)
    assert [s["name"] for s in ctx["sections"]] == ["Ken", "Yui", None]
    assert ctx["total"]["subtotal"] == Decimal("172.38")
    assert [o["name"] for o in proposals.over_budget(ctx)] == ["Yui"]
    shop("job", "edit", "Spring", "--budget", "150")
    job = jobs.get(store, "Spring")
    snap = proposals.snapshot(store, job)
    ctx = proposals.context(store, job, snap, version=2, previous=None, preview=True)
    assert [o["name"] for o in proposals.over_budget(ctx)] == ["Yui", None]


def test_a_missing_rate_is_a_clear_error(shop, cart, store) -> None:
    shop("item", "add", "Spring", "Kendama", "--price", "1200", "--currency", "JPY")
    failed = shop.fails("propose", "Spring")
    assert "no exchange rate from JPY to EUR" in failed.stderr
    assert store.scalar("SELECT count(*) FROM proposals") == 0
