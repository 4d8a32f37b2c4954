"""A recipient's gift history: what they were given, when, for how much, and what they thought
of it; the gifts of last time (for the next proposal), and warnings when an item like one
they disliked is chosen for them again.

"Like" is decided by two plain rules a shopper can predict: the same store (case and spaces
aside), or a significant word shared by both titles. Words are compared case-folded; words
shorter than three letters and common filler words (STOP_WORDS) do not count; two words of
five letters or more match when their first five letters do (knitted and knitting, skarpety
and skarpetki). A Chinese or Japanese title is read as pairs of characters (羊毛袜 holds 羊毛).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shopcli.core.money import to_text
from shopcli.storage import Store
from shopcli.storage import feedback as queries
from shopcli.storage.rows import Job
from shopcli.work.feedback import NEGATIVE

# Gifts of last time shown per recipient in a proposal.
LAST_TIME_LIMIT = 5
# Filler words that say nothing about what a thing is, in the document languages.
STOP_WORDS = frozenset(
    """
    the and for with from set pack piece pieces new gift gifts box mini size small large big
    kit item one two pair of in on by to at a an or xl xxl
    ja tai sekä kanssa kpl setti pakkaus uusi lahja iso pieni
    dla oraz lub zestaw komplet nowy nowa nowe prezent duży duża małe mały mała
    és vagy egy a az meg készlet csomag új ajándék nagy kis darab
    для или набор комплект новый новая новое подарок большой маленький шт
    для або та набір комплект новий нова нове подарунок великий малий шт
    """.split()
)
_WORD = re.compile(r"[^\W\d_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Words this long or longer match on their first PREFIX letters.
PREFIX = 5


def gifts(store: Store, recipient_id: int) -> list[dict[str, Any]]:
    """Every gift the recipient has had, newest first, with its price and latest feedback."""
    return [_gift(row) for row in queries.gifts(store, recipient_id)]


def _gift(row: dict) -> dict[str, Any]:
    return {
        "item_id": row["item_id"],
        "job_id": row["job_id"],
        "job": row["job"],
        "number": row["number"],
        "title": row["title"],
        "store": row["store"],
        "price": row["price"],
        "currency": row["currency"],
        "qty": row["qty"],
        "total": to_text(Decimal(row["price"]) * int(row["qty"])),
        "status": row["status"],
        "on": row["given_on_day"],
        "return_by": row["return_by"],
        "feedback": None
        if row["verdict"] is None
        else {
            "verdict": row["verdict"],
            "note": row["note"],
            "on": row["given_on"],
            "source": row["source"],
        },
    }


def last_time(
    store: Store, recipient_id: int, *, exclude_job: int | None = None
) -> list[dict[str, Any]]:
    """The gifts of the latest other job that gave the recipient anything (at most
    LAST_TIME_LIMIT), with what they thought of each."""
    found = [g for g in gifts(store, recipient_id) if g["job_id"] != exclude_job]
    if not found:
        return []
    job_id = found[0]["job_id"]
    return [g for g in found if g["job_id"] == job_id][:LAST_TIME_LIMIT]


# -- similar items --------------------------------------------------------------------------


def words(title: str) -> set[str]:
    """A title's significant words (see the module's docstring)."""
    found: set[str] = set()
    for word in _WORD.findall(title.casefold()):
        for run in _CJK.findall(word):
            found.update(run[i : i + 2] for i in range(len(run) - 1))
        plain = _CJK.sub(" ", word).split()
        found.update(w for w in plain if len(w) >= 3 and w not in STOP_WORDS)
    return found


def _stem(word: str) -> str:
    return word[:PREFIX] if len(word) >= PREFIX and not _CJK.match(word) else word


def shared_words(first: str, second: str) -> list[str]:
    """The significant words of `second` that `first` shares (as `second` writes them)."""
    stems = {_stem(word) for word in words(first)}
    return sorted(word for word in words(second) if _stem(word) in stems)


def _same_store(first: str | None, second: str | None) -> bool:
    if not first or not second:
        return False
    return " ".join(first.casefold().split()) == " ".join(second.casefold().split())


@dataclass(frozen=True)
class SimilarDislike:
    """An earlier gift the recipient disliked (or sent back) that a new item resembles."""

    recipient: str
    title: str
    store: str | None
    job: str
    on: str
    verdict: str
    note: str | None
    same_store: bool
    shared: tuple[str, ...]

    def text(self) -> str:
        """One line for the shopper (English, on stderr)."""
        why = []
        if self.same_store:
            why.append(f"the same store ({self.store})")
        if self.shared:
            why.append(
                "the word" + ("s " if len(self.shared) > 1 else " ") + ", ".join(self.shared)
            )
        note = f": {self.note}" if self.note else ""
        return (
            f"{self.recipient} {self.verdict} {self.title!r} ({self.job}, {self.on}){note}; "
            f"this item shares {' and '.join(why)}"
        )

    def public(self) -> dict[str, Any]:
        return {
            "recipient": self.recipient,
            "title": self.title,
            "store": self.store,
            "job": self.job,
            "on": self.on,
            "verdict": self.verdict,
            "note": self.note,
            "same_store": self.same_store,
            "shared_words": list(self.shared),
        }


def similar_dislikes(
    store: Store,
    recipient: Mapping[str, Any],
    title: str,
    store_name: str | None,
    *,
    exclude_item: int | None = None,
    disliked: list[dict] | None = None,
) -> list[SimilarDislike]:
    """The recipient's (its id and name) disliked or returned gifts that an item (title,
    store) resembles (`disliked`: those gifts, when the caller has read them already)."""
    if disliked is None:
        disliked = queries.negative_gifts(store, recipient["id"], NEGATIVE)
    found = []
    for row in disliked:
        if row["item_id"] == exclude_item:
            continue
        same = _same_store(row["store"], store_name)
        shared = tuple(shared_words(row["title"], title))
        if same or shared:
            found.append(
                SimilarDislike(
                    recipient["name"],
                    row["title"],
                    row["store"],
                    row["job"],
                    row["given_on_day"],
                    row["verdict"],
                    row["note"],
                    same,
                    shared,
                )
            )
    return found


def job_warnings(
    store: Store, job: Job, *, from_number: int = 1
) -> list[tuple[dict, SimilarDislike]]:
    """Every item of a job (numbered `from_number` on) that resembles a gift its recipient
    disliked or sent back, with the warning; for a bulk import, one query when no recipient
    of the client disliked anything."""
    people = queries.recipients_with_verdicts(store, job["client_id"], NEGATIVE)
    if not people:
        return []
    disliked = {person: queries.negative_gifts(store, person, NEGATIVE) for person in people}
    found = []
    for row in queries.job_items_for(store, job["id"], people, from_number):
        person = {"id": row["recipient_id"], "name": row["recipient"]}
        for warning in similar_dislikes(
            store,
            person,
            row["title"],
            row["store"],
            exclude_item=row["id"],
            disliked=disliked[row["recipient_id"]],
        ):
            found.append((row, warning))
    return found
