"""`shop pay`: partial payments, settling, overpayment and credit, confirmations."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest

from billing_helpers import ready
from expect import day, eur


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_TODAY", "2026-06-20")


@pytest.fixture
def billed(shop):
    """Invoice 2026-0001 over 125.50 EUR (flat 100 + 25.5 % VAT)."""
    ready(shop, fee="flat:100")
    shop("invoice", "Midsummer", "--issue")


def test_partial_payments_add_up_until_paid(shop, store, billed) -> None:
    out = shop(
        "pay",
        "2026-0001",
        "50",
        "--date",
        "2026-06-22",
        "--today",
        "2026-06-22",
        "--method",
        "transfer",
    ).stdout
    assert "Recorded payment #1: 50.00 EUR for 2026-0001; 75.50 EUR still owed" in out
    assert shop.json("invoice", "show", "2026-0001")["state"] == "partly paid"
    out = shop(
        "pay",
        "2026-0001",
        "75,50",
        "--date",
        "2026-06-25",
        "--today",
        "2026-06-25",
        "--method",
        "MobilePay",
    ).stdout
    assert "paid in full" in out
    shown = shop.json("invoice", "show", "2026-0001")
    assert (shown["state"], shown["paid"], shown["balance"]) == ("paid", "125.50", "0.00")
    assert [(p["paid_on"], p["amount"], p["method"]) for p in shown["payments"]] == [
        ("2026-06-22", "50", "transfer"),
        ("2026-06-25", "75.5", "mobilepay"),
    ]
    kinds = [e["kind"] for e in store.rows("events")]
    assert kinds.count("payment.received") == 2


def test_overpayment_refused_unless_allowed_as_credit(shop, store, billed) -> None:
    refused = shop.fails("pay", "2026-0001", "130", code=4)
    assert "130.00 EUR is more than the 125.50 EUR still owed" in refused.stderr
    assert "--allow-credit" in refused.stderr
    assert store.scalar("SELECT count(*) FROM payments") == 0
    info = shop.json("pay", "2026-0001", "130", "--allow-credit")
    assert (info["received"], info["applied"], info["credit_added"]) == ("130.00", "125.50", "4.50")
    assert info["settled"] is True and info["client_credit"] == "4.50"
    assert store.one("SELECT amount, reason FROM client_credits") == {
        "amount": "4.5",
        "reason": "overpayment",
    }
    again = shop.fails("pay", "2026-0001", "1", code=4)
    assert "paid in full already" in again.stderr
    assert store.scalar("SELECT count(*) FROM payments") == 1


def test_client_credit_pays_the_next_invoice(shop, store, billed) -> None:
    from billing_helpers import job

    shop("pay", "2026-0001", "150", "--allow-credit")  # 24.50 credit
    job(shop, "Autumn 2026", fee="flat:10")  # 12.55 with VAT
    shop("invoice", "Autumn", "--issue")
    refused = shop.fails("pay", "2026-0002", "20", "--method", "credit")
    assert "more than the 12.55 EUR still owed" in refused.stderr
    info = shop.json("pay", "2026-0002", "12.55", "--method", "credit")
    assert info["settled"] is True and info["client_credit"] == "11.95"
    more = shop.fails("pay", "2026-0002", "1", "--method", "credit", "--allow-credit", code=4)
    assert "paying from the client's credit cannot create more credit" in more.stderr
    assert store.scalar("SELECT count(*) FROM payments") == 2
    assert shop.json("pay", "2026-0001", "0.05", "--allow-credit")["client_credit"] == "12.00"


def test_payment_in_another_currency_is_refused(shop, store, billed) -> None:
    refused = shop.fails("pay", "2026-0001", "50", "--currency", "SEK", code=2)
    assert "billed in EUR" in refused.stderr and "not SEK" in refused.stderr
    shop("pay", "2026-0001", "50", "--currency", "eur")
    assert store.scalar("SELECT count(*) FROM payments") == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "a payment must be more than zero"),
        ("-5", "payment cannot be negative: '-5'"),
        ("abc", "payment is not a number: 'abc'"),
        ("10.001", "payment '10.001' is ambiguous"),
        ("1,234", "payment '1,234' is ambiguous"),
    ],
)
def test_bad_amounts_are_refused(shop, store, billed, amount: str, message: str) -> None:
    refused = shop.fails("pay", "2026-0001", "--", amount, code=2)
    assert message in refused.stderr
    assert store.scalar("SELECT count(*) FROM payments") == 0
    assert "payment.received" not in [e["kind"] for e in store.rows("events")]


def test_no_payment_on_void_invoices_or_credit_notes(shop, store, billed) -> None:
    shop("pay", "2026-0001", "25.50")
    shop("invoice", "void", "2026-0001", "--reason", "wrong client")
    assert "is void (credit note 2026-0002)" in shop.fails("pay", "2026-0001", "1").stderr
    assert "is a credit note" in shop.fails("pay", "2026-0002", "1").stderr
    unknown = shop.fails("pay", "2099-0001", "1", code=3)
    assert "no issued invoice numbered '2099-0001'" in unknown.stderr
    assert store.scalar("SELECT count(*) FROM payments") == 1


def test_voiding_a_paid_invoice_keeps_the_money_as_credit(shop, store, billed) -> None:
    shop("pay", "2026-0001", "25.50")
    out = shop("invoice", "void", "2026-0001", "--reason", "wrong client").stdout
    assert store.one("SELECT amount, reason FROM client_credits") == {
        "amount": "25.5",
        "reason": "void",
    }
    # The shopper is told where the money went and how to settle it.
    from shopcli.core.money import shown

    assert (
        f"{shown('25.50', 'EUR')} already paid on 2026-0001 is now client #1's credit: refund "
        "it to the client, or apply it to another of their invoices with "
        "`shop pay NUMBER AMOUNT --method credit`"
    ) in out
    shop("invoice", "Midsummer", "--issue")
    shop("pay", "2026-0003", "25.50", "--method", "credit")
    assert shop.json("invoice", "show", "2026-0003")["paid"] == "25.50"


def test_voiding_an_unpaid_invoice_says_nothing_of_credit(shop, billed) -> None:
    out = shop("invoice", "void", "2026-0001", "--reason", "wrong client").stdout
    assert "Issued credit note 2026-0002" in out and "credit:" not in out


def test_confirmation_text_says_what_was_received_for_what_and_what_remains(shop, billed) -> None:
    result = shop(
        "pay",
        "2026-0001",
        "100",
        "--date",
        "2026-06-23",
        "--today",
        "2026-06-23",
        "--format",
        "text",
    )
    text = result.stdout
    for expected in (
        "Hello,",
        f"I received {eur('100.00')} on {day('2026-06-23')} (transfer)",
        "For: Invoice 2026-0001 (Midsummer 2026)",
        f"Invoice total: {eur('125.50')}",
        f"Paid so far: {eur('100.00')}",
        f"Still to pay: {eur('25.50')}",
        "Helmi Saari",
    ):
        assert expected in text, expected
    assert "Recorded payment #1" in result.stderr
    final = shop("pay", "2026-0001", "30", "--allow-credit", "--format", "text").stdout
    assert "The invoice is now paid in full." in final
    assert f"{eur('4.50')} more than the invoice asked for is kept as your credit" in final
    assert "Still to pay" not in final


def test_confirmation_eml(shop, store, billed, tmp_path: Path) -> None:
    target = tmp_path / "thanks.eml"
    shop("pay", "2026-0001", "25.50", "-o", str(target))
    message = email.message_from_bytes(target.read_bytes(), policy=policy.default)
    assert message["Subject"] == "Payment received for 2026-0001"
    assert message["To"] == "Oskar Lund <oskar@example.se>" and message["X-Unsent"] == "1"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert eur("25.50") in body and f"Still to pay: {eur('100.00')}" in body
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Still to pay" in html and eur("100.00") in html
    assert "payment.confirmation" in [e["kind"] for e in store.rows("events")]


def test_yen_payments_have_no_decimals(shop) -> None:
    from billing_helpers import buyer, job, seller

    seller(shop)
    buyer(shop, currency="JPY")
    job(shop, fee="flat:10000", currency="JPY")
    shop("invoice", "Midsummer", "--issue")
    refused = shop.fails("pay", "2026-0001", "100.5", code=2)
    assert "payment has more than 0 decimals: '100.5'" in refused.stderr
    info = shop.json("pay", "2026-0001", "5000")
    assert info["payment_id"] == 1
    assert info["remaining"] == "7550"


def test_pay_needs_the_whole_invoice_number(shop, store, billed) -> None:
    for ref in ("2", "2026", "2026-000"):
        refused = shop.fails("pay", ref, "10", code=3)
        assert "give the whole number (2026-0001)" in refused.stderr
    assert store.scalar("SELECT count(*) FROM payments") == 0


def test_a_payment_dated_before_the_invoice_is_recorded_with_a_warning(shop, billed) -> None:
    early = shop("pay", "2026-0001", "50", "--date", "2026-06-01")
    assert "payment date 2026-06-01 is before 2026-0001 was issued on 2026-06-20" in early.stderr
    assert shop.json("invoice", "show", "2026-0001")["payments"][0]["paid_on"] == "2026-06-01"
    on_time = shop("pay", "2026-0001", "10", "--date", "2026-06-20")
    assert "Warning" not in on_time.stderr


def test_paying_a_paid_invoice_says_all_of_it_became_credit(shop, store, billed) -> None:
    shop("pay", "2026-0001", "125.50")
    out = shop("pay", "2026-0001", "20", "--allow-credit").stdout
    assert "which was paid in full already: all of it is kept as the client's credit" in out
    assert "(now 20.00 EUR)" in out and "; paid in full" not in out
    info = shop.json("pay", "2026-0001", "5", "--allow-credit")
    assert (info["applied"], info["applied_any"], info["client_credit"]) == ("0.00", False, "25.00")


def test_a_confirmation_that_cannot_be_written_records_nothing(
    shop, store, billed, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder" / "thanks.eml"
    refused = shop.fails("pay", "2026-0001", "25.50", "-o", str(missing), code=2)
    assert f"folder {missing.parent} does not exist" in refused.stderr
    shop("client", "add", "Greta Berg", "--address", "Storgatan 1, Uppsala")  # no email
    from billing_helpers import job

    job(shop, "Autumn 2026", client="Greta Berg", fee="flat:10")
    shop("invoice", "Autumn", "--issue")
    refused = shop.fails("pay", "2026-0002", "12.55", "--format", "eml")
    assert "client #2 has no email address" in refused.stderr
    assert store.scalar("SELECT count(*) FROM payments") == 0
    assert "payment.received" not in [e["kind"] for e in store.rows("events")]


# -- confirmations rendered again -------------------------------------------------------------


def test_any_recorded_payment_renders_its_confirmation_again(
    shop, store, billed, tmp_path: Path
) -> None:
    """Each payment's confirmation, rendered later, says what it said when recorded: the
    later payment and the credit it made do not change the first one's figures."""
    first = shop(
        "pay",
        "2026-0001",
        "100",
        "--date",
        "2026-06-23",
        "--today",
        "2026-06-23",
        "--format",
        "text",
    ).stdout
    shop(
        "pay", "2026-0001", "30", "--date", "2026-06-24", "--today", "2026-06-24", "--allow-credit"
    )
    listed = shop.json("payment", "list")
    assert [(p["id"], p["received"], p["invoice"]) for p in listed] == [
        (2, "30.00", "2026-0001"),
        (1, "100.00", "2026-0001"),
    ]
    assert shop("payment", "show", "1", "--format", "text").stdout == first
    again = shop("payment", "show", "2", "--format", "text").stdout
    assert f"Paid so far: {eur('125.50')}" in again and "paid in full" in again
    assert f"{eur('4.50')} more than the invoice asked for" in again
    target = tmp_path / "first.eml"
    shop("payment", "show", "1", "-o", str(target))
    message = email.message_from_bytes(target.read_bytes(), policy=policy.default)
    assert message["Subject"] == "Payment received for 2026-0001"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"Still to pay: {eur('25.50')}" in body
    html = shop("payment", "show", "1", "--format", "html").stdout
    assert "Still to pay" in html and eur("25.50") in html
    rendered = [e for e in store.rows("events") if e["kind"] == "payment.confirmation"]
    assert len(rendered) == 5  # the first at `pay`, four rendered again
    # Without a format: the record, money as money, and how to render it.
    shown = shop("payment", "show", "1").stdout
    assert "100.00 EUR" in shown and "shop payment show 1 --format" in shown
    data = shop.json("payment", "show", "2")
    assert (data["paid_total"], data["credit_added"], data["settled"]) == ("125.50", "4.50", True)
    assert shop.fails("payment", "show", "9", code=3).stderr.startswith("Error: no payment #9")
    assert "id number" in shop.fails("payment", "show", "x", code=2).stderr
    assert shop.json("payment", "list", "--invoice", "2026-0001")[0]["id"] == 2
