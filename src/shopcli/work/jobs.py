"""Jobs: one commission from a client, with its deadline, currency, budget and fee terms."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from shopcli.core import validate
from shopcli.core.dates import now
from shopcli.core.errors import Conflict
from shopcli.core.money import currency, parse_amount, to_text
from shopcli.storage import Store, dependents, events, remove_with_dependents
from shopcli.storage import clients as client_queries
from shopcli.storage import jobs as queries
from shopcli.storage.records import Cleaner, clean
from shopcli.storage.rows import Client, Job

STATUSES = ("open", "done", "cancelled")


def _status(value: str) -> str:
    value = value.strip().lower()
    if value not in STATUSES:
        from shopcli.core.errors import InvalidInput

        raise InvalidInput(f"job status must be one of: {', '.join(STATUSES)}")
    return value


def _terms() -> Any:
    """work.terms, imported when fee terms are parsed (adding or editing a job), not by
    every command that reads a job."""
    from shopcli.work import terms

    return terms


CLEANERS: dict[str, Cleaner] = {
    "title": lambda v: validate.text(v, "job title", max_length=200),
    "occasion": lambda v: validate.text(v, "occasion", max_length=200),
    "deadline": lambda v: validate.date(v, "deadline"),
    "currency": currency,
    "budget": lambda v: to_text(parse_amount(v, "budget")),
    "min_fee": lambda v: to_text(parse_amount(v, "minimum fee")),
    "deposit": lambda v: str(_terms().parse_deposit(v)),
    "status": _status,
    "notes": lambda v: validate.text(v, "notes", multiline=True),
}


def _describe(store: Store) -> Callable[[dict], str]:
    def describe(row: dict) -> str:
        client = client_queries.by_id(store, row["client_id"])
        return f"{client['name'] if client else '?'}/{row['title']}"

    return describe


def get(store: Store, ref: str) -> Job:
    """A job by id, title or prefix, or as CLIENT/JOB when titles repeat across clients."""
    return queries.find_named(store, ref, describe=_describe(store))


def by_id(store: Store, job_id: int) -> Job:
    """The job a record refers to (an item's, an invoice's): it is always there."""
    return queries.existing(store, job_id)


def add(store: Store, client: Client, title: str, *, fee: str | None = None, **fields: Any) -> Job:
    values = clean(CLEANERS, {"title": title, **fields})
    if "currency" not in values:
        from shopcli.people import profile

        values["currency"] = client.get("currency") or profile.load().get("currency")
    if fee:
        terms = _terms().parse_fee(fee)
        values["fee_kind"], values["fee_amount"] = terms.kind, to_text(terms.amount)
    _check_deposit(values)
    stamp = now()
    with store.write():
        duplicate = queries.named(store, client["id"], values["title"])
        if duplicate:
            raise Conflict(
                f"client #{client['id']} already has a job with this title (#{duplicate['id']})"
            )
        job_id = store.insert(
            "jobs", {"client_id": client["id"], **values, "created_at": stamp, "updated_at": stamp}
        )
        events.log(
            store,
            "job.added",
            f"job {values['title']} added",
            client_id=client["id"],
            job_id=job_id,
        )
    return queries.existing(store, job_id)


def _check_deposit(terms: Mapping[str, Any]) -> None:
    """A fixed deposit cannot be more than a flat fee: the final invoice would be negative."""
    from decimal import Decimal

    from shopcli.core.errors import InvalidInput
    from shopcli.core.money import shown

    deposit, kind, amount = terms.get("deposit"), terms.get("fee_kind"), terms.get("fee_amount")
    if deposit and not str(deposit).endswith("%") and kind == "flat" and amount is not None:
        if Decimal(deposit) > Decimal(amount):
            code = terms.get("currency") or ""
            raise InvalidInput(
                f"the deposit {shown(deposit, code) if code else deposit} is more than the flat "
                f"fee {shown(amount, code) if code else amount}; a deposit is paid towards the fee"
            )


def edit(store: Store, job: Job, *, fee: str | None = None, **changes: Any) -> Job:
    values = clean(CLEANERS, changes, editing=True)
    for required in ("title", "currency", "status"):
        if required in values and values[required] is None:
            values.pop(required)
    if fee is not None:
        if fee.strip() == "":
            values["fee_kind"] = values["fee_amount"] = None
        else:
            terms = _terms().parse_fee(fee)
            values["fee_kind"], values["fee_amount"] = terms.kind, to_text(terms.amount)
    if "currency" in values and values["currency"] != job["currency"]:
        if queries.issued_invoices(store, job["id"]):
            raise Conflict("the job has issued invoices; its currency can no longer change")
    if not values:
        return job
    _check_deposit({**job, **values})
    with store.write():
        store.update("jobs", job["id"], {**values, "updated_at": now()})
        events.log(
            store,
            "job.edited",
            f"job edited: {', '.join(sorted(values))}",
            client_id=job["client_id"],
            job_id=job["id"],
        )
    return queries.existing(store, job["id"])


def listing(store: Store, client_id: int | None = None, status: str | None = None) -> list[Job]:
    return queries.listing(store, client_id, status)


def removal_plan(store: Store, job: Job) -> list[tuple[str, int]]:
    """What removing this job would also remove; refused outright if it has invoices."""
    from shopcli.storage.invoices import refuse_removal

    refuse_removal(store, job=job)
    return dependents(store, "jobs", job["id"])


def remove(store: Store, job: Job, *, force: bool = False) -> list[tuple[str, int]]:
    from shopcli.storage.invoices import refuse_removal

    refuse_removal(store, job=job)
    return remove_with_dependents(store, "jobs", job["id"], f"job #{job['id']}", force=force)


def fee_text(job: Job) -> str | None:
    if not job.get("fee_kind"):
        return None
    return f"{job['fee_kind']}:{job['fee_amount']}"


def fee_shown(job: Job) -> str | None:
    """The fee terms as the shopper reads them: `10 % of the goods`, `25.00 EUR per item`."""
    from shopcli.core.money import shown

    kind, amount = job.get("fee_kind"), job.get("fee_amount")
    if not kind or amount is None:  # the two are set and cleared together
        return None
    if kind == "percent":
        return f"{amount} % of the goods"
    money = shown(amount, job["currency"])
    words = {"flat": "flat", "per-item": "per item", "hourly": "an hour"}
    return f"{money} {words[kind]}" if kind in words else f"{kind}:{amount}"


def deposit_shown(job: Job) -> str | None:
    """The deposit as the shopper reads it: `30 % of the fee` or `50.00 EUR`."""
    from shopcli.core.money import shown

    deposit = job.get("deposit")
    if not deposit:
        return None
    text = str(deposit)
    if text.endswith("%"):
        return f"{text[:-1]} % of the fee"
    return shown(text, job["currency"])


def public(row: Job, client_name: str | None = None) -> dict[str, Any]:
    return {
        "id": row["id"],
        "client_id": row["client_id"],
        "client": client_name if client_name is not None else row.get("client"),
        "title": row["title"],
        "occasion": row.get("occasion"),
        "deadline": row.get("deadline"),
        "currency": row["currency"],
        "budget": row.get("budget"),
        "fee": fee_text(row),
        "min_fee": row.get("min_fee"),
        "deposit": row.get("deposit"),
        "status": row["status"],
        "notes": row.get("notes"),
    }
