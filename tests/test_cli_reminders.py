"""`shop invoice remind`: payment reminders in levels, logged, in the client's language."""

from __future__ import annotations

import email
import json
import re
import shutil
import sqlite3
import subprocess
from email import policy
from html import unescape
from pathlib import Path

import pytest

from billing_helpers import IBAN, buyer, job, seller
from expect import day, eur, money
from shopcli.core.languages import PUNCTUATION
from shopcli.documents.i18n import LANGUAGES, translations

ALL_LANGUAGES = ("en", *LANGUAGES)


def billed(shop, *, language: str = "en", fee: str = "flat:100") -> None:
    """Invoice 2026-0001 issued 2026-06-01, due 2026-06-15: 125.50 EUR (100 + 25.5 % VAT),
    20.00 paid on 2026-06-10, so 105.50 stays open."""
    seller(shop)
    buyer(shop, language=language)
    job(shop, fee=fee)
    shop("invoice", "Midsummer", "--issue", "--today", "2026-06-01")
    shop("pay", "2026-0001", "20", "--date", "2026-06-10", "--today", "2026-06-10")


def remind(shop, on: str, *extra: str):
    return shop("invoice", "remind", "2026-0001", "--today", on, *extra)


def reminders(store) -> list[dict]:
    return store.query("SELECT * FROM reminders ORDER BY level")


def test_levels_follow_each_other_and_each_is_logged(shop, store) -> None:
    billed(shop)
    shop("profile", "set", "reminder_fee", "5 EUR")
    first = remind(shop, "2026-06-20")
    text = first.stdout
    for expected in (
        "Payment reminder: 2026-0001",
        f"Date: {day('2026-06-20')}",
        "Hello,",  # no salutation set: the polite greeting without a name
        f"invoice 2026-0001 of {day('2026-06-01')} was due on {day('2026-06-15')}",
        f"Invoice total: {eur('125.50')}",
        f"Paid so far: {eur('20.00')}",
        f"Still to pay: {eur('105.50')}",
        "Overdue by: 5 days",
        # Two weeks (the default reminder_days) from the reminder to pay.
        f"Please pay {eur('105.50')} by {day('2026-07-04')}.",
        f"IBAN: {IBAN}",
        "Reference: RF31 2026 0001",
    ):
        assert expected in text, expected
    # The friendly first reminder carries no fee (reminder_fee_from is 2 by default).
    assert "Reminder fee" not in text
    assert "Reminder 1 (friendly) for 2026-0001 logged" in first.stderr

    # The next level waits for the day after the one the last reminder gave to pay.
    early = shop.fails("invoice", "remind", "2026-0001", "--today", "2026-07-04", code=4)
    assert "reminder 2 for 2026-0001 is due on 2026-07-05" in early.stderr
    second = remind(shop, "2026-07-05").stdout
    assert "Second payment reminder: 2026-0001" in second
    assert f"I reminded you of invoice 2026-0001 on {day('2026-06-20')}" in second
    assert f"Reminder fee: {eur('5.00')}" in second
    assert f"Total to pay now: {eur('110.50')}" in second
    assert f"Please pay {eur('110.50')} by {day('2026-07-19')}." in second
    assert "not part of the invoice" in second
    third = remind(shop, "2026-07-20").stdout
    assert "Final payment reminder: 2026-0001" in third
    assert f"earlier reminders of {day('2026-06-20')} and {day('2026-07-05')}" in third
    assert f"reached me by {day('2026-08-03')}, I will take further steps" in third
    assert "Overdue by: 35 days" in third
    after = shop.fails("invoice", "remind", "2026-0001", "--today", "2026-09-01", code=4)
    assert "no reminder after level 3" in after.stderr

    rows = reminders(store)
    assert [(r["level"], r["sent_on"], r["pay_by"], r["days_overdue"]) for r in rows] == [
        (1, "2026-06-20", "2026-07-04", 5),
        (2, "2026-07-05", "2026-07-19", 20),
        (3, "2026-07-20", "2026-08-03", 35),
    ]
    assert [(r["open_amount"], r["fee"], r["currency"]) for r in rows] == [
        ("105.5", None, "EUR"),
        ("105.5", "5", "EUR"),
        ("105.5", "5", "EUR"),
    ]
    # The fee is never added to the frozen invoice: its total and what is owed stay.
    shown = shop.json("invoice", "show", "2026-0001")
    assert (shown["total"], shown["balance"]) == ("125.50", "105.50")
    assert [(r["level"], r["open"], r["fee"]) for r in shown["reminders"]] == [
        (1, "105.50", None),
        (2, "105.50", "5.00"),
        (3, "105.50", "5.00"),
    ]
    assert store.scalar("SELECT total FROM invoices WHERE number = '2026-0001'") == "125.5"
    kinds = [e["kind"] for e in store.rows("events")]
    assert kinds.count("invoice.reminded") == 3


def test_the_reminder_log_is_append_only(shop, store, home: Path) -> None:
    billed(shop)
    remind(shop, "2026-06-20")
    conn = sqlite3.connect(home / "shop.db")
    try:
        for sql in (
            "UPDATE reminders SET fee = '99'",
            "DELETE FROM reminders",
            # Out of turn, or the same level again (REPLACE would delete the old row silently).
            "INSERT INTO reminders (invoice_id, level, sent_on, pay_by, days_overdue, "
            "open_amount, currency, language, format, created_at) "
            "VALUES (1, 3, '2026-06-21', '2026-07-05', 6, '1', 'EUR', 'en', 'text', 'x')",
            "INSERT OR REPLACE INTO reminders (invoice_id, level, sent_on, pay_by, days_overdue, "
            "open_amount, currency, language, format, created_at) "
            "VALUES (1, 1, '2026-06-21', '2026-07-05', 6, '1', 'EUR', 'en', 'text', 'x')",
        ):
            with pytest.raises(sqlite3.DatabaseError):
                conn.execute(sql)
    finally:
        conn.close()
    assert [(r["level"], r["sent_on"]) for r in reminders(store)] == [(1, "2026-06-20")]


def test_preview_and_again_log_nothing_new(shop, store) -> None:
    billed(shop)
    preview = remind(shop, "2026-06-18", "--preview")
    assert "Payment reminder: 2026-0001" in preview.stdout
    assert "not logged" in preview.stderr
    assert reminders(store) == []
    shop.fails("invoice", "remind", "2026-0001", "--again", code=4)
    sent = remind(shop, "2026-06-20").stdout
    again = shop("invoice", "remind", "2026-0001", "--again", "--today", "2026-06-30").stdout
    assert again == sent  # as it was sent, not as of the later day
    assert len(reminders(store)) == 1
    data = shop.json("invoice", "remind", "2026-0001", "--preview", "--today", "2026-07-01")
    assert (data["level"], data["open"], data["days_overdue"], data["preview"]) == (
        2,
        "105.50",
        16,
        True,
    )


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda shop: None, "is not overdue: it is due on 2026-06-15"),
        (lambda shop: shop("pay", "2026-0001", "105.50", "--today", "2026-06-12"), "paid in full"),
        (
            lambda shop: shop(
                "invoice", "void", "2026-0001", "--reason", "x", "--today", "2026-06-12"
            ),
            "cancelled by credit note 2026-0002",
        ),
    ],
    ids=["not-yet-due", "paid", "credited"],
)
def test_paid_credited_and_current_invoices_get_no_reminder(shop, store, setup, message) -> None:
    billed(shop)
    setup(shop)
    on = "2026-06-14" if "not overdue" in message else "2026-07-01"
    refused = shop.fails("invoice", "remind", "2026-0001", "--today", on, code=4)
    assert message in refused.stderr
    assert reminders(store) == []


def test_a_credit_note_gets_no_reminder(shop, store) -> None:
    billed(shop)
    shop("invoice", "void", "2026-0001", "--reason", "wrong fee", "--today", "2026-06-12")
    refused = shop.fails("invoice", "remind", "2026-0002", "--today", "2026-07-01", code=4)
    assert "2026-0002 is a credit note" in refused.stderr


def test_agenda_says_which_invoice_is_due_a_reminder_and_at_which_level(shop) -> None:
    billed(shop)

    def entry(on: str) -> dict:
        found = shop.json("agenda", "--today", on)["entries"]
        return next(e for e in found if e["section"] == "invoice")["detail"]["reminder"]

    assert entry("2026-06-16") == {
        "level": 1,
        "due": "2026-06-16",
        "due_now": True,
        "last_level": None,
        "last_sent": None,
        "pay_by": None,
    }
    text = shop("agenda", "--today", "2026-06-16").stdout
    assert "2026-0001: 105.50 EUR unpaid; reminder 1 due now" in text
    remind(shop, "2026-06-20")
    assert entry("2026-06-25") == {
        "level": 2,
        "due": "2026-07-05",
        "due_now": False,
        "last_level": 1,
        "last_sent": "2026-06-20",
        "pay_by": "2026-07-04",
    }
    assert (
        "2026-0001: 105.50 EUR unpaid; reminder 2 on 2026-07-05"
        in shop("agenda", "--today", "2026-06-25").stdout
    )
    assert entry("2026-07-05")["due_now"] is True
    remind(shop, "2026-07-05")
    remind(shop, "2026-07-20")
    assert entry("2026-08-10")["level"] is None
    assert "3 reminders sent" in shop("agenda", "--today", "2026-08-10").stdout
    # Paid: off the agenda altogether.
    shop("pay", "2026-0001", "105.50", "--today", "2026-08-11")
    found = shop.json("agenda", "--today", "2026-08-12")["entries"]
    assert not [e for e in found if e["section"] == "invoice"]


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_the_reminder_speaks_the_clients_language_at_every_level(shop, language) -> None:
    billed(shop, language=language)
    shop("profile", "set", "reminder_fee", "5 EUR")
    # Greeted as every letter greets them: by the salutation, never by the full legal name.
    shop("client", "edit", "Oskar Lund", "--salutation", "Oskar")
    t = translations(language)
    colon = PUNCTUATION[language]["colon"]

    def has(text: str, *parts: str) -> None:
        for part in parts:
            assert part in text, f"{language}: {part!r} missing from\n{text}"

    first = remind(shop, "2026-06-20").stdout
    has(
        first,
        t.gettext("Payment reminder") + colon + "2026-0001",
        t.gettext(
            "This is a friendly reminder that invoice %(number)s of %(issued)s was due on "
            "%(due)s. According to my records it has not been paid in full yet; perhaps it has "
            "slipped your mind."
        )
        % {
            "number": "2026-0001",
            "issued": day("2026-06-01", language),
            "due": day("2026-06-15", language),
        },
        t.gettext("Still to pay") + colon + money("105.50", "EUR", language),
        t.gettext("Overdue by") + colon + t.ngettext("%(num)s day", "%(num)s days", 5) % {"num": 5},
        t.gettext("Please pay %(amount)s by %(date)s.")
        % {"amount": money("105.50", "EUR", language), "date": day("2026-07-04", language)},
        t.gettext("If you have already paid, thank you, and please disregard this reminder."),
        t.gettext("Dear %(salutation)s,") % {"salutation": "Oskar"},
    )
    assert "Oskar Lund" not in first.split("\n\n")[1], "the greeting names the salutation"
    second = remind(shop, "2026-07-05").stdout
    has(
        second,
        t.gettext("Second payment reminder"),
        t.gettext(
            "I reminded you of invoice %(number)s on %(date)s, but according to my records it "
            "is still unpaid. Please settle it now."
        )
        % {"number": "2026-0001", "date": day("2026-06-20", language)},
        t.gettext("Reminder fee") + colon + money("5.00", "EUR", language),
        t.gettext("Total to pay now") + colon + money("110.50", "EUR", language),
    )
    third = remind(shop, "2026-07-20").stdout
    has(
        third,
        t.gettext("Final payment reminder"),
        t.gettext(
            "If the payment has not reached me by %(date)s, I will take further steps to "
            "collect the debt, which may cause you additional costs."
        )
        % {"date": day("2026-08-03", language)},
        # The earlier reminders' days, joined as the language lists two things.
        t.gettext("%(dates)s and %(last)s")
        % {"dates": day("2026-06-20", language), "last": day("2026-07-05", language)},
    )
    letters = first + second + third
    # A date that ends with its own full stop ("2 lipca 2026 r.") ends no sentence with two.
    assert ".." not in letters, f"{language}: a doubled full stop"
    if language == "zh":
        # Full-width marks that carry their own spacing; no space between the words and a date,
        # an amount or a count.
        assert ": " not in letters and " (" not in letters
        assert not re.search(r"[\u4e00-\u9fff] [\d€]|\d [\u4e00-\u9fff]", letters), letters
    if language != "en":
        for english in ("Payment reminder", "Please pay", "disregard", "Reminder fee"):
            assert english not in first + second + third, f"{language}: {english!r} untranslated"


def test_eml_reminder_is_a_draft_in_the_clients_language_with_the_invoice(
    shop, tmp_path: Path
) -> None:
    billed(shop, language="fi")
    target = tmp_path / "reminder.eml"
    remind(shop, "2026-06-20", "--format", "eml", "-o", str(target))
    message = email.message_from_bytes(target.read_bytes(), policy=policy.default)
    t = translations("fi")
    assert message["To"] == "Oskar Lund <oskar@example.se>"
    assert message["Subject"] == (
        t.gettext("%(title)s: invoice %(number)s from %(seller)s")
        % {
            "title": t.gettext("Payment reminder"),
            "number": "2026-0001",
            "seller": "Saari Shopping",
        }
    )
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert money("105.50", "EUR", "fi") in body
    html = message.get_body(preferencelist=("html",)).get_content()
    # The EPC QR code travels as an inline PNG part the HTML shows by its content id (no mail
    # program shows a data: image).
    from shopcli.documents.mail_html import QR_CID

    assert f'src="cid:{QR_CID}"' in html and "data:" not in html
    # Its stylesheet written inline, the HTML spells a no-break space as an entity.
    assert money("105.50", "EUR", "fi") in unescape(html)
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert [part["Content-ID"] for part in images] == [f"<{QR_CID}>"]
    assert images[0].get_content().startswith(b"\x89PNG")
    from shopcli.documents import pdf

    if pdf.available():
        files = [a.get_filename() for a in message.iter_attachments()]
        assert files == ["2026-0001.pdf"]


def test_an_eml_reminder_goes_to_the_clients_current_email_when_the_invoice_froze_none(
    shop, store, tmp_path: Path
) -> None:
    seller(shop)
    shop("client", "add", "Greta Berg", "--address", "Storgatan 1, Uppsala")  # no email
    job(shop, client="Greta Berg", fee="flat:100")
    shop("invoice", "Midsummer", "--issue", "--today", "2026-06-01")
    frozen = store.scalar("SELECT document FROM invoices")
    assert not json.loads(frozen)["buyer"].get("email")
    refused = shop.fails(
        "invoice", "remind", "2026-0001", "--today", "2026-06-20", "--format", "eml"
    )
    assert "client #1 has no email address" in refused.stderr
    shop("client", "edit", "Greta Berg", "--email", "greta@example.se")
    target = tmp_path / "reminder.eml"
    remind(shop, "2026-06-20", "--format", "eml", "-o", str(target))
    message = email.message_from_bytes(target.read_bytes(), policy=policy.default)
    assert message["To"] == "Greta Berg <greta@example.se>"
    assert store.scalar("SELECT document FROM invoices") == frozen


def test_the_qr_code_of_a_reminder_pays_the_open_amount_and_the_fee(shop, tmp_path: Path) -> None:
    from shopcli.documents import pdf

    tools = [shutil.which(name) for name in ("pdftoppm", "zbarimg")]
    if not pdf.available() or not all(tools):
        pytest.skip("needs WeasyPrint, pdftoppm (poppler-utils) and zbarimg (zbar-tools)")
    billed(shop)
    shop("profile", "set", "reminder_fee", "5 EUR")
    shop("profile", "set", "reminder_fee_from", "1")
    target = tmp_path / "reminder.pdf"
    remind(shop, "2026-06-20", "--format", "pdf", "-o", str(target))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-singlefile", str(target), str(tmp_path / "page")],
        check=True,
    )
    done = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")],
        capture_output=True,
        text=True,
        check=True,
    )
    # The EPC QR (SEPA credit transfer) for 105.50 open + 5.00 fee, with the RF reference.
    assert done.stdout.rstrip("\n") == "\n".join(
        [
            "BCD",
            "002",
            "2",
            "SCT",
            "NDEAFIHH",
            "Saari Shopping",
            "FI2112345600000785",
            "EUR110.5",
            "",
            "RF3120260001",
        ]
    )


def test_reminder_fee_in_another_currency_is_not_shown(shop) -> None:
    seller(shop)
    buyer(shop, currency="GBP")
    job(shop, fee="flat:100", currency="GBP")
    shop("invoice", "Midsummer", "--issue", "--today", "2026-06-01")
    shop("profile", "set", "reminder_fee", "5 EUR; 4 GBP")
    shop("profile", "set", "reminder_fee_from", "1")
    text = remind(shop, "2026-06-20").stdout
    assert f"Reminder fee: {money('4.00', 'GBP')}" in text
    shop("profile", "set", "reminder_fee", "5 EUR")
    assert (
        "Reminder fee"
        not in shop("invoice", "remind", "2026-0001", "--preview", "--today", "2026-07-10").stdout
    )


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("reminder_fee", "five euros", "not an amount and a currency"),
        ("reminder_fee", "5 EUR; 6 EUR", "EUR twice"),
        ("reminder_fee", "5 XYZ", "unknown currency"),
        ("reminder_fee", "0 EUR", "more than zero"),
        ("reminder_days", "0", "from 1 to 365"),
        ("reminder_fee_from", "4", "1, 2 or 3"),
    ],
)
def test_reminder_settings_are_checked(shop, key, value, message) -> None:
    seller(shop)
    refused = shop.fails("profile", "set", key, value, code=2)
    assert message in refused.stderr


def test_a_reminder_that_cannot_be_written_is_not_logged(shop, store, tmp_path: Path) -> None:
    billed(shop)
    shop.fails(
        "invoice", "remind", "2026-0001", "--today", "2026-06-20", "-o", str(tmp_path / "no" / "x")
    )
    shop("client", "edit", "Oskar Lund", "--email", "")
    refused = shop.fails(
        "invoice", "remind", "2026-0001", "--today", "2026-06-20", "--format", "eml"
    )
    assert "has no email address" in refused.stderr
    assert reminders(store) == []


def test_the_log_shows_money_as_money(shop, store) -> None:
    """What the log says of a cost or a reminder names the amount as every screen does:
    the currency's digits, thousands grouped, and its code."""
    billed(shop, fee="flat:1000")  # 1,255.00 EUR; 20.00 paid
    shop("cost", "add", "Midsummer", "customs", "12.4")
    remind(shop, "2026-06-20")
    summaries = [row["summary"] for row in store.query("SELECT summary FROM events")]
    assert "customs cost 12.40 EUR added" in summaries
    assert any(
        s.startswith("reminder 1 (friendly) for 2026-0001: 1,235.00 EUR open") for s in summaries
    )


def test_documents_rendered_again_are_logged_alike(shop, store, tmp_path: Path) -> None:
    billed(shop)
    remind(shop, "2026-06-20")
    since = store.scalar("SELECT max(id) FROM events")
    again, invoice = tmp_path / "again.html", tmp_path / "invoice.html"
    shop("invoice", "remind", "2026-0001", "--again", "-f", "html", "-o", str(again))
    shop("invoice", "show", "2026-0001", "-f", "html", "-o", str(invoice))
    shop("payment", "show", "1", "-f", "text")
    logged = [
        (row["kind"], row["summary"], json.loads(row["detail"]))
        for row in store.query("SELECT * FROM events WHERE id > ? ORDER BY id", [since])
    ]
    assert [(kind, summary) for kind, summary, _ in logged] == [
        ("invoice.reminder_rendered", "reminder 1 for 2026-0001 rendered again as html"),
        ("invoice.rendered", "invoice 2026-0001 rendered as html"),
        ("payment.confirmation", "payment confirmation for 2026-0001 rendered as text"),
    ]
    assert [(d["format"], d["output"]) for _, _, d in logged] == [
        ("html", str(again)),
        ("html", str(invoice)),
        ("text", None),
    ]
    assert logged[0][2]["reminder_id"] == reminders(store)[0]["id"]
