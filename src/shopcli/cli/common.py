"""Shared CLI pieces: opening the store, printing tables and JSON, confirming, warning."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from shopcli.core.errors import ShopError

if TYPE_CHECKING:
    from shopcli.storage.rows import Item, Job

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON with stable keys.")]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Also remove the records that depend on this one.")
]
# Shown on every command that takes it: the day a command acts on matters to the shopper
# (an invoice's issue date, which reminder is due), and SHOP_TODAY sets the same.
TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today", help="Act as if today were this day, YYYY-MM-DD (default: today, or SHOP_TODAY)."
    ),
]

# Above this many rows, output is plain aligned text: a rich table costs ~0.25 ms a row.
RICH_ROW_LIMIT = 200
# The largest --limit and --page a list takes: far beyond any shop, and their product stays
# within SQLite's integers (a larger one was "datatype mismatch").
MAX_LIMIT = 1_000_000
LimitOption = Annotated[
    int | None, typer.Option("--limit", min=1, max=MAX_LIMIT, help="Show at most this many.")
]
PageOption = Annotated[
    int, typer.Option("--page", min=1, max=MAX_LIMIT, help="Page number when --limit is given.")
]


class Shown:
    """What a list or show command found, in both of its forms: `json()` gives the data with
    stable keys (a list may be an iterator, which streams; `JsonMembers` streams an object),
    `human()` prints it for a person. Each is computed only when asked for. `finish()`, when
    given, runs after either (a verdict on stderr, an exit status).

    A plain class, not a dataclass: making a dataclass costs ~0.4 ms, and every list and
    show command loads this module."""

    __slots__ = ("json", "human", "finish")

    def __init__(
        self,
        json: Callable[[], Any],
        human: Callable[[], None],
        finish: Callable[[], None] | None = None,
    ) -> None:
        self.json, self.human, self.finish = json, human, finish


class JsonMembers:
    """A JSON object written member by member (see `print_json_members`)."""

    __slots__ = ("members",)

    def __init__(self, members: Iterable[tuple[str, Any]]) -> None:
        self.members = members


class JsonRows:
    """A long JSON array written one record a line, compact: each record is its JSON text
    as SQLite's json_object writes it (as `shop export` has its rows), or a value that json
    writes the same way. 100,000 records cost what SQLite takes to write them, where
    indenting each in Python cost ~8x that. `chunked`: `rows` gives lists of records."""

    __slots__ = ("rows", "chunked")

    def __init__(self, rows: Iterable[Any], *, chunked: bool = False) -> None:
        self.rows, self.chunked = rows, chunked


def json_output(command: Callable[..., Shown]) -> Callable[..., None]:
    """Give a list or show command its `--json` option, the same way everywhere.

    The command returns a `Shown`; this prints its JSON or its human form. Typer reads the
    wrapper's signature: the command's own parameters, then `--json`.
    """
    import inspect

    signature = inspect.signature(command, eval_str=True)  # Typer reads the Annotated extras
    flag = inspect.Parameter(
        "as_json", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=JsonOption
    )
    # A command that writes a document while it records (see `deliver_to`) declares
    # `as_json: JsonOption = False` itself, to know whether stdout holds the JSON.
    declared = "as_json" in signature.parameters

    @functools.wraps(command)
    def run(*args: Any, as_json: bool = False, **kwargs: Any) -> None:
        shown = command(*args, as_json=as_json, **kwargs) if declared else command(*args, **kwargs)
        if not as_json:
            with pager():  # on a terminal, a long human form goes through the pager
                shown.human()
        else:
            data = shown.json()
            if isinstance(data, JsonMembers):
                print_json_members(data.members)
            elif isinstance(data, JsonRows):
                _write_rows(data, "")
                sys.stdout.write("\n")
            else:
                print_json(data)
        if shown.finish is not None:
            shown.finish()

    # Typer reads the parameters from __signature__, which functions' type does not declare.
    run.__signature__ = (  # type: ignore[attr-defined]
        signature
        if declared
        else signature.replace(parameters=[*signature.parameters.values(), flag])
    )
    run.__annotations__ = {**command.__annotations__, "as_json": JsonOption}
    return run


def open_store(*, create: bool = False):
    """The shopper's database (made by its first write, or at once with `create`)."""
    import shopcli.storage as storage

    storage.on_wait = _say_waiting
    return storage.open_store(create=create)


def _say_waiting() -> None:
    """While another command holds the database: a word on a terminal (never in a pipe or a
    script's log, where the wait simply passes)."""
    if sys.stderr.isatty():
        sys.stderr.write("waiting for another shop command…\n")
        sys.stderr.flush()


def echo(message: str = "") -> None:
    typer.echo(message)


def warn(message: str) -> None:
    typer.echo(f"Warning: {message}", err=True)


def warn_untranslated_terms(job: Job, language: str) -> None:
    """Say which of the terms a document shows are not written in its language yet."""
    from shopcli.work.terms import untranslated_terms

    warn_untranslated(untranslated_terms(job, language), language)


def warn_untranslated(found: list[tuple[str, str]], language: str) -> None:
    """Say which texts from the profile a document shows in another language than its own
    (profile key, language shown), and how to add them."""
    from shopcli.core.languages import NAMES

    for key, used in found:
        warn(
            f"{key} has no {NAMES.get(language, language)} text: the {NAMES[used]} one was "
            f'used; add it with `shop profile set {key}.{language} "..."`'
        )


def print_json(data: Any) -> None:
    """JSON with stable keys; a list may be given as any iterable (a generator streams).

    Written piece by piece as it is encoded: `json.dumps` of a 40,000-entry document would
    hold the whole text and a list of every piece of it in memory first.
    """
    if isinstance(data, (dict, list, tuple, str, int, float, bool)) or data is None:
        write = sys.stdout.write
        pieces: list[str] = []
        for piece in _ENCODERS.INDENTED.iterencode(data):
            pieces.append(piece)
            if len(pieces) >= 4096:
                write("".join(pieces))
                pieces.clear()
        write("".join(pieces) + "\n")
        return
    _print_json_array(data)


class _Encoders:
    """The JSON encoders, made on first use (json is not imported by commands that print
    no JSON)."""

    def __getattr__(self, name: str) -> Any:
        import json

        self.INDENTED = json.JSONEncoder(ensure_ascii=False, indent=2, default=str)
        self.PLAIN = json.JSONEncoder(ensure_ascii=False, default=str)
        self.COMPACT = json.JSONEncoder(ensure_ascii=False, default=str, separators=(",", ":"))
        return getattr(self, name)


_ENCODERS = _Encoders()
# Written by the C encoder (`indent` makes json use its slow Python one): the members of a
# container of plain values, one a line, as indent=2 has them, per depth.
_FLAT: dict[str, Any] = {}
_CONTAINERS = (dict, list, tuple)


def _flat(inner: str) -> Any:
    encoder = _FLAT.get(inner)
    if encoder is None:
        import json

        encoder = _FLAT[inner] = json.JSONEncoder(
            ensure_ascii=False, default=str, separators=(",\n" + inner, ": ")
        )
    return encoder


def _indented(value: Any, pad: str = "") -> str:
    """`json.dumps(value, indent=2)` nested `pad` deep, ~10x faster: the plain values of a
    container go to the C encoder together."""
    inner = pad + "  "
    if type(value) is dict and value:
        parts: list[str] = []
        plain: dict[Any, Any] = {}  # a run of plain members, written in one go
        for key, member in value.items():
            if isinstance(member, _CONTAINERS):
                if type(key) is not str:  # json would write the key as a string first
                    return _ENCODERS.INDENTED.encode(value).replace("\n", "\n" + pad)
                if plain:
                    parts.append(_flat(inner).encode(plain)[1:-1])
                    plain = {}
                parts.append(_ENCODERS.PLAIN.encode(key) + ": " + _indented(member, inner))
            else:
                plain[key] = member
        if plain:
            parts.append(_flat(inner).encode(plain)[1:-1])
        return "{\n" + inner + (",\n" + inner).join(parts) + "\n" + pad + "}"
    if type(value) in (list, tuple) and value:
        if not any(isinstance(member, _CONTAINERS) for member in value):
            return "[\n" + inner + _flat(inner).encode(list(value))[1:-1] + "\n" + pad + "]"
        members = (_indented(member, inner) for member in value)
        return "[\n" + inner + (",\n" + inner).join(members) + "\n" + pad + "]"
    if not isinstance(value, _CONTAINERS):
        return _ENCODERS.PLAIN.encode(value)
    return _ENCODERS.INDENTED.encode(value).replace("\n", "\n" + pad)


def _print_json_array(rows: Iterable[Any]) -> None:
    """A JSON array written one element at a time: the same text as json.dumps(indent=2)."""
    _write_array(rows, "")
    sys.stdout.write("\n")


def _write_array(rows: Iterable[Any], pad: str) -> None:
    """An array nested `pad` deep, written one element at a time, as indent=2 has it."""
    write = sys.stdout.write
    inner = pad + "  "
    pieces: list[str] = []
    for row in rows:
        pieces.append(("[\n" if not pieces else ",\n") + inner + _indented(row, inner))
        if len(pieces) % 1000 == 0:
            write("".join(pieces))
            pieces = [""]  # keeps "not the first element"
    write("".join(pieces) + "\n" + pad + "]" if pieces else "[]")


def _write_rows(data: JsonRows, pad: str) -> None:
    """A `JsonRows` array nested `pad` deep: `[`, each record on a line of its own, `]`."""
    write = sys.stdout.write
    inner = ",\n" + pad + "  "
    compact = _ENCODERS.COMPACT.encode
    chunks = data.rows if data.chunked else _chunks(data.rows)
    first = True
    for chunk in chunks:
        if not chunk:
            continue
        texts = chunk
        if set(map(type, chunk)) != {str}:
            texts = [row if isinstance(row, str) else compact(row) for row in chunk]
        write("[\n" + pad + "  " if first else inner)  # apart: a chunk's text is not copied
        write(inner.join(texts))
        first = False
    write("[]" if first else "\n" + pad + "]")


def _chunks(rows: Iterable[Any], size: int = 2000) -> Iterator[list[Any]]:
    from itertools import islice

    source = iter(rows)
    while chunk := list(islice(source, size)):
        yield chunk


def print_json_members(members: Iterable[tuple[str, Any]]) -> None:
    """A JSON object written member by member, the same text as json.dumps(indent=2): a value
    that is an iterator streams as an array, and members are asked for one at a time, so a
    later one may hold what was counted while an earlier one streamed."""
    from collections.abc import Iterator

    write = sys.stdout.write
    first = True
    for key, value in members:
        write(("{" if first else ",") + "\n  " + _ENCODERS.PLAIN.encode(key) + ": ")
        first = False
        if isinstance(value, JsonRows):
            _write_rows(value, "  ")
        elif isinstance(value, Iterator):
            _write_array(value, "  ")
        else:
            write(_indented(value, "  "))
    write("{}\n" if first else "\n}\n")


def print_table(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
    right: Sequence[str] = (),
) -> None:
    """A rich table when it fits a screen; plain aligned columns for long or piped output.

    `rows` may be a generator: only a screenful is looked at before choosing, and the plain
    path keeps each row as one short line of text, not a list of cells.
    """
    from itertools import chain, islice

    source = iter(rows)
    head = list(islice(source, RICH_ROW_LIMIT + 1))
    if not head:
        echo("(none)" if not title else f"{title}: (none)")
        return
    if len(head) > RICH_ROW_LIMIT or not on_terminal():
        _plain_table(columns, chain(head, source), title, right)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", header_style="bold")
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left", overflow="fold")
    for row in head:
        table.add_row(*("" if value is None else str(value) for value in row))
    if _PAGING:
        import shutil

        width = shutil.get_terminal_size().columns
        Console(file=sys.stdout, force_terminal=True, width=width).print(table)
    else:
        Console().print(table)


PLAIN_WIDTH = 60  # a longer value is cut to this many terminal columns in plain output
_SEPARATOR = "\x1f"  # joins a row's cells while widths are measured


def cell_width(text: str) -> int:
    """The columns a text takes on a terminal: wide characters (王芳, full-width forms) take
    two, combining marks none. ASCII, most of what a table holds, is measured by `len`."""
    if text.isascii():
        return len(text)
    from unicodedata import combining, east_asian_width

    return sum(0 if combining(ch) else 2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def cut_to_width(text: str, width: int) -> str:
    """The text cut to at most `width` columns, ending with `…` when cut."""
    if cell_width(text) <= width:
        return text
    kept, used = [], 0
    for ch in text:
        size = cell_width(ch)
        if used + size > width - 1:
            break
        kept.append(ch)
        used += size
    return "".join(kept) + "…"


def pad(text: str, width: int, *, right: bool = False) -> str:
    """The text padded with spaces to `width` columns (on the left when `right`)."""
    fill = " " * max(width - cell_width(text), 0)
    return fill + text if right else text + fill


def _plain_table(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str | None, right: Sequence[str]
) -> None:
    # One pass measures the widths and keeps each row as one string (cells joined by a
    # separator): 100,000 rows take ~15 MB this way instead of ~60 MB as lists of cells.
    # Widths are terminal columns, not characters: 王芳 takes four.
    widths = [cell_width(c) for c in columns]
    separators = len(columns) - 1
    kept: list[str] = []
    for row in rows:
        cells = ["" if value is None else str(value) for value in row]
        lengths = list(map(cell_width, cells))
        if max(lengths) > PLAIN_WIDTH:
            cells = [cut_to_width(c, PLAIN_WIDTH) for c in cells]
            lengths = list(map(cell_width, cells))
        widths = list(map(max, widths, lengths))
        joined = _SEPARATOR.join(cells)
        if joined.count(_SEPARATOR) != separators:
            joined = _SEPARATOR.join(c.replace(_SEPARATOR, " ") for c in cells)
        kept.append(joined)
    aligned = [column in right for column in columns]
    # An ASCII row is padded by str.format (fast); a row with wide characters cell by cell.
    pattern = "  ".join(
        f"{{:{'>' if flush else '<'}{width}}}" for flush, width in zip(aligned, widths, strict=True)
    )

    def line(row: str) -> str:
        cells = row.split(_SEPARATOR)
        if row.isascii():
            return pattern.format(*cells).rstrip()
        return "  ".join(
            pad(cell, width, right=flush)
            for cell, width, flush in zip(cells, widths, aligned, strict=True)
        ).rstrip()

    write = sys.stdout.write
    if title:
        write(title + "\n")
    write(line(_SEPARATOR.join(columns)) + "\n")
    write("  ".join("-" * w for w in widths) + "\n")
    for start in range(0, len(kept), 1000):
        write("".join(line(row) + "\n" for row in kept[start : start + 1000]))


def print_record(fields: Sequence[tuple[str, Any]]) -> None:
    """A record as aligned `label: value` lines, skipping empty values."""
    shown = [(label, value) for label, value in fields if value not in (None, "", [], {})]
    width = max((cell_width(label) for label, _ in shown), default=0)
    for label, value in shown:
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        elif isinstance(value, dict):
            value = ", ".join(f"{k} {v}" if k != "size" else str(v) for k, v in value.items())
        text = str(value).replace("\n", "\n" + " " * (width + 2))  # line up later lines
        echo(f"{pad(label, width)}  {text}")


ITEM_HELP = "Item: JOB/N (its number in the job, e.g. 'Christmas 2026/3'), id or title."


def item_name(store: Any, row: Item) -> str:
    """An item as the shopper names it in commands: `Christmas 2026/3`."""
    title = row.get("job")
    if title is None:
        from shopcli.storage import jobs as job_queries

        job = job_queries.by_id(store, row["job_id"])
        title = job["title"] if job else f"#{row['job_id']}"
    return f"{title}/{row['number']}"


# -- paging -----------------------------------------------------------------------------------

_PAGING = False  # output is being gathered for the pager: lay it out for the terminal


def on_terminal() -> bool:
    """Whether output goes to a person's terminal (directly or through the pager)."""
    return _PAGING or sys.stdout.isatty()


def pager_command() -> str | None:
    """The pager, as git chooses it: SHOP_PAGER, else PAGER, else `less`; an empty value
    or `cat` means none."""
    import shutil

    for name in ("SHOP_PAGER", "PAGER"):
        value = os.environ.get(name)
        if value is not None:
            value = value.strip()
            return value if value and value != "cat" else None
    return "less" if shutil.which("less") else None


@contextmanager
def pager() -> Iterator[None]:
    """Show what the block prints through the pager when it is longer than the terminal is
    high; printed to a pipe or a file, it is never paged (as git does, with `less -FRX`)."""
    global _PAGING
    command = pager_command() if sys.stdout.isatty() and not _PAGING else None
    if command is None:
        yield
        return
    import io
    import shutil

    real, gathered = sys.stdout, io.StringIO()
    sys.stdout, _PAGING = gathered, True
    try:
        yield
    except BaseException:
        sys.stdout, _PAGING = real, False
        real.write(gathered.getvalue())
        raise
    sys.stdout, _PAGING = real, False
    text = gathered.getvalue()
    if text.count("\n") < shutil.get_terminal_size().lines - 1:
        real.write(text)
        return
    _page(command, text, real)


def _page(command: str, text: str, real: Any) -> None:
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # quit if it fits, keep colours, leave the screen as it was
    real.flush()
    try:
        done = subprocess.run(command, shell=True, input=text.encode("utf-8"), env=env)
    except (OSError, KeyboardInterrupt):
        return
    if done.returncode == 127:  # no such pager: print as if there were none
        real.write(text)


def one_flag(flags: Mapping[str, bool], *, what: str) -> str:
    """The one flag given of several that exclude each other (`{"loved": loved, ...}`, named
    without their dashes); refuses none or more than one, naming them all."""
    from shopcli.core.errors import InvalidInput

    chosen = [name for name, given in flags.items() if given]
    if len(chosen) == 1:
        return chosen[0]
    names = [f"--{name}" for name in flags]
    listed = f"{', '.join(names[:-1])} or {names[-1]}"
    extra = f" (not {' and '.join('--' + name for name in chosen)})" if chosen else ""
    raise InvalidInput(f"give exactly one {what}: {listed}{extra}")


def confirm(question: str, yes: bool) -> None:
    """Ask before something destructive; without a terminal, only --yes goes ahead."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise ShopError(f"{question} Refused: not on a terminal; add --yes to go ahead")
    if not typer.confirm(question, default=False):
        raise typer.Abort()


def ask_to_apply(
    what: str, *, yes: bool, source: str, verb: str = "apply", done: str = "applied"
) -> None:
    """Ask before what a client's reply says is applied (`decide`, `feedback`): on a terminal
    the shopper answers; a script, or a reply piped in on stdin (no one is left to answer),
    must say --yes (or --dry-run, to only look). `what` is e.g. "these 3 decisions"."""
    if yes:
        return
    if source == "-" or not stdin_is_terminal():
        why = "the reply came on stdin" if source == "-" else "not on a terminal"
        raise ShopError(
            f"nothing was {done}: {why}, so there is no one to ask; add --yes to {verb} "
            f"{what}, or --dry-run to only look"
        )
    if not typer.confirm(f"{verb.capitalize()} {what}?", default=False):
        raise ShopError(f"nothing was {done}")


def stdin_is_terminal() -> bool:
    """Whether a person can answer a question (tests pretend so)."""
    return sys.stdin.isatty()


def emit_document(data: str | bytes, output: str | None, *, detail: str | None = None) -> None:
    """Print a rendered document, or write it atomically to a file (`-` is stdout): the one
    writer of every command's documents and files. Bytes (an .eml, a PDF, a receipt) go to
    stdout as they are, except binary ones to a terminal. A device or a FIFO named with `-o`
    is written into; a folder is refused (see core.files.atomic_file). `detail` is added to
    the "Wrote FILE" line (what the file holds)."""
    if output is None or output == "-":
        if isinstance(data, str):
            sys.stdout.write(data if data.endswith("\n") else data + "\n")
            sys.stdout.flush()
            return
        if sys.stdout.isatty() and _binary(data):
            from shopcli.core.errors import InvalidInput

            if data.startswith(b"%PDF"):
                raise InvalidInput("a PDF is not shown on a terminal: add -o FILE.pdf")
            raise InvalidInput("a binary file is not shown on a terminal: add -o FILE")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from pathlib import Path

    from shopcli.core.files import write_private

    write_private(Path(output), data)
    typer.echo(f"Wrote {output}" + (f": {detail}" if detail else ""), err=True)


def _binary(data: bytes) -> bool:
    """Whether bytes are no text a terminal can show (a PDF, a picture); an .eml is text."""
    head = data[:8192]
    if head.startswith(b"%PDF") or b"\x00" in head:
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start < len(head) - 3  # not only a character cut at the end
    return False


def deliver_to(
    output: str | None, *, as_json: bool = False
) -> Callable[[str | bytes], None] | None:
    """The writer a command gives domain code that records something and writes a document
    (`deliver=`): it runs inside the write transaction, so a document that cannot be
    written leaves no record. None when nothing is to be written: with --json, stdout holds
    the JSON, so a document meant for stdout is not printed (one written with -o is)."""
    if as_json and (output is None or output == "-"):
        return None
    return functools.partial(emit_document, output=output)


# What a file's name says it holds, for the document formats: a text written to invoice.pdf
# would be sent to a client as a PDF that does not open.
_NAMED_FORMATS = {".pdf": "pdf", ".eml": "eml", ".html": "html", ".htm": "html", ".txt": "text"}


def check_output(output: str | None, fmt: str | None = None) -> None:
    """Refuse an output that cannot be written before anything is recorded or rendered (a
    missing or read-only folder, a folder named as the file, a PDF for a terminal, a file
    whose name says another document format than the one asked)."""
    from pathlib import Path

    from shopcli.core.errors import InvalidInput

    if output is None or output == "-":
        if fmt == "pdf" and sys.stdout.isatty():
            raise InvalidInput("a PDF is not shown on a terminal: add -o FILE.pdf")
        return
    path = Path(output)
    named = _NAMED_FORMATS.get(path.suffix.lower())
    if fmt and named and named != fmt:
        raise InvalidInput(
            f"cannot write {output}: its name says {named}, the format is {fmt}; add "
            f"-f {named} or name the file for {fmt}"
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInput(f"cannot write {output}: folder {folder} does not exist")
    if path.is_dir():
        raise InvalidInput(f"cannot write {output}: it is a folder; name a file")
    if not os.access(folder, os.W_OK | os.X_OK) and not _special(path):
        raise InvalidInput(f"cannot write {output}: folder {folder} is not writable")


def _special(path: Any) -> bool:
    from shopcli.core.files import is_special

    return is_special(path)


def remove_record(
    store: Any,
    module: Any,
    kind: str,
    row: Mapping[str, Any],
    label: str,
    *,
    force: bool,
    yes: bool,
) -> None:
    """The shared `rm`: say what else would go, confirm that, remove, report.

    `module` is the domain module of the record (clients, jobs, recipients): it has
    `removal_plan(store, row)` and `remove(store, row, force=...)`.
    """
    from shopcli.storage import describe_counts

    plan = module.removal_plan(store, row)
    if plan and force:
        echo(f"Removing {kind} {label} also removes {describe_counts(plan)}.")
        confirm("Go ahead?", yes)
    gone = module.remove(store, row, force=force)
    also = f" and {describe_counts(gone)}" if gone else ""
    echo(f"Removed {kind} #{row['id']} {label}{also}")


# Largest reply read (a saved message with its quotes and a small attachment).
MAX_REPLY_BYTES = 5_000_000


def read_reply(source: str) -> str:
    """A client's emailed reply as text: from a file or stdin (`-`), plain text or a whole
    saved message (.eml: MIME decoded, text part preferred; see proposing.reply_mail)."""
    from shopcli.core.files import read_input
    from shopcli.proposing import reply_mail

    data = read_input(
        source,
        "the reply",
        MAX_REPLY_BYTES,
        stdin_ok=True,
        hint="paste only the client's answer",
    )
    return reply_mail.reply_text(data, "stdin" if source == "-" else source)
