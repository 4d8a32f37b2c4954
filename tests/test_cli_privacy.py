"""`shop client export` (access, portability) and `shop client forget` (erasure that keeps the
issued invoices the law requires)."""

from __future__ import annotations

import json
import sqlite3

import pytest

# Everything personal the tests put in about the client who asks to be forgotten.
PERSONAL = (
    "Greta Wolff",
    "greta@example.at",
    "+43 660 1234567",
    "Ringstrasse 12, 1010 Wien",
    "Hanno",
    "Lotte",
    "Prater 4, Wien",
    "gluten",
    "climbing",
    "2011-04-03",
    "early riser",
    "hates pink",
)


@pytest.fixture
def two_clients(shop):
    shop("init", "--name", "Paula Frei", "--email", "paula@example.ch", "--currency", "EUR")
    shop("profile", "set", "address", "Bahnhofstrasse 1, 8001 Zürich")
    shop("profile", "set", "iban", "FI21 1234 5600 0007 85")
    shop("profile", "set", "vat_exempt_note", "Not VAT registered")
    shop(
        "client",
        "add",
        "Greta Wolff",
        "--email",
        "greta@example.at",
        "--phone",
        "+43 660 1234567",
        "--address",
        "Ringstrasse 12, 1010 Wien",
        "--notes",
        "early riser",
        "--language",
        "en",
        "--currency",
        "EUR",
    )
    shop(
        "recipient",
        "add",
        "Greta",
        "Hanno",
        "--relation",
        "son",
        "--birthday",
        "2011-04-03",
        "--interests",
        "climbing",
        "--dislikes",
        "gluten",
        "--size",
        "shoe=40",
        "--address",
        "Prater 4, Wien",
    )
    shop("recipient", "add", "Greta", "Lotte", "--notes", "hates pink")
    shop("job", "add", "Greta", "Advent", "--fee", "flat:30", "--notes", "Lotte first")
    shop("budget", "set", "Advent", "Hanno", "90")
    shop(
        "item",
        "add",
        "Advent",
        "Chalk bag",
        "--price",
        "19",
        "--for",
        "Hanno",
        "--size",
        "M",
        "--notes",
        "Hanno prefers blue",
    )
    shop("item", "add", "Advent", "Hair clips", "--price", "8", "--for", "Lotte")
    shop("client", "add", "Omar Haddad", "--email", "omar@example.com")
    shop("recipient", "add", "Omar", "Samir", "--interests", "chess")
    shop("job", "add", "Omar", "Eid", "--fee", "flat:20")
    shop("item", "add", "Eid", "Chess clock", "--price", "45", "--for", "Samir")
    return shop


def _issue_invoice(shop) -> None:
    shop("propose", "Advent")
    shop("approve", "Advent", "1")
    shop("invoice", "Advent", "--issue")


def test_client_export_has_everything_about_them_and_nothing_else(two_clients, shop) -> None:
    doc = json.loads(shop("client", "export", "Greta").stdout)
    assert doc["format"] == "shopcli-client-export"
    assert doc["client"]["email"] == "greta@example.at"
    assert doc["held_by"]["name"] == "Paula Frei"
    tables = doc["tables"]
    assert [r["name"] for r in tables["recipients"]] == ["Hanno", "Lotte"]
    hanno = tables["recipients"][0]
    assert hanno["interests"] == ["climbing"] and hanno["sizes"] == {"shoe": "40"}
    assert [i["title"] for i in tables["items"]] == ["Chalk bag", "Hair clips"]
    assert tables["budgets"] == [{"job_id": 1, "recipient_id": 1, "amount": "90"}]
    assert {e["client_id"] for e in tables["events"]} == {1}
    text = json.dumps(doc, ensure_ascii=False)
    for other in ("Omar", "Samir", "Chess clock", "omar@example.com", "Eid"):
        assert other not in text


def test_client_export_includes_invoices_and_proposals(two_clients, shop, tmp_path) -> None:
    _issue_invoice(shop)
    target = tmp_path / "greta.json"
    shop("client", "export", "Greta", "-o", str(target))
    doc = json.loads(target.read_text())
    assert len(doc["tables"]["invoices"]) == 1
    assert len(doc["tables"]["proposals"]) == 1
    assert doc["tables"]["decisions"][0]["decision"] == "approved"


def test_client_export_is_logged(two_clients, shop, store) -> None:
    shop("client", "export", "Omar")
    event = store.one("SELECT * FROM events ORDER BY id DESC LIMIT 1")
    assert event["kind"] == "client.exported" and event["client_id"] == 2


def test_forget_refuses_without_a_terminal_or_yes(two_clients, shop) -> None:
    before = json.loads(shop("export", "--reveal").stdout)["tables"]
    result = shop.fails("client", "forget", "Greta")
    assert "Refused: not on a terminal; add --yes to go ahead" in result.stderr
    assert shop.json("client", "show", "Greta")["email"] == "greta@example.at"
    assert json.loads(shop("export", "--reveal").stdout)["tables"] == before
    result = shop.fails("client", "forget", "Nobody Known", "--yes", code=3)
    assert "Nobody Known" in result.stderr
    assert json.loads(shop("export", "--reveal").stdout)["tables"] == before


def test_forget_erases_personal_data_and_keeps_the_rest(two_clients, shop, store) -> None:
    result = shop("client", "forget", "Greta", "--yes")
    assert "Forgot client #1" in result.stdout
    client = store.get("clients", 1)
    assert client["name"] == "forgotten client #1"
    assert (client["email"], client["phone"], client["address"], client["notes"]) == (None,) * 4
    assert client["currency"] == "EUR"  # not personal; old jobs still need it
    for row in store.query("SELECT * FROM recipients WHERE client_id = 1"):
        assert row["name"] == f"forgotten recipient #{row['id']}"
        assert (row["relation"], row["birthday"], row["address"], row["notes"]) == (None,) * 4
        assert (row["interests"], row["dislikes"], row["sizes"], row["dates"]) == (
            "[]",
            "[]",
            "{}",
            "{}",
        )
    items = store.query("SELECT * FROM items WHERE job_id = 1 ORDER BY number")
    assert [i["title"] for i in items] == ["Chalk bag", "Hair clips"]  # the goods stay
    assert items[0]["price"] == "19" and items[0]["size"] is None and items[0]["notes"] is None
    assert store.get("jobs", 1)["notes"] is None
    assert store.one("SELECT amount FROM budgets WHERE job_id = 1")["amount"] == "90"
    summaries = [
        r["summary"] for r in store.query("SELECT summary FROM events WHERE client_id = 1")
    ]
    assert summaries[-1] == "client #1 forgotten: personal data erased"
    assert all("redacted" in s for s in summaries[:-1])
    # Nothing personal is left anywhere in the shop's records.
    everything = shop("export").stdout
    for value in PERSONAL:
        assert value not in everything, value
    # The other client is untouched.
    omar = shop.json("client", "show", "Omar")
    assert omar["email"] == "omar@example.com" and omar["recipients"][0]["interests"] == ["chess"]
    assert (
        "Samir"
        in store.one("SELECT summary FROM events WHERE client_id = 2 AND kind = 'recipient.added'")[
            "summary"
        ]
    )


def test_forget_keeps_issued_invoices_as_issued(two_clients, shop, store, home) -> None:
    _issue_invoice(shop)
    shop("backup")
    invoice = store.one("SELECT * FROM invoices")
    assert "Greta Wolff" in invoice["document"]
    result = shop("client", "forget", "Greta", "--yes")
    out = result.stdout
    assert "kept      1 issued invoices with the buyer details as issued" in out
    assert "Finland 6 years, Poland 5 years, Hungary 8 years" in out
    assert "1 backups made before now still hold their data" in out
    assert store.one("SELECT * FROM invoices") == invoice  # frozen, byte for byte
    proposal = store.one("SELECT snapshot FROM proposals")["snapshot"]
    assert "Hanno" not in proposal and "[forgotten]" in proposal
    doc = json.loads(shop("export").stdout)
    assert doc["tables"].pop("invoices") == [invoice]
    everything = json.dumps(doc, ensure_ascii=False)
    for value in PERSONAL:
        assert value not in everything, everything[everything.find(value) - 300 :][:400]


def test_forget_leaves_no_trace_in_the_file(two_clients, shop, home) -> None:
    shop("client", "forget", "Greta", "--yes")
    raw = b"".join(path.read_bytes() for path in home.glob("shop.db*") if path.is_file())
    for value in ("greta@example.at", "Ringstrasse 12", "hates pink"):
        assert value.encode() not in raw, value


def test_forget_leaves_no_trace_in_any_file_of_the_data_folder(two_clients, shop, home) -> None:
    """Nothing the client told is left in any file: the database, its journal, the caches
    (the label of the buyer's VAT id is remembered once an invoice draft shows it)."""
    vat_id = "ATU13585627"
    shop("client", "edit", "Greta", "--vat-id", vat_id)
    shop("propose", "Advent")
    shop("approve", "Advent", "1")
    for fmt in ("text", "html"):
        assert vat_id in shop("invoice", "Advent", "--format", fmt).stdout  # the draft
    cached = [path for path in (home / ".cache").rglob("*") if path.is_file()]
    assert any(path.name.startswith("tax-id-") for path in cached)
    shop("client", "forget", "Greta", "--yes")
    files = [path for path in home.rglob("*") if path.is_file()]
    assert any(path.name == "shop.db" for path in files)
    for path in files:
        raw = path.read_bytes()
        for value in (vat_id, *PERSONAL):
            assert value.encode() not in raw, (path.relative_to(home), value)


def test_remembered_answers_keep_no_question_in_clear(two_clients, shop, home) -> None:
    """Before anyone is forgotten, the cache holds digests of the questions, not the ids."""
    shop("client", "edit", "Greta", "--vat-id", "ATU13585627")
    shop("propose", "Advent")
    shop("approve", "Advent", "1")
    shop("invoice", "Advent", "--format", "html")
    memo = [path for path in (home / ".cache" / "memo").rglob("*") if path.is_file()]
    assert any(path.name.startswith("tax-id-") for path in memo)
    for path in memo:
        assert b"ATU13585627" not in path.read_bytes(), path.name


def test_forget_twice_is_harmless(two_clients, shop, store) -> None:
    shop("client", "forget", "Greta", "--yes")
    shop("client", "forget", "1", "--yes")
    assert store.get("clients", 1)["name"] == "forgotten client #1"
    assert store.get("clients", 2)["name"] == "Omar Haddad"
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert "events_append_only" in triggers  # put back after the redaction
    conn.close()


def test_client_export_masks_digital_codes(two_clients, shop, store) -> None:
    store.execute(
        "INSERT INTO digital_goods (item_id, code, delivered_on, created_at) "
        "VALUES (2, 'CLIP-2222-3333-9876', '2026-12-01', 't')"
    )
    doc = json.loads(shop("client", "export", "Greta").stdout)
    assert doc["tables"]["digital_goods"][0]["code"] == "****9876"
    assert doc["masked"] == ["digital_goods.code"]
    revealed = json.loads(shop("client", "export", "Greta", "--reveal").stdout)
    assert revealed["tables"]["digital_goods"][0]["code"] == "CLIP-2222-3333-9876"
    assert "digital_goods" not in json.loads(shop("client", "export", "Omar").stdout)["tables"]


def test_forget_json_report(two_clients, shop) -> None:
    result = shop("client", "forget", "Omar", "--yes", "--json")
    report = json.loads(result.stdout)
    assert report["name"] == "forgotten client #2"
    assert report["erased"]["recipients"] == 1
    assert report["retention_years"] == {"Finland": 6, "Poland": 5, "Hungary": 8}
    assert "cannot be undone" in result.stderr
