"""Writing files safely: atomically (write, fsync, rename) and with owner-only permissions.

Only a regular file is replaced by renaming a temporary file over it: a FIFO, a device
(`/dev/null`, `/dev/stdout`) or a socket is written into directly, since renaming over it
would replace the device itself. A temporary copy is named `.NAME.PID-RANDOM.shoptmp` beside
its target and registered in the data folder's `.writing/` while it exists, so the copy a
killed command leaves behind (they hold the shopper's records) is found: the next command
that writes there removes it, and `shop doctor` reports it.
"""

from __future__ import annotations

import os
import secrets
import stat
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from shopcli.core.errors import StorageError

TEMP_SUFFIX = ".shoptmp"
REGISTRY = ".writing"
# A registration older than this is stale even if a process with its id runs (ids recur).
STALE_AFTER_S = 24 * 3600
# Files SQLite may keep beside a database being written.
_SIDECARS = ("", "-journal", "-wal", "-shm")


def is_special(path: Path) -> bool:
    """Whether `path` exists and is neither a regular file nor a folder (a FIFO, a device,
    a socket): such a target is written into, never replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextmanager
def atomic_file(
    path: Path, *, mode: int = 0o644, text: bool = False, kind: str = "command"
) -> Iterator[IO[Any]]:
    """A file written as it is produced, yet whole or not at all: a temporary file in the same
    folder, fsynced, given `mode`, then renamed over `path`. Any failure leaves `path` as it
    was and removes the temporary file. A target that is not a regular file (a FIFO,
    /dev/null) is written into directly."""
    path = Path(path)
    if is_special(path):
        with _direct(path, text) as handle:
            yield handle
        return
    if path.is_symlink() and path.exists():
        path = Path(os.path.realpath(path))  # keep the link: replace the file it points at
    if path.is_dir():
        raise StorageError(f"cannot write {path}: it is a folder; name a file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise StorageError(f"cannot write {path}: folder {folder} does not exist")
    clean_stale(folder)
    with temporary(path, kind) as tmp:
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
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
            raise StorageError(
                f"cannot write {path}: {exc.strerror}; nothing was changed"
            ) from None


@contextmanager
def _direct(path: Path, text: bool) -> Iterator[IO[Any]]:
    try:
        handle = open(path, "w", encoding="utf-8", newline="") if text else open(path, "wb")
    except OSError as exc:
        raise StorageError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with handle:
            yield handle
    except OSError as exc:
        raise StorageError(f"cannot write {path}: {exc.strerror}") from None


def write_atomic(
    path: Path, data: str | bytes, *, mode: int = 0o644, kind: str = "command"
) -> None:
    """Write a whole file or nothing (see `atomic_file`)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_file(path, mode=mode, kind=kind) as handle:
        handle.write(payload)


def write_private(path: Path, data: str | bytes, *, kind: str = "command") -> None:
    """Write atomically with mode 0600 (the file holds personal data)."""
    write_atomic(path, data, mode=0o600, kind=kind)


def private_text_file(path: Path, *, kind: str = "command") -> AbstractContextManager[IO[str]]:
    """A UTF-8 text file written as it is produced, whole or not at all, mode 0600."""
    return atomic_file(path, mode=0o600, text=True, kind=kind)


# -- temporary copies ---------------------------------------------------------------------------


@contextmanager
def temporary(path: Path, kind: str) -> Iterator[Path]:
    """A hidden temporary name beside `path`, registered while the block runs; whatever is
    left under it (with SQLite's -journal, -wal and -shm) is removed when the block ends.
    `kind` says which operation made it (`backup`, `restore`...) for `shop doctor`."""
    reserved = reserve(path, kind)
    try:
        yield reserved.path
    finally:
        release(reserved)


@dataclass(frozen=True)
class Reserved:
    """A registered temporary name (see `reserve`)."""

    path: Path
    marker: Path | None


def reserve(path: Path, kind: str) -> Reserved:
    """A hidden temporary name beside `path`, registered until `release`: for a copy that
    outlives one block (a restore is checked, then confirmed, then swapped in)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    tmp = folder / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}"
    return Reserved(tmp, _register(tmp, kind))


def release(reserved: Reserved) -> None:
    """Remove what is left under a reserved name, and its registration."""
    remove_copy(reserved.path)
    if reserved.marker is not None:
        _unlink(reserved.marker)


def remove_copy(path: Path) -> None:
    """Remove a file and the files SQLite keeps beside it, if there."""
    for suffix in _SIDECARS:
        _unlink(path.with_name(path.name + suffix))


def _registry() -> Path | None:
    from shopcli.core import paths

    home = paths.home()
    if not home.is_dir():
        return None
    return home / REGISTRY


def _register(tmp: Path, kind: str) -> Path | None:
    folder = _registry()
    if folder is None:
        return None
    marker = folder / f"{os.getpid()}-{secrets.token_hex(6)}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with open(fd, "w", encoding="utf-8") as handle:
            handle.write(f"{kind}\n{os.path.abspath(tmp)}\n")
        return marker
    except OSError:
        _unlink(marker)
        return None  # a read-only or full data folder: the name pattern still finds the copy


@dataclass(frozen=True)
class Leftover:
    """A temporary copy a killed command left: where, how large, and what made it."""

    path: Path
    size: int
    kind: str


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _pid_in(name: str) -> int | None:
    """The process id in a temporary or registry name (`….PID-RANDOM.shoptmp`, `PID-…`)."""
    stem = name[: -len(TEMP_SUFFIX)] if name.endswith(TEMP_SUFFIX) else name
    digits = stem.rsplit(".", 1)[-1].split("-", 1)[0]
    return int(digits) if digits.isdigit() else None


def _stale(pid: int | None, path: Path) -> bool:
    if pid is None or not _alive(pid):
        return True
    try:
        return time.time() - path.stat().st_mtime > STALE_AFTER_S
    except OSError:
        return False


def _size(path: Path) -> int:
    total = 0
    for suffix in _SIDECARS:
        try:
            total += path.with_name(path.name + suffix).stat().st_size
        except OSError:
            pass
    return total


def leftovers(*folders: Path) -> list[Leftover]:
    """Temporary copies of killed commands: those registered in the data folder, and those
    named as ours in `folders`. Nothing is removed."""
    found: dict[Path, Leftover] = {}
    registry = _registry()
    if registry is not None and registry.is_dir():
        for marker in registry.iterdir():
            if not _stale(_pid_in(marker.name), marker):
                continue
            try:
                kind, target = marker.read_text(encoding="utf-8").splitlines()[:2]
            except (OSError, ValueError):
                continue
            path = Path(target)
            if path.exists():
                found[path] = Leftover(path, _size(path), kind)
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.glob(f".*{TEMP_SUFFIX}"):
            if path not in found and _stale(_pid_in(path.name), path):
                found[path] = Leftover(path, _size(path), "command")
    # Earlier restores staged their copy in the data folder as .restore-STAMP.db, named
    # without a process: only there is such a name surely ours.
    home = _registry()
    if home is not None and home.parent in {Path(f) for f in folders}:
        for path in home.parent.glob(".restore-*.db"):
            if path not in found:
                found[path] = Leftover(path, _size(path), "restore")
    return sorted(found.values(), key=lambda leftover: str(leftover.path))


def clean_stale(*folders: Path) -> list[Leftover]:
    """Remove the temporary copies killed commands left (see `leftovers`) and their
    registrations; returns what was removed."""
    removed = leftovers(*folders)
    for leftover in removed:
        remove_copy(leftover.path)
    registry = _registry()
    if registry is not None and registry.is_dir():
        for marker in registry.iterdir():
            if _stale(_pid_in(marker.name), marker):
                _unlink(marker)
    return removed


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
