"""Imports: a client's gift list (YAML), candidate items in bulk (CSV) and a whole export (JSON).

Every import is all or nothing: it runs in one transaction, and an error names the file, the
line and the field, and keeps nothing of that import. Values go through the same cleaners as
the commands (`CLEANERS` in each record module), so a file is checked like typed input.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from pathlib import Path
from typing import Any

from shopcli.errors import InvalidInput, ShopError
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
        }


class _Located(InvalidInput):
    """An import error that already names its place in the file."""


def _where(path: Path, line: int | None, field_name: str | None) -> str:
    where = str(path)
    if line:
        where += f", line {line}"
    if field_name:
        where += f", field {field_name}"
    return where


def located(path: Path, line: int | None, field_name: str | None, message: str) -> InvalidInput:
    return _Located(f"{_where(path, line, field_name)}: {message}")


@contextmanager
def _at(path: Path, line: int | None, field_name: str | None) -> Iterator[None]:
    """Name the place in the file on any error raised inside."""
    try:
        yield
    except _Located:
        raise
    except ShopError as exc:
        error = _Located(f"{_where(path, line, field_name)}: {exc}")
        error.exit_code = exc.exit_code
        raise error from None


def import_file(
    store: Store,
    path: Path,
    *,
    job: str | None = None,
    progress: Progress | None = None,
    suffix: str | None = None,
) -> ImportResult:
    """Import a gift list (.yaml/.yml or .json), an items file (.csv, with a job) or an export
    (.json from `shop export`), all or nothing. `suffix` says what the file holds when its
    name does not."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"no file at {path}")
    suffix = (suffix or path.suffix).lower()
    if suffix in ITEMS_SUFFIXES:
        if not job:
            raise InvalidInput(f"{path} holds items: name the job they belong to with --job JOB")
        return import_items(store, path, job, progress=progress)
    if job:
        raise InvalidInput("--job is for an items file (.csv); a gift list names its own job")
    if suffix in GIFTLIST_SUFFIXES:
        return import_giftlist(store, path)
    if suffix == ".json":
        text = _read_text(path)
        data = _parse_json(path, text)
        if isinstance(data, dict) and data.get("format") == EXPORT_FORMAT:
            return import_export(store, path, data, lines=_row_lines(text, data))
        return import_giftlist(store, path)
    raise InvalidInput(
        f"cannot tell what {path} holds from its name: use .yaml for a gift list, .csv for items "
        "(with --job) or .json for an export from `shop export`"
    )


STDIN = "standard input"


def import_stream(store: Store, stream: Any, *, job: str | None = None) -> ImportResult:
    """Import what arrives on standard input (`shop import -`), all or nothing: items with
    --job; otherwise JSON (an export or a gift list) when it starts with `{`, else a gift
    list in YAML. It is kept in a private temporary file while it is read (registered, so a
    killed import's copy is removed later), and errors name "standard input"."""
    from shopcli import files, paths
    from shopcli.storage import maintenance

    data = stream.read()
    head = data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    suffix = ITEMS_SUFFIXES[0] if job else ".json" if head in (b"{", b"[") else ".yaml"
    home = paths.ensure_home()
    files.clean_stale(home)
    with files.temporary(home / "import", "import") as tmp:
        try:
            maintenance.create_private(tmp)
            tmp.write_bytes(data)
        except OSError as exc:
            raise InvalidInput(f"cannot keep standard input in {home}: {exc.strerror}") from None
        del data
        try:
            result = import_file(store, tmp, job=job, suffix=suffix)
        except ShopError as exc:
            error = type(exc)(str(exc).replace(str(tmp), STDIN))
            error.exit_code = exc.exit_code
            raise error from None
    result.path = Path("-")
    return result


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise located(
            path, line, None, 'the file is not UTF-8 text; save it as UTF-8 ("CSV UTF-8")'
        ) from None


def _text_lines(path: Path) -> Iterator[str]:
    """The lines of a UTF-8 file (already checked) as the csv module reads them."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from handle


def _parse_json(path: Path, text: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise located(path, exc.lineno, None, f"not valid JSON ({exc.msg})") from None


_TABLE_LINE = re.compile(r'^\s*("(?:[^"\\]|\\.)*")\s*:\s*\[')


def _row_lines(text: str, document: Any) -> dict[tuple[str, int], int]:
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


# -- gift lists -----------------------------------------------------------------------------


class _Mapping(dict):
    """A mapping from the file that remembers the line of each key."""

    line: int = 0
    lines: dict[str, int]


class _Sequence(list):
    """A sequence from the file that remembers the line of each element."""

    line: int = 0
    lines: list[int]


def _load_yaml(path: Path, text: str) -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        """Keeps numbers, dates and yes/no as written (a phone 0401234567 is not octal) and
        remembers lines."""

    def as_written(loader: yaml.SafeLoader, node: yaml.Node) -> str:
        return loader.construct_scalar(node)

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _Mapping:
        loader.flatten_mapping(node)
        result = _Mapping()
        result.line = node.start_mark.line + 1
        result.lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise located(path, line, None, f"a key must be a name, not {key!r}")
            if key in result:
                raise located(path, line, key, "given twice")
            result[key] = loader.construct_object(value_node, deep=True)
            result.lines[key] = line
        return result

    def sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> _Sequence:
        result = _Sequence(loader.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.lines = [child.start_mark.line + 1 for child in node.value]
        return result

    for tag in ("int", "float", "bool", "timestamp"):
        Loader.add_constructor(f"tag:yaml.org,2002:{tag}", as_written)
    Loader.add_constructor("tag:yaml.org,2002:map", mapping)
    Loader.add_constructor("tag:yaml.org,2002:seq", sequence)
    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise located(path, mark.line + 1 if mark else None, None, problem) from None


def _line(node: Any, key: str | None = None, default: int | None = None) -> int | None:
    if key is not None and isinstance(node, _Mapping):
        return node.lines.get(key, node.line)
    return getattr(node, "line", default) or default


@dataclass
class _Spec:
    """One record's fields as the file gives them: for the domain (`given`), as they would be
    stored (`cleaned`), and where each one is (`lines`)."""

    given: dict[str, Any]
    cleaned: dict[str, Any]
    lines: dict[str, int | None]
    line: int | None


# Fields holding a list (a comma-separated string also works) or a mapping.
_LIST_FIELDS = {"interests", "dislikes"}
_MAP_FIELDS = {"sizes", "dates"}


def _plain(path: Path, line: int | None, name: str, value: Any, label: str) -> Any:
    """A value from the file in the shape the cleaners take."""
    import datetime as dt

    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (int, Decimal, float)):
        return str(value)
    if isinstance(value, str):
        return value
    if name in _LIST_FIELDS and isinstance(value, list):
        return [str(_plain(path, line, "", v, label)) for v in value if v is not None]
    if name in _MAP_FIELDS and isinstance(value, dict):
        return {str(k): _plain(path, line, "", v, label) for k, v in value.items() if v is not None}
    if name == "sizes" and isinstance(value, list):
        return [str(_plain(path, line, "", v, label)) for v in value if v is not None]
    kind = "a list" if isinstance(value, list) else "a mapping"
    raise located(path, line, label, f"expected a single value, not {kind}")


def _spec(
    path: Path,
    node: Any,
    what: str,
    cleaners: dict[str, Callable[[Any], Any]],
    required: str,
    prefix: str,
    *,
    extra: dict[str, Callable[[Any], Any]] | None = None,
) -> _Spec:
    from shopcli.cards import refuse_card_numbers
    from shopcli.validate import refuse_hidden_text

    if isinstance(node, str):
        node_map: dict = {required: node}
        line = None
    elif isinstance(node, dict):
        node_map = node
        line = _line(node)
    else:
        raise located(path, _line(node), prefix, f"{what} must be a mapping of fields")
    known = {**cleaners, **(extra or {})}
    given: dict[str, Any] = {}
    cleaned: dict[str, Any] = {}
    lines: dict[str, int | None] = {}
    for key, raw in node_map.items():
        key_line = _line(node, key, line)
        name = f"{prefix}.{key}"
        if key not in known:
            raise located(
                path,
                key_line,
                name,
                f"unknown field; a {what} has: {', '.join(sorted(known))}",
            )
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        value = _plain(path, key_line, key, raw, name)
        if key == "sizes" and isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        with _at(path, key_line, name):
            texts = list(value.values()) if isinstance(value, dict) else value
            refuse_card_numbers({key: texts})
            refuse_hidden_text({key: texts})
            cleaned[key] = known[key](value)
        given[key] = value
        lines[key] = key_line
    if required not in given:
        raise located(path, line, f"{prefix}.{required}", f"a {what} needs a {required}")
    return _Spec(given, cleaned, lines, line)


def import_giftlist(store: Store, path: Path) -> ImportResult:
    """A client's list: the client, optionally a job, and recipients with their budgets.

    Records are matched, not duplicated: the client by email then name, recipients by name
    within the client, the job by title within the client. Fields the file gives replace the
    stored ones; fields it leaves out are kept.
    """
    from shopcli import clients, jobs, recipients
    from shopcli.fees import parse_fee
    from shopcli.money import parse_amount, to_text

    data = _load_yaml(path, _read_text(path))
    if not isinstance(data, dict):
        raise located(
            path,
            _line(data, default=1),
            None,
            "a gift list is a mapping with client, job and recipients",
        )
    for key in data:
        if key not in ("client", "job", "recipients"):
            raise located(
                path,
                _line(data, key),
                key,
                "unknown section; a gift list has client, job and recipients",
            )
    if "client" not in data or data["client"] is None:
        raise located(path, 1, "client", "a gift list needs a client (at least a name)")

    amount_cleaner = {"budget": lambda v: to_text(parse_amount(v, "budget"))}
    client_spec = _spec(path, data["client"], "client", clients.CLEANERS, "name", "client")
    job_spec = None
    if data.get("job") is not None:
        fee = {"fee": lambda v: str(parse_fee(v))}
        job_spec = _spec(path, data["job"], "job", jobs.CLEANERS, "title", "job", extra=fee)
    people = data.get("recipients") or []
    if not isinstance(people, list):
        raise located(path, _line(data, "recipients"), "recipients", "expected a list")
    recipient_specs: list[_Spec] = []
    seen: dict[str, int | None] = {}
    for index, person in enumerate(people):
        prefix = f"recipients[{index + 1}]"
        spec = _spec(
            path, person, "recipient", recipients.CLEANERS, "name", prefix, extra=amount_cleaner
        )
        folded = spec.cleaned["name"].casefold()
        if folded in seen:
            raise located(
                path,
                spec.line,
                f"{prefix}.name",
                f"this name is listed twice (also on line {seen[folded]})",
            )
        seen[folded] = spec.line
        if "budget" in spec.given and job_spec is None:
            raise located(
                path,
                spec.lines["budget"],
                f"{prefix}.budget",
                "a recipient's budget belongs to a job: add a job section (title at least)",
            )
        recipient_specs.append(spec)

    result = ImportResult(path, "gift list")
    with store.write():
        client = _import_client(store, path, client_spec, result)
        job = _import_job(store, path, job_spec, client, result) if job_spec else None
        for index, spec in enumerate(recipient_specs):
            _import_recipient(store, path, spec, f"recipients[{index + 1}]", client, job, result)
        _log_import(store, result, client_id=client["id"], job_id=job["id"] if job else None)
    return result


def _changed(existing: dict, spec: _Spec, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The given fields whose stored value would change (a name written in other letter
    case is the same name: the stored spelling stays)."""
    return {
        key: spec.given[key]
        for key, value in spec.cleaned.items()
        if key not in skip
        and existing.get(key) != value
        and not (key in ("name", "title") and str(existing.get(key)).casefold() == value.casefold())
    }


def _import_client(store: Store, path: Path, spec: _Spec, result: ImportResult) -> dict:
    from shopcli import clients
    from shopcli.storage import importing as queries

    matches: list[dict] = []
    if "email" in spec.cleaned:
        matches = queries.clients_by_email(store, spec.cleaned["email"])
    if not matches:
        matches = queries.clients_by_name(store, spec.cleaned["name"])
    if len(matches) > 1:
        shown = ", ".join(f"#{row['id']}" for row in matches[:8])
        raise located(
            path,
            spec.line,
            "client",
            f"{len(matches)} clients have this name ({shown}); give the email of the one you mean",
        )
    if not matches:
        with _at(path, spec.line, "client"):
            given = dict(spec.given)
            row = clients.add(store, given.pop("name"), **given)
        result.add("created", "client", row["name"], row["id"])
        return row
    row = matches[0]
    given_email = spec.cleaned.get("email")
    if given_email and row.get("email") and row["email"].casefold() != given_email.casefold():
        # Found by name only: a namesake, or a changed address. Either way the file does not
        # get to rewrite who the client is; the shopper decides.
        raise located(
            path,
            spec.lines.get("email", spec.line),
            "client.email",
            f"client #{row['id']} {row['name']} has the email {row['email']}, not "
            f"{given_email}: if this is another person, add them first with `shop client add` "
            "(a distinguishing name and this email); if the email changed, run `shop client "
            f"edit {row['id']} --email {given_email}` and import again",
        )
    changes = _changed(row, spec)
    if not changes:
        result.add("unchanged", "client", row["name"], row["id"])
        return row
    with _at(path, spec.line, "client"):
        row = clients.edit(store, row, **changes)
    result.add("updated", "client", row["name"], row["id"], tuple(changes))
    return row


def _import_job(store: Store, path: Path, spec: _Spec, client: dict, result: ImportResult) -> dict:
    from shopcli import jobs
    from shopcli.storage import jobs as queries

    given = dict(spec.given)
    fee = given.pop("fee", None)
    row = queries.named(store, client["id"], spec.cleaned["title"])
    if row is None:
        with _at(path, spec.line, "job"):
            row = jobs.add(store, client, given.pop("title"), fee=fee, **given)
        result.add("created", "job", row["title"], row["id"])
        return row
    changes = _changed(row, spec, skip=("fee",))
    if fee is not None and spec.cleaned["fee"] != (jobs.fee_text(row) or ""):
        changes["fee"] = fee
    if not changes:
        result.add("unchanged", "job", row["title"], row["id"])
        return row
    with _at(path, spec.line, "job"):
        fee_change = changes.pop("fee", None)
        row = jobs.edit(store, row, fee=fee_change, **changes)
    fields = tuple(changes) + (("fee",) if fee_change is not None else ())
    result.add("updated", "job", row["title"], row["id"], fields)
    return row


def _import_recipient(
    store: Store,
    path: Path,
    spec: _Spec,
    prefix: str,
    client: dict,
    job: dict | None,
    result: ImportResult,
) -> None:
    from shopcli import budgets, recipients
    from shopcli.storage import importing as queries

    given = dict(spec.given)
    budget = given.pop("budget", None)
    # Names compare case-insensitively in any script (SQLite folds only ASCII): Äiti is äiti.
    folded = spec.cleaned["name"].casefold()
    same = [r for r in queries.recipients_of(store, client["id"]) if r["name"].casefold() == folded]
    row = store.get("recipients", same[0]["id"]) if same else None
    if row is None:
        with _at(path, spec.line, prefix):
            row = recipients.add(store, client, given.pop("name"), **given)
        result.add("created", "recipient", row["name"], row["id"])
    else:
        changes = _changed(row, spec, skip=("budget",))
        if changes:
            with _at(path, spec.line, prefix):
                row = recipients.edit(store, row, **changes)
            result.add("updated", "recipient", row["name"], row["id"], tuple(changes))
        else:
            result.add("unchanged", "recipient", row["name"], row["id"])
    if budget is None or job is None:
        return
    from shopcli.money import plain

    shown = plain(Decimal(spec.cleaned["budget"]), job["currency"])
    label = f"{row['name']} in {job['title']}: {shown} {job['currency']}"
    stored = queries.budget_amount(store, job["id"], row["id"])
    if stored == spec.cleaned["budget"]:
        result.add("unchanged", "budget", label)
        return
    with _at(path, spec.lines.get("budget"), f"{prefix}.budget"):
        budgets.set_budget(store, job, row, budget)
    result.add("created" if stored is None else "updated", "budget", label)


def _log_import(store: Store, result: ImportResult, **ids: int | None) -> None:
    from shopcli import events

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


# -- items files ----------------------------------------------------------------------------

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

    def __init__(self, store: Store, job: dict) -> None:
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

    def blank(self, name: str) -> Any:
        """What an empty cell (or a column the file lacks) means for a field."""
        if name == "currency":
            return self.job["currency"]
        return {"qty": 1, "paid_by": "client"}.get(name)

    def amount(self, text: str, what: str) -> str:
        key = (text, what)
        known = self.amounts.get(key)
        if known is None:
            from shopcli.money import parse_amount, to_text

            if self._SIMPLE_PRICE.fullmatch(text):
                known = to_text(Decimal(text))
            else:
                known = to_text(parse_amount(text, what))
            self.amounts[key] = known
        return known

    def currency(self, text: str) -> str:
        known = self.currencies.get(text)
        if known is None:
            from shopcli.money import currency

            known = self.currencies[text] = currency(text)
        return known

    def payer(self, text: str) -> str:
        known = self.payers.get(text)
        if known is None:
            from shopcli.items import CLEANERS

            known = self.payers[text] = CLEANERS["paid_by"](text)
        return known

    def quantity(self, text: str) -> int:
        from shopcli import validate

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
        }

    def row_checker(self, where: dict[str, int]) -> Callable[[list[str]], tuple]:
        """A function turning one padded row into the item's values (in ITEM_FIELDS order:
        title, store, url, price, currency, recipient_id, size, colour, qty, notes, paid_by,
        shipping, customs), or raising _FieldError."""
        from shopcli import validate
        from shopcli.cards import may_hold_card_number, refuse_card_numbers
        from shopcli.items import CLEANERS

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
                if name in _TEXT_FIELDS and value and ("\x00" in value or "=?" in value):
                    try:
                        validate.refuse_hidden_text({name: value})
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
        from shopcli.cards import may_hold_card_number

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
                    columns.append(stripped if name == "title" else [t or None for t in stripped])
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
            if "\x00" in joined or "=?" in joined:
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
    kept_records, kept = [], []
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


def import_items(
    store: Store, path: Path, job_ref: str, *, progress: Progress | None = None
) -> ImportResult:
    """Candidate items for one job from a CSV file with a header row.

    Rows identical to an item the job already has are left alone, so importing the same file
    twice creates nothing twice. Rows are checked as they are inserted, all in one transaction:
    a bad row anywhere rolls the whole file back.
    """
    from itertools import islice

    from shopcli import jobs, lifecycle
    from shopcli.storage import importing as queries
    from shopcli.storage import now

    job = jobs.get(store, job_ref)
    text = _read_text(path)  # the whole file checked as UTF-8, errors with their line
    total = max(text.count("\n"), 1)
    first_line = text.split("\n", 1)[0]
    del text  # read again line by line: a StringIO of 100,000 rows would take ~30 MB
    delimiter = _dialect(first_line)
    reader = csv.reader(_text_lines(path), delimiter=delimiter)
    try:
        header_cells = next(reader)
    except StopIteration:
        raise located(path, 1, None, "the file is empty: it needs a header row") from None
    except csv.Error as exc:
        raise located(path, 1, None, f"not readable as CSV ({exc})") from None
    names = _header(path, header_cells)
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
    constants = {
        "job_id": job["id"],
        "status": lifecycle.CANDIDATE,
        "created_at": (stamp := now()),
        "updated_at": stamp,
        **{_ITEM_COLUMN[name]: checker.blank(name) for name in ITEM_FIELDS if name not in names},
    }
    result = ImportResult(path, "items")
    counted = {"created": 0, "unchanged": 0}

    def line_of(record: int) -> int:
        """The line a record (0: the header) starts on, read again: needed only to name
        where a problem is, as a quoted cell may span lines."""
        again = csv.reader(_text_lines(path), delimiter=delimiter)
        end = 0
        for index, _cells in enumerate(again):
            if index == record:
                break
            end = again.line_num
        return end + 1

    def batches() -> Iterator[tuple[list[int], list[list[str]]]]:
        """The file's rows, BATCH records at a time, each `width` cells long, with each
        one's record number (blank lines are skipped). A row with more cells than the header
        is refused unless the extra cells are empty, as some spreadsheets save them."""
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

    def checked(records: Sequence[int], rows: list[list[str]]) -> list[list]:
        """The rows' values as columns; where the batch check gives up, row by row, which
        finds the first bad cell and words its problem as `shop item add` would."""
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

    def new_items(existing: Counter, number: int) -> Iterator[Iterator[tuple]]:
        """Each batch checked and turned into item rows as the insert asks for them: no
        list of 100,000 rows is held in memory. An error ends the import (rolled back)."""
        for records, rows in batches():
            columns = checked(records, rows)
            if existing:
                keep = []
                for index, key in enumerate(zip(*columns, strict=True)):
                    if existing[key] > 0:
                        existing[key] -= 1
                    else:
                        keep.append(index)
                counted["unchanged"] += len(columns[0]) - len(keep)
                columns = [[column[i] for i in keep] for column in columns]
            created = len(columns[0])
            counted["created"] += created
            numbers = range(number, number + created)
            number += created
            yield zip(numbers, *(columns[i] for i in given), strict=True)

    # Checked and inserted in one transaction: a bad row anywhere leaves nothing behind.
    with store.write(), _cyclic_gc_paused():
        existing = Counter(queries.item_keys(store, job["id"]))
        queries.insert_items(
            store,
            ["number", *(_ITEM_COLUMN[ITEM_FIELDS[i]] for i in given)],
            constants,
            chain.from_iterable(new_items(existing, queries.next_item_number(store, job["id"]))),
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
        _log_import(store, result, client_id=job["client_id"], job_id=job["id"])
    return result


# -- exports --------------------------------------------------------------------------------


def import_export(
    store: Store, path: Path, document: dict, *, lines: dict[tuple[str, int], int] | None = None
) -> ImportResult:
    """Reproduce the records of a `shop export` JSON file in an empty shop, ids and all.

    `lines` maps (table, row index) to the row's line in the file, for errors."""
    lines = lines or {}
    from shopcli import exporting
    from shopcli.storage import exporting as schema
    from shopcli.storage import importing as queries
    from shopcli.storage.migrations import migrations

    if document.get("version") != exporting.EXPORT_VERSION:
        raise located(
            path,
            None,
            "version",
            f"this shopcli reads export version {exporting.EXPORT_VERSION}, "
            f"not {document.get('version')!r}",
        )
    known = [m.name for m in migrations._migrations]
    for name in document.get("migrations") or []:
        if name not in known:
            raise located(
                path,
                None,
                "migrations",
                f"the export was written by a newer shopcli (schema {name}); upgrade shopcli",
            )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise located(path, None, "tables", "an export needs its tables")
    ours = schema.table_names(store)
    unknown = sorted(set(tables) - set(ours))
    if unknown:
        raise located(path, None, "tables", f"unknown table {unknown[0]!r} for this shopcli")
    held = {name: schema.count(store, name) for name in ours}
    if any(held.values()):
        busy = ", ".join(f"{n} {name}" for name, n in held.items() if n)
        raise InvalidInput(
            f"{path} is a whole export: it imports only into an empty shop, and this one has "
            f"{busy}. Use a new data folder (SHOP_HOME=... or --home), or `shop restore` for "
            "a backup"
        )
    from shopcli.cards import may_hold_card_number, refuse_card_numbers
    from shopcli.validate import refuse_hidden_text

    result = ImportResult(path, "export")
    with store.write():
        queries.defer_foreign_keys(store)
        for table in ours:
            rows = tables.get(table) or []
            if not isinstance(rows, list):
                raise located(path, None, f"tables.{table}", "expected a list of rows")
            if not rows:
                continue
            columns = schema.column_names(store, table)
            names = [name for name in columns if name in rows[0]]
            stray = set(rows[0]) - set(columns)
            if stray:
                raise located(
                    path,
                    lines.get((table, 0)),
                    f"tables.{table}.{sorted(stray)[0]}",
                    "a column this shopcli does not know",
                )
            values = []
            for index, row in enumerate(rows):
                if not isinstance(row, dict) or set(row) != set(rows[0]):
                    raise located(
                        path,
                        lines.get((table, index)),
                        f"tables.{table}[{index + 1}]",
                        "every row of a table needs the same columns",
                    )
                record = tuple(_from_json(row[name]) for name in names)
                texts = [v for v in record if isinstance(v, str)]
                if any("\x00" in v or "=?" in v for v in texts):
                    with _at(path, lines.get((table, index)), f"tables.{table}[{index + 1}]"):
                        refuse_hidden_text(
                            {n: v for n, v in zip(names, record, strict=True) if isinstance(v, str)}
                        )
                if texts and may_hold_card_number(texts):
                    with _at(path, lines.get((table, index)), f"tables.{table}[{index + 1}]"):
                        refuse_card_numbers(
                            {n: v for n, v in zip(names, record, strict=True) if isinstance(v, str)}
                        )
                values.append(record)
            with _at(path, None, f"tables.{table}"):
                queries.insert_rows(store, table, names, values)
            result.add("created", "table", table, count=len(values))
        for table, expected in ((t, len(tables.get(t) or [])) for t in ours):
            actual = schema.count(store, table)
            if actual != expected:
                raise InvalidInput(
                    f"importing {path} would not reproduce it: table {table} ends with {actual} "
                    f"rows, not {expected}; nothing was imported"
                )
        _check_seals(store, path, has_seals=bool(tables.get("seals")))
        broken = queries.missing_references(store)
        if broken:
            first = broken[0]
            rows = tables.get(first["table"]) or []
            index = next((i for i, row in enumerate(rows) if row.get("id") == first["rowid"]), None)
            where = f"tables.{first['table']}" + (f"[{index + 1}]" if index is not None else "")
            raise located(
                path,
                lines.get((first["table"], index)) if index is not None else None,
                where,
                f"{len(broken)} rows refer to records missing from the export "
                f"(the first refers to a missing {first['parent']} record)",
            )
    masked = document.get("masked") or []
    if masked:
        result.notes.append(
            f"{', '.join(masked)} were masked in this export and are imported masked; "
            "export with --reveal to move digital codes"
        )
    result.notes.extend(_restore_profile(document.get("profile")))
    return result


def _check_seals(store: Store, path: Path, *, has_seals: bool) -> None:
    """An export's books must match their seals; one written before seals existed has its
    records sealed now, in the order they were issued."""
    from shopcli import seals

    if not has_seals:
        seals.seal_missing(store)
        return
    broken = seals.verify(store).broken
    if broken:
        raise InvalidInput(
            f"{path} cannot be imported: its books were changed outside shopcli ({broken[0]}); "
            "nothing was imported"
        )


def _from_json(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"base64"}:
        import base64

        return base64.b64decode(value["base64"])
    if isinstance(value, Decimal):
        from shopcli.money import to_text

        return to_text(value)  # exact, as amounts are stored (never a float)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _restore_profile(profile: Any) -> list[str]:
    """Write the exported profile when this shop has none; never replace an existing one."""
    if not isinstance(profile, dict) or not profile:
        return []
    from shopcli import paths
    from shopcli import profile as profile_module

    if profile_module.exists():
        return [
            "the export's profile was not imported: this shop already has one "
            f"({paths.profile_path()})"
        ]
    import yaml

    from shopcli.files import write_private

    text = yaml.safe_dump(profile, allow_unicode=True, sort_keys=False)
    write_private(paths.profile_path(), text)
    return [f"profile written to {paths.profile_path()}"]
