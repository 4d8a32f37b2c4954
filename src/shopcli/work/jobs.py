"""Jobs: one commission from a client, with its deadline, currency, budget and fee terms."""

from __future__ import annotations

from typing import Any

from shopcli.core import validate
from shopcli.core.dates import now
from shopcli.core.errors import Conflict, NotFound
from shopcli.core.money import currency, parse_amount, to_text
from shopcli.storage import Store, delete_with_dependents, dependents, describe_counts, events
from shopcli.storage import jobs as queries
from shopcli.storage.records import clean, find

STATUSES = ("open", "done", "cancelled")


def _status(value: str) -> str:
    value = value.strip().lower()
    if value not in STATUSES:
        from shopcli.core.errors import InvalidInput

        raise InvalidInput(f"job status must be one of: {', '.join(STATUSES)}")
    return value


def _terms():
    """work.terms, imported when fee terms are parsed (adding or editing a job), not by
    every command that reads a job."""
    from shopcli.work import terms

    return terms


CLEANERS = {
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


def _describe(store: Store):
    def describe(row: dict) -> str:
        client = store.get("clients", row["client_id"]) or {}
        return f"{client.get('name', '?')}/{row['title']}"

    return describe


def get(store: Store, ref: str) -> dict:
    """A job by id, title or prefix, or as CLIENT/JOB when titles repeat across clients."""
    try:
        return find(store, "job", "jobs", "title", ref, describe=_describe(store))
    except NotFound:
        if "/" not in ref:
            raise
    client_ref, _, title = ref.partition("/")
    from shopcli.people import clients

    client = clients.get(store, client_ref)
    return find(store, "job", "jobs", "title", title, where="client_id = ?", params=(client["id"],))


def add(store: Store, client: dict, title: str, *, fee: str | None = None, **fields: Any) -> dict:
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
    return store.get("jobs", job_id) or {}


def _check_deposit(terms: dict) -> None:
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


def edit(store: Store, job: dict, *, fee: str | None = None, **changes: Any) -> dict:
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
    return store.get("jobs", job["id"]) or {}


def listing(store: Store, client_id: int | None = None, status: str | None = None) -> list[dict]:
    return queries.listing(store, client_id, status)


def removal_plan(store: Store, job: dict) -> list[tuple[str, int]]:
    """What removing this job would also remove; refused outright if it has invoices."""
    from shopcli.storage.invoices import refuse_removal

    refuse_removal(store, job=job)
    return dependents(store, "jobs", job["id"])


def remove(store: Store, job: dict, *, force: bool = False) -> list[tuple[str, int]]:
    deps = removal_plan(store, job)
    if deps and not force:
        raise Conflict(
            f"job {job['title']!r} still has {describe_counts(deps)}; "
            "use --force to remove them too"
        )
    delete_with_dependents(store, "jobs", job["id"])
    return deps


def fee_text(job: dict) -> str | None:
    if not job.get("fee_kind"):
        return None
    return f"{job['fee_kind']}:{job['fee_amount']}"


def fee_shown(job: dict) -> str | None:
    """The fee terms as the shopper reads them: `10 % of the goods`, `25.00 EUR per item`."""
    from shopcli.core.money import shown

    kind, amount = job.get("fee_kind"), job.get("fee_amount")
    if not kind:
        return None
    if kind == "percent":
        return f"{amount} % of the goods"
    money = shown(amount, job["currency"])
    words = {"flat": "flat", "per-item": "per item", "hourly": "an hour"}
    return f"{money} {words[kind]}" if kind in words else f"{kind}:{amount}"


def deposit_shown(job: dict) -> str | None:
    """The deposit as the shopper reads it: `30 % of the fee` or `50.00 EUR`."""
    from shopcli.core.money import shown

    deposit = job.get("deposit")
    if not deposit:
        return None
    text = str(deposit)
    if text.endswith("%"):
        return f"{text[:-1]} % of the fee"
    return shown(text, job["currency"])


def public(row: dict, client_name: str | None = None) -> dict:
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
