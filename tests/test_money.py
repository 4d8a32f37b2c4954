"""Money parsing and rounding: what a shopper types, and what must be refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopcli.core.errors import InvalidInput
from shopcli.core.money import (
    Money,
    currency,
    minor_units,
    parse_amount,
    plain,
    round_money,
    to_text,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("49.90", "49.90"),
        ("49,90", "49.90"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("12 345 678", "12345678"),
        ("1.234.567", "1234567"),
        ("0,125", "0.125"),
        ("7", "7"),
        ("+15", "15"),
        ("0", "0"),
        ("12.5", "12.5"),
    ],
)
def test_amounts_parse_as_written(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "1,234",
        "1.234",
        "-5",
        "−5",
        "abc",
        "",
        "1,2,3",
        "12 34",
        "1e5",
        "NaN",
        "Infinity",
        "1.234.56",
        "1,234,5",
        "5-",
        ",5",
        "1 234.567,8",
        "1..2",
    ],
)
def test_bad_amounts_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_amount(text)


def test_ambiguous_amount_explains_itself() -> None:
    with pytest.raises(InvalidInput, match="ambiguous"):
        parse_amount("2,500")


@given(st.decimals(min_value=0, max_value=Decimal("99999999"), places=2, allow_nan=False))
def test_plain_decimal_round_trips(value: Decimal) -> None:
    assert parse_amount(f"{value:f}") == value
    assert parse_amount(f"{value:f}".replace(".", ",")) == value


@given(st.integers(min_value=1000, max_value=10**11), st.integers(min_value=0, max_value=99))
def test_grouped_amounts_parse_in_every_local_style(whole: int, cents: int) -> None:
    expected = Decimal(f"{whole}.{cents:02d}")
    grouped = f"{whole:,}"
    assert parse_amount(f"{grouped}.{cents:02d}") == expected  # 1,234.50
    assert parse_amount(f"{grouped.replace(',', '.')},{cents:02d}") == expected  # 1.234,50
    assert parse_amount(f"{grouped.replace(',', ' ')},{cents:02d}") == expected  # 1 234,50


@given(st.text(max_size=12))
def test_parser_never_crashes_and_never_goes_negative(text: str) -> None:
    try:
        value = parse_amount(text)
    except InvalidInput:
        return
    assert value >= 0


@given(st.decimals(min_value=0, max_value=Decimal("1e9"), places=6, allow_nan=False))
def test_to_text_is_exact(value: Decimal) -> None:
    assert Decimal(to_text(value)) == value
    assert "E" not in to_text(value)


def test_rounding_is_half_up_by_default_and_respects_minor_units() -> None:
    assert round_money(Decimal("0.125"), "EUR") == Decimal("0.13")
    assert round_money(Decimal("0.125"), "EUR", "half-even") == Decimal("0.12")
    assert round_money(Decimal("1234.5"), "JPY") == Decimal("1235")
    assert minor_units("JPY") == 0 and minor_units("EUR") == 2
    assert plain(Decimal("49.9"), "EUR") == "49.90"


def test_currency_codes_are_checked() -> None:
    assert currency("eur") == "EUR"
    for bad in ("EURO", "ABC", "", "12X", "XXX"):
        with pytest.raises(InvalidInput):
            currency(bad)


def test_money_refuses_mixing_currencies() -> None:
    assert Money(Decimal("1.10"), "EUR") + Money(Decimal("2"), "EUR") == Money(
        Decimal("3.10"), "EUR"
    )
    with pytest.raises(InvalidInput):
        Money(Decimal(1), "EUR") + Money(Decimal(1), "USD")
