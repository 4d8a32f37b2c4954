"""Email drafts: a complete MIME message (.eml) that mail programs open ready to send.

Header values read back as exactly the stored text. A name or subject holding an RFC 2047
encoded word (`=?utf-8?b?...?=`) would otherwise be decoded by every mail program, and one
that decodes to a line break becomes a header of its own (a `Bcc:`): such text is refused
when it is stored (`validate.refuse_hidden_text`) and again here, and any other `=?` is
written so that it cannot be read as an encoded word.

The HTML part is made mail-safe here, for every draft: styles inline, no `data:` URIs
(`mail_html.for_email`); an image the HTML shows (the EPC QR code) travels as a PNG part of
a multipart/related beside it, referred to as `cid:`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shopcli.core.errors import InvalidInput


def refuse_line_breaks(header: str, value: str) -> str:
    """Header values are one line: a CR or LF could smuggle in other headers, and so could an
    encoded word that decodes to one."""
    from shopcli.core import validate

    if "\r" in value or "\n" in value or "\x00" in value or validate.hides_line_break(value):
        raise InvalidInput(
            f"the {header} of the email would contain a line break; remove it (a header must "
            "be one line)"
        )
    return value


class _Written(str):
    """A header value the message writes out exactly as given (already encoded here)."""

    def __new__(cls, name: str, value: str) -> _Written:
        made = super().__new__(cls, value)
        made.name = name  # type: ignore[attr-defined]
        return made

    def fold(self, *, policy: Any) -> str:
        return f"{self.name}: {self}{policy.linesep}"  # type: ignore[attr-defined]


def _address(header: str, name: str | None, email: str):
    """The address with its name written so that it reads back exactly as stored: as mail
    programs usually write it, else as a quoted string (ASCII) or one encoded word, each
    checked by reading it back; a name no form keeps exactly is left out."""
    from email.errors import HeaderParseError
    from email.headerregistry import Address

    refuse_line_breaks(header, name or "")
    refuse_line_breaks(header, email)
    name = name or ""
    try:
        bare = Address(addr_spec=email.strip())
    except (ValueError, IndexError, HeaderParseError):
        raise InvalidInput(f"the email's {header} address is not usable") from None
    if not name:
        return bare
    if "=?" not in name:
        plain = Address(display_name=name, addr_spec=bare.addr_spec)
        if _reads_back(header, plain, name, bare.addr_spec):
            return plain
    candidates = []
    if name.isascii() and name.isprintable():
        # `=` escaped before `?`, so that no `=?` is taken for the start of an encoded word.
        quoted = name.replace("\\", "\\\\").replace('"', '\\"').replace("=?", "\\=?")
        candidates.append(f'"{quoted}" <{bare.addr_spec}>')
    candidates.append(f"{_one_encoded_word(name)} <{bare.addr_spec}>")
    for value in candidates:
        written = _Written(header, value)
        if len(value) + len(header) + 2 <= 998 and _reads_back(
            header, written, name, bare.addr_spec
        ):
            return written
    return bare


def _one_encoded_word(text: str) -> str:
    import base64

    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


def _reads_back(header: str, value: Any, name: str, addr_spec: str) -> bool:
    """Whether a mail program (Python's parser stands in) reads this header as one address
    with exactly this name."""
    from email import message_from_bytes, policy
    from email.message import EmailMessage

    message = EmailMessage(policy=policy.SMTP)
    message[header] = value
    try:
        found = message_from_bytes(message.as_bytes(), policy=policy.default)[header].addresses
    except Exception:  # a form the parser cannot read is no form to write
        return False
    return len(found) == 1 and (found[0].display_name, found[0].addr_spec) == (name, addr_spec)


def _subject(subject: str):
    """The subject as written, or all of it as encoded words when it holds `=?` or would not
    read back exactly (decoding them gives back every character as stored)."""
    from email.header import Header

    if "=?" not in subject and _subject_reads_back(subject, subject):
        return subject
    encoded = _Written("Subject", Header(subject, "utf-8", header_name="Subject").encode("\r\n"))
    if not _subject_reads_back(encoded, subject):
        raise InvalidInput("the subject of the email cannot be written as it is; change it")
    return encoded


def _subject_reads_back(value: Any, subject: str) -> bool:
    from email import message_from_bytes, policy
    from email.message import EmailMessage

    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = value
    return str(message_from_bytes(message.as_bytes(), policy=policy.default)["Subject"]) == subject


def build(
    *,
    to_name: str | None,
    to_email: str,
    from_name: str | None,
    from_email: str,
    subject: str,
    text: str,
    html: str,
    attachments: Sequence[tuple[str, str, bytes]] = (),
    images: Sequence[tuple[str, bytes]] = (),
) -> bytes:
    """A multipart/alternative draft (text and HTML, UTF-8) marked `X-Unsent: 1`, as bytes,
    with (filename, type, bytes) attachments if given.

    `images` are (content id, PNG bytes) the HTML shows as `cid:CONTENT-ID`.
    """
    from email import policy
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    from shopcli.documents.mail_html import for_email

    message = EmailMessage(policy=policy.SMTP)
    sender = _address("From", from_name, from_email)
    message["From"] = sender
    message["To"] = _address("To", to_name, to_email)
    message["Subject"] = _subject(refuse_line_breaks("Subject", subject))
    message["Date"] = formatdate(localtime=True)
    domain = from_email.strip().rpartition("@")[2]
    message["Message-ID"] = make_msgid(domain=domain or None)
    # Outlook, Thunderbird and Apple Mail open a message with this header as an unsent draft.
    message["X-Unsent"] = "1"
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(
        for_email(html, what="the HTML of the email"),
        subtype="html",
        charset="utf-8",
        cte="quoted-printable",
    )
    if images:
        part = message.get_body(preferencelist=("html",))
        for cid, png in images:
            # Inline, so that a mail program shows it in the page and not as an attachment.
            part.add_related(  # type: ignore[union-attr]
                png, maintype="image", subtype="png", cid=f"<{cid}>", disposition="inline"
            )
    for filename, mime, payload in attachments:
        maintype, _, subtype = mime.partition("/")
        message.add_attachment(payload, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()
