"""The typed records of storage/rows.py against the schema the migrations make: every column
is a key of its record, typed `| None` exactly when the column may be NULL."""

from __future__ import annotations

import types
import typing

import pytest

from shopcli.storage import Store, rows

RECORDS = [
    ("clients", rows.Client),
    ("recipients", rows.Recipient),
    ("jobs", rows.Job),
    ("items", rows.Item),
    ("invoices", rows.Invoice),
    ("decisions", rows.Decision),
]


def _nullable(hint: object) -> bool:
    return isinstance(hint, types.UnionType) and type(None) in typing.get_args(hint)


@pytest.mark.parametrize(("table", "record"), RECORDS, ids=[t for t, _ in RECORDS])
def test_each_record_has_its_tables_columns_with_their_nullability(tmp_path, table, record):
    store = Store(tmp_path / "shop.db")
    try:
        columns = {
            row["name"]: not row["notnull"] and not row["pk"]
            for row in store.execute(f"PRAGMA table_info({table})")
        }
    finally:
        store.close()
    hints = typing.get_type_hints(record)
    # Every column is always there; the optional keys are what joins and listings add.
    assert set(record.__required_keys__) == set(columns)
    assert not set(record.__optional_keys__) & set(columns)
    assert {name: _nullable(hints[name]) for name in columns} == columns
