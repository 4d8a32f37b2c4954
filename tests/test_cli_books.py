"""`shop books`: the accountant's books of a period, checked against figures computed by hand,
and the journal checked by the real hledger."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from billing_helpers import buyer, item, job, ready


@pytest.fixture
def quarter(shop) -> None:
    """Q4 2026, by hand (VAT 25.5 % unless said, half-up to the cent):

    2026-0001 10-05 Oskar Lund EUR: fee 100.00 (VAT 25.50), scarf bought by the shopper 49.90
              and DHL 12.40 re-billed outside VAT: net 162.30, gross 187.80.
              Paid 100.00 on 10-20: 87.80 open.
    2026-0002 11-02 Greta Berg GBP: fee 80.00 (VAT 20.40), gross 100.40; paid in full 11-10.
    2026-0003 11-15 Oskar Lund EUR: fee 40.00 (VAT 10.20), gross 50.20; 20.00 paid 11-18,
              then cancelled by credit note 2026-0004 on 11-20 (-50.20): the 20.00 becomes
              the client's credit.
    2026-0005 12-01 Oskar Lund EUR at VAT 14 %: fee 60.00 (VAT 8.40), gross 68.40, unpaid.
    """
    ready(shop, fee="flat:100")
    item(shop, "Wool scarf", "49.90", paid_by="shopper", status="delivered")
    shop("cost", "add", "Midsummer", "shipping", "12.40", "--note", "DHL")
    shop("invoice", "Midsummer", "--issue", "--today", "2026-10-05")
    shop("pay", "2026-0001", "100", "--date", "2026-10-20", "--today", "2026-10-20")
    buyer(shop, "Greta Berg", currency="GBP")
    job(shop, "London", "Greta Berg", fee="flat:80", currency="GBP")
    shop("invoice", "London", "--issue", "--today", "2026-11-02")
    shop("pay", "2026-0002", "100.40", "--date", "2026-11-10", "--today", "2026-11-10")
    job(shop, "Name day", fee="flat:40")
    shop("invoice", "Name day", "--issue", "--today", "2026-11-15")
    shop("pay", "2026-0003", "20", "--date", "2026-11-18", "--today", "2026-11-18")
    shop("invoice", "void", "2026-0003", "--reason", "fee waived", "--today", "2026-11-20")
    shop("profile", "set", "vat_rate", "14")
    job(shop, "Winter", fee="flat:60")
    shop("invoice", "Winter", "--issue", "--today", "2026-12-01")


def books(shop, *args: str) -> dict:
    return json.loads(shop("books", *args, "--format", "json").stdout)


def test_json_on_the_screen_and_as_a_document_are_the_same_books(shop, quarter, tmp_path) -> None:
    """`--json` is the screen's JSON, as for every list and show command; `--format json`
    writes the same books as a document (to -o FILE or standard output)."""
    shown = shop.json("books", "--quarter", "2026-Q4")
    assert shown["period"]["label"] == "2026-Q4" and len(shown["documents"]) == 5
    assert books(shop, "--quarter", "2026-Q4") == shown
    target = tmp_path / "books.json"
    shop("books", "--quarter", "2026-Q4", "--format", "json", "-o", str(target))
    assert json.loads(target.read_text(encoding="utf-8")) == shown
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    both = shop.fails("books", "--quarter", "2026-Q4", "--json", "--format", "csv", code=2)
    assert "--json prints the books on the screen; --format csv writes a document" in both.stderr
    to_file = shop.fails("books", "--year", "2026", "--json", "-o", str(tmp_path / "x"), code=2)
    assert "the text format is for the screen" in to_file.stderr
    assert not (tmp_path / "x").exists()


def test_documents_payments_and_vat_per_rate_agree_with_hand_figures(shop, quarter) -> None:
    data = books(shop, "--quarter", "2026-Q4")
    assert data["period"] == {"from": "2026-10-01", "to": "2026-12-31", "label": "2026-Q4"}
    documents = {d["number"]: d for d in data["documents"]}
    assert list(documents) == ["2026-0001", "2026-0002", "2026-0003", "2026-0004", "2026-0005"]
    first = documents["2026-0001"]
    assert first["by_vat_rate"] == [{"rate": "25.5", "net": "100.00", "vat": "25.50"}]
    assert (first["outside"], first["exempt"], first["net"], first["vat"], first["gross"]) == (
        "62.30",
        "0.00",
        "162.30",
        "25.50",
        "187.80",
    )
    assert (first["paid"], first["open"], first["state"]) == ("100.00", "87.80", "partly paid")
    gbp = documents["2026-0002"]
    assert (gbp["currency"], gbp["net"], gbp["vat"], gbp["gross"], gbp["open"]) == (
        "GBP",
        "80.00",
        "20.40",
        "100.40",
        "0.00",
    )
    assert (documents["2026-0003"]["state"], documents["2026-0003"]["open"]) == ("void", "0.00")
    credit = documents["2026-0004"]
    assert (credit["kind"], credit["refers_to"], credit["gross"]) == (
        "credit_note",
        "2026-0003",
        "-50.20",
    )
    assert credit["by_vat_rate"] == [{"rate": "25.5", "net": "-40.00", "vat": "-10.20"}]
    assert documents["2026-0005"]["by_vat_rate"] == [{"rate": "14", "net": "60.00", "vat": "8.40"}]

    assert [
        (p["paid_on"], p["invoice"], p["received"], p["currency"]) for p in data["payments"]
    ] == [
        ("2026-10-20", "2026-0001", "100.00", "EUR"),
        ("2026-11-10", "2026-0002", "100.40", "GBP"),
        ("2026-11-18", "2026-0003", "20.00", "EUR"),
    ]
    rebilled = [(r["number"], r["kind"], r["description"], r["amount"]) for r in data["rebilled"]]
    assert rebilled == [
        ("2026-0001", "goods", "Wool scarf", "49.90"),
        ("2026-0001", "job_shipping", "DHL", "12.40"),
    ]
    summary = data["summary"]
    assert summary["by_vat_rate"] == [
        {"currency": "EUR", "vat_rate": "14", "net": "60.00", "vat": "8.40", "gross": "68.40"},
        {"currency": "EUR", "vat_rate": "25.5", "net": "100.00", "vat": "25.50", "gross": "125.50"},
        {"currency": "EUR", "vat_rate": "outside", "net": "62.30", "vat": "0.00", "gross": "62.30"},
        {"currency": "GBP", "vat_rate": "25.5", "net": "80.00", "vat": "20.40", "gross": "100.40"},
    ]
    eur, gbp_total = summary["by_currency"]
    # Currencies stay apart: nothing is converted.
    assert (eur["currency"], eur["documents"], eur["net"], eur["vat"], eur["gross"]) == (
        "EUR",
        4,
        "222.30",
        "33.90",
        "256.20",
    )
    assert (eur["open"], eur["received"]) == ("156.20", "120.00")
    assert (gbp_total["gross"], gbp_total["received"], gbp_total["open"]) == (
        "100.40",
        "100.40",
        "0.00",
    )


def test_every_document_adds_up_to_its_issued_total(shop, store, quarter) -> None:
    data = books(shop, "--year", "2026")
    issued = {row["number"]: Decimal(row["total"]) for row in store.rows("invoices")}
    for d in data["documents"]:
        parts = sum(Decimal(r["net"]) + Decimal(r["vat"]) for r in d["by_vat_rate"])
        parts += Decimal(d["outside"]) + Decimal(d["exempt"])
        assert parts == Decimal(d["gross"]) == issued[d["number"]], d["number"]


def test_a_month_holds_only_what_happened_in_it(shop, quarter) -> None:
    data = books(shop, "--month", "2026-11")
    assert [d["number"] for d in data["documents"]] == ["2026-0002", "2026-0003", "2026-0004"]
    assert [p["invoice"] for p in data["payments"]] == ["2026-0002", "2026-0003"]
    assert data["paid_and_open_as_of"] == "2026-11-30"
    same = books(shop, "--from", "2026-11-01", "--to", "2026-11-30")
    assert same["documents"] == data["documents"] and same["payments"] == data["payments"]
    # Paid and open as of the period's end: 2026-0001 had 100.00 of 187.80 by 31 October.
    october = books(shop, "--month", "2026-10")
    assert (october["documents"][0]["paid"], october["documents"][0]["open"]) == ("100.00", "87.80")


def test_exempt_fees_and_outlays_are_kept_apart(shop) -> None:
    ready(shop, fee="flat:100", vat=False)
    item(shop, "Wool scarf", "49.90", paid_by="shopper", status="delivered")
    shop("invoice", "Midsummer", "--issue", "--today", "2026-03-02")
    (document,) = books(shop, "--quarter", "2026-Q1")["documents"]
    assert document["by_vat_rate"] == []
    assert (document["exempt"], document["outside"], document["gross"]) == (
        "100.00",
        "49.90",
        "149.90",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quarter", "2026-Q5"], "is not a quarter like 2026-Q4"),
        (["--month", "2026-13"], "is not a month like 2026-11"),
        (["--from", "2026-02-01"], "give both --from and --to"),
        (["--from", "2026-02-01", "--to", "2026-01-01"], "is before --from"),
        (["--month", "2026-11", "--quarter", "2026-Q4"], "give the period one way"),
        ([], "give the period one way"),
        (["--year", "2026", "--format", "xls"], "unknown format 'xls'"),
    ],
)
def test_a_period_must_be_given_one_clear_way(shop, args, message) -> None:
    shop("init", "--name", "Helmi Saari", "--email", "helmi@example.fi")
    assert message in shop.fails("books", *args, code=2).stderr


def test_csv_is_flat_for_a_spreadsheet_and_neutralizes_formulas(shop, tmp_path: Path) -> None:
    ready(shop, fee="flat:100")
    shop("job", "edit", "Midsummer", "--title", "=HYPERLINK(1)")
    shop("cost", "add", "=HYPERLINK", "other", "5", "--note", "@SUM(A1)")
    shop("cost", "add", "=HYPERLINK", "shipping", "2", "--note", "-2+3")
    shop("invoice", "=HYPERLINK", "--issue", "--today", "2026-05-04")
    shop("invoice", "void", "2026-0001", "--reason", "test", "--today", "2026-05-05")
    target = tmp_path / "books.csv"
    shop("books", "--month", "2026-05", "--format", "csv", "-o", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    documents = [r for r in rows if r["section"] == "document"]
    assert [r["job"] for r in documents] == ["'=HYPERLINK(1)", "'=HYPERLINK(1)"]
    notes = [r["description"] for r in rows if r["section"] == "rebilled"]
    assert notes == ["'@SUM(A1)", "'-2+3", "'@SUM(A1)", "'-2+3"]
    # Amounts are numbers written by shopcli: a credit note's stay negative numbers.
    credit = documents[1]
    assert (credit["gross"], credit["net_vat_25.5"], credit["vat_25.5"]) == (
        "-132.50",
        "-100.00",
        "-25.50",
    )
    assert {r["section"] for r in rows} == {
        "document",
        "rebilled",
        "vat_summary",
        "currency_summary",
    }
    for cell in (c for r in rows for c in r.values() if c):
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
        if cell.startswith("-"):
            Decimal(cell)  # only numbers may start with a minus


HLEDGER = shutil.which("hledger")


@pytest.fixture
def hledger():
    if HLEDGER is None:
        if os.environ.get("CI"):
            pytest.fail("hledger is not installed, and CI must check the journal with it")
        pytest.skip("hledger is not installed (apt-get install hledger): the journal is unchecked")

    def run(*args: str) -> str:
        done = subprocess.run([HLEDGER, *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run


def balances(hledger, journal: Path) -> dict[tuple[str, str], Decimal]:
    text = hledger("-f", str(journal), "balance", "--flat", "-O", "csv", "--layout=bare")
    return {
        (row["account"], row["commodity"]): Decimal(row["balance"])
        for row in csv.DictReader(io.StringIO(text))
        if row["account"] != "total"
    }


def test_the_journal_passes_hledger_and_balances_to_the_cent(
    shop, store, quarter, hledger, tmp_path: Path
) -> None:
    journal = tmp_path / "q4.journal"
    shop("books", "--quarter", "2026-Q4", "--format", "ledger", "-o", str(journal))
    # Every account and currency declared, dates in order, every transaction balanced.
    hledger("-f", str(journal), "check", "--strict", "ordereddates")
    found = balances(hledger, journal)
    assert found == {
        ("assets:bank", "EUR"): Decimal("120.00"),
        ("assets:bank", "GBP"): Decimal("100.40"),
        ("assets:outlays for clients", "EUR"): Decimal("-62.30"),
        # What is open on the invoices (0001 and 0005); Greta paid in full.
        ("assets:receivable:Oskar Lund", "EUR"): Decimal("156.20"),
        ("liabilities:client credit:Oskar Lund", "EUR"): Decimal("-20.00"),
        ("liabilities:vat:14%", "EUR"): Decimal("-8.40"),
        ("liabilities:vat:25.5%", "EUR"): Decimal("-25.50"),
        ("liabilities:vat:25.5%", "GBP"): Decimal("-20.40"),
        ("revenue:fees:vat 14%", "EUR"): Decimal("-60.00"),
        ("revenue:fees:vat 25.5%", "EUR"): Decimal("-100.00"),
        ("revenue:fees:vat 25.5%", "GBP"): Decimal("-80.00"),
    }
    # The same figures as the invoices themselves: what is owed, and the client's credit.
    owed = sum(Decimal(i["balance"]) for i in shop.json("invoice", "list", "--unpaid"))
    assert found[("assets:receivable:Oskar Lund", "EUR")] == owed
    credit = store.scalar("SELECT sum(CAST(amount AS REAL)) FROM client_credits")
    assert -found[("liabilities:client credit:Oskar Lund", "EUR")] == Decimal(str(credit))
    register = hledger("-f", str(journal), "register", "revenue", "-O", "csv")
    assert register.count("2026-0004") == 1  # the credit note reverses its fee once


def test_the_journal_keeps_odd_names_inside_their_accounts(shop, hledger, tmp_path: Path) -> None:
    ready(shop, fee="flat:100")
    shop("client", "add", "Łucja: Nowak  (VIP); 张伟", "--email", "l@example.pl", "--address", "x")
    job(shop, "Gifts; 2026 | big", "Łucja", fee="flat:10")
    shop("invoice", "Gifts", "--issue", "--today", "2026-04-01")
    journal = tmp_path / "odd.journal"
    shop("books", "--year", "2026", "--format", "ledger", "-o", str(journal))
    hledger("-f", str(journal), "check", "--strict", "ordereddates")
    assert balances(hledger, journal)[("assets:receivable:Łucja Nowak VIP 张伟", "EUR")] == (
        Decimal("12.55")
    )


def test_the_text_books_show_each_part(shop, quarter) -> None:
    text = shop("books", "--quarter", "2026-Q4").stdout
    for part in (
        "Books 2026-Q4 (2026-10-01 to 2026-12-31)",
        "Documents issued",
        "Payments received",
        "Costs and goods re-billed (outside VAT)",
        "Per VAT rate",
        "Per currency (never converted)",
        "2026-0004 (of 2026-0003)",
    ):
        assert part in text, part


def test_the_date_of_supply_is_the_day_the_job_was_handed_over(shop) -> None:
    ready(shop, fee="flat:100")
    item(shop, "Wool scarf", "49.90", paid_by="shopper", status="shipped")
    shop("item", "receive", "Wool scarf", "--ok")
    shop("handover", "Midsummer", "--method", "pickup", "--date", "2026-09-28")
    shop("invoice", "Midsummer", "--issue", "--today", "2026-10-02")
    shop("job", "add", "Oskar Lund", "Not handed over", "--fee", "flat:10")
    shop("invoice", "Not handed over", "--issue", "--today", "2026-10-03")
    data = books(shop, "--month", "2026-10")
    assert [(d["number"], d["issued"], d["supplied"]) for d in data["documents"]] == [
        ("2026-0001", "2026-10-02", "2026-09-28"),
        ("2026-0002", "2026-10-03", None),
    ]
    rows = list(
        csv.DictReader(io.StringIO(shop("books", "--month", "2026-10", "--format", "csv").stdout))
    )
    assert [r["supplied"] for r in rows if r["section"] == "document"] == ["2026-09-28", ""]
