"""Income at a glance for one year: what was invoiced and received each month, what is open
and overdue, the biggest clients and the average fee per job.

Everything is shown in the profile's currency, converted with the rates the shopper stored
(`shop rate set`), each document or payment rounded half-up after conversion. An amount in a
currency with no stored rate is left out of the totals and named instead, never guessed.
Fees are a document's net without the goods and costs re-billed at cost; a credit note
counts against the month it was issued in.
"""

from __future__ import annotations

import calendar
from decimal import Decimal

from shopcli.billing import invoices
from shopcli.billing.books import figures
from shopcli.core.errors import InvalidInput
from shopcli.core.money import minor_units, plain, round_money, shown
from shopcli.storage import Store
from shopcli.storage import books as queries

ZERO = Decimal(0)
TOP_CLIENTS = 5
SERIES = ("invoiced", "received")  # the two bars of each month


def check_year(value: str | int) -> int:
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4) or int(text) < 1900:
        raise InvalidInput(f"--year {value!r} is not a year like 2026")
    return int(text)


def build(store: Store, year: int, *, on: str, currency: str) -> dict:
    """The year's figures in `currency`, open and overdue amounts as of `on`."""
    from shopcli.work import rates
    from shopcli.work.rates import MissingRate

    known = rates.table(store)
    used: dict[str, Decimal] = {}
    missing: list[dict] = []

    def factor(amount: Decimal, code: str, what: str) -> Decimal | None:
        """The rate to the profile's currency; None (and the amount named) without one."""
        if code == currency:
            return Decimal(1)
        try:
            rate = rates.rate_between(known, code, currency)
        except MissingRate:
            missing.append(
                {
                    "what": what,
                    "amount": plain(amount, code),
                    "currency": code,
                    "fix": f"shop rate set {code} {currency} RATE",
                }
            )
            return None
        used[code] = rate
        return rate

    def convert(amount: Decimal, code: str, what: str) -> Decimal | None:
        rate = factor(amount, code, what)
        return None if rate is None else round_money(amount * rate, currency)

    start, end = f"{year:04d}-01-01", f"{year:04d}-12-31"
    months = {m: {"invoiced": ZERO, "fees": ZERO, "received": ZERO} for m in range(1, 13)}
    clients: dict[int, dict] = {}
    job_fees: dict[int, Decimal] = {}
    for row in queries.documents_issued(store, start, end):
        parts = figures(invoices.document_of(row))
        what = f"{row['kind'].replace('_', ' ')} {row['number']}"
        rate = factor(parts["gross"], row["currency"], what)
        if rate is None:
            continue
        gross = round_money(parts["gross"] * rate, currency)
        fee = round_money((parts["net"] - parts["outside"]) * rate, currency)
        month = months[int(row["issued"][5:7])]
        month["invoiced"] += gross
        month["fees"] += fee
        client = clients.setdefault(
            row["client_id"],
            {
                "client": row["client"],
                "fees": ZERO,
                "invoiced": ZERO,
                "documents": 0,
                "jobs": set(),
            },
        )
        client["fees"] += fee
        client["invoiced"] += gross
        client["documents"] += 1
        client["jobs"].add(row["job_id"])
        job_fees[row["job_id"]] = job_fees.get(row["job_id"], ZERO) + fee
    for payment in queries.payments_received(store, start, end):
        if payment["method"] == "credit":
            continue  # the client's credit paying an invoice: no money came in
        amount = convert(
            Decimal(payment["received"]), payment["currency"], f"payment for {payment['invoice']}"
        )
        if amount is not None:
            months[int(payment["paid_on"][5:7])]["received"] += amount
    open_total = overdue_total = ZERO
    open_count = overdue_count = 0
    for unpaid in invoices.listing(store, unpaid=True, on=on):
        if not start <= unpaid["issued"] <= end:
            continue
        amount = convert(unpaid["balance"], unpaid["currency"], f"open on {unpaid['number']}")
        if amount is None:
            continue
        open_total += amount
        open_count += 1
        if unpaid["overdue"]:
            overdue_total += amount
            overdue_count += 1
    billed_jobs = [fee for fee in job_fees.values() if fee != 0]
    fees_total = sum((m["fees"] for m in months.values()), ZERO)
    average = (
        round_money(sum(billed_jobs, ZERO) / len(billed_jobs), currency) if billed_jobs else None
    )
    top = sorted(clients.values(), key=lambda c: (-c["fees"], c["client"]))[:TOP_CLIENTS]
    return {
        "year": year,
        "currency": currency,
        "digits": minor_units(currency),
        "as_of": on,
        "months": [
            {"month": f"{year:04d}-{m:02d}", "name": calendar.month_abbr[m], **months[m]}
            for m in range(1, 13)
        ],
        "totals": {
            key: sum((m[key] for m in months.values()), ZERO)
            for key in ("invoiced", "fees", "received")
        },
        "open": open_total,
        "open_invoices": open_count,
        "overdue": overdue_total,
        "overdue_invoices": overdue_count,
        "clients": [{**c, "jobs": len(c["jobs"])} for c in top],
        "jobs": len(billed_jobs),
        "fees": fees_total,
        "average_fee_per_job": average,
        "rates_used": {code: str(rate) for code, rate in sorted(used.items())},
        "not_converted": missing,
    }


def as_json(report: dict) -> dict:
    code, digits = report["currency"], report["digits"]

    def money(value: Decimal | None) -> str | None:
        return None if value is None else plain(value, code, digits=digits)

    return {
        "year": report["year"],
        "currency": code,
        "as_of": report["as_of"],
        "months": [
            {
                "month": m["month"],
                "invoiced": money(m["invoiced"]),
                "fees": money(m["fees"]),
                "received": money(m["received"]),
            }
            for m in report["months"]
        ],
        "totals": {key: money(value) for key, value in report["totals"].items()},
        "open": money(report["open"]),
        "open_invoices": report["open_invoices"],
        "overdue": money(report["overdue"]),
        "overdue_invoices": report["overdue_invoices"],
        "biggest_clients": [
            {
                "client": c["client"],
                "fees": money(c["fees"]),
                "invoiced": money(c["invoiced"]),
                "documents": c["documents"],
                "jobs": c["jobs"],
            }
            for c in report["clients"]
        ],
        "jobs_billed": report["jobs"],
        "average_fee_per_job": money(report["average_fee_per_job"]),
        "rates_used": report["rates_used"],
        "not_converted": report["not_converted"],
    }


# -- the charts ------------------------------------------------------------------------------


def on_screen(report: dict, amount: str | Decimal) -> str:
    """An amount of the report as the shopper reads it on screen (`money.shown`: grouped, with
    the currency), to the digits the report counts in."""
    return shown(amount, report["currency"], digits=report["digits"])


def on_page(report: dict, amount: str | Decimal, currency: str | None = None) -> str:
    """An amount as the HTML page writes it: as an English document does (`€1,504.26`)."""
    from shopcli.documents.render import format_money, locale_for

    code = currency or report["currency"]
    digits = report["digits"] if code == report["currency"] else None
    return format_money(Decimal(amount), code, locale_for("en"), digits=digits)


def bar_lines(report: dict, width: int = 40) -> list[str]:
    """The terminal chart: per month, a bar of what was invoiced and one of what came in."""
    data = as_json(report)
    top = max((Decimal(m[key]) for m in data["months"] for key in SERIES), default=ZERO)
    marks = {"invoiced": "█", "received": "░"}
    lines = [f"{marks['invoiced']} invoiced   {marks['received']} received   ({data['currency']})"]
    for month, raw in zip(data["months"], report["months"], strict=True):
        if all(Decimal(month[key]) == 0 for key in SERIES):
            lines.append(raw["name"])  # a quiet month: one line, no bars
            continue
        for key in SERIES:
            value = Decimal(month[key])
            size = int((max(value, ZERO) / top * width).to_integral_value()) if top > 0 else 0
            label = raw["name"] if key == "invoiced" else ""
            lines.append(f"{label:<4}{marks[key] * size} {on_screen(report, value)}".rstrip())
    return lines


def counted(n: int, noun: str) -> str:
    """A count with its noun in the right number: "1 invoice", "2 invoices"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def html(report: dict) -> str:
    """A standalone page: the figures as tables and the months as an inline SVG bar chart
    (no script, no external file), for a browser or to keep beside the books."""
    from html import escape

    data = as_json(report)
    code = data["currency"]
    chart = _svg(data, report)

    def row(*cells: object, head: bool = False) -> str:
        tag = "th" if head else "td"
        return "<tr>" + "".join(f"<{tag}>{escape(str(c))}</{tag}>" for c in cells) + "</tr>"

    def money(amount: str) -> str:
        return escape(on_page(report, amount))

    months = "".join(
        row(m["month"], *(on_page(report, m[key]) for key in ("invoiced", "fees", "received")))
        for m in data["months"]
    )
    totals = {key: on_page(report, value) for key, value in data["totals"].items()}
    clients = "".join(
        row(
            c["client"],
            on_page(report, c["fees"]),
            on_page(report, c["invoiced"]),
            c["documents"],
            c["jobs"],
        )
        for c in data["biggest_clients"]
    )
    missing = "".join(
        f"<li>{escape(m['what'])}: {escape(on_page(report, m['amount'], m['currency']))} "
        f"(<code>{escape(m['fix'])}</code>)</li>"
        for m in data["not_converted"]
    )
    average = money(data["average_fee_per_job"]) if data["average_fee_per_job"] else "–"
    overdue = f"{money(data['overdue'])} ({counted(data['overdue_invoices'], 'invoice')})"
    rates = ", ".join(f"1 {c} = {r} {code}" for c, r in data["rates_used"].items())
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Income {data["year"]} ({escape(code)})</title>
<style>
body {{ font-family: Arial, Helvetica, sans-serif; color: #222; margin: 24px; max-width: 820px; }}
table {{ border-collapse: collapse; margin: 8px 0 20px; }}
th, td {{ padding: 3px 12px 3px 0; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
th {{ border-bottom: 1px solid #999; }}
.figures td {{ text-align: left; }}
.bar.invoiced {{ fill: #2f6fb2; }}
.bar.received {{ fill: #5bb26b; }}
.note {{ color: #a00; }}
svg text {{ font-size: 11px; fill: #333; }}
</style></head>
<body>
<h1>Income {data["year"]}</h1>
<p>Amounts in {escape(code)}, open and overdue as of {escape(data["as_of"])}.
{escape("Converted at " + rates + ".") if rates else ""}</p>
<table class="figures">
<tr><td>Invoiced</td><td><strong>{escape(totals["invoiced"])}</strong></td></tr>
<tr><td>of which fees</td><td>{escape(totals["fees"])}</td></tr>
<tr><td>Received</td><td>{escape(totals["received"])}</td></tr>
<tr><td>Open</td><td>{money(data["open"])} ({counted(data["open_invoices"], "invoice")})</td></tr>
<tr><td>Overdue</td><td>{overdue}</td></tr>
<tr><td>Average fee per job</td><td>{average} ({counted(data["jobs_billed"], "job")})</td></tr>
</table>
{chart}
<h2>By month</h2>
<table>{row("month", "invoiced", "fees", "received", head=True)}{months}
{row("total", totals["invoiced"], totals["fees"], totals["received"])}</table>
<h2>Biggest clients</h2>
<table>{row("client", "fees", "invoiced", "documents", "jobs", head=True)}{clients}</table>
{f'<h2>Not converted</h2><ul class="note">{missing}</ul>' if missing else ""}
</body>
</html>
"""


def _svg(data: dict, report: dict) -> str:
    from html import escape

    width, height, left, bottom, top_pad = 760, 260, 60, 30, 20
    plot = height - bottom - top_pad
    top = max((Decimal(m[key]) for m in data["months"] for key in SERIES), default=ZERO)
    slot = (width - left) / 12
    bar = slot * 0.35
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'style="max-width: 100%; height: auto;" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Invoiced and received per month, {escape(data["currency"])}">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        'stroke="#999"/>',
    ]
    if top > 0:
        parts.append(f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end">{top:,.0f}</text>')
    parts.append(f'<text x="{left - 6}" y="{height - bottom + 4}" text-anchor="end">0</text>')
    for index, (month, raw) in enumerate(zip(data["months"], report["months"], strict=True)):
        x0 = left + index * slot + slot * 0.12
        for offset, key in enumerate(SERIES):
            value = Decimal(month[key])
            size = float(max(value, ZERO) / top) * plot if top > 0 else 0.0
            x = x0 + offset * bar
            y = height - bottom - size
            parts.append(
                f'<rect class="bar {key}" data-month="{month["month"]}" data-value="{value}" '
                f'x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" height="{size:.1f}">'
                f"<title>{month['month']} {key}: {escape(on_page(report, value))}</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + bar:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
            f"{raw['name']}</text>"
        )
    legend_y = 12
    parts.append(
        f'<rect class="legend invoiced" x="{left}" y="{legend_y - 9}" width="10" '
        'height="10" fill="#2f6fb2"/>'
    )
    parts.append(f'<text x="{left + 14}" y="{legend_y}">invoiced</text>')
    parts.append(
        f'<rect class="legend received" x="{left + 90}" y="{legend_y - 9}" width="10" '
        'height="10" fill="#5bb26b"/>'
    )
    parts.append(f'<text x="{left + 104}" y="{legend_y}">received</text>')
    parts.append("</svg>")
    return "\n".join(parts)
