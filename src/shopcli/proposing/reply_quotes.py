"""Finding the client's own words in a reply: everything quoted, forwarded or signed is set
aside, whatever mail program wrote it and in whatever language.

Quoted material is recognised by its shape:

- lines starting with `>` (any depth; HTML `<blockquote>` is turned into the same);
- an attribution line, "On <date>, <name> wrote:" and its forms in other languages and mail
  programs, also wrapped over two or three lines: everything below it is quoted, unless `>`
  quotes follow it (then the client may answer between the quoted lines);
- a header block without `>` (Outlook: From/Sent/To/Subject and their translations);
- separators: "-----Original Message-----" in any language, `____` rules, "Begin forwarded
  message:";
- signatures: a `-- ` line, "Sent from my iPhone" and its translations, and the lines after a
  sign-off ("Best,", "Pozdrawiam") when they hold no instruction;
- a line starting with "Example:" in any language (the proposal's own examples);
- and, whatever marks it or not, any line that repeats a line of the proposal as sent.

A line of the client's that follows a quoted item line of the proposal ("> 2. Cat-ear
knitting kit") carries that item as its context: "No - she has one" under it is an answer to
item 2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

# The words mail programs put before ":" in an attribution line ("… wrote:").
WROTE = (
    r"wrote|writes|sent|kirjoitti|napisał\(a\)|napisała|napisał|napisal|napisana|pisze|"
    r"írta|irta|пишет|написал\(а\)|написала|написал|пише|написав\(ла\)|написав|написала|"
    r"写道|寫道|a écrit|schrieb|escribió|ha scritto|schreef|skrev"
)
# Where an attribution line may begin (to split it from text typed on the same line).
ATTRIBUTION_START = r"On|W dniu|Dnia|Le|El|Am|Op|Il|Em|在"
FROM_LABELS = (
    "from", "lähettäjä", "od", "feladó", "от", "від", "发件人", "寄件者", "寄件人", "von", "de",
    "van", "da", "fra", "från",
)  # fmt: skip
OTHER_LABELS = (
    "sent", "date", "to", "cc", "subject", "lähetetty", "päivämäärä", "vastaanottaja", "kopio",
    "aihe", "wysłano", "wysłane", "data", "do", "dw", "temat", "elküldve", "dátum", "címzett",
    "másolatot kap", "tárgy", "másolat", "отправлено", "дата", "кому", "копия", "тема",
    "надіслано", "відправлено", "копія", "发送时间", "日期", "时间", "收件人", "抄送", "主题",
    "主旨", "寄件日期", "gesendet", "an", "betreff", "envoyé", "à", "objet", "sendt", "til",
    "emne",
)  # fmt: skip
# "Original Message" and "Forwarded message" lines, with or without dashes around them.
SEPARATOR_WORDS = (
    "original message", "reply message", "forwarded message", "begin forwarded message",
    "alkuperäinen viesti", "välitetty viesti", "edelleenlähetetty viesti",
    "oryginalna wiadomość", "wiadomość oryginalna", "przekazana wiadomość",
    "początek przekazanej wiadomości", "eredeti üzenet", "továbbított üzenet",
    "továbbított levél", "исходное сообщение", "пересылаемое сообщение",
    "пересланное сообщение", "начало переадресованного сообщения", "вихідне повідомлення",
    "початкове повідомлення", "оригінальне повідомлення", "переслане повідомлення",
    "початок пересланого повідомлення", "原始邮件", "原始郵件", "转发邮件", "转发的邮件",
    "開始轉寄郵件", "ursprüngliche nachricht", "message d'origine",
)  # fmt: skip
MOBILE = re.compile(
    r"^(sent from|sent via|sent with|sent using|sent on the go|get outlook for|"
    r"lähetetty (minun |mun )?\S*|wysłane z|wysłano z|wysłane przy|pobierz (aplikację )?outlook|"
    r"отправлено (с|из|со)|надіслано (з|із)|відправлено (з|із)|发自|来自我的|从我的|"
    r"az? \S*(ról|ről) küldve|\S*(ról|ről) küldve|elküldve (az? )?\S*(ról|ről)|"
    r"küldve (az? )?\S*(ról|ről)|mobilról küldve)",
    re.IGNORECASE,
)
SIGN_OFFS = (
    "best", "best wishes", "best regards", "regards", "kind regards", "warm regards",
    "cheers", "thanks", "thank you", "many thanks", "thanks again", "all the best", "love",
    "xx", "xoxo", "br", "yours", "sincerely", "thanks so much", "thank you so much",
    "terveisin", "ystävällisin terveisin", "parhain terveisin", "t", "terv", "kiitos",
    "kiitos paljon", "kiittäen", "hyvää päivänjatkoa", "pozdrawiam", "pozdrowienia",
    "serdecznie pozdrawiam", "z poważaniem", "dziękuję", "dzięki", "pozdr", "miłego dnia",
    "üdvözlettel", "üdv", "üdvözlet", "köszönöm", "köszönettel", "szép napot", "tisztelettel",
    "puszi", "с уважением", "спасибо", "всего доброго", "всего хорошего", "до свидания",
    "пока", "с наилучшими пожеланиями", "благодарю", "з повагою", "дякую", "щиро",
    "всього найкращого", "до побачення", "谢谢", "祝好", "此致", "敬礼", "此致敬礼", "顺祝商祺",
    "多谢", "感谢",
)  # fmt: skip
# How far below a quoted item line the client's answer to it may start (the item's details:
# store, link, size, price …); further down it is an answer to the whole message.
CONTEXT_REACH = 7


@dataclass(frozen=True)
class SentProposal:
    """What the client was sent: its lines (normalised) and the items by number."""

    lines: frozenset[str] = frozenset()
    items: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OwnLine:
    """One line of the client's own words; `context` is the item quoted just above it."""

    number: int
    text: str
    context: int | None = None


@dataclass
class Words:
    """The client's own lines, and what was set aside."""

    lines: list[OwnLine]
    quoted: int = 0
    # Where the quoted mail starts (its line index): nothing from there on is the client's.
    cut: int = 0
    # Lines inside an unmarked quote of the proposal that the proposal never held: they may
    # be answers written into the quote (Outlook); the reader refuses if one reads as one.
    inside: list[OwnLine] = field(default_factory=list)


def normalise(line: str) -> str:
    """A line as compared with the proposal: no quote marks, case, punctuation or spacing."""
    text = re.sub(r"^[\s>]+", "", line)
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def depth(line: str) -> int:
    """How many `>` quote the line ("> > x" and ">> x" are both two)."""
    found = re.match(r"^[ \t]*((?:>[ \t]?)+)", line)
    return found.group(1).count(">") if found else 0


def unquoted(line: str) -> str:
    return re.sub(r"^[ \t]*(?:>[ \t]?)+", "", line)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    labels = "|".join(re.escape(label) for label in (*FROM_LABELS, *OTHER_LABELS))
    separators = "|".join(re.escape(words) for words in SEPARATOR_WORDS)
    return {
        "wrote": re.compile(rf"(?:^|[\s,)>])(?:{WROTE})\s*(?:\([^)]*\))?\s*[:：]\s*$", re.I),
        "cjk_wrote": re.compile(r"(写道|寫道)\s*[:：]\s*$"),
        "address": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|<[^>\s]*@[^>\s]*>?"),
        "ends_colon": re.compile(r"[:：]\s*$"),
        "embedded": re.compile(
            rf"^(?P<own>.*\S)\s+(?P<attr>(?:{ATTRIBUTION_START})\s.{{6,250}}?"
            rf"(?:{WROTE})\s*[:：])\s*$"
        ),
        "label": re.compile(rf"^\s*[*_]*\s*({labels})\s*[*_]*\s*[:：]", re.IGNORECASE),
        "separator": re.compile(
            rf"^\s*[-_=—–─*~]*\s*(?:{separators})\s*[:：]?\s*[-_=—–─*~]*\s*$", re.IGNORECASE
        ),
        "framed": re.compile(r"^\s*[-_=—–─~]{3,}\s*\S.{0,60}?\s*[-_=—–─~]{3,}\s*$"),
        "rule": re.compile(r"^\s*(?:_{6,}|[-=—–─~]{8,}|[*]{8,})\s*$"),
        "sign_off": re.compile(
            r"^\s*(?:"
            + "|".join(re.escape(word) for word in sorted(SIGN_OFFS, key=len, reverse=True))
            + r")\s*[,.!:)]*\s*(?:[^\W\d_]+\.?\s*){0,2}[,.!]*\s*$",
            re.IGNORECASE,
        ),
        "postscript": re.compile(r"^\s*p\.?\s?p?\.?\s?s\.?\s*[:.,\-–]?\s", re.IGNORECASE),
        "item": re.compile(r"^\s*#?(\d{1,4})\s*[.)]\s+(.+)$"),
    }


def _is_attribution(text: str) -> bool:
    """Whether a (joined) line says who wrote the quoted message and when."""
    if len(text) > 400 or not _patterns()["ends_colon"].search(text):
        return False
    # A date or a time, not any digit: "1 loved: she wrote:" is an answer, not who wrote.
    has_digit = bool(re.search(r"\d{4}|\d{1,2}:\d\d|\d{1,2}[./-]\d{1,2}", text))
    has_address = bool(_patterns()["address"].search(text))
    if _patterns()["wrote"].search(text) or _patterns()["cjk_wrote"].search(text):
        return has_digit or has_address or bool(re.match(rf"\s*(?:{ATTRIBUTION_START})\s", text))
    return has_address and has_digit


def _header_block(lines: list[str], start: int) -> bool:
    """Whether an Outlook-style header block (From/Sent/To/Subject …) starts at this line."""
    first = _patterns()["label"].match(lines[start])
    if not first:
        return False
    labels = {first.group(1).casefold()}
    for line in lines[start + 1 : start + 8]:
        found = _patterns()["label"].match(line)
        if found:
            labels.add(found.group(1).casefold())
    has_from = bool(labels & set(FROM_LABELS))
    return len(labels) >= 2 and (has_from or bool(labels & {"date", "sent", "дата", "data"}))


def _cut_kind(lines: list[str], index: int) -> tuple[str, int] | None:
    """Whether quoted or signature material starts at this line: (kind, lines it spans)."""
    line = lines[index]
    stripped = line.strip()
    if line.rstrip("\r\n") in ("--", "-- ") or stripped in ("--", "—", "-- "):
        return "signature", 1
    if MOBILE.match(stripped) and len(stripped) <= 80:
        return "signature", 1
    patterns = _patterns()
    if patterns["separator"].match(stripped) or patterns["rule"].match(stripped):
        return "separator", 1
    if patterns["framed"].match(stripped) and re.search(r"[^\W\d_]", stripped):
        return "separator", 1
    if _header_block(lines, index):
        return "header", 1
    for size in (1, 2, 3):
        chunk = lines[index : index + size]
        if len(chunk) < size or any(not part.strip() or depth(part) for part in chunk):
            break
        if size > 1:
            # Wrapped: the first line starts the attribution (a date, a time, "On …"), and no
            # later line is a whole attribution itself ("approve 1" above "On …, X wrote:").
            if not re.search(rf"\d{{4}}|\d:\d\d|^\s*(?:{ATTRIBUTION_START})\s", chunk[0]):
                break
            starts = rf"\s*(?:{ATTRIBUTION_START})\s|\s*\d"
            if any(_is_attribution(part) and re.match(starts, part) for part in chunk[1:]):
                break
        if _is_attribution(" ".join(part.strip() for part in chunk)):
            return "attribution", size
    return None


def own_words(
    text: str,
    sent: SentProposal | None = None,
    instruction: object = None,
) -> Words:
    """The client's own lines of a reply (numbered as in `text`), quoted material set aside.

    `instruction(line) -> bool` says whether a line holds an instruction word: the lines
    after a sign-off are a signature only when none does.
    """
    sent = sent or SentProposal()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [line.replace("\u00a0", " ").rstrip() for line in lines]
    # Text typed on the same line as an attribution ("ok reply On …, X wrote:").
    for index, line in enumerate(lines):
        if depth(line):
            continue
        embedded = _patterns()["embedded"].match(line)
        if embedded and _is_attribution(embedded.group("attr")):
            lines[index] = embedded.group("own")
            lines.insert(index + 1, embedded.group("attr"))
            break
    quoted = [depth(line) > 0 for line in lines]
    cut = len(lines)
    cut_kind = None
    index = 0
    while index < len(lines):
        if quoted[index] or not lines[index].strip():
            index += 1
            continue
        found = _cut_kind(lines, index)
        if found is None:
            index += 1
            continue
        kind, size = found
        if kind == "attribution":
            following = next((i for i in range(index + size, len(lines)) if lines[i].strip()), None)
            if following is not None and quoted[following]:
                # "> " quotes follow: answers may sit between them; only this line is set aside.
                for position in range(index, index + size):
                    quoted[position] = True
                index += size
                continue
        cut, cut_kind = index, kind
        break
    repeated: list[int] = []
    for index in range(cut):
        if quoted[index]:
            continue
        content = lines[index].strip()
        if not content:
            continue
        if _labelled(content):
            quoted[index] = True
        elif _repeats(content, sent):
            repeated.append(index)
    # A line that repeats the proposal is quoted when it sits among quoted lines; alone, it
    # is the client's own ("全部同意。" is an answer even if the proposal shows those words).
    marked = set(repeated)
    for index in repeated:
        if _beside(lines, index, -1, quoted, marked) or _beside(lines, index, +1, quoted, marked):
            quoted[index] = True
    _set_aside_signature(lines, quoted, cut, instruction)
    own: list[OwnLine] = []
    context: int | None = None
    since = 0
    in_quote = False
    for index in range(cut):
        line = lines[index]
        if quoted[index]:
            if not in_quote:
                context, since, in_quote = None, 0, True
            item = _item_line(unquoted(line), sent)
            if item is not None:
                context, since = item, 0
            elif unquoted(line).strip():
                since += 1
            continue
        if not line.strip():
            continue
        if in_quote:
            in_quote = False
            if since > CONTEXT_REACH:
                context = None
        own.append(OwnLine(index + 1, line.strip(), context))
    words = Words(own, quoted=sum(quoted[:cut]) + (len(lines) - cut), cut=cut)
    if cut_kind in ("header", "separator", "attribution"):
        words.inside = _inside_the_quote(lines, cut, sent)
    return words


def _beside(lines: list[str], index: int, step: int, quoted: list[bool], marked: set[int]) -> bool:
    """Whether the nearest non-blank line in one direction is quoted material too."""
    position = index + step
    while 0 <= position < len(lines):
        if lines[position].strip():
            return quoted[position] or position in marked
        position += step
    return False


def _labelled(content: str) -> bool:
    """Whether a line is one of the proposal's examples ("Example: approve 1, 3")."""
    from shopcli.proposing.reply_words import example_labels

    first = re.match(r"([^\W\d_]+)\s*[:：]", content.strip().casefold())
    return first is not None and first.group(1) in example_labels()


def _repeats(content: str, sent: SentProposal) -> bool:
    """Whether a line repeats a line of the proposal (or, if long, a part of one)."""
    if not sent.lines:
        return False
    line = normalise(content)
    if len(line) < 3:
        return False
    if line in sent.lines:
        return True
    if len(line) >= 20:
        padded = f" {line} "
        return any(padded in f" {known} " for known in sent.lines if len(known) >= len(line))
    return False


def _item_line(content: str, sent: SentProposal) -> int | None:
    """The item number when a line is the proposal's item line ("2. Cat-ear knitting kit")."""
    found = _patterns()["item"].match(content)
    if not found:
        return None
    number = int(found.group(1))
    title = sent.items.get(number)
    if title and normalise(found.group(2)).startswith(normalise(title)):
        return number
    return None


def _set_aside_signature(
    lines: list[str], quoted: list[bool], cut: int, instruction: object
) -> None:
    """Mark the lines after a sign-off as quoted when they are a signature, not more text."""
    own = [index for index in range(cut) if not quoted[index] and lines[index].strip()]
    for position, index in enumerate(own[1:], start=1):
        if not _patterns()["sign_off"].match(lines[index]):
            continue
        after = own[position + 1 :]
        script = [i for i in after if _patterns()["postscript"].match(lines[i].strip() + " ")]
        block = [i for i in after if not script or i < script[0]]
        if not block or len(block) > 6:
            continue  # "Thanks, lovely choices!" with the answers below it: not a sign-off
        if callable(instruction) and any(instruction(lines[i]) for i in block):
            continue
        for i in block:
            quoted[i] = True
        return


def _inside_the_quote(lines: list[str], cut: int, sent: SentProposal) -> list[OwnLine]:
    """Lines of an unmarked quote of the proposal that the proposal does not hold."""
    if not sent.lines:
        return []
    region: list[int] = []
    for index in range(cut + 1, len(lines)):
        if index > cut + 1 and _cut_kind(lines, index) is not None:
            break
        region.append(index)
    known = [i for i in region if lines[i].strip() and _repeats(lines[i].strip(), sent)]
    if len(known) < 3:
        return []
    found: list[OwnLine] = []
    context: int | None = None
    since = 0
    for index in region:
        content = unquoted(lines[index]).strip()
        if not content:
            continue
        item = _item_line(content, sent)
        if item is not None:
            context, since = item, 0
            continue
        since += 1
        if index in known or depth(lines[index]) or _patterns()["label"].match(content):
            continue
        if _labelled(content):
            continue
        found.append(OwnLine(index + 1, content, context if since <= CONTEXT_REACH else None))
    return found
