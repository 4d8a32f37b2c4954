"""`shop import contacts.vcf [--client CLIENT]` and `shop client export CLIENT --format vcf`:
contacts as Google Contacts (vCard 3.0), Apple Contacts (3.0) and Thunderbird (4.0) export
them, all or nothing, and back."""

from __future__ import annotations

from pathlib import Path

import pytest

# Shaped like Google Contacts' "Export > vCard": 3.0, grouped item1. properties with
# X-ABLabel, CATEGORIES:myContacts, folded long lines.
GOOGLE = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "FN:Anna Virtanen\r\n"
    "N:Virtanen;Anna;;;\r\n"
    "EMAIL;TYPE=INTERNET;TYPE=HOME:anna.virtanen@example.fi\r\n"
    "TEL;TYPE=CELL:+358 40 123 4567\r\n"
    "ADR;TYPE=HOME:;;Mannerheimintie 12 B 7;Helsinki;;00100;Finland\r\n"
    "BDAY:1985-03-14\r\n"
    "item1.URL:https\\://anna.example.fi\r\n"
    "item1.X-ABLabel:\r\n"
    "NOTE:Likes Marimekko prints. Prefers to be called in the evening\\, never bef\r\n"
    " ore 17.\r\n"
    "CATEGORIES:myContacts\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "FN:Réka Tóth\r\n"
    "N:Tóth;Réka;;;\r\n"
    "EMAIL;TYPE=INTERNET:reka.toth@example.hu\r\n"
    "CATEGORIES:myContacts\r\n"
    "END:VCARD\r\n"
)

# Shaped like Apple Contacts' "Export vCard": 3.0, PRODID, type=pref, item1.ADR with
# X-ABADR, a birthday without a year (X-APPLE-OMIT-YEAR), a non-ASCII email address.
APPLE = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "PRODID:-//Apple Inc.//macOS 14.4//EN\r\n"
    "N:Müller;Jürgen;;;\r\n"
    "FN:Jürgen Müller\r\n"
    "EMAIL;type=INTERNET;type=WORK:j.mueller@firma.example\r\n"
    "EMAIL;type=INTERNET;type=HOME;type=pref:jurgen@müller.de\r\n"
    "TEL;type=CELL;type=VOICE;type=pref:+49 151 2345 6789\r\n"
    "item1.ADR;type=HOME;type=pref:;;Lindenstraße 4;Berlin;;10115;Germany\r\n"
    "item1.X-ABADR:de\r\n"
    "BDAY;X-APPLE-OMIT-YEAR=1604:1604-07-26\r\n"
    "END:VCARD\r\n"
)

# Shaped like Thunderbird's address book export: vCard 4.0, PREF=1, VALUE=TEXT phones,
# BDAY;VALUE=DATE without dashes, UID, Chinese names.
THUNDERBIRD = (
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "PRODID:-//Thunderbird.net/NONSGML Thunderbird 115.10.1//EN\r\n"
    "FN:李娜\r\n"
    "N:李;娜;;;\r\n"
    "EMAIL;PREF=1:李@example.cn\r\n"
    "TEL;VALUE=TEXT;TYPE=cell:+86 138 0013 8000\r\n"
    "ADR:;;建国路88号;北京;;100022;中国\r\n"
    "BDAY;VALUE=DATE:19900520\r\n"
    "NOTE:喜欢茶具\r\n"
    "UID:6b1c2e7e-5d0a-4c5e-9f4e-2a7d3b9c1e11\r\n"
    "END:VCARD\r\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_google_contacts_become_clients(shop, store, tmp_path) -> None:
    done = shop("import", str(_write(tmp_path, "contacts.vcf", GOOGLE)))
    assert "2 created, 0 updated, 0 unchanged" in done.stdout
    anna = store.one("SELECT * FROM clients WHERE email = 'anna.virtanen@example.fi'")
    assert anna["name"] == "Anna Virtanen"
    assert anna["phone"] == "+358 40 123 4567"
    assert anna["address"] == "Mannerheimintie 12 B 7\n00100 Helsinki\nFinland"
    assert anna["birthday"] == "1985-03-14"
    assert anna["notes"] == (
        "Likes Marimekko prints. Prefers to be called in the evening, never before 17."
    )
    reka = store.one("SELECT * FROM clients WHERE name = 'Réka Tóth'")
    assert reka["email"] == "reka.toth@example.hu" and reka["phone"] is None


def test_apple_contacts_take_the_preferred_values(shop, store, tmp_path) -> None:
    done = shop("import", str(_write(tmp_path, "Jürgen.vcf", APPLE)))
    client = store.one("SELECT * FROM clients")
    assert client["email"] == "jurgen@müller.de"  # type=pref, a non-ASCII domain
    assert client["address"] == "Lindenstraße 4\n10115 Berlin\nGermany"
    assert client["birthday"] is None
    assert "birthday without a year" in done.stdout


def test_thunderbird_vcard_4(shop, store, tmp_path) -> None:
    shop("import", str(_write(tmp_path, "abook.vcf", THUNDERBIRD)))
    client = store.one("SELECT * FROM clients")
    assert (client["name"], client["email"], client["birthday"]) == (
        "李娜",
        "李@example.cn",
        "1990-05-20",
    )
    assert client["phone"] == "+86 138 0013 8000"
    assert client["address"] == "建国路88号\n100022 北京\n中国"
    assert client["notes"] == "喜欢茶具"


def test_importing_again_updates_and_reports_unchanged(shop, store, tmp_path) -> None:
    path = _write(tmp_path, "contacts.vcf", GOOGLE)
    shop("import", str(path))
    shop("client", "edit", "Anna Virtanen", "--phone", "+358 50 000 0000", "--language", "fi")
    done = shop("import", str(path))
    assert "0 created, 1 updated, 1 unchanged" in done.stdout
    assert "updated    client #1 Anna Virtanen (phone)" in done.stdout
    anna = store.get("clients", 1)
    assert anna["phone"] == "+358 40 123 4567"
    assert anna["language"] == "fi"  # not in the card: kept
    assert store.scalar("SELECT count(*) FROM clients") == 2


def test_a_card_matches_a_client_by_email_before_name(shop, store, tmp_path) -> None:
    shop("client", "add", "Anna V.", "--email", "ANNA.VIRTANEN@example.fi")
    shop("import", str(_write(tmp_path, "contacts.vcf", GOOGLE)))
    assert store.scalar("SELECT count(*) FROM clients") == 2
    assert store.get("clients", 1)["phone"] == "+358 40 123 4567"


def test_with_client_the_cards_become_recipients(shop, store, tmp_path) -> None:
    shop("client", "add", "Hana Sato")
    shop("recipient", "add", "Hana Sato", "李娜", "--relation", "friend")
    done = shop(
        "import", str(_write(tmp_path, "friends.vcf", GOOGLE + THUNDERBIRD)), "--client", "Hana"
    )
    assert "2 created, 1 updated, 0 unchanged" in done.stdout
    people = {r["name"]: r for r in store.query("SELECT * FROM recipients")}
    assert people["李娜"]["relation"] == "friend" and people["李娜"]["birthday"] == "1990-05-20"
    assert people["Anna Virtanen"]["address"].startswith("Mannerheimintie 12 B 7")
    assert {r["client_id"] for r in people.values()} == {1}
    assert store.scalar("SELECT count(*) FROM clients") == 1


BROKEN = [
    pytest.param("EMAIL:not-an-address\r\n", "card 2 (line 15), EMAIL", id="email"),
    pytest.param("BDAY:14.03.1985\r\n", "card 2 (line 15), BDAY", id="birthday"),
    pytest.param("TEL:call me maybe\r\n", "card 2 (line 15), TEL", id="phone"),
    pytest.param(
        "NOTE:card 4111 1111 1111 1111\r\n",
        "card 2 (line 15), NOTE: looks like it contains a Visa card number",
        id="card number",
    ),
]


@pytest.mark.parametrize(("line", "says"), BROKEN)
def test_one_bad_card_refuses_the_whole_file(shop, store, tmp_path, line, says) -> None:
    bad = GOOGLE.replace("EMAIL;TYPE=INTERNET:reka.toth@example.hu\r\n", line)
    failed = shop.fails("import", str(_write(tmp_path, "c.vcf", bad)), code=2)
    assert says in failed.stderr
    # The error names the place, not the person's data.
    assert "Réka" not in failed.stderr and "14.03.1985" not in failed.stderr
    assert "not-an-address" not in failed.stderr and "call me" not in failed.stderr
    assert "4111" not in failed.stderr
    assert store.scalar("SELECT count(*) FROM clients") == 0


def test_a_card_without_a_name_or_a_file_without_cards_is_refused(shop, store, tmp_path) -> None:
    nameless = "BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:x@example.com\r\nEND:VCARD\r\n"
    failed = shop.fails("import", str(_write(tmp_path, "n.vcf", GOOGLE + nameless)))
    assert "card 3 (line 22), FN: the contact has no name" in failed.stderr
    failed = shop.fails("import", str(_write(tmp_path, "e.vcf", "hello\n")))
    assert "no contacts found" in failed.stderr
    assert store.scalar("SELECT count(*) FROM clients") == 0


def test_two_cards_for_one_client_are_refused(shop, store, tmp_path) -> None:
    twice = GOOGLE + GOOGLE.split("END:VCARD\r\n")[0] + "END:VCARD\r\n"
    failed = shop.fails("import", str(_write(tmp_path, "t.vcf", twice)))
    assert "card 3 (line 22): the same client as card 1 (line 1)" in failed.stderr
    assert store.scalar("SELECT count(*) FROM clients") == 0


def test_export_writes_a_vcard_that_imports_back_unchanged(shop, store, tmp_path) -> None:
    import vobject

    shop("import", str(_write(tmp_path, "all.vcf", GOOGLE + APPLE + THUNDERBIRD)))
    shop("recipient", "add", "Anna Virtanen", "Liisa", "--birthday", "2015-09-01")
    out = tmp_path / "anna.vcf"
    shop("client", "export", "Anna Virtanen", "--format", "vcf", "--recipients", "-o", str(out))
    raw = out.read_bytes()
    assert raw.count(b"BEGIN:VCARD") == 2 and b"\r\n" in raw
    cards = list(vobject.readComponents(raw.decode("utf-8")))
    anna, liisa = cards
    assert anna.version.value == "3.0"
    assert anna.fn.value == "Anna Virtanen" and anna.email.value == "anna.virtanen@example.fi"
    assert anna.bday.value == "1985-03-14"
    assert liisa.fn.value == "Liisa" and liisa.bday.value == "2015-09-01"
    assert anna.uid.value != liisa.uid.value
    # Read back by shopcli: the client is unchanged (the address and notes survive).
    client_only = tmp_path / "anna-only.vcf"
    shop("client", "export", "Anna Virtanen", "--format", "vcf", "-o", str(client_only))
    done = shop("import", str(client_only))
    assert "0 created, 0 updated, 1 unchanged" in done.stdout
    for client in ("Jürgen Müller", "李娜"):
        text = shop("client", "export", client, "--format", "vcf").stdout
        again = _write(tmp_path, "again.vcf", text)
        assert "1 unchanged" in shop("import", str(again)).stdout
