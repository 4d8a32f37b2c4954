"""Invoices: the draft, issuing (numbering and freezing), credit notes, official numbers.

A draft is computed from the job's records each time and never stored. Issuing takes one
`BEGIN IMMEDIATE` transaction: it recomputes the draft, checks the content the law asks
for (EU VAT Directive art. 226), takes the next number of a gap-free series and stores the
whole document as frozen JSON; the database refuses any later UPDATE or DELETE of it.
What changes afterwards (payments, credit notes, official numbers) lives in other tables.

Decisions (see also `fees`):
- Goods the shopper paid for, their shipping and customs duty, and the job's own costs
  are disbursements billed at cost, outside the VAT base (art. 79(c): repayment of
  expenditure incurred in the client's name); only fees and deposits carry VAT.
- Each line is rounded to the currency's minor units; VAT is computed per rate on the sum
  of the line totals; the profile's `rounding` (half-up by default) applies throughout.
- A deposit invoice bills the deposit (plus VAT) before the work; the final invoice
  deducts every deposit invoice of the job that has not been voided, at its VAT rate.
- A job has at most one live final invoice and one live deposit invoice; void one to
  issue it again.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from shopcli import events, fees, lifecycle, seals, validate
from shopcli.errors import Conflict, InvalidInput, NotFound
from shopcli.fees import Line
from shopcli.memo import remembered
from shopcli.money import DEFAULT_ROUNDING, minor_units, plain, round_money, to_text
from shopcli.records import dumps, loads
from shopcli.storage import Store, now
from shopcli.storage import invoices as queries

KINDS = ("invoice", "credit_note", "deposit", "fee_statement")
FINAL_KINDS = ("invoice", "fee_statement")
OFFICIAL_SYSTEMS = ("none", "hu-nav", "pl-ksef", "cn-fapiao")
FORMATS = ("text", "html", "eml", "pdf")
ENV_TODAY = "SHOP_TODAY"
# Lines billed at cost, outside the VAT base.
DISBURSEMENTS = ("goods", "shipping", "customs", "job_shipping", "job_customs", "job_cost")
DOCUMENT_VERSION = 1


class IncompleteInvoice(InvalidInput):
    """An invoice cannot be issued: a field the law requires is missing."""


# -- dates --------------------------------------------------------------------------------


def today(override: str | None = None) -> str:
    """Today's date (ISO); `override` or the SHOP_TODAY environment variable fixes it."""
    fixed = override or os.environ.get(ENV_TODAY)
    if fixed:
        return validate.date(fixed, "today's date")
    return dt.date.today().isoformat()


def _add_days(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=int(days))).isoformat()


# -- amounts ------------------------------------------------------------------------------


def _text(amount: Decimal) -> str:
    """An amount already rounded to its currency, written with all its minor digits."""
    return f"{amount:f}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _text(value)
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return value


def totals(lines: list[Line], currency: str, rounding: str = DEFAULT_ROUNDING) -> dict:
    """Net, VAT per rate (on the sum of the line totals) and the total of rounded lines."""
    net = sum((line.amount for line in lines), Decimal(0))
    bases: dict[Decimal, Decimal] = {}
    for line in lines:
        if line.vat is not None:
            bases[line.vat] = bases.get(line.vat, Decimal(0)) + line.amount
    taxes = [
        {
            "rate": rate,
            "base": base,
            "tax": round_money(base * rate / Decimal(100), currency, rounding),
        }
        for rate, base in sorted(bases.items())
    ]
    tax = sum((row["tax"] for row in taxes), Decimal(0))
    outside = sum((line.amount for line in lines if line.kind in DISBURSEMENTS), Decimal(0))
    return {"net": net, "taxes": taxes, "tax": tax, "total": net + tax, "outside_vat": outside}


def rate_lookup(store: Store) -> fees.RateLookup:
    """Rates from the stored table (refusing with the command to add a missing one)."""
    from shopcli import rates

    known = rates.table(store)
    return lambda source, target: rates.rate_between(known, source, target)


# -- the draft ----------------------------------------------------------------------------


def _goods_lines(
    items: list[dict], costs: list[dict], currency: str, rate: fees.RateLookup, rounding: str
) -> list[Line]:
    """Disbursements: goods the shopper paid for, their shipping and duty, the job's costs."""
    lines: list[Line] = []
    for item in items:
        if item["paid_by"] != "shopper" or item["status"] not in lifecycle.BOUGHT:
            continue
        factor = rate(item["currency"], currency)
        unit = round_money(Decimal(item["price"]) * factor, currency, rounding)
        qty = int(item["qty"])
        basis = {
            "number": item["number"],
            "price": item["price"],
            "currency": item["currency"],
            "rate": factor,
        }
        lines.append(Line("goods", item["title"], Decimal(qty), unit, unit * qty, None, basis))
        for kind in ("shipping", "customs"):
            if item.get(kind) and Decimal(item[kind]) > 0:
                value = round_money(Decimal(item[kind]) * factor, currency, rounding)
                lines.append(
                    Line(
                        kind,
                        item["title"],
                        Decimal(1),
                        value,
                        value,
                        None,
                        {
                            "number": item["number"],
                            "price": item[kind],
                            "currency": item["currency"],
                            "rate": factor,
                        },
                    )
                )
    for cost in costs:
        factor = rate(cost["currency"], currency)
        value = round_money(Decimal(cost["amount"]) * factor, currency, rounding)
        kind = {"shipping": "job_shipping", "customs": "job_customs"}.get(cost["kind"], "job_cost")
        lines.append(
            Line(
                kind,
                cost.get("note") or "",
                Decimal(1),
                value,
                value,
                None,
                {"price": cost["amount"], "currency": cost["currency"], "rate": factor},
            )
        )
    return lines


def _live(store: Store, job_id: int, kinds: tuple[str, ...]) -> list[dict]:
    """The job's documents of these kinds that no credit note has voided."""
    return [
        row
        for row in queries.for_job(store, job_id, kinds)
        if not queries.credit_notes_for(store, row["id"])
    ]


def _deposit_deductions(store: Store, job: dict) -> list[Line]:
    lines = []
    for row in _live(store, job["id"], ("deposit",)):
        document = loads(row["document"], {})
        for line in document.get("lines", []):
            vat = Decimal(line["vat"]) if line.get("vat") is not None else None
            value = -Decimal(line["amount"])
            lines.append(
                Line(
                    "deposit_deduction",
                    job["title"],
                    Decimal(1),
                    value,
                    value,
                    vat,
                    {"number": row["number"], "issued": row["issued"]},
                )
            )
    return lines


def _seller(prof) -> dict:
    return {
        "name": prof.get("name"),
        "business_name": prof.get("business_name"),
        "business_id": prof.get("business_id"),
        "vat_id": prof.get("vat_id"),
        "address": prof.get("address"),
        "email": prof.get("email"),
        "phone": prof.get("phone"),
        "iban": prof.get("iban"),
        "bic": prof.get("bic"),
    }


def _buyer(client: dict) -> dict:
    return {
        "id": client["id"],
        "name": client["name"],
        "address": client.get("address"),
        "vat_id": client.get("vat_id"),
        "email": client.get("email"),
        "business": bool(client.get("vat_id")),
    }


def official_system(prof) -> str | None:
    value = str(prof.get("official_invoicing") or "none")
    return None if value == "none" else value


def build(
    store: Store, job: dict, *, deposit: bool = False, issued: str | None = None, prof=None
) -> dict:
    """The document a job would be invoiced with today: lines, VAT, totals (not numbered)."""
    from shopcli import items as items_module
    from shopcli import profile

    prof = prof or profile.load()
    issued = issued or today()
    client = store.get("clients", job["client_id"]) or {}
    currency = job["currency"]
    rounding = str(prof.get("rounding") or DEFAULT_ROUNDING)
    exempt_note = prof.get("vat_exempt_note")
    # Without a rate, taxable lines carry none: the draft says so rather than show 0 %.
    rate_missing = not exempt_note and not vat_rate_set(prof)
    vat_rate = None if exempt_note or rate_missing else Decimal(str(prof.get("vat_rate")).strip())
    rate = rate_lookup(store)
    job_items = items_module.listing(store, job_id=job["id"])
    minutes = queries.time_minutes(store, job["id"])
    if deposit:
        lines = [fees.deposit_line(job, job_items, minutes, rate, rounding=rounding)]
    else:
        lines = fees.fee_lines(job, job_items, minutes, rate, rounding=rounding)
        lines += _goods_lines(
            job_items, queries.job_costs(store, job["id"]), currency, rate, rounding
        )
    for line in lines:
        if line.kind.startswith("fee_") or line.kind == "deposit":
            line.vat = vat_rate
    if not deposit:
        lines += _deposit_deductions(store, job)
    figures = totals(lines, currency, rounding)
    system = official_system(prof)
    kind = "deposit" if deposit else ("fee_statement" if system else "invoice")
    language = client.get("language") or prof.get("language") or "en"
    terms_days = int(prof.get("payment_terms_days") or 0)
    not_billed = [
        {"number": i["number"], "title": i["title"]}
        for i in job_items
        if i["paid_by"] == "client" and i["status"] in lifecycle.COMMITTED
    ]
    document = {
        "version": DOCUMENT_VERSION,
        "kind": kind,
        "statement": bool(system),
        "official_system": system,
        "number": None,
        "issued": issued,
        "due": _add_days(issued, terms_days),
        "payment_terms_days": terms_days,
        "currency": currency,
        "minor_units": minor_units(currency),
        "language": language,
        "rounding": rounding,
        "seller": _seller(prof),
        "buyer": _buyer(client),
        "job": {"id": job["id"], "title": job["title"], "occasion": job.get("occasion")},
        "lines": [_line_dict(line) for line in lines],
        "vat_exempt_note": exempt_note,
        "vat_rate_missing": rate_missing,
        "taxes": figures["taxes"],
        "net": figures["net"],
        "tax": figures["tax"],
        "outside_vat": figures["outside_vat"],
        "total": figures["total"],
        "payment": {"iban": prof.get("iban"), "bic": prof.get("bic"), "reference": None},
        "original": None,
        "reason": None,
        "not_billed": not_billed,
        "minutes": minutes,
    }
    return _jsonable(document)


def vat_rate_set(prof) -> bool:
    """Whether the profile gives a VAT rate (0 is a rate; an empty value is not)."""
    value = prof.get("vat_rate")
    return value is not None and str(value).strip() != ""


def _line_dict(line: Line) -> dict:
    return {
        "kind": line.kind,
        "description": line.description,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "amount": line.amount,
        "vat": line.vat,
        "basis": line.basis,
    }


# -- what the law asks before issuing -------------------------------------------------------


def missing_fields(document: dict, prof=None) -> list[str]:
    """What art. 226 needs and the document lacks, each with the command that sets it."""
    seller, buyer = document["seller"], document["buyer"]
    missing = []
    if not (seller.get("business_name") or seller.get("name")):
        missing.append('the seller\'s name is missing: run `shop profile set name "..."`')
    if not seller.get("address"):
        missing.append('the seller\'s address is missing: run `shop profile set address "..."`')
    if not document.get("vat_exempt_note"):
        if not seller.get("vat_id"):
            missing.append(
                'the seller\'s VAT id is missing: run `shop profile set vat_id "..."`, or, under '
                'a VAT exemption, `shop profile set vat_exempt_note "..."`'
            )
        elif prof is not None and not vat_rate_set(prof):
            missing.append(
                "the VAT rate is missing: run `shop profile set vat_rate 24` (your rate in percent)"
            )
    if not buyer.get("name"):
        missing.append("the buyer's name is missing")
    if not buyer.get("address"):
        missing.append(
            f"the buyer's address is missing: run `shop client edit {_quote(buyer['name'])} "
            '--address "..."`'
        )
    return missing


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(str(text))


def _refuse_incomplete(document: dict, prof) -> None:
    missing = missing_fields(document, prof)
    if missing:
        raise IncompleteInvoice("cannot issue: " + "; ".join(missing))
    if not document["lines"] or all(Decimal(line["amount"]) == 0 for line in document["lines"]):
        raise IncompleteInvoice(
            f"cannot issue: job {document['job']['title']!r} has nothing to bill yet (no fee "
            "terms, bought goods paid by you, costs or time); see `shop invoice "
            f"{_quote(document['job']['title'])}`"
        )


def negative_total(document: dict) -> str | None:
    """Why a document whose total is below zero cannot be issued (None when it is not).

    Money owed back to the client is a credit note (or the client's credit), never an
    invoice with a negative total.
    """
    total = Decimal(document["total"])
    if total >= 0:
        return None
    code = document["currency"]
    shown = f"{plain(total, code)} {code}"
    deposits = sorted(
        {
            str(line["basis"]["number"])
            for line in document["lines"]
            if line["kind"] == "deposit_deduction"
        }
    )
    if deposits:
        number = deposits[-1]
        return (
            f"cannot issue: the total would be {shown}, because the deposit invoiced on "
            f"{', '.join(deposits)} is more than the job bills; an invoice cannot be negative. "
            f'Void the deposit invoice with `shop invoice void {number} --reason "..."` (what '
            "was paid on it becomes the client's credit), then issue the invoice again"
        )
    return (
        f"cannot issue: the total would be {shown}; an invoice cannot be negative. To give "
        'money back, void the invoice it corrects with `shop invoice void NUMBER --reason "..."`'
        " (a credit note; what was paid on it becomes the client's credit)"
    )


# -- numbering ------------------------------------------------------------------------------


def series_key(number_format: str, day: str) -> str:
    """The series a number belongs to: its year (and month) when the format shows them."""
    fields = _checked_fields(number_format)
    date = dt.date.fromisoformat(day)
    parts = []
    if "year" in fields:
        parts.append(f"{date.year:04d}")
    if "month" in fields:
        parts.append(f"{date.month:02d}")
    return "-".join(parts) or "all"


def format_number(number_format: str, day: str, seq: int) -> str:
    _checked_fields(number_format)
    date = dt.date.fromisoformat(day)
    return number_format.format(year=date.year, month=date.month, seq=seq)


def _checked_fields(number_format: str) -> set[str]:
    """The format's fields, refusing anything but {year}, {month} and {seq} (see profile)."""
    from shopcli.profile import number_format_fields

    try:
        return number_format_fields(number_format)
    except InvalidInput as exc:
        raise InvalidInput(
            f"{exc}; fix it with `shop profile set invoice_number_format '{{year}}-{{seq:04d}}'`"
        ) from None


def _next_number(store: Store, prof, day: str) -> tuple[str, str, int]:
    """(number, series, seq) for a document issued on `day`; call inside the transaction."""
    latest = queries.latest_issue_date(store)
    if latest and day < latest:
        raise Conflict(
            f"cannot issue with date {day}: a document was already issued on {latest}, and "
            "numbers must follow the dates"
        )
    number_format = str(prof.get("invoice_number_format") or "{year}-{seq:04d}")
    series = series_key(number_format, day)
    last = queries.last_in_series(store, series)
    seq = (int(last["seq"]) if last else 0) + 1
    number = format_number(number_format, day, seq)
    if queries.by_number(store, number):
        raise Conflict(
            f"number {number} is taken already (the number format changed?); set a format "
            "that cannot repeat with `shop profile set invoice_number_format ...`"
        )
    return number, series, seq


def _reference(number: str) -> str | None:
    from shopcli.payment_codes import rf_reference

    try:
        return rf_reference(number)
    except (InvalidInput, ValueError):
        return None


# -- issuing ----------------------------------------------------------------------------


def issue(
    store: Store,
    job: dict,
    *,
    deposit: bool = False,
    day: str | None = None,
    prof=None,
    check: Callable[[dict], Any] | None = None,
) -> dict:
    """Number, freeze and store a job's invoice (or deposit invoice) in one transaction.

    `check(document)` runs inside the transaction before commit (e.g. rendering it), so a
    document that cannot be rendered is never numbered.
    """
    from shopcli import profile

    prof = prof or profile.load()
    day = today(day)
    with store.write():
        job = store.get("jobs", job["id"]) or job
        document = build(store, job, deposit=deposit, issued=day, prof=prof)
        _refuse_twice(store, job, deposit)
        _refuse_incomplete(document, prof)
        problem = negative_total(document)
        if problem:
            raise Conflict(problem)
        number, series, seq = _next_number(store, prof, day)
        document["number"] = number
        document["payment"]["reference"] = _reference(number)
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
            f"{_kind_word(document['kind'])} {number} issued: {document['total']} "
            f"{document['currency']}",
            client_id=job["client_id"],
            job_id=job["id"],
            detail={
                "invoice_id": invoice_id,
                "number": number,
                "kind": document["kind"],
                "total": document["total"],
            },
        )
        row = queries.by_id(store, invoice_id) or {}
        if check is not None:
            check(row)
    return row


def blocking_issue(store: Store, job: dict, deposit: bool) -> str | None:
    """Why the job cannot be issued again (its live invoice, or deposit invoice), if so."""
    finals = _live(store, job["id"], FINAL_KINDS)
    if finals:
        number = finals[-1]["number"]
        return (
            f"job {job['title']!r} is already invoiced ({number}); to change it, void it with "
            f'`shop invoice void {number} --reason "..."` and issue again'
        )
    if deposit:
        deposits = _live(store, job["id"], ("deposit",))
        if deposits:
            number = deposits[-1]["number"]
            return (
                f"job {job['title']!r} already has a deposit invoice ({number}); void it with "
                f'`shop invoice void {number} --reason "..."` to bill it again'
            )
    return None


def _refuse_twice(store: Store, job: dict, deposit: bool) -> None:
    reason = blocking_issue(store, job, deposit)
    if reason:
        raise Conflict(reason)


def _kind_word(kind: str) -> str:
    return {
        "credit_note": "credit note",
        "deposit": "deposit invoice",
        "fee_statement": "fee statement",
    }.get(kind, "invoice")


# -- finding ----------------------------------------------------------------------------


def get(store: Store, ref: str, *, prefix: bool = False) -> dict:
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
        return queries.by_number(store, found[0]) or {}
    if found:
        shown = ", ".join(found) + (", ..." if len(found) >= 10 else "")
        if prefix:
            raise NotFound(f"{ref!r} matches several invoices: {shown}; give the number")
        raise NotFound(
            f"no issued invoice numbered {ref!r}: give the whole number "
            f"({'one of ' if len(found) > 1 else ''}{shown})"
        )
    raise NotFound(f"no issued invoice numbered {ref!r} (see `shop invoice list`)")


def document_of(row: dict) -> dict:
    return loads(row["document"], {})


def digits_of(row: dict) -> int | None:
    """The digits an issued document was issued with (its amounts keep them for good)."""
    if "digits" in row:
        return row["digits"]
    found = document_of(row).get("minor_units") if row.get("document") else None
    return found if isinstance(found, int) else None


# -- credit notes -----------------------------------------------------------------------


def void(
    store: Store,
    ref: str,
    reason: str,
    *,
    day: str | None = None,
    prof=None,
    check: Callable[[dict], Any] | None = None,
) -> dict:
    """Cancel an issued document with a credit note of its own number that refers to it.

    What the client already paid on it becomes the client's credit. `check(credit_note)`
    runs inside the transaction before commit, as for `issue`.
    """
    from shopcli import profile
    from shopcli.cards import refuse_card_numbers

    reason = validate.text(reason or "", "reason", max_length=500)
    # Checked here under its own name: stored, it is only a part of the frozen "document".
    refuse_card_numbers({"reason": reason})
    prof = prof or profile.load()
    day = today(day)
    with store.write():
        original = get(store, ref)
        if original["kind"] == "credit_note":
            raise Conflict(f"{original['number']} is a credit note itself; it cannot be voided")
        done = queries.credit_notes_for(store, original["id"])
        if done:
            raise Conflict(f"{original['number']} is already voided by {done[0]['number']}")
        source = document_of(original)
        number, series, seq = _next_number(store, prof, day)
        document = _credit_document(source, original, number, day, reason)
        credit_id = store.insert(
            "invoices",
            {
                "number": number,
                "series": series,
                "seq": seq,
                "kind": "credit_note",
                "job_id": original["job_id"],
                "client_id": original["client_id"],
                "issued": day,
                "due": None,
                "currency": original["currency"],
                "total": to_text(Decimal(document["total"])),
                "original_id": original["id"],
                "reference": None,
                "document": dumps(document),
                "created_at": now(),
            },
        )
        seals.seal(store, "invoice", credit_id)
        paid = sum((Decimal(a) for a in _payment_amounts(store, original["id"])), Decimal(0))
        if paid > 0:
            store.insert(
                "client_credits",
                {
                    "client_id": original["client_id"],
                    "currency": original["currency"],
                    "amount": to_text(paid),
                    "reason": "void",
                    "payment_id": None,
                    "invoice_id": original["id"],
                    "created_at": now(),
                },
            )
        events.log(
            store,
            "invoice.voided",
            f"{_kind_word(original['kind'])} {original['number']} voided by credit note "
            f"{number}: {reason}",
            client_id=original["client_id"],
            job_id=original["job_id"],
            detail={
                "invoice_id": original["id"],
                "credit_note_id": credit_id,
                "number": number,
                "reason": reason,
                "paid_to_credit": _text(paid),
            },
        )
        row = queries.by_id(store, credit_id) or {}
        if check is not None:
            check(row)
    return row


def _payment_amounts(store: Store, invoice_id: int) -> list[str]:
    return [row["amount"] for row in queries.payments_for(store, invoice_id)]


def _credit_document(source: dict, original: dict, number: str, day: str, reason: str) -> dict:
    def negate(value: str) -> str:
        return _text(-Decimal(value))

    lines = []
    for line in source["lines"]:
        lines.append(
            {**line, "quantity": negate(line["quantity"]), "amount": negate(line["amount"])}
        )
    taxes = [
        {**tax, "base": negate(tax["base"]), "tax": negate(tax["tax"])} for tax in source["taxes"]
    ]
    return {
        **source,
        "kind": "credit_note",
        "number": number,
        "issued": day,
        "due": None,
        "lines": lines,
        "taxes": taxes,
        "net": negate(source["net"]),
        "tax": negate(source["tax"]),
        "outside_vat": negate(source.get("outside_vat", "0")),
        "total": negate(source["total"]),
        "payment": {**source["payment"], "reference": None},
        "original": {
            "number": original["number"],
            "issued": original["issued"],
            "kind": original["kind"],
        },
        "reason": reason,
        "not_billed": [],
    }


# -- official numbers ----------------------------------------------------------------------


def record_official(store: Store, ref: str, official: str, *, replace: bool = False) -> dict:
    """Record the number the national system (NAV, KSeF, fapiao) gave beside ours."""
    from shopcli.cards import refuse_card_numbers

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


# -- status, lists ----------------------------------------------------------------------


def state(row: dict, paid: Decimal, voided_by: str | None, on: str) -> dict:
    """Paid, balance and state of one document as of a date."""
    total = Decimal(row["total"])
    if row["kind"] == "credit_note":
        return {"paid": paid, "balance": Decimal(0), "state": "credit note", "overdue": False}
    if voided_by:
        return {"paid": paid, "balance": Decimal(0), "state": "void", "overdue": False}
    balance = total - paid
    if balance <= 0:
        label = "paid"
    elif paid > 0:
        label = "partly paid"
    else:
        label = "unpaid"
    overdue = balance > 0 and bool(row.get("due")) and row["due"] < on
    return {"paid": paid, "balance": balance, "state": label, "overdue": overdue}


def listing(
    store: Store,
    *,
    unpaid: bool = False,
    overdue: bool = False,
    on: str | None = None,
    client_id: int | None = None,
    job_id: int | None = None,
) -> list[dict]:
    """Issued documents with their payment state as of `on` (default today)."""
    on = today(on)
    rows = queries.listing(store)
    payments = queries.paid_totals(store)
    voided = {
        row["original_id"]: row["number"]
        for row in rows
        if row["kind"] == "credit_note" and row["original_id"]
    }
    found = []
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
        found.append({**row, **status, "voided_by": voided.get(row["id"])})
    return found


def overdue(store: Store, on: str | None = None) -> list[dict]:
    """Invoices past their due date with money still owed (for the agenda)."""
    return listing(store, overdue=True, on=on)


def status_of(store: Store, row: dict, on: str | None = None) -> dict:
    on = today(on)
    paid = sum((Decimal(a) for a in _payment_amounts(store, row["id"])), Decimal(0))
    notes = queries.credit_notes_for(store, row["id"])
    status = state(row, paid, notes[0]["number"] if notes else None, on)
    return {**status, "voided_by": notes[0]["number"] if notes else None}


def public(row: dict) -> dict:
    """The stable JSON shape of an issued document in lists."""
    currency, digits = row["currency"], digits_of(row)
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


# -- what drafts are computed from ------------------------------------------------------


def remove_billing_input(
    store: Store,
    table: str,
    entry_id: int,
    *,
    what: str,
    event: str,
    summary: Callable[[dict], str],
    detail: tuple[str, ...] = (),
) -> dict:
    """Remove a time entry or job cost entered by mistake, and log it.

    Issued invoices keep what they billed (they are frozen); only later drafts change.
    `summary(row)` words the event; `detail` names the row's fields kept in it.
    """
    with store.write():
        row = store.get(table, entry_id)
        if not row:
            raise NotFound(f"no {what} with id {entry_id}")
        job = store.get("jobs", row["job_id"]) or {}
        queries.delete_billing_input(store, table, entry_id)
        events.log(
            store,
            event,
            summary(row),
            client_id=job.get("client_id"),
            job_id=row["job_id"],
            detail={"id": entry_id, **{key: row[key] for key in detail}},
        )
    return row


# -- removal guard ----------------------------------------------------------------------


def refuse_removal(store: Store, *, job: dict | None = None, client: dict | None = None) -> None:
    """Refuse to remove a job or client that has issued invoices (they must be kept)."""
    if job is not None:
        numbers = queries.numbers_of(store, job_id=job["id"])
        what = f"job {job['title']!r}"
    elif client is not None:
        numbers = queries.numbers_of(store, client_id=client["id"])
        what = f"client #{client['id']}"
    else:
        return
    if numbers:
        shown = ", ".join(numbers[:5]) + (" ..." if len(numbers) > 5 else "")
        raise Conflict(
            f"{what} has issued invoices ({shown}); invoices must be kept for years by law, "
            "so it cannot be removed, even with --force"
        )


# -- rendering ----------------------------------------------------------------------------


def render_context(
    store: Store | None, row: dict | None, document: dict, *, html: bool = False
) -> dict:
    """What the invoice templates get: the frozen document plus what happened since."""
    official = row.get("official_number") if row else None
    context = {
        "doc": document,
        "draft": document.get("number") is None,
        "official_number": official,
        "qr": None,
        "reference_display": None,
        "disbursements": Decimal(document.get("outside_vat") or 0) != 0,
        "payable": document["kind"] != "credit_note" and Decimal(document["total"]) > 0,
    }
    reference = document.get("payment", {}).get("reference")
    if reference:
        context["reference_display"] = remembered(
            "reference", reference, lambda: _format_reference(reference)
        )
    if html:
        # The same for every showing of a frozen document: kept, so that `invoice show`
        # needs neither segno nor python-stdnum after the first time.
        context["qr"] = remembered("epc-qr", _qr_question(document), lambda: qr_for(document))
    return context


def _format_reference(reference: str) -> str:
    from shopcli.payment_codes import format_reference

    return format_reference(reference)


def _qr_question(document: dict) -> list:
    """Everything `qr_for` reads of a document."""
    payment = document.get("payment") or {}
    return [
        document["currency"],
        document["kind"],
        document["total"],
        _payee(document["seller"]),
        [payment.get(key) for key in ("iban", "reference", "bic")],
    ]


def qr_for(document: dict) -> str | None:
    """The EPC QR code (data URI) when the document is payable in EUR to a set IBAN."""
    payload = epc_payload_for(document)
    if payload is None:
        return None
    from shopcli.payment_codes import epc_qr_data_uri

    return epc_qr_data_uri(payload)


def _payee(seller: dict) -> str:
    return str(seller.get("business_name") or seller.get("name") or "")[:70]


def epc_payload_for(document: dict) -> str | None:
    """The text the QR code of a document holds (None when it gets no QR code)."""
    payment = document.get("payment") or {}
    if (
        document["currency"] != "EUR"
        or not payment.get("iban")
        or not payment.get("reference")
        or document["kind"] == "credit_note"
        or Decimal(document["total"]) <= 0
    ):
        return None
    from shopcli.payment_codes import epc_payload, iban

    return epc_payload(
        name=_payee(document["seller"]),
        iban=iban(payment["iban"]),
        amount=Decimal(document["total"]),
        reference=payment["reference"],
        bic=payment.get("bic"),
    )


def render(store: Store | None, row: dict | None, document: dict, fmt: str) -> str | bytes:
    """The document as text, HTML, PDF (bytes) or an .eml draft (bytes)."""
    from shopcli import render as rendering

    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    language = document.get("language") or "en"
    digits = document_digits(document)
    if fmt == "text":
        return rendering.render(
            "invoice.txt", render_context(store, row, document), language=language, digits=digits
        )
    if fmt == "pdf":
        from shopcli import pdf

        pdf.require()
    html = rendering.render(
        "invoice.html",
        render_context(store, row, document, html=True),
        language=language,
        digits=digits,
    )
    if fmt == "html":
        return html
    if fmt == "pdf":
        from shopcli import pdf

        return pdf.html_to_pdf(html)
    from shopcli import billing_mail, pdf

    text = rendering.render(
        "invoice.txt", render_context(store, row, document), language=language, digits=digits
    )
    subject = rendering.render(
        "invoice_subject.txt",
        render_context(store, row, document),
        language=language,
        digits=digits,
    )
    attachments = []
    if document.get("number") and pdf.available():
        attachments.append(
            (f"{_file_stem(document)}.pdf", "application/pdf", pdf.html_to_pdf(html))
        )
    return billing_mail.draft_for(
        document, subject=subject, text=text, html=html, attachments=attachments
    )


def document_digits(document: dict) -> dict[str, int]:
    """Digits to show the document's currency with: those it was issued with, if recorded."""
    found = document.get("minor_units")
    return {document["currency"]: found} if isinstance(found, int) else {}


def _file_stem(document: dict) -> str:
    import re

    return re.sub(r"[^0-9A-Za-z._-]+", "-", str(document.get("number") or "draft"))


def log_rendered(store: Store, row: dict, fmt: str, output: str | None) -> None:
    with store.write():
        events.log(
            store,
            "invoice.rendered",
            f"{_kind_word(row['kind'])} {row['number']} rendered as {fmt}",
            client_id=row["client_id"],
            job_id=row["job_id"],
            detail={"invoice_id": row["id"], "format": fmt, "output": output},
        )
