"""`shop import`: gift lists (YAML) and items (CSV), matched not duplicated, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# The form (flow mappings, a bare date, an integer budget, a list, a mapping), with
# our own people.
GIFTLIST = """\
client: {name: Bea Lindqvist, email: bea@example.com, language: fi, currency: EUR}
job: {title: Joulu 2026, deadline: 2026-12-20, budget: 250, fee: "percent:12"}
recipients:
  - {name: Aino, relation: granddaughter, birthday: 2015-05-09, interests: [horses, drawing],
     dislikes: [glitter], sizes: {top: 140, shoe: 34}, budget: 60}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _counts(store) -> dict[str, int]:
    return {
        table: store.scalar(f"SELECT count(*) FROM {table}")
        for table in ("clients", "recipients", "jobs", "budgets", "items")
    }


def test_giftlist_imports_as_written(shop, store, tmp_path) -> None:
    path = _write(tmp_path, "giftlist.yaml", GIFTLIST)
    result = shop("import", str(path))
    assert "4 created, 0 updated, 0 unchanged" in result.stdout
    client = shop.json("client", "show", "Bea")
    assert (client["email"], client["language"], client["currency"]) == (
        "bea@example.com",
        "fi",
        "EUR",
    )
    (aino,) = client["recipients"]
    assert aino["relation"] == "granddaughter"
    assert aino["birthday"] == "2015-05-09"
    assert aino["interests"] == ["horses", "drawing"]
    assert aino["dislikes"] == ["glitter"]
    assert aino["sizes"] == {"top": "140", "shoe": "34"}
    (job,) = client["jobs"]
    assert (job["title"], job["deadline"], job["budget"], job["fee"], job["currency"]) == (
        "Joulu 2026",
        "2026-12-20",
        "250",
        "percent:12",
        "EUR",
    )
    assert store.one("SELECT amount FROM budgets")["amount"] == "60"
    kinds = [row["kind"] for row in store.query("SELECT kind FROM events ORDER BY id")]
    assert kinds[-1] == "import" and "client.added" in kinds


def test_reimport_creates_nothing_twice_and_reports_updates(shop, store, tmp_path) -> None:
    path = _write(tmp_path, "giftlist.yaml", GIFTLIST)
    shop("import", str(path))
    before = _counts(store)
    events = store.scalar("SELECT count(*) FROM events")
    again = shop("import", str(path), "--json")
    report = json.loads(again.stdout)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 4)
    assert _counts(store) == before
    assert store.scalar("SELECT count(*) FROM events") == events  # nothing happened, no log

    changed = GIFTLIST.replace("budget: 60", "budget: 75").replace("shoe: 34", "shoe: 35")
    changed += "  - {name: Eino, relation: grandson, budget: 40.50}\n"
    path.write_text(changed, encoding="utf-8")
    result = shop("import", str(path))
    assert "2 created, 2 updated, 2 unchanged" in result.stdout
    assert "updated    recipient #1 Aino (sizes)" in result.stdout
    assert "updated    budget Aino in Joulu 2026: 75.00 EUR" in result.stdout
    assert "created    recipient #2 Eino" in result.stdout
    aino = shop.json("recipient", "show", "Aino")
    assert aino["sizes"] == {"top": "140", "shoe": "35"}
    assert aino["interests"] == ["horses", "drawing"]  # fields left out are kept
    assert store.scalar("SELECT count(*) FROM clients") == 1


def test_client_is_matched_by_email_then_name(shop, store, tmp_path) -> None:
    shop("client", "add", "Bea L.", "--email", "BEA@example.com")
    shop("import", str(_write(tmp_path, "g.yaml", GIFTLIST)))
    assert store.scalar("SELECT count(*) FROM clients") == 1
    assert store.one("SELECT name FROM clients")["name"] == "Bea Lindqvist"
    # No email in the file: the name finds her.
    shop(
        "import",
        str(_write(tmp_path, "h.yaml", "client: Bea Lindqvist\nrecipients: [{name: Ulla}]\n")),
    )
    assert store.scalar("SELECT count(*) FROM clients") == 1
    assert store.scalar("SELECT count(*) FROM recipients") == 2


def test_a_namesake_with_another_email_is_refused_not_overwritten(shop, store, tmp_path) -> None:
    shop("client", "add", "Bea Lindqvist", "--email", "bea.l@example.org", "--phone", "+358 40 1")
    events = store.scalar("SELECT count(*) FROM events")
    path = _write(tmp_path, "g.yaml", GIFTLIST)
    result = shop.fails("import", str(path), code=2)
    assert (
        f"{path}, line 1, field client.email: client #1 has this name and another email on "
        "file" in result.stderr
    )
    for told in ("Bea", "Lindqvist", "bea.l@example.org", "bea@example.com"):
        assert told not in result.stderr  # the client's data is named by field and id
    assert "`shop client add`" in result.stderr and "`shop client edit 1 --email" in result.stderr
    (client,) = store.query("SELECT * FROM clients")
    assert (client["email"], client["language"]) == ("bea.l@example.org", None)
    assert _counts(store) == {"clients": 1, "recipients": 0, "jobs": 0, "budgets": 0, "items": 0}
    assert store.scalar("SELECT count(*) FROM events") == events
    # The same address in other letter case is the same client; no address on file is filled.
    shop("client", "edit", "1", "--email", "BEA@example.com")
    assert "1 updated" in shop("import", str(path)).stdout
    shop("client", "add", "Cai Berg")
    shop("import", str(_write(tmp_path, "c.yaml", "client: {name: Cai Berg, email: cai@x.org}\n")))
    assert store.scalar("SELECT email FROM clients WHERE name = 'Cai Berg'") == "cai@x.org"
    assert store.scalar("SELECT count(*) FROM clients") == 2


def test_giftlist_in_json_and_more_keys(shop, tmp_path) -> None:
    doc = {
        "client": {"name": "Tomás Ruiz", "phone": "+34 600 123 456", "notes": "prefers email"},
        "job": {"title": "Reyes 2027", "currency": "EUR", "deposit": "30%", "budget": 99.5},
        "recipients": [
            {
                "name": "Lola",
                "dates": {"saint": "2027-06-29"},
                "interests": "cats, tea",
                "sizes": "S",
                "address": "Calle Mayor 1, Madrid",
            }
        ],
    }
    shop("import", str(_write(tmp_path, "list.json", json.dumps(doc))))
    lola = shop.json("recipient", "show", "Lola")
    assert lola["dates"] == {"saint": "2027-06-29"}
    assert lola["interests"] == ["cats", "tea"]
    assert lola["sizes"] == {"size": "S"}
    job = shop.json("job", "show", "Reyes")
    assert (job["budget"], job["deposit"]) == ("99.5", "30%")


@pytest.mark.parametrize(
    ("text", "where", "why"),
    [
        (
            GIFTLIST.replace("2015-05-09", "2015-13-09"),
            "line 4, field recipients[1].birthday",
            "YYYY-MM-DD",
        ),
        (GIFTLIST.replace("bea@example.com", "bea@"), "line 1, field client.email", "not an email"),
        (GIFTLIST.replace("percent:12", "lots"), "line 2, field job.fee", "not understood"),
        (
            GIFTLIST.replace("budget: 60", "budget: -5"),
            "line 5, field recipients[1].budget",
            "negative",
        ),
        (
            GIFTLIST.replace("relation:", "colour: red, relation:"),
            "line 4, field recipients[1].colour",
            "unknown field",
        ),
        (GIFTLIST + "notes: hi\n", "line 6, field notes", "unknown section"),
        (
            GIFTLIST.replace(
                "dislikes: [glitter]", "dislikes: [glitter], notes: card 4111 1111 1111 1111"
            ),
            "line 5, field recipients[1].notes",
            "card number",
        ),
        (GIFTLIST + "  - {name: aino}\n", "line 6, field recipients[2].name", "listed twice"),
        ("recipients: []\n", "line 1, field client", "needs a client"),
        ("client: {email: x@example.com}\n", "line 1, field client.name", "needs a name"),
        ("client: {name: [A, B]}\n", "line 1, field client.name", "single value"),
        (
            "client: {name: X}\nrecipients:\n  - {name: Y, budget: 5}\n",
            "line 3, field recipients[1].budget",
            "belongs to a job",
        ),
    ],
)
def test_bad_giftlist_names_file_line_field_and_keeps_nothing(
    shop, store, tmp_path, text: str, where: str, why: str
) -> None:
    path = _write(tmp_path, "list.yaml", text)
    result = shop.fails("import", str(path), code=2)
    assert f"{path}, {where}: " in result.stderr
    assert why in result.stderr
    assert _counts(store) == dict.fromkeys(_counts(store), 0)
    assert store.scalar("SELECT count(*) FROM events") == 0


def test_a_failure_half_way_keeps_nothing(shop, store, tmp_path, monkeypatch) -> None:
    from shopcli.core.errors import Conflict
    from shopcli.work import budgets

    shop("client", "add", "Bea Lindqvist", "--email", "bea@example.com")
    events = store.scalar("SELECT count(*) FROM events")

    def refuse(*args, **kwargs):
        raise Conflict("refused for the test")

    # The client is updated and the job and recipient written before the budget fails.
    monkeypatch.setattr(budgets, "set_budget", refuse)
    text = GIFTLIST.replace("language: fi", "language: en")
    result = shop.fails("import", str(_write(tmp_path, "g.yaml", text)), code=4)
    assert "line 5, field recipients[1].budget: refused for the test" in result.stderr
    assert store.scalar("SELECT count(*) FROM recipients") == 0
    assert store.scalar("SELECT count(*) FROM jobs") == 0
    assert store.one("SELECT language FROM clients")["language"] is None
    assert store.scalar("SELECT count(*) FROM events") == events


ITEMS = """\
title,store,url,price,currency,recipient,size,colour,qty,notes
Riding gloves,Tallikauppa,https://talli.example/gloves,24.90,EUR,Aino,S,brown,1,lined
Sketchbook,Paperi,https://paperi.example/a4,"12,50",,aino,,,2,
Pony poster,Posters,https://posters.example/p,15,USD,,,,,"for the wall, framed"
"""


def _giftlist(shop, tmp_path) -> None:
    shop("import", str(_write(tmp_path, "giftlist.yaml", GIFTLIST)))


def test_items_csv_imports_rows_with_numbers(shop, store, tmp_path) -> None:
    _giftlist(shop, tmp_path)
    shop("item", "add", "Joulu", "Horse book", "--price", "9")
    result = shop("import", str(_write(tmp_path, "items.csv", ITEMS)), "--job", "Joulu")
    assert "3 created, 0 updated, 0 unchanged" in result.stdout
    rows = shop.json("item", "list", "--job", "Joulu")
    assert [r["number"] for r in rows] == [1, 2, 3, 4]
    gloves, sketch, poster = rows[1:]
    assert (gloves["title"], gloves["store"], gloves["price"], gloves["currency"]) == (
        "Riding gloves",
        "Tallikauppa",
        "24.9",
        "EUR",
    )
    assert (gloves["recipient"], gloves["size"], gloves["colour"], gloves["notes"]) == (
        "Aino",
        "S",
        "brown",
        "lined",
    )
    assert (sketch["price"], sketch["currency"], sketch["qty"], sketch["recipient"]) == (
        "12.5",
        "EUR",
        2,
        "Aino",
    )
    assert (poster["currency"], poster["recipient"], poster["notes"]) == (
        "USD",
        None,
        "for the wall, framed",
    )
    assert all(r["status"] == "candidate" and r["paid_by"] == "client" for r in rows)
    event = store.one("SELECT * FROM events WHERE kind = 'import'  ORDER BY id DESC")
    assert "3 created" in event["summary"]


def test_items_reimport_creates_nothing_twice(shop, store, tmp_path) -> None:
    _giftlist(shop, tmp_path)
    path = _write(tmp_path, "items.csv", ITEMS)
    shop("import", str(path), "--job", "Joulu")
    again = shop("import", str(path), "--job", "Joulu")
    assert "0 created, 0 updated, 3 unchanged" in again.stdout
    assert store.scalar("SELECT count(*) FROM items") == 3
    path.write_text(ITEMS + "Saddle soap,Talli,,8,,,,,,\n", encoding="utf-8")
    assert "1 created, 0 updated, 3 unchanged" in shop("import", str(path), "--job", "Joulu").stdout
    assert store.one("SELECT max(number) AS n FROM items")["n"] == 4


def test_items_semicolons_bom_and_optional_money_columns(shop, store, tmp_path) -> None:
    _giftlist(shop, tmp_path)
    text = (
        "\ufeffTitle;Price;Paid by;Shipping;Customs;Color\nSaddle;1 234,50;shopper;12,90;30;black\n"
    )
    shop("import", str(_write(tmp_path, "excel.csv", text)), "--job", "Joulu")
    row = store.one("SELECT * FROM items")
    assert (row["title"], row["price"], row["paid_by"], row["shipping"], row["customs"]) == (
        "Saddle",
        "1234.5",
        "shopper",
        "12.9",
        "30",
    )
    assert row["colour"] == "black"


@pytest.mark.parametrize(
    ("rows", "where", "why"),
    [
        ("Scarf,,,oops,,,,,,\n", "line 3, field price", "not a number"),
        ("Scarf,,,10,EURO,,,,,\n", "line 3, field currency", "unknown currency"),
        ("Scarf,,,10,,Nobody,,,,\n", "line 3, field recipient", "no recipient by that name or id"),
        ("Scarf,,,10,,,,,two,\n", "line 3, field qty", "whole number"),
        ("Scarf,,not-a-link,10,,,,,,\n", "line 3, field url", "not a web link"),
        (",,,10,,,,,,\n", "line 3, field title", "cannot be empty"),
        ("Scarf,,,10,,,,,,card 5555 5555 5555 4444\n", "line 3, field notes", "Mastercard"),
        ("Scarf,,,10,,,,,,,extra\n", "line 3", "the header names 10 columns"),
        # A quoted line break in the notes is fine; the rows after it keep their line numbers.
        ('Scarf,,,10,,,,,,"two\nlines"\nScarf,,,x,,,,,,\n', "line 5, field price", "not a number"),
        # Titles, stores, sizes and colours are one line, as `shop item add` has them.
        ('"Two\nlines",,,10,,,,,,\n', "line 3, field title", "item title must be a single line"),
        ('Scarf,"Two\r\nshops",,10,,,,,,\n', "line 3, field store", "store must be a single"),
        ('Scarf,,,10,,,"M\nL",,,\n', "line 3, field size", "size must be a single line"),
        ('Scarf,,,10,,,,"red\rblue",,\n', "line 3, field colour", "colour must be a single"),
        ("Scarf," + "x" * 201 + ",,10,,,,,,\n", "line 3, field store", "longer than 200"),
    ],
)
def test_bad_item_row_names_line_and_field_and_keeps_nothing(
    shop, store, tmp_path, rows: str, where: str, why: str
) -> None:
    _giftlist(shop, tmp_path)
    good = "Boots,,,30,,,,,,\n"
    path = _write(tmp_path, "items.csv", ITEMS.splitlines(True)[0] + good + rows)
    result = shop.fails("import", str(path), "--job", "Joulu", code=2)
    assert f"{path}, {where}: " in result.stderr
    assert why in result.stderr
    assert store.scalar("SELECT count(*) FROM items") == 0


def test_items_file_problems(shop, store, tmp_path) -> None:
    _giftlist(shop, tmp_path)
    before = _counts(store), store.scalar("SELECT count(*) FROM events")
    path = _write(tmp_path, "items.csv", ITEMS)
    assert (
        "holds items: name the job they belong to with --job JOB"
        in shop.fails("import", str(path), code=2).stderr
    )
    assert "no job" in shop.fails("import", str(path), "--job", "Nope").stderr
    assert (
        "unknown column"
        in shop.fails(
            "import", str(_write(tmp_path, "w.csv", "title,price,weight\n")), "--job", "Joulu"
        ).stderr
    )
    assert (
        "empty" in shop.fails("import", str(_write(tmp_path, "e.csv", "")), "--job", "Joulu").stderr
    )
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"title,price\nK\xe4si,5\n")
    assert (
        "line 2: the file is not UTF-8" in shop.fails("import", str(latin), "--job", "Joulu").stderr
    )
    assert "cannot tell" in shop.fails("import", str(_write(tmp_path, "x.doc", "hi"))).stderr
    assert "no file" in shop.fails("import", str(tmp_path / "missing.yaml")).stderr
    assert (
        "--job is for"
        in shop.fails("import", str(tmp_path / "giftlist.yaml"), "--job", "Joulu").stderr
    )
    assert (_counts(store), store.scalar("SELECT count(*) FROM events")) == before


def test_progress_is_reported_on_large_files(shop, store, tmp_path) -> None:
    from shopcli.data import importing

    _giftlist(shop, tmp_path)
    lines = ["title,price"] + [f"Item {n},{n % 90 + 1}" for n in range(12_000)]
    path = _write(tmp_path, "big.csv", "\n".join(lines) + "\n")
    seen: list[tuple[int, int]] = []
    result = importing.import_file(
        store, path, job="Joulu", progress=lambda d, t: seen.append((d, t))
    )
    assert result.totals()["created"] == 12_000
    assert len(seen) >= 3 and seen[-1][0] == seen[-1][1]
    assert store.one("SELECT max(number) AS n FROM items")["n"] == 12_000


def test_a_large_file_on_a_terminal_shows_progress(shop, store, tmp_path, monkeypatch) -> None:
    import sys
    import types

    from shopcli.cli import data

    class Terminal:
        def __getattr__(self, name):
            return getattr(sys, name)

        @property
        def stderr(self):
            return types.SimpleNamespace(isatty=lambda: True)

    _giftlist(shop, tmp_path)
    monkeypatch.setattr(data, "sys", Terminal())
    monkeypatch.setattr(data, "LARGE_FILE_BYTES", 10)
    lines = ["title,price"] + [f"Item {n},5" for n in range(6_000)]
    result = shop("import", str(_write(tmp_path, "big.csv", "\n".join(lines))), "--job", "Joulu")
    assert "6000 created" in result.stdout
    assert store.scalar("SELECT count(*) FROM items") == 6_000


def test_names_match_whatever_the_case_in_any_script(shop, store, tmp_path) -> None:
    shop("client", "add", "Ärpäd Šimek")
    shop("recipient", "add", "Ärpäd", "Ödön")
    text = "client: ärpäd šimek\nrecipients:\n  - {name: ÖDÖN, relation: uncle}\n"
    result = shop("import", str(_write(tmp_path, "g.yaml", text)))
    assert "0 created, 1 updated, 1 unchanged" in result.stdout
    assert "updated    recipient #1 Ödön (relation)" in result.stdout
    assert store.scalar("SELECT count(*) FROM recipients") == 1
    assert store.scalar("SELECT count(*) FROM clients") == 1


@pytest.mark.parametrize(
    ("bad", "field", "why"),
    [
        ("Scarf,,,10,,,,,,pay with 4111.1111.1111.1111", "notes", "Visa card number"),
        ("Scarf,,,10,,,,,,４１１１ １１１１ １１１１ １１１１", "notes", "Visa card number"),
        ("Scarf,,,10,,,,,,5555\u00a05555\u00a05555\u00a04444", "notes", "Mastercard"),
        ("Scarf 4111/1111/1111/1111,,,10,,,,,,", "title", "Visa card number"),
        ("Scarf,,,10,,,,,²,", "qty", "whole number"),
        ("Scarf,,,10,,,,,,,extra", None, "11 cells but the header names 10 columns"),
        ("Scarf,,,10,,Ida,,,,", "recipient", "no recipient by that name or id"),
        ("Scarf,,,1٢,,,,,,", "price", "price is not a number"),
        ("Scarf,,,1.٠٠,,,,,,", "price", "price is not a number"),
        ("Scarf,,,10,,,,," + "9" * 40 + ",", "qty", "at most 99,999"),
        ("Scarf,,,10,,,,,,㊶⑪⑪⑪⑪⑪⑪⑪", "notes", "Visa card number"),
        # An earlier problem is the one named, though a later row in its batch is worse.
        ("Scarf,,,x,,,,,,\nHat,,,1,,,,,,,,,extra", "price", "not a number"),
    ],
)
def test_a_bad_row_deep_in_a_large_file_names_its_line(
    shop, store, tmp_path, monkeypatch, bad: str, field: str | None, why: str
) -> None:
    """Rows are checked many at a time: a problem in a later batch, after quoted line breaks
    and blank lines, still names its own line, and nothing of the file is kept."""
    from shopcli.data.importing import items_csv

    monkeypatch.setattr(items_csv, "BATCH", 4)
    _giftlist(shop, tmp_path)
    header = ITEMS.splitlines()[0]
    rows = [f"Mitten {n},,,{n}.90,,Aino,,,," for n in range(9)]
    rows[2] = 'Mitten 2,,,2.90,,Aino,,,,"a note\nover two lines"'
    rows[5] = ""  # a blank line
    lines = [header, *rows, bad, "Boots,,,30,,,,,,"]
    path = _write(tmp_path, "items.csv", "\n".join(lines) + "\n")
    result = shop.fails("import", str(path), "--job", "Joulu", code=2)
    # Header on line 1, nine rows of which one spans two lines: the bad row is on line 12.
    where = f"{path}, line 12" + (f", field {field}" if field else "")
    assert f"{where}: " in result.stderr, result.stderr
    assert why in result.stderr
    assert store.scalar("SELECT count(*) FROM items") == 0


def test_a_large_file_in_batches_keeps_order_numbers_and_defaults(
    shop, store, tmp_path, monkeypatch
) -> None:
    from shopcli.data.importing import items_csv

    monkeypatch.setattr(items_csv, "BATCH", 7)
    _giftlist(shop, tmp_path)
    shop("item", "add", "Joulu", "Horse book", "--price", "9")
    lines = ["Title;Price;For;Notes"]
    lines += [f"Sock {n};{n},50;{'Aino' if n % 3 else ''};" for n in range(1, 24)]
    lines.insert(9, "")
    lines.insert(14, ";;;")  # an empty row as spreadsheets save one
    path = _write(tmp_path, "socks.csv", "\n".join(lines) + "\n")
    assert "23 created" in shop("import", str(path), "--job", "Joulu").stdout
    rows = store.query("SELECT * FROM items WHERE title LIKE 'Sock %' ORDER BY number")
    assert [r["number"] for r in rows] == list(range(2, 25))
    assert [r["title"] for r in rows] == [f"Sock {n}" for n in range(1, 24)]
    assert {(r["currency"], r["qty"], r["paid_by"], r["status"]) for r in rows} == {
        ("EUR", 1, "client", "candidate")
    }
    assert rows[0]["price"] == "1.5" and rows[9]["price"] == "10.5"
    aino = store.scalar("SELECT id FROM recipients WHERE name = 'Aino'")
    assert [r["recipient_id"] for r in rows[:4]] == [aino, aino, None, aino]
    assert {r["notes"] for r in rows} == {None}
    again = shop("import", str(path), "--job", "Joulu")
    assert "0 created, 0 updated, 23 unchanged" in again.stdout
