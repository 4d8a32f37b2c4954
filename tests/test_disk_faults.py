"""A full disk and a read-only data folder, for real (a small tmpfs mounted for the test):
commands say what is wrong and what to do, naming the folder, and `shop doctor` does not
send the shopper to restore a backup of a sound database.

Commands run as processes of their own, as a shopper runs them: SQLite shares a database's
-shm mapping between the connections of one process, so a failed open in a test process
would outlive the fault."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(*args: str) -> bool:
    done = subprocess.run(["mount", *args], capture_output=True)
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A 2 MB disk of its own, with the data folder on it."""
    point = tmp_path / "disk"
    point.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=2m", "none", str(point)):
        pytest.skip("mounting a small disk needs root (and a system that allows it)")
    monkeypatch.setenv("SHOP_HOME", str(point / "home"))
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shopcli", *args], capture_output=True, text=True, env=os.environ
    )


def _shop_on() -> None:
    for args in (
        ("init", "--name", "Helmi Saari", "--email", "helmi@example.fi"),
        ("client", "add", "Bea Lindqvist", "--email", "bea@example.com"),
    ):
        assert _run(*args).returncode == 0


def _fails(*args: str) -> subprocess.CompletedProcess:
    done = _run(*args)
    assert done.returncode != 0 and done.stderr.strip() and "Traceback" not in done.stderr
    return done


def _clients() -> list[str]:
    done = _run("client", "list", "--json")
    assert done.returncode == 0, done.stderr
    return [c["name"] for c in json.loads(done.stdout)]


def _fill(point: Path) -> None:
    # Unbuffered: a buffered file would fail again on closing, flushing what did not fit.
    with open(point / "filler", "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError:
            pass


def test_a_full_disk_at_open_says_so_for_reads_and_writes(small_disk) -> None:
    _shop_on()
    home = small_disk / "home"
    for extra in home.glob("shop.db-*"):  # closed cleanly: the next open makes them again
        extra.unlink()
    _fill(small_disk)
    for args in (["client", "list"], ["client", "add", "Cai"], ["export"]):
        refused = _fails(*args)
        assert refused.returncode == 5
        assert f"the disk holding {home} is full" in refused.stderr, refused.stderr
        assert "free some space" in refused.stderr
        assert "disk I/O error" not in refused.stderr
    out = _fails("doctor").stdout
    assert f"the disk holding {home} is full" in out and "restore your latest backup" not in out
    (small_disk / "filler").unlink()
    assert _clients() == ["Bea Lindqvist"]


def test_a_read_only_data_folder_says_so_for_reads_and_writes(small_disk) -> None:
    _shop_on()
    home = small_disk / "home"
    for extra in home.glob("shop.db-*"):
        extra.unlink()
    assert _mount("-o", "remount,ro", str(small_disk))
    for args in (["client", "list"], ["client", "add", "Cai"], ["backup"]):
        refused = _fails(*args)
        assert f"the data folder {home} is read-only" in refused.stderr, refused.stderr
        assert "cannot open the database" not in refused.stderr
    out = _fails("doctor").stdout
    assert f"the data folder {home} is read-only" in out
    assert "restore your latest backup" not in out
    assert _mount("-o", "remount,rw", str(small_disk))
    assert _clients() == ["Bea Lindqvist"]
