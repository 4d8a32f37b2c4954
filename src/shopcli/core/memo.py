"""Answers that never change for the same question, kept in the data folder's cache.

An issued invoice is frozen, so its QR code and its grouped payment reference are the same
every time it is shown; computing them needs segno and python-stdnum (~20 ms of imports on
every `shop invoice show`), and its PDF needs WeasyPrint (~0.5 s). The answer is kept in
`.cache/memo/` in the data folder (owner only; delete it at any time) under a digest of the
question, and read back from there.

Only the digest of a question is written, never its text: a question may hold a client's data
(the buyer's VAT id a label is asked for), and the cache must not keep what forgetting the
client erases. `clear` empties it all (forgetting a client does), kept PDFs included.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def remembered(kind: str, question: Any, answer: Callable[[], T]) -> T:
    """`answer()`, or what it gave before for the same JSON-able `question` of this `kind`.

    Only JSON values are kept, and only when they read back the same. A cache that cannot be
    read or written is simply not used; an error from `answer` is raised and not kept.
    """
    from shopcli import __version__
    from shopcli.core import paths

    text = json.dumps([kind, __version__, question], ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    home = paths.home()
    kept = folder() / f"{kind}-{digest[:32]}.json"
    try:
        stored = json.loads(kept.read_text(encoding="utf-8"))
        if stored["question_sha256"] == digest:
            return stored["answer"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    value = answer()
    keep(kept, {"question_sha256": digest, "answer": value}, below=home)
    return value


def folder() -> Path:
    """Where remembered answers are kept."""
    from shopcli.core import paths

    return paths.home() / ".cache" / "memo"


def clear() -> None:
    """Forget every remembered answer (they are computed again when next asked)."""
    import shutil

    shutil.rmtree(folder(), ignore_errors=True)


def keep(path: Path, document: dict[str, Any], *, below: Path) -> None:
    """Write `document` as JSON to `path` (owner only; the folders between `below` and it are
    made owner-only too), only if it reads back the same. Never an error: a cache that cannot
    be written is simply not used."""
    from shopcli.core.errors import ShopError
    from shopcli.core.files import write_private

    try:
        text = json.dumps(document, ensure_ascii=False)
        if json.loads(text) != document:
            return
        for folder in reversed(path.parent.relative_to(below).parents[:-1]):
            (below / folder).mkdir(mode=0o700, exist_ok=True)
        path.parent.mkdir(mode=0o700, exist_ok=True)
        write_private(path, text)
    except (OSError, TypeError, ValueError, ShopError):
        pass


def remembered_bytes(kind: str, question: str, answer: Callable[[], bytes]) -> bytes:
    """`answer()` (bytes: a rendered PDF), or what it gave before for the same `question`
    (text: the page the PDF was rendered from). Kept as a file of its own whose first line
    is the SHA-256 of the rest, which must match when it is read back; a file that does not
    is not used (and is replaced)."""
    from shopcli import __version__
    from shopcli.core import paths

    key = hashlib.sha256(f"{kind}\n{__version__}\n{question}".encode()).hexdigest()
    home = paths.home()
    kept = folder() / kind / f"{key[:40]}.bin"
    try:
        data = kept.read_bytes()
        head, _, body = data.partition(b"\n")
        if head == hashlib.sha256(body).hexdigest().encode("ascii"):
            return body
    except OSError:
        pass
    value = answer()
    keep_bytes(kept, value, below=home)
    return value


def keep_bytes(path: Path, data: bytes, *, below: Path) -> None:
    """Write `data` to `path` after a line with its SHA-256 (owner only, as `keep`). Never an
    error: a cache that cannot be written is simply not used."""
    from shopcli.core.errors import ShopError
    from shopcli.core.files import write_private

    try:
        if not below.is_dir():
            return  # no data folder yet: nothing is made for a cache
        for part in reversed(path.parent.relative_to(below).parents[:-1]):
            (below / part).mkdir(mode=0o700, exist_ok=True)
        path.parent.mkdir(mode=0o700, exist_ok=True)
        write_private(path, hashlib.sha256(data).hexdigest().encode("ascii") + b"\n" + data)
    except (OSError, TypeError, ValueError, ShopError):
        pass
