"""Importing a whole shopcli export (JSON) into an empty data folder."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from shopcli.core.errors import InvalidInput
from shopcli.data.importing.base import ImportResult, at_line, located
from shopcli.storage import Store


def import_export(
    store: Store, path: Path, document: dict, *, lines: dict[tuple[str, int], int] | None = None
) -> ImportResult:
    """Reproduce the records of a `shop export` JSON file in an empty shop, ids and all.

    `lines` maps (table, row index) to the row's line in the file, for errors."""
    lines = lines or {}
    from shopcli.data import exporting
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
    known = migrations.names()
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
    from shopcli.core.cards import may_hold_card_number, refuse_card_numbers
    from shopcli.core.validate import refuse_hidden_text
    from shopcli.storage.typed import typed

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
                # What was typed, as every write reads it (program-made values left out).
                fields = typed(table, dict(zip(names, record, strict=True)))
                texts = [v for v in fields.values() if isinstance(v, str)]
                if any("\x00" in v or "=?" in v for v in texts):
                    with at_line(path, lines.get((table, index)), f"tables.{table}[{index + 1}]"):
                        refuse_hidden_text(fields)
                if texts and may_hold_card_number(texts):
                    with at_line(path, lines.get((table, index)), f"tables.{table}[{index + 1}]"):
                        refuse_card_numbers(fields)
                values.append(record)
            with at_line(path, None, f"tables.{table}"):
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
        if "status_on" not in ((tables.get("items") or [{}])[0] or {}):
            from shopcli.storage.items import fill_missing_status_days

            fill_missing_status_days(store)  # an export made before items kept the day
        broken = queries.missing_references(store)
        if broken:
            first = broken[0]
            rows = tables.get(first["table"]) or []
            found = next((i for i, row in enumerate(rows) if row.get("id") == first["rowid"]), None)
            where = f"tables.{first['table']}" + (f"[{found + 1}]" if found is not None else "")
            raise located(
                path,
                lines.get((first["table"], found)) if found is not None else None,
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
    from shopcli.storage import seals

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
        from shopcli.core.money import to_text

        return to_text(value)  # exact, as amounts are stored (never a float)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _restore_profile(profile: Any) -> list[str]:
    """Write the exported profile when this shop has none; never replace an existing one."""
    if not isinstance(profile, dict) or not profile:
        return []
    from shopcli.core import paths
    from shopcli.people import profile as profile_module

    if profile_module.exists():
        return [
            "the export's profile was not imported: this shop already has one "
            f"({paths.profile_path()})"
        ]
    import yaml

    from shopcli.core.files import write_private

    text = yaml.safe_dump(profile, allow_unicode=True, sort_keys=False)
    write_private(paths.profile_path(), text)
    return [f"profile written to {paths.profile_path()}"]
