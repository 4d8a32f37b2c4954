"""`-o` naming a device or a pipe (/dev/null, /dev/stdout, a FIFO) writes to it and leaves it
in place: an atomic rename over it would replace the device itself (as root, /dev/null)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_writing_to_a_named_pipe_keeps_the_pipe(shop, cart, tmp_path: Path) -> None:
    fifo = tmp_path / "proposal.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    shop("propose", "Spring", "--preview", "-o", str(fifo))
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert b"Wooden train set" in received[0]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # none left behind


def test_a_folder_is_refused(shop, cart, tmp_path: Path) -> None:
    failed = shop.fails("propose", "Spring", "--preview", "-o", str(tmp_path))
    assert "folder" in failed.stderr
