"""`shop export`: every table, JSON or CSV, codes masked; an export re-imports into an empty
home as the same records."""

from __future__ import annotations

import csv
import io
import json
import stat
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shopcli.cli.app import app


def _shop_with_records(shop, store, tmp_path: Path) -> None:
    shop("init", "--name", "Vera Holm", "--email", "vera@example.se", "--currency", "SEK")
    shop("client", "add", "Nils Ek", "--email", "nils@example.se", "--address", "Storgatan 3")
    shop("recipient", "add", "Nils", "Elsa", "--interests", "skiing, maps", "--size", "shoe=37")
    shop("job", "add", "Nils", "Midsommar", "--deadline", "2027-06-20", "--fee", "flat:300")
    shop("budget", "set", "Midsommar", "Elsa", "500")
    shop("rate", "set", "EUR", "SEK", "11.2")
    shop("item", "add", "Midsommar", "Wool socks", "--price", "129", "--for", "Elsa")
    shop("item", "add", "Midsommar", "Gift card", "--price", "20", "--currency", "EUR")
    if "digital_goods" in {r["name"] for r in store.query("SELECT name FROM sqlite_master")}:
        store.execute(
            "INSERT INTO digital_goods (item_id, code, link, delivered_on, created_at) "
            "VALUES (2, 'GIFT-ABCD-EFGH-7788', 'https://shop.example/redeem/XYZ12345', "
            "'2027-06-01', 't')"
        )


def _export(shop, *args: str) -> dict:
    return json.loads(shop("export", *args).stdout)


def test_json_export_has_every_table_and_masks_codes(shop, store, tmp_path) -> None:
    _shop_with_records(shop, store, tmp_path)
    doc = _export(shop)
    assert doc["format"] == "shopcli-export" and doc["version"] == 1
    assert doc["migrations"][0] == "m001_initial"
    tables = doc["tables"]
    ours = {
        r["name"]
        for r in store.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != '_sqlite_migrations'"
        )
    }
    assert set(tables) == ours  # including tables other commands add
    assert tables["clients"][0]["address"] == "Storgatan 3"
    assert tables["recipients"][0]["interests"] == '["skiing", "maps"]'
    assert [i["title"] for i in tables["items"]] == ["Wool socks", "Gift card"]
    assert tables["rates"] == [
        {
            "base": "EUR",
            "quote": "SEK",
            "rate": "11.2",
            "updated_at": tables["rates"][0]["updated_at"],
        }
    ]
    assert doc["profile"]["name"] == "Vera Holm"
    if "digital_goods" in tables:
        (code,) = tables["digital_goods"]
        assert code["code"] == "****7788"
        assert code["link"] == "****2345"
        assert doc["masked"] == ["digital_goods.code", "digital_goods.link"]
        revealed = _export(shop, "--reveal")["tables"]["digital_goods"][0]
        assert revealed["code"] == "GIFT-ABCD-EFGH-7788"
        assert _export(shop, "--reveal")["masked"] == []


def test_export_to_a_file_is_private(shop, store, tmp_path) -> None:
    _shop_with_records(shop, store, tmp_path)
    target = tmp_path / "all.json"
    result = shop("export", "-o", str(target))
    assert result.stdout == ""
    assert "Wrote" in result.stderr and "clients 1" in result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text())["tables"]["clients"][0]["name"] == "Nils Ek"


def test_export_imports_into_an_empty_home_as_the_same_records(
    shop, store, tmp_path, monkeypatch
) -> None:
    _shop_with_records(shop, store, tmp_path)
    shop("propose", "Midsommar")
    shop("approve", "Midsommar", "1")
    first = tmp_path / "first.json"
    shop("export", "--reveal", "-o", str(first))

    monkeypatch.setenv("SHOP_HOME", str(tmp_path / "elsewhere"))
    result = shop("import", str(first))
    assert "created    items: 2 rows" in result.stdout
    assert "profile written" in result.stdout
    again = json.loads(shop("export", "--reveal").stdout)
    original = json.loads(first.read_text())
    assert again["tables"] == original["tables"]
    assert again["profile"] == original["profile"]
    # The records work as records: names, budgets, the next item number.
    assert shop.json("budget", "list", "Midsommar")["total"]["budget"] is not None
    shop("item", "add", "Midsommar", "Candle", "--price", "50")
    assert shop.json("item", "show", "Candle")["number"] == 3


def test_an_export_made_before_items_kept_their_status_day_gets_it_on_import(
    shop, store, tmp_path, monkeypatch
) -> None:
    """An export written before m017 has no `status_on`: the import fills it from the event
    log as the migration did, so the agenda still counts each wait from its day."""
    _shop_with_records(shop, store, tmp_path)
    shop("propose", "Midsommar")
    shop("approve", "Midsommar", "1")
    doc = json.loads(shop("export").stdout)
    kept = {row["id"]: row.pop("status_on") for row in doc["tables"]["items"]}
    assert all(kept.values()) and len(kept) == 2
    doc["migrations"] = [m for m in doc["migrations"] if m != "m017_item_status_day"]
    older = tmp_path / "older.json"
    older.write_text(json.dumps(doc), encoding="utf-8")

    monkeypatch.setenv("SHOP_HOME", str(tmp_path / "elsewhere"))
    shop("import", str(older))
    again = json.loads(shop("export").stdout)["tables"]["items"]
    assert {row["id"]: row["status_on"] for row in again} == kept


def test_export_refuses_to_merge_into_a_shop_with_records(shop, store, tmp_path) -> None:
    _shop_with_records(shop, store, tmp_path)
    target = tmp_path / "all.json"
    shop("export", "-o", str(target))
    result = shop.fails("import", str(target))
    assert "only into an empty shop" in result.stderr
    assert store.scalar("SELECT count(*) FROM clients") == 1


def test_bad_export_files_are_refused_whole(shop, store, tmp_path, monkeypatch) -> None:
    _shop_with_records(shop, store, tmp_path)
    doc = json.loads(shop("export").stdout)
    monkeypatch.setenv("SHOP_HOME", str(tmp_path / "new"))
    cases = {
        "newer": {**doc, "migrations": [*doc["migrations"], "m999_future"]},
        "orphan": {**doc, "tables": {**doc["tables"], "clients": []}},
        "stray": {
            **doc,
            "tables": {**doc["tables"], "rates": [{**doc["tables"]["rates"][0], "colour": "red"}]},
        },
        "card": {
            **doc,
            "tables": {
                **doc["tables"],
                "clients": [{**doc["tables"]["clients"][0], "notes": "4111 1111 1111 1111"}],
            },
        },
    }
    messages = {
        "newer": "newer shopcli",
        "orphan": "refer to records missing",
        "stray": "does not know",
        "card": "card number",
    }
    from shopcli.data.exporting import to_json

    for name, bad in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_text(to_json(bad))
        result = shop.fails("import", str(path))
        assert messages[name] in result.stderr, name
        assert str(path) in result.stderr
    # As `shop export` writes it, a row is a line: errors name it.
    text = (tmp_path / "card.json").read_text()
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "4111 1111" in t)
    result = shop.fails("import", str(tmp_path / "card.json"))
    assert f"card.json, line {line}, field tables.clients[1]: notes looks like" in result.stderr
    result = shop.fails("import", str(tmp_path / "orphan.json"))
    assert "line" in result.stderr and "field tables.jobs[1]" in result.stderr
    # Laid out another way, the same file still imports (errors then name table and row).
    compact = tmp_path / "compact.json"
    compact.write_text(json.dumps(cases["card"]))
    assert "field tables.clients[1]: notes" in shop.fails("import", str(compact)).stderr
    from shopcli.storage import open_store

    fresh = open_store()
    assert fresh.scalar("SELECT count(*) FROM clients") == 0
    assert fresh.scalar("SELECT count(*) FROM items") == 0
    fresh.close()
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "shopcli-export",\n "tables": {,}}')
    assert "line 2: not valid JSON" in shop.fails("import", str(broken)).stderr


def _read_zip(path: Path) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8"))))
            for name in archive.namelist()
            if name.endswith(".csv")
        }


def test_csv_export_as_zip_and_as_folder(shop, store, tmp_path) -> None:
    _shop_with_records(shop, store, tmp_path)
    target = tmp_path / "out.zip"
    shop("export", "--format", "csv", "-o", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    files = _read_zip(target)
    assert files["clients.csv"][0][:3] == ["id", "name", "email"]
    assert files["clients.csv"][1][1:3] == ["Nils Ek", "nils@example.se"]
    assert [row[4] for row in files["items.csv"][1:]] == ["Wool socks", "Gift card"]
    assert files["events.csv"][0][:3] == ["id", "at", "kind"]
    if "digital_goods.csv" in files:
        header, row = files["digital_goods.csv"]
        assert row[header.index("code")] == "****7788"
    with zipfile.ZipFile(target) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "shopcli-export-csv"

    folder = tmp_path / "sheets"
    shop("export", "--format", "csv", "-o", str(folder))
    assert (folder / "items.csv").read_text(encoding="utf-8").startswith("id,job_id,number")
    assert stat.S_IMODE((folder / "items.csv").stat().st_mode) == 0o600
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert (
        f"{folder} exists and is not an empty folder"
        in shop.fails("export", "--format", "csv", "-o", str(folder)).stderr
    )
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    result = shop.fails("export", "--format", "xls", "-o", str(tmp_path / "x.xls"), code=2)
    assert "export format must be json or csv, not 'xls'" in result.stderr
    assert not (tmp_path / "x.xls").exists()


def test_a_csv_export_named_as_one_csv_file_is_refused(shop, store, tmp_path) -> None:
    """One CSV a table cannot be one .csv file: `-o exp.csv` made a folder named exp.csv."""
    _shop_with_records(shop, store, tmp_path)
    for name in ("exp.csv", "EXP.CSV", "books.xlsx"):
        failed = shop.fails("export", "--format", "csv", "-o", str(tmp_path / name), code=2)
        suggested = str((tmp_path / name).with_suffix(".zip"))
        assert f"name a .zip file (-o {suggested}) or a folder" in failed.stderr
        assert not (tmp_path / name).exists()
    (tmp_path / "made.csv").mkdir()  # a folder the shopper made so is a folder
    shop("export", "--format", "csv", "-o", str(tmp_path / "made.csv"))
    assert (tmp_path / "made.csv" / "clients.csv").is_file()


def test_csv_export_defaults_to_a_zip_here(shop, store, tmp_path, monkeypatch) -> None:
    _shop_with_records(shop, store, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["export", "--format", "csv"])
    assert result.exit_code == 0, result.output
    (made,) = tmp_path.glob("shop-export-*.zip")
    assert "clients.csv" in _read_zip(made)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_of_a_new_shop_is_empty_not_an_error(shop, tmp_path, fmt) -> None:
    target = tmp_path / ("x.zip" if fmt == "csv" else "x.json")
    result = shop("export", "--format", fmt, "-o", str(target))
    assert f"Wrote {target}" in result.stderr and "Exported: no records." in result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    if fmt == "json":
        doc = json.loads(target.read_text(encoding="utf-8"))
        assert doc["format"] == "shopcli-export" and doc["profile"] == {}
        assert "clients" in doc["tables"] and "items" in doc["tables"]
        assert all(rows == [] for rows in doc["tables"].values())
    else:
        files = _read_zip(target)
        assert "clients.csv" in files and "items.csv" in files
        assert files["clients.csv"][0][:2] == ["id", "name"]
        assert all(len(rows) == 1 for rows in files.values())  # a header row, no records


def test_numbers_in_an_export_come_back_exact_not_as_floats(shop, store, tmp_path, monkeypatch):
    """An export edited by hand (or by a spreadsheet) may hold amounts as JSON numbers."""
    _shop_with_records(shop, store, tmp_path)
    doc = json.loads(shop("export").stdout)
    doc["tables"]["items"][0]["price"] = "PRICE"
    doc["tables"]["rates"][0]["rate"] = "RATE"
    from shopcli.data.exporting import to_json

    text = to_json(doc).replace('"PRICE"', "1234567.891234567").replace('"RATE"', "0.1")
    path = tmp_path / "numbers.json"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("SHOP_HOME", str(tmp_path / "other"))
    shop("import", str(path))
    from shopcli.storage import open_store

    fresh = open_store()
    try:
        price = fresh.one("SELECT price, typeof(price) AS kind FROM items WHERE id = 1")
        assert (price["price"], price["kind"]) == ("1234567.891234567", "text")
        assert fresh.scalar("SELECT rate FROM rates") == "0.1"
    finally:
        fresh.close()
    assert shop.json("item", "show", "Wool socks")["price"] == "1234567.891234567"


def test_csv_export_writes_odd_values_and_long_tables_whole(shop, store, tmp_path) -> None:
    """Rows go out a chunk at a time: a table longer than a chunk comes out whole, a blank
    as an empty cell, and a value stored as bytes (SQLite keeps what it is given) as base64."""
    import base64

    _shop_with_records(shop, store, tmp_path)
    job = store.one("SELECT * FROM jobs")
    with store.write():
        store.conn.executemany(
            "INSERT INTO events (at, kind, client_id, job_id, summary) VALUES (?, ?, ?, ?, ?)",
            [
                (
                    "2026-11-01T10:00:00+00:00",
                    "note",
                    job["client_id"],
                    job["id"],
                    b"\x00\xff" if n == 1234 else f"n{n}",
                )
                for n in range(2500)
            ],
        )
    target = tmp_path / "all.zip"
    shop("export", "--format", "csv", "-o", str(target))
    events = _read_zip(target)["events.csv"]
    header, rows = events[0], events[1:]
    assert len(rows) == store.scalar("SELECT count(*) FROM events")
    summaries = [row[header.index("summary")] for row in rows]
    assert summaries.count("n2499") == 1 and "n1234" not in summaries
    assert base64.b64encode(b"\x00\xff").decode() in summaries
    item = _read_zip(target)["items.csv"]
    assert "" in item[1]  # a blank column stays an empty cell, not "None"
    assert "None" not in item[1]
