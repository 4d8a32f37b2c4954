"""The books' figures and parsers as properties: any document's parts add up to its totals,
periods parse one way only, spreadsheet cells never start a formula, fees parse whole."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopcli.billing import books
from shopcli.billing.drafts import jsonable, totals
from shopcli.billing.fees import Line
from shopcli.core.csv_cells import spreadsheet_safe
from shopcli.core.errors import InvalidInput
from shopcli.people.profile import reminder_fees

KINDS = ("fee_flat", "fee_hourly", "goods", "shipping", "job_cost", "deposit_deduction")
amounts = st.decimals(min_value=Decimal("-9999.99"), max_value=Decimal("99999.99"), places=2)
rates = st.sampled_from([None, Decimal("0"), Decimal("10"), Decimal("14"), Decimal("25.5")])


@st.composite
def documents(draw) -> dict:
    lines = []
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        kind = draw(st.sampled_from(KINDS))
        amount = draw(amounts)
        vat = None if kind in ("goods", "shipping", "job_cost") else draw(rates)
        lines.append(Line(kind, "x", Decimal(1), amount, amount, vat, {}))
    currency = draw(st.sampled_from(["EUR", "PLN", "HUF"]))
    figures = totals(lines, currency)
    return jsonable(
        {
            "number": "T-1",
            "lines": [
                {"kind": line.kind, "amount": line.amount, "vat": line.vat} for line in lines
            ],
            **figures,
        }
    )


@settings(max_examples=200, deadline=None)
@given(documents())
def test_a_documents_vat_rates_exempt_and_outside_parts_add_up_to_its_totals(document) -> None:
    parts = books.figures(document)
    net = sum((r["net"] for r in parts["rates"].values()), Decimal(0))
    vat = sum((r["vat"] for r in parts["rates"].values()), Decimal(0))
    assert net + parts["exempt"] + parts["outside"] == Decimal(document["net"])
    assert vat == Decimal(document["tax"])
    assert parts["gross"] == Decimal(document["total"]) == Decimal(document["net"]) + vat
    # Only VAT-free lines count as exempt or outside; disbursements never carry VAT.
    assert parts["outside"] == sum(
        (
            Decimal(line["amount"])
            for line in document["lines"]
            if line["kind"] in books.DISBURSEMENTS
        ),
        Decimal(0),
    )


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.from_regex(r"-[0-9]+(\.[0-9]+)?", fullmatch=True)))
def test_no_text_cell_can_start_a_formula(text: str) -> None:
    """The one rule every CSV of shopcli writes its text cells by (the books, the export)."""
    cell = spreadsheet_safe(text)
    assert cell in (text, "'" + text)
    if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
        # Only a plain negative number stays as it is: a spreadsheet reads it as a number.
        assert cell.startswith("-") and Decimal(cell) <= 0 and cell[1:].replace(".", "").isdigit()


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_day_is_in_its_month_and_quarter(day: dt.date) -> None:
    month = books.period(month=f"{day.year}-{day.month:02d}")
    quarter = books.period(quarter=f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    for found in (month, quarter, books.period(year=str(day.year))):
        assert found.start <= day.isoformat() <= found.end
    following = books.period(month=month.end[:7])
    assert following == month
    next_day = dt.date.fromisoformat(month.end) + dt.timedelta(days=1)
    assert next_day.day == 1  # the month ends on its last day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 EUR", {"EUR": "5"}),
        ("5,50 EUR; 1500 HUF", {"EUR": "5.5", "HUF": "1500"}),
        ("eur 5", {"EUR": "5"}),
        ("7.5", {"": "7.5"}),
    ],
)
def test_reminder_fees_parse_whole(text: str, expected: dict) -> None:
    assert reminder_fees(text) == expected


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30))
def test_reminder_fees_are_understood_whole_or_refused(text: str) -> None:
    try:
        fees = reminder_fees(text)
    except InvalidInput:
        return
    assert fees and all(Decimal(amount) > 0 for amount in fees.values())
    # What was understood reads back the same.
    again = "; ".join(f"{amount} {code}".strip() for code, amount in fees.items())
    assert reminder_fees(again) == fees
