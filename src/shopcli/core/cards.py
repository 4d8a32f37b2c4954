"""Refusing payment card numbers: the shopper must never hold a client's card details."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from shopcli.core.errors import CardNumberRefused

# Digit groups joined by separators (spaces of any kind, tabs, dots, slashes, dashes), not
# glued to letters or digits. Text is NFKC-normalised first, so full-width digits count.
_RUN = re.compile(r"(?<![0-9A-Za-z])\d+(?:[\s./\-]{1,3}\d+)*(?![0-9A-Za-z])")
_SEPARATORS = re.compile(r"[\s./\-]{1,3}")
# Where an IBAN could start: two letters and two check digits.
_IBAN_START = re.compile(r"[A-Z]{2}\d{2}")

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
    groups = _SEPARATORS.split(run)
    spaced = " ".join(groups)
    if len(groups) == 1 or _GROUPINGS.fullmatch(spaced):
        yield "".join(groups)
    # A card number followed by a short group (a CVV or a year) in the same run.
    if len(groups) > 2 and len(groups[-1]) <= 4:
        head = " ".join(groups[:-1])
        if _GROUPINGS.fullmatch(head):
            yield "".join(groups[:-1])


def _inside_iban(text: str, start: int, end: int) -> bool:
    """Whether the digits at text[start:end] end a valid IBAN that begins just before them."""
    from stdnum import iban

    window_start = max(0, start - 40)
    for found in _IBAN_START.finditer(text, window_start, start):
        if iban.is_valid(text[found.start() : end]):
            return True
    return False


def find_card_number(text: str) -> str | None:
    """Return the brand of a card number standing alone in the text, or None."""
    text = unicodedata.normalize("NFKC", text)
    for match in _RUN.finditer(text):
        for digits in _candidates(match.group()):
            if not 13 <= len(digits) <= 19:
                continue
            # Imported only for a number of card length: `import stdnum` costs ~30 ms, and
            # every stored timestamp and date is a run of digits.
            from stdnum import luhn

            if luhn.is_valid(digits) and card_brand(digits):
                if _inside_iban(text, match.start(), match.end()):
                    break
                return card_brand(digits)
    return None


def refuse_card_numbers(fields: Mapping[str, object]) -> None:
    """Raise if any text value (or list of texts) holds a payment card number."""
    for name, value in fields.items():
        texts = value if isinstance(value, (list, tuple)) else [value]
        for text in texts:
            if not isinstance(text, str):
                continue
            if not text.isascii():  # "㊶⑪" is four digits once normalised, as it is checked
                text = unicodedata.normalize("NFKC", text)
            if len(text) >= 13 and _maybe_digits(text):
                brand = find_card_number(text)
                if brand:
                    raise CardNumberRefused(
                        f"{name.replace('_', ' ')} looks like it contains a {brand} card number: "
                        "refused. Clients pay stores on the store's own checkout; a shopper "
                        "must never ask for, keep or write down card details."
                    )


def _maybe_digits(text: str) -> bool:
    return sum(ch.isdigit() for ch in text) >= 13


# Thirteen digits or more, each at most three separators from the next: every text that
# `find_card_number` could refuse holds such a stretch once NFKC-normalised.
_LONG_STRETCH = re.compile(r"\d(?:[\s./\-]{0,3}\d){12,}")
# For ASCII text, the same test without a regular expression: separators (the characters
# `\s` matches below 128, dots, slashes, dashes) dropped, digits read as 1, the rest as x;
# a stretch then shows as thirteen 1s in a row (and a few harmless texts do too).
_ASCII_SEPARATORS = bytes([*range(9, 14), *range(28, 33)]) + b"./-"
_ASCII_DIGITS = bytes.maketrans(
    bytes(range(256)), bytes(49 if 48 <= c <= 57 else 120 for c in range(256))
)


def may_hold_card_number(texts: str | Iterable[str]) -> bool:
    """A cheap test that is true of every text `find_card_number` could refuse (and of some
    harmless ones: IBANs, order numbers). Bulk imports give it many cells at once and look
    closer only where it is true."""
    text = texts if isinstance(texts, str) else "\x00".join(texts)  # no stretch across cells
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        squeezed = text.encode("ascii").translate(_ASCII_DIGITS, _ASCII_SEPARATORS)
        return b"1111111111111" in squeezed
    return _LONG_STRETCH.search(text) is not None
