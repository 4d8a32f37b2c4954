"""Invoice drafts: the lines, VAT and totals a job would be invoiced with today, and
what the law asks of a document before it is issued (EU VAT Directive art. 226).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shopcli.billing import fees
from shopcli.billing.fees import Line
from shopcli.billing.invoices import DISBURSEMENTS, DOCUMENT_VERSION, live
from shopcli.core.dates import add_days, today
from shopcli.core.errors import InvalidInput
from shopcli.core.money import DEFAULT_ROUNDING, minor_units, round_money
from shopcli.core.money import shown as money_shown
from shopcli.storage import Store
from shopcli.storage import clients as client_queries
from shopcli.storage import invoices as queries
from shopcli.storage.records import loads
from shopcli.storage.rows import Client, Item, Job
from shopcli.work import lifecycle


class IncompleteInvoice(InvalidInput):
    """An invoice cannot be issued: a field the law requires is missing."""


def amount_text(amount: Decimal) -> str:
    """An amount already rounded to its currency, written with all its minor digits."""
    return f"{amount:f}"


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return amount_text(value)
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
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
    from shopcli.work import rates

    known = rates.table(store)
    return lambda source, target: rates.rate_between(known, source, target)


def _goods_lines(
    items: list[Item],
    costs: list[dict],
    currency: str,
    rate: fees.RateLookup,
    rounding: str,
    vat_rate: Decimal | None = None,
) -> list[Line]:
    """Goods the shopper paid for, with their shipping and duty, and the job's costs.

    An item bought in the client's name is a disbursement: recharged at cost, outside VAT
    (art. 79(c)). An item bought in the shopper's name is resold (`billed_as` resale): a
    taxable supply at the price the client approved, VAT included, so its line carries the
    price without VAT and the VAT is added with the fee's; its shipping and duty are part of
    its taxable amount (art. 78(b)) and go the same way.
    """
    lines: list[Line] = []
    for item in items:
        if item["paid_by"] != "shopper" or item["status"] not in lifecycle.BOUGHT:
            continue
        resale = item.get("billed_as") == "resale"
        factor = rate(item["currency"], currency)
        # What a resold item's price includes is taken out; a disbursement is billed as paid.
        included = vat_rate if resale and vat_rate else None
        unit = _charged(item["price"], factor, included, currency, rounding)
        qty = int(item["qty"])
        basis = {
            "number": item["number"],
            "price": item["price"],
            "currency": item["currency"],
            "rate": factor,
        }
        kinds = ("resale", "resale_shipping", "resale_customs") if resale else DISBURSED
        vat = vat_rate if resale else None
        lines.append(Line(kinds[0], item["title"], Decimal(qty), unit, unit * qty, vat, basis))
        for kind, extra in zip(kinds[1:], (item.get("shipping"), item.get("customs")), strict=True):
            if extra and Decimal(extra) > 0:
                value = _charged(extra, factor, included, currency, rounding)
                lines.append(
                    Line(
                        kind,
                        item["title"],
                        Decimal(1),
                        value,
                        value,
                        vat,
                        {
                            "number": item["number"],
                            "price": extra,
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
                # The cost's id lets its receipts be found from the line.
                {
                    "price": cost["amount"],
                    "currency": cost["currency"],
                    "rate": factor,
                    "cost": cost["id"],
                },
            )
        )
    return lines


def _charged(
    amount: str, factor: Decimal, included_vat: Decimal | None, currency: str, rounding: str
) -> Decimal:
    """An amount converted to the job currency, less the VAT it includes (when given)."""
    value = Decimal(amount) * factor
    if included_vat:
        value = value / (1 + included_vat / Decimal(100))
    return round_money(value, currency, rounding)


# Line kinds of an item bought in the client's name: the goods, their shipping, their duty.
DISBURSED = ("goods", "shipping", "customs")


def _deposit_deductions(store: Store, job: Job) -> list[Line]:
    lines = []
    for row in live(store, job["id"], ("deposit",)):
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


def _buyer(client: Client) -> dict:
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
    store: Store,
    job: Job,
    *,
    deposit: bool = False,
    issued: str | None = None,
    supplied: str | None = None,
    prof=None,
) -> dict:
    """The document a job would be invoiced with today: lines, VAT, totals (not numbered).

    `supplied` is the date of supply (art. 226(7)); by default the day the job's goods were
    last handed over (none before a handover, and none for a deposit invoice).
    """
    from shopcli.people import profile
    from shopcli.storage import delivery
    from shopcli.work import items as items_module

    prof = prof or profile.load()
    issued = issued or today()
    client = client_queries.existing(store, job["client_id"])
    currency = job["currency"]
    rounding = str(prof.get("rounding") or DEFAULT_ROUNDING)
    language = client.get("language") or prof.get("language") or "en"
    exempt = prof.text("vat_exempt_note", language)
    exempt_note = exempt[0] if exempt else None
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
            job_items, queries.job_costs(store, job["id"]), currency, rate, rounding, vat_rate
        )
        if supplied is None:
            supplied = delivery.handed_over_on(store, job["id"])
    for line in lines:
        if line.kind.startswith("fee_") or line.kind == "deposit":
            line.vat = vat_rate
    if not deposit:
        lines += _deposit_deductions(store, job)
    figures = totals(lines, currency, rounding)
    system = official_system(prof)
    kind = "deposit" if deposit else ("fee_statement" if system else "invoice")
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
        "supplied": supplied,
        "due": add_days(issued, terms_days),
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
    return jsonable(document)


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
            f'the buyer\'s address is missing: run `shop client edit {buyer["id"]} --address "..."`'
        )
    return missing


def refuse_incomplete(document: dict, prof) -> None:
    missing = missing_fields(document, prof)
    if missing:
        raise IncompleteInvoice("cannot issue: " + "; ".join(missing))
    if not document["lines"] or all(Decimal(line["amount"]) == 0 for line in document["lines"]):
        raise IncompleteInvoice(
            f"cannot issue: job #{document['job']['id']} has nothing to bill yet (no fee "
            "terms, bought goods paid by you, costs or time); see `shop invoice "
            f"{document['job']['id']}`"
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
    shown = money_shown(total, code, digits=document.get("minor_units"))
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
