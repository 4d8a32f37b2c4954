"""Budgets: what a client allows per recipient and for the whole job, and what is used."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from shopcli.core.errors import InvalidInput
from shopcli.core.money import parse_amount, shown, to_text
from shopcli.storage import Store, events
from shopcli.storage import budgets as queries
from shopcli.storage.rows import Job, Recipient
from shopcli.work import lifecycle
from shopcli.work.rates import converter


@dataclass
class BudgetLine:
    """One recipient's (or the job's) budget against planned and approved items."""

    name: str
    recipient_id: int | None
    budget: Decimal | None
    planned: Decimal = Decimal(0)
    approved: Decimal = Decimal(0)
    items: int = 0

    @property
    def remaining(self) -> Decimal | None:
        """What is still free once everything planned and approved is bought."""
        if self.budget is None:
            return None
        return self.budget - self.approved - self.planned

    @property
    def over(self) -> bool:
        return self.remaining is not None and self.remaining < 0


@dataclass
class BudgetReport:
    currency: str
    lines: list[BudgetLine] = field(default_factory=list)
    total: BudgetLine = field(default_factory=lambda: BudgetLine("Total", None, None))


def set_budget(store: Store, job: Job, recipient: Recipient, amount: str) -> Decimal:
    value = parse_amount(amount, "budget")
    if recipient["client_id"] != job["client_id"]:
        raise InvalidInput(f"recipient #{recipient['id']} is not on this job's client's list")
    with store.write():
        queries.upsert(store, job["id"], recipient["id"], to_text(value))
        events.log(
            store,
            "budget.set",
            f"budget for {recipient['name']} set to {shown(value, job['currency'])}",
            client_id=job["client_id"],
            job_id=job["id"],
        )
    return value


def item_cost(row: Mapping[str, Any]) -> Decimal:
    """What an item (a record, or one in a proposal's snapshot) costs the client in its own
    currency: the goods (price x quantity) and the item's shipping and customs duty."""
    extras = (Decimal(row[key]) for key in ("shipping", "customs") if row.get(key))
    return Decimal(row["price"]) * int(row["qty"]) + sum(extras, Decimal(0))


def report(
    store: Store, job: Job, *, rates: Mapping[tuple[str, str], Decimal] | None = None
) -> BudgetReport:
    """Budget, planned, approved and remaining per recipient and for the job, in job currency:
    each item counts with its shipping and customs duty.

    Amounts in other currencies go through the stored rates (`rates`, as `rates.table` reads
    them, when the caller has them already); a missing rate is an error.
    """
    convert = converter(store, rates)
    target = job["currency"]
    lines: dict[int | None, BudgetLine] = {}
    for row in queries.for_job(store, job["id"]):
        lines[row["recipient_id"]] = BudgetLine(
            row["name"], row["recipient_id"], Decimal(row["amount"])
        )
    totals = queries.job_totals(store, job["id"])
    if totals is None:  # sums beyond what SQLite adds exactly: item by item, in Decimal
        totals = [
            {**row, "items": 1, "cost": item_cost(row)}
            for row in queries.job_items(store, job["id"])
        ]
    else:
        # Summed in SQLite in millionths; each sum is converted once, exactly as the items'
        # amounts add up (a rate multiplies their sum as it would each of them).
        totals = [{**row, "cost": Decimal(row["cost"]).scaleb(-6)} for row in totals]
        missing = [row["recipient_id"] for row in totals if row["recipient_id"] not in lines]
        names = queries.recipient_names(store, [key for key in missing if key is not None])
        for row in totals:
            row["name"] = names.get(row["recipient_id"])
    for row in totals:
        key = row["recipient_id"]
        line = lines.get(key)
        if line is None:
            line = lines[key] = BudgetLine(row["name"] or "(no recipient)", key, None)
        amount = convert(row["cost"], row["currency"], target)
        if row["status"] in lifecycle.PLANNED:
            line.planned += amount
            line.items += row["items"]
        elif row["status"] in lifecycle.COMMITTED:
            line.approved += amount
            line.items += row["items"]
    budget = job.get("budget")
    total_budget = Decimal(budget) if budget else None
    # As the proposal shows them: each recipient where their first item comes; those with a
    # budget and no item yet after them, by name.
    first: dict[int | None, int] = {}
    for row in totals:
        if row["status"] in lifecycle.PLANNED or row["status"] in lifecycle.COMMITTED:
            key = row["recipient_id"]  # placed by the first item the proposal shows
            first[key] = min(first.get(key, row["first"]), row["first"])
    ordered = sorted(
        lines.values(),
        key=lambda line: (
            line.recipient_id not in first,
            first.get(line.recipient_id, 0),
            line.name.casefold(),
        ),
    )
    total = BudgetLine("Total", None, total_budget)
    for line in ordered:
        total.planned += line.planned
        total.approved += line.approved
        total.items += line.items
    if total_budget is None:
        budgets = [line.budget for line in ordered if line.budget is not None]
        total.budget = sum(budgets, Decimal(0)) if budgets else None
    return BudgetReport(target, ordered, total)
