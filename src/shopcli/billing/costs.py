"""Costs the shopper paid for a whole job (shipping, customs duty, other), billed at cost."""

from __future__ import annotations

from shopcli.core import validate
from shopcli.core.errors import InvalidInput
from shopcli.core.money import currency as check_currency
from shopcli.core.money import parse_amount, shown, to_text
from shopcli.storage import Store, events, now
from shopcli.storage import invoices as queries

KINDS = ("shipping", "customs", "other")


def add(
    store: Store,
    job: dict,
    kind: str,
    amount: str,
    *,
    currency: str | None = None,
    note: str | None = None,
) -> dict:
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
            f"{kind} cost {to_text(value)} {code} added",
            client_id=job["client_id"],
            job_id=job["id"],
            detail={"cost_id": cost_id, "kind": kind, "amount": to_text(value), "currency": code},
        )
    return store.get("job_costs", cost_id) or {}


def listing(store: Store, job: dict) -> list[dict]:
    return queries.job_costs(store, job["id"])


def remove(store: Store, cost_id: int) -> dict:
    """Remove a cost entered by mistake (issued invoices keep what they billed)."""
    from shopcli.billing.invoices import remove_billing_input

    return remove_billing_input(
        store,
        "job_costs",
        cost_id,
        what="job cost",
        event="cost.removed",
        summary=lambda row: f"{row['kind']} cost {shown(row['amount'], row['currency'])} removed",
        detail=("kind", "amount", "currency"),
    )


def public(row: dict) -> dict:
    return {key: row.get(key) for key in ("id", "job_id", "kind", "amount", "currency", "note")}
