"""Under load: ten commands writing at once, while another holds the database longer than
SQLite's busy wait, all finish (none is told "the database is busy"), and one on a terminal
says it is waiting. Real processes, as a shopper's scripts and second terminal run them."""

from __future__ import annotations

import os
import pty
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

WRITERS = 10


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "SHOP_HOME": str(home)}


def _shop(home: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "shopcli", *args],
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=kwargs.pop("stderr", subprocess.PIPE),
        text=True,
        **kwargs,
    )


def _hold(home: Path, seconds: float) -> subprocess.Popen:
    """Another writer (a shop command mid-import, or the sqlite3 shell) holding the write lock
    for `seconds`; it prints "held" once it has it."""
    code = (
        "import sqlite3, sys, time\n"
        f"conn = sqlite3.connect({str(home / 'shop.db')!r}, isolation_level=None)\n"
        "conn.execute('BEGIN IMMEDIATE')\n"
        'conn.execute("INSERT INTO clients (name, created_at, updated_at) '
        "VALUES ('Held Writer', 't', 't')\")\n"
        "print('held', flush=True)\n"
        f"time.sleep({seconds})\n"
        "conn.execute('COMMIT')\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


@pytest.fixture
def shop_ready(shop, home: Path, tmp_path: Path) -> Path:
    shop("init", "--name", "Helmi Saari", "--email", "helmi@example.fi", "--currency", "EUR")
    shop("client", "add", "Bea Lindqvist", "--email", "bea@example.com")
    shop("job", "add", "Bea", "Joulu", "--fee", "flat:10")
    items = tmp_path / "items.csv"
    items.write_text(
        "title,price\n" + "".join(f"Item {n},{n + 1}\n" for n in range(2000)), encoding="utf-8"
    )
    return items


@pytest.mark.slow
def test_ten_writers_and_a_long_transaction_all_finish(shop, home, shop_ready) -> None:
    """Before: SQLite waited 5 s, then the command failed with "the database is busy"."""
    holder = _hold(home, 7.0)
    started = time.monotonic()
    commands = []
    for n in range(WRITERS):
        commands.append(_shop(home, "client", "add", f"Client {n}"))
        commands.append(_shop(home, "item", "add", "Joulu", f"Gift {n}", "--price", "9"))
        if n % 3 == 0:
            commands.append(_shop(home, "import", str(shop_ready), "--job", "Joulu"))
    outcomes = [(p.wait(timeout=300), *p.communicate()) for p in commands]
    holder.wait(timeout=60)
    assert time.monotonic() - started > 7.0  # they did wait for the holder
    for code, _out, err in outcomes:
        assert code == 0, err
        assert "busy" not in err and "Traceback" not in err
        assert "waiting for another shop command" not in err  # not a terminal: no chatter
    conn = sqlite3.connect(home / "shop.db")
    names = {row[0] for row in conn.execute("SELECT name FROM clients")}
    assert {f"Client {n}" for n in range(WRITERS)} | {"Held Writer", "Bea Lindqvist"} == names
    gifts = conn.execute("SELECT count(*) FROM items WHERE title LIKE 'Gift %'").fetchone()[0]
    imported = conn.execute("SELECT count(*) FROM items WHERE title LIKE 'Item %'").fetchone()[0]
    numbers = [row[0] for row in conn.execute("SELECT number FROM items ORDER BY number")]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert gifts == WRITERS
    assert imported == 2000  # the same file four times: its rows once, then unchanged
    assert numbers == list(range(1, len(numbers) + 1))  # item numbers without gaps


def _read_all(fd: int, until: float) -> bytes:
    data = b""
    while time.monotonic() < until:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
    return data


@pytest.mark.slow
def test_a_command_on_a_terminal_says_it_is_waiting(shop, home, shop_ready) -> None:
    holder = _hold(home, 3.0)
    leader, follower = pty.openpty()
    on_terminal = _shop(home, "client", "add", "Patient Person", stderr=follower)
    os.close(follower)
    in_a_pipe = _shop(home, "client", "add", "Scripted Person")
    said = _read_all(leader, time.monotonic() + 30).decode(errors="replace")
    os.close(leader)
    assert on_terminal.wait(timeout=60) == 0
    assert "waiting for another shop command" in said
    assert said.count("waiting for another shop command") == 1
    code, _out, err = in_a_pipe.wait(timeout=60), *in_a_pipe.communicate()
    assert code == 0 and err == ""
    holder.wait(timeout=60)
