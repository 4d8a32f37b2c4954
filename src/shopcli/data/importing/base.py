"""Imports: a client's gift list (YAML), candidate items in bulk (CSV) and a whole export (JSON).

Every import is all or nothing: it runs in one transaction, and an error names the file, the
line and the field, and keeps nothing of that import. Values go through the same cleaners as
the commands (`CLEANERS` in each record module), so a file is checked like typed input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from shopcli.core.errors import InvalidInput, ShopError
from shopcli.storage import Store

Progress = Callable[[int, int], None]


GIFTLIST_SUFFIXES = (".yaml", ".yml")


ITEMS_SUFFIXES = (".csv", ".tsv", ".txt")


EXPORT_FORMAT = "shopcli-export"


@dataclass
class Change:
    """One thing an import did (or found already there)."""

    action: str  # created | updated | unchanged
    kind: str  # client | job | recipient | budget | items | table
    label: str
    record_id: int | None = None
    fields: tuple[str, ...] = ()
    count: int = 1


@dataclass
class ImportResult:
    path: Path
    kind: str  # gift list | items | export
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # For the shopper's attention (on stderr): items like a gift the recipient disliked.
    warnings: list[str] = field(default_factory=list)

    def add(
        self,
        action: str,
        kind: str,
        label: str,
        record_id: int | None = None,
        fields: tuple[str, ...] = (),
        count: int = 1,
    ) -> None:
        self.changes.append(Change(action, kind, label, record_id, fields, count))

    def totals(self) -> dict[str, int]:
        totals = {"created": 0, "updated": 0, "unchanged": 0}
        for change in self.changes:
            totals[change.action] = totals.get(change.action, 0) + change.count
        return totals

    def public(self) -> dict:
        return {
            "file": str(self.path),
            "kind": self.kind,
            **self.totals(),
            "changes": [
                {
                    "action": c.action,
                    "kind": c.kind,
                    "label": c.label,
                    "id": c.record_id,
                    "fields": list(c.fields),
                    "count": c.count,
                }
                for c in self.changes
            ],
            "notes": self.notes,
            "warnings": self.warnings,
        }


class Located(InvalidInput):
    """An import error that already names its place in the file."""


def where(path: Path, line: int | None, field_name: str | None) -> str:
    where = str(path)
    if line:
        where += f", line {line}"
    if field_name:
        where += f", field {field_name}"
    return where


def located(path: Path, line: int | None, field_name: str | None, message: str) -> InvalidInput:
    return Located(f"{where(path, line, field_name)}: {message}")


@contextmanager
def at_line(path: Path, line: int | None, field_name: str | None) -> Iterator[None]:
    """Name the place in the file on any error raised inside."""
    try:
        yield
    except Located:
        raise
    except ShopError as exc:
        error = Located(f"{where(path, line, field_name)}: {exc}")
        error.exit_code = exc.exit_code
        raise error from None


# Largest file imported: a 100,000-item export is ~60 MB; no list a shopper keeps comes near.
MAX_IMPORT_BYTES = 512 * 1024 * 1024


def read_text(path: Path) -> str:
    """A file to import as text: a regular file, at most MAX_IMPORT_BYTES, UTF-8."""
    from shopcli.core.files import read_input

    data = read_input(path, "the file to import", MAX_IMPORT_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise located(
            path, line, None, 'the file is not UTF-8 text; save it as UTF-8 ("CSV UTF-8")'
        ) from None


# A line as a file opened with newline="" gives it: up to and with \r\n, \r or \n.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def text_lines(text: str) -> Iterator[str]:
    """The lines of the text read (and checked) once, as the csv module reads a file's: the
    file is never opened again, so what is parsed is what was checked (a file changed
    meanwhile is not read half old, half new), and no second copy of it is made."""
    for match in _LINE.finditer(text):
        yield match.group()


def parse_json(path: Path, text: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise located(path, exc.lineno, None, f"not valid JSON ({exc.msg})") from None


_TABLE_LINE = re.compile(r'^\s*("(?:[^"\\]|\\.)*")\s*:\s*\[')


def row_lines(text: str, document: Any) -> dict[tuple[str, int], int]:
    """The line of each table row in an export as `shop export` writes it (a row a line).

    A file laid out differently gets no line numbers rather than wrong ones."""
    tables = document.get("tables") if isinstance(document, dict) else None
    if not isinstance(tables, dict):
        return {}
    found: dict[tuple[str, int], int] = {}
    table, index = None, 0
    for number, line in enumerate(text.splitlines(), 1):
        match = _TABLE_LINE.match(line)
        if match:
            table, index = json.loads(match.group(1)), 0
        elif table is not None and line.lstrip().startswith("{"):
            found[(table, index)] = number
            index += 1
    for name, rows in tables.items():
        if not isinstance(rows, list) or sum(1 for key in found if key[0] == name) != len(rows):
            return {}
    return found


def log_import(store: Store, result: ImportResult, **ids: int | None) -> None:
    from shopcli.storage import events

    totals = result.totals()
    if not totals["created"] and not totals["updated"]:
        return
    events.log(
        store,
        "import",
        f"imported {result.kind} {result.path.name}: {totals['created']} created, "
        f"{totals['updated']} updated, {totals['unchanged']} unchanged",
        detail={"file": result.path.name, **totals},
        **ids,
    )
