"""Queries about billing: time entries, job costs, issued invoices, payments and credit."""

from __future__ import annotations

from typing import cast

from shopcli.core.errors import Conflict, NotFound
from shopcli.storage import Store
from shopcli.storage.rows import Client, Invoice, InvoiceSummary, Job

INVOICE_SELECT = (
    "SELECT inv.*, c.name AS client, j.title AS job, o.number AS original_number, "
    "n.official_number AS official_number "
    "FROM invoices inv JOIN clients c ON c.id = inv.client_id JOIN jobs j ON j.id = inv.job_id "
    "LEFT JOIN invoices o ON o.id = inv.original_id "
    "LEFT JOIN official_numbers n ON n.invoice_id = inv.id"
)


# -- time entries -------------------------------------------------------------------------


def time_entries(store: Store, job_id: int) -> list[dict]:
    return store.query(
        "SELECT * FROM time_entries WHERE job_id = ? ORDER BY worked_on, id", [job_id]
    )


def time_minutes(store: Store, job_id: int) -> int:
    return int(
        store.scalar(
            "SELECT coalesce(sum(minutes), 0) FROM time_entries WHERE job_id = ?", [job_id]
        )
    )


# -- job costs ----------------------------------------------------------------------------


def job_costs(store: Store, job_id: int) -> list[dict]:
    return store.query("SELECT * FROM job_costs WHERE job_id = ? ORDER BY id", [job_id])


# What a draft invoice is computed from, and may be removed when entered by mistake.
BILLING_INPUTS = ("time_entries", "job_costs")


def delete_billing_input(store: Store, table: str, entry_id: int) -> None:
    """Delete one time entry or job cost (the table name is checked against a fixed list)."""
    if table not in BILLING_INPUTS:
        raise ValueError(f"not a billing input table: {table!r}")
    store.execute(f"DELETE FROM {table} WHERE id = ?", [entry_id])


# -- invoices -----------------------------------------------------------------------------


def last_in_series(store: Store, series: str) -> dict | None:
    """The latest document of a numbering series (call inside the write transaction)."""
    return store.one(
        "SELECT seq, issued, number FROM invoices WHERE series = ? ORDER BY seq DESC LIMIT 1",
        [series],
    )


def latest_issue_date(store: Store) -> str | None:
    return store.scalar("SELECT max(issued) FROM invoices")


def by_number(store: Store, number: str) -> Invoice | None:
    return cast("Invoice | None", store.one(f"{INVOICE_SELECT} WHERE inv.number = ?", [number]))


def by_id(store: Store, invoice_id: int) -> Invoice | None:
    return cast("Invoice | None", store.one(f"{INVOICE_SELECT} WHERE inv.id = ?", [invoice_id]))


def existing(store: Store, invoice_id: int) -> Invoice:
    """An issued document that must be there: one just written, one a record refers to."""
    found = by_id(store, invoice_id)
    if found is None:
        raise NotFound(f"no issued invoice with id {invoice_id}")
    return found


def numbers_like(store: Store, prefix: str, limit: int = 10) -> list[str]:
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return [
        row["number"]
        for row in store.query(
            "SELECT number FROM invoices WHERE number LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
            [pattern, limit],
        )
    ]


def for_job(store: Store, job_id: int, kinds: tuple[str, ...] | None = None) -> list[Invoice]:
    if kinds:
        marks = ", ".join("?" for _ in kinds)
        rows = store.query(
            f"{INVOICE_SELECT} WHERE inv.job_id = ? AND inv.kind IN ({marks}) ORDER BY inv.id",
            [job_id, *kinds],
        )
    else:
        rows = store.query(f"{INVOICE_SELECT} WHERE inv.job_id = ? ORDER BY inv.id", [job_id])
    return cast("list[Invoice]", rows)


def for_client(store: Store, client_id: int) -> list[Invoice]:
    return cast(
        "list[Invoice]",
        store.query(f"{INVOICE_SELECT} WHERE inv.client_id = ? ORDER BY inv.id", [client_id]),
    )


# What a list shows: everything but the frozen document, which is large and not needed.
_LIST_SELECT = (
    "SELECT inv.id, inv.number, inv.kind, inv.job_id, inv.client_id, inv.issued, inv.due, "
    "inv.currency, inv.total, inv.original_id, inv.reference, c.name AS client, "
    "json_extract(inv.document, '$.minor_units') AS digits, "
    "j.title AS job, o.number AS original_number, n.official_number AS official_number "
    "FROM invoices inv JOIN clients c ON c.id = inv.client_id JOIN jobs j ON j.id = inv.job_id "
    "LEFT JOIN invoices o ON o.id = inv.original_id "
    "LEFT JOIN official_numbers n ON n.invoice_id = inv.id"
)


def listing(store: Store) -> list[InvoiceSummary]:
    return cast("list[InvoiceSummary]", store.query(f"{_LIST_SELECT} ORDER BY inv.issued, inv.id"))


def credit_notes_for(store: Store, invoice_id: int) -> list[Invoice]:
    return cast(
        "list[Invoice]",
        store.query(
            "SELECT * FROM invoices WHERE original_id = ? AND kind = 'credit_note' ORDER BY id",
            [invoice_id],
        ),
    )


def official_number(store: Store, invoice_id: int) -> dict | None:
    return store.one("SELECT * FROM official_numbers WHERE invoice_id = ?", [invoice_id])


def set_official_number(store: Store, invoice_id: int, number: str, stamp: str) -> None:
    store.execute(
        "INSERT INTO official_numbers (invoice_id, official_number, recorded_at) VALUES (?, ?, ?) "
        "ON CONFLICT (invoice_id) DO UPDATE SET official_number = excluded.official_number, "
        "recorded_at = excluded.recorded_at",
        [invoice_id, number, stamp],
    )


def official_owner(store: Store, number: str) -> str | None:
    """The document that already carries this official number, if any."""
    return store.scalar(
        "SELECT i.number FROM official_numbers n JOIN invoices i ON i.id = n.invoice_id "
        "WHERE n.official_number = ?",
        [number],
    )


# -- payments and credit --------------------------------------------------------------------


def payments_for(store: Store, invoice_id: int) -> list[dict]:
    return store.query(
        "SELECT * FROM payments WHERE invoice_id = ? ORDER BY paid_on, id", [invoice_id]
    )


def payment(store: Store, payment_id: int) -> dict | None:
    return store.one("SELECT * FROM payments WHERE id = ?", [payment_id])


def paid_up_to(store: Store, invoice_id: int, payment_id: int) -> list[str]:
    """What the invoice's payments settled, up to and including this one (recorded order)."""
    return [
        row["amount"]
        for row in store.query(
            "SELECT amount FROM payments WHERE invoice_id = ? AND id <= ? ORDER BY id",
            [invoice_id, payment_id],
        )
    ]


def credit_entries_up_to(store: Store, client_id: int, currency: str, payment: dict) -> list[str]:
    """The client's credit ledger as it stood once this payment was recorded: entries made
    by this or earlier payments, and other entries (a voided paid invoice) made by then."""
    return [
        row["amount"]
        for row in store.query(
            "SELECT amount FROM client_credits WHERE client_id = ? AND currency = ? AND "
            "(payment_id <= ? OR (payment_id IS NULL AND created_at <= ?)) ORDER BY id",
            [client_id, currency, payment["id"], payment["created_at"]],
        )
    ]


def overpaid_by(store: Store, payment_id: int) -> list[str]:
    """The credit this payment created (what it paid beyond the invoice)."""
    return [
        row["amount"]
        for row in store.query(
            "SELECT amount FROM client_credits WHERE payment_id = ? AND reason = 'overpayment'",
            [payment_id],
        )
    ]


def payments_listing(
    store: Store, *, invoice_id: int | None = None, client_id: int | None = None
) -> list[dict]:
    """Payments with their invoice number and client, newest first."""
    where, params = ["1"], []
    if invoice_id is not None:
        where.append("p.invoice_id = ?")
        params.append(invoice_id)
    if client_id is not None:
        where.append("p.client_id = ?")
        params.append(client_id)
    return store.query(
        "SELECT p.*, inv.number AS invoice, c.name AS client, "
        "json_extract(inv.document, '$.minor_units') AS digits FROM payments p "
        "JOIN invoices inv ON inv.id = p.invoice_id JOIN clients c ON c.id = p.client_id "
        f"WHERE {' AND '.join(where)} ORDER BY p.paid_on DESC, p.id DESC",
        params,
    )


def paid_totals(store: Store) -> dict[int, list[str]]:
    """Every invoice's payment amounts (as stored text), for listing many invoices at once."""
    found: dict[int, list[str]] = {}
    for row in store.query(
        "SELECT invoice_id, amount FROM payments ORDER BY invoice_id, paid_on, id"
    ):
        found.setdefault(row["invoice_id"], []).append(row["amount"])
    return found


def credit_entries(store: Store, client_id: int, currency: str) -> list[str]:
    return [
        row["amount"]
        for row in store.query(
            "SELECT amount FROM client_credits WHERE client_id = ? AND currency = ? ORDER BY id",
            [client_id, currency],
        )
    ]


def numbers_of(
    store: Store, *, job_id: int | None = None, client_id: int | None = None
) -> list[str]:
    """Numbers of the issued documents of a job or a client."""
    if job_id is not None:
        rows = store.query("SELECT number FROM invoices WHERE job_id = ? ORDER BY id", [job_id])
    else:
        rows = store.query(
            "SELECT number FROM invoices WHERE client_id = ? ORDER BY id", [client_id]
        )
    return [row["number"] for row in rows]


def refuse_removal(store: Store, *, job: Job | None = None, client: Client | None = None) -> None:
    """Refuse to remove a job or client that has issued invoices (they must be kept)."""
    if job is not None:
        numbers = numbers_of(store, job_id=job["id"])
        what = f"job #{job['id']}"
    elif client is not None:
        numbers = numbers_of(store, client_id=client["id"])
        what = f"client #{client['id']}"
    else:
        return
    if numbers:
        shown = ", ".join(numbers[:5]) + (" ..." if len(numbers) > 5 else "")
        raise Conflict(
            f"{what} has issued invoices ({shown}); invoices must be kept for years by law, "
            "so it cannot be removed, even with --force"
        )
