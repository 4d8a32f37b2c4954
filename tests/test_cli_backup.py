"""`shop backup`, `shop restore` and `shop doctor`: consistent private copies, checked restores
that keep the old database aside, and a health check in plain words."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import sys
import types
from pathlib import Path

import pytest


def _some_records(shop) -> None:
    shop("init", "--name", "Iris Vogel", "--email", "iris@example.de", "--currency", "EUR")
    shop("client", "add", "Karl Brandt", "--email", "karl@example.de")
    shop("recipient", "add", "Karl", "Mia", "--interests", "books")
    shop("job", "add", "Karl", "Ostern", "--fee", "flat:25")
    shop("item", "add", "Ostern", "Atlas", "--price", "35", "--for", "Mia")


def _names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM clients ORDER BY id")]
    finally:
        conn.close()


def test_backup_makes_a_private_consistent_standalone_copy(shop, home) -> None:
    _some_records(shop)
    result = shop("backup")
    (copy,) = (home / "backups").glob("shop-*.db")
    assert f"Backed up to {copy}" in result.stdout
    assert "clients 1" in result.stdout and "items 1" in result.stdout
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "backups").stat().st_mode) == 0o700
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT title FROM items").fetchone()[0] == "Atlas"
    conn.close()
    assert not Path(str(copy) + "-wal").exists()


def test_backup_finds_a_damaged_page_without_verify(shop, home, tmp_path) -> None:
    """A page of an index overwritten on disk: the plain backup refuses (SQLite's quick check
    of the copy), so no damaged copy is taken for a good one."""
    _some_records(shop)
    for n in range(6):
        shop("item", "add", "Ostern", f"Book {n}", "--price", "9")
    db = home / "shop.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    (root,) = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'items_title'"
    ).fetchone()
    conn.close()
    with open(db, "r+b") as handle:  # the cell pointers of the index's page: out of range
        handle.seek((root - 1) * page_size + 8)
        handle.write(b"\x00\x00\x00\x00\x00\x00")
    target = tmp_path / "copy.db"
    failed = shop.fails("backup", str(target))
    assert "integrity check" in failed.stderr and "no backup" not in failed.stdout
    assert not target.exists() and not list(tmp_path.glob(".*backup*"))


def test_backup_of_a_new_data_folder_makes_nothing(shop, home, tmp_path) -> None:
    """No database yet: nothing to back up, said in one line, and no folder made; the first
    backup of a real shop makes backups/ owner-only inside the owner-only data folder."""
    failed = shop.fails("backup")
    assert "nothing to back up" in failed.stderr and not home.exists()
    assert shop.fails("backup", str(tmp_path / "x.db")).exit_code == failed.exit_code
    assert not (tmp_path / "x.db").exists()
    shop("client", "add", "Karl Brandt")
    shop("backup")
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "backups").stat().st_mode) == 0o700


def test_backup_to_a_named_file_or_folder_never_overwrites(shop, tmp_path) -> None:
    _some_records(shop)
    target = tmp_path / "karl.db"
    shop("backup", str(target))
    assert _names(target) == ["Karl Brandt"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    before = target.read_bytes()
    assert "already exists" in shop.fails("backup", str(target)).stderr
    assert target.read_bytes() == before
    folder = tmp_path / "copies"
    folder.mkdir()
    shop("backup", str(folder))
    assert len(list(folder.glob("shop-*.db"))) == 1
    assert "does not exist" in shop.fails("backup", str(tmp_path / "no" / "x.db")).stderr


def test_backup_takes_its_file_as_output_like_every_other_writer(shop, tmp_path) -> None:
    _some_records(shop)
    for flag, name in (("-o", "short.db"), ("--output", "long.db")):
        target = tmp_path / name
        result = shop("backup", flag, str(target))
        assert f"Backed up to {target}" in result.stdout
        assert _names(target) == ["Karl Brandt"]
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    same = tmp_path / "same.db"
    shop("backup", str(same), "-o", str(same))  # the same file twice is no contradiction
    assert _names(same) == ["Karl Brandt"]
    assert "already exists" in shop.fails("backup", "-o", str(same)).stderr
    one, other = tmp_path / "one.db", tmp_path / "other.db"
    refused = shop.fails("backup", str(one), "--output", str(other), code=2)
    assert len(refused.stderr.strip().splitlines()) == 1 and "-o/--output" in refused.stderr
    assert not one.exists() and not other.exists()


def test_backup_output_dash_writes_standard_output(shop) -> None:
    _some_records(shop)
    result = shop("backup", "-o", "-")
    assert result.stdout_bytes.startswith(b"SQLite format 3\x00")
    assert "Backed up to standard output" in result.stderr


def test_backup_while_another_connection_holds_a_write(shop, home, tmp_path) -> None:
    _some_records(shop)
    writer = sqlite3.connect(home / "shop.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE clients SET name = 'half written'")
    target = tmp_path / "during.db"
    shop("backup", str(target))  # WAL: the copy is the last committed state
    writer.execute("ROLLBACK")
    writer.close()
    assert _names(target) == ["Karl Brandt"]


def test_restore_checks_keeps_the_current_aside_and_swaps(shop, home, tmp_path) -> None:
    _some_records(shop)
    target = tmp_path / "before.db"
    shop("backup", str(target))
    shop("client", "add", "Added Later")
    refused = shop.fails("restore", str(target))
    assert "not on a terminal" in refused.stderr and "--yes" in refused.stderr
    assert len(shop.json("client", "list")) == 2
    assert not list(home.glob(".restore-*"))  # the staged copy is cleaned up

    result = shop("restore", str(target), "--yes")
    assert "Restored" in result.stdout and "clients 1" in result.stdout
    assert [c["name"] for c in shop.json("client", "list")] == ["Karl Brandt"]
    (aside,) = home.glob("shop.db.before-restore-*")
    assert f"kept as {aside}" in result.stdout
    assert sorted(_names(aside)) == ["Added Later", "Karl Brandt"]
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "shop.db").stat().st_mode) == 0o600
    assert not list(home.glob(".restore-*"))


def _invoices(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT number, total FROM invoices ORDER BY id").fetchall()
    finally:
        conn.close()


def _dump(path: Path) -> list[str]:
    """Everything a database holds, as SQL (the file's bytes change with WAL checkpoints)."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _ready_to_invoice(shop) -> None:
    _some_records(shop)
    shop("profile", "set", "address", "Hauptstrasse 5, 10115 Berlin")
    shop("profile", "set", "vat_exempt_note", "Kleinunternehmer, kein Ausweis der Umsatzsteuer")
    shop("client", "edit", "Karl", "--address", "Gartenweg 2, 80331 München")
    shop("propose", "Ostern")
    shop("approve", "Ostern", "1")


def test_restore_refuses_a_backup_that_lacks_issued_invoices(shop, home, tmp_path) -> None:
    _ready_to_invoice(shop)
    older = tmp_path / "older.db"
    shop("backup", str(older))
    shop("invoice", "Ostern", "--issue")
    ((number, total),) = _invoices(home / "shop.db")
    before = _dump(home / "shop.db")
    result = shop.fails("restore", str(older), "--yes", code=4)
    assert f"lacks invoices the current database has issued ({number})" in result.stderr
    assert "would be issued again" in result.stderr and "--force" in result.stderr
    assert _dump(home / "shop.db") == before
    assert not list(home.glob("shop.db.before-restore-*"))
    assert not list(home.glob(".restore-*"))

    # A backup that has the invoice restores without a word about invoices.
    newer = tmp_path / "newer.db"
    shop("backup", str(newer))
    shop("client", "add", "Added Later")
    result = shop("restore", str(newer), "--yes")
    assert "issued again" not in result.stderr
    assert _invoices(home / "shop.db") == [(number, total)]

    # --force restores the older one anyway, and says which numbers come back.
    result = shop("restore", str(older), "--yes", "--force")
    assert f"lacks issued invoices {number}; their numbers will be issued again" in result.stderr
    assert _invoices(home / "shop.db") == []


def test_restore_refuses_a_backup_with_another_invoice_under_the_same_number(
    shop, home, tmp_path
) -> None:
    """The review's case: restore an old backup (forced), bill again, then bring back the
    backup holding the first invoice: one number, two different invoices."""
    _ready_to_invoice(shop)
    empty = tmp_path / "empty.db"
    shop("backup", str(empty))
    shop("invoice", "Ostern", "--issue")
    first = tmp_path / "first.db"
    shop("backup", str(first))
    shop("restore", str(empty), "--yes", "--force")
    shop("job", "edit", "Ostern", "--fee", "flat:40")
    shop("invoice", "Ostern", "--issue")
    ((number, total),) = _invoices(home / "shop.db")
    assert _invoices(first)[0][0] == number and _invoices(first)[0][1] != total
    result = shop.fails("restore", str(first), "--yes", code=4)
    assert f"({number})" in result.stderr
    assert _invoices(home / "shop.db") == [(number, total)]


def test_restore_refuses_the_current_database_itself(shop, home) -> None:
    _some_records(shop)
    before = _dump(home / "shop.db")
    for same in (home / "shop.db", home / "." / "shop.db"):
        result = shop.fails("restore", str(same), "--yes", code=2)
        assert "is the current database itself" in result.stderr
    assert _dump(home / "shop.db") == before
    assert not list(home.glob("shop.db.before-restore-*"))
    assert not list(home.glob(".restore-*"))


class _Terminal:
    """`sys` as seen by a command run on a terminal (CliRunner's stdin is not one)."""

    def __getattr__(self, name: str):
        return getattr(sys, name)

    @property
    def stdin(self):
        return types.SimpleNamespace(isatty=lambda: True)


def test_restore_asks_on_a_terminal(shop, home, tmp_path, monkeypatch) -> None:
    _some_records(shop)
    target = tmp_path / "b.db"
    shop("backup", str(target))
    shop("client", "add", "Added Later")
    from shopcli.cli import common

    monkeypatch.setattr(common, "sys", _Terminal())
    refused = shop.fails("restore", str(target), input="n\n")
    assert "Replace the current database with this backup" in refused.stdout
    assert "Aborted" in refused.stderr
    assert len(shop.json("client", "list")) == 2
    assert not list(home.glob("shop.db.before-restore-*"))
    assert not list(home.glob(".restore-*"))
    shop("restore", str(target), input="y\n")
    assert len(shop.json("client", "list")) == 1


def test_an_older_backup_is_upgraded_on_restore(shop, home, tmp_path) -> None:
    from sqlite_utils import Database

    from shopcli.storage.migrations import migrations

    old = tmp_path / "old.db"
    conn = sqlite3.connect(old, isolation_level=None)
    names = migrations.names()
    migrations.apply(Database(conn, execute_plugins=False), stop_before=names[1])
    conn.execute("INSERT INTO clients (name, created_at, updated_at) VALUES ('Old One', 't', 't')")
    conn.close()
    shop("init")
    result = shop("restore", str(old), "--yes")
    assert f"schema {names[-1]}" in result.stdout
    assert shop.json("client", "list")[0]["name"] == "Old One"


@pytest.mark.parametrize("kind", ["text", "truncated", "aligned", "newer", "foreign", "empty"])
def test_restore_refuses_a_bad_copy_and_changes_nothing(shop, home, tmp_path, kind) -> None:
    _some_records(shop)
    good = tmp_path / "good.db"
    shop("backup", str(good))
    bad = tmp_path / f"{kind}.db"
    data = good.read_bytes()
    if kind == "text":
        bad.write_text("name,email\nKarl,karl@example.de\n")
    elif kind == "truncated":
        bad.write_bytes(data[:5000])
    elif kind == "aligned":
        bad.write_bytes(data[: len(data) // 2 // 4096 * 4096])
    elif kind == "empty":
        bad.write_bytes(b"")
    elif kind == "newer":
        bad.write_bytes(data)
        conn = sqlite3.connect(bad)
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('shopcli', 'm999_future', 'now')"
        )
        conn.commit()
        conn.close()
    else:
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.commit()
        conn.close()
    before = (home / "shop.db").stat().st_mtime_ns, shop.json("client", "list")
    result = shop.fails("restore", str(bad), "--yes")
    reason = {
        "text": "not an SQLite database",
        "truncated": "truncated",
        "aligned": "truncated",
        "newer": "newer shopcli",
        "foreign": "not a shopcli database",
        "empty": "empty",
    }[kind]
    assert reason in result.stderr
    assert shop.json("client", "list") == before[1]
    assert not list(home.glob("shop.db.before-restore-*"))
    assert not list(home.glob(".restore-*"))


def test_restore_over_a_damaged_database_moves_it_aside(shop, home, tmp_path) -> None:
    _some_records(shop)
    good = tmp_path / "good.db"
    shop("backup", str(good))
    (home / "shop.db").write_bytes(b"garbage" * 1000)
    assert "not a shopcli database or is damaged" in shop.fails("client", "list").stderr
    result = shop("restore", str(good), "--yes")
    assert "unusable" in result.stdout
    # Moved aside as it was, with its -wal and -shm if it had them.
    (aside,) = (
        p for p in home.glob("shop.db.before-restore-*") if not p.name.endswith(("-wal", "-shm"))
    )
    assert aside.read_bytes() == b"garbage" * 1000
    assert shop.json("client", "list")[0]["name"] == "Karl Brandt"


def test_restore_into_a_home_without_a_database(shop, home, tmp_path, monkeypatch) -> None:
    _some_records(shop)
    good = tmp_path / "good.db"
    shop("backup", str(good))
    monkeypatch.setenv("SHOP_HOME", str(tmp_path / "fresh"))
    result = shop("restore", str(good))  # nothing to replace: no question
    assert "kept as" not in result.stdout
    assert shop.json("client", "list")[0]["name"] == "Karl Brandt"
    assert stat.S_IMODE((tmp_path / "fresh" / "shop.db").stat().st_mode) == 0o600


def test_doctor_on_a_healthy_shop(shop) -> None:
    _some_records(shop)
    shop("backup")
    result = shop("doctor")
    assert "No problems found." in result.stdout
    report = json.loads(shop("doctor", "--json").stdout)
    assert report["ok"] is True
    subjects = {f["subject"] for f in report["findings"]}
    assert {"integrity", "schema", "references", "database file", "profile"} <= subjects


def test_doctor_says_what_is_wrong(shop, home) -> None:
    _some_records(shop)
    os.chmod(home / "shop.db", 0o644)
    profile = home / "profile.yaml"
    profile.write_text(profile.read_text() + "iban: NOT-AN-IBAN\ncolour: blue\n")
    conn = sqlite3.connect(home / "shop.db")
    conn.execute(
        "INSERT INTO items (job_id, number, title, price, currency, created_at, "
        "updated_at) VALUES (99, 1, 'Orphan', '1', 'EUR', 't', 't')"
    )
    conn.commit()
    conn.close()
    result = shop.fails("doctor", code=1)
    out = result.stdout
    assert "can be read by other users (mode 0644): run `chmod 600" in out
    assert "1 in items (missing jobs)" in out
    assert "IBAN 'NOT-AN-IBAN' is not valid" in out and "colour is not a profile key" in out
    assert "no backup yet" in out
    assert "3 problems found" in result.stderr


@pytest.mark.parametrize(
    "content", [b"not a database at all" * 50, b"SQLite format 3\x00" + b"x" * 40]
)
def test_doctor_on_an_unusable_file(shop, home, content) -> None:
    _some_records(shop)
    (home / "shop.db").write_bytes(content)
    result = shop.fails("doctor", code=1)
    assert "is unusable" in result.stdout and "shop restore FILE" in result.stdout
    assert "Traceback" not in result.output


def test_doctor_on_a_bad_profile_and_no_database(shop, home) -> None:
    home.mkdir(mode=0o700)
    (home / "profile.yaml").write_text("name: [unclosed\n")
    os.chmod(home / "profile.yaml", 0o600)
    result = shop.fails("doctor", code=1)
    assert "no database at" in result.stdout
    assert "not valid YAML" in result.stdout
    assert not (home / "shop.db").exists()  # the doctor never creates or changes anything


def test_doctor_checks_profile_values_like_profile_set(shop, home) -> None:
    _some_records(shop)
    shop("backup")
    profile = home / "profile.yaml"
    written = profile.read_text()
    profile.write_text(
        written
        + "invoice_number_format: '{seq.__class__}'\n"
        + "terms:\n  returns: 'refunds to card 4111 1111 1111 1111'\n"
        + "vat_rte: '24'\n"
    )
    result = shop.fails("doctor", code=1)
    out = result.stdout
    assert "invoice_number_format: invoice number format: {seq.__class__} is not a field" in out
    assert "terms.returns: terms.returns looks like it contains a Visa card number" in out
    assert "4111" not in out
    assert "fix with `shop profile set KEY VALUE`" in out
    # An unknown key is a warning, not a problem: ignored, kept in the file.
    assert "warning  profile                vat_rte is not a profile key and ignored" in out
    assert "1 problem found" in result.stderr
    profile.write_text(written + "vat_rte: '24'\n")
    result = shop("doctor")
    assert "vat_rte is not a profile key" in result.stdout
    assert "No problems found." in result.stdout


def test_backup_import_and_export_leave_sql_to_storage() -> None:
    """SQL and sqlite3 connections live in shopcli.storage (backups and restores go through
    storage.maintenance, imports through storage.importing)."""
    import inspect
    import re

    from shopcli.data import backup, exporting, importing, privacy
    from shopcli.data.importing import base, export, gift_list, items_csv

    for module in (backup, importing, base, export, gift_list, items_csv, exporting, privacy):
        source = inspect.getsource(module)
        assert "sqlite3" not in source, module.__name__
        assert not re.search(r"PRAGMA|\bSELECT\b|\bBEGIN\b|\.execute\(|\.query\(", source), (
            module.__name__
        )


def test_a_name_ending_in_a_slash_is_a_folder(shop, home, tmp_path) -> None:
    """`-o gone/` names a folder: refused when there is none (no file named `gone`), written
    into when there is one."""
    _some_records(shop)
    failed = shop.fails("backup", "-o", f"{tmp_path}/gone/", code=2)
    assert "no such folder" in failed.stderr and not (tmp_path / "gone").exists()
    assert "empty" in shop.fails("backup", "-o", " ", code=2).stderr
    (tmp_path / "kept").mkdir()
    shop("backup", "-o", f"{tmp_path}/kept/")
    assert [p.suffix for p in (tmp_path / "kept").iterdir()] == [".db"]
