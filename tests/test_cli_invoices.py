"""`shop invoice`: drafts, issuing, frozen documents, credit notes, statements, formats."""

from __future__ import annotations

import email
import json
import os
import re
import shutil
import subprocess
from email import policy
from pathlib import Path

import pytest

from billing_helpers import buyer, item, job, ready, seller
from expect import day, eur, money, percent
from shopcli.documents.i18n import translations
from shopcli.work import lifecycle


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_TODAY", "2026-06-20")


def issued(store) -> list[dict]:
    return store.query("SELECT number, kind, total FROM invoices ORDER BY id")


# -- drafts ---------------------------------------------------------------------------------


def test_draft_is_computed_not_stored(shop, store) -> None:
    ready(shop, fee="flat:100")
    text = shop("invoice", "Midsummer 2026").stdout
    assert "DRAFT" in text and "Service fee for Midsummer 2026 (flat fee)" in text
    assert f"Total: {eur('125.50')}" in text
    assert issued(store) == []
    data = shop.json("invoice", "Midsummer")
    assert data["draft"] is True and data["number"] is None and data["missing"] == []
    assert (data["net"], data["tax"], data["total"]) == ("100.00", "25.50", "125.50")


def test_draft_warns_about_what_issuing_needs(shop) -> None:
    shop("init", "--name", "Helmi Saari", "--email", "helmi@example.fi", "--currency", "EUR")
    buyer(shop, address=False)
    job(shop, fee="flat:100")
    result = shop("invoice", "Midsummer")
    assert "DRAFT" in result.stdout
    assert 'shop profile set address "..."' in result.stderr
    assert "shop client edit 1 --address" in result.stderr
    assert "Oskar" not in result.stderr and "Lund" not in result.stderr


# -- issuing --------------------------------------------------------------------------------


def test_issue_numbers_freezes_and_renders_with_article_226_content(shop, store) -> None:
    ready(shop, fee="hourly:48")
    shop("client", "edit", "Oskar Lund", "--vat-id", "SE556036079301")
    shop("time", "log", "Midsummer", "2h30m", "--note", "boutiques")
    result = shop("invoice", "Midsummer", "--issue")
    assert "Issued invoice 2026-0001: 150.60 EUR, due 2026-07-04" in result.stderr
    text = result.stdout
    for expected in (
        "Invoice 2026-0001",
        f"Issue date: {day('2026-06-20')}",
        f"Due date: {day('2026-07-04')}",
        "Saari Shopping",
        "Helmi Saari",
        "Aleksanterinkatu 20, 00170 Helsinki",
        "EU VAT number: FI12345671",
        "Oskar Lund",
        "Vasagatan 7, 11120 Stockholm",
        "EU VAT number: SE556036079301",
        "Service fee for Midsummer 2026, by the hour",
        f"2 h 30 min × {eur('48.00')} = {eur('120.00')} (VAT {percent('25.5')})",
        f"2 h 30 min logged at {eur('48.00')} per hour",
        f"Total without VAT: {eur('120.00')}",
        f"VAT {percent('25.5')} of {eur('120.00')}: {eur('30.60')}",
        f"Total VAT: {eur('30.60')}",
        f"Total: {eur('150.60')}",
        "IBAN: FI21 1234 5600 0007 85",
        "BIC: NDEAFIHH",
        "Reference: RF31 2026 0001",
    ):
        assert expected in text, expected
    row = store.one("SELECT * FROM invoices")
    assert (row["number"], row["series"], row["seq"], row["kind"]) == (
        "2026-0001",
        "2026",
        1,
        "invoice",
    )
    assert row["reference"] == "RF3120260001" and row["total"] == "150.6"
    events = [e["kind"] for e in store.rows("events")]
    assert "invoice.issued.invoice" in events and "invoice.rendered" in events


def test_issued_invoice_is_frozen(shop, store) -> None:
    ready(shop, fee="flat:100")
    shop("invoice", "Midsummer", "--issue")
    shop("profile", "set", "address", "Somewhere Else 1, Turku")
    shop("client", "edit", "Oskar Lund", "--address", "Drottninggatan 1, Stockholm")
    shop("job", "edit", "Midsummer", "--fee", "flat:999")
    text = shop("invoice", "show", "2026-0001").stdout
    assert "Aleksanterinkatu 20" in text and "Vasagatan 7" in text and eur("125.50") in text
    assert "Turku" not in text and "Drottninggatan" not in text
    assert "already invoiced (2026-0001)" in shop("invoice", "Midsummer").stderr
    refused = shop.fails("invoice", "Midsummer", "--issue", code=4)
    assert "already invoiced (2026-0001)" in refused.stderr
    assert "shop invoice void 2026-0001" in refused.stderr
    assert len(issued(store)) == 1


@pytest.mark.parametrize(
    ("setup", "field", "command"),
    [
        (
            lambda shop: shop("profile", "set", "address", ""),
            "seller's address",
            'shop profile set address "..."',
        ),
        (
            lambda shop: shop("profile", "set", "vat_id", ""),
            "VAT id",
            'shop profile set vat_exempt_note "..."',
        ),
        (
            lambda shop: shop("profile", "set", "vat_rate", ""),
            "VAT rate",
            "shop profile set vat_rate 24",
        ),
        (
            lambda shop: shop("client", "edit", "Oskar Lund", "--address", ""),
            "buyer's address",
            "shop client edit 1 --address",
        ),
    ],
)
def test_incomplete_invoice_is_refused_naming_the_field(shop, store, setup, field, command) -> None:
    ready(shop, fee="flat:100")
    setup(shop)
    refused = shop.fails("invoice", "Midsummer", "--issue", code=2)
    assert field in refused.stderr and command in refused.stderr
    assert issued(store) == []


def test_refused_issue_leaves_no_gap(shop, store) -> None:
    ready(shop, fee="flat:100")
    shop("client", "edit", "Oskar Lund", "--address", "")
    assert "buyer's address" in shop.fails("invoice", "Midsummer", "--issue").stderr
    assert issued(store) == []
    shop("client", "edit", "Oskar Lund", "--address", "Vasagatan 7, 11120 Stockholm")
    shop("invoice", "Midsummer", "--issue")
    assert [r["number"] for r in issued(store)] == ["2026-0001"]


def test_nothing_to_bill_is_refused(shop, store) -> None:
    ready(shop, fee="per-item:10")
    refused = shop.fails("invoice", "Midsummer", "--issue")
    assert "nothing to bill" in refused.stderr
    assert issued(store) == []


def test_exemption_note_is_printed_instead_of_vat(shop) -> None:
    ready(shop, fee="flat:80", vat=False)
    text = shop("invoice", "Midsummer", "--issue").stdout
    assert "VAT exempt: small business (AVL 3 §)" in text
    assert f"Total: {eur('80.00')}" in text and "VAT 25" not in text and "Total VAT" not in text


def test_number_format_and_chronology(shop, store) -> None:
    ready(shop, fee="flat:10")
    job(shop, "Autumn 2026", fee="flat:20")
    shop("profile", "set", "invoice_number_format", "SS-{year}-{seq:03d}")
    shop("invoice", "Midsummer", "--issue")
    refused = shop.fails("invoice", "Autumn", "--issue", "--today", "2026-06-01")
    assert "already issued on 2026-06-20" in refused.stderr
    shop("invoice", "Autumn", "--issue", "--today", "2027-01-02")
    assert [r["number"] for r in issued(store)] == ["SS-2026-001", "SS-2027-001"]


# -- what gets billed ------------------------------------------------------------------------


def test_mixed_currencies_reimbursed_goods_and_costs(shop) -> None:
    ready(shop, fee="percent:10")
    shop("rate", "set", "USD", "EUR", "0.9")
    shop("rate", "set", "GBP", "EUR", "1.2")
    item(
        shop,
        "Linen shirt",
        "40",
        currency="USD",
        qty=2,
        paid_by="shopper",
        shipping="8",
        customs="5.50",
        status=lifecycle.DELIVERED,
    )
    item(shop, "Straw hat", "25", currency="GBP", status=lifecycle.ORDERED)  # client paid
    item(shop, "Sandals", "60", paid_by="shopper", status=lifecycle.APPROVED)  # not bought yet
    item(shop, "Parasol", "99", status=lifecycle.REJECTED)
    shop(
        "cost",
        "add",
        "Midsummer",
        "customs",
        "12",
        "--currency",
        "GBP",
        "--note",
        "import duty, UK parcel",
    )
    data = shop.json("invoice", "Midsummer")
    lines = [
        (line["kind"], line["quantity"], line["unit_price"], line["amount"], line["vat"])
        for line in data["lines"]
    ]
    assert lines == [
        # 10 % of 72.00 (shirt) + 30.00 (hat) + 60.00 (sandals) = 16.20
        ("fee_percent", "1", "16.20", "16.20", "25.5"),
        ("goods", "2", "36.00", "72.00", None),
        ("shipping", "1", "7.20", "7.20", None),
        ("customs", "1", "4.95", "4.95", None),
        ("job_customs", "1", "14.40", "14.40", None),
    ]
    assert data["lines"][0]["basis"]["goods"] == "162.00"
    assert (data["net"], data["tax"], data["total"]) == ("114.75", "4.13", "118.88")
    assert data["not_billed"] == [{"number": 2, "title": "Straw hat"}]
    text = shop("invoice", "Midsummer").stdout
    assert "Paid on your behalf: Linen shirt" in text
    assert f"no. 1 Linen shirt: 2 × {money('40.00', 'USD')} at 0.9 = {eur('72.00')}" in text
    assert f"Item no. 1; {money('40.00', 'USD')} at 0.9 EUR per USD" in text
    assert "Customs duty: import duty, UK parcel" in text
    assert "outside the scope of VAT" in text
    assert "Not billed: 1 item you paid the store for directly." in text


def test_missing_rate_is_named_with_its_command(shop) -> None:
    ready(shop, fee="percent:10")
    item(shop, "Linen shirt", "40", currency="USD", status=lifecycle.APPROVED)
    refused = shop.fails("invoice", "Midsummer")
    assert "shop rate set USD EUR RATE" in refused.stderr


def test_yen_invoice_has_no_minor_units(shop) -> None:
    seller(shop)
    buyer(shop, currency="JPY")
    job(shop, fee="percent:12.5", min_fee="3000", currency="JPY")
    item(shop, "Kokeshi doll", "12999", currency="JPY", status=lifecycle.DELIVERED)
    data = shop.json("invoice", "Midsummer")
    assert [(line["kind"], line["amount"]) for line in data["lines"]] == [
        ("fee_percent", "1625"),
        ("fee_minimum", "1375"),
    ]
    assert (data["tax"], data["total"]) == ("765", "3765")
    assert money("3765", "JPY") in shop("invoice", "Midsummer").stdout


# -- deposits -------------------------------------------------------------------------------


def test_deposit_billed_first_and_deducted_on_the_final_invoice(shop, store) -> None:
    ready(shop, fee="flat:200", deposit="30%")
    text = shop("invoice", "Midsummer", "--deposit", "--issue", "--today", "2026-06-01").stdout
    assert (
        "Deposit invoice 2026-0001" in text
        and f"{percent('30')} of the estimated fee {eur('200.00')}" in text
    )
    assert f"Total: {eur('75.30')}" in text  # 60.00 + 25.5 % VAT
    again = shop.fails("invoice", "Midsummer", "--deposit", "--issue", code=4)
    assert "already has a deposit invoice (2026-0001)" in again.stderr
    assert [r["number"] for r in issued(store)] == ["2026-0001"]
    final = shop.json("invoice", "Midsummer")
    deduction = final["lines"][-1]
    assert (deduction["kind"], deduction["amount"], deduction["vat"]) == (
        "deposit_deduction",
        "-60.00",
        "25.5",
    )
    assert (final["net"], final["tax"], final["total"]) == ("140.00", "35.70", "175.70")
    text = shop("invoice", "Midsummer", "--issue").stdout
    assert "Less the deposit already billed (2026-0001)" in text
    assert [(r["number"], r["kind"]) for r in issued(store)] == [
        ("2026-0001", "deposit"),
        ("2026-0002", "invoice"),
    ]


def test_voided_deposit_is_not_deducted(shop) -> None:
    ready(shop, fee="flat:200", deposit="50")
    shop("invoice", "Midsummer", "--deposit", "--issue")
    shop("invoice", "void", "2026-0001", "--reason", "deposit waived")
    final = shop.json("invoice", "Midsummer")
    assert [line["kind"] for line in final["lines"]] == ["fee_flat"]
    shop("invoice", "Midsummer", "--deposit", "--issue")  # may be billed again
    assert shop.json("invoice", "show", "2026-0003")["kind"] == "deposit"


def test_deposit_needs_terms(shop) -> None:
    ready(shop, fee="flat:200")
    refused = shop.fails("invoice", "Midsummer", "--deposit")
    assert "--deposit 30%" in refused.stderr


# -- credit notes -----------------------------------------------------------------------------


def test_void_issues_a_credit_note_referring_to_the_original(shop, store) -> None:
    ready(shop, fee="flat:100")
    shop("invoice", "Midsummer", "--issue")
    out = shop("invoice", "void", "2026-0001", "--reason", "fee agreed lower").stdout
    assert "Issued credit note 2026-0002 cancelling 2026-0001: -125.50 EUR" in out
    note = shop.json("invoice", "show", "2026-0002")
    assert note["kind"] == "credit_note" and note["original"] == "2026-0001"
    assert note["document"]["reason"] == "fee agreed lower"
    assert (note["document"]["net"], note["document"]["tax"], note["total"]) == (
        "-100.00",
        "-25.50",
        "-125.50",
    )
    text = shop("invoice", "show", "2026-0002").stdout
    assert "Credit note 2026-0002" in text
    assert f"Cancels invoice 2026-0001 of {day('2026-06-20')} in full" in text
    assert "Reason: fee agreed lower" in text and "Payment:" not in text
    original = shop.json("invoice", "show", "2026-0001")
    assert original["state"] == "void" and original["voided_by"] == "2026-0002"
    again = shop.fails("invoice", "void", "2026-0001", "--reason", "again", code=4)
    assert "already voided by 2026-0002" in again.stderr
    assert (
        "credit note itself" in shop.fails("invoice", "void", "2026-0002", "--reason", "x").stderr
    )
    assert len(issued(store)) == 2
    shop("job", "edit", "Midsummer", "--fee", "flat:80")
    shop("invoice", "Midsummer", "--issue")
    assert [(r["number"], r["kind"], r["total"]) for r in issued(store)] == [
        ("2026-0001", "invoice", "125.5"),
        ("2026-0002", "credit_note", "-125.5"),
        ("2026-0003", "invoice", "100.4"),
    ]


def test_void_needs_a_reason(shop, store) -> None:
    ready(shop, fee="flat:100")
    shop("invoice", "Midsummer", "--issue")
    assert "Missing option '--reason'" in shop.fails("invoice", "void", "2026-0001").stderr
    blank = shop.fails("invoice", "void", "2026-0001", "--reason", "  ", code=2)
    assert "reason cannot be empty" in blank.stderr
    unknown = shop.fails("invoice", "void", "2099-0001", "--reason", "x", code=3)
    assert "no issued invoice numbered '2099-0001'" in unknown.stderr
    assert [r["kind"] for r in issued(store)] == ["invoice"]
    assert shop.json("invoice", "show", "2026-0001")["state"] == "unpaid"


# -- official invoicing systems --------------------------------------------------------------


def test_official_system_makes_a_fee_statement_and_records_the_number(shop) -> None:
    ready(shop, fee="flat:300")
    shop("profile", "set", "official_invoicing", "pl-ksef")
    text = shop("invoice", "Midsummer", "--issue").stdout
    assert "Fee statement 2026-0001" in text
    assert "the Polish National e-Invoicing System (KSeF)" in text
    assert "Official invoice number: not recorded yet" in text
    out = shop("invoice", "official", "2026-0001", "KSEF-5260250995-20260620-ABC").stdout
    assert "official invoice number KSEF-5260250995-20260620-ABC" in out
    shown = shop("invoice", "show", "2026-0001").stdout
    assert "Official invoice number: KSEF-5260250995-20260620-ABC" in shown
    listed = shop.json("invoice", "list")
    assert listed[0]["kind"] == "fee_statement"
    assert listed[0]["official_number"] == "KSEF-5260250995-20260620-ABC"
    refused = shop.fails("invoice", "official", "2026-0001", "OTHER-1", code=4)
    assert "--replace" in refused.stderr
    unchanged = shop.json("invoice", "show", "2026-0001")["official_number"]
    assert unchanged == "KSEF-5260250995-20260620-ABC"
    shop("invoice", "official", "2026-0001", "OTHER-1", "--replace")
    job(shop, "Autumn 2026", fee="flat:10")
    shop("invoice", "Autumn", "--issue")
    assert (
        "already recorded for 2026-0001"
        in shop.fails("invoice", "official", "2026-0002", "OTHER-1").stderr
    )
    bad = shop.fails("profile", "set", "official_invoicing", "es-sii", code=2)
    assert "must be one of: none, hu-nav, pl-ksef, cn-fapiao" in bad.stderr
    assert shop.json("profile", "show")["official_invoicing"] == "pl-ksef"


# -- lists ------------------------------------------------------------------------------------


def test_list_unpaid_and_overdue_on_a_given_day(shop) -> None:
    ready(shop, fee="flat:100")
    job(shop, "Autumn 2026", fee="flat:50")
    job(shop, "Winter 2026", fee="flat:20")
    shop("invoice", "Midsummer", "--issue", "--today", "2026-06-01")  # due 06-15
    shop("invoice", "Autumn", "--issue", "--today", "2026-06-10")  # due 06-24
    shop("invoice", "Winter", "--issue", "--today", "2026-06-10")
    shop("pay", "2026-0003", "25.10")
    shop("pay", "2026-0002", "10")
    every = shop.json("invoice", "list")
    assert [(d["number"], d["state"], d["balance"]) for d in every] == [
        ("2026-0001", "unpaid", "125.50"),
        ("2026-0002", "partly paid", "52.75"),
        ("2026-0003", "paid", "0.00"),
    ]
    unpaid = shop.json("invoice", "list", "--unpaid", "--today", "2026-06-20")
    assert [d["number"] for d in unpaid] == ["2026-0001", "2026-0002"]
    overdue = shop.json("invoice", "list", "--overdue", "--today", "2026-06-20")
    assert [d["number"] for d in overdue] == ["2026-0001"]
    later = shop.json("invoice", "list", "--overdue", "--today", "2026-06-25")
    assert [d["number"] for d in later] == ["2026-0001", "2026-0002"]
    table = shop("invoice", "list", "--today", "2026-06-20").stdout
    assert "unpaid, overdue" in table and "partly paid" in table
    assert shop.json("invoice", "list", "--job", "Autumn")[0]["number"] == "2026-0002"


# -- formats --------------------------------------------------------------------------------


def test_html_is_for_email_styles_inline_and_no_data_uri(shop, tmp_path: Path) -> None:
    """The HTML invoice goes into an email: no stylesheet (Gmail drops it), no data: image
    (no mail program shows one); the payment details are written out (the QR code travels
    in the .eml and the PDF)."""
    ready(shop, fee="flat:100")
    shop("client", "edit", "Oskar Lund", "--address", "<script>alert(1)</script> 7")
    shop("invoice", "Midsummer", "--issue")
    target = tmp_path / "invoice.html"
    shop("invoice", "show", "2026-0001", "--format", "html", "-o", str(target))
    html = target.read_text(encoding="utf-8")
    assert "<style" not in html and "data:" not in html and "<img" not in html
    assert re.search(r'<h1 style="[^"]*font-size: ?20pt', html), "the stylesheet is inlined"
    assert "IBAN: FI21 1234 5600 0007 85" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "RF31 2026 0001" in html and eur("125.50") in html
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_a_frozen_invoice_shows_its_kept_qr_code_without_segno(shop, home, tmp_path) -> None:
    """The QR code and grouped reference of a frozen invoice are kept after the first showing:
    later ones give the same page without importing segno or python-stdnum; a draft whose
    IBAN changes gets a new code."""
    import subprocess
    import sys

    ready(shop, fee="flat:100")
    shop("invoice", "Midsummer", "--issue")
    first = shop("invoice", "show", "2026-0001", "--format", "eml").stdout_bytes
    kept = list((home / ".cache" / "memo").iterdir())
    # The QR code, the grouped reference, the tax line and the frozen invoice's PDF.
    assert {path.name.split("-")[0] for path in kept} == {"epc", "reference", "tax", "invoice"}
    for path in (home / ".cache" / "memo").rglob("*"):
        assert oct(path.stat().st_mode & 0o777) == ("0o700" if path.is_dir() else "0o600")
    code = (
        "import sys\n"
        "from shopcli.cli.app import app\n"
        "try:\n"
        "    app(['invoice', 'show', '2026-0001', '--format', 'eml'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('segno', 'stdnum')), "
        "file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, check=True, env=_env(home)
    )

    def parts(data: bytes) -> list:
        message = email.message_from_bytes(data, policy=policy.default)
        return [part.get_content() for part in message.walk() if not part.is_multipart()]

    assert parts(done.stdout) == parts(first)  # the same text, page, QR image (and PDF)
    assert done.stderr.decode().strip().splitlines()[-1] == "[]"

    # What the code holds changes with any of what it is made from.
    from shopcli.billing import documents

    document = json.loads(store_document(home, "2026-0001"))
    other = {**document, "payment": {**document["payment"], "iban": "DE89370400440532013000"}}
    assert documents._qr_question(document) != documents._qr_question(other)
    assert documents.qr_for(document) != documents.qr_for(other)


def store_document(home: Path, number: str) -> str:
    import sqlite3

    conn = sqlite3.connect(home / "shop.db")
    try:
        return conn.execute("SELECT document FROM invoices WHERE number = ?", [number]).fetchone()[
            0
        ]
    finally:
        conn.close()


def _env(home: Path) -> dict:
    return {**os.environ, "SHOP_HOME": str(home), "SHOP_TODAY": "2026-06-20"}


def test_no_qr_code_outside_eur_or_without_iban(shop, tmp_path: Path) -> None:
    seller(shop, iban=False)
    buyer(shop)
    job(shop, fee="flat:100")
    shop("invoice", "Midsummer", "--issue")
    html = shop("invoice", "show", "2026-0001", "--format", "html").stdout
    assert "data:image/svg+xml" not in html and "IBAN" not in html


def test_eml_is_a_draft_with_text_html_and_pdf(shop, tmp_path: Path) -> None:
    ready(shop, fee="flat:100")
    shop("invoice", "Midsummer", "--issue")
    target = tmp_path / "invoice.eml"
    shop("invoice", "show", "2026-0001", "--format", "eml", "-o", str(target))
    message = email.message_from_bytes(target.read_bytes(), policy=policy.default)
    assert message["To"] == "Oskar Lund <oskar@example.se>"
    assert message["From"] == "Saari Shopping <helmi@example.fi>"
    assert message["Subject"] == "Invoice 2026-0001 from Saari Shopping"
    assert message["X-Unsent"] == "1"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Invoice 2026-0001" in body and f"Total: {eur('125.50')}" in body
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<h1" in html and "<style" not in html and "data:" not in html
    from shopcli.documents import pdf

    attachments = list(message.iter_attachments())
    if pdf.available():
        assert [a.get_filename() for a in attachments] == ["2026-0001.pdf"]
        assert attachments[0].get_content().startswith(b"%PDF")


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    try:
        from pypdf import PdfReader
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("neither pdftotext (poppler-utils) nor pypdf is installed")
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_pdf_text(shop, tmp_path: Path) -> None:
    from shopcli.documents import pdf

    if not pdf.available() and not os.environ.get("CI"):
        pytest.skip("WeasyPrint is not installed (pip install 'shopcli[pdf]')")
    ready(shop, fee="hourly:48")
    shop("time", "log", "Midsummer", "1h")
    shop("invoice", "Midsummer", "--issue")
    target = tmp_path / "invoice.pdf"
    shop("invoice", "show", "2026-0001", "--format", "pdf", "-o", str(target))
    assert target.read_bytes().startswith(b"%PDF")
    text = _pdf_text(target)
    for expected in (
        "Invoice 2026-0001",
        "Saari Shopping",
        "Oskar Lund",
        "FI12345671",
        eur("60.24"),
        "RF31 2026 0001",
        "FI21 1234 5600 0007 85",
    ):
        assert expected in text, expected


def test_pdf_without_weasyprint_says_what_to_install(
    shop, store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    ready(shop, fee="flat:100")
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    refused = shop.fails("invoice", "Midsummer", "--issue", "--format", "pdf", "-o", "x.pdf")
    assert "pip install 'shopcli[pdf]'" in refused.stderr
    assert issued(store) == []  # refused before anything was numbered


def test_unknown_invoice_and_format(shop, store) -> None:
    ready(shop, fee="flat:100")
    missing = shop.fails("invoice", "show", "2026-0009", code=3)
    assert "no issued invoice numbered '2026-0009'" in missing.stderr
    shop("invoice", "Midsummer", "--issue")
    logged = store.scalar("SELECT count(*) FROM events")
    docx = shop.fails("invoice", "show", "2026-0001", "--format", "docx", code=2)
    assert "unknown format 'docx'; use one of: text, html, eml, pdf" in docx.stderr
    assert store.scalar("SELECT count(*) FROM events") == logged
    assert "Invoice 2026-0001" in shop("invoice", "show", "2026-000").stdout  # unique prefix


# -- invoices are kept ------------------------------------------------------------------------


def test_job_and_client_with_invoices_cannot_be_removed(shop, store) -> None:
    ready(shop, fee="flat:100")
    shop("time", "log", "Midsummer", "1h")
    shop("invoice", "Midsummer", "--issue")
    for args in (
        ("job", "rm", "Midsummer", "--force", "--yes"),
        ("client", "rm", "Oskar Lund", "--force", "--yes"),
    ):
        refused = shop.fails(*args)
        assert "even with --force" in refused.stderr
        assert "also removes" not in refused.stdout  # refused before promising anything
    assert len(issued(store)) == 1
    assert store.scalar("SELECT count(*) FROM jobs") == 1
    assert store.scalar("SELECT count(*) FROM time_entries") == 1


def test_refuse_removal_names_the_invoices(shop, store) -> None:
    from shopcli.core.errors import Conflict
    from shopcli.storage import invoices as invoices_queries
    from shopcli.work import jobs

    ready(shop, fee="flat:100")
    shop("invoice", "Midsummer", "--issue")
    with pytest.raises(Conflict, match=r"issued invoices \(2026-0001\).*even with --force"):
        invoices_queries.refuse_removal(store, job=jobs.get(store, "Midsummer"))


# -- the demo ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_demo_ends_with_an_issued_invoice(shop, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SHOP_TODAY", "2026-12-23")  # the demo's story ends today
    folder = tmp_path / "demo"
    out = shop("demo", "--keep", str(folder)).stdout
    assert (folder / "invoice.txt").is_file() and (folder / "invoice.html").is_file()
    text = (folder / "invoice.txt").read_text(encoding="utf-8")
    assert str(folder / "invoice.txt") in out and text.strip() in out
    assert "2026-0002" in text and "Anna Virtanen" in text
    # The demo client writes Finnish: the invoice speaks it.
    finnish = translations("fi").gettext
    deduction = finnish("Less the deposit already billed (%(number)s)") % {"number": "2026-0001"}
    assert deduction != "Less the deposit already billed (2026-0001)" and deduction in text
    page = (folder / "invoice.html").read_text(encoding="utf-8")
    assert "data:" not in page and "<style" not in page


def test_html_invoice_escapes_titles_and_notes_from_people(shop) -> None:
    ready(shop, fee="per-item:10")
    item(shop, "<script>alert('x')</script> vase", "40", paid_by="shopper", status="delivered")
    shop("cost", "add", "Midsummer", "other", "5", "--note", "<img src=x onerror=alert(1)>")
    page = shop("invoice", "Midsummer", "--format", "html").stdout
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


# -- whole numbers, negative totals, output files ---------------------------------------------


def test_void_and_official_need_the_whole_number(shop, store) -> None:
    ready(shop, fee="flat:100")
    shop("invoice", "Midsummer", "--issue")
    for args in (
        ("invoice", "void", "2026", "--reason", "typo"),
        ("invoice", "official", "20", "OFF-1"),
    ):
        refused = shop.fails(*args, code=3)
        assert "give the whole number (2026-0001)" in refused.stderr
    assert [r["kind"] for r in issued(store)] == ["invoice"]
    assert store.scalar("SELECT count(*) FROM official_numbers") == 0
    assert "Invoice 2026-0001" in shop("invoice", "show", "2026").stdout  # showing may shorten


def test_a_deposit_above_the_final_bill_makes_no_negative_invoice(shop, store) -> None:
    ready(shop, fee="flat:100", deposit="100")
    shop("invoice", "Midsummer", "--deposit", "--issue")  # 100 + 25.5 % VAT = 125.50
    # The fee is agreed lower after the deposit was billed.
    shop("job", "edit", "Midsummer", "--fee", "flat:20", "--deposit", "20")
    assert "the total would be -100.40 EUR" in shop("invoice", "Midsummer").stderr
    refused = shop.fails("invoice", "Midsummer", "--issue", code=4)
    assert "an invoice cannot be negative" in refused.stderr
    assert 'shop invoice void 2026-0001 --reason "..."' in refused.stderr
    assert [r["number"] for r in issued(store)] == ["2026-0001"]
    # What the message says to do works: the paid deposit becomes credit, the fee is billed.
    shop("pay", "2026-0001", "125.50")
    shop("invoice", "void", "2026-0001", "--reason", "fee agreed lower")
    assert "Issued invoice 2026-0003: 25.10 EUR" in shop("invoice", "Midsummer", "--issue").stderr
    assert shop.json("pay", "2026-0003", "25.10", "--method", "credit")["client_credit"] == "100.40"


def test_an_output_file_that_cannot_be_written_is_refused_before_issuing(
    shop, store, tmp_path: Path
) -> None:
    ready(shop, fee="flat:100")
    missing = tmp_path / "no-such-folder" / "invoice.txt"
    refused = shop.fails("invoice", "Midsummer", "--issue", "-o", str(missing), code=2)
    assert f"folder {missing.parent} does not exist" in refused.stderr
    refused = shop.fails("invoice", "Midsummer", "--issue", "-o", str(tmp_path), code=2)
    assert "it is a folder" in refused.stderr
    assert issued(store) == []
    shop("invoice", "Midsummer", "--issue")
    logged = store.scalar("SELECT count(*) FROM events")
    shop.fails("invoice", "show", "2026-0001", "-o", str(missing), code=2)
    refused = shop.fails(
        "invoice", "void", "2026-0001", "--reason", "x", "-o", str(missing), code=2
    )
    assert "does not exist" in refused.stderr
    assert store.scalar("SELECT count(*) FROM events") == logged  # not even "rendered"
    assert [r["kind"] for r in issued(store)] == ["invoice"]


def test_a_credit_note_that_cannot_be_drafted_is_not_issued(shop, store, tmp_path: Path) -> None:
    seller(shop)
    shop("client", "add", "Greta Berg", "--address", "Storgatan 1, Uppsala")  # no email
    job(shop, client="Greta Berg", fee="flat:100")
    shop("invoice", "Midsummer", "--issue")
    target = tmp_path / "credit.eml"
    refused = shop.fails(
        "invoice", "void", "2026-0001", "--reason", "x", "-f", "eml", "-o", str(target)
    )
    assert "client #1 has no email address" in refused.stderr
    assert [r["kind"] for r in issued(store)] == ["invoice"] and not target.exists()


def test_eml_goes_to_the_clients_current_email_when_the_invoice_froze_none(
    shop, store, tmp_path: Path
) -> None:
    """An invoice issued while the client had no email address is drafted to the address
    they have now; the frozen invoice keeps its buyer as issued."""
    seller(shop)
    shop("client", "add", "Greta Berg", "--address", "Storgatan 1, Uppsala")  # no email
    job(shop, client="Greta Berg", fee="flat:100")
    shop("invoice", "Midsummer", "--issue")
    frozen = store.scalar("SELECT document FROM invoices WHERE number = '2026-0001'")
    refused = shop.fails("invoice", "show", "2026-0001", "--format", "eml")
    assert "client #1 has no email address" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1

    shop("client", "edit", "Greta Berg", "--email", "greta@example.se")
    target = tmp_path / "invoice.eml"
    shop("invoice", "show", "2026-0001", "--format", "eml", "-o", str(target))
    message = email.message_from_bytes(target.read_bytes(), policy=policy.default)
    assert message["To"] == "Greta Berg <greta@example.se>"
    assert "Invoice 2026-0001" in message.get_body(preferencelist=("plain",)).get_content()
    assert store.scalar("SELECT document FROM invoices WHERE number = '2026-0001'") == frozen
    assert not json.loads(frozen)["buyer"].get("email")


def test_a_pdf_for_a_terminal_is_refused_before_anything_happens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io
    import sys

    from shopcli.cli.invoices import check_output
    from shopcli.core.errors import InvalidInput

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Terminal())
    with pytest.raises(InvalidInput, match="add -o FILE.pdf"):
        check_output(None, "pdf")
    check_output(None, "text")
    check_output("-", "html")


# -- what the documents say ------------------------------------------------------------------


def test_multi_line_addresses_keep_their_lines(shop) -> None:
    ready(shop, fee="flat:100")
    shop("profile", "set", "address", "Aleksanterinkatu 20\n00170 Helsinki")
    shop("client", "edit", "Oskar Lund", "--address", "Vasagatan 7\n11120 Stockholm\n<Sweden>")
    text = shop("invoice", "Midsummer").stdout
    assert "  Aleksanterinkatu 20\n  00170 Helsinki\n" in text
    assert "  Vasagatan 7\n  11120 Stockholm\n  <Sweden>\n" in text
    page = shop("invoice", "Midsummer", "--format", "html").stdout
    assert "Aleksanterinkatu 20<br>00170 Helsinki<br>" in page
    assert "Vasagatan 7<br>11120 Stockholm<br>&lt;Sweden&gt;<br>" in page


def test_a_draft_without_a_vat_rate_says_so(shop) -> None:
    ready(shop, fee="flat:100")
    shop("profile", "set", "vat_rate", "")
    result = shop("invoice", "Midsummer")
    assert f"{eur('100.00')} (VAT rate not set)" in result.stdout
    assert "Total VAT: VAT rate not set" in result.stdout and "0%" not in result.stdout
    assert "shop profile set vat_rate 24" in result.stderr
    data = shop.json("invoice", "Midsummer")
    assert data["vat_rate_missing"] is True and data["taxes"] == []
    assert data["lines"][0]["vat"] is None
    page = shop("invoice", "Midsummer", "--format", "html").stdout
    assert page.count("VAT rate not set") == 2 and ">0%<" not in page
    shop("profile", "set", "vat_rate", "0")  # a zero rate is a rate
    zero = shop("invoice", "Midsummer").stdout
    assert f"(VAT {percent('0')})" in zero and "not set" not in zero


def test_card_numbers_in_a_reason_or_official_number_are_named_as_such(shop, store) -> None:
    ready(shop, fee="flat:100")
    shop("invoice", "Midsummer", "--issue")
    refused = shop.fails(
        "invoice", "void", "2026-0001", "--reason", "refund to 4111 1111 1111 1111"
    )
    assert "reason looks like it contains a Visa card number" in refused.stderr
    refused = shop.fails("invoice", "official", "2026-0001", "4111111111111111")
    assert "official invoice number looks like it contains a Visa card number" in refused.stderr
    assert "document" not in refused.stderr and "summary" not in refused.stderr
    assert [r["kind"] for r in issued(store)] == ["invoice"]
    assert store.scalar("SELECT count(*) FROM official_numbers") == 0


def test_eml_carries_the_qr_code_as_an_attached_png(shop, tmp_path: Path) -> None:
    """Mail programs show no data: image and no SVG: the .eml holds the EPC QR code as a PNG
    beside the HTML (multipart/related) and the HTML shows it by its content id; the code
    holds the invoice's payment, as a banking app reads it."""
    from shopcli.billing import documents

    ready(shop, fee="flat:100")
    shop("invoice", "Midsummer", "--issue")
    target = tmp_path / "invoice.eml"
    shop("invoice", "show", "2026-0001", "--format", "eml", "-o", str(target))
    message = email.message_from_bytes(target.read_bytes(), policy=policy.default)
    related = [p for p in message.walk() if p.get_content_type() == "multipart/related"]
    assert len(related) == 1
    html_part, image = related[0].get_payload()
    assert html_part.get_content_type() == "text/html"
    assert image.get_content_type() == "image/png"
    cid = image["Content-ID"].strip("<>")
    html = html_part.get_content()
    assert f'src="cid:{cid}"' in html and "data:" not in html and "<style" not in html
    png = tmp_path / "qr.png"
    png.write_bytes(image.get_content())
    document = json.loads(store_document(Path(os.environ["SHOP_HOME"]), "2026-0001"))
    expected = documents.epc_payload_for(document)
    if not shutil.which("zbarimg"):
        if os.environ.get("CI"):
            pytest.fail("zbarimg (zbar-tools) is needed to read the QR code")
        pytest.skip("zbarimg is not installed (apt-get install zbar-tools)")
    read = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sbinary", str(png)], capture_output=True, check=True
    ).stdout
    assert read.rstrip(b"\n").decode("utf-8") == expected


def test_an_issue_that_fails_keeps_no_copy_of_its_pdf(shop, store, home) -> None:
    """The PDF is rendered before the number is committed; when it cannot be written the
    issue is rolled back and nothing of the document stays in the cache."""
    ready(shop, fee="flat:100")
    shop.fails("invoice", "Midsummer", "--issue", "-f", "pdf", "-o", "/dev/full")
    assert issued(store) == []
    memo = home / ".cache" / "memo"
    assert not list(memo.glob("invoice-pdf/*"))
    shop("invoice", "Midsummer", "--issue")
    shown = shop("invoice", "show", "2026-0001", "-f", "pdf").stdout_bytes
    assert shown.startswith(b"%PDF") and list((memo / "invoice-pdf").iterdir())


def test_void_writes_the_credit_note_in_the_format_asked(shop, store) -> None:
    """`-f` alone writes the credit note to standard output (what was done goes to stderr);
    without -f or -o nothing but the line saying what was done."""
    ready(shop, fee="flat:100")
    shop("invoice", "Midsummer", "--issue")
    plain = shop("invoice", "void", "2026-0001", "--reason", "fee agreed lower")
    assert plain.stdout.startswith("Issued credit note 2026-0002")
    shop("invoice", "Midsummer", "--issue")
    html = shop("invoice", "void", "2026-0003", "--reason", "fee agreed lower", "-f", "html")
    assert html.stdout.lstrip().lower().startswith("<!doctype html") and "2026-0004" in html.stdout
    assert "Issued credit note 2026-0004" in html.stderr
    assert "Issued credit note" not in html.stdout
    shop("invoice", "Midsummer", "--issue")
    piped = shop("invoice", "void", "2026-0005", "--reason", "x", "-f", "text", "-o", "-")
    assert "2026-0006" in piped.stdout and "Issued credit note" not in piped.stdout
    assert "Issued credit note 2026-0006" in piped.stderr
