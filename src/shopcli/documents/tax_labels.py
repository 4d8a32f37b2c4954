"""How documents label a business or VAT id: by its scheme's country and kind, translated.

The label comes from what the number is (`core.tax_ids`), never from the document's language
alone: a Finnish VAT number on a Polish invoice is "NIP UE", not "NIP"; a Y-tunnus on a
Hungarian one is a Finnish business id, not an "Adószám".
"""

from __future__ import annotations

from shopcli.core import tax_ids


def N_(message: str) -> str:
    """Marks a message for the catalogs; translated where it is shown."""
    return message


# Translators: the label of a number on an invoice. Translate each as invoices in your language
# name that kind of number; where it is your country's own number, its usual short name
# (Y-tunnus, NIP, Adószám, ИНН, Код ЄДРПОУ, 统一社会信用代码).
LABELS: dict[str, str] = {
    tax_ids.EU_VAT: N_("EU VAT number"),
    "ytunnus": N_("Finnish business ID (Y-tunnus)"),
    "nip": N_("Polish tax identification number (NIP)"),
    "adoszam": N_("Hungarian tax number (adószám)"),
    "uscc": N_("Chinese unified social credit code"),
    "inn": N_("Russian taxpayer number (INN)"),
    "edrpou": N_("Ukrainian company code (EDRPOU)"),
}
# For a stored value that no longer passes the checks: what the field holds, nothing more.
FIELDS: dict[str, str] = {"business_id": N_("Business ID"), "vat_id": N_("VAT number")}


def label(key: str, value: str | None) -> str:
    """The (untranslated) label of the id stored in `key` (`business_id` or `vat_id`)."""
    from shopcli.core.memo import remembered

    # The same every time for the same id: kept, so that showing a frozen invoice again
    # needs no python-stdnum.
    scheme = remembered("tax-id", [key, value], lambda: _scheme(key, value))
    return LABELS.get(scheme or "", FIELDS[key])


def _scheme(key: str, value: str | None) -> str | None:
    found = tax_ids.identify(key, value)
    return found.scheme if found else None
