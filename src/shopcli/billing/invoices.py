"""Invoices: the draft, issuing (numbering and freezing), credit notes, official numbers.

A draft is computed from the job's records each time and never stored. Issuing takes one
`BEGIN IMMEDIATE` transaction: it recomputes the draft, checks the content the law asks
for (EU VAT Directive art. 226), takes the next number of a gap-free series and stores the
whole document as frozen JSON; the database refuses any later UPDATE or DELETE of it.
What changes afterwards (payments, credit notes, official numbers) lives in other tables.

Decisions (see also `fees`):
- Goods the shopper paid for in the client's name, their shipping and customs duty, and
  the job's own costs are disbursements billed at cost, outside the VAT base (art. 79(c):
  repayment of expenditure incurred in the client's name). Goods the shopper bought in
  their own name (an item `billed_as` resale) are sold on: taxable at the profile's rate,
  at the price the client approved with the VAT it includes (see `drafts`). Fees and
  deposits carry VAT.
- Each line is rounded to the currency's minor units; VAT is computed per rate on the sum
  of the line totals; the profile's `rounding` (half-up by default) applies throughout.
- A deposit invoice bills the deposit (plus VAT) before the work; the final invoice
  deducts every deposit invoice of the job that has not been voided, at its VAT rate.
- A job has at most one live final invoice and one live deposit invoice; void one to
  issue it again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypedDict

from shopcli.core.dates import today
from shopcli.core.errors import InvalidInput, NotFound
from shopcli.core.money import plain
from shopcli.storage import Store, events
from shopcli.storage import invoices as queries
from shopcli.storage import jobs as job_queries
from shopcli.storage.records import loads
from shopcli.storage.rows import Invoice, InvoiceSummary

KINDS = ("invoice", "credit_note", "deposit", "fee_statement")


FINAL_KINDS = ("invoice", "fee_statement")


OFFICIAL_SYSTEMS = ("none", "hu-nav", "pl-ksef", "cn-fapiao")


FORMATS = ("text", "html", "eml", "pdf")


# Lines billed at cost, outside the VAT base.
DISBURSEMENTS = ("goods", "shipping", "customs", "job_shipping", "job_customs", "job_cost")


DOCUMENT_VERSION = 1


class Standing(TypedDict):
    """Where a document stands on a day: what was paid, what is owed, in words."""

    paid: Decimal
    balance: Decimal
    state: str  # unpaid, partly paid, paid, void, credit note
    overdue: bool
    voided_by: str | None  # the number of the credit note that cancels it


def live(store: Store, job_id: int, kinds: tuple[str, ...]) -> list[Invoice]:
    """The job's documents of these kinds that no credit note has voided."""
    return [
        row
        for row in queries.for_job(store, job_id, kinds)
        if not queries.credit_notes_for(store, row["id"])
    ]


def kind_word(kind: str) -> str:
    return {
        "credit_note": "credit note",
        "deposit": "deposit invoice",
        "fee_statement": "fee statement",
    }.get(kind, "invoice")


def get(store: Store, ref: str, *, prefix: bool = False) -> Invoice:
    """An issued document by its whole number; with `prefix`, also by an unambiguous start.

    Only showing a document accepts a start: paying, voiding and recording an official
    number act on money and law, so "2" must not quietly mean 2026-0001.
    """
    ref = str(ref).strip()
    if not ref:
        raise InvalidInput("name an invoice by its number, e.g. 2026-0001")
    row = queries.by_number(store, ref)
    if row:
        return row
    found = queries.numbers_like(store, ref)
    if prefix and len(found) == 1:
        row = queries.by_number(store, found[0])
        if row:
            return row
    if found:
        shown = ", ".join(found) + (", ..." if len(found) >= 10 else "")
        if prefix:
            raise NotFound(f"{ref!r} matches several invoices: {shown}; give the number")
        raise NotFound(
            f"no issued invoice numbered {ref!r}: give the whole number "
            f"({'one of ' if len(found) > 1 else ''}{shown})"
        )
    raise NotFound(f"no issued invoice numbered {ref!r} (see `shop invoice list`)")


def document_of(row: Invoice) -> dict[str, Any]:
    """The document as it was issued (the frozen JSON)."""
    return loads(row["document"], {})


def digits_of(row: InvoiceSummary) -> int | None:
    """The digits an issued document was issued with (its amounts keep them for good)."""
    if "digits" in row:
        return row["digits"]
    document = row.get("document")
    found = loads(document, {}).get("minor_units") if isinstance(document, str) else None
    return found if isinstance(found, int) else None


def payment_amounts(store: Store, invoice_id: int) -> list[str]:
    return [row["amount"] for row in queries.payments_for(store, invoice_id)]


def state(row: InvoiceSummary, paid: Decimal, voided_by: str | None, on: str) -> Standing:
    """Paid, balance and state of one document as of a date."""
    total = Decimal(row["total"])
    if row["kind"] == "credit_note":
        return Standing(
            paid=paid, balance=Decimal(0), state="credit note", overdue=False, voided_by=voided_by
        )
    if voided_by:
        return Standing(
            paid=paid, balance=Decimal(0), state="void", overdue=False, voided_by=voided_by
        )
    balance = total - paid
    if balance <= 0:
        label = "paid"
    elif paid > 0:
        label = "partly paid"
    else:
        label = "unpaid"
    due = row.get("due")
    overdue = balance > 0 and bool(due and due < on)
    return Standing(paid=paid, balance=balance, state=label, overdue=overdue, voided_by=voided_by)


def listing(
    store: Store,
    *,
    unpaid: bool = False,
    overdue: bool = False,
    on: str | None = None,
    client_id: int | None = None,
    job_id: int | None = None,
) -> list[InvoiceSummary]:
    """Issued documents with their payment state as of `on` (default today)."""
    on = today(on)
    rows = queries.listing(store)
    payments = queries.paid_totals(store)
    voided = {
        row["original_id"]: row["number"]
        for row in rows
        if row["kind"] == "credit_note" and row["original_id"]
    }
    found: list[InvoiceSummary] = []
    for row in rows:
        if client_id is not None and row["client_id"] != client_id:
            continue
        if job_id is not None and row["job_id"] != job_id:
            continue
        paid = sum((Decimal(a) for a in payments.get(row["id"], [])), Decimal(0))
        status = state(row, paid, voided.get(row["id"]), on)
        if unpaid and status["balance"] <= 0:
            continue
        if overdue and not status["overdue"]:
            continue
        found.append({**row, **status})
    return found


def overdue(store: Store, on: str | None = None) -> list[InvoiceSummary]:
    """Invoices past their due date with money still owed (for the agenda)."""
    return listing(store, overdue=True, on=on)


def status_of(store: Store, row: InvoiceSummary, on: str | None = None) -> Standing:
    """Where a document stands as of `on` (default today), from its payments and credit
    notes."""
    on = today(on)
    paid = sum((Decimal(a) for a in payment_amounts(store, row["id"])), Decimal(0))
    notes = queries.credit_notes_for(store, row["id"])
    return state(row, paid, notes[0]["number"] if notes else None, on)


def public(row: InvoiceSummary, standing: Standing | None = None) -> dict[str, Any]:
    """The stable JSON shape of an issued document in lists; `standing` where it stands
    (else what `listing` put in the row)."""
    currency, digits = row["currency"], digits_of(row)
    if standing is not None:
        row = {**row, **standing}
    return {
        "id": row["id"],
        "number": row["number"],
        "kind": row["kind"],
        "client_id": row["client_id"],
        "client": row.get("client"),
        "job_id": row["job_id"],
        "job": row.get("job"),
        "issued": row["issued"],
        "due": row.get("due"),
        "currency": currency,
        "total": plain(Decimal(row["total"]), currency, digits=digits),
        "paid": plain(row.get("paid", Decimal(0)), currency, digits=digits),
        "balance": plain(row.get("balance", Decimal(0)), currency, digits=digits),
        "state": row.get("state"),
        "overdue": bool(row.get("overdue")),
        "original": row.get("original_number"),
        "voided_by": row.get("voided_by"),
        "official_number": row.get("official_number"),
        "reference": row.get("reference"),
    }


def remove_billing_input(
    store: Store,
    table: str,
    entry_id: int,
    *,
    what: str,
    event: str,
    summary: Callable[[Mapping[str, Any]], str],
    detail: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Remove a time entry or job cost entered by mistake, and log it.

    Issued invoices keep what they billed (they are frozen); only later drafts change.
    `summary(row)` words the event; `detail` names the row's fields kept in it.
    """
    with store.write():
        row = store.get(table, entry_id)
        if not row:
            raise NotFound(f"no {what} with id {entry_id}")
        job = job_queries.existing(store, row["job_id"])
        queries.delete_billing_input(store, table, entry_id)
        events.log(
            store,
            event,
            summary(row),
            client_id=job["client_id"],
            job_id=row["job_id"],
            detail={"id": entry_id, **{key: row[key] for key in detail}},
        )
    return row
