"""Reading a client's emailed answer to a proposal: a decision per item, or a refusal.

A reply is read in four steps, so a shopper can predict what happens:

1. The message is decoded (reply_mail) and the client's own words are found (reply_quotes):
   quotes, attributions, header blocks, separators and signatures are set aside, and so is
   any line that repeats a line of the proposal as sent.
2. The words are split into sentences (at `. ! ? ;` in every script and at line ends) and
   sentences into clauses (at `, : 、` and dashes, and at contrast words: but, mutta, ale,
   de, но, але, 但 …).
3. Each clause is read with the client's language and English (reply_words): item
   references (1, #2, 1-3, 2-es, kakkonen, the second one, an unambiguous name from an item's
   title, all, both), instruction words before or after them (approve 1, 2 odrzucam), yes
   and no (yes to 1, 2: no), negations (2 ei käy, 2 не нужно), exceptions (all but 2,
   kaikki paitsi 2, 除了2都要) and notes (reject 2 - she has one).
4. The safety rule: the reply is applied only when every item it mentions is accounted for
   by exactly one understood decision, and no clause is left holding an instruction word, a
   negation or an item reference that was not used. Anything else refuses the whole reply,
   naming the line and quoting the client's words. Contradictions, choices ("1 or 3"),
   doubt ("maybe", "if"), questions about an item, and approvals that come with words that
   may ask for a change ("approve 1 in a smaller size") refuse too. A sentence that names no
   item and holds no instruction word is prose (greetings, thanks) and is listed as skipped.

"all" stands for every item of the proposal still awaiting a decision that the reply does
not decide otherwise; an exception from an approval ("all but 2") rejects the excepted item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from shopcli.core.errors import InvalidInput
from shopcli.proposing.reply_quotes import OwnLine, SentProposal
from shopcli.proposing.reply_reading import (
    KIND,
    MAX_RANGE,
    PAST,
    Claim,
    ProposedItem,
    Reader,
    Sentence,
    UnreadableReply,
)
from shopcli.proposing.reply_words import answer_line, answer_words

__all__ = [
    "ACTIONS",
    "DECISIONS",
    "Decision",
    "ProposedItem",
    "Reading",
    "UnreadableReply",
    "answer_line",
    "example_words",
    "parse_numbers",
    "read",
]

ACTIONS = ("approve", "reject", "change")
# The item status each action leads to.
DECISIONS = {"approve": "approved", "reject": "rejected", "change": "change_requested"}


@dataclass(frozen=True)
class Decision:
    """One understood decision: an action on one item, where it was read and the words."""

    number: int
    action: str
    note: str | None
    line: int
    words: str

    @property
    def decision(self) -> str:
        return DECISIONS[self.action]


@dataclass
class Reading:
    """What a reply said: a decision per item, and the client's lines read as prose."""

    decisions: list[Decision] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    quoted: int = 0


# -- reading a whole reply ------------------------------------------------------------------


def read(
    text: str,
    items: list[ProposedItem],
    language: str | None = "en",
    sent: SentProposal | None = None,
) -> Reading:
    """Read a whole reply against the items proposed; raise UnreadableReply on any doubt."""
    from shopcli.proposing.reply_quotes import own_words

    reader = Reader(items, language)
    words = own_words(text, sent, instruction=lambda line: _instructive(reader, line))
    for line in words.inside:
        if _looks_like_an_answer(reader, line):
            raise UnreadableReply(
                line.number,
                line.text,
                "this line sits inside the quoted proposal but is not part of it: it may be an "
                "answer written into the quote; record the decisions by hand",
            )
    reading = Reading(quoted=words.quoted)
    # Quoted as written: the normalised text has the same positions (one character for one).
    texts = {line.number: line.text for line in words.lines}
    contexts = {line.number: line.context for line in words.lines}
    claims: list[Claim] = []
    previous: list[Claim] = []
    prose_lines: dict[int, bool] = {}
    for index, tokens in enumerate(reader.sentences(words.lines)):
        sentence = Sentence(reader, tokens, texts, index)
        if not sentence.words:
            continue
        found = sentence.read(contexts.get(sentence.line))
        if found and found[0].kind == "follows":
            found = [_follow(found[0], previous)]
        if found:
            previous = found
        for number in {t.line for t in sentence.words}:
            prose_lines[number] = prose_lines.get(number, True) and found is None
        if found:
            claims.extend(found)
    reading.skipped = [
        (line.number, line.text) for line in words.lines if prose_lines.get(line.number, True)
    ]
    reading.decisions = _resolve(claims, items)
    return reading


def _follow(claim: Claim, previous: list[Claim]) -> Claim:
    """ "Approve 1. 3 too.": the items take the one decision of the sentence before."""
    actions = {c.action for c in previous}
    if len(actions) != 1:
        raise UnreadableReply(
            claim.line,
            claim.words,
            "'too' needs the sentence before it to hold exactly one kind of decision",
        )
    claim.action, claim.kind = actions.pop(), "explicit"
    return claim


def _instructive(reader: Reader, text: str) -> bool:
    """Whether a line holds an instruction word, a negation or doubt (a signature does not)."""
    tokens = reader.tokens(OwnLine(0, text))
    return any(
        t.kind in ("neg", "doubt", "exc", "exc_post", "or")
        or (t.kind == "verb" and t.strength in ("strong", "plain", "yes"))
        for t in tokens
    )


def _looks_like_an_answer(reader: Reader, line: OwnLine) -> bool:
    tokens = reader.tokens(line)
    instructing = any(t.kind in ("neg", "verb") and t.strength != "polite" for t in tokens)
    return instructing and (line.context is not None or any(t.kind == "ref" for t in tokens))


def _resolve(claims: list[Claim], items: list[ProposedItem]) -> list[Decision]:
    """Claims into one decision per item: ranges, "all" and exceptions resolved, or refuse."""
    # "approve 1-3, but not 2": a later decision in the same sentence carves out of a range.
    for claim in claims:
        if claim.kind != "range":
            continue
        for other in claims:
            if (
                other is not claim
                and other.sentence == claim.sentence
                and other.kind == "explicit"
                and other.action != claim.action
                and claims.index(other) > claims.index(claim)
            ):
                claim.items -= other.items
    per_item: dict[int, list[Claim]] = {}
    for claim in claims:
        if claim.kind in ("explicit", "range"):
            for number in claim.items:
                per_item.setdefault(number, []).append(claim)
    for number, found in per_item.items():
        actions = {claim.action for claim in found}
        if len(actions) > 1:
            first, second = found[0], next(c for c in found if c.action != found[0].action)
            where = f"line {first.line}" if first.line != second.line else "the same line"
            raise UnreadableReply(
                second.line,
                second.words,
                f"item {number} is both {PAST[first.action]} ({where}: {first.words!r}) and "
                f"{PAST[second.action]} here; the reply contradicts itself",
            )
    sweeping = [claim for claim in claims if claim.kind in ("all", "both")]
    if len({claim.action for claim in sweeping}) > 1:
        raise UnreadableReply(
            sweeping[1].line,
            sweeping[1].words,
            f"'all' is {PAST[sweeping[0].action]} ({sweeping[0].words!r}) and "
            f"{PAST[sweeping[1].action]} here; the reply contradicts itself",
        )
    excepted: dict[int, Claim] = {}
    for claim in claims:
        for number in claim.exceptions:
            excepted.setdefault(number, claim)
            if claim.kind in ("range", "explicit"):
                claim.items.discard(number)
                if number in per_item:
                    per_item[number] = [c for c in per_item[number] if c is not claim]
                    if not per_item[number]:
                        del per_item[number]
    decided: dict[int, Decision] = {}
    for number, found in per_item.items():
        decided[number] = _decision(number, found[0].action, found)
    for number, claim in excepted.items():
        if number in decided:
            continue
        if claim.action != "approve":
            raise UnreadableReply(
                claim.line,
                claim.words,
                f"item {number} is excepted from {KIND[claim.action]} but not "
                "given one of its own; say what to do with it",
            )
        note = "; ".join(claim.exception_notes) or None
        decided[number] = Decision(number, "reject", note, claim.line, claim.words)
    if sweeping:
        claim = sweeping[0]
        rest = [
            item.number
            for item in items
            if item.awaiting and item.number not in decided and item.number not in excepted
        ]
        if claim.kind == "both" and len([item for item in items if item.awaiting]) != 2:
            raise UnreadableReply(
                claim.line, claim.words, "'both' is unclear: the proposal does not have two items"
            )
        if not rest:
            raise UnreadableReply(
                claim.line, claim.words, "'all' names no items: none is awaiting a decision"
            )
        for number in rest:
            decided[number] = _decision(number, claim.action, sweeping)
    return [decided[number] for number in sorted(decided)]


def _decision(number: int, action: str, found: list[Claim]) -> Decision:
    notes: list[str] = []
    for claim in found:
        for note in claim.notes:
            if note not in notes:
                notes.append(note)
    return Decision(number, action, _clean_note("; ".join(notes)), found[0].line, found[0].words)


def _clean_note(note: str) -> str | None:
    note = re.sub(r"^[\s:;,.\-–—：；，。、]+", "", note).strip()
    return note or None


# -- the words documents show ---------------------------------------------------------------


def example_words(language: str | None = "en") -> dict[str, str]:
    """The words a document shows for approve, reject, change and all."""
    return dict(answer_words(language))


@cache
def _number_pattern() -> re.Pattern[str]:
    return re.compile(r"#?(\d{1,7})(?!\d)(?:\s*[-–]\s*#?(\d{1,7})(?!\d))?")


def parse_numbers(values: list[str]) -> list[int] | None:
    """Item numbers as typed on the command line: `1 3`, `1,3`, `#2`, `2-4`; `all` is None."""
    if [value.strip().casefold() for value in values] == ["all"]:
        return None
    numbers: list[int] = []
    for value in values:
        for part in re.split(r"[\s,]+", value.strip()):
            if not part:
                continue
            if part.casefold() == "all":
                raise InvalidInput("write either 'all' or item numbers, not both")
            found = _number_pattern().fullmatch(part)
            if not found:
                raise InvalidInput(f"{part!r} is not an item number (write 1, 3, 2-4 or all)")
            first = int(found.group(1))
            last = int(found.group(2)) if found.group(2) else first
            if last < first or last - first >= MAX_RANGE:
                raise InvalidInput(f"{part!r} is not a range of item numbers")
            numbers.extend(n for n in range(first, last + 1) if n not in numbers)
    if not numbers:
        raise InvalidInput("name at least one item number, or all")
    return numbers
