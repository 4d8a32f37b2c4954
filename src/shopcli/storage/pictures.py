"""Queries about item pictures: the small copies of picture files kept in the database."""

from __future__ import annotations

from collections.abc import Sequence

from shopcli.storage import Store


def of_item(store: Store, item_id: int) -> dict | None:
    return store.one("SELECT * FROM item_pictures WHERE item_id = ?", [item_id])


def of_items(store: Store, item_ids: Sequence[int]) -> dict[int, dict]:
    """The pictures of several items, by item id (items without one are left out)."""
    found: dict[int, dict] = {}
    ids = list(item_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in store.query(f"SELECT * FROM item_pictures WHERE item_id IN ({marks})", chunk):
            found[row["item_id"]] = row
    return found


def save(store: Store, item_id: int, row: dict) -> None:
    """Keep an item's picture, replacing the one it had (call inside a write)."""
    store.execute("DELETE FROM item_pictures WHERE item_id = ?", [item_id])
    store.execute(
        "INSERT INTO item_pictures (item_id, media_type, width, height, data, sha256, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            item_id,
            row["media_type"],
            row["width"],
            row["height"],
            row["data"],
            row["sha256"],
            row["created_at"],
        ],
    )


def remove(store: Store, item_id: int) -> None:
    store.execute("DELETE FROM item_pictures WHERE item_id = ?", [item_id])


def hashes(store: Store, item_ids: Sequence[int]) -> dict[int, str]:
    """The content hash of each item's kept picture, by item id (no picture data read)."""
    found: dict[int, str] = {}
    ids = list(item_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in store.query(
            f"SELECT item_id, sha256 FROM item_pictures WHERE item_id IN ({marks})", chunk
        ):
            found[row["item_id"]] = row["sha256"]
    return found
