"""Documents and lists that group items by recipient show each recipient where their first
item comes (as the proposal does), whatever the names: the handover note, the gift labels,
the budget list, and the order a reply's "the first one" counts in."""

from __future__ import annotations

import pytest


@pytest.fixture
def yule(shop) -> None:
    """Zoe has items 1 and 3, Adam item 2, item 4 is for no one, Bea has a budget only: the
    alphabet (Adam, Bea, Zoe) says otherwise than the item numbers (Zoe, Adam)."""
    shop("init", "--name", "Helmi Saari", "--email", "helmi@example.fi", "--currency", "EUR")
    shop("client", "add", "Oskar Lund", "--email", "oskar@example.se", "--currency", "EUR")
    for name in ("Zoe", "Adam", "Bea"):
        shop("recipient", "add", "Oskar Lund", name)
    shop("job", "add", "Oskar Lund", "Yule", "--fee", "flat:20")
    for title, person, price in (
        ("Scarf", "Zoe", "10"),
        ("Kite", "Adam", "20"),
        ("Book", "Zoe", "5"),
        ("Candle", None, "3"),
    ):
        shop("item", "add", "Yule", title, "--price", price, *(["--for", person] if person else []))
    for name, amount in (("Bea", "50"), ("Adam", "30"), ("Zoe", "40")):
        shop("budget", "set", "Yule", name, amount)


def _in_order(text: str, *parts: str) -> bool:
    places = [text.index(part) for part in parts]
    return places == sorted(places)


def test_budget_list_follows_the_first_item_of_each_recipient(shop, yule) -> None:
    data = shop.json("budget", "list", "Yule")
    assert [line["name"] for line in data["recipients"]] == ["Zoe", "Adam", "(no recipient)", "Bea"]
    text = shop("budget", "list", "Yule").stdout
    assert _in_order(text, "Zoe", "Adam", "(no recipient)", "Bea", "Total")


def test_handover_note_and_labels_follow_the_first_item_of_each_recipient(shop, yule) -> None:
    shop("propose", "Yule", "-o", "-")
    shop("approve", "Yule", "all")
    for number in ("1", "2", "3", "4"):
        shop("item", "mark", f"Yule/{number}", "ordered")
        shop("item", "receive", f"Yule/{number}", "--ok")
    labels = shop("labels", "Yule").stdout
    assert _in_order(labels, "To Zoe", "1. Scarf", "3. Book", "To Adam", "2. Kite", "4. Candle")
    note = shop("handover", "Yule", "--method", "pickup").stdout
    assert _in_order(note, "For Zoe", "1. Scarf", "3. Book", "For Adam", "2. Kite", "4. Candle")


def test_a_reply_counts_items_in_the_order_the_proposal_shows_them(shop, yule, store) -> None:
    proposal = shop("propose", "Yule").stdout
    assert _in_order(proposal, "1. Scarf", "3. Book", "2. Kite", "4. Candle")
    # The third shown is item 2: "the third one" could mean item 3 or item 2, so it is refused.
    refused = shop.fails("decide", "Yule", "-r", "-", "--yes", input="approve the third one\n")
    assert "could mean item 3 or item 2" in refused.stderr
    # The first shown is item 1.
    shop("decide", "Yule", "-r", "-", "--yes", input="approve the first one\n")
    statuses = {r["number"]: r["status"] for r in store.query("SELECT number, status FROM items")}
    assert statuses == {1: "approved", 2: "proposed", 3: "proposed", 4: "proposed"}


def test_budget_list_places_a_recipient_by_the_first_item_still_shown(shop, yule) -> None:
    """Zoe's item 1 rejected: the proposal shows Adam's item 2 before Zoe's item 3, and the
    budget list follows it."""
    shop("propose", "Yule", "-o", "-")
    shop("reject", "Yule", "1")
    proposal = shop("propose", "Yule").stdout
    assert _in_order(proposal, "2. Kite", "3. Book")
    data = shop.json("budget", "list", "Yule")
    assert [line["name"] for line in data["recipients"]][:2] == ["Adam", "Zoe"]
