"""Money: exact Decimal amounts with an ISO 4217 currency, strict parsing, explicit rounding."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from shopcli.core import currencies
from shopcli.core.errors import InvalidInput

ROUNDING_MODES = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN}
DEFAULT_ROUNDING = "half-up"

# Spaces a shopper (or a copy from a web page) may use between digit groups.
_GROUP_SPACES = " \u00a0\u202f\u2009'"
_SPACED_INT = re.compile(r"\d{1,3}(?: \d{3})+")
_MAX_INTEGER_DIGITS = 12


def currency(code: str) -> str:
    """Return the upper-cased ISO 4217 code, or refuse an unknown one."""
    value = (code or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", value) or not currencies.is_known(value):
        raise InvalidInput(
            f"unknown currency code {code!r}: use an ISO 4217 code such as EUR, USD, PLN"
        )
    return value


def minor_units(code: str) -> int:
    """Digits after the decimal point for a currency (EUR 2, JPY 0): see `currencies`."""
    return currencies.digits(code)


@lru_cache(maxsize=64)
def _quantum(digits: int) -> Decimal:
    return Decimal(1).scaleb(-digits)


def parse_amount(text: str | int | Decimal, what: str = "amount", *, places: int = 6) -> Decimal:
    """Parse a non-negative amount as a shopper types it: 49.90, 49,90, 1 234,50, 1.234,50.

    Refuses what could be read two ways (1,234 or 1.234), negatives and anything non-numeric.
    """
    if isinstance(text, Decimal):
        return _check(text, text, what, places)
    if isinstance(text, int) and not isinstance(text, bool):
        return _check(Decimal(text), text, what, places)
    if not isinstance(text, str):
        raise InvalidInput(f"{what} must be a number, not {text!r}")
    raw = text
    s = text.strip()
    for ch in "\u00a0\u202f\u2009'":
        s = s.replace(ch, " ")
    if s.startswith("-") or s.startswith("\u2212"):
        raise InvalidInput(f"{what} cannot be negative: {raw!r}")
    if s.startswith("+"):
        s = s[1:].strip()
    if not s or not re.fullmatch(r"[0-9 .,]+", s) or not s[0].isdigit() or not s[-1].isdigit():
        raise InvalidInput(f"{what} is not a number: {raw!r}")
    integer, decimals = _split(s, raw, what)
    if " " in integer:
        if not _SPACED_INT.fullmatch(integer):
            raise InvalidInput(f"{what} has digits grouped oddly: {raw!r}")
        integer = integer.replace(" ", "")
    if not integer.isdigit() or (decimals and not decimals.isdigit()):
        raise InvalidInput(f"{what} is not a number: {raw!r}")
    value = Decimal(integer + ("." + decimals if decimals else ""))
    return _check(value, raw, what, places)


def _split(s: str, raw: str, what: str) -> tuple[str, str]:
    """Split into integer and decimal digits, deciding which mark is the decimal point."""
    commas, dots = s.count(","), s.count(".")
    if commas and dots:
        decimal_mark = "," if s.rfind(",") > s.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        integer, _, decimals = s.rpartition(decimal_mark)
        if group_mark in decimals or integer.count(decimal_mark):
            raise InvalidInput(f"{what} is not a number: {raw!r}")
        if not re.fullmatch(r"\d{1,3}(?:" + re.escape(group_mark) + r"\d{3})+", integer):
            raise InvalidInput(f"{what} has digits grouped oddly: {raw!r}")
        return integer.replace(group_mark, ""), decimals
    mark = "," if commas else "." if dots else ""
    if not mark:
        return s, ""
    count = commas or dots
    if count > 1:
        if not re.fullmatch(r"\d{1,3}(?:" + re.escape(mark) + r"\d{3})+", s):
            raise InvalidInput(f"{what} is not a number: {raw!r}")
        return s.replace(mark, ""), ""
    integer, _, decimals = s.partition(mark)
    plain = integer.replace(" ", "")
    if len(decimals) == 3 and plain not in ("0", "") and " " not in integer:
        raise InvalidInput(
            f"{what} {raw!r} is ambiguous (thousands separator or decimal mark?): "
            f"write {plain}{decimals} or {plain}{mark}{decimals}0"
        )
    return integer, decimals


def _check(value: Decimal, raw: object, what: str, places: int) -> Decimal:
    try:
        if not value.is_finite():
            raise InvalidInput(f"{what} is not a number: {raw!r}")
    except InvalidOperation:
        raise InvalidInput(f"{what} is not a number: {raw!r}") from None
    if value < 0:
        raise InvalidInput(f"{what} cannot be negative: {raw!r}")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise InvalidInput(f"{what} has more than {places} decimals: {raw!r}")
    if value.adjusted() >= _MAX_INTEGER_DIGITS:
        raise InvalidInput(f"{what} is too large: {raw!r}")
    return value


def parse_rate(text: str) -> Decimal:
    """An exchange rate: a positive number with up to 10 decimals."""
    value = parse_amount(text, "rate", places=10)
    if value == 0:
        raise InvalidInput("rate must be greater than zero")
    return value


def round_money(
    amount: Decimal, code: str, rounding: str = DEFAULT_ROUNDING, *, digits: int | None = None
) -> Decimal:
    """Round to the currency's minor units (or `digits`, as an issued invoice keeps them),
    half-up unless told otherwise."""
    places = currencies.digits(code) if digits is None else digits
    return amount.quantize(_quantum(places), rounding=ROUNDING_MODES[rounding])


def plain(amount: Decimal, code: str, *, digits: int | None = None) -> str:
    """An amount rounded to the currency and written plainly, for tables and JSON: 1234.50."""
    return f"{round_money(amount, code, digits=digits):f}"


def shown(amount: Decimal | str, code: str, *, digits: int | None = None) -> str:
    """An amount as the shopper reads it on screen: rounded to the currency's digits,
    thousands grouped, with its code: `15,000.00 EUR`, `24.90 EUR`, `5,000 HUF`."""
    value = round_money(Decimal(amount), code, digits=digits)
    return f"{value:,f} {code}"


def to_text(amount: Decimal) -> str:
    """How an exact amount is stored: a canonical decimal string with no exponent."""
    text = f"{amount:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def from_text(text: str | None) -> Decimal | None:
    """A stored amount (see `to_text`) that may be missing: None for NULL or ""."""
    return Decimal(text) if text else None


@dataclass(frozen=True)
class Money:
    """An exact amount in one currency."""

    amount: Decimal
    currency: str

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise InvalidInput(f"cannot add {other.currency} to {self.currency} without a rate")
        return Money(self.amount + other.amount, self.currency)

    def rounded(self, rounding: str = DEFAULT_ROUNDING) -> Money:
        return Money(round_money(self.amount, self.currency, rounding), self.currency)

    def __str__(self) -> str:
        return shown(self.amount, self.currency)
