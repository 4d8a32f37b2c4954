"""What a proposal tells the client: each item's shipping and customs, what a check at the
store found, items in number order, and a version number only when the items changed."""

from __future__ import annotations

import email
import re
from decimal import Decimal
from email import policy
from pathlib import Path

import pytest

from expect import day, money
from shopcli.core.languages import NAMES, PUNCTUATION
from shopcli.documents.i18n import translations

LANGUAGES = tuple(NAMES)


def text_of(shop, *args: str) -> str:
    return shop("propose", *args).stdout


def gettext(language: str):
    return translations(language).gettext


@pytest.fixture
def sato(shop):
    """Hana Sato's job in EUR: Yui's kite (1), Ken's train (2), Yui's pen (3), an item for no
    one (4) and Ken's book (5); names sort Ken before Yui, numbers put Yui first."""
    shop("init", "--name", "Ruth Okafor", "--email", "ruth@example.co.uk", "--currency", "EUR")
    shop("client", "add", "Hana Sato", "--email", "hana@example.com", "--currency", "EUR")
    shop("recipient", "add", "Hana Sato", "Yui", "--relation", "daughter")
    shop("recipient", "add", "Hana Sato", "Ken", "--relation", "son")
    shop("job", "add", "Hana Sato", "Spring 2027", "--budget", "300")
    shop("budget", "set", "Spring", "Ken", "100")
    shop("budget", "set", "Spring", "Yui", "60")
    shop("item", "add", "Spring", "Kite", "--for", "Yui", "--price", "20", "--shipping", "6.90")
    shop("item", "add", "Spring", "Train", "--for", "Ken", "--price", "24.90", "--customs", "3")
    shop("item", "add", "Spring", "Pen", "--for", "Yui", "--price", "5")
    shop("item", "add", "Spring", "Wrapping paper", "--price", "4")
    shop("item", "add", "Spring", "Book", "--for", "Ken", "--price", "12", "--qty", "2")


def _language(shop, language: str) -> None:
    shop("client", "edit", "Hana Sato", "--language", language)


# -- shipping and customs ----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_items_shipping_and_customs_are_shown_and_counted(shop, sato, language) -> None:
    _language(shop, language)
    _ = gettext(language)
    text = text_of(shop, "Spring", "--preview")
    kite = text[text.index("1. Kite") : text.index("3. Pen")]
    colon = PUNCTUATION[language]["colon"]
    assert f"{_('Shipping')}{colon}{money('6.90', 'EUR', language)}" in kite
    assert money("26.90", "EUR", language) in kite  # the kite with its shipping
    train = text[text.index("2. Train") : text.index("5. Book")]
    assert f"{_('Customs duty')}{colon}{money('3', 'EUR', language)}" in train
    # Yui's subtotal holds the kite's shipping: 20 + 6.90 + 5.
    assert money("31.90", "EUR", language) in text
    html = shop("propose", "Spring", "--preview", "--format", "html").stdout
    assert f"{_('Shipping')}{colon}{money('6.90', 'EUR', language)}" in html
    assert f"{_('Customs duty')}{colon}{money('3', 'EUR', language)}" in html
    assert money("27.90", "EUR", language) in html


def test_budgets_count_shipping_and_customs_planned_and_approved(shop, sato) -> None:
    report = shop.json("budget", "list", "Spring")
    people = {line["name"]: line for line in report["recipients"]}
    assert people["Yui"]["planned"] == "31.90"  # 20 + 6.90 shipping + 5
    assert people["Ken"]["planned"] == "51.90"  # 24.90 + 3 customs + 2 x 12
    shop("propose", "Spring")
    shop("approve", "Spring", "1", "2")
    people = {line["name"]: line for line in shop.json("budget", "list", "Spring")["recipients"]}
    assert (people["Yui"]["approved"], people["Yui"]["planned"]) == ("26.90", "5.00")
    assert (people["Ken"]["approved"], people["Ken"]["planned"]) == ("27.90", "24.00")
    assert people["Yui"]["remaining"] == "28.10"


# -- order -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_items_in_number_order_and_sections_by_their_first_item(shop, sato, fmt) -> None:
    page = shop("propose", "Spring", "--preview", "--format", fmt).stdout
    body = page
    positions = {
        name: body.index(name) for name in ("Kite", "Train", "Pen", "Wrapping paper", "Book")
    }
    sections = [body.index(f"For {name}") for name in ("Yui", "Ken")] + [body.index("Other items")]
    assert sections == sorted(sections), "Yui (item 1) comes before Ken (2), then the rest (4)"
    yui, ken, other = sections
    assert yui < positions["Kite"] < positions["Pen"] < ken
    assert ken < positions["Train"] < positions["Book"] < other < positions["Wrapping paper"]


# -- what a check at the store found -----------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_changed_or_unavailable_item_is_flagged_in_the_next_version(shop, sato, language) -> None:
    _language(shop, language)
    _ = gettext(language)
    shop("propose", "Spring")
    shop("approve", "Spring", "1", "2")
    shop("item", "check", "Spring 2027/1", "--price", "24.9", "--on", "2026-12-01")
    note = "sold out until January"
    shop("item", "check", "Spring 2027/2", "--unavailable", "--note", note, "--on", "2026-12-02")
    text = text_of(shop, "Spring")
    kite = text[text.index("1. Kite") : text.index("3. Pen")]
    checked = _("Checked at the store on %(date)s:")
    assert checked % {"date": day("2026-12-01", language)} in kite
    price = _("price %(old)s → %(new)s") % {
        "old": money("20", "EUR", language),
        "new": money("24.90", "EUR", language),
    }
    assert price in kite
    changes = text[: text.index("\n\n== ", text.index("1. Kite"))]  # up to the first section
    colon = PUNCTUATION[language]["colon"]
    assert f"2. Train{colon}{_('checked at the store, see below')}" in changes
    assert changes.count(_("checked at the store, see below")) == 1  # the kite's is its price
    train = text[text.rindex("2. Train") : text.index("5. Book")]
    assert checked % {"date": day("2026-12-02", language)} in train
    assert _("not available") in train and note in train
    assert _("Please tell me whether you still want it.") in train
    assert text.count(_("Please tell me whether you still want it.")) == 2  # only those two
    html = shop("propose", "Spring", "--format", "html").stdout
    assert price.replace("→", "&rarr;") in html or price in html
    assert note in html


def test_an_item_checked_since_cannot_be_approved_as_it_stood(shop, sato, store) -> None:
    shop("propose", "Spring")
    shop("approve", "Spring", "1")
    shop("item", "check", "Spring 2027/1", "--price", "24.9")
    shop("item", "check", "Spring 2027/2", "--unavailable", "--note", "sold out until January")
    for number, says in (("1", "price 20.00 EUR → 24.90 EUR"), ("2", "not available")):
        refused = shop.fails("approve", "Spring", number, code=4)
        assert says in refused.stderr and "cannot be approved as it stood" in refused.stderr
        assert "shop propose" in refused.stderr
    # A reply saying "approve all" is refused whole for the same reason.
    refused = shop.fails("decide", "Spring", "--reply", "-", input="approve all\n")
    assert "cannot be approved as it stood" in refused.stderr
    statuses = {r["number"]: r["status"] for r in store.query("SELECT number, status FROM items")}
    assert statuses[1] == "needs_client" and statuses[2] == "proposed"
    # Once the client has seen the change in a new version, their answer counts.
    shop("propose", "Spring")
    shop("approve", "Spring", "1", "2")
    assert store.scalar("SELECT status FROM items WHERE number = 1") == "approved"
    # And a flag the client has answered no longer shows.
    text = text_of(shop, "Spring")
    assert "Checked at the store" not in text


# -- versions ----------------------------------------------------------------------------------


def _versions(shop) -> list[int]:
    return [v["version"] for v in shop.json("proposal", "show", "Spring")["versions"]]


def test_the_same_items_in_another_format_or_with_a_new_budget_are_the_same_version(
    shop, sato, tmp_path: Path
) -> None:
    first = text_of(shop, "Spring")
    assert "version 2" not in first.lower()
    shop("budget", "set", "Spring", "Yui", "80")
    shop("rate", "set", "USD", "EUR", "0.9")
    shop("profile", "set", "terms.returns", "Returns within 14 days.")
    target = tmp_path / "proposal.eml"
    result = shop("propose", "Spring", "--format", "eml", "-o", str(target))
    assert "still version 1" in result.stderr
    message = email.message_from_bytes(target.read_bytes(), policy=policy.default)
    assert "version" not in message["Subject"].lower()
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "What changed" not in body and "Returns within 14 days." in body
    assert money("80", "EUR", "en") in body  # the new budget
    assert _versions(shop) == [1]
    # The version now holds the figures last rendered.
    kept = shop.json("proposal", "show", "Spring", "--version", "1")
    assert {r["name"]: r["budget"] for r in kept["recipients"]}["Yui"] == "80"
    # A changed item makes version 2, which says what changed.
    shop("item", "edit", "Spring 2027/3", "--price", "6")
    second = text_of(shop, "Spring")
    assert _versions(shop) == [1, 2] and "What changed since version 1" in second


def test_a_first_email_after_a_budget_change_is_not_version_two(shop, sato) -> None:
    text_of(shop, "Spring", "--format", "html")
    shop("budget", "set", "Spring", "Ken", "150")
    eml = shop("propose", "Spring", "--format", "eml").stdout_bytes
    message = email.message_from_bytes(eml, policy=policy.default)
    assert not re.search(r"\b2\b", message["Subject"])
    assert _versions(shop) == [1]
    assert Decimal(shop.json("proposal", "show", "Spring")["versions"][0]["budget"]) == Decimal(300)
