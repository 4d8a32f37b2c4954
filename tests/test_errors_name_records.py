"""Errors and the commands they suggest name records by id (`client #1`, `job #1`, `item 1/2`),
never by a client's name or a job, item or recipient title: titles often name a person, and an
error is read over a shoulder, pasted into a support request or kept in a terminal's log."""

from __future__ import annotations

import pytest

from billing_helpers import seller

# Everything personal this shop holds; no error below may print any of it.
PERSONAL = ("Anna", "Virtanen", "Liisa", "Eero", "Merino", "Kalevala", "anna@example.fi")


@pytest.fixture
def shop_with_liisa(shop, monkeypatch: pytest.MonkeyPatch):
    """A job titled after the recipient, as shoppers do ("Liisa 15 v")."""
    monkeypatch.setenv("SHOP_TODAY", "2026-06-20")
    seller(shop)
    shop("client", "add", "Anna Virtanen", "--email", "anna@example.fi", "--currency", "EUR")
    shop("recipient", "add", "1", "Liisa")
    shop("recipient", "add", "1", "Eero")
    shop("job", "add", "1", "Liisa 15 v", "--fee", "flat:40", "--currency", "EUR")
    shop("item", "add", "1", "Merino scarf for Liisa", "--price", "40", "--for", "Liisa")
    shop("item", "add", "1", "Kalevala for Eero", "--price", "25", "--for", "Eero")
    return shop


# The first item proposed, approved and ordered.
BOUGHT = [["propose", "1"], ["approve", "1", "1"], ["item", "mark", "1/1", "ordered"]]

CASES = {
    # The buyer's address is missing: the hint names the client by id (B15).
    "issue without the buyer's address": (
        BOUGHT,
        ["invoice", "1", "--issue"],
        "shop client edit 1 --address",
    ),
    "deposit without deposit terms": (BOUGHT, ["invoice", "1", "--deposit"], "shop job edit 1"),
    "nothing received to hand over": (
        BOUGHT,
        ["handover", "1", "--method", "pickup"],
        "nothing to hand over in job #1",
    ),
    "nothing bought to wrap": ([], ["labels", "1"], "nothing to wrap in job #1"),
    "ready notice with no handover planned": (
        [*BOUGHT, ["item", "mark", "1/1", "received"]],
        ["notify", "1", "ready"],
        "no handover planned for job #1",
    ),
    "approving what was never proposed": (
        [],
        ["approve", "1", "2"],
        "nothing was proposed for job #1",
    ),
    "approving an item added after the proposal": (
        [*BOUGHT, ["item", "add", "1", "Merino mittens for Liisa", "--price", "9"]],
        ["approve", "1", "3"],
        "item 1/3 has not been proposed",
    ),
    "approving an item whose price changed at the store": (
        [*BOUGHT, ["item", "check", "1/2", "--price", "30"]],
        ["approve", "1", "2"],
        "item 1/2 was checked at the store after proposal version",
    ),
    "rejecting a bought item": (BOUGHT, ["reject", "1", "1"], "item 1/1: cannot mark"),
    "a price change on a bought item": (
        BOUGHT,
        ["item", "edit", "1/1", "--price", "50"],
        "item 1/1 is already ordered; its price is settled",
    ),
    "removing a bought item": (BOUGHT, ["item", "rm", "1/1"], "item 1/1 is ordered"),
    "removing an item with records of its own": (
        [["item", "check", "1/2"]],
        ["item", "rm", "1/2"],
        "item 1/2 still has 1 item check",
    ),
    "removing a job with items": (BOUGHT, ["job", "rm", "1"], "job #1 still has"),
    "removing a client with jobs": (BOUGHT, ["client", "rm", "1"], "client #1 still has"),
    "removing a recipient with items": ([], ["recipient", "rm", "Eero"], "recipient #2 still has"),
    "feedback on an item not handed over": (
        BOUGHT,
        ["item", "feedback", "1/1", "--loved"],
        "item 1/1 is ordered; feedback is for gifts",
    ),
    "delaying an item not on its way": (
        BOUGHT,
        ["item", "delay", "1/2", "--eta", "2026-07-01"],
        "item 1/2 is",
    ),
    "no proposal version 9": (
        BOUGHT,
        ["proposal", "show", "1", "--version", "9"],
        "job #1 has no proposal version 9",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_errors_name_records_by_id_never_by_name_or_title(shop_with_liisa, case: str) -> None:
    shop = shop_with_liisa
    before, command, says = CASES[case]
    for step in before:
        shop(*step)
    failed = shop.fails(*command)
    message = failed.stderr
    assert says in message, message
    for value in PERSONAL:
        assert value.casefold() not in message.casefold(), (value, message)


def test_an_ambiguous_name_still_lists_the_candidates(shop_with_liisa) -> None:
    """DESIGN: an ambiguous name lists the candidates, so that the shopper can pick an id."""
    shop = shop_with_liisa
    shop("job", "add", "1", "Liisa 16 v", "--currency", "EUR")
    message = shop.fails("job", "show", "Liisa").stderr
    assert "#1 " in message and "#2 " in message and "Liisa 15 v" in message
