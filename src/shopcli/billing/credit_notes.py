"""Credit notes: cancelling an issued invoice with a document of its own number that
refers to it (EU VAT Directive art. 219); what was paid becomes the client's credit.

The shopper calls this voiding the invoice (`shop invoice void`); the document it makes is a
credit note, and `issue_credit_note` is named for that.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from shopcli.billing.drafts import amount_text
from shopcli.billing.invoices import document_of, get, kind_word, payment_amounts
from shopcli.billing.numbering import next_number
from shopcli.core import validate
from shopcli.core.dates import now, today
from shopcli.core.errors import Conflict
from shopcli.core.money import to_text
from shopcli.storage import Store, events, seals
from shopcli.storage import invoices as queries
from shopcli.storage.records import dumps
from shopcli.storage.rows import Invoice


def issue_credit_note(
    store: Store,
    ref: str,
    reason: str,
    *,
    day: str | None = None,
    prof=None,
    check: Callable[[Invoice], Any] | None = None,
) -> Invoice:
    """Cancel an issued document with a credit note of its own number that refers to it.

    What the client already paid on it becomes the client's credit. `check(credit_note)`
    runs inside the transaction before commit, as for `issue`.
    """
    from shopcli.core.cards import refuse_card_numbers
    from shopcli.people import profile

    reason = validate.text(reason or "", "reason", max_length=500)
    # Checked here under its own name: stored, it is only a part of the frozen "document".
    refuse_card_numbers({"reason": reason})
    prof = prof or profile.load()
    day = today(day)
    with store.write():
        original = get(store, ref)
        if original["kind"] == "credit_note":
            raise Conflict(f"{original['number']} is a credit note itself; it cannot be voided")
        done = queries.credit_notes_for(store, original["id"])
        if done:
            raise Conflict(f"{original['number']} is already voided by {done[0]['number']}")
        source = document_of(original)
        number, series, seq = next_number(store, prof, day)
        document = _credit_document(source, original, number, day, reason)
        credit_id = store.insert(
            "invoices",
            {
                "number": number,
                "series": series,
                "seq": seq,
                "kind": "credit_note",
                "job_id": original["job_id"],
                "client_id": original["client_id"],
                "issued": day,
                "due": None,
                "currency": original["currency"],
                "total": to_text(Decimal(document["total"])),
                "original_id": original["id"],
                "reference": None,
                "document": dumps(document),
                "created_at": now(),
            },
        )
        seals.seal(store, "invoice", credit_id)
        paid = sum((Decimal(a) for a in payment_amounts(store, original["id"])), Decimal(0))
        if paid > 0:
            store.insert(
                "client_credits",
                {
                    "client_id": original["client_id"],
                    "currency": original["currency"],
                    "amount": to_text(paid),
                    "reason": "void",
                    "payment_id": None,
                    "invoice_id": original["id"],
                    "created_at": now(),
                },
            )
        events.log(
            store,
            "invoice.voided",
            f"{kind_word(original['kind'])} {original['number']} voided by credit note "
            f"{number}: {reason}",
            client_id=original["client_id"],
            job_id=original["job_id"],
            detail={
                "invoice_id": original["id"],
                "credit_note_id": credit_id,
                "number": number,
                "reason": reason,
                "paid_to_credit": amount_text(paid),
            },
        )
        row = queries.existing(store, credit_id)
        if check is not None:
            check(row)
    return row


def _credit_document(
    source: dict, original: Invoice, number: str, day: str, reason: str
) -> dict[str, Any]:
    def negate(value: str) -> str:
        return amount_text(-Decimal(value))

    lines = []
    for line in source["lines"]:
        lines.append(
            {**line, "quantity": negate(line["quantity"]), "amount": negate(line["amount"])}
        )
    taxes = [
        {**tax, "base": negate(tax["base"]), "tax": negate(tax["tax"])} for tax in source["taxes"]
    ]
    return {
        **source,
        "kind": "credit_note",
        "number": number,
        "issued": day,
        "due": None,
        # What it cancels is named with its own date; a credit note supplies nothing.
        "supplied": None,
        "lines": lines,
        "taxes": taxes,
        "net": negate(source["net"]),
        "tax": negate(source["tax"]),
        "outside_vat": negate(source.get("outside_vat", "0")),
        "total": negate(source["total"]),
        "payment": {**source["payment"], "reference": None},
        "original": {
            "number": original["number"],
            "issued": original["issued"],
            "kind": original["kind"],
        },
        "reason": reason,
        "not_billed": [],
    }
