"""Issued invoices and money stay as issued: the schema refuses every way around the freeze
(tried with the sqlite3 module as an attacker would, foreign keys off), and a SHA-256 chain
of seals makes any change made anyway visible to `shop doctor`, which names the record."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from billing_helpers import ready


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_TODAY", "2026-06-20")


@pytest.fixture
def books(shop) -> None:
    """Invoice 2026-0001 (125.50 EUR) paid in part; invoice 2026-0002 voided by 2026-0003."""
    ready(shop, fee="flat:100")
    shop("job", "add", "Oskar Lund", "Autumn 2026", "--fee", "flat:40")
    shop("invoice", "Midsummer", "--issue")
    shop("pay", "2026-0001", "50", "--date", "2026-06-21")
    shop("pay", "2026-0001", "20", "--date", "2026-06-22", "--today", "2026-06-22")
    shop("invoice", "Autumn", "--issue")
    shop("invoice", "void", "2026-0002", "--reason", "wrong job")


def _attacker(home: Path) -> sqlite3.Connection:
    """A plain connection as the sqlite3 shell opens one: foreign keys off, autocommit."""
    conn = sqlite3.connect(home / "shop.db", isolation_level=None)
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 0
    return conn


def _refused(conn: sqlite3.Connection, sql: str, params=()) -> str:
    with pytest.raises(sqlite3.IntegrityError) as caught:
        conn.execute(sql, params)
    return str(caught.value)


def _invoice_row(conn: sqlite3.Connection, number: str) -> tuple:
    return conn.execute("SELECT * FROM invoices WHERE number = ?", [number]).fetchone()


def _doctor_books(shop) -> dict:
    report = json.loads(shop.runner.invoke(_app(), ["doctor", "--json"]).stdout)
    return next(f for f in report["findings"] if f["subject"] == "books")


def _app():
    from shopcli.cli.app import app

    return app


# -- the freeze, from outside shopcli ----------------------------------------------------------


def test_insert_or_replace_cannot_rewrite_an_issued_invoice(shop, home, books) -> None:
    conn = _attacker(home)
    before = _invoice_row(conn, "2026-0001")
    columns = [d[0] for d in conn.execute("SELECT * FROM invoices").description]
    forged = dict(zip(columns, before, strict=True), total="1.00")
    marks = ", ".join("?" for _ in columns)
    for verb in ("INSERT OR REPLACE", "REPLACE"):
        sql = f"{verb} INTO invoices ({', '.join(columns)}) VALUES ({marks})"
        message = _refused(conn, sql, list(forged.values()))
        assert "frozen" in message
    # A new id with the same number (or series and seq) would replace it through UNIQUE.
    for change in ({"id": 99}, {"id": 99, "number": "X-1"}):
        row = {**forged, **change}
        _refused(
            conn,
            f"INSERT OR REPLACE INTO invoices ({', '.join(columns)}) VALUES ({marks})",
            list(row.values()),
        )
    _refused(conn, "UPDATE invoices SET total = '1.00' WHERE number = '2026-0001'")
    _refused(conn, "DELETE FROM invoices WHERE number = '2026-0001'")
    assert _invoice_row(conn, "2026-0001") == before
    conn.close()
    assert shop.json("invoice", "show", "2026-0001")["total"] == "125.50"


def test_payments_and_credit_are_append_only(shop, home, books) -> None:
    conn = _attacker(home)
    payments = conn.execute("SELECT * FROM payments ORDER BY id").fetchall()
    assert len(payments) == 2
    _refused(conn, "UPDATE payments SET amount = '500' WHERE id = 1")
    _refused(conn, "DELETE FROM payments WHERE id = 2")
    columns = [d[0] for d in conn.execute("SELECT * FROM payments").description]
    forged = list(payments[0])
    forged[columns.index("amount")] = "125.50"
    marks = ", ".join("?" for _ in columns)
    for verb in ("INSERT OR REPLACE", "REPLACE"):
        _refused(conn, f"{verb} INTO payments VALUES ({marks})", forged)
    # The client's credit ledger (a voided paid invoice adds to it) is kept the same way.
    conn.execute(
        "INSERT INTO client_credits (client_id, currency, amount, reason, created_at) "
        "VALUES (1, 'EUR', '5', 'overpayment', 't')"
    )
    _refused(conn, "UPDATE client_credits SET amount = '500'")
    _refused(conn, "DELETE FROM client_credits")
    assert conn.execute("SELECT * FROM payments ORDER BY id").fetchall() == payments
    conn.close()


def test_clients_and_jobs_with_invoices_cannot_be_deleted_with_foreign_keys_off(
    shop, home, books
) -> None:
    conn = _attacker(home)
    assert "cannot be deleted" in _refused(conn, "DELETE FROM clients WHERE id = 1")
    assert "cannot be deleted" in _refused(conn, "DELETE FROM jobs WHERE id = 1")
    _refused(conn, "UPDATE clients SET id = 77 WHERE id = 1")
    _refused(conn, "UPDATE jobs SET id = 77 WHERE id = 2")
    # A job without invoices can go, and a client's other fields can be edited.
    conn.execute(
        "INSERT INTO jobs (client_id, title, currency, created_at, updated_at) "
        "VALUES (1, 'Spare', 'EUR', 't', 't')"
    )
    conn.execute("DELETE FROM jobs WHERE title = 'Spare'")
    conn.execute("UPDATE clients SET notes = 'kind' WHERE id = 1")
    assert conn.execute("SELECT count(*) FROM clients").fetchone()[0] == 1
    conn.close()
    assert shop.json("client", "show", "Oskar")["notes"] == "kind"


def test_seals_are_append_only(shop, home, books) -> None:
    conn = _attacker(home)
    seals = conn.execute("SELECT * FROM seals ORDER BY id").fetchall()
    assert len(seals) == 5  # three invoices and credit notes, two payments
    _refused(conn, "UPDATE seals SET hash = 'x'")
    _refused(conn, "DELETE FROM seals WHERE id = 1")
    _refused(conn, "INSERT OR REPLACE INTO seals SELECT * FROM seals WHERE id = 1")
    assert conn.execute("SELECT * FROM seals ORDER BY id").fetchall() == seals
    conn.close()


# -- tamper evidence -----------------------------------------------------------------------------


def _drop_triggers(conn: sqlite3.Connection, table: str) -> None:
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", [table]
    ).fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')


def test_a_healthy_shop_has_matching_seals(shop, books) -> None:
    found = _doctor_books(shop)
    assert found["level"] == "ok"
    assert "3 invoices and credit notes, 2 payments match their seals" in found["message"]


def test_doctor_names_an_invoice_rewritten_behind_its_back(shop, home, books) -> None:
    conn = _attacker(home)
    _drop_triggers(conn, "invoices")
    conn.execute("UPDATE invoices SET total = '1.00' WHERE number = '2026-0001'")
    conn.close()
    result = shop.fails("doctor", code=1)
    assert "No problems found" not in result.stdout
    books_line = next(line for line in result.stdout.splitlines() if " books " in line)
    assert "invoice 2026-0001 (#1) does not match its seal" in books_line
    assert "changed after it was issued" in books_line


@pytest.mark.parametrize(
    "tamper, named",
    [
        (["UPDATE payments SET amount = '125.5' WHERE id = 2"], "payment #2 does not match"),
        (["DELETE FROM payments WHERE id = 1"], "payment #1 was deleted"),
        (
            ["DELETE FROM seals WHERE id = 2"],
            "payment #2 does not follow the seal before it",
        ),
        (
            [
                "INSERT INTO payments (invoice_id, client_id, received, amount, currency, "
                "paid_on, method, created_at) VALUES (1, 1, '9', '9', 'EUR', '2026-06-23', "
                "'cash', 't')"
            ],
            "payment #3 has no seal",
        ),
        (
            ["UPDATE invoices SET document = replace(document, 'wrong job', 'x') WHERE id = 3"],
            "credit note 2026-0003 (#3) does not match its seal",
        ),
    ],
)
def test_doctor_names_the_first_record_that_does_not_match(
    shop, home, books, tamper, named
) -> None:
    conn = _attacker(home)
    for table in ("invoices", "payments", "seals"):
        _drop_triggers(conn, table)
    for sql in tamper:
        conn.execute(sql)
    conn.close()
    found = _doctor_books(shop)
    assert found["level"] == "problem"
    assert found["message"].startswith(named), found["message"]


def test_an_older_database_is_sealed_on_upgrade_in_the_order_issued(
    shop, home, books, tmp_path
) -> None:
    """A database from before the seals (and before the freeze triggers) upgrades: its
    records are sealed as they are, without touching the frozen rows."""
    from sqlite_utils import Database

    from shopcli.storage.migrations import migrations

    old = tmp_path / "old.db"
    conn = sqlite3.connect(old, isolation_level=None)
    migrations.apply(Database(conn, execute_plugins=False), stop_before="m013_frozen_money")
    conn.execute("ATTACH ? AS current", [str(home / "shop.db")])
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name <> '_sqlite_migrations'"
        )
    ]
    for table in tables:  # the columns the older schema has (later migrations add more)
        columns = ", ".join(row[1] for row in conn.execute(f"PRAGMA main.table_info({table})"))
        conn.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM current.{table}")
    conn.execute("DETACH current")
    before = conn.execute("SELECT * FROM invoices ORDER BY id").fetchall()
    conn.close()
    shop("restore", str(old), "--yes")
    conn = _attacker(home)
    assert conn.execute("SELECT * FROM invoices ORDER BY id").fetchall() == before
    seals = conn.execute("SELECT chain, record, record_id, prev_hash, hash FROM seals ORDER BY id")
    rows = seals.fetchall()
    assert [(r[1], r[2]) for r in rows] == [
        ("invoice", 1),
        ("invoice", 2),
        ("invoice", 3),
        ("payment", 1),
        ("payment", 2),
    ]
    # One chain per series: each seal follows the one before it in its chain.
    heads: dict[str, str] = {}
    for chain, _record, _id, prev, value in rows:
        assert prev == heads.get(chain, "")
        assert len(value) == 64 and int(value, 16) >= 0
        heads[chain] = value
    conn.close()
    assert _doctor_books(shop)["level"] == "ok"
    # And from now on a change is found.
    conn = _attacker(home)
    _drop_triggers(conn, "invoices")
    conn.execute("UPDATE invoices SET due = '2030-01-01' WHERE id = 2")
    conn.close()
    assert _doctor_books(shop)["message"].startswith("invoice 2026-0002 (#2) does not match")


# -- restore takes nothing on trust ------------------------------------------------------------


def _doctored(shop, tmp_path: Path, *statements: str) -> Path:
    copy = tmp_path / "doctored.db"
    shop("backup", str(copy))
    conn = sqlite3.connect(copy, isolation_level=None)
    for sql in statements:
        conn.execute(sql)
    conn.close()
    return copy


@pytest.mark.parametrize(
    "statements, named",
    [
        (["DROP TRIGGER invoices_frozen_update"], "trigger invoices_frozen_update is missing"),
        (
            [
                "CREATE TRIGGER steal AFTER INSERT ON clients BEGIN UPDATE clients SET "
                "email = 'thief@example.com'; END"
            ],
            "trigger steal is not one shopcli makes",
        ),
        (
            [
                "DROP TRIGGER payments_kept_update",
                "CREATE TRIGGER payments_kept_update BEFORE UPDATE ON payments "
                "WHEN 0 BEGIN SELECT 1; END",
            ],
            "trigger payments_kept_update is defined differently",
        ),
        (["ALTER TABLE clients ADD COLUMN card TEXT"], "table clients has a column card"),
        (["CREATE VIEW everyone AS SELECT * FROM clients"], "view everyone is not one"),
        (["DROP INDEX invoices_due"], "index invoices_due is missing"),
    ],
)
def test_restore_refuses_a_doctored_schema_and_names_the_difference(
    shop, home, tmp_path, books, statements, named
) -> None:
    copy = _doctored(shop, tmp_path, *statements)
    shop("client", "edit", "Oskar", "--notes", "after the backup")
    result = shop.fails("restore", str(copy), "--yes", code=2)
    assert named in result.stderr and "nothing was changed" in result.stderr
    assert shop.json("client", "show", "Oskar")["notes"] == "after the backup"
    assert not list(home.glob(".restore-*"))


def test_restore_refuses_books_changed_in_the_backup(shop, home, tmp_path, books) -> None:
    copy = _doctored(
        shop,
        tmp_path,
        "DROP TRIGGER invoices_frozen_update",
        "UPDATE invoices SET total = '1.00' WHERE number = '2026-0001'",
        "CREATE TRIGGER invoices_frozen_update BEFORE UPDATE ON invoices BEGIN "
        "SELECT RAISE(ABORT, 'an issued invoice is frozen: correct it with a credit note'); END",
    )
    result = shop.fails("restore", str(copy), "--yes", code=2)
    assert "invoice 2026-0001 (#1) does not match its seal" in result.stderr
    assert shop.json("invoice", "show", "2026-0001")["total"] == "125.50"


def test_doctor_finds_a_trigger_dropped_in_the_live_database(shop, home, books) -> None:
    conn = _attacker(home)
    conn.execute("DROP TRIGGER clients_invoiced_kept")
    conn.close()
    out = shop.fails("doctor", code=1).stdout
    assert "trigger clients_invoiced_kept is missing" in out


def test_an_export_imports_with_its_seals_and_a_changed_one_is_refused(
    shop, books, tmp_path, monkeypatch
) -> None:
    document = json.loads(shop("export").stdout)
    assert len(document["tables"]["seals"]) == 5
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv("SHOP_HOME", str(tmp_path / "second"))
    shop("import", str(path))
    assert _doctor_books(shop)["level"] == "ok"
    # An export from before seals: its records are sealed as they are imported.
    old = {**document, "tables": {k: v for k, v in document["tables"].items() if k != "seals"}}
    path.write_text(json.dumps(old), encoding="utf-8")
    monkeypatch.setenv("SHOP_HOME", str(tmp_path / "third"))
    shop("import", str(path))
    found = _doctor_books(shop)
    assert found["level"] == "ok" and "2 payments match their seals" in found["message"]
    # A total changed in the file does not match its seal.
    document["tables"]["invoices"][0]["total"] = "1.00"
    path.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv("SHOP_HOME", str(tmp_path / "fourth"))
    refused = shop.fails("import", str(path), code=2)
    assert "invoice 2026-0001 (#1) does not match its seal" in refused.stderr
    assert shop.json("client", "list") == []
