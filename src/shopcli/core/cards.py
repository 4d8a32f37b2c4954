"""Refusing payment card numbers: the shopper must never hold a client's card details.

A card number is found however it is typed: in any grouping, with any separator (spaces,
dots, dashes of every kind, underscores, commas), with invisible characters between its
digits (zero-width spaces, soft hyphens), in any script's digits (Arabic-Indic, Devanagari,
full-width), glued to letters (`visa4111...`) or followed by its expiry and CVV. A number is
a card when it has a card brand's prefix and length and passes the Luhn check, and is not
one of the numbers that look alike: an IBAN (with or without its country code), a product
barcode (EAN-13: 13-digit cards are no longer issued) or a Chinese resident id.

The grouping decides what is one number. Digits in one group are one number; groups are
one number when grouped the way cards are written (a first group of 4, 6 or 8 digits),
and a part of a longer run of groups only when what surrounds it is an expiry date or a
CVV. So an account number in groups, a phone number or two numbers side by side are not
read as a card.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping

from shopcli.core.errors import CardNumberRefused

# Characters that separate digit groups: whitespace, dashes of every kind (and the minus
# sign), dots, slashes, underscores, commas, apostrophes and middle dots, and the Arabic
# comma and digit separators.
_SEP_CHARS = (
    "./,_'\u2019\u2018\u00b7\u2022\u2219\u2027\u060c\u066b\u066c"
    "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
)
_SEP = rf"[\s{_SEP_CHARS}]"
# Digit groups joined by at most three separator characters. Letters around them do not
# hide them (`visa4111...`).
_RUN = re.compile(rf"[0-9]+(?:{_SEP}{{1,3}}[0-9]+)*")
_GROUP = re.compile(r"[0-9]+")
# Where an IBAN could start: two letters and two check digits.
_IBAN_START = re.compile(r"[A-Z]{2}[0-9]{2}")
_IBAN_BODY = re.compile(r"[A-Z0-9]")

# Card-brand prefixes (IIN ranges) with the lengths each brand issues, the precise ranges
# first (they name the brand in the refusal).
_BRANDS: tuple[tuple[str, int, int, tuple[int, ...]], ...] = (
    ("American Express", 34, 34, (15,)),
    ("American Express", 37, 37, (15,)),
    ("Diners Club", 300, 305, (14, 15, 16, 17, 18, 19)),
    ("Diners Club", 3095, 3095, (14, 15, 16, 17, 18, 19)),
    ("Diners Club", 36, 36, (14, 15, 16, 17, 18, 19)),
    ("Diners Club", 38, 39, (14, 15, 16, 17, 18, 19)),
    ("JCB", 3528, 3589, (16, 17, 18, 19)),
    ("China T-Union", 31, 31, (19,)),
    ("Mir", 2200, 2204, (16, 17, 18, 19)),
    ("BORICA", 2205, 2205, (16,)),
    ("Mastercard", 2221, 2720, (16,)),
    ("Visa", 4, 4, (13, 16, 19)),
    ("Dankort", 5019, 5019, (16,)),
    ("Maestro", 5018, 5018, (13, 14, 15, 16, 17, 18, 19)),
    ("Maestro", 5020, 5020, (13, 14, 15, 16, 17, 18, 19)),
    ("Maestro", 5038, 5038, (13, 14, 15, 16, 17, 18, 19)),
    ("Verve", 506099, 506198, (16, 18, 19)),
    ("Verve", 507865, 507964, (16, 18, 19)),
    ("Mastercard", 51, 55, (16,)),
    ("Maestro", 5893, 5893, (13, 14, 15, 16, 17, 18, 19)),
    ("Maestro", 6304, 6304, (13, 14, 15, 16, 17, 18, 19)),
    ("Maestro", 6759, 6763, (13, 14, 15, 16, 17, 18, 19)),
    ("Discover", 6011, 6011, (16, 17, 18, 19)),
    ("Discover", 622126, 622925, (16, 17, 18, 19)),
    ("UnionPay", 62, 62, (16, 17, 18, 19)),
    ("InterPayment", 636, 636, (16, 17, 18, 19)),
    ("Discover", 644, 649, (16, 17, 18, 19)),
    ("Discover", 65, 65, (16, 17, 18, 19)),
    ("RuPay", 60, 60, (16,)),
    ("UnionPay", 8100, 8171, (16, 17, 18, 19)),
    ("RuPay", 81, 82, (16,)),
    ("UzCard", 8600, 8600, (16,)),
    ("Troy", 9792, 9792, (16,)),
    ("Humo", 9860, 9860, (16,)),
    # Maestro and national debit schemes across the 5 and 6 ranges.
    ("Maestro", 50, 50, (16, 17, 18, 19)),
    ("Maestro", 56, 69, (16, 17, 18, 19)),
)

# Countries whose account numbers are all digits, so that they may be written without the
# country code (a Polish NRB: "61 1090 1014 0000 0712 1981 2874").
_NUMERIC_IBAN_COUNTRIES = (
    "AT BA BE CH CR CZ DE DK EE ES FI FO FR GL HR HU IL IS LT ME NO PL PT RS SE SI SK TN UA XK"
).split()


def card_brand(digits: str) -> str | None:
    """The brand whose prefix and length fit these digits, or None."""
    for brand, low, high, lengths in _BRANDS:
        width = len(str(low))
        if len(digits) in lengths and low <= int(digits[:width]) <= high:
            return brand
    return None


def normalize(text: str) -> str:
    """The text as it is checked: compatibility forms folded (full-width digits, no-break
    spaces), invisible format characters (zero-width spaces, soft hyphens, direction marks)
    dropped, and every script's decimal digits written as 0-9."""
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if category == "Cf":
            continue
        if category == "Nd":
            out.append(str(unicodedata.decimal(ch)))
        else:
            out.append(ch)
    return "".join(out)


def _separator_class(sep: str) -> str:
    """Separators that count as the same: any whitespace, else the characters themselves."""
    return " " if sep.isspace() else sep.strip()


def _is_cvv(group: str) -> bool:
    return len(group) in (3, 4)


def _is_month(group: str) -> bool:
    return len(group) <= 2 and 1 <= int(group) <= 12


def _expiry_len(groups: list[str]) -> int:
    """How many of the first groups form an expiry date (MM YY, MM YYYY, MMYY), or 0."""
    if len(groups) >= 2 and _is_month(groups[0]) and len(groups[1]) in (2, 4):
        return 2
    if groups and len(groups[0]) in (4, 6) and 1 <= int(groups[0][:2]) <= 12:
        return 1
    return 0


def _is_furniture(groups: list[str]) -> bool:
    """Whether groups after a card number are its expiry and/or CVV (in either order)."""
    if not groups:
        return True
    if len(groups) > 3:
        return False
    expiry = _expiry_len(groups)
    if expiry and _is_furniture_cvv(groups[expiry:]):
        return True
    if _is_cvv(groups[0]):
        rest = groups[1:]
        return not rest or _expiry_len(rest) == len(rest)
    return False


def _is_furniture_cvv(groups: list[str]) -> bool:
    return not groups or (len(groups) == 1 and _is_cvv(groups[0]))


def _is_canonical(lengths: list[int]) -> bool:
    """Card groupings as cards print them: fours (the last 1-4), Amex 4-6-5, Diners 4-6-4."""
    if lengths in ([4, 6, 5], [4, 6, 4]):
        return True
    return all(n == 4 for n in lengths[:-1]) and 1 <= lengths[-1] <= 4


def _windows(
    groups: list[str], seps: list[str], glued_left: bool, glued_right: bool
) -> Iterator[tuple[int, int]]:
    """(first, last) group of each stretch of a run that may be one card number.

    Around a stretch of several groups, the rest of the run must be something else: its
    expiry or CVV, a group joined by another separator (`CVV2 4111-1111-...`), or a group
    that belongs to a word (`ref A1 4111 ...`)."""
    count = len(groups)
    for first in range(count):
        total = 0
        for last in range(first, count):
            total += len(groups[last])
            if total > 19:
                break
            if total < 13:
                continue
            if first == last:
                yield first, last  # one group of 13-19 digits
                continue
            lengths = [len(g) for g in groups[first : last + 1]]
            whole = first == 0 and last == count - 1
            if whole and max(lengths) == 1 and len(set(seps)) == 1:
                yield first, last  # every digit apart: "4 1 1 1 1 1 ..."
                continue
            if lengths[0] not in (4, 6, 8) or len(lengths) > 6:
                continue
            # Groups of two digits or more; only a card printed in fours ends with one digit.
            if min(lengths[1:]) < 2 and not (
                min(lengths[1:-1] or [4]) >= 2 and _is_canonical(lengths)
            ):
                continue
            inside = {_separator_class(s) for s in seps[first:last]}
            if len(inside) != 1:
                # Mixed separators only in a card's own grouping, standing alone.
                if whole and _is_canonical(lengths):
                    yield first, last
                continue
            before_ok = (
                first == 0
                or _separator_class(seps[first - 1]) not in inside
                or (first == 1 and glued_left)
                or (_is_canonical(lengths) and _lead_in(groups[:first]))
            )
            after_ok = (
                last == count - 1
                or _separator_class(seps[last]) not in inside
                or (last == count - 2 and glued_right)
                or _is_furniture(groups[last + 1 :])
            )
            if before_ok and after_ok:
                yield first, last


def _lead_in(groups: list[str]) -> bool:
    """Whether groups before a card number are a CVV or an expiry date alone."""
    return (len(groups) == 1 and _is_cvv(groups[0])) or (
        len(groups) == 2 and _expiry_len(groups) == 2
    )


def _iban_spans(text: str) -> list[tuple[int, int]]:
    """Where valid IBANs are written in the text (grouped or not, any letter case)."""
    upper = text.upper()
    spans = []
    for found in _IBAN_START.finditer(upper):
        chars: list[str] = []
        positions: list[int] = []
        at = found.start()
        while at < len(upper) and len(chars) < 34:
            ch = upper[at]
            if _IBAN_BODY.match(ch):
                chars.append(ch)
                positions.append(at)
            elif not (ch in " -" and at + 1 < len(upper) and _IBAN_BODY.match(upper[at + 1])):
                break
            at += 1
        if len(chars) < 15:
            continue
        from stdnum import iban

        for length in range(len(chars), 14, -1):
            if iban.is_valid("".join(chars[:length])):
                spans.append((found.start(), positions[length - 1] + 1))
                break
    return spans


def _account_without_country(groups: list[str]) -> bool:
    """Whether a run is an all-digit account number written without its country code: two
    check digits, then the rest, valid as an IBAN for some country."""
    if len(groups[0]) != 2:
        return False
    digits = "".join(groups)
    if not 14 <= len(digits) <= 32:
        return False
    from stdnum import iban

    return any(iban.is_valid(country + digits) for country in _NUMERIC_IBAN_COUNTRIES)


def _look_alike(digits: str, after: str = "") -> bool:
    """Numbers of card length and brand that are something else: an EAN-13 product barcode
    (13-digit cards are no longer issued), a Chinese resident id (18 characters, the last a
    digit or X, with its own check; `after` is the character that follows the digits)."""
    if len(digits) == 13:
        from stdnum import ean

        return ean.is_valid(digits)
    if len(digits) == 18:
        return _resident_id(digits)
    if len(digits) == 17 and after in ("X", "x"):
        return _resident_id(digits + "X")
    return False


_RESIDENT_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]
# The province codes a resident id starts with (GB/T 2260), Hong Kong, Macau and Taiwan too.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83 91".split()
)


def _resident_id(number: str) -> bool:
    """A Chinese resident id: a region, a birth date, a sequence and an ISO 7064 MOD 11-2
    check character (checked here: python-stdnum also demands the region existed then)."""
    import datetime as dt

    if not number[:17].isdigit():
        return False
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if not 1880 <= born.year <= dt.date.today().year or number[:2] not in _PROVINCES:
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _RESIDENT_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()


def find_card_number(text: str) -> str | None:
    """Return the brand of a card number written in the text, or None."""
    text = normalize(text)
    spans: list[tuple[int, int]] | None = None
    for match in _RUN.finditer(text):
        run = match.group()
        groups = _GROUP.findall(run)
        if sum(map(len, groups)) < 13:
            continue
        seps = re.split(r"[0-9]+", run)[1:-1]
        starts = [m.start() + match.start() for m in _GROUP.finditer(run)]
        if len(groups) > 1 and _account_without_country(groups):
            continue
        glued_left = match.start() > 0 and text[match.start() - 1].isalpha()
        glued_right = match.end() < len(text) and text[match.end()].isalpha()
        for first, last in _windows(groups, seps, glued_left, glued_right):
            digits = "".join(groups[first : last + 1])
            brand = card_brand(digits)
            if brand is None:
                continue
            # Imported only for a number of card length and brand: `import stdnum` costs
            # ~30 ms, and every stored timestamp and date is a run of digits.
            from stdnum import luhn

            start, end = starts[first], starts[last] + len(groups[last])
            if not luhn.is_valid(digits) or _look_alike(digits, text[end : end + 1]):
                continue
            if spans is None:
                spans = _iban_spans(text)
            if any(s < end and start < e for s, e in spans):
                continue
            return brand
    return None


def refuse_card_numbers(fields: Mapping[str, object]) -> None:
    """Raise if any text value (or list of texts) holds a payment card number."""
    for name, value in fields.items():
        texts = value if isinstance(value, (list, tuple)) else [value]
        for text in texts:
            if not isinstance(text, str):
                continue
            if not text.isascii():  # "㊶⑪" is four digits once normalised, as it is checked
                text = normalize(text)
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
# `find_card_number` could refuse holds such a stretch once normalised.
_LONG_STRETCH = re.compile(rf"[0-9](?:{_SEP}{{0,3}}[0-9]){{12,}}")
# For ASCII text, the same test without a regular expression: separators (the characters
# `\s` matches below 128, and . / , _ ' -) dropped, digits read as 1, the rest as x; a
# stretch then shows as thirteen 1s in a row (and a few harmless texts do too).
_ASCII_SEPARATORS = bytes([*range(9, 14), *range(28, 33)]) + b"./-_,'"
_ASCII_DIGITS = bytes.maketrans(
    bytes(range(256)), bytes(49 if 48 <= c <= 57 else 120 for c in range(256))
)


def may_hold_card_number(texts: str | Iterable[str]) -> bool:
    """A cheap test that is true of every text `find_card_number` could refuse (and of some
    harmless ones: IBANs, order numbers). Bulk imports give it many cells at once and look
    closer only where it is true."""
    text = texts if isinstance(texts, str) else "\x00".join(texts)  # no stretch across cells
    if text.isascii():
        squeezed = text.encode("ascii").translate(_ASCII_DIGITS, _ASCII_SEPARATORS)
        return b"1111111111111" in squeezed
    return _LONG_STRETCH.search(normalize(text)) is not None
