"""Queries behind the books and the income report: documents issued and money received in a
period, each with what the accountant needs beside it."""

from __future__ import annotations

from typing import cast

from shopcli.storage import Store
from shopcli.storage.rows import Invoice


def documents_issued(store: Store, start: str, end: str) -> list[Invoice]:
    """Every document issued from `start` to `end` (inclusive), oldest first, with its client,
    job, the document it corrects and the day its job was last handed over."""
    rows = store.query(
        "SELECT v.*, c.name AS client, j.title AS job, o.number AS original_number, "
        "(SELECT max(h.handed_on) FROM handovers h WHERE h.job_id = v.job_id "
        "AND h.state = 'done') AS handed_over "
        "FROM invoices v JOIN clients c ON c.id = v.client_id JOIN jobs j ON j.id = v.job_id "
        "LEFT JOIN invoices o ON o.id = v.original_id "
        "WHERE v.issued BETWEEN ? AND ? ORDER BY v.issued, v.id",
        [start, end],
    )
    return cast("list[Invoice]", rows)


def paid_until(store: Store, end: str) -> dict[int, list[str]]:
    """Each invoice's payment amounts (the part settling it) received up to `end`."""
    found: dict[int, list[str]] = {}
    for row in store.query(
        "SELECT invoice_id, amount FROM payments WHERE paid_on <= ? ORDER BY invoice_id, id", [end]
    ):
        found.setdefault(row["invoice_id"], []).append(row["amount"])
    return found


def voided_until(store: Store, end: str) -> dict[int, str]:
    """Invoices cancelled by a credit note issued up to `end`: invoice id -> its number."""
    return {
        row["original_id"]: row["number"]
        for row in store.query(
            "SELECT original_id, number FROM invoices WHERE kind = 'credit_note' "
            "AND original_id IS NOT NULL AND issued <= ?",
            [end],
        )
    }


def payments_received(store: Store, start: str, end: str) -> list[dict]:
    """Payments received from `start` to `end`, oldest first, with invoice and client."""
    return store.query(
        "SELECT p.*, v.number AS invoice, v.kind AS invoice_kind, c.name AS client, "
        "json_extract(v.document, '$.minor_units') AS digits "
        "FROM payments p JOIN invoices v ON v.id = p.invoice_id "
        "JOIN clients c ON c.id = p.client_id "
        "WHERE p.paid_on BETWEEN ? AND ? ORDER BY p.paid_on, p.id",
        [start, end],
    )
