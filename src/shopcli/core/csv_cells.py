"""CSV cells a spreadsheet shows as text and never runs: OWASP's rule against CSV injection.

Spreadsheets run a cell that starts with one of `FORMULA_STARTS` as a formula
(`=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`). Every CSV shopcli writes (the export, the books)
puts its cells through `spreadsheet_safe`.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A negative number is a number, not a formula: it stays one.
_NEGATIVE_NUMBER = re.compile(r"-[0-9]+(?:\.[0-9]+)?")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text, never runs: text starting like a formula gets
    a leading apostrophe (OWASP's rule), except a plain negative number; bytes are written as
    base64, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if (
        isinstance(value, str)
        and value[:1] in FORMULA_STARTS
        and value
        and not _NEGATIVE_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def safe_rows(rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    """Rows for any CSV the tool writes, each cell through `spreadsheet_safe`."""
    for row in rows:
        yield [spreadsheet_safe(value) for value in row]


def needs_care(rows: Iterable[Sequence[Any]]) -> bool:
    """Whether any cell is bytes or starts like a formula (most rows have none, and can be
    written as they are)."""
    for value in chain.from_iterable(rows):
        if isinstance(value, bytes) or (isinstance(value, str) and value[:1] in FORMULA_STARTS):
            return True
    return False
