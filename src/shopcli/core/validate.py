"""Checks for the shopper's typed input: emails, dates, links, languages, quantities."""

from __future__ import annotations

import datetime as dt
import re

from shopcli.core import languages
from shopcli.core.errors import InvalidInput

LANGUAGES = languages.NAMES

_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
_PHONE = re.compile(r"\+?[0-9][0-9 ()\-./]{4,24}[0-9]")


def email(value: str) -> str:
    """An email address checked by email-validator (syntax only: no DNS look-up, so it works
    offline), letters beyond ASCII included (jurgen@müller.de, 李@example.cn); returned in
    its normal form (the domain lower-cased). The error names the rule, not the address."""
    from email_validator import EmailNotValidError, validate_email

    try:
        found = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput(f"not an email address ({str(exc).rstrip('.')})") from None
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


def phone(value: str) -> str:
    value = value.strip()
    if not _PHONE.fullmatch(value):
        raise InvalidInput(f"not a phone number: {value!r} (digits, spaces, +, - and brackets)")
    return value


def date(value: str, what: str = "date") -> str:
    """An ISO date (YYYY-MM-DD), returned in ISO form."""
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InvalidInput(f"{what} must be a date written YYYY-MM-DD, not {value!r}") from None


def url(value: str) -> str:
    value = value.strip()
    if not _URL.fullmatch(value):
        raise InvalidInput(f"not a web link: {value!r} (it must start with http:// or https://)")
    return value


def language(value: str) -> str:
    code = value.strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        known = ", ".join(f"{k} ({v})" for k, v in LANGUAGES.items())
        raise InvalidInput(f"unknown language {value!r}; known languages: {known}")
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
    from stdnum.eu import vat

    if not vat.is_valid(value):
        raise InvalidInput(
            f"VAT id {value!r} is not valid: write it with its country prefix, e.g. FI12345671"
        )
    return vat.compact(value)
