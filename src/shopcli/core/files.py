"""Writing files safely: atomically (write, fsync, rename) and with owner-only permissions."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shopcli.core.errors import StorageError


@contextmanager
def atomic_file(path: Path, *, mode: int = 0o644, text: bool = False) -> Iterator[io.IOBase]:
    """A file written as it is produced, yet whole or not at all: a temporary file in the same
    folder, fsynced, given `mode`, then renamed over `path`. Any failure leaves `path` as it
    was and removes the temporary file."""
    path = Path(path)
    if path.exists() and not path.is_file():
        if path.is_dir():
            raise StorageError(f"cannot write {path}: it is a folder")
        # A device or a pipe (-o /dev/null, /dev/stdout, a FIFO) is written to as it is:
        # renaming a file over it would replace the device itself (as root, /dev/null).
        try:
            with (
                open(path, "w", encoding="utf-8", newline="")
                if text
                else open(path, "wb") as handle
            ):
                yield handle
        except OSError as exc:
            raise StorageError(f"cannot write {path}: {exc.strerror}") from None
        return
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise StorageError(f"cannot write {path}: folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise StorageError(f"cannot write {path}: {exc.strerror}") from None
    try:
        opened = open(fd, "w", encoding="utf-8", newline="") if text else open(fd, "wb")
        with opened as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise StorageError(f"cannot write {path}: {exc.strerror}; nothing was changed") from None
    except BaseException:
        _remove(tmp)
        raise


def write_atomic(path: Path, data: str | bytes, *, mode: int = 0o644) -> None:
    """Write a whole file or nothing (see `atomic_file`)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_file(path, mode=mode) as handle:
        handle.write(payload)


def write_private(path: Path, data: str | bytes) -> None:
    """Write atomically with mode 0600 (the file holds personal data)."""
    write_atomic(path, data, mode=0o600)


def private_text_file(path: Path) -> Iterator[io.IOBase]:
    """A UTF-8 text file written as it is produced, whole or not at all, mode 0600."""
    return atomic_file(path, mode=0o600, text=True)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
