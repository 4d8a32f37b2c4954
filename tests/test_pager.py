"""Long lists on a terminal go through a pager, as git does ($PAGER, else `less -FRX`);
short ones and anything printed to a pipe or a file never do."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SHOP = [sys.executable, "-m", "shopcli"]


def on_terminal(args: list[str], env: dict[str, str], rows: int = 24) -> str:
    """Run `shop` with its output on a pseudo-terminal of `rows` lines; what it shows."""
    import fcntl
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 100, 0, 0))
    done = subprocess.run(
        [*SHOP, *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env={**env, "TERM": "xterm", "COLUMNS": "100", "LINES": str(rows)},
        timeout=60,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert done.returncode == 0, done.stderr.decode()
    return shown.decode("utf-8", "replace")


@pytest.fixture
def many(tmp_path: Path) -> dict[str, str]:
    """A shop with 60 clients, and a pager that records what it was given and how."""
    env = {**os.environ, "SHOP_HOME": str(tmp_path / "home")}
    env.pop("LESS", None)
    subprocess.run(
        [*SHOP, "init", "--name", "Pager Test"], env=env, check=True, capture_output=True
    )
    code = (
        "from shopcli.storage import open_store\n"
        "from shopcli.people import clients\n"
        "store = open_store()\n"
        "for n in range(60):\n"
        "    clients.add(store, f'Client {n:02d}')\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    record = tmp_path / "paged.txt"
    how = tmp_path / "less.txt"
    env["PAGER"] = f"sh -c 'echo \"$LESS\" > {how}; tee {record}'"
    env["RECORD"], env["HOW"] = str(record), str(how)
    return env


def test_a_long_list_on_a_terminal_goes_through_the_pager(many) -> None:
    shown = on_terminal(["client", "list"], many)
    paged = Path(many["RECORD"]).read_text()
    assert "Client 00" in paged and "Client 59" in paged
    assert "Client 59" in shown  # the pager (tee) showed it
    assert Path(many["HOW"]).read_text().strip() == "FRX"  # as git sets LESS


def test_a_short_list_or_a_pipe_is_never_paged(many) -> None:
    shown = on_terminal(["client", "show", "Client 07"], many)
    assert "Client 07" in shown
    assert not Path(many["RECORD"]).exists()
    piped = subprocess.run(
        [*SHOP, "client", "list"], env=many, capture_output=True, text=True, check=True
    )
    assert "Client 59" in piped.stdout
    assert not Path(many["RECORD"]).exists()


def test_an_empty_pager_setting_turns_paging_off(many) -> None:
    shown = on_terminal(["client", "list"], {**many, "SHOP_PAGER": ""})
    assert "Client 59" in shown
    assert not Path(many["RECORD"]).exists()
