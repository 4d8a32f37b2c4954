"""Checks for the shopper's typed input: emails, dates, links, languages, quantities.

A refusal names the field, never the value: what was typed may be a client's data (or a
header smuggled into an address), and an error message ends up in terminals, logs and
scripts' output.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from shopcli.core import languages
from shopcli.core.errors import InvalidInput

LANGUAGES = languages.NAMES

_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
_PHONE = re.compile(r"\+?[0-9][0-9 ()\-./]{4,24}[0-9]")


def email(value: str, what: str = "email") -> str:
    """An email address checked by email-validator (syntax only: no DNS look-up, so it works
    offline), letters beyond ASCII included (jurgen@müller.de, 李@example.cn); returned in
    its normal form (the domain lower-cased). The error names the field and the rule, never
    the address."""
    from email_validator import EmailNotValidError, validate_email

    try:
        found = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        reason = str(exc).rstrip(".")
        raise InvalidInput(f"{what} is not an email address ({reason})") from None
    return found.normalized


def email_ascii(value: str) -> str | None:
    """The address as plain ASCII for mail headers (the domain in its xn-- form), or None
    when its local part has letters beyond ASCII and only an SMTPUTF8 message can carry it."""
    from email_validator import EmailNotValidError, validate_email

    try:
        found = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError:
        return None
    return found.ascii_email


def phone(value: str, what: str = "phone") -> str:
    value = value.strip()
    if not _PHONE.fullmatch(value):
        raise InvalidInput(
            f"{what} is not a phone number (digits, spaces, +, - and brackets, e.g. "
            "+358 40 123 4567)"
        )
    return value


# The years a date may fall in: wide enough for any birthday or record, narrow enough that
# day arithmetic on it (a reminder's pay-by day, a calendar's range) stays within Python's
# dates (year 9999).
FIRST_YEAR = 1900
LAST_YEAR = 2200
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # \d would take other scripts' digits


def date(value: str, what: str = "date") -> str:
    """A date written YYYY-MM-DD (only that form: `date.fromisoformat` also reads 20261224
    and week dates on Python 3.11+, and not on 3.10), in the years FIRST_YEAR-LAST_YEAR."""
    value = value.strip()
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{what} must be a date written YYYY-MM-DD, e.g. 2026-12-24") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput(f"{what} must fall in the years {FIRST_YEAR}-{LAST_YEAR}")
    return day.isoformat()


def url(value: str, what: str = "link") -> str:
    value = value.strip()
    if not _URL.fullmatch(value):
        raise InvalidInput(
            f"{what} is not a web link (it must start with http:// or https://, with no spaces)"
        )
    return value


def language(value: str, what: str = "language") -> str:
    code = value.strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        known = ", ".join(f"{k} ({v})" for k, v in LANGUAGES.items())
        raise InvalidInput(f"{what} is not a language shopcli knows; known languages: {known}")
    return code


MAX_QUANTITY = 99_999


def quantity(value: int) -> int:
    if value < 1:
        raise InvalidInput(f"quantity must be at least 1, not {value}")
    if value > MAX_QUANTITY:
        raise InvalidInput(f"quantity must be at most {MAX_QUANTITY:,}, not {value}")
    return value


def text(value: str, what: str, *, max_length: int = 2000, multiline: bool = False) -> str:
    """A free-text field: trimmed, not empty, of reasonable length; one line unless told."""
    value = value.strip()
    if not value:
        raise InvalidInput(f"{what} cannot be empty")
    refuse_hidden_text({what: value})
    if not multiline and ("\n" in value or "\r" in value):
        raise InvalidInput(f"{what} must be a single line")
    if len(value) > max_length:
        raise InvalidInput(f"{what} is longer than {max_length} characters")
    return value


def words(value: str | list[str] | None) -> list[str]:
    """A comma-separated list ("knitting, cats") or a list, cleaned of blanks."""
    if value is None:
        return []
    parts = value if isinstance(value, list) else value.split(",")
    return [str(p).strip() for p in parts if str(p).strip()]


def vat_id(value: str) -> str:
    """An EU VAT number with its country prefix, checked and written compactly (FI12345671)."""
    from shopcli.core import tax_ids

    return tax_ids.vat_id(value).value


# An RFC 2047 encoded word: mail programs decode it wherever it appears in a header.
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=")
_BREAKS = ("\r", "\n", "\x00", "\x0b", "\x0c", "\x85", "\u2028", "\u2029")


def hides_line_break(text: str) -> bool:
    """Whether an encoded word in the text (`=?utf-8?b?DQpCY2M6...?=`) decodes to a line
    break or NUL: in an email header it would start a header of its own."""
    if "=?" not in text:
        return False
    from email.policy import default

    for word in _ENCODED_WORD.findall(text):
        try:
            decoded = str(default.header_factory("Subject", word))
        except Exception:  # not decodable: mail programs show it as it is
            continue
        if any(mark in decoded for mark in _BREAKS):
            return True
    return False


def refuse_hidden_text(fields: Mapping[str, object]) -> None:
    """Refuse text no field may hold, naming the field (never the value): a NUL character
    (C strings and many tools end the text there) and an encoded word that decodes to a
    line break (see `hides_line_break`)."""
    for name, value in fields.items():
        texts = value if isinstance(value, (list, tuple)) else [value]
        for text in texts:
            if not isinstance(text, str):
                continue
            if "\x00" in text:
                raise InvalidInput(
                    f"{_field(name)} contains a NUL character (\\0), which no text field may "
                    "hold; remove it"
                )
            if "=?" in text and hides_line_break(text):
                raise InvalidInput(
                    f"{_field(name)} holds an encoded word (=?...?=) that decodes to a line "
                    "break: in an email it would add headers of its own; remove it"
                )


def _field(name: str) -> str:
    return name.replace("_", " ")
