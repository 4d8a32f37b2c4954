"""The currency table is the project's own (ISO 4217 and stated local practice), and an issued
invoice keeps the digits it was issued with whatever the table says later."""

from __future__ import annotations

import json
import re

import pytest

from billing_helpers import buyer, job, seller
from shopcli.core import currencies
from shopcli.core.errors import InvalidInput
from shopcli.core.money import currency, minor_units


def test_the_table_is_iso_4217_with_local_practice_stated() -> None:
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in currencies.DIGITS)
    # ISO 4217's minor units, read in the standard itself.
    for code, digits in {"EUR": 2, "USD": 2, "PLN": 2, "JPY": 0, "KRW": 0, "KWD": 3}.items():
        assert currencies.digits(code) == digits
    # Local practice is stated where it differs from ISO 4217, and then wins.
    assert currencies.LOCAL_PRACTICE == {"HUF": 0}
    for code, digits in currencies.LOCAL_PRACTICE.items():
        assert minor_units(code) == digits


def test_currency_codes_are_checked_against_the_table() -> None:
    assert currency(" eur ") == "EUR"
    for wrong in ("EURO", "XXX", "XAU", "ABC", ""):
        with pytest.raises(InvalidInput):
            currency(wrong)


def test_digits_do_not_depend_on_babel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Babel's CLDR data may say anything: the table decides."""
    import babel.core

    monkeypatch.setattr(babel.core, "get_global", lambda key: pytest.fail(f"asked Babel {key}"))
    assert minor_units("HUF") == 0 and minor_units("EUR") == 2


def test_an_issued_invoice_keeps_the_digits_it_was_issued_with(
    shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issued while HUF had 2 digits, shown and paid by those digits after the table changed."""
    seller(shop, vat=False, currency="HUF")
    buyer(shop, currency="HUF", language="hu")
    job(shop, fee="flat:1234.50", currency="HUF")
    monkeypatch.setitem(currencies.DIGITS, "HUF", 2)
    shop("invoice", "Midsummer", "--issue")
    monkeypatch.setitem(currencies.DIGITS, "HUF", 0)
    listed = shop.json("invoice", "list")
    assert [(row["total"], row["balance"]) for row in listed] == [("1234.50", "1234.50")]
    text = shop("invoice", "show", listed[0]["number"]).stdout
    assert re.search(r"1\s234,50\sFt", text), text
    assert not re.search(r"1\s235\sFt", text)
    # Paid to the fillér it was issued with; the confirmation says so too.
    paid = shop("pay", listed[0]["number"], "1234.50", "--json")
    assert json.loads(paid.stdout)["remaining"] == "0.00"
    # A new invoice follows today's table: whole forints.
    job(shop, "Second job", fee="flat:1234.50", currency="HUF")
    second = shop("invoice", "Second job", "--issue").stdout
    assert re.search(r"1\s235\sFt", second) and not re.search(r"1\s234,50", second)
