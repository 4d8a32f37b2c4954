"""Reading a client's reply as saved: plain text, or a whole message (.eml) decoded to text.

A saved message is parsed with the standard library's `email` package: the text/plain part
is preferred (quoted-printable, base64 and any charset decoded; `format=flowed` lines
joined again), else the text/html part is turned into text here: block elements become line
breaks and `<blockquote>` content is marked `> ` per level, so quotes read the same as in a
plain-text reply. The standard library's `html.parser` is enough for that: only line
structure, quote depth and the mail programs' own quote and signature containers matter, not
layout, so no HTML-to-text dependency is needed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from shopcli.core.errors import InvalidInput

# Headers that only a saved message starts with (a pasted Outlook quote has From/Sent/To).
_MESSAGE_HEADERS = {
    "mime-version",
    "content-type",
    "message-id",
    "received",
    "return-path",
    "delivered-to",
    "date",
    "x-mailer",
    "user-agent",
    "dkim-signature",
    "arc-seal",
    "content-transfer-encoding",
    "in-reply-to",
    "references",
}
_HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9-]{0,60}):[ \t]?")
# Elements whose content is never shown.
_HIDDEN = {"head", "style", "script", "title", "template", "xml", "noscript"}
# Elements that start and end a line.
_BLOCKS = {
    "p", "div", "br", "tr", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
    "h6", "table", "tbody", "thead", "tfoot", "blockquote", "pre", "section", "article",
    "header", "footer", "hr", "center", "address", "form", "fieldset", "figure", "main", "nav",
}  # fmt: skip
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"}
# Quote containers of mail programs that do not use <blockquote>: Yahoo, mail.ru, NetEase.
_QUOTE_MARKS = re.compile(r"yahoo_quoted|moz-cite|quote|ntes-?mail|reply-?body", re.IGNORECASE)
# Where a mail program puts the message being answered, after an Outlook-style header block.
_REPLY_MARKS = re.compile(r"divRplyFwdMsg|appendonsend|OLK_SRC_BODY|reply-intro", re.IGNORECASE)
# Signature containers: Gmail, Thunderbird, Outlook (web and desktop), Apple.
_SIGNATURE_MARKS = re.compile(r"signature", re.IGNORECASE)
RULE = "_" * 32  # what a horizontal rule or an Outlook reply container becomes


def looks_like_message(data: bytes) -> bool:
    """Whether the bytes start with a mail header block (a saved .eml), not a pasted text."""
    head = data.lstrip(b"\r\n")[:16384]
    if head.startswith(b"From ") and b"\n" in head:  # an mbox "From " line
        head = head.split(b"\n", 1)[1]
    names: set[str] = set()
    for raw in re.split(rb"\r?\n", head):
        if not raw.strip():
            break
        if raw[:1] in (b" ", b"\t"):
            if not names:
                return False
            continue
        found = _HEADER_LINE.match(raw)
        if not found:
            return False
        names.add(found.group(1).decode("ascii").lower())
    return len(names) >= 2 and bool(names & _MESSAGE_HEADERS)


def looks_like_html(text: str) -> bool:
    start = text.lstrip()[:200].lower()
    return start.startswith(("<!doctype html", "<html", "<div", "<body", "<meta", "<p>", "<p "))


def reply_text(data: bytes, source: str = "the reply") -> str:
    """The text of a reply file: a saved message decoded, HTML turned into text, or UTF-8."""
    if looks_like_message(data):
        return message_text(data, source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            f"the reply {source} is not UTF-8 text; save it as UTF-8 and try again"
        ) from None
    return html_to_text(text) if looks_like_html(text) else text


def message_text(data: bytes, source: str = "the reply") -> str:
    """The client's message as text: text/plain preferred, else text/html turned into text."""
    import email
    from email import policy

    message = email.message_from_bytes(data, policy=policy.default)
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        raise InvalidInput(
            f"{source} is a saved message with no text or HTML part to read; paste the "
            "client's answer as text instead"
        )
    text = _decoded(part, source)
    if part.get_content_subtype() == "html":
        return html_to_text(text)
    if str(part.get_param("format", "")).lower() == "flowed":
        return unflow(text, delsp=str(part.get_param("delsp", "")).lower() == "yes")
    return text


def _decoded(part, source: str) -> str:
    """A text part decoded from its transfer encoding and charset; refuses what it cannot."""
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    for name in (charset, "utf-8"):
        try:
            return payload.decode(name)
        except LookupError:
            continue
        except UnicodeDecodeError:
            if name == "utf-8":
                break
            continue
    raise InvalidInput(
        f"{source}: its text cannot be decoded as {charset}; save the message again or paste "
        "the client's answer as text"
    )


def unflow(text: str, *, delsp: bool = False) -> str:
    """Join `format=flowed` lines (RFC 3676): a line ending in a space continues on the next
    one at the same quote depth; a leading space-stuffing space is removed."""
    out: list[str] = []
    pending: tuple[int, str] | None = None
    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        depth = len(line) - len(line.lstrip(">"))
        body = line[depth:]
        if body.startswith(" "):
            body = body[1:]
        if pending is not None and pending[0] == depth:
            body = pending[1] + body
        elif pending is not None:
            out.append(">" * pending[0] + (" " if pending[0] else "") + pending[1].rstrip())
        pending = None
        if body.endswith(" ") and body.strip() != "--":
            pending = (depth, body[:-1] if delsp else body)
            continue
        out.append(">" * depth + (" " if depth and body else "") + body)
    if pending is not None:
        out.append(">" * pending[0] + (" " if pending[0] else "") + pending[1].rstrip())
    return "\n".join(out)


class _TextMaker(HTMLParser):
    """HTML to lines of text, with `> ` per quote level and mail programs' markers kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.depth = 0  # blockquote (and quote container) depth
        self.hidden = 0
        self.pre = 0
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, quotes, hidden)

    def _flush(self) -> None:
        text = "".join(self.current)
        if not self.pre:
            text = re.sub(r"[ \t\r\n\f\u00a0\u200b]+", " ", text).strip()
        self.current = []
        prefix = "> " * self.depth
        if text:
            self.lines.append((prefix + text).rstrip())
        elif self.lines and self.lines[-1].strip("> ") != "":
            self.lines.append(prefix.rstrip())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        marks = " ".join(value or "" for name, value in attrs if name in ("class", "id"))
        if tag in _HIDDEN:
            if tag not in _VOID:
                self.stack.append((tag, False, True))
                self.hidden += 1
            return
        if self.hidden:
            if tag not in _VOID:
                self.stack.append((tag, False, False))
            return
        quotes = tag == "blockquote" or (tag == "div" and bool(_QUOTE_MARKS.search(marks)))
        if tag in _BLOCKS or quotes:
            self._flush()
        if tag == "hr" or (tag == "div" and _REPLY_MARKS.search(marks)):
            self.lines.append("> " * self.depth + RULE)
        if tag == "div" and _SIGNATURE_MARKS.search(marks) and not quotes:
            self.lines.append("> " * self.depth + "-- ")
        if tag in ("td", "th") and self.current and "".join(self.current).strip():
            self.current.append(" ")
        if tag == "pre":
            self.pre += 1
        if tag not in _VOID:
            self.stack.append((tag, quotes, False))
            if quotes:
                self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        # Close up to the matching open tag (mail HTML is often not well nested).
        for position in range(len(self.stack) - 1, -1, -1):
            if self.stack[position][0] == tag:
                break
        else:
            return
        while len(self.stack) > position:
            name, quotes, hidden = self.stack.pop()
            if hidden:
                self.hidden -= 1
                continue
            if self.hidden:
                continue
            if name in _BLOCKS or quotes:
                self._flush()
            if quotes:
                self.depth -= 1
            if name == "pre":
                self.pre -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.current.append(data)

    def text(self) -> str:
        self._flush()
        while self.lines and not self.lines[-1].strip("> "):
            self.lines.pop()
        return "\n".join(self.lines)


def html_to_text(html: str) -> str:
    """The text of an HTML message: one line per block, `> ` per blockquote level."""
    maker = _TextMaker()
    maker.feed(html)
    maker.close()
    return maker.text()
