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
- A few everyday words ("ok", "tak", "да", "要"; see WEAK) are instructions only when item
  numbers follow at once: "ok 1, 3" approves, "OK, thanks!" is prose.
- Chinese needs no spaces and may use full-width punctuation: "同意1、3；拒绝2：太贵了".
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
from functools import cache

from shopcli.core import languages
from shopcli.core.errors import InvalidInput

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
    # The first word of each list is the one the documents show in "how to answer".
    "fi": {
        "approve": [
            "hyväksyn",
            "hyväksy",
            "hyväksytään",
            "hyväksytty",
            "otan",
            "otetaan",
            "ok",
            "okei",
            "kyllä",
        ],
        "reject": ["hylkään", "hylkää", "hylätään", "hylätty", "poista", "jätä"],
        "change": ["muuta", "muutos", "muutan", "muutetaan", "vaihda", "vaihdetaan"],
        "all": ["kaikki", "molemmat", "kaikkia"],
        "and": ["ja", "sekä"],
    },
    "pl": {
        "approve": [
            "zatwierdzam",
            "zatwierdź",
            "zatwierdzone",
            "akceptuję",
            "akceptuje",
            "akceptuj",
            "biorę",
            "biore",
            "bierzemy",
            "zgoda",
            "tak",
            "ok",
        ],
        "reject": ["odrzucam", "odrzuć", "odrzuc", "odrzucone", "rezygnuję", "rezygnuje", "usuń"],
        "change": ["zmiana", "zmień", "zmien", "zmieniam", "zmienić", "zamień", "wymień"],
        "all": ["wszystkie", "wszystko", "oba", "obie", "całość"],
        "and": ["i", "oraz"],
    },
    "hu": {
        "approve": [
            "elfogadom",
            "elfogadva",
            "jóváhagyom",
            "jóváhagyva",
            "jovahagyom",
            "kérem",
            "kerem",
            "mehet",
            "igen",
            "ok",
        ],
        "reject": ["elutasítom", "elutasitom", "elutasítva", "elvetem", "töröld", "törölje"],
        "change": [
            "módosítás",
            "módosítsd",
            "módosítsa",
            "módosítom",
            "modositas",
            "csere",
            "cseréld",
            "cserélje",
        ],
        "all": ["mindet", "mindent", "mind", "mindkettőt", "összeset"],
        "and": ["és", "es", "meg"],
    },
    "ru": {
        "approve": [
            "одобряю",
            "одобрено",
            "согласна",
            "согласен",
            "принимаю",
            "беру",
            "берём",
            "берем",
            "да",
            "ок",
        ],
        "reject": ["отклоняю", "отклонено", "отказываюсь", "отказ", "убрать", "уберите"],
        "change": [
            "изменить",
            "измените",
            "изменение",
            "поменять",
            "поменяйте",
            "замена",
            "заменить",
            "замените",
        ],
        "all": ["все", "всё", "оба", "обе"],
        "and": ["и"],
    },
    "uk": {
        "approve": [
            "схвалюю",
            "схвалено",
            "погоджую",
            "згодна",
            "згоден",
            "приймаю",
            "беру",
            "беремо",
            "так",
            "ок",
        ],
        "reject": [
            "відхиляю",
            "відхилено",
            "відмовляюсь",
            "відмовляюся",
            "прибрати",
            "приберіть",
        ],
        "change": [
            "змінити",
            "змініть",
            "зміна",
            "поміняти",
            "поміняйте",
            "заміна",
            "замінити",
            "замініть",
        ],
        "all": ["всі", "усі", "все", "усе", "обидва", "обидві"],
        "and": ["і", "й", "та"],
    },
    "zh": {
        "approve": ["同意", "批准", "确认", "可以", "要", "好", "行"],
        "reject": ["拒绝", "不要", "不用", "不同意", "取消"],
        "change": ["修改", "更改", "更换", "换", "改"],
        "all": ["全部", "所有", "全都", "都"],
        "and": ["和", "与", "及"],
    },
}
# Everyday words that are an instruction only when item numbers (or "all") follow at once:
# "ok 1, 3" approves, but "OK, thanks!" or "Да, 2 вещи подошли" is prose.
WEAK = set("ok okei kyllä tak igen да ок так".split()) | {"要", "好", "行", "可以", "换", "改"}
# Languages whose own words the documents show in "how to answer" examples (the others show
# English words, always accepted): every document language, now that all are translated.
EXAMPLE_LANGUAGES: set[str] = set(languages.TRANSLATED)
ACTIONS = ("approve", "reject", "change")
# The item status each instruction leads to.
DECISIONS = {"approve": "approved", "reject": "rejected", "change": "change_requested"}

# Most item numbers one instruction may name through ranges (1-3): a typo must not fan out.
MAX_RANGE = 200

# Compiled on first use: a document that only shows the answer words needs none of them.
_PATTERNS = {
    "word": (r"[^\W\d_]+(?:'[^\W\d_]+)?|&|\+", 0),
    "number": (r"#?(\d{1,7})(?!\d)(?:\s*[-–]\s*#?(\d{1,7})(?!\d))?", 0),
    "ends": (
        r"^(--|-- |_{8,}|-{3,}\s*(original message|forwarded message)\s*-{3,}.*)$",
        re.IGNORECASE,
    ),
    "bullet": (r"^(?:[-*•·]\s+)+", 0),
    "note_lead": (r"^[\s:;,.\-–—：；，。、]+", 0),
    # Chinese is written without spaces: "同意全部" is the word 同意 followed by 全部.
    "cjk": (r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]", 0),
}


@cache
def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(*_PATTERNS[name])


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
        if _pattern("ends").match(stripped) or raw.rstrip("\r\n") == "-- ":
            break
        if not stripped or stripped.startswith(">"):
            continue
        current: Instruction | None = None
        found: list[Instruction] = []
        for piece in re.split(r"[;；]", stripped):
            piece = _pattern("bullet").sub("", piece.strip()).strip()
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


def _word_at(text: str, position: int, words: dict[str, str]) -> tuple[str, int] | None:
    """The known word at a position (case-folded) and where it ends, or None.

    A run of Chinese characters may hold a known word at its start ("同意全部").
    """
    match = _pattern("word").match(text, position)
    if not match:
        return None
    token = match.group().casefold()
    if token in words:
        return token, match.end()
    if _pattern("cjk").match(token):
        for size in range(len(token) - 1, 0, -1):
            if token[:size] in words:
                return token[:size], match.start() + size
    return None


def _instruction(piece: str, words: dict[str, str], line: int) -> Instruction | None:
    """Read one piece that starts with an instruction word, or return None if it does not."""
    found_word = _word_at(piece, 0, words)
    if not found_word or words[found_word[0]] not in ACTIONS:
        return None
    keyword, end = found_word
    action = words[keyword]
    if keyword in WEAK and not re.match(r"\s*[:：]?\s*(#?\d|[^\W\d_])", piece[end:]):
        return None  # "OK, thanks!": prose
    rest = piece[end:]
    rest = re.sub(r"^\s*[:：]?\s*", "", rest)
    numbers: list[int] = []
    all_items = False
    while True:
        # Separators between numbers: commas, spaces, or a connector word ("and").
        ahead = re.match(r"[\s,，、]*", rest)
        position = ahead.end() if ahead else 0
        word = _word_at(rest, position, words)
        if word and words[word[0]] == "and":
            after = re.match(r"\s*", rest[word[1] :])
            following = word[1] + (after.end() if after else 0)
            if numbers and _pattern("number").match(rest, following):
                position = following
            else:
                break
        found = _pattern("number").match(rest, position)
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
        word = _word_at(rest, position, words)
        if word and words[word[0]] == "all" and not numbers and not all_items:
            all_items = True
            rest = rest[word[1] :]
            continue
        break
    if not numbers and not all_items:
        if keyword in WEAK:
            return None
        raise UnreadableReply(line, piece, f"which items? write the numbers, e.g. {keyword} 1, 3")
    if rest[:1].isalnum():
        # "approve 12b": digits glued to letters are not an item number we can trust.
        raise UnreadableReply(line, piece, "item numbers must stand alone, e.g. approve 1, 3")
    note = _pattern("note_lead").sub("", rest).strip() or None
    if all_items and note and any(ch.isdigit() for ch in note):
        # "approve all but 2" must not approve item 2.
        raise UnreadableReply(
            line,
            piece,
            f"write exceptions to 'all' as their own instruction, e.g. {keyword} all; reject 2",
        )
    return Instruction(action, tuple(numbers), all_items, note, line, piece)


def _refuse_lookalike(piece: str, words: dict[str, str], line: int, text: str) -> None:
    """Refuse prose that looks like an answer we cannot read, rather than skip it."""
    import difflib

    tokens = [token.casefold() for token in _pattern("word").findall(piece)]
    if not any(ch.isdigit() for ch in piece):
        return
    instruction_words = sorted(
        word for word, meaning in words.items() if meaning in ACTIONS and word not in WEAK
    )
    mentioned = [token for token in tokens if token in instruction_words]
    mentioned += [
        word
        for token in tokens
        if _pattern("cjk").match(token)
        for word in instruction_words
        if word in token
    ]
    if mentioned:
        raise UnreadableReply(
            line,
            text,
            f"it mentions {mentioned[0]!r} but does not start with it; write the "
            f"instruction first, e.g. {words[mentioned[0]]} 1, 3",
        )
    if tokens and len(tokens[0]) >= 4 and tokens[0] not in words:
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
            found = _pattern("number").fullmatch(part)
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
