"""`shop report`: income at a glance, in the profile's currency through the stored rates,
checked against figures computed by hand, and the HTML chart as Chromium draws it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from billing_helpers import buyer, item, job, ready
from expect import money, screen
from test_proposal_html_browser import Page, chromium  # noqa: F401 (the browser fixture)


@pytest.fixture
def year(shop) -> None:
    """2026 in EUR, with 1 GBP = 1.15 EUR stored and no rate for USD:

    2026-0001 03-10 Oskar EUR: fee 100.00 + VAT 25.50 + scarf 49.90 = 175.40; paid 04-02.
    2026-0002 03-20 Greta GBP: fee 80.00 + VAT 20.40 = 100.40 GBP = 115.46 EUR (fee 92.00);
              50.00 GBP = 57.50 EUR paid 05-05, 50.40 GBP = 57.96 EUR open (due 04-03).
    2026-0003 05-10 Sam USD: 251.00 USD, no rate: named, not counted.
    2026-0004 06-01 Oskar EUR: fee 40.00 + VAT 10.20 = 50.20, open (due 06-15).

    Invoiced: March 290.86 (fees 192.00), June 50.20 (fees 40.00); received April 175.40,
    May 57.50. As of 07-01: open and overdue 108.16 on 2 invoices. Fees per job 100.00, 92.00
    and 40.00: 77.33 on average.
    """
    ready(shop, fee="flat:100")
    shop("rate", "set", "GBP", "EUR", "1.15")
    item(shop, "Wool scarf", "49.90", paid_by="shopper", status="delivered")
    shop("invoice", "Midsummer", "--issue", "--today", "2026-03-10")
    buyer(shop, "Greta Berg", currency="GBP")
    job(shop, "London", "Greta Berg", fee="flat:80", currency="GBP")
    shop("invoice", "London", "--issue", "--today", "2026-03-20")
    shop("pay", "2026-0001", "175.40", "--date", "2026-04-02", "--today", "2026-04-02")
    shop("pay", "2026-0002", "50", "--date", "2026-05-05", "--today", "2026-05-05")
    buyer(shop, "Sam Hill", currency="USD")
    job(shop, "Boston", "Sam Hill", fee="flat:200", currency="USD")
    shop("invoice", "Boston", "--issue", "--today", "2026-05-10")
    job(shop, "Name day", fee="flat:40")
    shop("invoice", "Name day", "--issue", "--today", "2026-06-01")


def report(shop) -> dict:
    return shop.json("report", "--year", "2026", "--today", "2026-07-01")


def test_the_year_in_the_profile_currency_agrees_with_hand_figures(shop, year) -> None:
    data = report(shop)
    months = {m["month"]: (m["invoiced"], m["fees"], m["received"]) for m in data["months"]}
    assert len(months) == 12
    assert months["2026-03"] == ("290.86", "192.00", "0.00")
    assert months["2026-04"] == ("0.00", "0.00", "175.40")
    assert months["2026-05"] == ("0.00", "0.00", "57.50")
    assert months["2026-06"] == ("50.20", "40.00", "0.00")
    assert months["2026-01"] == ("0.00", "0.00", "0.00")
    assert data["totals"] == {"invoiced": "341.06", "fees": "232.00", "received": "232.90"}
    assert (data["open"], data["open_invoices"]) == ("108.16", 2)
    assert (data["overdue"], data["overdue_invoices"]) == ("108.16", 2)
    assert [
        (c["client"], c["fees"], c["invoiced"], c["documents"], c["jobs"])
        for c in data["biggest_clients"]
    ] == [
        ("Oskar Lund", "140.00", "225.60", 2, 2),
        ("Greta Berg", "92.00", "115.46", 1, 1),
    ]
    assert (data["average_fee_per_job"], data["jobs_billed"]) == ("77.33", 3)
    assert data["rates_used"] == {"GBP": "1.15"}
    # Amounts without a rate are named, not guessed.
    assert [(m["what"], m["amount"], m["currency"]) for m in data["not_converted"]] == [
        ("invoice 2026-0003", "251.00", "USD"),
        ("open on 2026-0003", "251.00", "USD"),
    ]
    assert data["not_converted"][0]["fix"] == "shop rate set USD EUR RATE"


def test_a_credit_note_counts_against_its_month(shop, year) -> None:
    shop("invoice", "void", "2026-0004", "--reason", "waived", "--today", "2026-07-02")
    data = shop.json("report", "--year", "2026", "--today", "2026-07-03")
    july = data["months"][6]
    assert (july["invoiced"], july["fees"]) == ("-50.20", "-40.00")
    assert data["totals"]["fees"] == "192.00"
    assert (data["open"], data["open_invoices"]) == ("57.96", 1)
    # Name day's fee nets to zero: two jobs billed a fee.
    assert (data["average_fee_per_job"], data["jobs_billed"]) == ("96.00", 2)
    # One open invoice is "1 invoice", in the text and in the page.
    assert (
        f"Open:     {screen('57.96')} on 1 invoice\n"
        in shop("report", "--year", "2026", "--today", "2026-07-03").stdout
    )
    page = shop("report", "--year", "2026", "--today", "2026-07-03", "--format", "html").stdout
    assert f"{money('57.96')} (1 invoice)" in page
    assert "(2 jobs)" in page and "1 invoices" not in page


def test_the_text_report_has_a_table_a_chart_and_the_gaps(shop, year) -> None:
    result = shop("report", "--year", "2026", "--today", "2026-07-01")
    text = result.stdout
    assert "Income 2026 in EUR (open and overdue as of 2026-07-01)" in text
    lines = text.splitlines()
    # The chart: the biggest month fills 40 marks, the others in proportion.
    march = next(i for i, line in enumerate(lines) if line.startswith("Mar "))
    assert lines[march] == "Mar " + "█" * 40 + f" {screen('290.86')}"
    june = next(line for line in lines if line.startswith("Jun "))
    assert june == "Jun " + "█" * round(40 * 50.20 / 290.86) + f" {screen('50.20')}"
    assert lines[march + 3].startswith(
        "    " + "░" * round(40 * 175.40 / 290.86) + f" {screen('175.40')}"
    )
    assert f"Open:     {screen('108.16')} on 2 invoices" in text
    assert f"Average fee per job: {screen('77.33')} (3 jobs)" in text
    assert (
        f"Not counted: invoice 2026-0003, {screen('251.00', 'USD')}: no rate to EUR"
        in result.stderr
    )


def test_money_reads_as_money_in_the_text_and_the_page(shop) -> None:
    """Thousands grouped and the currency named in every figure the shopper reads: the
    tables, the chart, open, overdue and the average (the JSON keeps plain amounts)."""
    ready(shop, fee="flat:1200")  # 1,200.00 + 25.5 % VAT = 1,506.00
    shop("invoice", "Midsummer", "--issue", "--today", "2026-03-10")
    shop("pay", "2026-0001", "1000", "--date", "2026-04-02", "--today", "2026-04-02")
    args = ("report", "--year", "2026", "--today", "2026-07-01")
    data = shop.json(*args)
    assert (data["totals"]["invoiced"], data["open"]) == ("1506.00", "506.00")
    text = shop(*args).stdout
    lines = text.splitlines()
    march = next(line for line in lines if line.startswith("2026-03"))
    assert re.split(r"\s{2,}", march.strip()) == [
        "2026-03",
        screen("1506.00"),
        screen("1200.00"),
        screen("0.00"),
    ]
    assert next(line for line in lines if line.startswith("Mar ")).endswith(screen("1506.00"))
    assert f"Open:     {screen('506.00')} on 1 invoice" in lines
    assert f"Overdue:  {screen('506.00')} on 1 invoice" in lines
    assert f"Average fee per job: {screen('1200.00')} (1 job)" in lines
    oskar = next(line for line in lines if "Oskar Lund" in line)
    assert screen("1200.00") in oskar and screen("1506.00") in oskar
    assert not re.search(r"(?<![\d,.])1506\.00\b", text), text  # no bare amount anywhere
    page = shop(*args, "--format", "html").stdout
    for figure in ("1506.00", "1200.00", "1000.00", "506.00"):
        assert money(figure) in page, figure
    assert not re.search(r">1506\.00<", page)


def test_a_year_with_nothing_yet(shop) -> None:
    shop("init", "--name", "Helmi Saari", "--email", "helmi@example.fi")
    data = shop.json("report", "--year", "2025")
    assert data["totals"] == {"invoiced": "0.00", "fees": "0.00", "received": "0.00"}
    assert data["average_fee_per_job"] is None and data["biggest_clients"] == []
    assert "no fees invoiced" in shop("report", "--year", "2025").stdout
    assert "is not a year" in shop.fails("report", "--year", "26", code=2).stderr


@pytest.mark.slow
def test_chromium_draws_the_bars_in_proportion_and_shows_the_figures(
    shop,
    year,
    tmp_path: Path,
    chromium,  # noqa: F811
) -> None:
    page_file = tmp_path / "report.html"
    shop(
        "report",
        "--year",
        "2026",
        "--today",
        "2026-07-01",
        "--format",
        "html",
        "-o",
        str(page_file),
    )
    html = page_file.read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "<svg" in html
    page = Page(chromium(page_file, "--dump-dom"))
    text = page.visible
    for figure in ("341.06", "232.00", "232.90", "108.16", "77.33", "Oskar Lund", "Greta Berg"):
        assert figure in text, figure
    assert f"invoice 2026-0003: {money('251.00', 'USD')}" in text
    # Measure what the browser drew: each bar's height against its value.
    probe = tmp_path / "probe.html"
    probe.write_text(
        "<!DOCTYPE html><html><body style='margin:0'>"
        "<iframe id=f width=900 height=1400 style='border:0'></iframe><p id=probe></p>"
        "<script>const f = document.getElementById('f'); f.onload = () => {"
        "const bars = [...f.contentDocument.querySelectorAll('rect.bar')].map(r => "
        "[r.dataset.month, r.classList[1], r.dataset.value, r.getBoundingClientRect().height]);"
        "document.getElementById('probe').textContent = JSON.stringify(bars); };"
        f"f.srcdoc = {json.dumps(html)};</script></body></html>",
        encoding="utf-8",
    )
    dom = chromium(probe, "--virtual-time-budget=5000", "--dump-dom")
    bars = json.loads(Page(dom).visible.split()[-1])
    assert len(bars) == 24
    drawn = {(month, kind): (float(value), height) for month, kind, value, height in bars}
    tallest = drawn[("2026-03", "invoiced")]
    assert tallest[1] > 100  # drawn at a readable size
    for (month, kind), (value, height) in drawn.items():
        assert height == pytest.approx(value / tallest[0] * tallest[1], abs=1.0), (month, kind)
    assert drawn[("2026-04", "received")][1] > drawn[("2026-05", "received")][1] > 0
    assert drawn[("2026-01", "invoiced")][1] == 0
