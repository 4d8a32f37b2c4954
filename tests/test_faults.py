"""Faults: a kill in the middle of an import, two writers at once, a damaged database file, a
full disk and a read-only folder each give a clear error and lose nothing."""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shopcli.core.errors import StorageError


def _setup(shop) -> None:
    shop("init", "--name", "Jonas Berg", "--email", "jonas@example.no", "--currency", "NOK")
    shop("client", "add", "Kari Dahl", "--email", "kari@example.no")
    shop("recipient", "add", "Kari", "Sindre")
    shop("job", "add", "Kari", "Jul", "--fee", "flat:200")
    shop("job", "add", "Kari", "Påske", "--fee", "flat:100")
    shop("item", "add", "Jul", "Lue", "--price", "199", "--for", "Sindre")


def _csv(path: Path, rows: int, prefix: str = "Item") -> Path:
    lines = ["title,store,url,price,recipient,notes"]
    lines += [
        f"{prefix} {n},Butikk,https://butikk.example/p/{n},{n % 500 + 1}.50,Sindre,note {n}"
        for n in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _state(db: Path) -> tuple[str, list]:
    conn = sqlite3.connect(db)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = conn.execute(
            "SELECT job_id, count(*), max(number) FROM items GROUP BY job_id ORDER BY job_id"
        ).fetchall()
        return check, rows
    finally:
        conn.close()


def _run(home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "SHOP_HOME": str(home)}
    return subprocess.Popen(
        [sys.executable, "-m", "shopcli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# -- kills and concurrent writers -------------------------------------------------------------


@pytest.mark.slow
def test_sigkill_during_a_large_import_leaves_the_database_as_it_was(shop, home, tmp_path) -> None:
    _setup(shop)
    big = _csv(tmp_path / "big.csv", 150_000)
    db, wal = home / "shop.db", home / "shop.db-wal"
    before = _state(db)
    base = wal.stat().st_size if wal.exists() else 0
    process = _run(home, "import", str(big), "--job", "Jul")
    killed = False
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        # Uncommitted pages spilling into the write-ahead log: the insert is under way.
        if wal.exists() and wal.stat().st_size > base + 4_000_000:
            os.kill(process.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.002)
    process.communicate()
    assert killed, "the import ended before it could be killed in the middle"
    assert process.returncode == -signal.SIGKILL
    assert _state(db) == before
    assert before[0] == "ok"
    # The shop works on: the next import goes through whole.
    small = _csv(tmp_path / "small.csv", 10)
    shop("import", str(small), "--job", "Jul")
    assert _state(db)[1] == [(1, 11, 11)]


@pytest.mark.slow
def test_two_imports_at_once_both_succeed_or_one_is_told_busy(shop, home, tmp_path) -> None:
    _setup(shop)
    first = _csv(tmp_path / "a.csv", 40_000, "Jul")
    second = _csv(tmp_path / "b.csv", 40_000, "Påske")
    processes = [
        _run(home, "import", str(first), "--job", "Jul"),
        _run(home, "import", str(second), "--job", "Påske"),
        _run(home, "client", "add", "Ola Nordmann"),
    ]
    outcomes = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    for code, _out, err in outcomes:
        assert "Traceback" not in err
        assert code == 0 or "database is busy" in err, err
    check, rows = _state(home / "shop.db")
    assert check == "ok"
    counts = {job: n for job, n, _top in rows}
    assert counts.get(1) in (1, 40_001)  # all or nothing per import
    assert counts.get(2, 0) in (0, 40_000)
    assert outcomes[0][0] == 0 or counts[1] == 1
    assert outcomes[1][0] == 0 or counts.get(2, 0) == 0


def test_a_writer_holding_the_lock_gives_a_clear_busy_error(shop, home, monkeypatch) -> None:
    _setup(shop)
    import shopcli.storage

    monkeypatch.setattr(shopcli.storage, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(home / "shop.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = shop.fails("client", "add", "Blocked Person", code=5)
        assert "the database is busy (another shop command is writing); try again" in result.stderr
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert [c["name"] for c in shop.json("client", "list")] == ["Kari Dahl"]


# -- damaged files ------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["text", "head", "pages", "zeros"])
def test_a_damaged_database_file_is_a_clear_error(shop, home, tmp_path, damage) -> None:
    _setup(shop)
    shop("backup", str(tmp_path / "copy.db"))
    data = (tmp_path / "copy.db").read_bytes()
    for extra in home.glob("shop.db-*"):
        extra.unlink()
    db = home / "shop.db"
    db.write_bytes(
        {
            "text": b"Kari Dahl;kari@example.no\n" * 200,
            "head": data[:3000],
            "pages": data[: len(data) // 3 // 4096 * 4096],
            "zeros": data[:100] + bytes(len(data) - 100),
        }[damage]
    )
    giftlist = tmp_path / "g.yaml"
    giftlist.write_text("client: {name: New Client}\n")
    for args in (
        ["client", "list"],
        ["import", str(giftlist)],
        ["backup"],
        ["export"],
        ["item", "add", "Jul", "X", "--price", "1"],
    ):
        result = shop.fails(*args)
        assert "is not a shopcli database or is damaged; see `shop doctor`" in result.stderr, args
        assert "Traceback" not in result.output
    assert "restore your latest backup" in shop.fails("doctor").stdout


# -- a full disk ---------------------------------------------------------------------------------


def _tiny_disk(monkeypatch, spare_pages: int = 8) -> None:
    """Every store opened from now on may grow by only a few pages: SQLITE_FULL after that."""
    import shopcli.storage

    real = shopcli.storage.open_store

    def limited(path=None, **options):
        store = real(path, **options)
        pages = store.scalar("PRAGMA page_count")
        store.execute(f"PRAGMA max_page_count = {pages + spare_pages}")
        return store

    monkeypatch.setattr(shopcli.storage, "open_store", limited)


def test_a_full_disk_during_an_import_keeps_nothing(shop, home, tmp_path, monkeypatch) -> None:
    _setup(shop)
    before = _state(home / "shop.db")
    _tiny_disk(monkeypatch)
    result = shop.fails("import", str(_csv(tmp_path / "big.csv", 5_000)), "--job", "Jul", code=5)
    assert "the disk is full: nothing was saved" in result.stderr
    assert _state(home / "shop.db") == before


def test_a_full_disk_during_a_forget_keeps_the_client(shop, home, monkeypatch) -> None:
    _setup(shop)
    from shopcli.storage import maintenance, translate_error

    def full(store, *args):
        # The client and recipients are already rewritten when the disk fills up.
        raise translate_error(sqlite3.OperationalError("database or disk is full"), store.path)

    monkeypatch.setattr(maintenance, "redact_events", full)
    result = shop.fails("client", "forget", "Kari", "--yes", code=5)
    assert "the disk is full" in result.stderr
    assert shop.json("client", "show", "Kari")["email"] == "kari@example.no"
    assert shop.json("recipient", "show", "Sindre")["name"] == "Sindre"
    assert _state(home / "shop.db")[0] == "ok"
    conn = sqlite3.connect(home / "shop.db")
    trigger = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'events_append_only'")
    assert trigger.fetchone() is not None
    conn.close()


def test_a_full_disk_while_writing_an_export_file(shop, tmp_path, monkeypatch) -> None:
    _setup(shop)

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    target = tmp_path / "out.json"
    result = shop.fails("export", "-o", str(target), code=5)
    assert "No space left on device; nothing was changed" in result.stderr
    zipped = tmp_path / "out.zip"
    result = shop.fails("export", "--format", "csv", "-o", str(zipped), code=5)
    assert "No space left on device; nothing was changed" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]  # no partial files


def test_a_full_disk_during_a_backup(shop, home, tmp_path, monkeypatch) -> None:
    _setup(shop)
    from shopcli.storage import maintenance

    earlier = tmp_path / "earlier.db"
    shop("backup", str(earlier))
    shop("client", "add", "Added Later")
    before = _state(home / "shop.db")

    def full(source, target):
        raise sqlite3.OperationalError("database or disk is full")

    def full_file(store, target, tables):
        target.write_bytes(b"SQLite format 3\x00")  # the copy has begun
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(maintenance, "copy_to", full)
    monkeypatch.setattr(maintenance, "copy_file", full_file)
    target = tmp_path / "copy.db"
    result = shop.fails("backup", str(target), code=5)
    assert "the disk is full; no backup was made" in result.stderr
    assert not target.exists()
    result = shop.fails("restore", str(earlier), "--yes", code=5)
    assert "the restore failed (the disk is full); the database was not replaced" in result.stderr
    assert _state(home / "shop.db") == before
    assert sorted(c["name"] for c in shop.json("client", "list")) == ["Added Later", "Kari Dahl"]
    assert not list(home.glob("shop.db.before-restore-*"))
    assert not list(home.glob(".restore-*"))


# -- a read-only folder -----------------------------------------------------------------------


def _read_only(monkeypatch, folder: Path) -> None:
    """Make `folder` read-only: really, or (as root, whom permissions do not stop) by opening
    the database read-only and refusing new files in the folder."""
    os.chmod(folder, 0o500)
    if os.geteuid() != 0:
        return
    import shopcli.storage
    from shopcli.storage import maintenance

    real_connect = sqlite3.connect

    def connect(target, *args, **kwargs):
        if str(target).startswith(str(folder)):
            kwargs["uri"] = True
            target = f"file:{target}?mode=ro"
        return real_connect(target, *args, **kwargs)

    class ReadOnlySqlite:
        def __getattr__(self, name):
            return connect if name == "connect" else getattr(sqlite3, name)

    monkeypatch.setattr(shopcli.storage, "sqlite3", ReadOnlySqlite())
    real_create = maintenance.create_private

    def create_private(path: Path) -> None:
        if str(path).startswith(str(folder)):
            raise PermissionError(errno.EACCES, "Permission denied")
        real_create(path)

    monkeypatch.setattr(maintenance, "create_private", create_private)


def test_a_read_only_folder_gives_a_clear_error_and_loses_nothing(
    shop, home, tmp_path, monkeypatch
) -> None:
    _setup(shop)
    shop("backup", str(tmp_path / "copy.db"))
    before = _state(home / "shop.db")
    _read_only(monkeypatch, home)
    try:
        result = shop.fails("client", "add", "Nobody")
        assert "read-only" in result.stderr
        result = shop.fails("import", str(_csv(tmp_path / "i.csv", 50)), "--job", "Jul")
        assert "read-only" in result.stderr
        result = shop.fails("backup")
        assert "cannot" in result.stderr and "no backup was made" in result.stderr
        result = shop.fails("restore", str(tmp_path / "copy.db"), "--yes")
        assert "cannot stage" in result.stderr
        assert [c["name"] for c in shop.json("client", "list")] == ["Kari Dahl"]
    finally:
        os.chmod(home, 0o700)
    assert _state(home / "shop.db") == before


def test_store_refuses_to_write_when_the_file_is_read_only(tmp_path) -> None:
    from shopcli.storage import Store

    Store(tmp_path / "ro.db").close()
    store = Store.__new__(Store)
    store.path = tmp_path / "ro.db"
    store.conn = sqlite3.connect(
        f"file:{tmp_path / 'ro.db'}?mode=ro", uri=True, isolation_level=None
    )
    with pytest.raises(StorageError, match="read-only"):
        with store.write():
            store.insert("clients", {"name": "x", "created_at": "t", "updated_at": "t"})
