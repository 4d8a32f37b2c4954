"""Rendering issued invoices and drafts: text, HTML with the EPC QR code, PDF, .eml."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal, overload

from shopcli.billing.invoices import FORMATS, kind_word
from shopcli.core.errors import InvalidInput
from shopcli.core.memo import remembered
from shopcli.storage import Store, events
from shopcli.storage import clients as client_queries
from shopcli.storage.rows import Client, Invoice


def render_context(
    store: Store | None, row: Invoice | None, document: dict, *, html: bool = False, qr: str = ""
) -> dict:
    """What the invoice templates get: the frozen document plus what happened since.

    `qr` says how the HTML shows the EPC QR code: "data" as an inline image (the PDF: its
    renderer reads nothing else), "cid" as the image part of an .eml, "" not at all (a page
    for email, where no mail program shows an inline data: image; the payment details are
    written out beside it)."""
    official = row.get("official_number") if row else None
    context = {
        "doc": document,
        "draft": document.get("number") is None,
        "official_number": official,
        "qr": None,
        "reference_display": None,
        "disbursements": Decimal(document.get("outside_vat") or 0) != 0,
        "payable": document["kind"] != "credit_note" and Decimal(document["total"]) > 0,
        # An email draft opens and closes as a letter (`letter`), greeting the client by
        # their salutation and saying whether a PDF copy is attached.
        "letter": False,
        "salutation": None,
        "attached": False,
    }
    reference = document.get("payment", {}).get("reference")
    if reference:
        context["reference_display"] = remembered(
            "reference", reference, lambda: _format_reference(reference)
        )
    if html and qr == "data":
        # The same for every showing of a frozen document: kept, so that `invoice show`
        # needs neither segno nor python-stdnum after the first time.
        context["qr"] = remembered("epc-qr", _qr_question(document), lambda: qr_for(document))
    elif html and qr == "cid" and qr_png_for(document) is not None:
        from shopcli.documents.mail_html import QR_CID

        context["qr"] = f"cid:{QR_CID}"
    return context


def qr_png_for(document: dict) -> bytes | None:
    """The EPC QR code as PNG bytes (for an .eml), when the document gets one; kept like the
    inline one."""
    import base64

    def made() -> str | None:
        payload = epc_payload_for(document)
        if payload is None:
            return None
        from shopcli.billing.payment_codes import epc_qr_png

        return base64.b64encode(epc_qr_png(payload)).decode("ascii")

    kept = remembered("epc-qr-png", _qr_question(document), made)
    return base64.b64decode(kept) if kept else None


def _format_reference(reference: str) -> str:
    from shopcli.billing.payment_codes import format_reference

    return format_reference(reference)


def _qr_question(document: dict) -> list:
    """Everything `qr_for` reads of a document."""
    payment = document.get("payment") or {}
    return [
        document["currency"],
        document["kind"],
        document["total"],
        _payee(document["seller"]),
        [payment.get(key) for key in ("iban", "reference", "bic")],
    ]


def qr_for(document: dict) -> str | None:
    """The EPC QR code (data URI) when the document is payable in EUR to a set IBAN."""
    payload = epc_payload_for(document)
    if payload is None:
        return None
    from shopcli.billing.payment_codes import epc_qr_data_uri

    return epc_qr_data_uri(payload)


def _payee(seller: dict) -> str:
    return str(seller.get("business_name") or seller.get("name") or "")[:70]


def epc_payload_for(document: dict) -> str | None:
    """The text the QR code of a document holds (None when it gets no QR code)."""
    payment = document.get("payment") or {}
    if (
        document["currency"] != "EUR"
        or not payment.get("iban")
        or not payment.get("reference")
        or document["kind"] == "credit_note"
        or Decimal(document["total"]) <= 0
    ):
        return None
    from shopcli.billing.payment_codes import epc_payload, iban

    return epc_payload(
        name=_payee(document["seller"]),
        iban=iban(payment["iban"]),
        amount=Decimal(document["total"]),
        reference=payment["reference"],
        bic=payment.get("bic"),
    )


@overload
def render(
    store: Store | None,
    row: Invoice | None,
    document: dict,
    fmt: Literal["pdf", "eml"],
    *,
    extra_attachments: Sequence[tuple[str, str, bytes]] = (),
    keep: bool = True,
) -> bytes: ...


@overload
def render(
    store: Store | None,
    row: Invoice | None,
    document: dict,
    fmt: str,
    *,
    extra_attachments: Sequence[tuple[str, str, bytes]] = (),
    keep: bool = True,
) -> str | bytes: ...


def render(
    store: Store | None,
    row: Invoice | None,
    document: dict,
    fmt: str,
    *,
    extra_attachments: Sequence[tuple[str, str, bytes]] = (),
    keep: bool = True,
) -> str | bytes:
    """The document as text, HTML, PDF (bytes) or an .eml draft (bytes); an .eml carries
    `extra_attachments` (file name, type, bytes) after the invoice's PDF. A frozen invoice's
    PDF is kept in the cache unless `keep` is false (rendered before its number is committed:
    an issue that fails keeps nothing of it)."""
    from shopcli.documents import render as rendering

    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    language = document.get("language") or "en"
    digits = document_digits(document)
    if fmt == "text":
        return rendering.render(
            "invoice.txt", render_context(store, row, document), language=language, digits=digits
        )
    frozen = bool(document.get("number"))
    if fmt == "pdf" and not frozen:
        from shopcli.documents import pdf

        pdf.require()  # refused before a draft is rendered (a frozen one may be kept)

    def page(qr: str) -> str:
        return rendering.render(
            "invoice.html",
            render_context(store, row, document, html=True, qr=qr),
            language=language,
            digits=digits,
        )

    if fmt == "html":
        from shopcli.documents.mail_html import for_email

        return for_email(page(""), what="the invoice")
    if fmt == "pdf":
        made = _pdf(page("data"), frozen=frozen, keep=keep)
        assert made is not None  # only an optional PDF (an email's) may be left out
        return made
    from shopcli.documents import email_draft
    from shopcli.documents.mail_html import QR_CID

    png = qr_png_for(document)
    attachments = []
    if frozen:
        attached = _pdf(page("data"), frozen=True, keep=keep, optional=True)
        if attached is not None:
            attachments.append((f"{_file_stem(document)}.pdf", "application/pdf", attached))
    attachments.extend(extra_attachments)
    client = _client_now(store, document)
    letter = {
        "letter": True,
        "salutation": client["salutation"] if client else None,
        "attached": bool(attachments),
    }
    text = rendering.render(
        "invoice.txt",
        {**render_context(store, row, document), **letter},
        language=language,
        digits=digits,
    )
    html = rendering.render(
        "invoice.html",
        {**render_context(store, row, document, html=True, qr="cid"), **letter},
        language=language,
        digits=digits,
    )
    subject = rendering.render(
        "invoice_subject.txt",
        render_context(store, row, document),
        language=language,
        digits=digits,
    )
    return email_draft.draft(
        document.get("seller") or {},
        addressee(document, client),
        subject=subject,
        text=text,
        html=html,
        attachments=attachments,
        images=[(QR_CID, png, "image/png")] if png else [],
    )


def _pdf(html: str, *, frozen: bool, keep: bool = True, optional: bool = False) -> bytes | None:
    """The PDF of an invoice page. A frozen document's page renders to the same PDF every
    time: it is kept in the data folder's cache (core.memo) under the page's digest, so only
    the first showing pays for WeasyPrint (~0.5 s), the later ones read the file. With
    `optional`, None when WeasyPrint is not installed (the PDF is left out of an email)."""
    from shopcli.core.memo import remembered_bytes
    from shopcli.documents import pdf

    def rendered() -> bytes:
        if optional and not pdf.available():
            raise pdf.PdfUnavailable("no WeasyPrint")
        return pdf.html_to_pdf(html)

    try:
        if not frozen or not keep:
            return rendered()
        return remembered_bytes("invoice-pdf", html, rendered)
    except pdf.PdfUnavailable:
        if optional:
            return None
        raise


def _client_now(store: Store | None, document: dict) -> Client | None:
    """The buyer's client record as it is now: how a letter greets them and where it goes are
    not part of the frozen invoice."""
    buyer_id = (document.get("buyer") or {}).get("id")
    if store is None or buyer_id is None:
        return None
    return client_queries.by_id(store, buyer_id)


def addressee(document: dict, client: Mapping[str, Any] | None) -> dict:
    """Whom a billing document's draft is written to: the frozen buyer, with the client's
    current email when the buyer was frozen without one (the document itself is unchanged)."""
    buyer = dict(document.get("buyer") or {})
    if not buyer.get("email") and client and client.get("email"):
        buyer["email"] = client["email"]
    return buyer


def document_digits(document: dict) -> dict[str, int]:
    """Digits to show the document's currency with: those it was issued with, if recorded."""
    found = document.get("minor_units")
    return {document["currency"]: found} if isinstance(found, int) else {}


def _file_stem(document: dict) -> str:
    import re

    return re.sub(r"[^0-9A-Za-z._-]+", "-", str(document.get("number") or "draft"))


def log_rendered(store: Store, row: Invoice, fmt: str, output: str | None) -> None:
    events.rendered(
        store,
        "invoice.rendered",
        f"{kind_word(row['kind'])} {row['number']}",
        fmt,
        client_id=row["client_id"],
        job_id=row["job_id"],
        invoice_id=row["id"],
        output=output,
    )
