"""A file the shopper names is read one way everywhere (`core.files.read_input`): a regular
file of a bounded size, refused in one line otherwise, before anything is opened: a pipe
would wait for a writer for ever, /dev/zero never ends, a folder is no file."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shopcli.core import files
from shopcli.core.errors import InvalidInput

# Each command that reads a file the shopper names, with what it calls the file.
READERS = {
    "receipt": (("item", "receipt", "Spring 2027/1"), "the receipt"),
    "picture": (("item", "edit", "Spring 2027/1", "--image"), "the picture"),
    "import": (("import",), "the file to import"),
    "reply": (("decide", "Spring", "--yes", "--reply"), "the reply"),
    "follow-up answer": (("feedback", "Spring", "--yes", "--reply"), "the reply"),
    "saved page": (("item", "add", "Spring", "--from-page"), "the saved page"),
}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("kind", ["pipe", "device", "folder"])
@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_only_a_regular_file_is_read(cart, home, tmp_path: Path, reader, kind) -> None:
    """Run as a program (a hang or a runaway read would stop the test run otherwise)."""
    import resource

    args, what = reader
    target = {"pipe": tmp_path / "in.pipe", "device": Path("/dev/zero"), "folder": tmp_path}[kind]
    if kind == "pipe":
        os.mkfifo(target)

    def capped() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run(
        [sys.executable, "-m", "shopcli", *args, str(target)],
        capture_output=True,
        text=True,
        env={**os.environ, "SHOP_HOME": str(home)},
        preexec_fn=capped,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    said = (
        "is a folder; name a file"
        if kind == "folder"
        else "is not a regular file (a device, a pipe or a socket)"
    )
    assert done.stderr == f"Error: cannot read {what}: {target} {said}\n"


def test_a_file_is_read_up_to_its_bound(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_bytes(b"x" * 2048)
    assert files.read_input(path, "the list", 2048) == b"x" * 2048
    with pytest.raises(
        InvalidInput, match=r"^the list .*list\.txt is 2 KB; it may be at most 1 KB"
    ):
        files.read_input(path, "the list", 1024)
    with pytest.raises(InvalidInput, match="does not exist"):
        files.read_input(tmp_path / "nope.txt", "the list", 1024)


def test_standard_input_is_read_where_allowed_and_bounded(monkeypatch) -> None:
    class Stdin:
        buffer = io.BytesIO(b"y" * 3000)

    monkeypatch.setattr(sys, "stdin", Stdin())
    with pytest.raises(InvalidInput, match=r"standard input is 2 KB; .* \(paste less\)"):
        files.read_input("-", "the reply", 2048, stdin_ok=True, hint="paste less")
    with pytest.raises(InvalidInput, match="- does not exist"):
        files.read_input("-", "the list", 2048)  # `-` is a file's name where stdin is not allowed


def test_a_reply_larger_than_its_bound_is_refused(shop, cart) -> None:
    from shopcli.cli.common import MAX_REPLY_BYTES

    shop("propose", "Spring")
    failed = shop.fails(
        "decide", "Spring", "--reply", "-", "--yes", input="approve 1\n" * (MAX_REPLY_BYTES // 9)
    )
    assert "paste only the client's answer" in failed.stderr
