"""Reading a client's answer to the follow-up: "1 loved: wears it every day", "disliked 2".

The grammar is small and strict on purpose: a reply is recorded in full or refused in full,
never misread. The rules, so a shopper can predict what happens:

- Reading stops where the quoted mail begins: a line "On … wrote:" in any of the document
  languages (also wrapped over two lines), an Outlook header block (From: followed by Sent: or
  Date:, localized), a separator such as "-----Original Message-----" (any words between
  dashes), a rule of underscores, or a signature separator (`--`). Lines starting with `>`
  are skipped.
- Lines that repeat the follow-up as it was sent are skipped (the follow-up keeps a
  fingerprint of each of its lines, see `fingerprint`), and listed as such.
- An answer names item numbers and one verdict word, in either order, with an optional note
  after a colon or a dash: `1 loved`, `#2: disliked - too small`, `3. returned`,
  `liked 4 and 5`, `1-3 liked`, `1 ja 3 tykkäsi`, `2号不喜欢：太小了`. Item numbers and ranges
  are read as the proposal reader reads them (`proposing.reply_reading.ITEM_REFERENCE`:
  `#2`, `№ 2`, `2nd`, `1-3`; a number above 999 or starting with 0 is none). Several answers
  may share a line, separated by `;` or by a comma (`1 loved, 3 disliked`). Verdict words per
  language are in KEYWORDS; English always counts, and the client's language adds its own. A
  pronoun may follow the verdict (`1 loved it`).
- One line starting with the recommendation word and a colon (`Recommendation: …`) is the
  client's recommendation, kept as written.
- Any other line is prose (greetings, thanks) and is skipped, but listed. Except: a line
  that holds a digit or a verdict word anywhere might be an answer we cannot read, and
  refuses the whole reply, naming the line. So does an item answered twice.

The mail-reading part (`answer_lines`) is kept apart from the grammar so that it can be
shared with the proposal reader.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache

# Item numbers, and the refusal of a line that cannot be read, as the proposal reader has them.
from shopcli.proposing.reply_reading import ITEM_REFERENCE, UnreadableReply, referred_items

VERDICTS = ("loved", "liked", "disliked", "returned")

# Verdict phrases per language (matched case-insensitively as whole words; spaces inside a
# phrase may be any run of spaces), "and" between item numbers, pronouns that may follow a
# verdict, and the word that starts a recommendation line. The first phrase of each verdict
# is the one the follow-up shows. A phrase that begins with a negation ("did not like") is
# read whole: "not" before any other verdict is not understood, and refuses the reply.
KEYWORDS: dict[str, dict[str, list[str]]] = {
    "en": {
        "loved": ["loved", "adored", "adores"],
        "liked": ["liked"],
        "disliked": [
            "disliked",
            "did not like",
            "didn't like",
            "didn’t like",
            "does not like",
            "doesn't like",
            "doesn’t like",
        ],
        "returned": ["returned", "sent back"],
        "and": ["and", "&"],
        "pronoun": ["it", "them"],
        "recommendation": ["recommendation"],
    },
    "fi": {
        "loved": ["ihastui", "ihastuivat", "rakasti", "rakastaa", "tykkäsi kovasti"],
        "liked": ["tykkäsi", "tykkäsivät", "tykkää"],
        "disliked": ["ei tykännyt", "eivät tykänneet", "ei tykkää", "ei pitänyt"],
        "returned": ["palautettu", "palautettiin", "palautti", "palautus"],
        "and": ["ja", "sekä"],
        "pronoun": ["siitä", "niistä", "sitä", "niitä"],
        "recommendation": ["suositus"],
    },
    "pl": {
        "loved": [
            "bardzo się podoba",
            "bardzo się podobał",
            "bardzo się podobała",
            "bardzo się podobało",
            "zachwycona",
            "zachwycony",
            "zachwyceni",
            "uwielbia",
        ],
        "liked": [
            "podoba się",
            "podobał się",
            "podobała się",
            "podobało się",
            "spodobał się",
            "spodobała się",
            "spodobało się",
            "lubi",
        ],
        "disliked": [
            "nie podoba się",
            "nie podobał się",
            "nie podobała się",
            "nie podobało się",
            "nie spodobał się",
            "nie spodobała się",
            "nie spodobało się",
            "nie lubi",
        ],
        "returned": ["zwrot", "zwrócony", "zwrócona", "zwrócone", "oddany", "oddana"],
        "and": ["i", "oraz"],
        "pronoun": ["go", "ją", "je"],
        "recommendation": ["rekomendacja", "polecenie"],
    },
    "hu": {
        "loved": ["imádta", "imádja", "imádták", "nagyon tetszett"],
        "liked": ["tetszett", "tetszik", "örült neki"],
        "disliked": ["nem tetszett", "nem tetszik", "nem örült neki"],
        "returned": ["visszaküldve", "visszaküldtük", "visszavittük", "visszaadva"],
        "and": ["és", "meg"],
        "pronoun": ["neki", "nekik"],
        "recommendation": ["ajánlás"],
    },
    "ru": {
        "loved": [
            "в восторге",
            "обожает",
            "очень понравилось",
            "очень понравился",
            "очень понравилась",
            "очень понравились",
        ],
        "liked": ["понравилось", "понравился", "понравилась", "понравились", "нравится"],
        "disliked": [
            "не понравилось",
            "не понравился",
            "не понравилась",
            "не понравились",
            "не нравится",
        ],
        "returned": ["возврат", "вернули", "возвращено", "возвращён", "возвращен"],
        "and": ["и"],
        "pronoun": ["ей", "ему", "им"],
        "recommendation": ["рекомендация", "отзыв"],
    },
    "uk": {
        "loved": [
            "у захваті",
            "в захваті",
            "дуже сподобалося",
            "дуже сподобалось",
            "дуже сподобався",
            "дуже сподобалася",
            "обожнює",
        ],
        "liked": [
            "сподобалося",
            "сподобалось",
            "сподобався",
            "сподобалася",
            "сподобалися",
            "сподобались",
            "подобається",
        ],
        "disliked": [
            "не сподобалося",
            "не сподобалось",
            "не сподобався",
            "не сподобалася",
            "не сподобалися",
            "не сподобались",
            "не подобається",
        ],
        "returned": ["повернення", "повернули", "повернуто"],
        "and": ["і", "й", "та"],
        "pronoun": ["їй", "йому", "їм"],
        "recommendation": ["рекомендація", "відгук"],
    },
    "zh": {
        "loved": ["很喜欢", "非常喜欢", "特别喜欢", "超喜欢", "爱不释手"],
        "liked": ["喜欢", "满意", "不错", "还不错"],
        "disliked": ["不喜欢", "不太喜欢", "不满意"],
        "returned": ["退货", "已退货", "退了", "已退"],
        "and": ["和", "与", "及"],
        "pronoun": [],
        "recommendation": ["推荐", "评价"],
    },
}
# Most item numbers one answer may name: a slip must not fan out over a whole job.
MAX_NUMBERS = 50

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# "2号": the Chinese counter after an item number.
_NUMBER_MARK = re.compile(r"\s*[号號]")
_BULLET = re.compile(r"^(?:[*•·]\s+|-\s+)+")
# What may stand between item numbers and the verdict: "1 loved", "1. loved", "1) loved",
# "1: loved", "1 - loved", "#1 – loved".
_GAP = re.compile(r"\s*[.):：\-–—]?\s*")
# Where a note starts after an answer: a colon, a comma, or a dash with a space before it.
_NOTE = re.compile(r"\s*[:：,，]\s*|\s+[-–—]\s*|\s*[–—]\s+")
_TRAILING = re.compile(r"[\s.!。！]*")
_VERDICT_GAP = re.compile(r"\s*[:：\-–—]?\s*")
_BETWEEN_NUMBERS = re.compile(r"\s*[,，、]\s*|\s+")
# Between two answers on a line, besides `;`: "1 loved, 3 disliked".
_NEXT_ANSWER = re.compile(r"\s*[,，、]\s*")


@dataclass(frozen=True)
class Answer:
    """One understood answer: a verdict on some item numbers, with the client's note."""

    verdict: str
    numbers: tuple[int, ...]
    note: str | None = None
    line: int = 0
    text: str = ""


@dataclass
class Reply:
    """What a reply said: the answers, the client's recommendation (line, text) if any, and
    the lines skipped (line, text, why: "prose", "quoted" or "repeated from the follow-up")."""

    answers: list[Answer] = field(default_factory=list)
    recommendation: tuple[int, str] | None = None
    skipped: list[tuple[int, str, str]] = field(default_factory=list)


# -- the words ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """One language's words (with English), compiled: `verdict` matches a verdict phrase (at a
    position, or searched anywhere), `and_`, `pronoun` and `recommendation` likewise."""

    meaning: dict[str, str]  # phrase (spaces normalized, case-folded) -> verdict
    shown: str  # the verdict words a refusal names: "loved, liked, … (or ihastui, …)"
    verdict: re.Pattern[str]
    and_: re.Pattern[str]
    pronoun: re.Pattern[str] | None
    recommendation: re.Pattern[str]


def _alternatives(phrases: list[str]) -> str:
    """A regex matching any phrase as whole words (longest first: "not liked" before "liked")."""
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        body = r"\s+".join(re.escape(word) for word in phrase.split())
        if _CJK.search(phrase):
            parts.append(body)  # Chinese needs no spaces around words
        else:
            parts.append(rf"(?<![^\W\d_]){body}(?![^\W\d_])")
    return "|".join(parts)


@cache
def words(language: str | None = "en") -> Words:
    codes = ["en"] + ([language.lower()] if language and language.lower() != "en" else [])
    table: dict[str, list[str]] = {}
    for code in codes:
        for key, phrases in KEYWORDS.get(code, {}).items():
            table.setdefault(key, []).extend(phrases)
    meaning = {
        _normal(phrase): verdict for verdict in VERDICTS for phrase in table.get(verdict, [])
    }
    every = [phrase for verdict in VERDICTS for phrase in table.get(verdict, [])]
    flags = re.IGNORECASE
    pronouns = table.get("pronoun") or []
    own = example_words(language)
    shown = ", ".join(KEYWORDS["en"][verdict][0] for verdict in VERDICTS)
    if own["loved"] != KEYWORDS["en"]["loved"][0]:
        shown += f" (or {', '.join(own[verdict] for verdict in VERDICTS)})"
    return Words(
        meaning,
        shown,
        re.compile(f"(?:{_alternatives(every)})", flags),
        re.compile(rf"\s*(?:{_alternatives(table['and'])})\s*", flags),
        re.compile(rf"\s+(?:{_alternatives(pronouns)})", flags) if pronouns else None,
        re.compile(rf"^(?:{_alternatives(table['recommendation'])})\s*[:：]\s*", flags),
    )


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def example_words(language: str | None = "en") -> dict[str, str]:
    """The words a follow-up shows: the first phrase of each verdict in the client's language
    (English without one), and the recommendation word."""
    code = (language or "en").lower()
    own = KEYWORDS.get(code) or KEYWORDS["en"]
    return {key: (own.get(key) or KEYWORDS["en"][key])[0] for key in (*VERDICTS, "recommendation")}


def fingerprint(line: str) -> str:
    """A line of a sent follow-up as kept to recognise it in the reply (spaces and case
    aside): a short hash, so the event log keeps no words of it."""
    return hashlib.sha256(_normal(line).encode("utf-8")).hexdigest()[:16]


# -- the mail around the answer -------------------------------------------------------------


def answer_lines(
    text: str, language: str | None = "en"
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The lines the client wrote, numbered from 1 and stripped, up to where the quoted mail
    starts; and the quoted lines (`>`) skipped before that. Found by the same reader as the
    answers to a proposal (`proposing.reply_quotes`: attributions, header blocks, separators
    and signatures in every language)."""
    from shopcli.proposing.reply_quotes import depth, own_words

    found = own_words(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = [(line.number, line.text) for line in found.lines]
    quoted = [
        (number, raw.strip())
        for number, raw in enumerate(lines[: found.cut], start=1)
        if depth(raw) and raw.strip()
    ]
    return kept, quoted


# -- the answers ----------------------------------------------------------------------------


def parse(text: str, language: str | None = "en", *, sent: frozenset[str] = frozenset()) -> Reply:
    """Read a whole reply; raise UnreadableReply naming the first line that cannot be read.

    `sent`: fingerprints of the follow-up's lines, skipped when the reply repeats them.
    """
    found = words(language)
    reply = Reply()
    lines, quoted = answer_lines(text, language)
    reply.skipped.extend((number, line, "quoted") for number, line in quoted)
    seen: dict[int, int] = {}
    for number, line in lines:
        if sent and fingerprint(line) in sent:
            reply.skipped.append((number, line, "repeated from the follow-up"))
            continue
        recommended = found.recommendation.match(line)
        if recommended:
            said = line[recommended.end() :].strip()
            if said:
                if reply.recommendation is not None:
                    said = f"{reply.recommendation[1]}\n{said}"
                    number_of = reply.recommendation[0]
                else:
                    number_of = number
                reply.recommendation = (number_of, said)
            continue
        answers: list[Answer] = []
        for piece in re.split(r"[;；]", line):
            piece = _BULLET.sub("", piece.strip()).strip()
            while piece:
                read = _answer(piece, found, number, line)
                if read is None:
                    break
                answer, piece = read  # what is left: the next answer after a comma, or ""
                answers.append(answer)
            if not piece:
                continue
            _refuse_prose(piece, found, number, line)
            if answers:
                # "1 loved; she wears it every day": more of that answer's note.
                last = answers[-1]
                note = f"{last.note}; {piece}" if last.note else piece
                answers[-1] = Answer(last.verdict, last.numbers, note, last.line, last.text)
            else:
                reply.skipped.append((number, piece, "prose"))
        for answer in answers:
            for item in answer.numbers:
                if item in seen:
                    where = f"line {seen[item]}" if seen[item] != number else "this line"
                    raise UnreadableReply(
                        number, line, f"item {item} is answered twice (also on {where})"
                    )
                seen[item] = number
            reply.answers.append(answer)
    return reply


def _item_numbers(text: str, position: int, line: int, full: str) -> tuple[list[int], int] | None:
    """The items one number or range at a position names ("2", "#2", "2号", "1-3"), and where
    it ends; None when no item number starts there. A range that is none refuses the reply."""
    match = ITEM_REFERENCE.match(text, position)
    if match is None or match.lastgroup is None:
        return None
    try:
        items = referred_items(match.lastgroup, match.group())
    except ValueError as exc:
        raise UnreadableReply(line, full, str(exc)) from None
    if items is None:
        return None
    marked = _NUMBER_MARK.match(text, match.end())
    return sorted(items), marked.end() if marked else match.end()


def _numbers(text: str, position: int, found: Words, line: int, full: str) -> tuple[list[int], int]:
    """Item numbers from a position ("1", "1, 3", "1 and 3", "#2", "1、3", "1-3"), and where
    they end."""
    numbers: list[int] = []
    while True:
        read = _item_numbers(text, position, line, full)
        if read is None:
            break
        numbers.extend(read[0])
        position = read[1]
        for joiner in (_BETWEEN_NUMBERS, found.and_):
            joined = joiner.match(text, position)
            if joined and _item_numbers(text, joined.end(), line, full) is not None:
                position = joined.end()
                break
        else:
            break
    return numbers, position


def _starts_answer(text: str, found: Words, line: int, full: str) -> bool:
    return _item_numbers(text, 0, line, full) is not None or bool(found.verdict.match(text))


def _answer(piece: str, found: Words, line: int, text: str) -> tuple[Answer, str] | None:
    """Read the answer a piece starts with, and return it with what follows it (the next
    answer after a comma, or nothing); None when the piece is not one (no leading number or
    verdict). A piece that starts like an answer but cannot be read refuses the reply."""
    example = f"e.g. 1 {example_words('en')['loved']}: a note"
    written = ITEM_REFERENCE.match(piece)
    if written and _item_numbers(piece, 0, line, text) is None:
        raise UnreadableReply(
            line,
            text,
            f"{written.group()!r} is not an item number; write the number the follow-up "
            f"gives the gift, {example}",
        )
    if written:
        numbers, position = _numbers(piece, 0, found, line, text)
        gap = _GAP.match(piece, position)
        position = gap.end() if gap else position
        verdict = found.verdict.match(piece, position)
        if not verdict:
            raise UnreadableReply(
                line,
                text,
                f"after the item number comes one verdict word: {found.shown}; then an "
                f"optional note after a colon, {example}",
            )
        position = verdict.end()
    else:
        verdict = found.verdict.match(piece)
        if not verdict:
            return None
        gap = _VERDICT_GAP.match(piece, verdict.end())
        position = gap.end() if gap else verdict.end()
        numbers, position = _numbers(piece, position, found, line, text)
        if not numbers:
            raise UnreadableReply(
                line, text, f"which gift? write its number with the verdict, {example}"
            )
    if found.pronoun is not None:
        pronoun = found.pronoun.match(piece, position)
        if pronoun:
            position = pronoun.end()
    if len(numbers) > MAX_NUMBERS:
        raise UnreadableReply(line, text, f"more than {MAX_NUMBERS} item numbers in one answer")
    meaning = found.meaning[_normal(verdict.group())]
    rest = piece[position:]
    following = _NEXT_ANSWER.match(rest)
    if following and _starts_answer(rest[following.end() :], found, line, text):
        # "1 loved, 3 disliked": two answers, as a proposal reads "1 approve, 3 reject".
        answer = Answer(meaning, tuple(dict.fromkeys(numbers)), None, line, piece[:position])
        return answer, rest[following.end() :]
    note = None
    if not _TRAILING.fullmatch(rest):
        lead = _NOTE.match(rest)
        if not lead or rest[: lead.start()].strip():
            raise UnreadableReply(
                line,
                text,
                f"cannot read {rest.strip()!r} after the answer; put a note after a colon, "
                f"{example}",
            )
        note = rest[lead.end() :].strip() or None
        if note and (
            _starts_answer(note, found, line, text)
            or (re.search(r"\d", note) and found.verdict.search(note))
        ):
            raise UnreadableReply(
                line,
                text,
                "the note reads like another answer; write one answer per line (or separate "
                "them with ; or a comma)",
            )
    return Answer(meaning, tuple(dict.fromkeys(numbers)), note, line, piece), ""


def _refuse_prose(piece: str, found: Words, line: int, text: str) -> None:
    """Refuse a line that is not an answer but might be one: it has a digit or a verdict."""
    mentioned = found.verdict.search(piece)
    if mentioned:
        raise UnreadableReply(
            line,
            text,
            f"it mentions {mentioned.group()!r} but is not an answer line; start the line with "
            "the item number (1 loved: a note), or put a recommendation after "
            f"'{example_words('en')['recommendation'].capitalize()}:'",
        )
    if re.search(r"\d", piece):
        raise UnreadableReply(
            line,
            text,
            "it holds a number but is not an answer line (1 loved: a note); remove the line "
            "or write it as an answer",
        )
