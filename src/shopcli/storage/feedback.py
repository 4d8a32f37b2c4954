"""Queries about what recipients thought of their gifts: feedback rows, a recipient's past
gifts with the latest verdict on each, and the follow-ups sent for a job."""

from __future__ import annotations

from collections.abc import Sequence

from shopcli.storage import Store

# The latest verdict on an item: its feedback row with the highest id (served by the
# feedback_item index).
LATEST = "f.id = (SELECT max(x.id) FROM feedback x WHERE x.item_id = i.id)"
# An item the recipient has had in their hands: handed over (delivered_on is set then, and
# stays when it goes back to the store later), or marked delivered.
GIVEN = "(i.delivered_on IS NOT NULL OR i.status = 'delivered')"


def add(
    store: Store, item_id: int, verdict: str, note: str | None, source: str, on: str, stamp: str
) -> int:
    return store.insert(
        "feedback",
        {
            "item_id": item_id,
            "verdict": verdict,
            "note": note,
            "source": source,
            "given_on": on,
            "created_at": stamp,
        },
    )


def latest(store: Store, item_id: int) -> dict | None:
    return store.one("SELECT * FROM feedback WHERE item_id = ? ORDER BY id DESC LIMIT 1", [item_id])


def latest_for(store: Store, item_ids: Sequence[int]) -> dict[int, dict]:
    """The latest feedback of each of these items that has any, by item id."""
    import json

    if not item_ids:
        return {}
    rows = store.query(
        "SELECT f.* FROM feedback f WHERE f.item_id IN (SELECT value FROM json_each(?)) "
        "AND f.id = (SELECT max(x.id) FROM feedback x WHERE x.item_id = f.item_id)",
        [json.dumps(list(item_ids))],
    )
    return {row["item_id"]: row for row in rows}


def gifts(store: Store, recipient_id: int) -> list[dict]:
    """A recipient's gifts, newest first: every item they have had, with its job and the
    latest feedback on it (verdict, note, given_on and source are None without any)."""
    return store.query(
        "SELECT i.id AS item_id, i.job_id, j.title AS job, i.number, i.title, i.store, i.price, "
        "i.currency, i.qty, i.status, coalesce(i.delivered_on, substr(i.updated_at, 1, 10)) "
        "AS given_on_day, i.return_by, f.verdict, f.note, f.given_on, f.source "
        "FROM items i JOIN jobs j ON j.id = i.job_id "
        f"LEFT JOIN feedback f ON {LATEST} "
        f"WHERE i.recipient_id = ? AND {GIVEN} "
        "ORDER BY given_on_day DESC, i.job_id DESC, i.number",
        [recipient_id],
    )


def negative_gifts(store: Store, recipient_id: int, verdicts: Sequence[str]) -> list[dict]:
    """A recipient's gifts whose latest verdict is one of `verdicts`, newest first."""
    marks = ", ".join("?" for _ in verdicts)
    return store.query(
        "SELECT i.id AS item_id, i.job_id, j.title AS job, i.title, i.store, "
        "coalesce(i.delivered_on, substr(i.updated_at, 1, 10)) AS given_on_day, "
        "f.verdict, f.note FROM items i JOIN jobs j ON j.id = i.job_id "
        f"JOIN feedback f ON {LATEST} WHERE i.recipient_id = ? AND f.verdict IN ({marks}) "
        "ORDER BY given_on_day DESC, i.id DESC",
        [recipient_id, *verdicts],
    )


def recipients_with_verdicts(store: Store, client_id: int, verdicts: Sequence[str]) -> list[int]:
    """The client's recipients with at least one gift whose latest verdict is in `verdicts`."""
    marks = ", ".join("?" for _ in verdicts)
    return [
        row[0]
        for row in store.execute(
            "SELECT DISTINCT i.recipient_id FROM items i "
            f"JOIN recipients r ON r.id = i.recipient_id JOIN feedback f ON {LATEST} "
            f"WHERE r.client_id = ? AND f.verdict IN ({marks})",
            [client_id, *verdicts],
        ).fetchall()
    ]


def job_items_for(
    store: Store, job_id: int, recipient_ids: Sequence[int], from_number: int = 1
) -> list[dict]:
    """A job's items numbered `from_number` on for some recipients (id, number, title, store,
    recipient)."""
    import json

    return store.query(
        "SELECT i.id, i.number, i.title, i.store, i.recipient_id, r.name AS recipient "
        "FROM items i JOIN recipients r ON r.id = i.recipient_id WHERE i.job_id = ? "
        "AND i.number >= ? AND i.recipient_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY i.number",
        [job_id, from_number, json.dumps(list(recipient_ids))],
    )


def follow_up_lines(store: Store, job_id: int) -> set[str]:
    """The fingerprints of the lines of every follow-up rendered for a job (see
    `delivering.followup.fingerprint`), from the event log."""
    import json

    found: set[str] = set()
    for (lines,) in store.execute(
        "SELECT json_extract(detail, '$.lines') FROM events "
        "WHERE job_id = ? AND kind = 'notify.follow-up'",
        [job_id],
    ).fetchall():
        if lines:
            found.update(str(line) for line in json.loads(lines))
    return found
