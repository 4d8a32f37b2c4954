"""Payment details on an invoice: IBAN, RF creditor reference (ISO 11649), EPC QR code."""

from __future__ import annotations

import re
from decimal import Decimal

from shopcli.errors import InvalidInput

EPC_ENCODINGS = (
    "utf-8",
    "iso-8859-1",
    "iso-8859-2",
    "iso-8859-4",
    "iso-8859-5",
    "iso-8859-7",
    "iso-8859-10",
    "iso-8859-15",
)
EPC_MAX_BYTES = 331


def iban(value: str) -> str:
    """A valid IBAN in compact form (no spaces), or a clear refusal."""
    from stdnum import iban as stdnum_iban

    if not value or not stdnum_iban.is_valid(value):
        raise InvalidInput(f"IBAN {value!r} is not valid (check the digits and country code)")
    return stdnum_iban.compact(value)


def rf_reference(number: str) -> str:
    """The RF creditor reference for an invoice number: RF + check digits + its letters/digits.

    ISO 11649 allows at most 21 characters after the check digits; longer numbers keep
    their last 21 (the sequence is at the end of every number format).
    """
    from stdnum import iso11649
    from stdnum.iso7064 import mod_97_10

    body = re.sub(r"[^0-9A-Z]", "", number.upper())[-21:]
    if not body:
        raise InvalidInput(f"invoice number {number!r} has no letters or digits for a reference")
    reference = "RF" + mod_97_10.calc_check_digits(body + "RF") + body
    return iso11649.validate(reference)


def format_reference(reference: str) -> str:
    from stdnum import iso11649

    return iso11649.format(reference)


def epc_payload(
    *,
    name: str,
    iban: str,
    amount: Decimal,
    reference: str | None = None,
    text: str | None = None,
    bic: str | None = None,
) -> str:
    """The EPC QR (SEPA credit transfer, version 002) payload, exactly as the QR code holds it.

    Lines: BCD, 002, charset, SCT, BIC, name, IBAN, EUR amount, purpose, structured
    reference, (unstructured text). Built the way segno's `make_epc_qr` builds it.
    """
    name = (name or "").strip()
    if not 0 < len(name) <= 70:
        raise InvalidInput("the payee name for the QR code must be 1 to 70 characters")
    if (reference is None) == (text is None):
        raise InvalidInput("an EPC QR code needs either a creditor reference or a text")
    if reference and len(reference) > 35:
        raise InvalidInput("a creditor reference has at most 35 characters")
    amount = Decimal(amount)
    if not Decimal("0.01") <= amount <= Decimal("999999999.99"):
        raise InvalidInput("an EPC QR code amount is from 0.01 to 999999999.99 EUR")
    fields = [
        "BCD",
        "002",
        "",
        "SCT",
        (bic or "").strip(),
        name,
        iban,
        f"EUR{amount:.2f}".rstrip("0").rstrip("."),
        "",
        (reference or "").strip(),
    ]
    if text:
        fields.append(text.strip())
    charset = 1
    for index, encoding in enumerate(EPC_ENCODINGS[1:], start=2):
        try:
            "\n".join(fields).encode(encoding)
        except UnicodeEncodeError:
            continue
        charset = index
        break
    fields[2] = str(charset)
    payload = "\n".join(fields)
    if len(payload.encode(EPC_ENCODINGS[charset - 1])) > EPC_MAX_BYTES:
        raise InvalidInput("the EPC QR payload is longer than 331 bytes; shorten the payee name")
    return payload


def epc_qr_data_uri(
    *, name: str, iban: str, amount: Decimal, reference: str, bic: str | None = None
) -> str:
    """The EPC QR code as an inline SVG data URI (no external asset), via segno."""
    import segno.helpers

    qr = segno.helpers.make_epc_qr(
        name=name.strip(), iban=iban, amount=Decimal(amount), reference=reference, bic=bic or None
    )
    return qr.svg_data_uri(scale=3, border=2)
