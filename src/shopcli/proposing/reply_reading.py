"""Reading the client's own words of a reply: tokens, sentences and clauses into claims.

replies.py reads a whole reply with this: each sentence becomes claims (an action on items,
"all", or exceptions) or is prose, or the sentence refuses the reply. The rules are described
in replies.py; the words per language are in reply_words.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from shopcli.core.errors import InvalidInput
from shopcli.proposing.reply_quotes import OwnLine
from shopcli.proposing.reply_words import Lexicon, answer_line, is_cjk, lexicon

# Most item numbers a range (1-3) may name: a typo must not fan out.
MAX_RANGE = 200
# Item numbers above this are amounts, years or phone numbers, never items.
MAX_ITEM = 999
# A single word of an item's title names it only when it is at least this long.
TITLE_WORD = 5
# Finnish case endings after a colon (1:n, 2:sta) and Hungarian, Russian and Ukrainian ones
# after a hyphen (2-es, 2-го): the number is still an item number.
_COLON_ENDINGS = "n|na|nä|a|ä|ta|tä|sta|stä|ssa|ssä|lla|llä|lta|ltä|lle|ksi|een|ään|seen|t|tta"
_HYPHEN_ENDINGS = (
    "es|as|os|ös|est|ast|ost|öst|et|at|ot|öt|t|ét|át|esre|asra|ost|re|ra|ből|ről|nek|"
    "й|го|ю|я|е|ой|ий|ую|ое|ого|му|м|х|ти|гу|ка|ку"
)
_SENTENCE_ENDS = set(".!?;。！？；…")
_CLAUSE_SEPARATORS = set(',:、，：()（）[]"«»„“”')
_DASHES = set("-–—")


class UnreadableReply(InvalidInput):
    """A line of the reply cannot be read with certainty; nothing of the reply is applied."""

    def __init__(self, line: int, text: str, problem: str) -> None:
        self.line, self.text, self.problem = line, text, problem
        shown = text if len(text) <= 100 else text[:99] + "…"
        where = f"line {line} ({shown!r})" if line else "the reply"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class ProposedItem:
    """An item of the proposal the client answers: its number, title and recipient."""

    number: int
    title: str
    recipient: str | None = None
    awaiting: bool = True


# -- tokens ---------------------------------------------------------------------------------


@dataclass
class Token:
    """A piece of a line: its kind, where it is, and what it means."""

    kind: str
    text: str
    line: int
    start: int
    end: int
    items: frozenset[int] = frozenset()
    strength: str = ""  # refs: strong, weak, range, all, both; verbs: their word kind
    action: str = ""  # verbs: approve, reject or change
    problem: str = ""  # badref: why it cannot be read


# An item number as replies write it ("2", "#2", "№ 2", "nr 2", "No. 2", "2nd", "2:n", "2-es"),
# and a range of them ("1-3", "#1 – #3"); verbose patterns, matched case-insensitively.
NUMBER_PATTERN = (
    r"""(?:(?:[#№]|n[°º]\s?|(?-i:No)\.\s?|nr\.?\s?)\s?)?[0-9]+
        (?:st|nd|rd|th|[:](?:"""
    + _COLON_ENDINGS
    + r""")\b|\s?[-–](?:"""
    + _HYPHEN_ENDINGS
    + r""")\b)?"""
)
RANGE_PATTERN = r"""[#№]?[0-9]{1,4}\s?[-–—]\s?[#№]?[0-9]{1,4}
    (?![0-9]|[.,:][0-9]|\s?[-–—]\s?[0-9])"""
# Where a list of item numbers is read on its own (the follow-up's answers): one of them.
ITEM_REFERENCE = re.compile(
    rf"(?P<range>{RANGE_PATTERN})|(?P<number>{NUMBER_PATTERN})", re.VERBOSE | re.IGNORECASE
)
_TOKEN = re.compile(
    r"""
    (?P<url>https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
  | (?P<phone>\+[0-9][0-9 ()./-]{6,}[0-9]|\(?[0-9]{2,5}\)?(?:[ ./-][0-9]{2,6}){2,4}(?![0-9]))
  | (?P<date>[0-9]{1,4}[./-][0-9]{1,2}[./-][0-9]{1,4}\.?|[0-9]{1,2}\.[0-9]{1,2}\.(?![0-9]))
  | (?P<time>[0-9]{1,2}[:.][0-9]{2}(?![0-9])(?:\s?[ap]\.?m\.?)?)
  | (?P<money>[€$£¥₽₴]\s?[0-9][0-9\s.,]*[0-9]|[€$£¥₽₴]\s?[0-9]
            |[0-9][0-9.,]*[0-9]\s?[€$£¥₽₴]|[0-9]\s?[€$£¥₽₴])
  | (?P<decimal>[0-9]+,[0-9]{2}(?![0-9])|[0-9]+\.[0-9]+)
  | (?P<range>"""
    + RANGE_PATTERN
    + r""")
  | (?P<number>"""
    + NUMBER_PATTERN
    + r""")
  | (?P<mark>[✔✓☑✅👍✘✗❌❎👎✖])
  | (?P<cjk>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)
  | (?P<word>[^\W\d_]+(?:['-][^\W\d_]+)*)
  | (?P<punct>[,:、，：()（）\[\]"«»„“”.!?;。！？；…&+/]|[-–—]+)
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Full-width letters and digits as ASCII; full-width punctuation stays as it is ("5，10" is a
# list, where "5,10" could be an amount).
_FULL_WIDTH = {
    code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code) not in "，：；！？（）"
}
_TRANSLATE = {
    **_FULL_WIDTH,
    0x3000: 0x20,
    0x00A0: 0x20,
    0x2019: 0x27,
    0x2018: 0x27,
    0x02BC: 0x27,
    0x200B: 0x20,
    0x200C: 0x20,
    0x200D: 0x20,
    0xFEFF: 0x20,
}
# Number words that stand for an item's number, and the refs that name items by words.
_REF_KINDS = ("ordinal", "nominal")


def normalise_text(text: str) -> str:
    """Full-width letters and digits as ASCII, typographic apostrophes and spaces plain.

    Every replacement is one character for one, so positions stay those of the original.
    """
    return text.translate(_TRANSLATE)


class Reader:
    """Reads one reply against one proposal in one language."""

    def __init__(self, items: list[ProposedItem], language: str | None) -> None:
        self.items = items
        self.by_number = {item.number: item for item in items}
        self.language = (language or "en").lower()
        self.lexicon: Lexicon = lexicon(language)
        self.titles = _title_index(items, self.lexicon)
        # The recipients' names: "3 is lovely for Yui" says nothing beyond the decision.
        self.names = {
            part.casefold()
            for item in items
            if item.recipient
            for part in re.findall(r"[^\W\d_]+", item.recipient)
        }
        self.title_words = {
            item.number: set(re.findall(r"[^\W\d_]+", item.title.casefold())) for item in items
        }

    # -- tokenising -------------------------------------------------------------------------

    def tokens(self, line: OwnLine) -> list[Token]:
        text = normalise_text(line.text)
        # A bullet at the start of a line is no part of the answer.
        bullet = re.match(r"^\s*(?:[-*•·▪◦‣>]\s+)+", text)
        offset = bullet.end() if bullet else 0
        raw: list[Token] = []
        # "1. yes", "2) no": a number that labels the line is an item reference.
        label = re.match(r"\s*#?(\d{1,3})\s*[.)]\s+(?=\S)", text[offset:])
        if label:
            number = int(label.group(1))
            raw.append(
                Token(
                    "ref",
                    label.group(0).strip(),
                    line.number,
                    offset,
                    offset + label.end(),
                    frozenset({number}),
                    "strong",
                )  # fmt: skip
            )
            offset += label.end()
        for found in _TOKEN.finditer(text, offset):
            kind = found.lastgroup or "punct"
            raw.append(Token(kind, found.group(), line.number, found.start(), found.end()))
        tokens = _ranges_in_words(self._numbers(self._words(raw)))
        # "a 2. tételt", "2. tuote": a dot after a number, before "item", makes it ordinal.
        return [
            token
            for position, token in enumerate(tokens)
            if not (
                token.kind == "punct"
                and token.text == "."
                and 0 < position < len(tokens) - 1
                and tokens[position - 1].kind == "ref"
                and tokens[position + 1].kind == "item"
                and tokens[position + 1].text[:1].islower()
            )
        ]

    def _words(self, raw: list[Token]) -> list[Token]:
        """Known words and phrases get their kind; Chinese runs are split into words."""
        out: list[Token] = []
        index = 0
        while index < len(raw):
            token = raw[index]
            if token.kind == "cjk":
                out.extend(self._cjk(token))
                index += 1
                continue
            if token.kind == "mark":  # ✔ is a yes, ✘ a no
                yes = token.text in "✔✓☑✅👍"
                out.append(self._known([token], "yes" if yes else "neg", None))
                index += 1
                continue
            if token.kind != "word":
                out.append(token)
                index += 1
                continue
            run = [token]
            while (
                index + len(run) < len(raw)
                and raw[index + len(run)].kind == "word"
                and raw[index + len(run)].start - run[-1].end <= 2
            ):
                run.append(raw[index + len(run)])
            folded = [part.text.casefold() for part in run]
            found = self.lexicon.phrase(folded, 0)
            if found:
                size, kind, value = found
                out.append(self._known(run[:size], kind, value))
                index += size
                continue
            known = self.lexicon.word(folded[0])
            if known:
                out.append(self._known([token], *known))
            elif folded[0] in self.names or _stem_of(folded[0], self.names):
                out.append(Token("name", token.text, token.line, token.start, token.end))
            else:
                out.append(token)
            index += 1
        return self._titles(out)

    def _known(self, run: list[Token], kind: str, value: Any) -> Token:
        first, last = run[0], run[-1]
        token = Token(kind, " ".join(part.text for part in run), first.line, first.start, last.end)
        if kind in ("approve", "reject", "change"):
            token.kind, token.action, token.strength = "verb", kind, "strong"
        elif kind in ("plain", "yes", "praise", "polite"):
            token.kind, token.action, token.strength = "verb", "approve", kind
        elif kind in _REF_KINDS:
            token.kind = "ref"
            token.strength = "strong" if kind == "nominal" else "weak"
            token.items = self._ordinal(value) if kind == "ordinal" else frozenset({value})
            if kind == "ordinal" and not token.items:
                token.kind, token.problem = "badref", self._ordinal_problem(value)
        elif kind in ("all", "both"):
            token.kind, token.strength = "ref", kind
        return token

    def _ordinal(self, place: int) -> frozenset[int]:
        """The item "the second one" means: the second item shown, when it is number 2."""
        shown = [item.number for item in self.items]
        if 0 < place <= len(shown) and shown[place - 1] == place:
            return frozenset({place})
        return frozenset()

    def _ordinal_problem(self, place: int) -> str:
        shown = [item.number for item in self.items]
        if 0 < place <= len(shown):
            return (
                f"the ordinal could mean item {place} or item {shown[place - 1]} (the "
                f"{place}. shown); write the item number"
            )
        return f"the proposal has no item {place}"

    def _cjk(self, token: Token) -> list[Token]:
        """Split an unspaced Chinese run: known words and item titles, longest first."""
        text = token.text
        out: list[Token] = []
        position = 0
        while position < len(text):
            best: tuple[int, str, Any] | None = None
            for size in range(min(self.lexicon.cjk_longest, len(text) - position), 0, -1):
                found = self.lexicon.cjk.get(text[position : position + size])
                if found:
                    best = (size, *found)
                    break
            title = self._cjk_title(text, position)
            start = token.start + position
            if title and (best is None or title[0] > best[0]):
                size, numbers = title
                piece = Token("ref", text[position : position + size], token.line, start,
                              start + size, numbers, "strong" if size >= 4 else "weak")  # fmt: skip
                if len(numbers) != 1:
                    piece.kind = "badref"
                    piece.problem = self._ambiguous_title(piece.text, numbers)
                out.append(piece)
                position += size
                continue
            if best is not None:
                size, kind, value = best
                piece = Token("word", text[position : position + size], token.line, start,
                              start + size)  # fmt: skip
                out.append(self._known([piece], kind, value))
                position += size
                continue
            out.append(Token("word", text[position], token.line, start, start + 1))
            position += 1
        return out

    def _cjk_title(self, text: str, position: int) -> tuple[int, frozenset[int]] | None:
        """The longest run from `position` that is part of item titles (2+ characters)."""
        best = None
        for size in range(2, len(text) - position + 1):
            piece = text[position : position + size]
            numbers = frozenset(
                item.number for item in self.items if piece in item.title.replace(" ", "")
            )
            if not numbers:
                break
            best = (size, numbers)
        return best

    def _titles(self, tokens: list[Token]) -> list[Token]:
        """Runs of unknown words that name exactly one item by words of its title."""
        out: list[Token] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            matches = self._title_matches(token) if token.kind == "word" else None
            if not matches:
                out.append(token)
                index += 1
                continue
            run = [token]
            common = set(matches)
            bridge: list[Token] = []  # common words inside a title: "набор для вязания"
            while index + len(run) + len(bridge) < len(tokens):
                following = tokens[index + len(run) + len(bridge)]
                near = following.start - (bridge or run)[-1].end <= 2
                if following.kind == "word" and near:
                    more = self._title_matches(following)
                    for word in bridge:
                        more = {
                            n for n in more or () if word.text.casefold() in self.title_words[n]
                        }
                    if more and common & more:
                        common &= more
                        run.extend(bridge)
                        run.append(following)
                        bridge = []
                        continue
                inside = {
                    n for n in common if following.text.casefold() in self.title_words.get(n, ())
                }
                if near and following.kind in ("filler", "item", "and") and inside:
                    bridge.append(following)
                    continue
                break
            index += len(run)
            letters = sum(len(part.text) for part in run)
            if len(run) == 1 and letters < TITLE_WORD:
                out.append(token)  # "kit", "set": too short to name an item alone
                continue
            piece = Token("ref", " ".join(part.text for part in run), token.line, run[0].start,
                          run[-1].end, frozenset(common),
                          "strong" if len(run) >= 2 else "weak")  # fmt: skip
            if len(common) != 1:
                piece.kind = "badref"
                piece.problem = self._ambiguous_title(piece.text, frozenset(common))
            out.append(piece)
        return out

    def _title_matches(self, token: Token) -> set[int] | None:
        """The items whose titles hold this word (a compound word: all of its parts)."""
        common: set[int] | None = None
        for word in re.findall(r"[^\W\d_]+", token.text.casefold()):
            if len(word) < 3:
                continue
            found: set[int] = set()
            for title_word, numbers in self.titles.items():
                if _same_word(word, title_word):
                    found |= numbers
            common = found if common is None else common & found
            if not common:
                return None
        return common or None

    def _ambiguous_title(self, text: str, numbers: frozenset[int]) -> str:
        named = ", ".join(f"{n} {self.by_number[n].title}" for n in sorted(numbers))
        return f"{text!r} could be more than one item ({named}); write the item numbers"

    def _numbers(self, tokens: list[Token]) -> list[Token]:
        """Numbers become item references, unless they are sizes, amounts, dates or times."""
        out: list[Token] = []
        for index, token in enumerate(tokens):
            if token.kind in ("url", "phone", "date", "time", "money", "decimal"):
                if token.kind == "phone" and sum(c.isdigit() for c in token.text) < 7:
                    # Not a phone number after all: read its numbers one by one.
                    out.extend(self._numbers(self._split_numbers(token)))
                    continue
                token.kind = "numx"
                out.append(token)
                continue
            if token.kind not in ("range", "number"):
                out.append(token)
                continue
            before = _neighbour(tokens, index, -1)
            after = _neighbour(tokens, index, +1)
            if _measure(self.lexicon, before, after):
                token.kind = "numx"
                out.append(token)
                continue
            if token.kind == "number":
                items = referred_items(token.kind, token.text)
                if items is None:
                    token.kind = "numx"
                elif (
                    after is not None
                    and after.text in ("个", "件")
                    and not (before is not None and before.text == "第")
                ):
                    token.kind = "numx"  # 2个: two pieces, not item 2
                else:
                    token.kind, token.items, token.strength = "ref", items, "strong"
                out.append(token)
                continue
            values = [int(v) for v in re.findall(r"[0-9]+", token.text)]
            if values[-1] <= values[0] and re.search(r"\s[-–—]\s", token.text):
                # "approve 1, 3 — 2 is a no": a dash between clauses, not a range.
                out.extend(self._numbers(self._split_numbers(token)))
                continue
            try:
                items = referred_items(token.kind, token.text)
            except ValueError as exc:
                token.kind, token.problem = "badref", str(exc)
            else:
                if items is None:
                    token.kind = "numx"
                else:
                    token.kind, token.items, token.strength = "ref", items, "range"
            out.append(token)
        return out

    @staticmethod
    def _split_numbers(token: Token) -> list[Token]:
        parts = []
        for found in re.finditer(r"[0-9]+|[^\s0-9]+", token.text):
            kind = "number" if found.group()[0].isdigit() else "punct"
            start = token.start + found.start()
            parts.append(Token(kind, found.group(), token.line, start, start + len(found.group())))
        return parts

    # -- sentences and clauses --------------------------------------------------------------

    def sentences(self, lines: list[OwnLine]) -> list[list[Token]]:
        """Tokens grouped into sentences: at sentence punctuation and (mostly) line ends."""
        sentences: list[list[Token]] = []
        current: list[Token] = []
        previous: OwnLine | None = None
        for line in lines:
            tokens = self.tokens(line)
            if current and previous is not None and not _continues(previous, line, current, tokens):
                sentences.append(current)
                current = []
            for token in tokens:
                if token.kind == "punct" and token.text in _SENTENCE_ENDS:
                    current.append(Token("end", token.text, token.line, token.start, token.end))
                    sentences.append(current)
                    current = []
                    continue
                current.append(token)
            previous = line
        if current:
            sentences.append(current)
        return [sentence for sentence in sentences if any(t.kind != "end" for t in sentence)]


# -- helpers for tokens ---------------------------------------------------------------------


def referred_items(kind: str, text: str) -> frozenset[int] | None:
    """The items a `number` or `range` token names ("2", "#2", "2nd", "1-3"); None when its
    numbers are no item numbers (one starting with 0, or above MAX_ITEM: a phone, a year, an
    amount). Raises ValueError, saying why, for a range that runs backwards or too far."""
    values = [int(value) for value in re.findall(r"[0-9]+", text)]
    first, last = values[0], values[-1]
    if re.match(r"[^0-9]*0[0-9]", text) or last > MAX_ITEM:
        return None
    if kind == "number":
        return frozenset({first})
    if last <= first or last - first >= MAX_RANGE:
        raise ValueError(f"{text!r} is not a range of item numbers")
    return frozenset(range(first, last + 1))


# Words that make a range of two item numbers: "1 through 3", "od 1 do 3", "с 1 по 3", "1到3".
_RANGE_WORDS = {"to", "through", "thru", "till", "until", "do", "по", "до", "到", "至"}


def _ranges_in_words(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        first = tokens[index]
        if index + 2 < len(tokens) and first.kind == "ref" and first.strength == "strong":
            word, last = tokens[index + 1], tokens[index + 2]
            if (
                word.text.casefold() in _RANGE_WORDS
                and last.kind == "ref"
                and last.strength == "strong"
                and len(first.items) == len(last.items) == 1
            ):
                low, high = min(first.items), min(last.items)
                text = f"{first.text} {word.text} {last.text}"
                numbers = frozenset(range(low, high + 1))
                merged = Token("ref", text, first.line, first.start, last.end, numbers, "range")
                if not low < high or high - low >= MAX_RANGE:
                    merged.kind, merged.problem = "badref", f"{merged.text!r} is not a range"
                out.append(merged)
                index += 3
                continue
        out.append(first)
        index += 1
    return out


def _stem_of(word: str, names: set[str]) -> bool:
    """Whether a word is an inflected name ("Liisalla", "Ани", "Bencének")."""
    return any(len(name) >= 3 and word.startswith(name) and len(word) - len(name) <= 5
               for name in names)  # fmt: skip


def _same_word(word: str, title_word: str) -> bool:
    """Whether a client's word is a title word, allowing case endings (szalika ~ szalik) and
    the tail of a compound word (kynät ~ piirustuskynät, ceruzák ~ rajzceruzák)."""
    if _same_stem(word, title_word):
        return True
    if len(word) >= TITLE_WORD:
        for cut in range(1, len(title_word) - TITLE_WORD + 1):
            if _same_stem(word, title_word[cut:]):
                return True
    return False


def _same_stem(word: str, title_word: str) -> bool:
    if word == title_word:
        return True
    if len(title_word) < 4:
        return word.startswith(title_word) and len(word) - len(title_word) <= 2
    common = 0
    for a, b in zip(word, title_word, strict=False):
        if a != b:
            break
        common += 1
    return common >= 4 and common >= len(title_word) - 2 and common >= len(word) - 4


def _title_index(items: list[ProposedItem], lexicon_: Lexicon) -> dict[str, frozenset[int]]:
    """Each word of the items' titles (3+ letters, not a reply word) and the items it is in."""
    index: dict[str, set[int]] = {}
    for item in items:
        for word in re.findall(r"[^\W\d_]+", item.title.casefold()):
            if len(word) < 3 or is_cjk(word):
                continue
            known = lexicon_.word(word)
            if known and known[0] not in ("cue", "item", "size", "unit", "month", "pronoun"):
                continue
            index.setdefault(word, set()).add(item.number)
    return {word: frozenset(numbers) for word, numbers in index.items()}


def _neighbour(tokens: list[Token], index: int, step: int) -> Token | None:
    position = index + step
    while 0 <= position < len(tokens):
        token = tokens[position]
        if token.kind == "punct" and token.text in ("(", ")"):
            position += step
            continue
        return token
    return None


def _measure(lexicon_: Lexicon, before: Token | None, after: Token | None) -> bool:
    """Whether a number is a size, an amount, an age or a date by the words next to it."""
    if before is not None and before.kind not in ("ref", "number", "range"):
        if lexicon_.is_measure("size", before.text) or lexicon_.is_measure("month", before.text):
            return True
    if after is not None and after.kind not in ("ref", "number", "range"):
        if lexicon_.is_measure("unit", after.text) or lexicon_.is_measure("month", after.text):
            return True
        if after.text[:1] in ("码", "岁", "元", "块", "月", "日"):
            return True
    return bool(before is not None and before.text in ("月",))


def _continues(
    previous: OwnLine, line: OwnLine, current: list[Token], following: list[Token]
) -> bool:
    """Whether a line goes on with the sentence of the line above it."""
    if line.number > previous.number + 1:
        return False  # a blank or quoted line between: a new paragraph
    last = current[-1]
    if last.kind == "punct" and last.text in (":", "：", ",", "，", "、"):
        return True
    if last.kind == "and":
        return True
    text = previous.text.rstrip()
    # A long line broken by the mail program (Gmail breaks plain text near 78 characters),
    # unless the next line starts an instruction of its own.
    starts = following[0] if following else None
    if starts is not None and starts.kind in ("verb", "neg", "ref"):
        return False
    return len(text) >= 70 and line.text.lstrip()[:1].islower()


# -- the analysis of a sentence -------------------------------------------------------------


@dataclass
class Clause:
    """Tokens between clause separators, and how the clause was separated from the last."""

    tokens: list[Token]
    separator: str = ""  # "," ":" "-" or "but" (a contrast word), "" at the start
    refs: list[Token] = field(default_factory=list)
    exceptions: list[Token] = field(default_factory=list)
    action: str | None = None
    polite: bool = False  # the only instruction is "please", "kiitos" …
    prefix: bool = True  # the instruction word comes before the items
    exception_marker: bool = False
    aside: bool = False  # in parentheses: "2 (she has one), 4 (too dear)"
    about: bool = False  # words about items the sentence decides elsewhere


@dataclass
class Claim:
    """A decision read from a sentence, before "all" and exceptions are resolved."""

    action: str
    items: set[int]
    kind: str  # explicit, range, all, both
    line: int
    words: str
    notes: list[str] = field(default_factory=list)
    exceptions: set[int] = field(default_factory=set)
    exception_notes: list[str] = field(default_factory=list)
    sentence: int = 0
    tokens: list[Token] = field(default_factory=list)  # the client's words it came from


# Tokens that may sit in a plain list of items.
_LISTY = ("ref", "and", "filler", "item", "too")
# "1 and 3 both", "1和3都要": after items, these words count them, they do not add all others.
_QUANTIFIERS = {
    "all", "both", "都", "全都", "molemmat", "kumpikin", "kummatkin", "kaikki", "oba", "obie",
    "obydwa", "wszystkie", "оба", "обе", "все", "обидва", "обидві", "всі", "усі", "mind",
    "mindkettő", "mindkettőt", "mindet",
}  # fmt: skip


class Sentence:
    """One sentence: its clauses, read and bound into claims; or a refusal."""

    def __init__(self, reader: Reader, tokens: list[Token], texts: dict[int, str], index: int):
        self.reader = reader
        self.texts = texts
        self.index = index
        self.question = any(t.kind == "end" and t.text in ("?", "？") for t in tokens)
        self.words = [t for t in tokens if t.kind != "end"]
        self.line = self.words[0].line if self.words else 0
        self.clauses: list[Clause] = []

    def quote(self, tokens: list[Token] | None = None) -> str:
        """The client's words of these tokens (or of the whole sentence), as written."""
        chosen = tokens if tokens is not None else self.words
        chosen = [t for t in chosen if t.end > t.start]
        if not chosen:
            return ""
        parts: list[str] = []
        line, start, end = chosen[0].line, chosen[0].start, chosen[0].end
        for token in chosen[1:]:
            if token.line != line:
                parts.append(self.texts[line][start:end])
                line, start = token.line, token.start
            end = max(end, token.end)
        parts.append(self.texts[line][start:end])
        return " ".join(part.strip() for part in parts)

    def refuse(self, problem: str, tokens: list[Token] | None = None) -> UnreadableReply:
        line = tokens[0].line if tokens else self.line
        return UnreadableReply(line, self.quote(), problem)

    # -- the steps ---------------------------------------------------------------------------

    def read(self, context: int | None) -> list[Claim] | None:
        """The sentence's claims; None when it is prose; raises when it cannot be read."""
        self.clauses = self._clauses()
        for clause in self.clauses:
            self._weigh(clause)
        refs = [t for clause in self.clauses for t in clause.refs + clause.exceptions]
        if not refs:
            if context is not None and self._instructs():
                return self._inline(context)
            self._prose_check()
            return None
        bad = [t for t in refs if t.kind == "badref"]
        if bad:
            raise self.refuse(bad[0].problem, bad)
        if self._follows():
            items = {n for t in refs for n in t.items}
            return [Claim("", items, "follows", self.line, self.quote(), sentence=self.index)]
        self._check_doubts(with_items=True)
        claims = self._bind()
        self._check_doubts()  # after binding: words that became a rejection's note may doubt
        if self.question and any(claim.action != "change" for claim in claims):
            raise self.refuse(
                "it asks a question about an item; answer it, then record the decision by hand"
            )
        return claims

    def _follows(self) -> bool:
        """ "Железную дорогу тоже", "3 too": only items and "too", taking the decision of the
        sentence before."""
        tokens = [t for clause in self.clauses for t in clause.tokens]
        return any(t.kind == "too" for t in tokens) and all(
            t.kind in _LISTY and not _is_all(t) for t in tokens
        )

    # -- clauses -----------------------------------------------------------------------------

    def _clauses(self) -> list[Clause]:
        clauses: list[Clause] = []
        current: list[Token] = []
        separator = ""
        inside = False  # within parentheses
        for token in self.words:
            is_separator = token.kind == "punct" and (
                token.text in _CLAUSE_SEPARATORS or set(token.text) <= _DASHES
            )
            if is_separator or token.kind == "but":
                if current:
                    clauses.append(Clause(current, separator, aside=inside))
                    current = []
                    separator = ""
                if token.kind == "punct" and token.text in "(（":
                    inside = True
                elif token.kind == "punct" and token.text in ")）":
                    inside = False
                if token.kind == "but":
                    separator = "but"
                elif separator in ("", ","):
                    text = token.text
                    separator = ":" if text in (":", "：") else "-" if set(text) <= _DASHES else ","
                continue
            current.append(token)
        if current:
            clauses.append(Clause(current, separator, aside=inside))
        # "all but 2": a "but" right after "all" is an exception.
        for position in range(1, len(clauses)):
            clause, before = clauses[position], clauses[position - 1]
            if clause.separator == "but" and before.tokens and _is_all(before.tokens[-1]):
                first = clause.tokens[0]
                before.tokens.append(Token("exc", "but", first.line, first.start, first.start))
                before.tokens.extend(clause.tokens)
                clause.tokens = []
        clauses = [clause for clause in clauses if clause.tokens]
        return self._merge_colons(self._split_units(clauses))

    def _split_units(self, clauses: list[Clause]) -> list[Clause]:
        """Split a clause that holds two instructions ("approve 1 reject 2")."""
        out: list[Clause] = []
        for clause in clauses:
            pieces = _units(clause.tokens)
            refs = [i for i, t in enumerate(clause.tokens) if t.kind in ("ref", "badref")]
            if len(pieces) < 2 or not refs:
                out.append(clause)
                continue
            cuts: list[int] = []
            if pieces[0][0] < refs[0]:  # approve 1 and 3 reject 2: cut before each instruction
                cuts = [start for start, _ in pieces[1:] if any(r < start for r in refs)]
            else:  # 1 and 3 ok 2 no: cut after each instruction
                cuts = [end + 1 for _, end in pieces[:-1] if any(r > end for r in refs)]
            previous, separator = 0, clause.separator
            for cut in [*cuts, len(clause.tokens)]:
                part = clause.tokens[previous:cut]
                if part:
                    out.append(Clause(part, separator))
                    separator = ","
                previous = cut
        return out

    @staticmethod
    def _merge_colons(clauses: list[Clause]) -> list[Clause]:
        """ "Approve: 1, 3" and "2: no" are one clause each across the colon."""
        out: list[Clause] = []
        for clause in clauses:
            if out and clause.separator == ":":
                before = out[-1]
                left_refs, left_verb = _has_ref(before.tokens), _verbish(before.tokens)
                right_refs, right_verb = _has_ref(clause.tokens), _verbish(clause.tokens)
                left_bare = left_verb and not left_refs and not _content(before.tokens)
                if (left_refs and not left_verb and right_verb and not right_refs) or (
                    left_bare and right_refs and not right_verb
                ):
                    before.tokens = before.tokens + clause.tokens
                    continue
            out.append(clause)
        return out

    # -- what each clause holds --------------------------------------------------------------

    def _counts_weak(self, tokens: list[Token]) -> bool:
        """Whether "all", ordinals and single title words are item references here: next to
        an instruction, a negation or an exception, or in a plain list of items."""
        kinds = {t.kind for t in tokens}
        strengths = {t.strength for t in tokens if t.kind == "verb"}
        if kinds & {"neg", "exc", "exc_post"} or strengths & {"strong", "plain"}:
            return True
        if "yes" in strengths and not _content(tokens):
            return True
        return all(t.kind in (*_LISTY, "badref") for t in tokens)

    def _weigh(self, clause: Clause) -> None:
        # Next to an item named plainly, a weaker mention is an item too ("the train set and
        # the rosin are lovely"): it must be accounted for, not read as prose.
        named = any(t.kind == "ref" and t.strength in ("strong", "range") for t in clause.tokens)
        counts = self._counts_weak(clause.tokens) or (named and _verbish(clause.tokens))
        # "all" stands for items only with an instruction word or an exception, or with an
        # everyday word and nothing else: "I need everything by Friday" is not an approval.
        strengths = {t.strength for t in clause.tokens if t.kind == "verb"}
        sweeping = "strong" in strengths or any(
            t.kind in ("exc", "exc_post") for t in clause.tokens
        )
        sweeping = sweeping or (counts and not _content(clause.tokens))
        excepting = any(t.kind in ("exc", "exc_post") for t in clause.tokens)
        kept: list[Token] = []
        explicit_before = False
        for token in clause.tokens:
            if token.kind in ("ref", "badref") and token.strength in ("weak", "all", "both"):
                if not counts or (_is_all(token) and not sweeping):
                    token = _as_word(token)
                elif (
                    _is_all(token)
                    and explicit_before
                    and not excepting
                    and token.text.casefold() in _QUANTIFIERS
                ):
                    token = _as_word(token, "filler")
            if token.kind == "ref" and not _is_all(token):
                explicit_before = True
            kept.append(token)
        clause.tokens = kept
        self._unknown_items(kept)
        limiting = [t for t in kept if _is_content(t) or t.kind == "name"]
        if any(_is_all(t) for t in kept) and limiting:
            limit = limiting[0]
            raise self.refuse(
                f"'all' comes with {limit.text!r}, which may limit it (\"all for Ken\"); "
                "write the item numbers",
                [limit],
            )
        for position in range(1, len(kept)):
            if _is_all(kept[position - 1]) and kept[position].kind == "ref":
                if kept[position].strength in ("strong", "range"):
                    raise self.refuse(
                        f"{kept[position - 1].text} {kept[position].text}: a number right after "
                        f"{kept[position - 1].text!r} may count the items; write the item numbers",
                        [kept[position]],
                    )
        exception_at: set[int] = set()
        for marker, token in enumerate(kept):
            if token.kind not in ("exc", "exc_post"):
                continue
            clause.exception_marker = True
            after = _ref_run(kept, marker + 1, +1)
            before = _ref_run(kept, marker - 1, -1)
            first, second = (before, after) if token.kind == "exc_post" else (after, before)
            chosen = [i for i in first if not _is_all(kept[i])] or [
                i for i in second if not _is_all(kept[i])
            ]
            exception_at.update(chosen)
        clause.exceptions = [kept[i] for i in sorted(exception_at)]
        clause.refs = [
            t for i, t in enumerate(kept) if t.kind in ("ref", "badref") and i not in exception_at
        ]
        units = _units(kept)
        if units:
            unit_tokens = [t for a, b in units for t in kept[a : b + 1]]
            clause.action = self._action(unit_tokens)
            verbs = [t for t in unit_tokens if t.kind in ("verb", "neg")]
            clause.polite = all(t.kind == "verb" and t.strength == "polite" for t in verbs)
            if clause.polite and _content(kept):
                # "size M please" is a note; "proszę zwrócić 2" (please return 2) is no approval.
                clause.action = None
            weak = all(t.kind == "verb" and t.strength in ("praise", "yes") for t in verbs)
            if weak and clause.refs and _content(kept):
                words = ", ".join(repr(t.text) for t in _content(kept)[:3])
                raise self.refuse(
                    f"cannot tell whether {self.quote(kept)!r} approves {_named(clause.refs)}: "
                    f"{words} may say otherwise; write, e.g., "
                    f"{answer_line(self.reader.language, 'approve', [1, 3])!r}",
                    kept,
                )
            first_ref = next((i for i, t in enumerate(kept) if t.kind == "ref"), None)
            clause.prefix = first_ref is None or units[0][0] < first_ref
            placed = [i for i, t in enumerate(kept) if t.kind == "ref" and i not in exception_at]
            if (
                len(units) == 1
                and any(i < units[0][0] for i in placed)
                and any(i > units[0][1] for i in placed)
            ):
                said = self.quote(kept[units[0][0] : units[0][1] + 1])
                raise self.refuse(
                    f"items stand on both sides of {said!r}; it is unclear which it is about",
                    kept,
                )

    def _unknown_items(self, tokens: list[Token]) -> None:
        """ "except the kit and the crayons": a word joined by "and" to an item is an item too;
        when it names none of this proposal's items, the reply cannot be read."""
        quiet = ("filler", "item", "too")
        for position, token in enumerate(tokens):
            if token.kind != "and":
                continue
            left = next((t for t in reversed(tokens[:position]) if t.kind not in quiet), None)
            right = next((t for t in tokens[position + 1 :] if t.kind not in quiet), None)
            if left is None or right is None:
                continue
            for side, other in ((left, right), (right, left)):
                if side.kind == "ref" and other.kind == "word":
                    raise self.refuse(
                        f"{other.text!r} is joined to {side.text!r} like an item, but no item of "
                        "the proposal is called that; write the item numbers",
                        [other],
                    )

    def _action(self, tokens: list[Token]) -> str:
        """The action of a clause's instruction words and negations, or a refusal."""
        verbs = [t for t in tokens if t.kind == "verb"]
        negations = [t for t in tokens if t.kind == "neg"]
        strong = {t.action for t in verbs if t.strength == "strong"}
        if len(strong) > 1:
            raise self.refuse("it holds two different instructions for the same items", tokens)
        if strong and strong != {"approve"}:
            action = next(iter(strong))
            if negations:
                raise self.refuse(
                    f"a negation ({negations[0].text!r}) next to {_word_of(verbs, action)!r} "
                    "cannot be read with certainty",
                    tokens,
                )
            return action
        if len(negations) > 1:
            raise self.refuse("two negations cannot be read with certainty", tokens)
        return "reject" if negations else "approve"

    # -- sentences without items -------------------------------------------------------------

    def _instructs(self) -> bool:
        return any(
            t.kind == "neg" or (t.kind == "verb" and t.strength != "polite")
            for clause in self.clauses
            for t in clause.tokens
        )

    def _inline(self, context: int) -> list[Claim]:
        """A sentence under a quoted item: an answer to that item."""
        actions = {c.action for c in self.clauses if c.action and not c.polite}
        if len(actions) != 1:
            raise self.refuse(
                f"it does not say one clear decision for item {context} (quoted above it)"
            )
        action = actions.pop()
        if action != "change":
            self._check_doubts(everywhere=True)
            if self.question:
                raise self.refuse("it asks a question about the item quoted above it")
        for clause in self.clauses:
            if clause.action is None and clause.separator == "but" and _content(clause.tokens):
                raise self.refuse(
                    f"{self.quote(clause.tokens)!r} after a contrast may change the decision"
                )
            self._check_note(action, clause.tokens)
        note = self._trailing(self.words)
        claim = Claim(action, {context}, "explicit", self.line, self.quote(), sentence=self.index)
        if note:
            claim.notes.append(note)
        return [claim]

    def _prose_check(self) -> None:
        """A sentence that names no item is prose, unless it gives an instruction anyway."""
        for clause in self.clauses:
            for token in clause.tokens:
                if token.kind == "verb" and token.strength == "strong":
                    raise self.refuse(
                        f"{token.text!r} is not followed by item numbers; write them, e.g. "
                        f"{answer_line(self.reader.language, token.action, [1, 3])!r}",
                        [token],
                    )
            kinds = {t.kind for t in clause.tokens}
            strengths = {t.strength for t in clause.tokens if t.kind == "verb"}
            if "pronoun" in kinds and ("plain" in strengths or ("neg" in kinds and strengths)):
                pointing = next(t for t in clause.tokens if t.kind == "pronoun")
                raise self.refuse(
                    f"an instruction about {pointing.text!r} does not say which item; write "
                    "the item numbers",
                    [pointing],
                )
            if "neg" in kinds and "plain" in strengths:
                # "Don't buy anything else": a negated instruction that names no item.
                said = next(t for t in clause.tokens if t.kind == "neg")
                raise self.refuse(
                    f"{said.text!r} with an instruction names no item; write the item numbers",
                    [said],
                )

    def _check_doubts(self, everywhere: bool = False, with_items: bool = False) -> None:
        """Doubt, conditions and choices next to items cannot be applied: they refuse."""
        for clause in self.clauses:
            holds = clause.refs or clause.exceptions
            if not everywhere and not (holds or (clause.action and not with_items)):
                continue
            for token in clause.tokens:
                if token.kind == "count" and (clause.refs or clause.exceptions):
                    raise self.refuse(
                        f"{token.text!r} counts items instead of naming them; write the item "
                        "numbers",
                        [token],
                    )
                if token.kind == "doubt" and clause.action != "change":
                    raise self.refuse(
                        f"{token.text!r}: the client sounds undecided or sets a condition; ask, "
                        "or record the decision by hand",
                        [token],
                    )
                if token.kind == "or" and clause.action != "change":
                    raise self.refuse(
                        f"{token.text!r} offers a choice; ask which one, or record the decision "
                        "by hand",
                        [token],
                    )

    # -- binding clauses into claims ---------------------------------------------------------

    def _bind(self) -> list[Claim]:
        clauses = self.clauses
        self._notes_about_the_same_items()
        owner: dict[int, int] = {}  # a list of items -> the clause whose instruction it takes
        for index, clause in enumerate(clauses):
            if clause.refs and clause.action is None and not clause.exception_marker:
                owner[index] = self._owner(index)
        claims: dict[int, list[Claim]] = {}
        for index, clause in enumerate(clauses):
            if clause.action is None:
                continue
            taken = [i for i, o in owner.items() if o == index]
            refs = clause.refs + [t for i in taken for t in clauses[i].refs]
            if not refs and not clause.exceptions:
                continue
            involved = sorted([index, *taken])
            tokens = [t for i in involved for t in clauses[i].tokens]
            made = self._claims(clause.action, refs, self.quote(tokens), clause)
            for claim in made:
                claim.tokens = list(tokens)
            if clause.exceptions:
                for claim in made:
                    claim.exceptions = {n for t in clause.exceptions for n in t.items}
            note = self._trailing(tokens)
            if note and made:
                target = made[-1]
                (target.exception_notes if clause.exceptions else target.notes).append(note)
            for i in involved:
                self._check_note(clause.action, clauses[i].tokens)
            claims[index] = made
        self._exception_clauses(claims)
        self._verbs_without_items(claims, owner)
        self._notes(claims, owner)
        return [claim for made in claims.values() for claim in made]

    def _notes_about_the_same_items(self) -> None:
        """ "reject 2: Liisa already has a knitting kit" (item 2): words about the very item
        just decided are its note, not another mention."""
        decided: set[int] = set()
        for clause in self.clauses:
            # Items with an instruction, or in a bare list that must take one (or refuse).
            bare = clause.refs and not _content(clause.tokens)
            if (clause.action is not None and clause.refs) or bare:
                decided |= {n for t in clause.refs for n in t.items if t.kind == "ref"}
        for clause in self.clauses:
            numbers = {n for t in clause.refs for n in t.items}
            if (
                clause.action is None
                and numbers
                and numbers <= decided
                and _content(clause.tokens)
                and not clause.exception_marker
            ):
                # "Ken will be thrilled with the train set - please go ahead with it (1)"
                clause.tokens = [_as_word(t) if t in clause.refs else t for t in clause.tokens]
                clause.refs = []
                clause.about = True

    def _owner(self, index: int) -> int:
        """The clause whose instruction a list of items takes ("approve 1, 3" -> 3)."""
        clauses = self.clauses
        clause = clauses[index]
        if _content(clause.tokens):
            raise self.refuse(
                f"{_named(clause.refs)} is mentioned without a decision that can be read",
                clause.tokens,
            )
        back = forward = None
        position = index
        if any(t.kind == "too" for t in clause.tokens):
            # "1 looks great, 3 too": the items take the decision just before them.
            before = [i for i in range(index) if clauses[i].action is not None]
            if before and clauses[before[-1]].action is not None:
                return before[-1]
        while position > 0 and clauses[position].separator == ",":
            position -= 1
            candidate = clauses[position]
            if candidate.aside and not candidate.refs and candidate.action is None:
                continue  # "Reject: 2 (already has one), 4": the aside is a note
            if candidate.action is not None:
                if candidate.prefix or not candidate.refs:
                    back = position
                break
            if not (candidate.refs and not _content(candidate.tokens)):
                break
        position = index
        while position + 1 < len(clauses) and clauses[position + 1].separator in (",", ":", "-"):
            position += 1
            following = clauses[position]
            if following.action is not None:
                if not following.prefix or not following.refs:
                    forward = position
                break
            if not (following.refs and not _content(following.tokens)):
                break
        if (
            back is not None
            and forward is not None
            and clauses[back].action != clauses[forward].action
        ):
            raise self.refuse(
                f"{_named(clause.refs)} could belong to {self.quote(clauses[back].tokens)!r} "
                f"or to {self.quote(clauses[forward].tokens)!r}",
                clause.tokens,
            )
        found = back if back is not None else forward
        if found is None:
            raise self.refuse(
                f"{_named(clause.refs)} is mentioned without a decision that can be read",
                clause.tokens,
            )
        return found

    def _claims(self, action: str, refs: list[Token], words: str, clause: Clause) -> list[Claim]:
        sweeping = [t for t in refs if _is_all(t)]
        named = [t for t in refs if not _is_all(t)]
        line = (refs or clause.exceptions or clause.tokens)[0].line
        made: list[Claim] = []
        if named:
            items = {n for t in named for n in t.items}
            kind = "range" if all(t.strength == "range" for t in named) else "explicit"
            made.append(Claim(action, items, kind, line, words, sentence=self.index))
        if sweeping:
            kind = "both" if any(t.strength == "both" for t in sweeping) else "all"
            made.append(Claim(action, set(), kind, line, words, sentence=self.index))
        if not made and clause.exceptions:
            made.append(Claim(action, set(), "all", line, words, sentence=self.index))
        return made

    def _trailing(self, tokens: list[Token]) -> str | None:
        """The note inside a decision's own words: what follows its items and instructions."""
        last = max(
            (
                i
                for i, t in enumerate(tokens)
                if t.kind in ("ref", "neg", "exc", "exc_post", "and")
                or (t.kind == "verb" and t.strength != "polite")
            ),
            default=-1,
        )
        rest = tokens[last + 1 :]
        while rest and rest[0].kind in ("courtesy", "punct"):
            rest = rest[1:]  # "Нет, спасибо, у Ани есть": the note is what follows the thanks
        if not any(_is_content(t) for t in rest):
            return None
        return self.quote(rest) or None

    def _check_note(self, action: str, tokens: list[Token]) -> None:
        """Words next to a decision must not turn it (see the module's rules)."""
        for token in tokens:
            if token.kind == "verb" and token.strength == "strong" and token.action != action:
                raise self.refuse(f"{token.text!r} sits in the words of {KIND[action]}", [token])
            if action == "approve" and token.kind == "cue":
                raise self.refuse(
                    f"the approval comes with {token.text!r}, which may ask for a change; "
                    "record it by hand (shop change … --note)",
                    [token],
                )

    def _exception_clauses(self, claims: dict[int, list[Claim]]) -> None:
        """ "approve all, except 2": an exception clause on its own takes its neighbour."""
        for index, clause in enumerate(self.clauses):
            if not clause.exception_marker or clause.action is not None:
                continue
            numbers = {n for t in clause.exceptions + clause.refs for n in t.items}
            target = None
            order = [*range(index - 1, -1, -1), *range(index + 1, len(self.clauses))]
            for position in order:
                if claims.get(position):
                    target = claims[position][-1]
                    break
            if target is None or not numbers:
                raise self.refuse("an exception with nothing to except", clause.tokens)
            target.exceptions |= numbers
            target.words = self.quote()
            note = self._trailing(clause.tokens)
            if note:
                target.exception_notes.append(note)

    def _verbs_without_items(self, claims: dict[int, list[Claim]], owner: dict[int, int]) -> None:
        """An instruction with no items: harmless next to the same decision, else refused."""
        used = set(owner.values())
        last: Claim | None = None
        for index, clause in enumerate(self.clauses):
            if claims.get(index):
                last = claims[index][-1]
            if clause.action is None or index in claims or index in used:
                continue
            if clause.polite:
                continue
            strong = any(t.kind == "verb" and t.strength == "strong" for t in clause.tokens)
            if last is not None and last.action in ("change", "reject") and not strong:
                # "change 3: 要大一点的", "reject 2 - she would love a bigger one": words of
                # the note; a rejection or a change request cannot turn into a purchase.
                clause.action = None
                continue
            if last is not None and last.action == clause.action and _content(clause.tokens):
                clause.action = None  # "修改4：换成M码": more words of the same decision
                continue
            near = claims.get(index - 1, []) + claims.get(index + 1, [])
            if any(claim.action == clause.action for claim in near):
                continue
            strengths = {t.strength for t in clause.tokens if t.kind == "verb"}
            negated = any(t.kind == "neg" for t in clause.tokens)
            before = claims.get(index - 1, [])
            if not negated and strengths <= {"praise", "yes"} and claims and not before:
                continue  # "Lovely, approve 1"
            word = next(t for t in clause.tokens if t.kind in ("verb", "neg"))
            raise self.refuse(
                f"{word.text!r} is not tied to an item, or contradicts the decision next to it",
                clause.tokens,
            )

    def _notes(self, claims: dict[int, list[Claim]], owner: dict[int, int]) -> None:
        """Clauses with no items and no instruction are notes to the decision before them."""
        last: Claim | None = None
        for index, clause in enumerate(self.clauses):
            if claims.get(index):
                last = claims[index][-1]
                continue
            if clause.refs or clause.exception_marker or index in owner or clause.action:
                continue
            if not _content(clause.tokens) or clause.about:
                continue  # an item's own context ("she already has a music stand") stays out
            if clause.separator == "but":
                raise self.refuse(
                    f"{self.quote(clause.tokens)!r} after a contrast may change the decision "
                    "before it",
                    clause.tokens,
                )
            kinds = {t.kind for t in clause.tokens}
            if last is None:
                if kinds & {"neg", "pronoun", "cue", "doubt", "or"}:
                    raise self.refuse(
                        f"{self.quote(clause.tokens)!r} cannot be tied to a decision",
                        clause.tokens,
                    )
                continue
            # Words after "all but 2" are about item 2, which is rejected.
            action = "reject" if last.exceptions else last.action
            self._check_note(action, clause.tokens)
            if action == "approve" and kinds & {"neg", "doubt", "or"}:
                raise self.refuse(
                    f"{self.quote(clause.tokens)!r} next to an approval may take it back or set "
                    "a condition",
                    clause.tokens,
                )
            note = self.quote(clause.tokens)
            (last.exception_notes if last.exceptions else last.notes).append(note)
            last.tokens = last.tokens + clause.tokens
            last.words = self.quote(last.tokens)


# -- small helpers --------------------------------------------------------------------------


def _has_ref(tokens: list[Token]) -> bool:
    return any(t.kind in ("ref", "badref") for t in tokens)


def _verbish(tokens: list[Token]) -> bool:
    return any(t.kind in ("verb", "neg") for t in tokens)


def _is_all(token: Token) -> bool:
    return token.kind == "ref" and token.strength in ("all", "both")


def _is_content(token: Token) -> bool:
    """A token that says something beyond the decision itself."""
    return token.kind in (
        "word", "cue", "doubt", "count", "pronoun", "numx", "url", "or", "unit", "size", "month"
    )  # fmt: skip


def _content(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if _is_content(t)]


def _as_word(token: Token, kind: str = "word") -> Token:
    return Token(kind, token.text, token.line, token.start, token.end)


def _units(tokens: list[Token]) -> list[tuple[int, int]]:
    """Runs of instruction words and negations (fillers may sit inside): (first, last)."""
    units: list[tuple[int, int]] = []
    start = end = None
    for index, token in enumerate(tokens):
        if token.kind in ("verb", "neg"):
            if start is None:
                start = index
            end = index
        elif token.kind in ("filler", "item", "courtesy", "too", "name") and start is not None:
            continue
        elif start is not None and end is not None:
            units.append((start, end))
            start = end = None
    if start is not None and end is not None:
        units.append((start, end))
    return units


def _ref_run(tokens: list[Token], index: int, step: int) -> list[int]:
    """Positions of the item references right next to `index`, with "and" and fillers."""
    found: list[int] = []
    while 0 <= index < len(tokens):
        token = tokens[index]
        if token.kind in ("ref", "badref"):
            found.append(index)
        elif token.kind not in ("and", "filler", "item", "too"):
            break
        index += step
    return found


def _named(refs: list[Token]) -> str:
    numbers = sorted({n for t in refs for n in t.items})
    if not numbers:
        return repr(refs[0].text) if refs else "an item"
    if len(numbers) == 1:
        return f"item {numbers[0]}"
    return "items " + ", ".join(map(str, numbers))


def _word_of(verbs: list[Token], action: str) -> str:
    return next((t.text for t in verbs if t.action == action), action)


# How the shopper's messages name each action.
KIND = {"approve": "an approval", "reject": "a rejection", "change": "a change request"}
PAST = {"approve": "approved", "reject": "rejected", "change": "asked to be changed"}
