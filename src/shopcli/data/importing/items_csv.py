"""Importing candidate items in bulk from a CSV or TSV file, all or nothing."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shopcli.core.errors import InvalidInput, ShopError
from shopcli.data.importing.base import (
    ImportResult,
    Progress,
    located,
    log_import,
    read_text,
    text_lines,
)
from shopcli.storage import Store
from shopcli.storage.rows import Job

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

ITEM_FIELDS = (
    "title",
    "store",
    "url",
    "price",
    "currency",
    "recipient",
    "size",
    "colour",
    "qty",
    "notes",
    "paid_by",
    "shipping",
    "customs",
    "return_by",
)


_HEADER_ALIASES = {
    "color": "colour",
    "quantity": "qty",
    "for": "recipient",
    "link": "url",
    "note": "notes",
    "name": "title",
    "item": "title",
    "shop": "store",
    "paid": "paid_by",
    "payer": "paid_by",
    "customs_duty": "customs",
    "return_deadline": "return_by",
    "returns_by": "return_by",
    "returnable_until": "return_by",
}


_TEXT_FIELDS = ("title", "store", "url", "size", "colour", "notes")


# The items table's column for each field.
_ITEM_COLUMN = {name: "recipient_id" if name == "recipient" else name for name in ITEM_FIELDS}


# Rows are checked and inserted this many at a time; progress is reported after each batch.
BATCH = 2000


# The longest text each one-line field takes (notes may span lines, up to 2,000 characters).
_ONE_LINE_LIMITS = {"title": 300, "store": 200, "size": 50, "colour": 50}


# Amounts written plainly, one per line: digits, no leading zero, at most two decimals.
_PLAIN_AMOUNT = r"(?:0|[1-9][0-9]{0,11})(?:\.[0-9]{1,2})?"  # ASCII digits: \d takes ٢ and ５


_PLAIN_AMOUNTS = re.compile(_PLAIN_AMOUNT + r"(?:\n" + _PLAIN_AMOUNT + ")*")


# Their zero decimals, dropped as `money.to_text` drops them (12.50 is kept as 12.5).
_ZERO_DECIMALS = re.compile(r"\.00?$|(?<=\.[1-9])0$", re.MULTILINE)


# Any number of links, one per line, each empty or what `validate.url` takes.
_URL_LINES = re.compile(r"(?:https?://[^\s/$.?#]\S*)?(?:\n(?:https?://[^\s/$.?#]\S*)?)*", re.I)


# A NUL read from the file stands as this noncharacter while the csv module reads it (Python
# 3.10's refuses a line with NUL outright, 3.11's reads it): the row check then names the
# field that holds it, the same way on every Python.
NUL_STANDIN = "\uffff"


def _nul_free(lines: Iterator[str]) -> Iterator[str]:
    for line in lines:
        yield line.replace("\x00", NUL_STANDIN) if "\x00" in line else line


def _header(path: Path, cells: list[str]) -> list[str]:
    names = []
    for position, cell in enumerate(cells, 1):
        name = re.sub(r"[\s\-]+", "_", cell.strip().lower())
        name = _HEADER_ALIASES.get(name, name)
        if name not in ITEM_FIELDS:
            raise located(
                path,
                1,
                cell.strip() or f"column {position}",
                f"unknown column; the columns are: {', '.join(ITEM_FIELDS)}",
            )
        if name in names:
            raise located(path, 1, name, "the column appears twice")
        names.append(name)
    for required in ("title", "price"):
        if required not in names:
            raise located(path, 1, required, f"the header row needs a {required} column")
    return names


def _dialect(first_line: str) -> str:
    """The delimiter: spreadsheets in Finland, Poland and Hungary save CSV with semicolons."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


class _FieldError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class _ItemChecker:
    """Cleans items-file rows like `shop item add` would, fast enough for 100,000 rows.

    `row_checker` checks one row and words a refusal like the command does; `batch_checker`
    checks many rows column by column (each distinct price, currency or recipient once) and
    gives up on a batch where any cell is not plainly fine, for `row_checker` to find and
    word the problem. tests/test_importing.py checks that they agree.
    """

    _SIMPLE_PRICE = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?")

    def __init__(self, store: Store, job: Job) -> None:
        from shopcli.storage import importing as queries

        self.job = job
        self.recipients: dict[str, int] = {}
        self.ids: set[int] = set()
        for row in queries.recipients_of(store, job["client_id"]):
            self.recipients.setdefault(str(row["name"]).casefold(), row["id"])
            self.ids.add(row["id"])
        self.amounts: dict[tuple[str, str], str] = {}
        self.currencies: dict[str, str] = {}
        self.payers: dict[str, str] = {}
        self.days: dict[str, str] = {}

    def blank(self, name: str) -> Any:
        """What an empty cell (or a column the file lacks) means for a field."""
        if name == "currency":
            return self.job["currency"]
        return {"qty": 1, "paid_by": "client"}.get(name)

    def amount(self, text: str, what: str) -> str:
        key = (text, what)
        known = self.amounts.get(key)
        if known is None:
            from shopcli.core.money import parse_amount, to_text

            if self._SIMPLE_PRICE.fullmatch(text):
                known = to_text(Decimal(text))
            else:
                known = to_text(parse_amount(text, what))
            self.amounts[key] = known
        return known

    def currency(self, text: str) -> str:
        known = self.currencies.get(text)
        if known is None:
            from shopcli.core.money import currency

            known = self.currencies[text] = currency(text)
        return known

    def payer(self, text: str) -> str:
        known = self.payers.get(text)
        if known is None:
            from shopcli.work.items import CLEANERS

            known = self.payers[text] = CLEANERS["paid_by"](text)
        return known

    def return_by(self, text: str) -> str:
        known = self.days.get(text)
        if known is None:
            from shopcli.work.items import CLEANERS

            known = self.days[text] = CLEANERS["return_by"](text)
        return known

    def quantity(self, text: str) -> int:
        from shopcli.core import validate

        if not text.isdecimal():
            raise InvalidInput(f"quantity must be a whole number, not {text!r}")
        if len(text) > 9:  # int() of thousands of digits is refused, and slow
            raise InvalidInput(f"quantity must be at most {validate.MAX_QUANTITY:,}, not {text}")
        return validate.quantity(int(text))

    def recipient(self, text: str) -> int:
        found = self.recipients.get(text.casefold())
        if found is not None:
            return found
        digits = text[1:] if text.startswith("#") else text
        if digits.isdecimal() and len(digits) <= 18 and int(digits) in self.ids:
            return int(digits)
        raise InvalidInput("no recipient by that name or id on this job's client's list")

    def _coded(self) -> dict[str, Callable[[str], Any]]:
        """The checks of the fields whose cells repeat (amounts, codes, names), by field."""
        return {
            "price": lambda text: self.amount(text, "price"),
            "currency": self.currency,
            "qty": self.quantity,
            "recipient": self.recipient,
            "paid_by": self.payer,
            "shipping": lambda text: self.amount(text, "shipping"),
            "customs": lambda text: self.amount(text, "customs duty"),
            "return_by": self.return_by,
        }

    def row_checker(self, where: dict[str, int]) -> Callable[[list[str]], tuple]:
        """A function turning one padded row into the item's values (in ITEM_FIELDS order:
        title, store, url, price, currency, recipient_id, size, colour, qty, notes, paid_by,
        shipping, customs, return_by), or raising _FieldError."""
        from shopcli.core import validate
        from shopcli.core.cards import may_hold_card_number, refuse_card_numbers
        from shopcli.work.items import CLEANERS

        fields = [(name, where[name]) for name in ITEM_FIELDS]
        coded = self._coded()
        url_check = validate.url

        def check(cells: list[str]) -> tuple:
            values: list[Any] = []
            for name, position in fields:
                try:
                    text = cells[position].strip()
                    if not text:
                        if name == "title":
                            CLEANERS["title"](text)  # refuses it in the command's words
                        if name == "price":
                            raise InvalidInput("an item needs a price")
                        values.append(self.blank(name))
                    elif name in _ONE_LINE_LIMITS:
                        if len(text) > _ONE_LINE_LIMITS[name] or "\n" in text or "\r" in text:
                            text = CLEANERS[name](text)
                        values.append(text)
                    elif name == "notes":
                        values.append(CLEANERS["notes"](text) if len(text) > 2000 else text)
                    elif name == "url":
                        values.append(url_check(text))
                    else:
                        values.append(coded[name](text))
                except ShopError as exc:
                    raise _FieldError(name, str(exc)) from None
            for name, value in zip(ITEM_FIELDS, values, strict=True):
                if name in _TEXT_FIELDS and value and may_hold_card_number(value):
                    try:
                        refuse_card_numbers({name: value})
                    except ShopError as exc:
                        raise _FieldError(name, str(exc)) from None
                if name in _TEXT_FIELDS and value and (NUL_STANDIN in value or "=?" in value):
                    try:
                        validate.refuse_hidden_text({name: value.replace(NUL_STANDIN, "\x00")})
                    except ShopError as exc:
                        raise _FieldError(name, str(exc)) from None
            return tuple(values)

        return check

    def batch_checker(
        self, where: dict[str, int | None]
    ) -> Callable[[list[list[str]]], list[list] | None]:
        """A function turning many rows (`where` says which cell holds each field, None for
        a column the file lacks) into the items' values as columns, one list per field in
        ITEM_FIELDS order, or giving None when any cell needs a closer look."""
        from shopcli.core.cards import may_hold_card_number

        strip = str.strip
        coded = self._coded()

        def distinct(name: str, column: tuple[str, ...]) -> list | None:
            """Each distinct cell checked once (currencies, recipients and payers repeat)."""
            known = {}
            for cell in set(column):
                text = cell.strip()
                if not text:
                    if name == "price":
                        return None
                    known[cell] = self.blank(name)
                    continue
                try:
                    known[cell] = coded[name](text)
                except ShopError:
                    return None
            return list(map(known.__getitem__, column))

        def amounts(column: tuple[str, ...]) -> list | None:
            """Plainly written amounts (1234.5, 0.99) as stored, without parsing each."""
            joined = "\n".join(map(strip, column))
            if joined.count("\n") != len(column) - 1 or not _PLAIN_AMOUNTS.fullmatch(joined):
                return None
            return _ZERO_DECIMALS.sub("", joined).split("\n")

        def check(rows: list[list[str]]) -> list[list] | None:
            cells = list(zip(*rows, strict=True))
            count = len(rows)
            columns: list[list] = []
            texts: list[list[str]] = []
            for name in ITEM_FIELDS:
                position = where[name]
                if position is None:
                    columns.append([self.blank(name)] * count)
                    continue
                column = cells[position]
                if name in _TEXT_FIELDS:
                    stripped = list(map(strip, column))
                    if name == "notes":
                        if max(map(len, stripped)) > 2000:
                            return None
                    else:  # one line each: no line break in the cells joined by count - 1
                        joined = "\n".join(stripped)
                        if joined.count("\n") != count - 1 or "\r" in joined:
                            return None
                        if name == "url":
                            if not _URL_LINES.fullmatch(joined):
                                return None
                        elif max(map(len, stripped)) > _ONE_LINE_LIMITS[name]:
                            return None
                    if name == "title" and not all(stripped):
                        return None
                    blanks_as_none: list[str | None] = [t or None for t in stripped]
                    columns.append(stripped if name == "title" else blanks_as_none)
                    texts.append(stripped)
                else:
                    values = amounts(column) if name == "price" else None
                    if values is None:
                        values = distinct(name, column)
                    if values is None:
                        return None
                    columns.append(values)
            if may_hold_card_number(chain.from_iterable(texts)):
                return None
            joined = "\n".join(chain.from_iterable(texts))
            if NUL_STANDIN in joined or "=?" in joined:
                return None  # the row by row check refuses and names it
            return columns

        return check


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Rows make no reference cycles, so the cyclic collector would only scan them over and
    over (~5 % of a large import); memory is still freed as each batch is done."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _even_rows(
    records: Sequence[int], rows: list[list[str]], width: int
) -> tuple[list[int], list[list[str]], tuple[int, str] | None]:
    """Rows of another length than the header made `width` long: blank lines dropped, short
    rows padded, empty trailing cells cut. A row with more cells than that ends the batch:
    the rows before it are given back with its record number and what is wrong with it, so
    that an error on an earlier row is still the one reported."""
    kept_records: list[int] = []
    kept: list[list[str]] = []
    for record, cells in zip(records, rows, strict=True):
        if len(cells) < width:
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            cells.extend([""] * (width - len(cells)))
        elif len(cells) > width:
            if any(cell.strip() for cell in cells[width:]):
                problem = f"{len(cells)} cells but the header names {width} columns"
                return kept_records, kept, (record, problem)
            del cells[width:]
        kept_records.append(record)
        kept.append(cells)
    return kept_records, kept, None


def _open_csv(path: Path, text: str) -> tuple[CsvReader, str, list[str]]:
    """A CSV reader over the file's text with its header row read, the delimiter it uses and
    the fields the header names, in order."""
    first_line = text.split("\n", 1)[0]
    has_nul = "\x00" in text
    delimiter = _dialect(first_line)
    lines = text_lines(text)  # a line at a time from the text checked: a StringIO copy of
    # 100,000 rows would take ~30 MB more
    reader = csv.reader(_nul_free(lines) if has_nul else lines, delimiter=delimiter)
    try:
        header_cells = next(reader)
    except StopIteration:
        raise located(path, 1, None, "the file is empty: it needs a header row") from None
    except csv.Error as exc:
        raise located(path, 1, None, f"not readable as CSV ({exc})") from None
    return reader, delimiter, _header(path, header_cells)


def _line_of(text: str, delimiter: str, record: int) -> int:
    """The line a record (0: the header) starts on, read again: needed only to name where a
    problem is, as a quoted cell may span lines."""
    again = csv.reader(_nul_free(text_lines(text)), delimiter=delimiter)
    end = 0
    for index, _cells in enumerate(again):
        if index == record:
            break
        end = again.line_num
    return end + 1


def _batches(
    path: Path,
    reader: CsvReader,
    width: int,
    line_of: Callable[[int], int],
    progress: Progress | None,
    total: int,
) -> Iterator[tuple[Sequence[int], list[list[str]]]]:
    """The file's rows, BATCH records at a time, each `width` cells long, with each one's
    record number (blank lines are skipped). A row with more cells than the header is
    refused unless the extra cells are empty, as some spreadsheets save them."""
    first = 1  # the header is record 0
    while True:
        try:
            rows = list(islice(reader, BATCH))
        except csv.Error as exc:
            message = f"not readable as CSV ({exc})"
            raise located(path, reader.line_num, None, message) from None
        if not rows:
            break
        records: Sequence[int] = range(first, first + len(rows))
        first += len(rows)
        problem = None
        if min(map(len, rows)) != width or max(map(len, rows)) != width:
            records, rows, problem = _even_rows(records, rows, width)
        if rows:
            yield records, rows  # checked before going on
        if problem is not None:
            record, message = problem
            raise located(path, line_of(record), None, message)
        if progress is not None:
            progress(reader.line_num, total)
    if progress is not None:
        progress(total, total)


def _checked(
    path: Path,
    line_of: Callable[[int], int],
    check_batch: Callable[[list[list[str]]], list[list] | None],
    check_row: Callable[[list[str]], tuple],
    records: Sequence[int],
    rows: list[list[str]],
) -> list[list]:
    """The rows' values as columns; where the batch check gives up, row by row, which finds
    the first bad cell and words its problem as `shop item add` would."""
    columns = check_batch(rows)
    if columns is not None:
        return columns
    values = []
    for record, cells in zip(records, rows, strict=True):
        if not any(cell.strip() for cell in cells):
            continue  # a row of empty cells, as spreadsheets save one
        try:
            values.append(check_row([*cells, ""]))
        except _FieldError as exc:
            raise located(path, line_of(record), exc.field, exc.message) from None
    return [list(column) for column in zip(*values, strict=True)] or [[]] * len(ITEM_FIELDS)


def _without_existing(columns: list[list], existing: Counter) -> tuple[list[list], int]:
    """The batch's columns less the rows identical to an item the job already has (each
    such item stands for one row, and is counted off in `existing`), and how many those
    were."""
    # Only a row titled as an item already in the job can be one of them: the others (most
    # rows of a big file) are not compared field by field.
    titles = {key[0] for key, count in existing.items() if count > 0}
    same: set[int] = set()
    for index, title in enumerate(columns[0]):
        if title in titles:
            key = tuple(column[index] for column in columns)
            if existing[key] > 0:
                existing[key] -= 1
                same.add(index)
    if not same:
        return columns, 0
    kept = [[value for i, value in enumerate(column) if i not in same] for column in columns]
    return kept, len(same)


def _constant_columns(job: Job, checker: _ItemChecker, names: list[str]) -> dict[str, Any]:
    """The items' columns that are the same for every row: the job, status and times, and
    the fields the file has no column for."""
    from shopcli.core.dates import now
    from shopcli.work import lifecycle

    return {
        "job_id": job["id"],
        "status": lifecycle.CANDIDATE,
        "created_at": (stamp := now()),
        "status_on": stamp[:10],
        "updated_at": stamp,
        **{_ITEM_COLUMN[name]: checker.blank(name) for name in ITEM_FIELDS if name not in names},
    }


def _add_outcome(
    store: Store, result: ImportResult, job: Job, counted: dict[str, int], first_number: int
) -> None:
    """The warnings about the items created (numbered from `first_number` on) and the
    counts of items created and left unchanged, into the result."""
    if counted["created"]:
        from shopcli.work import history

        result.warnings.extend(
            f"item {row['number']} {row['title']}: {warning.text()}"
            for row, warning in history.job_warnings(store, job, from_number=first_number)
        )
    if counted["created"]:
        result.add(
            "created", "items", f"items in {job['title']}", job["id"], count=counted["created"]
        )
    if counted["unchanged"]:
        result.add(
            "unchanged",
            "items",
            f"items already in {job['title']}",
            job["id"],
            count=counted["unchanged"],
        )


def import_items(
    store: Store, path: Path, job_ref: str, *, progress: Progress | None = None
) -> ImportResult:
    """Candidate items for one job from a CSV file with a header row.

    Rows identical to an item the job already has are left alone, so importing the same file
    twice creates nothing twice. Rows are checked as they are inserted, all in one transaction:
    a bad row anywhere rolls the whole file back.
    """
    from shopcli.storage import importing as queries
    from shopcli.work import jobs

    job = jobs.get(store, job_ref)
    text = read_text(path)  # the whole file checked as UTF-8, errors with their line
    total = max(text.count("\n"), 1)
    reader, delimiter, names = _open_csv(path, text)
    line_of = partial(_line_of, text, delimiter)
    width = len(names)
    checker = _ItemChecker(store, job)
    # Where each field is in a row: for the row by row check, a column the file lacks reads
    # an empty cell added last; the batch check takes such a field as blank.
    check_row = checker.row_checker(
        {name: names.index(name) if name in names else width for name in ITEM_FIELDS}
    )
    check_batch = checker.batch_checker(
        {name: names.index(name) if name in names else None for name in ITEM_FIELDS}
    )
    # Only the file's columns are passed row by row; the rest are the same for every row.
    given = [i for i, name in enumerate(ITEM_FIELDS) if name in names]
    constants = _constant_columns(job, checker, names)
    result = ImportResult(path, "items")
    counted = {"created": 0, "unchanged": 0}

    def new_items(existing: Counter, number: int) -> Iterator[Iterator[tuple]]:
        """Each batch checked and turned into item rows as the insert asks for them: no
        list of 100,000 rows is held in memory. An error ends the import (rolled back)."""
        for records, rows in _batches(path, reader, width, line_of, progress, total):
            columns = _checked(path, line_of, check_batch, check_row, records, rows)
            if existing:
                columns, unchanged = _without_existing(columns, existing)
                counted["unchanged"] += unchanged
            created = len(columns[0])
            counted["created"] += created
            numbers = range(number, number + created)
            number += created
            yield zip(numbers, *(columns[i] for i in given), strict=True)

    # Checked and inserted in one transaction: a bad row anywhere leaves nothing behind.
    with store.write(), _cyclic_gc_paused(), queries.bulk_cache(store):
        existing = Counter(queries.item_keys(store, job["id"]))
        first_number = queries.next_item_number(store, job["id"])
        queries.insert_items(
            store,
            ["number", *(_ITEM_COLUMN[ITEM_FIELDS[i]] for i in given)],
            constants,
            chain.from_iterable(new_items(existing, first_number)),
        )
        _add_outcome(store, result, job, counted, first_number)
        log_import(store, result, client_id=job["client_id"], job_id=job["id"])
    return result
