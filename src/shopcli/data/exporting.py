"""Exports: every record of the shop as one JSON document, or one CSV file per table.

The tables are read from the schema, so records other commands add are exported too. Digital
codes (any column named `code`, and the `link` beside it) are masked unless revealed.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import IO, Any, TextIO

from shopcli.core.csv_cells import needs_care, safe_rows
from shopcli.core.errors import InvalidInput, StorageError
from shopcli.storage import Store

EXPORT_FORMAT = "shopcli-export"
EXPORT_VERSION = 1
SECRET_COLUMN = "code"
# Beside a code, a redemption link is just as secret.
SECRET_COMPANIONS = ("link",)


def secret_columns(names: list[str]) -> list[str]:
    """The columns of a table that hold digital codes."""
    if SECRET_COLUMN not in names:
        return []
    return [SECRET_COLUMN, *(name for name in SECRET_COMPANIONS if name in names)]


def mask(value: Any) -> Any:
    """`****` and at most the last four characters, so the shopper can tell codes apart."""
    if value is None or value == "":
        return value
    text = str(value)
    return "****" + text[-4:] if len(text) > 8 else "****"


def json_value(value: Any) -> Any:
    """A value as JSON holds it: a blob (a receipt's file) as {"base64": "..."}, which
    importing an export turns back into bytes."""
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    return value


def table_rows(
    store: Store, table: str, *, reveal: bool = False
) -> tuple[list[str], list[str], Iterator[list]]:
    """(columns, masked columns, rows as lists) for one table."""
    from shopcli.storage import exporting as schema

    names = schema.column_names(store, table)
    secrets = [] if reveal else secret_columns(names)
    positions = [names.index(name) for name in secrets]

    def rows() -> Iterator[list]:
        for values in schema.iter_rows(store, table):
            row = list(values)
            for position in positions:
                row[position] = mask(row[position])
            yield row

    return names, secrets, rows()


def write_json(store: Store, out: IO[str], *, reveal: bool = False) -> tuple[dict, list]:
    """Write the export (metadata, the profile and every table) laid out as `to_json` lays out
    a document, but as the rows are read: the tables never sit in memory (100,000 items: 600 MB
    and 7 s when the document was built first, now a few MB).

    Returns the rows written per table and the masked columns.
    """
    from shopcli.storage import exporting as schema

    with schema.snapshot(store):
        return _write_json(store, out, reveal=reveal)


def _write_json(store: Store, out: IO[str], *, reveal: bool) -> tuple[dict, list]:
    from shopcli import __version__
    from shopcli.storage import exporting as schema
    from shopcli.storage.migrations import migrations

    tables = schema.table_names(store)
    hidden = {} if reveal else {t: secret_columns(schema.column_names(store, t)) for t in tables}
    masked = [
        f"{table}.{name}"
        for table in tables
        for name in hidden.get(table, [])
        if schema.has_values(store, table, name)
    ]
    head = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "shopcli": __version__,
        "exported_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "migrations": [m.name for m in migrations.applied(store.conn)],
        "masked": masked,
        "profile": _profile(),
    }
    out.write(_opening(head))
    counts: dict[str, int] = {}
    for index, table in enumerate(tables):
        out.write(("," if index else "") + f"\n    {json.dumps(table)}: [")
        rows: Iterator[str | Sequence[Any]]
        if hidden.get(table):
            names, _secrets, rows = table_rows(store, table, reveal=reveal)
        else:
            names, rows = schema.column_names(store, table), schema.iter_json_rows(store, table)
        n = 0
        batch: list[str] = []
        for row in rows:
            text = (
                row
                if isinstance(row, str)
                else _row_json(dict(zip(names, map(json_value, row), strict=True)))
            )
            batch.append(("\n      " if not n else ",\n      ") + text)
            n += 1
            if len(batch) == 1000:
                out.write("".join(batch))
                batch.clear()
        out.write("".join(batch) + ("\n    ]" if n else "]"))
        counts[table] = n
    out.write("\n  }\n}\n")
    return counts, masked


def _profile() -> dict:
    from shopcli.core import paths

    path = paths.profile_path()
    if not path.exists():
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        raise InvalidInput(f"the profile {path} is not valid YAML; see `shop doctor`") from None
    return data if isinstance(data, dict) else {}


def _opening(head: dict) -> str:
    """The metadata indented, then the opening of the tables (each written after it)."""
    text = json.dumps(head, ensure_ascii=False, indent=2, default=str)
    return text[: text.rstrip().rfind("}")].rstrip() + ',\n  "tables": {'


def _row_json(row: dict) -> str:
    """One table row as export files hold it: compact, as SQLite's json_object writes it."""
    return json.dumps(row, ensure_ascii=False, default=str, separators=(",", ":"))


def to_json(doc: dict) -> str:
    """The document as JSON text: metadata indented, then each table row on a line of its own
    (readable, and several times faster to write than indenting every field)."""
    parts = [_opening({key: value for key, value in doc.items() if key != "tables"})]
    tables = list(doc.get("tables", {}).items())
    for index, (table, rows) in enumerate(tables):
        parts.append(f"\n    {json.dumps(table)}: [")
        parts.append(",".join("\n      " + _row_json(row) for row in rows))
        parts.append("\n    ]" if rows else "]")
        parts.append("," if index < len(tables) - 1 else "")
    parts.append("\n  }\n}\n")
    return "".join(parts)


def default_csv_path() -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(f"shop-export-{stamp}.zip")


def _csv_writers(
    store: Store, *, reveal: bool
) -> tuple[Callable[[], Iterator[tuple[str, Callable[[TextIO], None]]]], dict, dict]:
    """(each table's file name and what writes it, rows written per table, the manifest)."""
    from shopcli.storage import exporting as schema

    tables = schema.table_names(store)
    written: dict[str, int] = {}
    masked_columns: list[str] = []
    manifest = {
        "format": EXPORT_FORMAT + "-csv",
        "version": EXPORT_VERSION,
        "tables": tables,
        "masked": masked_columns,
    }

    def each_table() -> Iterator[tuple[str, Callable[[TextIO], None]]]:
        """Each table's file name and what writes it, row by row (never the whole text)."""
        for table in tables:

            def write(out: TextIO, table: str = table) -> None:
                names, secrets, rows = table_rows(store, table, reveal=reveal)
                writer = csv.writer(out)
                writer.writerow(list(safe_rows([names]))[0])
                n = 0
                masked_any = dict.fromkeys(secrets, False)
                positions = {name: names.index(name) for name in secrets}
                while chunk := list(islice(rows, 1000)):
                    for name, position in positions.items():
                        masked_any[name] = masked_any[name] or any(
                            row[position] not in (None, "") for row in chunk
                        )
                    # The csv module writes None as an empty cell itself.
                    writer.writerows(safe_rows(chunk) if needs_care(chunk) else chunk)
                    n += len(chunk)
                written[table] = n
                masked = [f"{table}.{name}" for name in secrets if masked_any[name]]
                masked_columns.extend(masked)

            yield f"{table}.csv", write

    return each_table, written, manifest


def write_csv(
    store: Store, target: Path, *, reveal: bool = False
) -> tuple[dict[str, int], list[str]]:
    """One CSV per table (header row, empty cell for no value): a .zip file, or a folder.

    Returns the number of rows per table and the masked columns. Written atomically: a zip
    appears whole, a folder file by file (each atomic) into a folder that must be new or empty.
    A target that is not a regular file (a FIFO, a device) gets the .zip written into it.
    """
    from shopcli.core.files import is_special
    from shopcli.storage import exporting as schema

    each_table, written, manifest = _csv_writers(store, reveal=reveal)
    with schema.snapshot(store):  # every table as of the same moment, as in JSON
        if target.suffix.lower() == ".zip" or is_special(target):
            _write_zip(target, each_table, manifest)
        else:
            _write_folder(target, each_table, manifest)
    return written, manifest["masked"]


def write_csv_zip(
    store: Store, out: IO[bytes], *, reveal: bool = False
) -> tuple[dict[str, int], list[str]]:
    """The CSV export as a .zip written to a stream (standard output), as `write_csv` makes."""
    from shopcli.storage import exporting as schema

    each_table, written, manifest = _csv_writers(store, reveal=reveal)
    with schema.snapshot(store):
        _zip_into(out, each_table, manifest)
    return written, manifest["masked"]


def _write_zip(target: Path, each_table, manifest: dict) -> None:
    from shopcli.core.files import atomic_file

    with atomic_file(target, mode=0o600, kind="export") as handle:
        _zip_into(handle, each_table, manifest)


def _zip_into(handle: IO[bytes], each_table, manifest: dict) -> None:
    import zipfile

    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, write in each_table():
            entry = archive.open(name, "w", force_zip64=True)  # its size is not known yet
            with io.TextIOWrapper(entry, encoding="utf-8", newline="") as out:
                write(out)
        archive.writestr("manifest.json", json.dumps(manifest, indent=2) + "\n")


def _write_folder(target: Path, each_table, manifest: dict) -> None:
    from shopcli.core.files import private_text_file, write_private

    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InvalidInput(
            f"{target} exists and is not an empty folder: give a new folder or a .zip file"
        )
    try:
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StorageError(f"cannot create {target}: {exc.strerror}") from None
    for name, write in each_table():
        with private_text_file(target / name, kind="export") as out:
            write(out)
    write_private(target / "manifest.json", json.dumps(manifest, indent=2) + "\n", kind="export")
