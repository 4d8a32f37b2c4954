"""Reading a client's emailed answer to a proposal: "approve 1, 3; reject 2; change 4: size M".

The rules, so a shopper can predict what happens:

- One instruction per line, or several on a line separated by `;`. Case does not matter.
- An instruction starts with an instruction word (approve, reject, change, or a synonym in
  the client's language), then the item numbers (`1, 3`, `1 3`, `1 and 3`, `#1`, `1-3`, or
  `all`), then an optional note, usually after a colon: `change 4: size M`.
- Quoted lines (starting with `>`) are skipped, and so is everything from a signature
  separator (`--`) or a forwarded/"Original Message" separator on.
- Any other line is prose (greetings, thanks, sign-offs, phone numbers) and is skipped, but
  listed so nothing is missed silently. Exception: a line with a number in it that
  mentions an instruction word without starting with it ("please approve 1"), or starts with
  a near-miss ("aprove 1"), looks like an answer that cannot be read: it refuses the reply.
- On a line that holds an instruction, a later `;` piece that is not an instruction adds to
  that instruction's note: `change 4: size M; blue if they have it`.
- The same item answered twice, an instruction without items, or anything else unreadable
  refuses the whole reply, naming the line.

Instruction words per language live in KEYWORDS. English is always accepted; the client's
language adds its own words. To add a language, add an entry with the same five keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shopcli.errors import InvalidInput

# Instruction words and connectors, per language. Every word is matched case-insensitively
# as the first word of a line or `;` piece. "all" stands for every item still awaiting an
# answer; "and" joins item numbers ("1 and 3").
KEYWORDS: dict[str, dict[str, list[str]]] = {
    "en": {
        "approve": ["approve", "approved", "approves", "accept", "accepted"],
        "reject": ["reject", "rejected", "rejects", "decline", "declined"],
        "change": ["change", "changes", "changed", "swap"],
        "all": ["all", "everything", "everything's", "both"],
        "and": ["and", "&", "+"],
    },
    # Seeds for the translators (issue 6) to check and extend.
    "pl": {
        "approve": ["zatwierdzam", "zatwierdź", "akceptuję", "akceptuje"],
        "reject": ["odrzucam", "odrzuć"],
        "change": ["zmiana", "zmień", "zmieniam", "zmienić"],
        "all": ["wszystkie", "wszystko", "oba", "obie"],
        "and": ["i", "oraz"],
    },
    "fi": {
        "approve": ["hyväksyn", "hyväksy", "hyväksytään"],
        "reject": ["hylkään", "hylkää", "hylätään"],
        "change": ["muuta", "muutos", "vaihda"],
        "all": ["kaikki", "molemmat"],
        "and": ["ja"],
    },
}
# Languages whose own words the documents show in "how to answer" examples. The others show
# English words (always accepted). Add a language once its documents are translated, so an
# example never mixes a Finnish keyword into an English sentence.
EXAMPLE_LANGUAGES: set[str] = set()
ACTIONS = ("approve", "reject", "change")
# The item status each instruction leads to.
DECISIONS = {"approve": "approved", "reject": "rejected", "change": "change_requested"}

# Most item numbers one instruction may name through ranges (1-3): a typo must not fan out.
MAX_RANGE = 200

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|&|\+")
_NUMBER = re.compile(r"#?(\d{1,7})(?!\d)(?:\s*[-–]\s*#?(\d{1,7})(?!\d))?")
_ENDS = re.compile(
    r"^(--|-- |_{8,}|-{3,}\s*(original message|forwarded message)\s*-{3,}.*)$", re.IGNORECASE
)
_BULLET = re.compile(r"^(?:[-*•·]\s+)+")
_NOTE_LEAD = re.compile(r"^[\s:;,.\-–—]+")


@dataclass(frozen=True)
class Instruction:
    """One understood instruction: an action on item numbers (or on all items)."""

    action: str
    numbers: tuple[int, ...]
    all_items: bool = False
    note: str | None = None
    line: int = 0
    text: str = ""

    @property
    def decision(self) -> str:
        return DECISIONS[self.action]


@dataclass
class Reply:
    """What a reply said: its instructions, and the lines skipped as prose."""

    instructions: list[Instruction] = field(default_factory=list)
    ignored: list[tuple[int, str]] = field(default_factory=list)


class UnreadableReply(InvalidInput):
    """A line of the reply cannot be read; nothing of the reply is applied."""

    def __init__(self, line: int, text: str, problem: str) -> None:
        self.line, self.text, self.problem = line, text, problem
        shown = text if len(text) <= 80 else text[:79] + "…"
        super().__init__(f"line {line} ({shown!r}): {problem}")


def vocabulary(language: str | None = "en") -> dict[str, str]:
    """Every accepted word (case-folded) with its meaning: English plus the client's language."""
    words: dict[str, str] = {}
    for code in ("en", (language or "en").lower()):
        for meaning, synonyms in KEYWORDS.get(code, {}).items():
            for word in synonyms:
                words[word.casefold()] = meaning
    return words


def example_words(language: str | None = "en") -> dict[str, str]:
    """The instruction words shown in a document's "how to answer" example.

    English unless the language is in EXAMPLE_LANGUAGES (then its first synonym per action).
    """
    code = (language or "en").lower()
    own = KEYWORDS.get(code, {}) if code in EXAMPLE_LANGUAGES else {}
    return {
        meaning: (own.get(meaning) or KEYWORDS["en"][meaning])[0]
        for meaning in (*ACTIONS, "all", "and")
    }


def parse(text: str, language: str | None = "en") -> Reply:
    """Read a whole reply; raise UnreadableReply naming the first line that cannot be read."""
    words = vocabulary(language)
    reply = Reply()
    seen: dict[int, int] = {}
    all_line: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if _ENDS.match(stripped) or raw.rstrip("\r\n") == "-- ":
            break
        if not stripped or stripped.startswith(">"):
            continue
        current: Instruction | None = None
        found: list[Instruction] = []
        for piece in stripped.split(";"):
            piece = _BULLET.sub("", piece.strip()).strip()
            if not piece:
                continue
            instruction = _instruction(piece, words, number)
            if instruction is not None:
                current = instruction
                found.append(instruction)
                continue
            if current is not None:
                note = f"{current.note}; {piece}" if current.note else piece
                current = _with_note(current, note)
                found[-1] = current
                continue
            _refuse_lookalike(piece, words, number, stripped)
            reply.ignored.append((number, piece))
        for instruction in found:
            if instruction.all_items:
                if all_line is not None:
                    raise UnreadableReply(
                        number, stripped, f"'all' is used twice (lines {all_line} and {number})"
                    )
                all_line = number
            for item in instruction.numbers:
                if item in seen:
                    where = f"line {seen[item]}" if seen[item] != number else "this line"
                    raise UnreadableReply(
                        number, stripped, f"item {item} is answered twice (also on {where})"
                    )
                seen[item] = number
            reply.instructions.append(instruction)
    return reply


def _with_note(instruction: Instruction, note: str) -> Instruction:
    return Instruction(
        instruction.action,
        instruction.numbers,
        instruction.all_items,
        note,
        instruction.line,
        instruction.text,
    )


def _instruction(piece: str, words: dict[str, str], line: int) -> Instruction | None:
    """Read one piece that starts with an instruction word, or return None if it does not."""
    match = _WORD.match(piece)
    if not match or words.get(match.group().casefold()) not in ACTIONS:
        return None
    action = words[match.group().casefold()]
    rest = piece[match.end() :]
    rest = re.sub(r"^\s*:?\s*", "", rest)
    numbers: list[int] = []
    all_items = False
    while True:
        # Separators between numbers: commas, spaces, or a connector word ("and").
        ahead = re.match(r"[\s,]*", rest)
        position = ahead.end() if ahead else 0
        word = _WORD.match(rest, position)
        if word and words.get(word.group().casefold()) == "and":
            after = re.match(r"\s*", rest[word.end() :])
            following = word.end() + (after.end() if after else 0)
            if numbers and _NUMBER.match(rest, following):
                position = following
            else:
                break
        found = _NUMBER.match(rest, position)
        if found and not all_items:
            first = int(found.group(1))
            last = int(found.group(2)) if found.group(2) else first
            if last < first or last - first >= MAX_RANGE:
                raise UnreadableReply(
                    line, piece, f"{found.group().strip()!r} is not a range of item numbers"
                )
            numbers.extend(n for n in range(first, last + 1) if n not in numbers)
            rest = rest[found.end() :]
            continue
        word = _WORD.match(rest, position)
        if word and words.get(word.group().casefold()) == "all" and not numbers and not all_items:
            all_items = True
            rest = rest[word.end() :]
            continue
        break
    if not numbers and not all_items:
        raise UnreadableReply(
            line, piece, f"which items? write the numbers, e.g. {match.group().lower()} 1, 3"
        )
    if rest[:1].isalnum():
        # "approve 12b": digits glued to letters are not an item number we can trust.
        raise UnreadableReply(line, piece, "item numbers must stand alone, e.g. approve 1, 3")
    note = _NOTE_LEAD.sub("", rest).strip() or None
    if all_items and note and any(ch.isdigit() for ch in note):
        # "approve all but 2" must not approve item 2.
        raise UnreadableReply(
            line,
            piece,
            f"write exceptions to 'all' as their own instruction, e.g. "
            f"{match.group().lower()} all; reject 2",
        )
    return Instruction(action, tuple(numbers), all_items, note, line, piece)


def _refuse_lookalike(piece: str, words: dict[str, str], line: int, text: str) -> None:
    """Refuse prose that looks like an answer we cannot read, rather than skip it."""
    import difflib

    tokens = [token.casefold() for token in _WORD.findall(piece)]
    if not any(ch.isdigit() for ch in piece):
        return
    instruction_words = sorted(word for word, meaning in words.items() if meaning in ACTIONS)
    mentioned = [token for token in tokens if words.get(token) in ACTIONS]
    if mentioned:
        raise UnreadableReply(
            line,
            text,
            f"it mentions {mentioned[0]!r} but does not start with it; write the "
            f"instruction first, e.g. {words[mentioned[0]]} 1, 3",
        )
    if tokens and len(tokens[0]) >= 4:
        close = difflib.get_close_matches(tokens[0], instruction_words, n=1, cutoff=0.8)
        if close:
            raise UnreadableReply(
                line, text, f"{tokens[0]!r} is not an instruction word; did you mean {close[0]!r}?"
            )


def parse_numbers(values: list[str]) -> list[int]:
    """Item numbers as typed on the command line: `1 3`, `1,3`, `#2`, `2-4`."""
    numbers: list[int] = []
    for value in values:
        for part in re.split(r"[\s,]+", value.strip()):
            if not part:
                continue
            found = _NUMBER.fullmatch(part)
            if not found:
                raise InvalidInput(f"{part!r} is not an item number (write 1, 3 or 2-4)")
            first = int(found.group(1))
            last = int(found.group(2)) if found.group(2) else first
            if last < first or last - first >= MAX_RANGE:
                raise InvalidInput(f"{part!r} is not a range of item numbers")
            numbers.extend(n for n in range(first, last + 1) if n not in numbers)
    if not numbers:
        raise InvalidInput("name at least one item number")
    return numbers
