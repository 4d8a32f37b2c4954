"""The follow-up after a handover: what the notice asks about (each gift, its open return
window, how to answer), and recording the client's answer to it, all of it or none.

The notice itself is one of the notifications (`shop notify JOB follow-up`, template
`notify_follow-up.txt`); its answer is read by `feedback_replies` and recorded through
`work.feedback`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shopcli.core.errors import InvalidInput, ShopError
from shopcli.delivering import feedback_replies as replies
from shopcli.storage import Store, events
from shopcli.storage import clients as client_queries
from shopcli.storage import feedback as queries
from shopcli.storage.rows import Item, Job
from shopcli.work import feedback


def awaiting_feedback(store: Store, rows: list[Item]) -> list[Item]:
    """The items among `rows` that have no feedback yet."""
    have = queries.latest_for(store, [row["id"] for row in rows])
    return [row for row in rows if row["id"] not in have]


def context(items: list[dict], language: str, today: str) -> dict[str, Any]:
    """What a follow-up adds to a notification's data: each gift's return window (open while
    `today` is on or before the store's deadline), the answer words in the client's language
    and the item numbers its examples use."""
    for item in items:
        item["return_open"] = bool(item.get("return_by")) and item["return_by"] >= today
    numbers = [item["number"] for item in items]
    return {
        "words": replies.example_words(language),
        "examples": numbers[:2],
        "returns_open": any(item["return_open"] for item in items),
    }


@dataclass
class Understood:
    """A reply read and checked: what it says, the verdicts ready to record, the counts
    recorded (all zero on a dry run) and the recommendation, if the client wrote one."""

    reply: replies.Reply
    planned: list[feedback.Planned]
    counts: dict[str, int]
    recommendation: str | None


def apply_reply(store: Store, job: Job, text: str, *, on: str, dry_run: bool = False) -> Understood:
    """Read the client's answer to the follow-up and record all of it, or refuse all of it
    naming the line. The recommendation, if any, is kept on the client with its date."""
    from shopcli.core import validate
    from shopcli.core.cards import refuse_card_numbers
    from shopcli.people.clients import document_language

    client = client_queries.existing(store, job["client_id"])
    day = validate.date(on, "feedback date")
    with store.write():
        try:
            refuse_card_numbers({"reply": text})
            sent = frozenset(queries.follow_up_lines(store, job["id"]))
            reply = replies.parse(text, document_language(client), sent=sent)
            if not reply.answers and reply.recommendation is None:
                raise InvalidInput(
                    "the reply holds no answers (lines like: 1 loved: wears it every day; "
                    "2 disliked)"
                )
            planned = feedback.plan(
                store,
                job,
                [(a.verdict, list(a.numbers), a.note, a.line) for a in reply.answers],
                {a.line: a.text for a in reply.answers},
            )
            recommendation = None
            if reply.recommendation is not None:
                recommendation = validate.text(
                    reply.recommendation[1], "recommendation", multiline=True
                )
        except ShopError as exc:
            raise InvalidInput(f"{exc} (nothing of the reply was recorded)") from None
        if dry_run:
            return Understood(reply, planned, dict.fromkeys(feedback.VERDICTS, 0), recommendation)
        counts = feedback.apply(store, job, planned, source="reply", on=day)
        if recommendation is not None:
            from shopcli.people import clients

            clients.recommend(store, client, recommendation, on=day)
        summary = ", ".join(f"{n} {verdict}" for verdict, n in counts.items() if n)
        events.log(
            store,
            "feedback.reply",
            "client's answer to the follow-up recorded: "
            + (summary or "no verdicts")
            + ("; a recommendation" if recommendation else ""),
            client_id=job["client_id"],
            job_id=job["id"],
            detail={**counts, "recommendation": recommendation is not None},
        )
    return Understood(reply, planned, counts, recommendation)
