"""The database: created private, migrated on open, refusing newer schemas and damaged files."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from shopcli.core.errors import StorageError
from shopcli.storage import Store
from shopcli.storage.migrations import migrations


def _names() -> list[str]:
    return migrations.names()


def test_new_database_is_private_and_fully_migrated(tmp_path) -> None:
    store = Store(tmp_path / "new.db")
    assert stat.S_IMODE((tmp_path / "new.db").stat().st_mode) == 0o600
    assert [m.name for m in migrations.applied(store.db)] == _names()
    assert store.scalar("PRAGMA foreign_keys") == 1
    assert store.scalar("PRAGMA journal_mode") == "wal"
    store.insert("clients", {"name": "x", "created_at": "t", "updated_at": "t"})
    for suffix in ("-wal", "-shm"):
        extra = tmp_path / f"new.db{suffix}"
        assert extra.exists() and stat.S_IMODE(extra.stat().st_mode) == 0o600
    store.close()


def test_empty_existing_file_is_migrated(tmp_path) -> None:
    path = tmp_path / "empty.db"
    path.touch(mode=0o600)
    store = Store(path)
    assert store.schema_version() == _names()[-1]


def test_older_database_upgrades_and_keeps_its_data(tmp_path) -> None:
    from sqlite_utils import Database

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn, execute_plugins=False)
    names = _names()
    if len(names) > 1:
        migrations.apply(db, stop_before=names[1])
    else:  # pragma: no cover - only while the schema has a single migration
        migrations.apply(db)
    db.execute("INSERT INTO clients (name, created_at, updated_at) VALUES ('Old Timer', 't', 't')")
    conn.close()
    store = Store(path)
    assert [m.name for m in migrations.applied(store.db)] == names
    assert store.one("SELECT name FROM clients")["name"] == "Old Timer"


def test_database_from_a_newer_shopcli_is_refused(tmp_path) -> None:
    path = tmp_path / "future.db"
    Store(path).execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('shopcli', 'm999_future', 'now')"
    )
    with pytest.raises(StorageError, match="newer shopcli"):
        Store(path)


def test_a_file_that_is_not_a_database_is_a_clear_error(shop, home) -> None:
    home.mkdir(parents=True)
    (home / "shop.db").write_bytes(b"this is not sqlite at all " * 100)
    result = shop.fails("client", "list")
    assert "not a shopcli database" in result.stderr


def test_writes_are_all_or_nothing(tmp_path) -> None:
    store = Store(tmp_path / "tx.db")
    with pytest.raises(RuntimeError):
        with store.write():
            store.insert("clients", {"name": "kept?", "created_at": "t", "updated_at": "t"})
            raise RuntimeError("killed half-way")
    assert store.scalar("SELECT count(*) FROM clients") == 0


def test_event_log_is_append_only(tmp_path) -> None:
    from shopcli.core.errors import ShopError
    from shopcli.storage import events

    store = Store(tmp_path / "log.db")
    event_id = events.log(store, "test", "something happened")
    with pytest.raises(ShopError):
        store.execute("UPDATE events SET summary = 'rewritten' WHERE id = ?", [event_id])


def test_program_made_digests_are_written_and_typed_text_beside_them_is_guarded(
    tmp_path,
) -> None:
    """A follow-up's fingerprints and a receipt's SHA-256 in an event, and a seal, are written
    even when they hold a card-shaped run; a card number typed into the same row is not."""
    from shopcli.core.errors import CardNumberRefused
    from shopcli.storage import events, seals

    card_shaped = "5d8f6cce532a7aeb57196be62344095936793400b3aeb3580d248b17d5518a86"
    store = Store(tmp_path / "digests.db")
    with store.write():
        events.log(store, "notify.follow-up", "follow-up", detail={"lines": [card_shaped]})
        events.log(store, "receipt.removed", "receipt #1 removed", detail={"sha256": card_shaped})
        seals.add_seal(store, "2026", "invoice", 1, card_shaped, card_shaped, "t")
    assert (
        store.scalar("SELECT count(*) FROM events WHERE detail LIKE ?", [f"%{card_shaped}%"]) == 2
    )
    assert store.scalar("SELECT hash FROM seals") == card_shaped
    with pytest.raises(CardNumberRefused, match="^detail "):
        events.log(store, "x", "y", detail={"lines": [card_shaped], "note": "ab4111111111111111"})
    client = store.insert("clients", {"name": "Anna", "created_at": "t", "updated_at": "t"})
    with pytest.raises(CardNumberRefused, match="^notes "):
        store.update("clients", client, {"notes": "4111111111111111a", "updated_at": "t2"})
    assert store.get("clients", client)["notes"] is None
    assert store.scalar("SELECT count(*) FROM events") == 2


def test_remembered_answers_come_back_and_errors_are_not_kept(home) -> None:
    from shopcli.core import memo

    home.mkdir(parents=True, exist_ok=True)
    calls: list[str] = []

    def answer(value):
        def compute():
            calls.append(value)
            return {"value": value}

        return compute

    assert memo.remembered("test", ["a", 1], answer("x")) == {"value": "x"}
    assert memo.remembered("test", ["a", 1], answer("y")) == {"value": "x"}  # kept
    assert memo.remembered("test", ["a", 2], answer("z")) == {"value": "z"}  # another question
    assert memo.remembered("other", ["a", 1], answer("w")) == {"value": "w"}  # another kind
    assert calls == ["x", "z", "w"]

    def broken():
        raise ValueError("no")

    with pytest.raises(ValueError):
        memo.remembered("test", "bad", broken)
    assert memo.remembered("test", "bad", answer("later")) == {"value": "later"}
    # A cache that cannot be written is no error: the answer is computed each time.
    import shutil

    shutil.rmtree(home / ".cache" / "memo")
    (home / ".cache" / "memo").write_text("not a folder")
    assert memo.remembered("test", "new", answer("n1")) == {"value": "n1"}
    assert memo.remembered("test", "new", answer("n2")) == {"value": "n2"}


def test_rows_as_dicts_are_what_sqlite3_row_gives(tmp_path) -> None:
    """`query` and `dicts` make dicts from plain tuples (faster): the same keys, order and
    values as `dict(sqlite3.Row)`, a name given twice keeping its first value."""
    store = Store(tmp_path / "shop.db")
    try:
        for sql in (
            "SELECT 1 AS a, 'x' AS b, NULL AS c",
            "SELECT 1 AS a, 2 AS b, 3 AS a",
            "SELECT * FROM clients",
            "SELECT name, type FROM sqlite_master ORDER BY name",
        ):
            expected = [dict(row) for row in store.stream(sql)]
            assert store.query(sql) == expected
            assert [list(row.items()) for row in store.dicts(sql)] == [
                list(row.items()) for row in expected
            ]
    finally:
        store.close()
