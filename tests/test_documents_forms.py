"""What documents say and how: salutations, ids by scheme, the date of supply, goods billed as
disbursements or resold, terms per language, names kept whole.

Expected wording comes from the catalogs (the same source the templates use) or is checked by
meaning; every language's rendering of every document is read in test_documents_languages.
"""

from __future__ import annotations

import email
import json
import re
import sqlite3
from decimal import Decimal
from email import policy
from pathlib import Path

import pytest

from billing_helpers import buyer, item, job, move, ready, seller
from expect import eur, invoice_day, percent
from shopcli.documents import i18n


def said(language: str, message: str, **values: str) -> str:
    """A message as a document in `language` says it."""
    text = i18n.translations(language).gettext(message)
    return text % values if values else text


def eml_parts(data: bytes) -> tuple[str, str, str]:
    message = email.message_from_bytes(data, policy=policy.default)
    plain = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    markup = message.get_body(("html",)).get_content().replace("\r\n", "\n")
    return str(message["Subject"]), plain, markup


# -- salutations ----------------------------------------------------------------------------


def _polish_client(shop, *salutation: str) -> None:
    seller(shop, language="pl", currency="PLN")
    shop(
        "client", "add", "Katarzyna Nowak", "--email", "kasia@example.pl", "--language", "pl",
        "--currency", "PLN", "--address", "ul. Długa 5, 00-001 Warszawa", *salutation,
    )  # fmt: skip
    shop("job", "add", "Katarzyna Nowak", "Imieniny", "--fee", "flat:100")
    shop("item", "add", "Imieniny", "Szalik", "--price", "40")


def test_a_salutation_is_kept_edited_cleared_and_greets_in_every_letter(shop, store) -> None:
    _polish_client(shop, "--salutation", "Pani Katarzyno")
    assert shop.json("client", "show", "Katarzyna")["salutation"] == "Pani Katarzyno"
    dear = said("pl", "Dear %(salutation)s,", salutation="Pani Katarzyno")
    assert dear == "Dzień dobry, Pani Katarzyno,"
    proposal = shop("propose", "Imieniny").stdout
    notice = shop("notify", "Imieniny", "received-order").stdout
    for text in (proposal, notice):
        assert f"\n{dear}\n" in text and "Katarzyna Nowak" not in text
    shop("client", "edit", "Katarzyna", "--salutation", "Kasiu")
    assert (
        said("pl", "Dear %(salutation)s,", salutation="Kasiu")
        in shop("notify", "Imieniny", "received-order").stdout
    )
    shop("client", "edit", "Katarzyna", "--salutation", "")
    assert store.one("SELECT salutation FROM clients")["salutation"] is None
    text = shop("notify", "Imieniny", "received-order").stdout
    assert f"\n{said('pl', 'Hello,')}\n" in text and "Kasiu" not in text
    shop.fails("client", "edit", "Katarzyna", "--salutation", "a\nb", code=2)


def test_the_invoice_email_and_the_payment_confirmation_greet_by_salutation(shop) -> None:
    ready(shop)
    shop("client", "edit", "Oskar", "--salutation", "Oskar")
    item(shop, "Linen shirt", "40", paid_by="shopper", status="delivered")
    shop("invoice", "Midsummer", "--issue")
    subject, plain, markup = eml_parts(
        shop("invoice", "show", "2026-0001", "--format", "eml").stdout_bytes
    )
    assert plain.startswith("Dear Oskar,\n")
    assert said("en", "Here is my invoice for %(job)s.", job="Midsummer 2026") in plain
    assert plain.rstrip().endswith("Saari Shopping")
    assert "<p>Dear Oskar,</p>" in markup
    # The invoice itself (as shown, printed or attached) is not a letter.
    assert "Dear" not in shop("invoice", "show", "2026-0001").stdout
    confirmation = shop("pay", "2026-0001", "10", "--format", "text").stdout
    assert confirmation.startswith("Dear Oskar,\n")
    # Rendered again later, the confirmation greets the same way.
    paid = shop.json("payment", "list")[0]["id"]
    assert shop("payment", "show", str(paid), "--format", "text").stdout == confirmation
    again = shop("payment", "show", str(paid), "--format", "html").stdout
    assert "Dear Oskar," in again


def test_a_salutation_is_escaped_in_html(shop) -> None:
    _polish_client(shop, "--salutation", "<b>Pani</b> & co")
    page = shop("propose", "Imieniny", "--format", "html").stdout
    assert "&lt;b&gt;Pani&lt;/b&gt; &amp; co" in page and "<b>Pani</b>" not in page


def test_gift_lists_and_exports_carry_the_salutation(shop, store, tmp_path, monkeypatch) -> None:
    listing = tmp_path / "list.yaml"
    listing.write_text(
        "client: {name: Олена Шевчук, salutation: Олено, email: olena@example.ua, language: uk}\n"
        "recipients:\n  - {name: Тарас}\n",
        encoding="utf-8",
    )
    shop("import", str(listing))
    assert store.one("SELECT salutation FROM clients")["salutation"] == "Олено"
    exported = tmp_path / "export.json"
    shop("export", "-o", str(exported))
    rows = json.loads(exported.read_text(encoding="utf-8"))["tables"]["clients"]
    assert [row["salutation"] for row in rows] == ["Олено"]
    other = tmp_path / "other"
    monkeypatch.setenv("SHOP_HOME", str(other))
    shop("import", str(exported))
    again = sqlite3.connect(other / "shop.db")
    assert again.execute("SELECT salutation FROM clients").fetchall() == [("Олено",)]
    again.close()


def test_forgetting_a_client_erases_their_salutation(shop, store) -> None:
    _polish_client(shop, "--salutation", "Pani Katarzyno")
    shop("client", "forget", "Katarzyna", "--yes")
    assert store.one("SELECT salutation FROM clients")["salutation"] is None


def test_an_older_database_gains_the_new_columns(tmp_path) -> None:
    from sqlite_utils import Database

    from shopcli.storage import Store, migrations

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.migrations.apply(Database(conn, execute_plugins=False), stop_before=_first_new())
    conn.execute(
        "INSERT INTO clients (name, created_at, updated_at) VALUES ('Old Timer', 't', 't')"
    )
    conn.execute(
        "INSERT INTO jobs (client_id, title, currency, created_at, updated_at) "
        "VALUES (1, 'Old job', 'EUR', 't', 't')"
    )
    conn.execute(
        "INSERT INTO items (job_id, number, title, price, currency, paid_by, created_at, "
        "updated_at) VALUES (1, 1, 'Old item', '10', 'EUR', 'shopper', 't', 't')"
    )
    conn.close()
    store = Store(path)
    assert store.one("SELECT salutation FROM clients") == {"salutation": None}
    assert store.one("SELECT billed_as FROM items") == {"billed_as": "disbursement"}
    store.close()


def _first_new() -> str:
    from shopcli.storage import migrations

    return next(name for name in migrations.migrations.names() if "client_salutation" in name)


# -- ids labelled by what they are ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "country", "scheme", "shown"),
    [
        ("2617416-4", "FI", "ytunnus", "2617416-4"),
        ("FI26174164", "FI", "ytunnus", "2617416-4"),
        ("8567346215", "PL", "nip", "856-734-62-15"),
        ("PL 856-734-62-15", "PL", "nip", "856-734-62-15"),
        ("12892312-2-42", "HU", "adoszam", "12892312-2-42"),
        ("HU12892312", "HU", "adoszam", "12892312"),
        ("7707083893", "RU", "inn", "7707083893"),
        ("32855961", "UA", "edrpou", "32855961"),
        ("91110000600037341L", "CN", "uscc", "91110000600037341L"),
    ],
)
def test_a_business_id_is_recognised_by_its_scheme(value, country, scheme, shown) -> None:
    from shopcli.core import tax_ids

    found = tax_ids.business_id(value)
    assert (found.country, found.scheme, found.value) == (country, scheme, shown)
    assert tax_ids.identify("business_id", found.value) == found


def test_a_country_code_picks_the_scheme_of_a_number_two_schemes_accept() -> None:
    from stdnum.pl import nip
    from stdnum.ru import inn

    from shopcli.core import tax_ids

    both = next(
        f"{n:010d}"
        for n in range(7707083893, 7707083893 + 200_000, 7)
        if nip.is_valid(f"{n:010d}") and inn.is_valid(f"{n:010d}")
    )
    assert tax_ids.business_id(both).scheme == "nip"  # the first scheme tried
    russian = tax_ids.business_id(f"RU {both}")
    assert (russian.scheme, russian.value) == ("inn", f"RU {both}")
    # Stored with its country, it is labelled the same way every time.
    assert tax_ids.identify("business_id", russian.value).scheme == "inn"


def test_a_vat_number_is_an_eu_vat_number_of_its_country() -> None:
    from shopcli.core import tax_ids
    from shopcli.core.errors import InvalidInput

    found = tax_ids.vat_id("FI 1234 5671")
    assert (found.country, found.scheme, found.value) == ("FI", "eu_vat", "FI12345671")
    with pytest.raises(InvalidInput):
        tax_ids.vat_id("12345671")


@pytest.mark.parametrize("language", ["pl", "ru", "hu", "uk", "zh", "fi", "en"])
def test_invoice_labels_say_what_each_number_is(shop, language: str) -> None:
    from shopcli.documents.tax_labels import LABELS

    ready(shop)
    shop("profile", "set", "business_id", "2617416-4")
    shop("client", "edit", "Oskar", "--language", language, "--vat-id", "SE556036079301")
    text = shop("invoice", "Midsummer").stdout
    colon = "：" if language == "zh" else ": "
    vat, business = (said(language, LABELS[key]) for key in ("eu_vat", "ytunnus"))
    assert f"{vat}{colon}FI12345671" in text and f"{vat}{colon}SE556036079301" in text
    assert f"{business}{colon}2617416-4" in text
    # Never the reader's own national number for a foreign one.
    for wrong in ("NIP: FI", "ИНН: FI", "Adószám: 2617416-4", "VAT ID"):
        assert wrong not in text


def test_the_hungarian_tax_number_is_accepted_in_full(shop) -> None:
    shop("init", "--name", "Kovács Anna", "--email", "anna@example.hu")
    shop("profile", "set", "business_id", "12892312-2-42")
    assert shop.json("profile", "show")["business_id"] == "12892312-2-42"
    shop.fails("profile", "set", "business_id", "12892312-2-99", code=2)


# -- the date of supply ---------------------------------------------------------------------


def _handed_over(shop, day: str = "2026-06-18") -> None:
    ready(shop)
    shop("client", "edit", "Oskar", "--language", "hu")
    item(shop, "Linen shirt", "40", paid_by="shopper", status="shipped")
    shop("item", "receive", "Linen shirt", "--ok", "--on", "2026-06-15")
    shop("handover", "Midsummer", "--method", "pickup", "--date", day)


def test_the_date_of_supply_is_the_handover_when_it_is_not_the_issue_date(shop) -> None:
    _handed_over(shop)
    label = said("hu", "Date of supply")
    assert label == "Teljesítés dátuma"
    draft = shop("invoice", "Midsummer", "--today", "2026-06-20").stdout
    assert f"{label}: {invoice_day('2026-06-18', 'hu')}" in draft
    shop("invoice", "Midsummer", "--issue", "--today", "2026-06-20")
    frozen = shop.json("invoice", "show", "2026-0001")["document"]
    assert frozen["supplied"] == "2026-06-18"
    assert f"{label}: 2026.06.18." in shop("invoice", "show", "2026-0001").stdout
    html = shop("invoice", "show", "2026-0001", "--format", "html").stdout
    assert label in html and "2026.06.18." in html


def test_the_date_of_supply_can_be_given_and_is_left_out_when_it_is_the_issue_date(shop) -> None:
    _handed_over(shop, "2026-06-20")
    label = said("hu", "Date of supply")
    assert label not in shop("invoice", "Midsummer", "--today", "2026-06-20").stdout
    shop.fails("invoice", "Midsummer", "--supplied", "20.06.2026", code=2)
    shop("invoice", "Midsummer", "--issue", "--today", "2026-06-22", "--supplied", "2026-06-19")
    assert shop.json("invoice", "show", "2026-0001")["document"]["supplied"] == "2026-06-19"
    assert f"{label}: 2026.06.19." in shop("invoice", "show", "2026-0001").stdout


def test_a_deposit_invoice_before_the_work_has_no_date_of_supply(shop) -> None:
    ready(shop, deposit="30%")
    shop("invoice", "Midsummer", "--deposit", "--issue")
    assert shop.json("invoice", "show", "2026-0001")["document"]["supplied"] is None
    assert "Date of supply" not in shop("invoice", "show", "2026-0001").stdout


def test_a_credit_note_names_what_it_cancels_not_a_supply(shop) -> None:
    _handed_over(shop)
    shop("invoice", "Midsummer", "--issue", "--today", "2026-06-20")
    shop("invoice", "void", "2026-0001", "--reason", "rossz név", "--today", "2026-06-25")
    text = shop("invoice", "show", "2026-0002").stdout
    assert said("hu", "Date of supply") not in text and "2026.06.20." in text


# -- goods paid by the shopper: a disbursement or a resale ----------------------------------


def _goods(shop, *billed_as: str, vat: bool = True) -> None:
    ready(shop, vat=vat)
    item(shop, "Scarf", "49.90", paid_by="shopper", shipping="6.90")
    if billed_as:
        shop("item", "edit", "Scarf", *billed_as)
    move("Midsummer 2026", "Scarf", "delivered")


def _lines(shop) -> list[dict]:
    return shop.json("invoice", "Midsummer")["lines"]


def test_goods_bought_in_the_clients_name_are_a_disbursement_outside_vat(shop) -> None:
    _goods(shop)
    lines = [line for line in _lines(shop) if not line["kind"].startswith("fee")]
    assert [(line["kind"], line["amount"], line["vat"]) for line in lines] == [
        ("goods", "49.90", None),
        ("shipping", "6.90", None),
    ]
    text = shop("invoice", "Midsummer").stdout
    assert "Paid on your behalf: Scarf" in text and "Shipping paid on your behalf: Scarf" in text
    assert "recharged at cost, outside the scope of VAT" in text


def test_goods_resold_in_the_shoppers_name_carry_vat_at_the_approved_price(shop) -> None:
    _goods(shop, "--billed-as", "resale")
    assert shop.json("item", "show", "Scarf")["billed_as"] == "resale"
    document = shop.json("invoice", "Midsummer")
    lines = [line for line in document["lines"] if not line["kind"].startswith("fee")]
    assert [line["kind"] for line in lines] == ["resale", "resale_shipping"]
    assert all(line["vat"] == "25.5" for line in lines)
    # The client approved 49.90 and 6.90 with VAT in them: the lines carry them without.
    for line, gross in zip(lines, ("49.90", "6.90"), strict=True):
        net = Decimal(line["amount"])
        assert abs(net * Decimal("1.255") - Decimal(gross)) <= Decimal("0.01")
    assert Decimal(document["outside_vat"]) == 0
    text = shop("invoice", "Midsummer").stdout
    assert "on your behalf" not in text and "outside the scope of VAT" not in text
    assert f"Scarf\n   1 × {eur('39.76')} = {eur('39.76')} (VAT {percent('25.5')})" in text
    assert "including VAT" in text


def test_a_resold_item_under_a_vat_exemption_is_billed_at_its_price(shop) -> None:
    _goods(shop, "--billed-as", "resale", vat=False)
    lines = [line for line in _lines(shop) if line["kind"].startswith("resale")]
    assert [(line["amount"], line["vat"]) for line in lines] == [("49.90", None), ("6.90", None)]


def test_an_invoice_line_never_says_both(shop) -> None:
    """Each goods line is either paid on the client's behalf (outside VAT) or sold (with VAT)."""
    ready(shop)
    item(shop, "Scarf", "49.90", paid_by="shopper")
    item(shop, "Gloves", "20", paid_by="shopper")
    shop("item", "edit", "Gloves", "--billed-as", "resale")
    for title in ("Scarf", "Gloves"):
        move("Midsummer 2026", title, "delivered")
    text = shop("invoice", "Midsummer").stdout
    blocks = re.split(r"\n(?=\d+\. )|\n\n", text)
    lines = {title: next(b for b in blocks if title in b) for title in ("Scarf", "Gloves")}
    assert "behalf" in lines["Scarf"] and "outside VAT" in lines["Scarf"]
    assert "VAT 25" not in lines["Scarf"]
    assert "behalf" not in lines["Gloves"] and "VAT 25.5%" in lines["Gloves"]


def test_resale_needs_the_shopper_to_pay_and_an_unknown_kind_is_refused(shop) -> None:
    ready(shop)
    item(shop, "Scarf", "49.90")
    result = shop.fails("item", "edit", "Scarf", "--billed-as", "resale", code=2)
    assert "--paid-by shopper" in result.stderr
    shop.fails("item", "edit", "Scarf", "--billed-as", "gift", code=2)
    shop("item", "add", "Midsummer", "Hat", "--price", "10", "--paid-by", "shopper",
         "--billed-as", "resale")  # fmt: skip
    assert shop.json("item", "show", "Hat")["billed_as"] == "resale"
    refused = shop.fails("item", "edit", "Hat", "--paid-by", "client", code=2)
    assert "--billed-as disbursement" in refused.stderr


def test_the_proposal_says_how_each_item_the_shopper_pays_is_billed(shop) -> None:
    ready(shop)
    item(shop, "Scarf", "49.90", paid_by="shopper")
    item(shop, "Gloves", "20", paid_by="shopper")
    shop("item", "edit", "Gloves", "--billed-as", "resale")
    text = shop("propose", "Midsummer").stdout
    scarf, gloves = text.split("2. Gloves")
    assert "on your behalf" in scarf.split("1. Scarf")[1] and "my own name" in gloves


# -- terms in the client's language, each said once -----------------------------------------


def _finnish_job(shop, *, deposit: str | None = "30%") -> None:
    seller(shop, language="fi")
    buyer(shop, language="fi")
    job(shop, fee="flat:100", deposit=deposit)
    item(shop, "Villasukat", "19.90")
    shop("profile", "set", "terms.prepayment", "Ennakko 30 % palkkiosta ennen ostoksia.")
    shop("profile", "set", "terms.delivery", "Toimitus 2–5 arkipäivää.")
    shop("profile", "set", "terms.returns", "Palautukset kaupan ehdoin.")


def test_terms_are_shown_in_the_documents_language_when_written_in_it(shop) -> None:
    _finnish_job(shop)
    shop("profile", "set", "terms.delivery.en", "Delivery in 2-5 working days.")
    shop("profile", "set", "terms.delivery.pl", "Dostawa w 2–5 dni roboczych.")
    assert shop.json("profile", "show")["terms.delivery.pl"] == "Dostawa w 2–5 dni roboczych."
    finnish = shop("propose", "Midsummer", "--preview")
    assert "Toimitus 2–5 arkipäivää." in finnish.stdout
    assert "Warning" not in finnish.stderr
    shop("client", "edit", "Oskar", "--language", "pl")
    polish = shop("propose", "Midsummer", "--preview")
    assert "Dostawa w 2–5 dni roboczych." in polish.stdout
    assert "Toimitus" not in polish.stdout and "Delivery in" not in polish.stdout
    # No Polish returns text: the Finnish one is shown, and the shopper is told how to add it.
    assert "Palautukset kaupan ehdoin." in polish.stdout
    assert 'shop profile set terms.returns.pl "..."' in polish.stderr
    shop("client", "edit", "Oskar", "--language", "uk")
    ukrainian = shop("propose", "Midsummer", "--preview")
    # English before the shopper's own language for a client who reads neither's text.
    assert "Delivery in 2-5 working days." in ukrainian.stdout
    assert "terms.delivery has no Ukrainian text: the English one was used" in ukrainian.stderr


def test_each_term_is_said_once_from_one_source(shop) -> None:
    """The job's deposit is the prepayment: the profile's prepayment text is not repeated."""
    _finnish_job(shop)
    for text in (
        shop("propose", "Midsummer", "--preview").stdout,
        shop("notify", "Midsummer", "received-order").stdout,
    ):
        assert "Ennakko 30 % palkkiosta" not in text
        assert said("fi", "Prepayment") not in text
    proposal = shop("propose", "Midsummer", "--preview").stdout
    assert proposal.count(said("fi", "Deposit")) == 1


def test_the_prepayment_text_is_shown_for_a_job_without_a_deposit(shop) -> None:
    _finnish_job(shop, deposit=None)
    text = shop("propose", "Midsummer", "--preview").stdout
    assert f"{said('fi', 'Prepayment')}: Ennakko 30 % palkkiosta ennen ostoksia." in text


def test_a_terms_key_in_an_unknown_language_is_refused(shop) -> None:
    shop("init", "--name", "Maija", "--email", "maija@example.fi")
    result = shop.fails("profile", "set", "terms.delivery.xx", "Tracked post", code=2)
    assert "unknown profile key" in result.stderr


# -- names are never cut --------------------------------------------------------------------


def test_gift_labels_sign_with_the_whole_name(shop, tmp_path: Path) -> None:
    """Hungarian names put the family name first: "Kovács Réka" is never signed "Kovács"."""
    seller(shop, language="hu", currency="HUF")
    shop("client", "add", "Kovács Réka", "--language", "hu", "--currency", "HUF")
    shop("recipient", "add", "Kovács Réka", "Anna")
    shop("job", "add", "Kovács Réka", "Karácsony", "--fee", "flat:5000")
    shop("item", "add", "Karácsony", "Sál", "--for", "Anna", "--price", "9000")
    move("Karácsony", "Sál", "shipped")
    text = shop("labels", "Karácsony").stdout
    tag = said("hu", "To %(recipient)s, from %(sender)s", recipient="Anna", sender="Kovács Réka")
    assert tag in text
    assert not any(line.rstrip().endswith("Kovács") for line in text.splitlines())
    page = shop("labels", "Karácsony", "--format", "html").stdout
    assert said("hu", "From %(name)s", name="Kovács Réka") in page


def test_the_vat_exemption_note_is_written_per_language_and_frozen_as_issued(shop) -> None:
    """The exemption note is read by the client: in their language when written in it."""
    ready(shop, vat=False)
    shop("profile", "set", "language", "fi")
    shop("profile", "set", "vat_exempt_note", "Arvonlisäveroton vähäisen toiminnan perusteella")
    shop("client", "edit", "Oskar", "--language", "pl")
    draft = shop("invoice", "Midsummer")
    assert "Arvonlisäveroton" in draft.stdout
    assert 'shop profile set vat_exempt_note.pl "..."' in draft.stderr
    note = "Zwolnienie z VAT: mały przedsiębiorca (Finlandia, AVL 3 §)"
    shop("profile", "set", "vat_exempt_note.pl", note)
    issued = shop("invoice", "Midsummer", "--issue")
    assert note in issued.stdout and "Arvonlisäveroton" not in issued.stdout
    assert "Warning" not in issued.stderr
    assert shop.json("invoice", "show", "2026-0001")["document"]["vat_exempt_note"] == note
    # Issued is frozen: changing the profile changes no issued invoice.
    shop("profile", "set", "vat_exempt_note.pl", "")
    assert note in shop("invoice", "show", "2026-0001").stdout


def test_a_payment_confirmation_names_the_document_it_pays(shop) -> None:
    ready(shop, deposit="30%")
    shop("client", "edit", "Oskar", "--language", "ru")
    shop("invoice", "Midsummer", "--deposit", "--issue")
    text = shop("pay", "2026-0001", "10", "--format", "text").stdout
    assert f"{said('ru', 'For')}: {said('ru', 'Deposit invoice')} 2026-0001" in text


def test_a_cancelled_deposit_statement_says_what_it_cancels(shop) -> None:
    ready(shop, deposit="30%")
    shop("client", "edit", "Oskar", "--language", "fi")
    shop("profile", "set", "official_invoicing", "pl-ksef")
    shop("invoice", "Midsummer", "--deposit", "--issue")
    shop("invoice", "void", "2026-0001", "--reason", "väärä summa")
    title = shop("invoice", "show", "2026-0002").stdout.splitlines()[0]
    assert title == f"{said('fi', 'Cancellation of deposit statement')} 2026-0002"
    assert said("fi", "Cancellation of fee statement") not in title
