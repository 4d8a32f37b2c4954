"""Invoice arithmetic, numbering, payment codes and the frozen table, below the CLI."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopcli.billing import documents, drafts, numbering, payment_codes
from shopcli.billing.fees import Line
from shopcli.core import dates
from shopcli.core.errors import InvalidInput
from shopcli.core.money import minor_units, round_money

# -- totals: lines, VAT and totals always add up --------------------------------------------

CURRENCIES = st.sampled_from(["EUR", "JPY", "PLN", "HUF", "KWD"])
RATES = st.sampled_from(
    [None, Decimal("0"), Decimal("5.5"), Decimal("24"), Decimal("25.5"), Decimal("27")]
)


@st.composite
def invoice_lines(draw):
    code = draw(CURRENCIES)
    rounding = draw(st.sampled_from(["half-up", "half-even"]))
    lines = []
    for _ in range(draw(st.integers(min_value=0, max_value=12))):
        unit = draw(st.decimals(min_value=-5000, max_value=5000, places=4))
        qty = draw(st.integers(min_value=1, max_value=20))
        unit = round_money(unit, code, rounding)
        kind = draw(st.sampled_from(["fee_flat", "goods", "shipping", "deposit_deduction"]))
        lines.append(Line(kind, "x", Decimal(qty), unit, unit * qty, draw(RATES)))
    return code, rounding, lines


@given(invoice_lines())
def test_lines_tax_and_totals_add_up(case) -> None:
    code, rounding, lines = case
    result = drafts.totals(lines, code, rounding)
    quantum = Decimal(1).scaleb(-minor_units(code))
    assert result["net"] == sum((line.amount for line in lines), Decimal(0))
    assert result["tax"] == sum((row["tax"] for row in result["taxes"]), Decimal(0))
    assert result["total"] == result["net"] + result["tax"]
    taxed = [line for line in lines if line.vat is not None]
    assert sum((row["base"] for row in result["taxes"]), Decimal(0)) == sum(
        (line.amount for line in taxed), Decimal(0)
    )
    for row in result["taxes"]:
        assert row["tax"] == row["tax"].quantize(quantum)
        assert abs(row["tax"] - row["base"] * row["rate"] / 100) <= quantum / 2
    for value in (result["net"], result["tax"], result["total"]):
        assert value == value.quantize(quantum)


def test_tax_is_per_rate_on_line_totals_not_per_line() -> None:
    # Three lines of 0.10 at 25.5 %: per line 0.03 each (0.09), on the total 0.08.
    lines = [
        Line("fee_flat", "x", Decimal(1), Decimal("0.10"), Decimal("0.10"), Decimal("25.5"))
        for _ in range(3)
    ]
    result = drafts.totals(lines, "EUR")
    assert result["taxes"] == [
        {"rate": Decimal("25.5"), "base": Decimal("0.30"), "tax": Decimal("0.08")}
    ]


def test_half_up_unless_told_otherwise() -> None:
    line = [Line("fee_flat", "x", Decimal(1), Decimal("0.50"), Decimal("0.50"), Decimal("25"))]
    assert drafts.totals(line, "EUR")["tax"] == Decimal("0.13")
    assert drafts.totals(line, "EUR", "half-even")["tax"] == Decimal("0.12")


def test_yen_has_no_minor_units() -> None:
    line = [Line("fee_flat", "x", Decimal(1), Decimal("1001"), Decimal("1001"), Decimal("10"))]
    result = drafts.totals(line, "JPY")
    assert result["tax"] == Decimal("100") and result["total"] == Decimal("1101")


# -- numbering --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "day", "seq", "number", "series"),
    [
        ("{year}-{seq:04d}", "2026-03-05", 7, "2026-0007", "2026"),
        ("INV{year}{month:02d}-{seq:03d}", "2026-03-05", 12, "INV202603-012", "2026-03"),
        ("{seq}", "2027-01-01", 41, "41", "all"),
    ],
)
def test_number_formats_and_series(fmt: str, day: str, seq: int, number: str, series: str) -> None:
    assert numbering.format_number(fmt, day, seq) == number
    assert numbering.series_key(fmt, day) == series


# -- payment codes -------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["2026-0001", "INV202603-012", "41", "2026/ab-9"])
def test_rf_reference_is_valid_iso_11649(number: str) -> None:
    from stdnum import iso11649

    reference = payment_codes.rf_reference(number)
    assert iso11649.is_valid(reference)
    assert reference.startswith("RF")
    assert reference.endswith("".join(ch for ch in number.upper() if ch.isalnum()))


def test_rf_reference_of_a_long_number_keeps_its_end() -> None:
    reference = payment_codes.rf_reference("SAARI-SHOPPING-2026-000000001234")
    assert len(reference) == 25 and reference.endswith("1234")


def test_iban_is_validated() -> None:
    assert payment_codes.iban("fi21 1234 5600 0007 85") == "FI2112345600000785"
    with pytest.raises(InvalidInput, match="IBAN"):
        payment_codes.iban("FI21 1234 5600 0007 86")


def test_epc_payload_fields() -> None:
    payload = payment_codes.epc_payload(
        name="Saari Shopping",
        iban="FI2112345600000785",
        amount=Decimal("158.50"),
        reference="RF3120260001",
        bic="NDEAFIHH",
    )
    assert payload.split("\n") == [
        "BCD",
        "002",
        "2",
        "SCT",
        "NDEAFIHH",
        "Saari Shopping",
        "FI2112345600000785",
        "EUR158.5",
        "",
        "RF3120260001",
    ]


@pytest.mark.parametrize(
    ("name", "amount", "bic", "charset"),
    [
        ("Helmi Saari", "12", None, "2"),  # ISO 8859-1
        ("Łucja Żak", "0.01", "NDEAFIHH", "3"),  # ISO 8859-2
        ("Ярослава", "999.99", None, "5"),  # ISO 8859-5
        ("王芳代购", "158.50", None, "1"),  # UTF-8
    ],
)
def test_epc_qr_code_is_the_one_segno_makes(name: str, amount: str, bic, charset: str) -> None:
    # Cross-check with segno's public EPC helper: the same payload gives the same modules.
    # segno is a dependency, so this never skips.
    import segno.helpers

    ours = payment_codes.epc_payload(
        name=name,
        iban="FI2112345600000785",
        amount=Decimal(amount),
        reference="RF3120260001",
        bic=bic,
    )
    assert ours.split("\n")[2] == charset
    qr = payment_codes.epc_qr(ours)
    theirs = segno.helpers.make_epc_qr(
        name=name,
        iban="FI2112345600000785",
        amount=Decimal(amount),
        reference="RF3120260001",
        bic=bic,
    )
    assert (qr.version, qr.error) == (theirs.version, "M")
    assert qr.matrix == theirs.matrix
    # ... and differs as soon as the payload does.
    other = payment_codes.epc_payload(
        name=name, iban="FI2112345600000785", amount=Decimal("1.23"), reference="RF3120260001"
    )
    assert payment_codes.epc_qr(other).matrix != theirs.matrix


def test_invoice_qr_code_holds_its_payment_details() -> None:
    import segno.helpers

    document = {
        "currency": "EUR",
        "kind": "invoice",
        "total": "125.50",
        "seller": {"name": "Helmi Saari", "business_name": "Saari Shopping"},
        "payment": {
            "iban": "FI21 1234 5600 0007 85",
            "bic": "NDEAFIHH",
            "reference": "RF3120260001",
        },
    }
    expected = segno.helpers.make_epc_qr(
        name="Saari Shopping",
        iban="FI2112345600000785",
        amount=Decimal("125.50"),
        reference="RF3120260001",
        bic="NDEAFIHH",
    ).svg_data_uri(scale=3, border=2)
    assert documents.qr_for(document) == expected


def test_epc_payload_refuses_what_the_standard_does_not_allow() -> None:
    with pytest.raises(InvalidInput):
        payment_codes.epc_payload(
            name="x", iban="FI2112345600000785", amount=Decimal("0"), reference="RF3120260001"
        )
    with pytest.raises(InvalidInput):
        payment_codes.epc_payload(
            name="", iban="FI2112345600000785", amount=Decimal("1"), reference="RF3120260001"
        )


def test_qr_code_only_for_payable_eur_documents_with_an_iban() -> None:
    document = {
        "currency": "EUR",
        "kind": "invoice",
        "total": "10.00",
        "seller": {"name": "Helmi Saari", "business_name": None},
        "payment": {"iban": "FI21 1234 5600 0007 85", "bic": None, "reference": "RF3120260001"},
    }
    uri = documents.qr_for(document)
    assert uri and uri.startswith("data:image/svg+xml")
    assert documents.epc_payload_for(document).split("\n")[7] == "EUR10"
    assert documents.qr_for({**document, "currency": "SEK"}) is None
    assert documents.qr_for({**document, "kind": "credit_note"}) is None
    assert documents.qr_for({**document, "payment": {**document["payment"], "iban": None}}) is None


# -- dates -------------------------------------------------------------------------------


def test_today_can_be_fixed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_TODAY", "2026-02-03")
    assert dates.today() == "2026-02-03"
    assert dates.today("2026-04-05") == "2026-04-05"
    monkeypatch.setenv("SHOP_TODAY", "tomorrow")
    with pytest.raises(InvalidInput):
        dates.today()


# -- the database refuses to change an issued invoice ----------------------------------------


def test_triggers_refuse_update_and_delete(shop, store) -> None:
    from billing_helpers import ready

    ready(shop)
    shop("invoice", "Midsummer", "--issue", "--today", "2026-06-20")
    raw = sqlite3.connect(store.path)
    try:
        for sql in (
            "UPDATE invoices SET total = '1'",
            "DELETE FROM invoices",
            "UPDATE invoices SET document = '{}' WHERE number = '2026-0001'",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="issued invoice"):
                raw.execute(sql)
        assert raw.execute("SELECT total FROM invoices").fetchone()[0] == "125.5"
    finally:
        raw.close()


@pytest.mark.parametrize("bad", ["{seq.__class__}", "{seq[0]}", "{year}-{seq!r}", "{{year}}"])
def test_number_formats_are_checked_wherever_they_come_from(bad: str) -> None:
    from shopcli.billing.numbering import format_number, series_key
    from shopcli.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="invoice_number_format"):
        format_number(bad, "2026-05-01", 7)
    if bad == "{{year}}":
        with pytest.raises(InvalidInput):
            series_key(bad, "2026-05-01")
    assert format_number("INV/{year}/{month:02d}/{seq:03d}", "2026-05-01", 7) == "INV/2026/05/007"
    assert series_key("INV/{year}/{month:02d}/{seq:03d}", "2026-05-01") == "2026-05"
