"""How the fee is computed from the terms agreed on a job (`work.terms`) and its records.

How each fee is computed (the draft invoice shows the same, line by line):

- flat: the agreed amount.
- per-item: the amount times the number of approved items that were bought (status ordered,
  shipped, received or delivered: `lifecycle.BOUGHT`); an item line counts once whatever
  its quantity, since the work is one purchase.
- hourly: the rate times the logged minutes / 60, rounded once to the currency.
- percent: N % of the goods total of the approved items (`lifecycle.COMMITTED`), each item's
  price x quantity converted to the job currency with the stored rates and rounded to the
  currency's minor units, so the base shown can be checked by hand.
- minimum fee: when the computed fee is lower, a separate top-up line brings it up to it.
- deposit: a fixed amount, or N % of the *estimated* fee: the fee as it stands, except
  that a percent fee with no approved goods yet uses the job budget as the goods total,
  and a per-item fee counts the approved (not yet bought) items too; at least the minimum.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from shopcli.core.errors import InvalidInput
from shopcli.core.money import DEFAULT_ROUNDING, from_text, round_money, to_text
from shopcli.storage.rows import Item, Job
from shopcli.work import lifecycle
from shopcli.work.terms import parse_deposit

# rate(source, target): how many target units one source unit buys.
RateLookup = Callable[[str, str], Decimal]


@dataclass
class Line:
    """One invoice line before VAT: what it is, how it was computed, and its amount.

    `kind` and `basis` let the template word the line in the client's language; `vat` is
    the VAT rate in percent, or None for a disbursement outside the scope of VAT.
    """

    kind: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    vat: Decimal | None = None
    basis: dict[str, Any] = field(default_factory=dict)


def _goods_basis(
    items: Sequence[Item], currency: str, rate: RateLookup, rounding: str
) -> tuple[Decimal, list[dict]]:
    """The goods total in the job currency, item by item (each rounded to the currency)."""
    total, rows = Decimal(0), []
    for item in items:
        exact = Decimal(item["price"]) * int(item["qty"])
        factor = rate(item["currency"], currency)
        converted = round_money(exact * factor, currency, rounding)
        total += converted
        rows.append(
            {
                "number": item["number"],
                "title": item["title"],
                "price": item["price"],
                "qty": int(item["qty"]),
                "currency": item["currency"],
                "rate": to_text(factor),
                "amount": converted,
            }
        )
    return total, rows


def fee_lines(
    job: Job,
    items: Sequence[Item],
    minutes: int,
    rate: RateLookup,
    *,
    rounding: str = DEFAULT_ROUNDING,
    estimate: bool = False,
) -> list[Line]:
    """The fee lines of a job in its currency (see the module docstring for the rules).

    With `estimate`, a percent fee with no approved goods uses the job budget, and a
    per-item fee also counts approved items not yet bought (the basis of a % deposit).
    """
    currency = job["currency"]
    kind = job.get("fee_kind")
    amount = from_text(job.get("fee_amount")) or Decimal(0)
    lines: list[Line] = []
    if kind == "flat":
        value = round_money(amount, currency, rounding)
        lines.append(Line("fee_flat", job["title"], Decimal(1), value, value))
    elif kind == "per-item":
        statuses = lifecycle.COMMITTED if estimate else lifecycle.BOUGHT
        counted = [i for i in items if i["status"] in statuses]
        unit = round_money(amount, currency, rounding)
        lines.append(
            Line(
                "fee_per_item",
                job["title"],
                Decimal(len(counted)),
                unit,
                unit * len(counted),
                basis={"items": [{"number": i["number"], "title": i["title"]} for i in counted]},
            )
        )
    elif kind == "hourly":
        unit = round_money(amount, currency, rounding)
        value = round_money(Decimal(minutes) * amount / Decimal(60), currency, rounding)
        # Shown to 4 places (125 min = 2.0833 h); the amount comes from the minutes.
        quantity = Decimal(to_text((Decimal(minutes) / Decimal(60)).quantize(Decimal("0.0001"))))
        lines.append(
            Line(
                "fee_hourly",
                job["title"],
                quantity,
                unit,
                value,
                basis={"minutes": minutes, "hourly_rate": unit},
            )
        )
    elif kind == "percent":
        committed = [i for i in items if i["status"] in lifecycle.COMMITTED]
        goods, rows = _goods_basis(committed, currency, rate, rounding)
        from_budget = False
        budget = from_text(job.get("budget"))
        if estimate and not committed and budget is not None:
            goods, from_budget = round_money(budget, currency, rounding), True
        value = round_money(goods * amount / Decimal(100), currency, rounding)
        lines.append(
            Line(
                "fee_percent",
                job["title"],
                Decimal(1),
                value,
                value,
                basis={
                    "percent": amount,
                    "goods": goods,
                    "items": rows,
                    "from_budget": from_budget,
                },
            )
        )
    minimum = from_text(job.get("min_fee"))
    if minimum is not None:
        minimum = round_money(minimum, currency, rounding)
        computed = sum((line.amount for line in lines), Decimal(0))
        if computed < minimum:
            top_up = minimum - computed
            lines.append(
                Line(
                    "fee_minimum",
                    job["title"],
                    Decimal(1),
                    top_up,
                    top_up,
                    basis={"minimum": minimum, "computed": computed},
                )
            )
    return lines


def fee_total(lines: Sequence[Line]) -> Decimal:
    return sum((line.amount for line in lines if line.kind.startswith("fee_")), Decimal(0))


def deposit_line(
    job: Job,
    items: Sequence[Item],
    minutes: int,
    rate: RateLookup,
    *,
    rounding: str = DEFAULT_ROUNDING,
) -> Line:
    """The deposit billed before the work: a fixed amount or N % of the estimated fee."""
    deposit = job.get("deposit")
    if not deposit:
        raise InvalidInput(
            f"job #{job['id']} has no deposit terms: set them with "
            f"`shop job edit {job['id']} --deposit 30%` (or an amount)"
        )
    currency = job["currency"]
    terms = parse_deposit(deposit)
    if not terms.percent:
        value = round_money(terms.amount, currency, rounding)
        return Line("deposit", job["title"], Decimal(1), value, value, basis={"amount": value})
    estimated = fee_total(fee_lines(job, items, minutes, rate, rounding=rounding, estimate=True))
    value = round_money(estimated * terms.amount / Decimal(100), currency, rounding)
    if value <= 0:
        raise InvalidInput(
            f"a {terms} deposit of job #{job['id']} comes to nothing yet: the estimated fee "
            "is 0 (no approved items, budget or time); set a fixed deposit with "
            f"`shop job edit {job['id']} --deposit AMOUNT`"
        )
    return Line(
        "deposit",
        job["title"],
        Decimal(1),
        value,
        value,
        basis={"percent": terms.amount, "estimated_fee": estimated},
    )
