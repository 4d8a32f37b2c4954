"""Clients, recipients, jobs, budgets, rates and items through the real CLI."""

from __future__ import annotations

import stat

import pytest


def test_init_creates_private_home(shop, home) -> None:
    result = shop(
        "init",
        "--name",
        "Kasia Wiśniewska",
        "--email",
        "kasia@example.pl",
        "--currency",
        "PLN",
        "--language",
        "pl",
    )
    assert "Created your shop" in result.stdout
    db = home / "shop.db"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "profile.yaml").stat().st_mode) == 0o600
    shop("client", "add", "Someone")  # a write leaves -wal/-shm behind only while open
    for extra in ("shop.db-wal", "shop.db-shm"):
        if (home / extra).exists():
            assert stat.S_IMODE((home / extra).stat().st_mode) == 0o600
    profile = shop.json("profile", "show")
    assert profile["name"] == "Kasia Wiśniewska"
    assert profile["currency"] == "PLN" and profile["language"] == "pl"
    again = shop("init", "--currency", "EUR")
    assert "Updated" in again.stdout
    assert shop.json("profile", "show")["name"] == "Kasia Wiśniewska"


def test_path_says_where_things_live(shop, home) -> None:
    places = shop.json("path")
    assert places["database"] == str(home / "shop.db")
    assert places["templates"] == str(home / "templates")


def test_global_home_option_overrides_env(shop, tmp_path) -> None:
    other = tmp_path / "elsewhere"
    shop("--home", str(other), "client", "add", "Bea Szabó")
    assert (other / "shop.db").exists()


def test_client_lifecycle(shop, store) -> None:
    out = shop(
        "client",
        "add",
        "Réka Tóth",
        "--email",
        "reka@example.hu",
        "--phone",
        "+36 30 123 4567",
        "--language",
        "hu",
        "--currency",
        "HUF",
        "--address",
        "Váci utca 1, Budapest",
        "--notes",
        "prefers email",
    )
    assert "Added client #1 Réka Tóth" in out.stdout
    row = store.get("clients", 1)
    assert row["currency"] == "HUF" and row["language"] == "hu"
    shown = shop.json("client", "show", "réka")
    assert shown["email"] == "reka@example.hu" and shown["recipients"] == [] and shown["jobs"] == []
    shop("client", "edit", "Réka", "--phone", "", "--notes", "call after 5pm")
    row = store.get("clients", 1)
    assert row["phone"] is None and row["notes"] == "call after 5pm"
    listed = shop.json("client", "list")
    assert [c["name"] for c in listed] == ["Réka Tóth"]
    assert set(listed[0]) == {
        "id",
        "name",
        "salutation",
        "email",
        "phone",
        "address",
        "birthday",
        "language",
        "currency",
        "vat_id",
        "notes",
        "referred_by",
        "created_at",
        "updated_at",
    }
    shop("client", "rm", "1")
    assert store.get("clients", 1) is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "not-an-email"], "not an email"),
        (["--currency", "EURO"], "unknown currency"),
        (["--language", "xx"], "language is not a language shopcli knows"),
        (["--phone", "call me"], "not a phone"),
        (["--notes", "card 4111 1111 1111 1111"], "card"),
        (["--address", "5105-1051-0510-5100, Main St"], "card"),
        (["--notes", "4111111111111111a"], "card"),  # letters a-f glued on: typed, not a digest
        (["--notes", "ab4111111111111111"], "card"),
    ],
)
def test_client_bad_input_is_refused_and_nothing_is_written(shop, store, args, message) -> None:
    result = shop.fails("client", "add", "Li Wei", *args)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert store.scalar("SELECT count(*) FROM clients") == 0


@pytest.mark.parametrize(
    "notes", ["4111111111111111a", "card ab4111111111111111", "Ab4111111111111111cd"]
)
def test_a_card_number_glued_to_hex_letters_is_refused_on_edit(shop, store, notes) -> None:
    shop("client", "add", "Anna Virtanen", "--notes", "likes wool")
    shop("recipient", "add", "Anna", "Liisa")
    shop("job", "add", "Anna", "Christmas", "--currency", "EUR")
    shop("item", "add", "Christmas", "Scarf", "--price", "5", "--for", "Liisa")
    assert "card" in shop.fails("client", "edit", "1", "--notes", notes).stderr
    assert "card" in shop.fails("item", "edit", "Christmas/1", "--notes", notes).stderr
    assert store.get("clients", 1)["notes"] == "likes wool"
    assert store.get("items", 1)["notes"] is None


def test_unknown_language_lists_known_ones(shop) -> None:
    result = shop.fails("client", "add", "Li Wei", "--language", "de")
    for code in ("en", "fi", "pl", "hu", "ru", "uk", "zh"):
        assert code in result.stderr


def test_names_resolve_by_id_exact_and_prefix(shop) -> None:
    shop("client", "add", "Anne Smith")
    shop("client", "add", "Annette Dubois")
    shop("client", "add", "Ann")
    assert shop.json("client", "show", "Ann")["name"] == "Ann"  # exact wins over prefix
    assert shop.json("client", "show", "annet")["name"] == "Annette Dubois"
    assert shop.json("client", "show", "2")["name"] == "Annette Dubois"
    result = shop.fails("client", "show", "Anne")
    assert "matches 2 clients" in result.stderr
    assert "Anne Smith" in result.stderr and "Annette Dubois" in result.stderr
    assert "no client matches 'Zed'" in shop.fails("client", "show", "Zed").stderr


def test_non_ascii_prefixes_match_case_insensitively(shop) -> None:
    shop("client", "add", "Ärpäd Öz")
    assert shop.json("client", "show", "ärp")["name"] == "Ärpäd Öz"


def test_recipients(shop, store, family) -> None:
    shop(
        "recipient",
        "add",
        "Jan",
        "Ewa",
        "--relation",
        "wife",
        "--size",
        "S",
        "--size",
        "shoe=38",
        "--date",
        "nameday=2026-12-24",
        "--dislikes",
        "lilies, perfume",
        "--address",
        "ul. Polna 3, Kraków",
    )
    ewa = shop.json("recipient", "show", "Ewa", "--client", "Jan")
    assert ewa["sizes"] == {"size": "S", "shoe": "38"}
    assert ewa["dates"] == {"nameday": "2026-12-24"}
    assert ewa["dislikes"] == ["lilies", "perfume"]
    assert ewa["client"] == "Jan Kowalski"
    dup = shop.fails("recipient", "add", "Jan", "ewa")
    assert "already has a recipient" in dup.stderr
    shop("recipient", "edit", "Ewa", "--interests", "opera, tea", "--size", "M")
    ewa = shop.json("recipient", "show", "Ewa")
    assert ewa["interests"] == ["opera", "tea"] and ewa["sizes"] == {"size": "M"}
    assert len(shop.json("recipient", "list", "Jan")) == 3
    assert (
        "birthday"
        in shop.fails("recipient", "add", "Jan", "Ola", "--birthday", "31.12.2000").stderr
    )


def test_job_and_fee_terms(shop, store, family) -> None:
    shop(
        "job",
        "add",
        "Jan",
        "Wedding gift",
        "--fee",
        "hourly:60",
        "--currency",
        "EUR",
        "--min-fee",
        "100",
        "--deposit",
        "25%",
        "--deadline",
        "2027-05-01",
    )
    job = shop.json("job", "show", "Wedding")
    assert job["fee"] == "hourly:60" and job["min_fee"] == "100" and job["deposit"] == "25%"
    assert job["currency"] == "EUR"
    for bad in ("percent:150", "weekly:5", "flat", "flat:-3"):
        assert shop.fails("job", "add", "Jan", f"Bad {bad}", "--fee", bad).stderr
    assert shop.json("job", "show", "Jan Kowalski/Wedding gift")["id"] == job["id"]
    assert "already has a job" in shop.fails("job", "add", "Jan", "wedding gift").stderr
    shop("job", "edit", "Wedding", "--fee", "per-item:20", "--status", "done")
    job = shop.json("job", "show", "Wedding")
    assert job["fee"] == "per-item:20" and job["status"] == "done"


def test_same_job_title_for_two_clients_needs_client_prefix(shop, family) -> None:
    shop("client", "add", "Marta Zielińska")
    shop("job", "add", "Marta", "Imieniny 2026")
    result = shop.fails("job", "show", "Imieniny 2026")
    assert "matches 2 jobs" in result.stderr and "Marta Zielińska/Imieniny 2026" in result.stderr
    assert shop.json("job", "show", "Marta/Imieniny 2026")["client"] == "Marta Zielińska"


def test_items_and_budget_report_in_job_currency(shop, store, family) -> None:
    shop(
        "item",
        "add",
        "Imieniny",
        "Horse riding book",
        "--for",
        "Zosia",
        "--price",
        "89,99",
        "--store",
        "Empik",
        "--url",
        "https://empik.example/horse",
    )
    shop(
        "item",
        "add",
        "Imieniny",
        "Pony figurine set",
        "--for",
        "Zosia",
        "--price",
        "30",
        "--currency",
        "EUR",
        "--qty",
        "2",
        "--color",
        "brown",
    )
    shop("item", "add", "Imieniny", "Bike lights", "--for", "Piotr", "--price", "1 234,50")
    item = shop.json("item", "show", "Pony")
    assert item["number"] == 2 and item["total"] == "60" and item["colour"] == "brown"
    report = shop.json("budget", "list", "Imieniny")
    zosia, piotr = (
        next(r for r in report["recipients"] if r["name"] == n) for n in ("Zosia", "Piotr")
    )
    # 89.99 PLN + 2 x 30 EUR at 4.30 = 89.99 + 258.00
    assert zosia["planned"] == "347.99" and zosia["remaining"] == "-97.99" and zosia["over_budget"]
    assert piotr["planned"] == "1234.50" and piotr["over_budget"]
    assert report["total"]["budget"] == "900.00"
    assert report["total"]["planned"] == "1582.49"
    table = shop("budget", "list", "Imieniny").stdout
    assert "OVER" in table and "Zosia is over budget by 97.99 PLN" in table
    # Approved items count as approved, rejected ones drop out.
    store.execute("UPDATE items SET status = 'approved' WHERE number = 1")
    store.execute("UPDATE items SET status = 'rejected' WHERE number = 2")
    zosia = shop.json("budget", "list", "Imieniny")["recipients"]
    zosia = next(r for r in zosia if r["name"] == "Zosia")
    assert zosia["approved"] == "89.99" and zosia["planned"] == "0.00"
    assert zosia["remaining"] == "160.01" and not zosia["over_budget"]


def test_missing_rate_names_the_command(shop, family) -> None:
    shop("item", "add", "Imieniny", "Lego", "--for", "Piotr", "--price", "40", "--currency", "USD")
    result = shop.fails("budget", "list", "Imieniny")
    assert "shop rate set USD PLN" in result.stderr
    shop("rate", "set", "PLN", "USD", "0.25")  # only the inverse is known
    piotr = next(
        r for r in shop.json("budget", "list", "Imieniny")["recipients"] if r["name"] == "Piotr"
    )
    assert piotr["planned"] == "160.00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--price", "-5"], "negative"),
        (["--price", "1,234"], "ambiguous"),
        (["--price", "abc"], "not a number"),
        (["--price", "5", "--currency", "ZZZ"], "unknown currency"),
        (["--price", "5", "--qty", "0"], "at least 1"),
        (["--price", "5", "--url", "javascript:alert(1)"], "web link"),
        (["--price", "5", "--for", "Nobody"], "no recipient"),
        (["--price", "5", "--paid-by", "bank"], "paid by"),
        (["--price", "5", "--notes", "client card 4111111111111111"], "card"),
        (["--price", "5", "--notes", "card ㊶⑪⑪⑪⑪⑪⑪⑪"], "Visa card number"),
        (["--price", "5", "--notes", "card ab4111111111111111"], "Visa card number"),
        (["--price", "5", "--notes", "4111111111111111a"], "Visa card number"),
        (["--price", "5", "--qty", "100000"], "at most 99,999"),
        (["--price", "5", "--qty", "99999999999999999999"], "at most 99,999"),
        (["--price", "1٢"], "not a number"),
        ([], "needs a price"),
    ],
)
def test_item_bad_input(shop, store, family, args, message) -> None:
    result = shop.fails("item", "add", "Imieniny", "Thing", *args)
    assert message in result.stderr
    assert store.scalar("SELECT count(*) FROM items") == 0


def test_a_link_holding_a_sites_hex_id_is_kept(shop, store, family) -> None:
    """A CDN's SHA-256 in a link can read like a card number (sha256(b"338") holds
    "6236 4409 5936 7934 00"); it is the site's id, not something the shopper typed."""
    import hashlib

    link = f"https://cdn.example.com/p/{hashlib.sha256(b'338').hexdigest()}.html"
    shop("item", "add", "Imieniny", "Thing", "--price", "5", "--url", link)
    assert store.scalar("SELECT url FROM items") == link
    refused = shop.fails(
        "item", "edit", "Imieniny/1", "--url", "https://x.example/?c=4111111111111111"
    )
    assert "url looks like it contains a Visa card number" in refused.stderr
    assert store.scalar("SELECT url FROM items") == link


def test_item_for_another_clients_recipient_is_refused(shop, family) -> None:
    shop("client", "add", "Other Client")
    shop("recipient", "add", "Other", "Stranger")
    result = shop.fails("item", "add", "Imieniny", "Gift", "--price", "5", "--for", "Stranger")
    assert "no recipient" in result.stderr


def test_rm_refuses_dependents_then_force_removes_them(shop, store, family) -> None:
    shop("item", "add", "Imieniny", "Book", "--for", "Zosia", "--price", "20")
    refused = shop.fails("client", "rm", "Jan")
    assert "2 recipients" in refused.stderr and "1 job" in refused.stderr
    assert "--force" in refused.stderr
    assert "--yes" in shop.fails("client", "rm", "Jan", "--force").stderr  # no terminal
    assert store.scalar("SELECT count(*) FROM items") == 1
    out = shop("client", "rm", "Jan", "--force", "--yes")
    assert "also removes" in out.stdout
    for table in ("clients", "recipients", "jobs", "items", "budgets"):
        assert store.scalar(f"SELECT count(*) FROM {table}") == 0


def test_recipient_rm_with_budget(shop, store, family) -> None:
    assert "1 budget" in shop.fails("recipient", "rm", "Zosia").stderr
    shop("recipient", "rm", "Zosia", "--force", "--yes")
    assert store.scalar("SELECT count(*) FROM recipients WHERE name = 'Zosia'") == 0
    assert store.scalar("SELECT count(*) FROM budgets") == 1


def test_rates(shop) -> None:
    shop("rate", "set", "usd", "eur", "0,92")
    assert shop.json("rate", "list")[0] | {"updated_at": None} == {
        "base": "USD",
        "quote": "EUR",
        "rate": "0.92",
        "updated_at": None,
    }
    assert "different" in shop.fails("rate", "set", "EUR", "EUR", "1").stderr
    assert "greater than zero" in shop.fails("rate", "set", "USD", "EUR", "0").stderr
    shop("rate", "rm", "USD", "EUR")
    assert shop.json("rate", "list") == []


def test_profile_set_validates(shop) -> None:
    shop("profile", "set", "iban", "fi2112345600000785")
    shop("profile", "set", "business_id", "2617416-4")
    shop("profile", "set", "vat_id", "FI 2617 4164")
    shop("profile", "set", "terms.returns", "14 days, unused, with tags")
    shop("profile", "set", "vat_rate", "25,5")
    profile = shop.json("profile", "show")
    assert profile["iban"] == "FI21 1234 5600 0007 85"
    assert profile["vat_id"] == "FI26174164"
    assert profile["terms.returns"] == "14 days, unused, with tags"
    assert profile["vat_rate"] == "25.5"
    assert "not valid" in shop.fails("profile", "set", "iban", "FI21 1234 5600 0007 86").stderr
    assert "not valid" in shop.fails("profile", "set", "business_id", "1234567-8").stderr
    unknown = shop.fails("profile", "set", "colour", "blue")
    assert "known keys" in unknown.stderr and "business_id" in unknown.stderr
    assert "{seq}" in shop.fails("profile", "set", "invoice_number_format", "INV-{year}").stderr
    shop("profile", "set", "iban", "")
    assert shop.json("profile", "show")["iban"] is None


def test_no_traceback_and_no_data_on_unexpected_errors(shop, monkeypatch) -> None:
    from shopcli.people import clients

    def boom(*args, **kwargs):
        secret = "Anna's secret address"  # noqa: F841 - a local that must never be printed
        raise RuntimeError("kaboom with Anna's secret address")

    monkeypatch.setattr(clients, "add", boom)
    result = shop.fails("client", "add", "Anna")
    assert "unexpected RuntimeError" in result.stderr
    assert "secret" not in result.output and "Traceback" not in result.output


def test_usage_errors_are_usage_errors_not_crashes(shop) -> None:
    result = shop.fails("client", "add", "X", "--no-such-option", code=2)
    assert "unexpected" not in result.stderr
    assert "No such option" in result.stderr


@pytest.mark.parametrize("ref", ["99999999999999999999", "²", "#99999999999999999999", "0"])
def test_odd_digit_references_are_not_found_not_crashes(shop, ref) -> None:
    shop("client", "add", "Dora Kiss")
    result = shop.fails("client", "show", ref, code=3)
    assert "no client" in result.stderr


def test_agenda_days_are_bounded(shop) -> None:
    result = shop.fails("agenda", "--days", "99999999999999999999", code=2)
    assert "unexpected" not in result.stderr


def test_multi_line_address_lines_up_in_show(shop) -> None:
    shop("client", "add", "Eino Laine", "--address", "Kotikatu 2 B 7\n00200 Helsinki")
    shown = shop("client", "show", "Eino").stdout.splitlines()
    first = next(i for i, line in enumerate(shown) if "Kotikatu 2 B 7" in line)
    assert shown[first + 1].strip() == "00200 Helsinki"
    assert shown[first + 1].index("00200") == shown[first].index("Kotikatu")


def test_fixed_deposit_above_a_flat_fee_is_refused(shop, store, family) -> None:
    result = shop.fails("job", "add", "Jan", "Komunia", "--fee", "flat:100", "--deposit", "500")
    assert "more than the flat fee" in result.stderr
    assert store.scalar("SELECT count(*) FROM jobs WHERE title = 'Komunia'") == 0
    shop("job", "add", "Jan", "Komunia", "--fee", "flat:100", "--deposit", "40")
    assert (
        "more than the flat fee" in shop.fails("job", "edit", "Komunia", "--fee", "flat:30").stderr
    )
    assert shop.json("job", "show", "Komunia")["fee"] == "flat:100"
    shop("job", "edit", "Komunia", "--deposit", "50%")


def test_numbers_in_odd_digits_are_refused_not_crashed_on(shop, store, family) -> None:
    """Superscript, full-width and endless digits where a number is expected: a clear error."""
    shop("item", "add", "Imieniny", "Kredki", "--price", "20")
    for ref in ("#²", "#99999999999999999999999", "#7"):
        result = shop.fails("item", "show", ref, "--job", "Imieniny", code=3)
        assert "no item" in result.stderr or "no item number" in result.stderr
    assert shop.json("item", "show", "#1", "--job", "Imieniny")["title"] == "Kredki"
    for days in ("²", "１４", "9" * 30):
        result = shop.fails("profile", "set", "payment_terms_days", days, code=2)
        assert "payment terms must be a number of days" in result.stderr
