"""The records the storage layer hands on, as typed dicts: the fields of a row, by table.

A row read with `SELECT *` has every column of its table as a key (a column that may be
NULL is typed `... | None`). The keys after each table's own columns are not always there
(`total=False`): a query that joins another table adds them (an item's recipient and job
names, an invoice's client), and a listing adds what it works out (an invoice's balance).
Money is kept as text (an exact decimal) and read with `Decimal(...)`; dates are ISO text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict


class _ClientColumns(TypedDict):
    id: int
    name: str
    salutation: str | None
    email: str | None
    phone: str | None
    address: str | None
    birthday: str | None
    language: str | None
    currency: str | None
    vat_id: str | None
    notes: str | None
    referred_by: str | None
    # Consent to be a reference ("yes" or "no", None if never asked), and since when.
    reference: str | None
    reference_on: str | None
    reference_note: str | None
    recommendation: str | None
    recommendation_on: str | None
    created_at: str
    updated_at: str


class Client(_ClientColumns, total=False):
    """Who commissions the shopping and pays the fee (table `clients`)."""

    jobs: int  # how many jobs they commissioned (the list of references)


class _RecipientColumns(TypedDict):
    id: int
    client_id: int
    name: str
    relation: str | None
    birthday: str | None
    # JSON text: {"name day": "2026-05-12"}, ["books"], ["perfume"], {"shoe": "38"}.
    dates: str
    interests: str
    dislikes: str
    sizes: str
    address: str | None
    notes: str | None
    created_at: str
    updated_at: str


class Recipient(_RecipientColumns, total=False):
    """A person on a client's list, kept across jobs (table `recipients`)."""

    client: str  # the client's name


class _JobColumns(TypedDict):
    id: int
    client_id: int
    title: str
    occasion: str | None
    deadline: str | None
    currency: str
    budget: str | None
    fee_kind: str | None  # flat, per-item, hourly or percent; set with fee_amount
    fee_amount: str | None
    min_fee: str | None
    deposit: str | None  # an amount, or a share of the fee written "30%"
    status: str
    notes: str | None
    created_at: str
    updated_at: str


class Job(_JobColumns, total=False):
    """One commission from a client (table `jobs`)."""

    client: str  # the client's name


class _ItemColumns(TypedDict):
    id: int
    job_id: int
    number: int  # within its job: the N of `JOB/N`
    recipient_id: int | None
    title: str
    store: str | None
    url: str | None
    price: str
    currency: str
    qty: int
    size: str | None
    colour: str | None
    notes: str | None
    paid_by: str  # client or shopper
    billed_as: str  # disbursement or resale
    shipping: str | None
    customs: str | None
    status: str  # see work.lifecycle
    carrier: str | None
    tracking: str | None
    eta: str | None
    order_no: str | None
    delay_reason: str | None
    delivered_on: str | None
    return_by: str | None
    image_url: str | None
    page_title: str | None
    status_on: str | None  # the day (UTC) it entered its status
    created_at: str
    updated_at: str


class Item(_ItemColumns, total=False):
    """A candidate product for a recipient in a job (table `items`)."""

    recipient: str | None  # the recipient's name
    job: str  # the job's title
    client_id: int  # the job's client


class _InvoiceListColumns(TypedDict):
    id: int
    number: str
    kind: str  # invoice, credit_note, deposit or fee_statement
    job_id: int
    client_id: int
    issued: str
    due: str | None
    currency: str
    total: str
    original_id: int | None  # the document a credit note cancels
    reference: str | None  # the payment reference


class InvoiceSummary(_InvoiceListColumns, total=False):
    """An issued document as lists show it: without its frozen content."""

    client: str  # the client's name
    job: str  # the job's title
    original_number: str | None
    official_number: str | None
    digits: int | None  # the currency's minor units it was issued with
    handed_over: str | None  # the day its job was last handed over (the books)
    # Worked out as of a day by billing.invoices.listing:
    paid: Decimal
    balance: Decimal
    state: str  # unpaid, partly paid, paid, void, credit note
    overdue: bool
    voided_by: str | None  # the number of the credit note that cancels it


class Invoice(InvoiceSummary):
    """An issued document, frozen (table `invoices`): invoice, deposit invoice, fee statement
    or credit note."""

    series: str
    seq: int
    document: str  # the whole document as JSON, as it was issued
    created_at: str


class _DecisionColumns(TypedDict):
    id: int
    proposal_id: int
    item_id: int
    decision: str  # approved, rejected or change_requested
    note: str | None
    source: str  # command or reply
    decided_at: str


class Decision(_DecisionColumns, total=False):
    """The client's decision on one proposed item (table `decisions`)."""

    version: int  # of the proposal it answers
    number: int  # the item's number in its job
    title: str  # the item's title
