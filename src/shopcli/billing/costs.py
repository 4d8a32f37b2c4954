"""Costs the shopper paid for a whole job (shipping, customs duty, other), billed at cost."""

from __future__ import annotations

from pathlib import Path

from shopcli.billing import receipts
from shopcli.core import validate
from shopcli.core.dates import now
from shopcli.core.errors import InvalidInput
from shopcli.core.money import currency as check_currency
from shopcli.core.money import parse_amount, shown, to_text
from shopcli.storage import Store, events
from shopcli.storage import invoices as queries
from shopcli.storage.rows import Job

KINDS = ("shipping", "customs", "other")


def add(
    store: Store,
    job: Job,
    kind: str,
    amount: str,
    *,
    currency: str | None = None,
    note: str | None = None,
    receipt: str | Path | None = None,
) -> dict:
    """Add a cost; with `receipt`, keep that file with it in the same transaction (a receipt
    that is refused adds no cost)."""
    kind = (kind or "").strip().lower()
    if kind == "duty":
        kind = "customs"
    if kind not in KINDS:
        raise InvalidInput(f"cost kind must be one of: {', '.join(KINDS)}")
    value = parse_amount(amount, f"{kind} cost")
    if value == 0:
        raise InvalidInput("a cost must be more than zero")
    code = check_currency(currency) if currency else job["currency"]
    if kind == "other" and not note:
        raise InvalidInput("say what an 'other' cost is with --note")
    cleaned = validate.text(note, "note", max_length=300) if note else None
    file = receipts.read_file(receipt) if receipt is not None else None
    with store.write():
        cost_id = store.insert(
            "job_costs",
            {
                "job_id": job["id"],
                "kind": kind,
                "amount": to_text(value),
                "currency": code,
                "note": cleaned,
                "created_at": now(),
            },
        )
        events.log(
            store,
            "cost.added",
            f"{kind} cost {shown(value, code)} added",
            client_id=job["client_id"],
            job_id=job["id"],
            detail={"cost_id": cost_id, "kind": kind, "amount": to_text(value), "currency": code},
        )
        row = store.get("job_costs", cost_id) or {}
        if file is not None:
            row["receipt"] = receipts.keep(store, file, job=job, cost=row)
    return row


def listing(store: Store, job: Job) -> list[dict]:
    return queries.job_costs(store, job["id"])


def remove(store: Store, cost_id: int) -> dict:
    """Remove a cost entered by mistake (issued invoices keep what they billed)."""
    from shopcli.billing.invoices import remove_billing_input

    # Its receipts go with it (one transaction): a receipt belongs to one record.
    with store.write():
        receipts.delete_for_cost(store, cost_id)
        return remove_billing_input(
            store,
            "job_costs",
            cost_id,
            what="job cost",
            event="cost.removed",
            summary=lambda row: (
                f"{row['kind']} cost {shown(row['amount'], row['currency'])} removed"
            ),
            detail=("kind", "amount", "currency"),
        )


def public(row: dict) -> dict:
    return {key: row.get(key) for key in ("id", "job_id", "kind", "amount", "currency", "note")}
