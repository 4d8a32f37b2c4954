"""Business and VAT ids: which country's scheme a number belongs to, checked by python-stdnum.

One home for what an id *is*, so that the profile checks a value and a document labels it
by the same rule: a Finnish VAT number is an EU VAT number (never "NIP" or "ИНН"), a
Y-tunnus is a Finnish business id (never "Adószám"). Documents translate the label from the
scheme (`documents.tax_labels`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shopcli.core.errors import InvalidInput


@dataclass(frozen=True)
class TaxId:
    """A recognised id: its scheme's country (ISO 3166), the scheme, and the value written
    the scheme's way."""

    country: str
    scheme: str
    value: str


# Business id schemes, in the order a number is tried: the first that accepts it names it,
# unless the number starts with a country code that picks the scheme (UA 12345678).
BUSINESS_SCHEMES: tuple[tuple[str, str], ...] = (
    ("FI", "ytunnus"),
    ("PL", "nip"),
    ("HU", "adoszam"),
    ("CN", "uscc"),
    ("RU", "inn"),
    ("UA", "edrpou"),
)
# The scheme of an EU VAT number (any member state): its country is the value's prefix.
EU_VAT = "eu_vat"

_PREFIX = re.compile(r"\s*([A-Za-z]{2})[\s:-]*(?=\d)")


def _module(country: str, scheme: str):
    from stdnum import get_cc_module

    if scheme == "adoszam":
        return _HungarianTaxNumber
    return get_cc_module(country.lower(), scheme)


class _HungarianTaxNumber:
    """The Hungarian adószám: the 8-digit base number (törzsszám, checked as stdnum's ANUM),
    alone or with its VAT code and county code (12345676-2-41), as Hungarian invoices print it.
    """

    _FULL = re.compile(r"(\d{8})-?([1-5])-?(\d{2})")
    # County codes of the tax authority's directorates (02-20 counties, 22 Budapest wide, 41-44
    # Budapest districts, 51 large taxpayers).
    _COUNTIES = {f"{n:02d}" for n in [*range(2, 21), 22, 41, 42, 43, 44, 51]}

    @classmethod
    def is_valid(cls, value: str) -> bool:
        from stdnum.hu import anum

        text = re.sub(r"\s", "", value)
        full = cls._FULL.fullmatch(text)
        if full:
            return anum.is_valid(full.group(1)) and full.group(3) in cls._COUNTIES
        return text.isdigit() and len(text) == 8 and anum.is_valid(text)

    @classmethod
    def format(cls, value: str) -> str:
        text = re.sub(r"\s", "", value)
        full = cls._FULL.fullmatch(text)
        return "-".join(full.groups()) if full else text


def _format(module, value: str) -> str:
    return module.format(value) if hasattr(module, "format") else module.compact(value)


def business_id(value: str) -> TaxId:
    """The scheme a business id belongs to, and the id written its way; InvalidInput if none.

    A leading country code (FI, PL, HU, CN, RU, UA) picks the scheme, for a number two schemes
    would both accept; it is kept in the value only then, so documents label it the same way.
    """
    text = value.strip()
    prefix = _PREFIX.match(text)
    if prefix and prefix.group(1).upper() in dict(BUSINESS_SCHEMES):
        country = prefix.group(1).upper()
        scheme = dict(BUSINESS_SCHEMES)[country]
        number = text[prefix.end() :]
        module = _module(country, scheme)
        if module is not None and module.is_valid(number):
            formatted = _format(module, number)
            if len(_accepting(number)) > 1:
                formatted = f"{country} {formatted}"
            return TaxId(country, scheme, formatted)
    found = _accepting(text)
    if not found:
        raise InvalidInput(
            f"business id {value!r} is not valid: expected a Finnish Y-tunnus (1234567-8), "
            "Polish NIP, Hungarian adószám, Chinese USCC, Russian INN or Ukrainian EDRPOU "
            "(a country code in front, like UA 12345678, says which)"
        )
    country, scheme, module = found[0]
    return TaxId(country, scheme, _format(module, text))


def _accepting(number: str) -> list[tuple[str, str, object]]:
    """Every scheme that accepts the number, in the order they are tried."""
    found = []
    for country, scheme in BUSINESS_SCHEMES:
        module = _module(country, scheme)
        if module is not None and module.is_valid(number):
            found.append((country, scheme, module))
    return found


def vat_id(value: str) -> TaxId:
    """An EU VAT number with its country prefix, checked and written compactly (FI12345671)."""
    from stdnum.eu import vat

    if not vat.is_valid(value):
        raise InvalidInput(
            f"VAT id {value!r} is not valid: write it with its country prefix, e.g. FI12345671"
        )
    compact = vat.compact(value)
    return TaxId(compact[:2].upper(), EU_VAT, compact)


def identify(key: str, value: str | None) -> TaxId | None:
    """What a stored id is, by the field it was stored in (`business_id` or `vat_id`) and its
    value; None when it is empty or no longer passes the checks (it is then shown unlabelled
    by scheme, as a plain business or VAT id)."""
    if not value:
        return None
    try:
        return vat_id(value) if key == "vat_id" else business_id(value)
    except InvalidInput:
        return None
