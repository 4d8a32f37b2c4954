"""Refusing payment card numbers: the shopper must never hold a client's card details."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from shopcli.errors import CardNumberRefused

# Digit groups joined by single spaces or dashes, not glued to letters or digits.
_RUN = re.compile(r"(?<![0-9A-Za-z])\d+(?:[ \-]\d+)*(?![0-9A-Za-z])")
# A token that mixes letters and digits (an IBAN's "FI21", a tracking id) right before a run.
_MIXED_BEFORE = re.compile(r"(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]+[ \-]$")

# Card-brand prefixes (IIN ranges) with the lengths each brand issues.
_BRANDS: tuple[tuple[str, int, int, range], ...] = (
    ("Visa", 4, 4, range(13, 20)),
    ("Mastercard", 51, 55, range(16, 17)),
    ("Mastercard", 2221, 2720, range(16, 17)),
    ("American Express", 34, 34, range(15, 16)),
    ("American Express", 37, 37, range(15, 16)),
    ("Mir", 2200, 2204, range(16, 20)),
    ("UnionPay", 62, 62, range(16, 20)),
    ("JCB", 3528, 3589, range(16, 20)),
    ("Diners Club", 300, 305, range(14, 20)),
    ("Diners Club", 36, 36, range(14, 20)),
    ("Diners Club", 38, 39, range(16, 20)),
    ("Discover", 6011, 6011, range(16, 20)),
    ("Discover", 644, 649, range(16, 20)),
    ("Discover", 65, 65, range(16, 20)),
    ("Maestro", 50, 50, range(12, 20)),
    ("Maestro", 56, 69, range(12, 20)),
    ("RuPay", 60, 60, range(16, 17)),
    ("Troy", 9792, 9792, range(16, 17)),
)

# How card numbers are written when grouped: 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4.
_GROUPINGS = re.compile(r"\d{4}(?: \d{4}){2,3}(?: \d{1,4})?|\d{4} \d{6} \d{4,5}")


def card_brand(digits: str) -> str | None:
    """The brand whose prefix and length fit these digits, or None."""
    for brand, low, high, lengths in _BRANDS:
        width = len(str(low))
        if len(digits) in lengths and low <= int(digits[:width]) <= high:
            return brand
    return None


def _candidates(run: str) -> Iterable[str]:
    groups = re.split(r"[ \-]", run)
    spaced = " ".join(groups)
    if len(groups) == 1 or _GROUPINGS.fullmatch(spaced):
        yield "".join(groups)
    # A card number followed by a short group (a CVV or a year) in the same run.
    if len(groups) > 2 and len(groups[-1]) <= 4:
        head = " ".join(groups[:-1])
        if _GROUPINGS.fullmatch(head):
            yield "".join(groups[:-1])


def find_card_number(text: str) -> str | None:
    """Return the brand of a card number standing alone in the text, or None."""
    for match in _RUN.finditer(text):
        if _MIXED_BEFORE.search(text[max(0, match.start() - 40) : match.start()]):
            continue
        for digits in _candidates(match.group()):
            if not 13 <= len(digits) <= 19:
                continue
            # Imported only for a number of card length: `import stdnum` costs ~30 ms, and
            # every stored timestamp and date is a run of digits.
            from stdnum import luhn

            if luhn.is_valid(digits):
                brand = card_brand(digits)
                if brand:
                    return brand
    return None


def refuse_card_numbers(fields: Mapping[str, object]) -> None:
    """Raise if any text value (or list of texts) holds a payment card number."""
    for name, value in fields.items():
        texts = value if isinstance(value, (list, tuple)) else [value]
        for text in texts:
            if isinstance(text, str) and len(text) >= 13 and _maybe_digits(text):
                brand = find_card_number(text)
                if brand:
                    raise CardNumberRefused(
                        f"{name.replace('_', ' ')} looks like it contains a {brand} card number: "
                        "refused. Clients pay stores on the store's own checkout; a shopper "
                        "must never ask for, keep or write down card details."
                    )


def _maybe_digits(text: str) -> bool:
    return sum(ch.isdigit() for ch in text) >= 13
