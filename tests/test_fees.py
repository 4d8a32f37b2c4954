"""Fee computation: every fee kind, minimum fees, deposits, mixed currencies."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopcli.billing import fees
from shopcli.core.errors import InvalidInput
from shopcli.work import terms
from shopcli.work.rates import MissingRate, rate_between

RATES = {("USD", "EUR"): Decimal("0.92"), ("EUR", "SEK"): Decimal("11.5")}


def rate(source: str, target: str) -> Decimal:
    return rate_between(RATES, source, target)


def job(kind: str | None, amount: str | None = None, **extra: str) -> dict:
    return {
        "id": 1,
        "title": "Spring boxes",
        "currency": extra.pop("currency", "EUR"),
        "fee_kind": kind,
        "fee_amount": amount,
        **extra,
    }


def item(number: int, price: str, status: str, *, currency: str = "EUR", qty: int = 1) -> dict:
    return {
        "number": number,
        "title": f"thing {number}",
        "price": price,
        "currency": currency,
        "qty": qty,
        "status": status,
        "paid_by": "client",
    }


ITEMS = [
    item(1, "40.00", "approved"),
    item(2, "25.00", "ordered", currency="USD", qty=2),
    item(3, "10.00", "delivered"),
    item(4, "99.00", "rejected"),
    item(5, "15.00", "candidate"),
    item(6, "12.00", "cancelled"),
]


def amounts(lines: list[fees.Line]) -> list[tuple[str, Decimal]]:
    return [(line.kind, line.amount) for line in lines]


def test_flat_fee() -> None:
    lines = fees.fee_lines(job("flat", "80"), ITEMS, 0, rate)
    assert amounts(lines) == [("fee_flat", Decimal("80.00"))]


def test_per_item_counts_bought_item_lines_only() -> None:
    lines = fees.fee_lines(job("per-item", "7.5"), ITEMS, 0, rate)
    assert amounts(lines) == [("fee_per_item", Decimal("15.00"))]
    assert lines[0].quantity == 2  # ordered (qty 2 counts once) and delivered
    assert [i["number"] for i in lines[0].basis["items"]] == [2, 3]


def test_hourly_fee_from_minutes_rounds_once() -> None:
    lines = fees.fee_lines(job("hourly", "45"), ITEMS, 125, rate)
    # 125 min x 45 / 60 = 93.75 exactly; the quantity is only shown (2.0833 h)
    assert amounts(lines) == [("fee_hourly", Decimal("93.75"))]
    assert lines[0].quantity == Decimal("2.0833")
    assert lines[0].basis == {"minutes": 125, "hourly_rate": Decimal("45.00")}
    third = fees.fee_lines(job("hourly", "50"), [], 20, rate)
    assert third[0].amount == Decimal("16.67")  # 16.666... half-up


def test_percent_of_committed_goods_in_job_currency() -> None:
    lines = fees.fee_lines(job("percent", "10"), ITEMS, 0, rate)
    # approved 40.00 + ordered 2 x 25 USD at 0.92 = 46.00 + delivered 10.00 = 96.00
    assert lines[0].basis["goods"] == Decimal("96.00")
    assert amounts(lines) == [("fee_percent", Decimal("9.60"))]
    converted = [row for row in lines[0].basis["items"] if row["currency"] == "USD"][0]
    assert converted["amount"] == Decimal("46.00") and converted["rate"] == "0.92"


def test_percent_needs_a_rate_for_foreign_goods() -> None:
    with pytest.raises(MissingRate, match="shop rate set GBP EUR"):
        fees.fee_lines(job("percent", "10"), [item(1, "5", "approved", currency="GBP")], 0, rate)


def test_percent_in_a_currency_without_minor_units() -> None:
    work = job("percent", "12.5", currency="JPY")
    lines = fees.fee_lines(work, [item(1, "1999", "approved", currency="JPY")], 0, rate)
    assert lines[0].amount == Decimal("250")  # 249.875 half-up to the yen


@pytest.mark.parametrize(
    ("kind", "amount", "minutes", "computed"),
    [
        ("flat", "20", 0, "20.00"),
        ("per-item", "5", 0, "10.00"),
        ("hourly", "30", 30, "15.00"),
        ("percent", "10", 0, "9.60"),
    ],
)
def test_minimum_fee_tops_up_every_kind(
    kind: str, amount: str, minutes: int, computed: str
) -> None:
    lines = fees.fee_lines(job(kind, amount, min_fee="35"), ITEMS, minutes, rate)
    assert lines[-1].kind == "fee_minimum"
    assert lines[-1].basis == {"minimum": Decimal("35.00"), "computed": Decimal(computed)}
    assert fees.fee_total(lines) == Decimal("35.00")


def test_minimum_fee_is_not_added_when_the_fee_is_higher() -> None:
    lines = fees.fee_lines(job("flat", "50", min_fee="35"), ITEMS, 0, rate)
    assert amounts(lines) == [("fee_flat", Decimal("50.00"))]


def test_minimum_alone_without_fee_terms() -> None:
    lines = fees.fee_lines(job(None, min_fee="25"), ITEMS, 0, rate)
    assert amounts(lines) == [("fee_minimum", Decimal("25.00"))]


def test_fixed_deposit() -> None:
    line = fees.deposit_line(job("flat", "200", deposit="60"), ITEMS, 0, rate)
    assert (line.kind, line.amount, line.basis) == (
        "deposit",
        Decimal("60.00"),
        {"amount": Decimal("60.00")},
    )


def test_percent_deposit_of_the_estimated_fee() -> None:
    line = fees.deposit_line(job("flat", "200", deposit="30%"), ITEMS, 0, rate)
    assert line.amount == Decimal("60.00")
    assert line.basis == {"percent": Decimal("30"), "estimated_fee": Decimal("200.00")}


def test_percent_deposit_estimates_from_the_budget_before_approval() -> None:
    work = job("percent", "10", deposit="50%", budget="400")
    line = fees.deposit_line(work, [item(1, "20", "candidate")], 0, rate)
    assert line.basis["estimated_fee"] == Decimal("40.00")
    assert line.amount == Decimal("20.00")


def test_percent_deposit_of_per_item_counts_approved_items() -> None:
    line = fees.deposit_line(job("per-item", "10", deposit="50%"), ITEMS, 0, rate)
    assert line.basis["estimated_fee"] == Decimal("30.00")  # approved, ordered, delivered


def test_percent_deposit_respects_the_minimum() -> None:
    work = job("percent", "10", deposit="20%", min_fee="50")
    line = fees.deposit_line(work, [], 0, rate)
    assert line.basis["estimated_fee"] == Decimal("50.00")
    assert line.amount == Decimal("10.00")


def test_deposit_refused_without_terms_or_base() -> None:
    with pytest.raises(InvalidInput, match="--deposit 30%"):
        fees.deposit_line(job("flat", "10"), [], 0, rate)
    with pytest.raises(InvalidInput, match="comes to nothing"):
        fees.deposit_line(job("hourly", "40", deposit="30%"), [], 0, rate)


def test_half_even_rounding_from_the_profile() -> None:
    work = job("percent", "10")
    goods = [item(1, "0.25", "approved")]
    assert fees.fee_lines(work, goods, 0, rate)[0].amount == Decimal("0.03")
    assert fees.fee_lines(work, goods, 0, rate, rounding="half-even")[0].amount == Decimal("0.02")


@given(
    kind=st.sampled_from(["flat", "per-item", "hourly", "percent"]),
    amount=st.decimals(min_value=0, max_value=1000, places=2),
    minimum=st.one_of(st.none(), st.decimals(min_value=0, max_value=500, places=2)),
    minutes=st.integers(min_value=0, max_value=5000),
    prices=st.lists(st.decimals(min_value=0, max_value=5000, places=2), max_size=6),
)
def test_fee_is_never_below_the_minimum_and_lines_are_rounded(
    kind, amount, minimum, minutes, prices
) -> None:
    if kind == "percent":
        amount = min(amount, Decimal(100))
    work = job(kind, str(amount), **({"min_fee": str(minimum)} if minimum is not None else {}))
    goods = [
        item(n, str(p), "delivered", currency="USD" if n % 2 else "EUR")
        for n, p in enumerate(prices)
    ]
    lines = fees.fee_lines(work, goods, minutes, rate)
    for line in lines:
        assert line.amount == line.amount.quantize(Decimal("0.01"))
        assert line.amount >= 0
    if minimum is not None:
        assert fees.fee_total(lines) >= minimum


def test_fee_and_deposit_parsers_still_refuse_nonsense() -> None:
    with pytest.raises(InvalidInput):
        terms.parse_fee("weekly:5")
    with pytest.raises(InvalidInput):
        terms.parse_deposit("150%")
