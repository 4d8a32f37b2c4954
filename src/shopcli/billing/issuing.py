"""Issuing: numbering and freezing a draft in one transaction, and official numbers
given by national systems (NAV, KSeF, fapiao).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from shopcli.billing.drafts import build, negative_total, refuse_incomplete
from shopcli.billing.invoices import FINAL_KINDS, get, kind_word, live
from shopcli.billing.numbering import next_number, reference_for
from shopcli.core import validate
from shopcli.core.dates import now, today
from shopcli.core.errors import Conflict
from shopcli.core.money import shown, to_text
from shopcli.storage import Store, events, seals
from shopcli.storage import invoices as queries
from shopcli.storage import jobs as job_queries
from shopcli.storage.records import dumps
from shopcli.storage.rows import Invoice, Job


def issue(
    store: Store,
    job: Job,
    *,
    deposit: bool = False,
    day: str | None = None,
    supplied: str | None = None,
    prof=None,
    check: Callable[[Invoice], Any] | None = None,
) -> Invoice:
    """Number, freeze and store a job's invoice (or deposit invoice) in one transaction.

    `supplied` is the date of supply printed on it (default: the last handover, see
    `drafts.build`). `check(document)` runs inside the transaction before commit (e.g.
    rendering it), so a document that cannot be rendered is never numbered.
    """
    from shopcli.people import profile

    prof = prof or profile.load()
    day = today(day)
    with store.write():
        job = job_queries.by_id(store, job["id"]) or job
        document = build(store, job, deposit=deposit, issued=day, supplied=supplied, prof=prof)
        _refuse_twice(store, job, deposit)
        refuse_incomplete(document, prof)
        problem = negative_total(document)
        if problem:
            raise Conflict(problem)
        number, series, seq = next_number(store, prof, day)
        document["number"] = number
        document["payment"]["reference"] = reference_for(number)
        invoice_id = store.insert(
            "invoices",
            {
                "number": number,
                "series": series,
                "seq": seq,
                "kind": document["kind"],
                "job_id": job["id"],
                "client_id": job["client_id"],
                "issued": day,
                "due": document["due"],
                "currency": document["currency"],
                "total": to_text(Decimal(document["total"])),
                "original_id": None,
                "reference": document["payment"]["reference"],
                "document": dumps(document),
                "created_at": now(),
            },
        )
        seals.seal(store, "invoice", invoice_id)
        events.log(
            store,
            f"invoice.issued.{document['kind']}",
            f"{kind_word(document['kind'])} {number} issued: "
            + shown(document["total"], document["currency"], digits=document.get("minor_units")),
            client_id=job["client_id"],
            job_id=job["id"],
            detail={
                "invoice_id": invoice_id,
                "number": number,
                "kind": document["kind"],
                "total": document["total"],
            },
        )
        row = queries.existing(store, invoice_id)
        if check is not None:
            check(row)
    return row


def blocking_issue(store: Store, job: Job, deposit: bool) -> str | None:
    """Why the job cannot be issued again (its live invoice, or deposit invoice), if so."""
    finals = live(store, job["id"], FINAL_KINDS)
    if finals:
        number = finals[-1]["number"]
        return (
            f"job #{job['id']} is already invoiced ({number}); to change it, void it with "
            f'`shop invoice void {number} --reason "..."` and issue again'
        )
    if deposit:
        deposits = live(store, job["id"], ("deposit",))
        if deposits:
            number = deposits[-1]["number"]
            return (
                f"job #{job['id']} already has a deposit invoice ({number}); void it with "
                f'`shop invoice void {number} --reason "..."` to bill it again'
            )
    return None


def _refuse_twice(store: Store, job: Job, deposit: bool) -> None:
    reason = blocking_issue(store, job, deposit)
    if reason:
        raise Conflict(reason)


def record_official(store: Store, ref: str, official: str, *, replace: bool = False) -> Invoice:
    """Record the number the national system (NAV, KSeF, fapiao) gave beside ours."""
    from shopcli.core.cards import refuse_card_numbers

    official = validate.text(official or "", "official invoice number", max_length=100)
    refuse_card_numbers({"official invoice number": official})
    with store.write():
        row = get(store, ref)
        current = queries.official_number(store, row["id"])
        if current and not replace:
            if current["official_number"] == official:
                return row
            raise Conflict(
                f"{row['number']} already has the official number "
                f"{current['official_number']}; add --replace to correct it"
            )
        owner = queries.official_owner(store, official)
        if owner and owner != row["number"]:
            raise Conflict(f"official number {official} is already recorded for {owner}")
        queries.set_official_number(store, row["id"], official, now())
        events.log(
            store,
            "invoice.official",
            f"official number {official} recorded for {row['number']}",
            client_id=row["client_id"],
            job_id=row["job_id"],
            detail={
                "invoice_id": row["id"],
                "official_number": official,
                "replaced": current["official_number"] if current else None,
            },
        )
        return queries.by_id(store, row["id"]) or row
