"""Feedback: what the recipient thought of a gift (loved, liked, disliked, returned), with a
note, recorded per item; the latest verdict on an item is the one that counts.

A verdict is only taken for a gift the recipient has had (handed over or marked delivered),
one item at a time or many at once from the client's answer to the follow-up: `plan` checks
them all first and `apply` records them in one transaction, so a reply is recorded in full or
not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopcli.core import validate
from shopcli.core.dates import now
from shopcli.core.errors import Conflict, InvalidInput, NotFound
from shopcli.storage import Store, events
from shopcli.storage import feedback as queries
from shopcli.storage import jobs as job_queries
from shopcli.storage.records import item_ref
from shopcli.storage.rows import Item, Job
from shopcli.work import lifecycle

VERDICTS = ("loved", "liked", "disliked", "returned")
# Verdicts that warn when a similar item is proposed for the same recipient again.
NEGATIVE = ("disliked", "returned")
SOURCES = ("command", "reply")


@dataclass(frozen=True)
class Planned:
    """One verdict checked and ready to record."""

    item: Item
    verdict: str
    note: str | None
    line: int | None = None


def verdict(value: str) -> str:
    value = value.strip().lower()
    if value not in VERDICTS:
        raise InvalidInput(f"the verdict must be one of {', '.join(VERDICTS)}, not {value!r}")
    return value


def given(item: Item) -> bool:
    """Whether the recipient has had the item (feedback makes sense only then)."""
    return bool(item.get("delivered_on")) or item["status"] == lifecycle.DELIVERED


def check(item: Item, where: str = "") -> None:
    if not given(item):
        raise Conflict(
            f"{where}item {item_ref(item)} is {lifecycle.label(item['status'])}"
            "; feedback is for gifts that were handed over (shop handover)"
        )


def plan(
    store: Store,
    job: Job,
    verdicts: list[tuple[str, list[int], str | None, int | None]],
    lines: dict[int, str] | None = None,
) -> list[Planned]:
    """Check verdicts by item number without writing: (verdict, numbers, note, reply line).

    Raises on the first that cannot be recorded, naming its reply line and that line's text.
    """
    from shopcli.work import items

    planned: list[Planned] = []
    seen: dict[int, int | None] = {}
    for kind, numbers, note, line in verdicts:
        where = ""
        if line:
            text = (lines or {}).get(line)
            where = f"line {line} ({text!r}): " if text else f"line {line}: "
        kind = verdict(kind)
        if note is not None:
            note = validate.text(note, "note")
        for number in numbers:
            if number in seen:
                also = f"line {seen[number]}" if seen[number] else "another answer"
                raise InvalidInput(f"{where}item {number} is answered twice (also on {also})")
            seen[number] = line
            try:
                row = items.listing_one(store, items.by_number(store, job, number)["id"])
            except NotFound as exc:
                raise NotFound(f"{where}{exc}") from None
            check(row, where)
            planned.append(Planned(row, kind, note, line))
    return planned


def apply(
    store: Store, job: Job, planned: list[Planned], *, source: str = "command", on: str
) -> dict[str, int]:
    """Record checked verdicts, each logged, in one transaction. Returns counts per verdict."""
    if source not in SOURCES:
        raise InvalidInput(f"unknown feedback source {source!r}")
    day = validate.date(on, "feedback date")
    counts = dict.fromkeys(VERDICTS, 0)
    stamp = now()
    with store.write():
        for step in planned:
            item = step.item
            before = queries.latest(store, item["id"])
            feedback_id = queries.add(
                store, item["id"], step.verdict, step.note, source, day, stamp
            )
            was = f" (was {before['verdict']})" if before else ""
            events.log(
                store,
                "item.feedback",
                f"item {item['number']} {item['title']}: {step.verdict}{was}"
                + (f" ({step.note})" if step.note else ""),
                client_id=job["client_id"],
                job_id=job["id"],
                item_id=item["id"],
                detail={
                    "feedback": feedback_id,
                    "verdict": step.verdict,
                    "previous": before["verdict"] if before else None,
                    "note": step.note,
                    "source": source,
                    "on": day,
                },
            )
            counts[step.verdict] += 1
    return counts


def record(store: Store, item: Item, kind: str, *, note: str | None = None, on: str) -> dict:
    """Record one verdict on an item (by hand) and return the stored feedback."""
    job = job_queries.existing(store, item["job_id"])
    kind = verdict(kind)
    if note is not None:
        note = validate.text(note, "note")
    check(item)
    with store.write():
        apply(store, job, [Planned(item, kind, note)], source="command", on=on)
        return queries.latest(store, item["id"]) or {}


def latest(store: Store, item_id: int) -> dict | None:
    return queries.latest(store, item_id)


def public(row: dict | None) -> dict | None:
    """The stable JSON shape of one feedback row (None without feedback)."""
    if row is None or row.get("verdict") is None:
        return None
    return {
        "verdict": row["verdict"],
        "note": row.get("note"),
        "on": row.get("given_on"),
        "source": row.get("source"),
    }
