"""Every command that records something and writes a document writes it inside the same
transaction: when the document cannot be written (`-o /dev/full`: the disk is full), nothing
is recorded, so running the command again does not record twice. And every `-o` follows the
same rules: a device or a FIFO is written into, a folder is refused."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Shop
from shopcli.core.errors import ExitStatus

FULL = "/dev/full"
# The demo's story ends on this day: its final invoice 2026-0002 was issued 11 days before.
DEMO_DAY = "2026-12-23"


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo shop, with the parcel still on its way received, and a new item for Liisa's
    birthday (so a proposal would record a new version): built once per session."""
    folder = tmp_path_factory.mktemp("demo") / "home"
    saved = {name: os.environ.get(name) for name in ("SHOP_HOME", "SHOP_TODAY")}
    os.environ["SHOP_TODAY"] = DEMO_DAY
    try:
        run = Shop()
        run("demo", "--keep", str(folder))
        run("item", "receive", "Christmas 2026/4", "--ok")
        run("item", "add", "Liisa 15 v", "Wool hat", "--for", "Liisa", "--price", "20")
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    db = sqlite3.connect(folder / "shop.db")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return folder


@pytest.fixture
def demo(home: Path, demo_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name in ("shop.db", "profile.yaml"):
        shutil.copy2(demo_home / name, home / name)
    monkeypatch.setenv("SHOP_TODAY", DEMO_DAY)
    return home


def state(home: Path) -> dict[str, object]:
    """Every table's row count and every item's status: what a command may record."""
    db = sqlite3.connect(home / "shop.db")
    try:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        found: dict[str, object] = {
            table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }
        found["item statuses"] = db.execute("SELECT id, status FROM items ORDER BY id").fetchall()
        return found
    finally:
        db.close()


# Each command that records something (a handover, a payment, a reminder, a notice sent, a
# number) and writes a document.
RECORDING = {
    "handover": ("handover", "Christmas 2026", "--method", "pickup"),
    "pay with a confirmation": ("pay", "2026-0002", "10", "--format", "text"),
    "pay, format from -o": ("pay", "2026-0002", "10"),
    "pay --json": ("pay", "2026-0002", "10", "--format", "eml", "--json"),
    "invoice remind": ("invoice", "remind", "2026-0002", "--today", "2027-01-20"),
    "notify": ("notify", "Christmas 2026", "inspected"),
    "notify follow-up": ("notify", "Christmas 2026", "follow-up", "--item", "1"),
    "labels": ("labels", "Christmas 2026"),
    "invoice void": ("invoice", "void", "2026-0002", "--reason", "wrong client"),
    "invoice --issue": ("invoice", "Liisa 15 v", "--issue"),
    "invoice --issue --json": ("invoice", "Liisa 15 v", "--issue", "--json"),
    "propose": ("propose", "Liisa 15 v"),
}


@pytest.mark.parametrize("args", RECORDING.values(), ids=RECORDING.keys())
def test_a_document_that_cannot_be_written_leaves_no_record(shop, demo, tmp_path, args) -> None:
    before = state(demo)
    failed = shop.fails(*args, "-o", FULL)
    assert f"cannot write {FULL}" in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1, failed.stderr
    assert state(demo) == before
    # The same command with a file that can be written records and writes: the refusal was
    # the full disk, nothing else.
    target = tmp_path / "document.out"
    shop(*args, "-o", str(target))
    assert target.stat().st_size > 0
    assert state(demo) != before


def test_a_full_disk_under_standard_output_says_so_and_records_nothing(demo) -> None:
    """`shop propose JOB > /dev/full`: the system's reason in one line, no record."""
    import subprocess
    import sys

    before = state(demo)
    env = {**os.environ, "SHOP_HOME": str(demo), "SHOP_TODAY": DEMO_DAY}
    env.pop("SHOP_DEBUG", None)
    with open(FULL, "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "shopcli", "propose", "Liisa 15 v"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
    assert done.returncode == int(ExitStatus.STORAGE), done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"Error: reading or writing failed: {os.strerror(28)}; ")
    assert "shop log" in line
    assert state(demo) == before


def test_a_document_for_stdout_is_not_printed_beside_json(shop, demo) -> None:
    import json

    done = shop("pay", "2026-0002", "10", "--format", "text", "--json")
    assert json.loads(done.stdout)["invoice"] == "2026-0002"  # the JSON alone


# -- every -o the same ------------------------------------------------------------------------

WRITERS: dict[str, Callable[[Path], tuple[str, ...]]] = {
    "receipt save": lambda _: ("receipt", "save", "1"),
    "calendar": lambda _: ("calendar",),
    "invoice show": lambda _: ("invoice", "show", "2026-0002"),
    "books": lambda _: ("books", "--year", "2026", "--format", "csv"),
}


@pytest.fixture
def with_receipt(shop, demo, tmp_path) -> None:
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF-1.4\n% a receipt\n")
    shop("item", "receipt", "Christmas 2026/1", str(receipt))


@pytest.mark.parametrize("make", WRITERS.values(), ids=WRITERS.keys())
def test_every_output_writes_into_a_pipe_and_refuses_a_folder(
    shop, with_receipt, tmp_path, make
) -> None:
    args = make(tmp_path)
    refused = shop.fails(*args, "-o", str(tmp_path))
    assert "it is a folder" in refused.stderr
    fifo = tmp_path / "out.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = shop(*args, "-o", str(fifo))
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.stat().st_mode) and received and received[0]
    assert f"Wrote {fifo}" in done.stderr and f"Wrote {fifo}" not in done.stdout
    shop(*args, "-o", os.devnull)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_saved_receipt_is_the_file_kept(shop, with_receipt, tmp_path) -> None:
    target = tmp_path / "back.pdf"
    done = shop("receipt", "save", "1", "-o", str(target))
    assert target.read_bytes() == b"%PDF-1.4\n% a receipt\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "SHA-256 checked" in done.stderr


NAMED = {
    "invoice show": ("invoice", "show", "2026-0002"),
    "propose": ("propose", "Liisa 15 v"),
    "labels": ("labels", "Christmas 2026"),
    "pay": ("pay", "2026-0002", "10", "-f", "text"),
}


@pytest.mark.parametrize("args", NAMED.values(), ids=NAMED.keys())
def test_a_file_named_for_another_format_is_refused(shop, demo, tmp_path, args) -> None:
    """`-o invoice.pdf` of a text document would reach the client as a PDF that does not
    open: refused before anything is recorded, saying which -f to give."""
    before = state(demo)
    target = tmp_path / "document.pdf"
    failed = shop.fails(*args, "-o", str(target), code=ExitStatus.INVALID_INPUT)
    assert "its name says pdf" in failed.stderr and "-f pdf" in failed.stderr
    assert not target.exists() and state(demo) == before
    shop(*args, "-o", str(tmp_path / "document.txt"))
    assert (tmp_path / "document.txt").stat().st_size > 0
