"""Payment details on an invoice: IBAN, RF creditor reference (ISO 11649), EPC QR code."""

from __future__ import annotations

import re
from decimal import Decimal

from shopcli.core.errors import InvalidInput

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
    reference, (unstructured text); the charset is the first of the EPC's list (after
    UTF-8) that can encode it, else UTF-8.
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


def epc_bytes(payload: str) -> bytes:
    """The payload encoded in the character set its third line names."""
    charset = int(payload.split("\n")[2])
    return payload.encode(EPC_ENCODINGS[charset - 1])


def epc_qr(payload: str):  # -> segno.QRCode
    """The QR code holding exactly this payload (from `epc_payload`), as the EPC standard
    asks: error correction level M (not boosted), at most version 13. Built with segno's
    public `make_qr`, so what the code holds is our payload, not a copy made elsewhere."""
    import segno

    qr = segno.make_qr(epc_bytes(payload), error="m", boost_error=False)
    # make_qr makes no Micro QR (whose versions are text, "M4"): anything else is refused.
    if not isinstance(qr.version, int) or qr.version > 13:
        raise InvalidInput("the EPC QR payload needs a QR code above version 13; shorten it")
    return qr


def epc_qr_png(payload: str) -> bytes:
    """The EPC QR code of a payload as a PNG (for an email, where SVG and data: URIs fail)."""
    import io

    buffer = io.BytesIO()
    epc_qr(payload).save(buffer, kind="png", scale=4, border=2)
    return buffer.getvalue()


def epc_qr_data_uri(payload: str) -> str:
    """The EPC QR code of a payload as an inline SVG data URI (no external asset)."""
    return epc_qr(payload).svg_data_uri(scale=3, border=2)
