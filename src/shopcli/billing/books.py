"""The accountant's books for a period: documents issued, money received, costs re-billed.

Every figure comes from the frozen documents and the payments as recorded, so it agrees to
the cent with the invoices: net and VAT per rate are the document's own `taxes`; lines
without VAT are either disbursements (goods, shipping, duty and job costs re-billed at cost,
outside the scope of VAT) or fees under a VAT exemption. What was paid and what is open is
as of the period's last day. Currencies are never converted: each has its own totals.

The same figures come out as tables, JSON, CSV for a spreadsheet (text cells that a
spreadsheet would run as a formula are made text, `core.csv_cells`) and an hledger journal.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shopcli.billing import invoices
from shopcli.billing.invoices import DISBURSEMENTS
from shopcli.core import validate
from shopcli.core.csv_cells import spreadsheet_safe
from shopcli.core.errors import InvalidInput
from shopcli.core.money import minor_units, plain
from shopcli.storage import Store
from shopcli.storage import books as queries

OUTSIDE = "outside"  # disbursements: outside the scope of VAT
EXEMPT = "exempt"  # fees with no VAT (a VAT exemption)
FORMATS = ("text", "json", "csv", "ledger")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Period:
    start: str
    end: str
    label: str


def period(
    *,
    start: str | None = None,
    end: str | None = None,
    quarter: str | None = None,
    month: str | None = None,
    year: str | None = None,
) -> Period:
    """The period the books cover, from exactly one of: --from and --to, --quarter 2026-Q4,
    --month 2026-11 or --year 2026."""
    ways = [bool(start or end), bool(quarter), bool(month), bool(year)]
    if sum(ways) != 1:
        raise InvalidInput(
            "give the period one way: --from DATE --to DATE, --quarter 2026-Q4, "
            "--month 2026-11 or --year 2026"
        )
    if start or end:
        if not (start and end):
            raise InvalidInput("give both --from and --to (or --quarter, --month, --year)")
        first, last = validate.date(start, "--from"), validate.date(end, "--to")
        if last < first:
            raise InvalidInput(f"--to {last} is before --from {first}")
        return Period(first, last, f"{first} to {last}")
    if quarter:
        found = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*", quarter)
        if not found:
            raise InvalidInput(f"--quarter {quarter!r} is not a quarter like 2026-Q4")
        number, q = int(found[1]), int(found[2])
        first_month, last_month = 3 * q - 2, 3 * q
        return Period(
            dt.date(number, first_month, 1).isoformat(),
            _month_end(number, last_month),
            f"{number}-Q{q}",
        )
    if month:
        found = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", month)
        if not found or not 1 <= int(found[2]) <= 12:
            raise InvalidInput(f"--month {month!r} is not a month like 2026-11")
        number, m = int(found[1]), int(found[2])
        return Period(dt.date(number, m, 1).isoformat(), _month_end(number, m), f"{number}-{m:02d}")
    found = re.fullmatch(r"\s*(\d{4})\s*", year or "")
    if not found or not 1900 <= int(found[1]) <= 9999:
        raise InvalidInput(f"--year {year!r} is not a year like 2026")
    number = int(found[1])
    return Period(f"{number:04d}-01-01", f"{number:04d}-12-31", str(number))


def _month_end(year: int, month: int) -> str:
    return dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat()


# -- the figures ----------------------------------------------------------------------------


def figures(document: dict) -> dict:
    """A document's net and VAT per rate (its own `taxes`), and its lines without VAT split
    into disbursements and exempt fees. The parts add up to its net, VAT and total."""
    rates: dict[str, dict[str, Decimal]] = {}
    for tax in document.get("taxes") or []:
        key = _rate_key(tax["rate"])
        found = rates.setdefault(key, {"net": ZERO, "vat": ZERO})
        found["net"] += Decimal(tax["base"])
        found["vat"] += Decimal(tax["tax"])
    outside = exempt = ZERO
    for line in document.get("lines") or []:
        if line.get("vat") is not None:
            continue
        if line["kind"] in DISBURSEMENTS:
            outside += Decimal(line["amount"])
        else:
            exempt += Decimal(line["amount"])
    net, vat = Decimal(document["net"]), Decimal(document["tax"])
    parts = sum((r["net"] for r in rates.values()), ZERO) + outside + exempt
    if parts != net or sum((r["vat"] for r in rates.values()), ZERO) != vat:
        raise InvalidInput(  # never seen: the document's own figures do not add up
            f"{document.get('number')}: its VAT breakdown does not add up to its net and VAT"
        )
    return {
        "rates": rates,
        "outside": outside,
        "exempt": exempt,
        "net": net,
        "vat": vat,
        "gross": Decimal(document["total"]),
    }


def _rate_key(rate: Any) -> str:
    from shopcli.core.money import to_text

    return to_text(Decimal(str(rate)))


def build(store: Store, per: Period) -> dict:
    """The books of a period: documents, payments, re-billed costs and the summaries."""
    from shopcli.billing import receipts

    paid = queries.paid_until(store, per.end)
    voided = queries.voided_until(store, per.end)
    documents = []
    rebilled = []
    for row in queries.documents_issued(store, per.start, per.end):
        document = invoices.document_of(row)
        digits = invoices.digits_of(row)
        amount_paid = sum((Decimal(a) for a in paid.get(row["id"], [])), ZERO)
        status = invoices.state(row, amount_paid, voided.get(row["id"]), per.end)
        supplied = row["handed_over"] if row["kind"] != "deposit" else None
        if row["kind"] == "credit_note":
            supplied = None
        documents.append(
            {
                "id": row["id"],
                "issued": row["issued"],
                "supplied": supplied,
                "number": row["number"],
                "kind": row["kind"],
                "refers_to": row["original_number"],
                "client": row["client"],
                "client_id": row["client_id"],
                "job": row["job"],
                "job_id": row["job_id"],
                "currency": row["currency"],
                "digits": digits if digits is not None else minor_units(row["currency"]),
                **figures(document),
                "paid": status["paid"] if row["kind"] != "credit_note" else ZERO,
                "open": max(status["balance"], ZERO),
                "state": status["state"],
                "voided_by": voided.get(row["id"]),
                # What voiding moved to the client's credit: the payments on the original.
                "to_credit": (
                    sum((Decimal(a) for a in paid.get(row["original_id"], [])), ZERO)
                    if row["kind"] == "credit_note" and row["original_id"]
                    else ZERO
                ),
            }
        )
        kept = {
            line["line"]: [r["id"] for r in line["receipts"]]
            for line in receipts.for_lines(store, row["job_id"], document.get("lines") or [])
        }
        for index, line in enumerate(document.get("lines") or [], start=1):
            if line["kind"] not in DISBURSEMENTS:
                continue
            basis = line.get("basis") or {}
            rebilled.append(
                {
                    "issued": row["issued"],
                    "number": row["number"],
                    "client": row["client"],
                    "job": row["job"],
                    "line": index,
                    "kind": line["kind"],
                    "description": line.get("description") or "",
                    "item_number": basis.get("number"),
                    "cost_id": basis.get("cost"),
                    "paid_price": basis.get("price"),
                    "paid_currency": basis.get("currency"),
                    "rate": basis.get("rate"),
                    "amount": Decimal(line["amount"]),
                    "currency": row["currency"],
                    "digits": documents[-1]["digits"],
                    "receipts": kept.get(index, []),
                }
            )
    payments = []
    for payment in queries.payments_received(store, per.start, per.end):
        received, applied = Decimal(payment["received"]), Decimal(payment["amount"])
        digits = payment["digits"] if isinstance(payment["digits"], int) else None
        payments.append(
            {
                "id": payment["id"],
                "paid_on": payment["paid_on"],
                "invoice": payment["invoice"],
                "client": payment["client"],
                "client_id": payment["client_id"],
                "method": payment["method"],
                "currency": payment["currency"],
                "digits": digits if digits is not None else minor_units(payment["currency"]),
                "received": received,
                "applied": applied,
                "to_credit": received - applied,
                "from_credit": payment["method"] == "credit",
            }
        )
    return {
        "period": per,
        "documents": documents,
        "payments": payments,
        "rebilled": rebilled,
        "by_rate": _by_rate(documents),
        "by_currency": _by_currency(documents, payments),
    }


def _bucket_order(key: str) -> tuple:
    if key == EXEMPT:
        return (1, ZERO)
    if key == OUTSIDE:
        return (2, ZERO)
    return (0, Decimal(key))


def _by_rate(documents: list[dict]) -> list[dict]:
    """Net, VAT and gross per currency and VAT rate (and the exempt and outside parts)."""
    found: dict[tuple[str, str], dict] = {}
    for d in documents:
        parts = [(key, r["net"], r["vat"]) for key, r in d["rates"].items()]
        if d["exempt"]:
            parts.append((EXEMPT, d["exempt"], ZERO))
        if d["outside"]:
            parts.append((OUTSIDE, d["outside"], ZERO))
        for key, net, vat in parts:
            entry = found.setdefault(
                (d["currency"], key),
                {"currency": d["currency"], "vat_rate": key, "net": ZERO, "vat": ZERO},
            )
            entry["net"] += net
            entry["vat"] += vat
            entry["digits"] = d["digits"]
    rows = [found[key] for key in sorted(found, key=lambda k: (k[0], _bucket_order(k[1])))]
    for row in rows:
        row["gross"] = row["net"] + row["vat"]
    return rows


def _by_currency(documents: list[dict], payments: list[dict]) -> list[dict]:
    found: dict[str, dict] = {}

    def entry(code: str, digits: int) -> dict:
        return found.setdefault(
            code,
            {
                "currency": code,
                "digits": digits,
                "documents": 0,
                "net": ZERO,
                "vat": ZERO,
                "gross": ZERO,
                "paid": ZERO,
                "open": ZERO,
                "received": ZERO,
                "from_credit": ZERO,
                "to_credit": ZERO,
            },
        )

    for d in documents:
        e = entry(d["currency"], d["digits"])
        e["documents"] += 1
        for key in ("net", "vat", "gross", "paid", "open"):
            e[key] += d[key]
    for p in payments:
        e = entry(p["currency"], p["digits"])
        if p["from_credit"]:
            e["from_credit"] += p["received"]
        else:
            e["received"] += p["received"]
        e["to_credit"] += p["to_credit"]
    return [found[code] for code in sorted(found)]


# -- JSON -------------------------------------------------------------------------------------


def _amounts(row: dict, keys: tuple[str, ...]) -> dict:
    code, digits = row["currency"], row["digits"]
    return {key: plain(row[key], code, digits=digits) for key in keys}


def as_json(books: dict) -> dict:
    """The books with stable keys, amounts as text with the currency's digits."""
    per: Period = books["period"]
    documents = []
    for d in books["documents"]:
        code, digits = d["currency"], d["digits"]
        documents.append(
            {
                "issued": d["issued"],
                "supplied": d["supplied"],
                "number": d["number"],
                "kind": d["kind"],
                "refers_to": d["refers_to"],
                "client": d["client"],
                "job": d["job"],
                "currency": code,
                "by_vat_rate": [
                    {
                        "rate": key,
                        "net": plain(r["net"], code, digits=digits),
                        "vat": plain(r["vat"], code, digits=digits),
                    }
                    for key, r in sorted(d["rates"].items(), key=lambda kv: Decimal(kv[0]))
                ],
                **_amounts(d, ("exempt", "outside", "net", "vat", "gross", "paid", "open")),
                "state": d["state"],
                "voided_by": d["voided_by"],
            }
        )
    return {
        "period": {"from": per.start, "to": per.end, "label": per.label},
        "paid_and_open_as_of": per.end,
        "documents": documents,
        "payments": [
            {
                "paid_on": p["paid_on"],
                "invoice": p["invoice"],
                "client": p["client"],
                "method": p["method"],
                "currency": p["currency"],
                **_amounts(p, ("received", "applied", "to_credit")),
                "from_credit": p["from_credit"],
            }
            for p in books["payments"]
        ],
        "rebilled": [
            {
                "issued": r["issued"],
                "number": r["number"],
                "client": r["client"],
                "line": r["line"],
                "kind": r["kind"],
                "description": r["description"],
                "item_number": r["item_number"],
                "cost_id": r["cost_id"],
                "paid": (
                    {"price": r["paid_price"], "currency": r["paid_currency"], "rate": r["rate"]}
                    if r["paid_price"] is not None
                    else None
                ),
                "currency": r["currency"],
                "amount": plain(r["amount"], r["currency"], digits=r["digits"]),
                "receipts": r["receipts"],
            }
            for r in books["rebilled"]
        ],
        "summary": {
            "by_vat_rate": [
                {
                    "currency": r["currency"],
                    "vat_rate": r["vat_rate"],
                    **_amounts(r, ("net", "vat", "gross")),
                }
                for r in books["by_rate"]
            ],
            "by_currency": [
                {
                    "currency": c["currency"],
                    "documents": c["documents"],
                    **_amounts(
                        c,
                        (
                            "net",
                            "vat",
                            "gross",
                            "paid",
                            "open",
                            "received",
                            "from_credit",
                            "to_credit",
                        ),
                    ),
                }
                for c in books["by_currency"]
            ],
        },
    }


# -- CSV ----------------------------------------------------------------------------------------


def csv_rows(books: dict) -> tuple[list[str], list[list[Any]]]:
    """One flat table for a spreadsheet: a `section` column (document, payment, rebilled,
    vat_summary, currency_summary) and the same columns on every row, amounts as plain
    numbers with a dot; a column per VAT rate present in the period."""
    rates = sorted(
        {key for d in books["documents"] for key in d["rates"]}, key=lambda k: Decimal(k)
    )
    columns = [
        "section",
        "date",
        "supplied",
        "number",
        "kind",
        "refers_to",
        "client",
        "job",
        "description",
        "method",
        "currency",
        *(f"net_vat_{rate}" for rate in rates),
        *(f"vat_{rate}" for rate in rates),
        "net_exempt",
        "net_outside_vat",
        "vat_rate",
        "net",
        "vat",
        "gross",
        "paid",
        "open",
        "received",
        "applied",
        "to_credit",
        "receipts",
    ]
    rows: list[dict] = []
    for d in books["documents"]:
        code, digits = d["currency"], d["digits"]

        def money(value: Decimal, code: str = code, digits: int = digits) -> str:
            return plain(value, code, digits=digits)

        row = {
            "section": "document",
            "date": d["issued"],
            "supplied": d["supplied"],
            "number": d["number"],
            "kind": d["kind"],
            "refers_to": d["refers_to"],
            "client": d["client"],
            "job": d["job"],
            "currency": code,
            "net_exempt": money(d["exempt"]),
            "net_outside_vat": money(d["outside"]),
            **{key: money(d[key]) for key in ("net", "vat", "gross", "paid", "open")},
        }
        for rate in rates:
            found = d["rates"].get(rate)
            row[f"net_vat_{rate}"] = money(found["net"] if found else ZERO)
            row[f"vat_{rate}"] = money(found["vat"] if found else ZERO)
        rows.append(row)
    for p in books["payments"]:
        rows.append(
            {
                "section": "payment",
                "date": p["paid_on"],
                "number": p["invoice"],
                "client": p["client"],
                "method": p["method"],
                "currency": p["currency"],
                **_amounts(p, ("received", "applied", "to_credit")),
            }
        )
    for r in books["rebilled"]:
        rows.append(
            {
                "section": "rebilled",
                "date": r["issued"],
                "number": r["number"],
                "kind": r["kind"],
                "client": r["client"],
                "job": r["job"],
                "description": r["description"],
                "currency": r["currency"],
                "net_outside_vat": plain(r["amount"], r["currency"], digits=r["digits"]),
                "receipts": " ".join(f"#{i}" for i in r["receipts"]),
            }
        )
    for r in books["by_rate"]:
        rows.append(
            {
                "section": "vat_summary",
                "currency": r["currency"],
                "vat_rate": r["vat_rate"],
                **_amounts(r, ("net", "vat", "gross")),
            }
        )
    for c in books["by_currency"]:
        rows.append(
            {
                "section": "currency_summary",
                "currency": c["currency"],
                "description": f"{c['documents']} documents",
                **_amounts(c, ("net", "vat", "gross", "paid", "open", "received", "to_credit")),
            }
        )
    # Only text that people typed can start a formula; amounts and dates are ours.
    typed = {"number", "refers_to", "client", "job", "description", "method", "receipts"}
    table = [
        [
            spreadsheet_safe(row.get(column)) if column in typed else row.get(column)
            for column in columns
        ]
        for row in rows
    ]
    return columns, table


def csv_text(books: dict) -> str:
    import csv
    import io

    columns, rows = csv_rows(books)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


# -- hledger journal ---------------------------------------------------------------------------

RECEIVABLE = "assets:receivable"
CLIENT_CREDIT = "liabilities:client credit"
VAT = "liabilities:vat"
FEES = "revenue:fees"
OUTLAYS = "assets:outlays for clients"
METHOD_ACCOUNTS = {"transfer": "assets:bank", "cash": "assets:cash", "card": "assets:card"}


def _account_part(text: str) -> str:
    """A name usable inside an hledger account: no colon, semicolon, brackets or tabs, no
    double space (which ends an account name)."""
    cleaned = re.sub(r"[:;()\[\]{}@*!|\t\r\n\"=]", " ", str(text))
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    return cleaned or "unnamed"


def _text_part(text: str) -> str:
    """Text for a description or tag value: one line, no comment or tag separators."""
    return re.sub(r"\s+", " ", re.sub(r"[;,|()\t\r\n]", " ", str(text))).strip()


def _fee_account(key: str) -> str:
    if key == EXEMPT:
        return f"{FEES}:vat exempt"
    return f"{FEES}:vat {key}%"


def _method_account(method: str, client: str) -> str:
    if method == "credit":
        return f"{CLIENT_CREDIT}:{client}"
    return METHOD_ACCOUNTS.get(method) or f"assets:other:{_account_part(method)}"


def ledger_text(books: dict) -> str:
    """The period as an hledger journal: one transaction per document and per payment, with
    every account and currency declared (so `hledger check --strict` passes)."""
    per: Period = books["period"]
    entries: list[tuple[str, int, int, list[str]]] = []
    accounts: set[str] = set()
    currencies: dict[str, int] = {}

    def posting(account: str, amount: Decimal, code: str, digits: int) -> str:
        accounts.add(account)
        currencies.setdefault(code, digits)
        return f"    {account}  {plain(amount, code, digits=digits)} {code}"

    for d in books["documents"]:
        code, digits = d["currency"], d["digits"]
        client = _account_part(d["client"])
        lines = [
            f"{d['issued']} * ({_text_part(d['number'])}) {_text_part(d['client'])} | "
            f"{d['kind'].replace('_', ' ')} {_text_part(d['job'])}",
            f"    ; kind:{d['kind']}, job:{_text_part(d['job'])}"
            + (f", refers-to:{_text_part(d['refers_to'])}" if d["refers_to"] else "")
            + (f", supplied:{d['supplied']}" if d["supplied"] else ""),
            posting(f"{RECEIVABLE}:{client}", d["gross"], code, digits),
        ]
        for key, r in sorted(d["rates"].items(), key=lambda kv: Decimal(kv[0])):
            lines.append(posting(_fee_account(key), -r["net"], code, digits))
            lines.append(posting(f"{VAT}:{key}%", -r["vat"], code, digits))
        if d["exempt"]:
            lines.append(posting(_fee_account(EXEMPT), -d["exempt"], code, digits))
        if d["outside"]:
            lines.append(posting(OUTLAYS, -d["outside"], code, digits))
        if d["to_credit"]:
            # What was paid on the cancelled invoice becomes the client's credit.
            lines.append(posting(f"{RECEIVABLE}:{client}", d["to_credit"], code, digits))
            lines.append(posting(f"{CLIENT_CREDIT}:{client}", -d["to_credit"], code, digits))
        entries.append((d["issued"], 0, d["id"], lines))
    for p in books["payments"]:
        code, digits = p["currency"], p["digits"]
        client = _account_part(p["client"])
        lines = [
            f"{p['paid_on']} * ({_text_part(p['invoice'])}) {_text_part(p['client'])} | "
            f"payment ({_text_part(p['method'])})",
            posting(_method_account(p["method"], client), p["received"], code, digits),
            posting(f"{RECEIVABLE}:{client}", -p["applied"], code, digits),
        ]
        if p["to_credit"]:
            lines.append(posting(f"{CLIENT_CREDIT}:{client}", -p["to_credit"], code, digits))
        entries.append((p["paid_on"], 1, p["id"], lines))
    entries.sort(key=lambda entry: entry[:3])
    head = [
        f"; shopcli books {per.label}: {per.start} to {per.end}",
        "; Documents issued and payments received in the period (no opening balances).",
        f"; {OUTLAYS}: goods, shipping and duty you paid for clients, re-billed at cost",
        ";   outside the scope of VAT; book your purchases of them to the same account.",
        "",
    ]
    for code in sorted(currencies):
        digits = currencies[code]
        sample = "1000" + ("." + "0" * digits if digits else "")
        head.append(f"commodity {sample} {code}")
    if currencies:
        head.append("")
    for account in sorted(accounts):
        head.append(f"account {account}")
    head.append("")
    body = "\n\n".join("\n".join(lines) for *_, lines in entries)
    return "\n".join(head) + "\n" + body + ("\n" if body else "")
