"""Email drafts: a complete MIME message (.eml) that mail programs open ready to send.

Header values read back as exactly the stored text. A name or subject holding an RFC 2047
encoded word (`=?utf-8?b?...?=`) would otherwise be decoded by every mail program, and one
that decodes to a line break becomes a header of its own (a `Bcc:`): such text is refused
when it is stored (`validate.refuse_hidden_text`) and again here, and any other `=?` is
written so that it cannot be read as an encoded word.

`draft` is the one way a document becomes a draft: from the shopper to a client, refused
(naming the client by id, never by their data) while either has no email address.

The HTML part is made mail-safe here, for every draft: styles inline, no `data:` URIs
(`mail_html.for_email`); an image the HTML shows (the EPC QR code) travels as a PNG part of
a multipart/related beside it, referred to as `cid:`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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

    name: str

    def __new__(cls, name: str, value: str) -> _Written:
        made = super().__new__(cls, value)
        made.name = name
        return made

    def fold(self, *, policy: Any) -> str:
        return f"{self.name}: {self}{policy.linesep}"


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
        bare = _bare_address(email)
    except (ValueError, IndexError, HeaderParseError):
        raise InvalidInput(f"the email's {header} address is not usable") from None
    if not name:
        return bare
    if "=?" not in name:
        plain = Address(display_name=name, username=bare.username, domain=bare.domain)
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


def _bare_address(email: str):
    """The address alone: jurgen@müller.de travels as jurgen@xn--mller-kva.de; 李@example.cn
    keeps its local part, and the message is written for SMTPUTF8 (see `build`)."""
    from email.headerregistry import Address

    from shopcli.core.validate import email_ascii

    email = email.strip()
    if not email.isascii():
        email = email_ascii(email) or email
    if not email.isascii():
        # The header parser refuses a non-ASCII local part that SMTPUTF8 allows.
        local, _, domain = email.rpartition("@")
        if not local or not domain:
            raise ValueError(email)
        return Address(username=local, domain=domain)
    return Address(addr_spec=email)


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


def draft(
    sender: Mapping[str, Any],
    client: Mapping[str, Any],
    *,
    subject: str,
    text: str,
    html: str,
    attachments: Sequence[tuple[str, str, bytes]] = (),
    images: Sequence[tuple[str, bytes, str]] = (),
) -> bytes:
    """The draft of a document from the shopper to a client (see `build` for its parts).

    `sender`: the shopper's `name`, `business_name` and `email` (the profile, or a billing
    document's `seller`); `client`: the client's `id`, `name` and `email` (their record, or a
    billing document's `buyer`).
    """
    if not sender.get("email"):
        raise InvalidInput("an email draft needs your address: run `shop profile set email ...`")
    if not client.get("email"):
        # Named by id: an error never repeats the client's name or other details.
        client_id = client.get("id")
        who, ref = (f"client #{client_id}", client_id) if client_id else ("the client", "CLIENT")
        raise InvalidInput(
            f"{who} has no email address: run `shop client edit {ref} --email ...`, or choose "
            "another --format"
        )
    return build(
        to_name=client.get("name"),
        to_email=client["email"],
        from_name=sender.get("business_name") or sender.get("name"),
        from_email=sender["email"],
        subject=subject.strip(),
        text=text,
        html=html,
        attachments=attachments,
        images=images,
    )


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
    images: Sequence[tuple[str, bytes, str]] = (),
) -> bytes:
    """A multipart/alternative draft (text and HTML, UTF-8) marked `X-Unsent: 1`, as bytes,
    with (filename, type, bytes) attachments if given.

    `images`: (content id, bytes, media type) shown by the HTML as `cid:` pictures (the EPC QR
    code, item pictures); they travel inline beside it (the HTML part becomes
    multipart/related), which every mail program shows, unlike `data:` addresses.
    """
    from email import policy
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    from shopcli.documents.mail_html import for_email

    sender = _address("From", from_name, from_email)
    recipient = _address("To", to_name, to_email)
    # An address whose local part is not ASCII needs an internationalised (SMTPUTF8) message.
    addresses = [getattr(a, "addr_spec", str(a)) for a in (sender, recipient)]
    utf8 = not all(spec.isascii() for spec in addresses)
    message = EmailMessage(policy=policy.SMTPUTF8 if utf8 else policy.SMTP)
    message["From"] = sender
    message["To"] = recipient
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
        # Never None: the HTML alternative was added just above.
        part = message.get_body(preferencelist=("html",))
        for cid, data, media_type in images:
            maintype, _, subtype = media_type.partition("/")
            # Inline, so that a mail program shows it in the page and not as an attachment.
            part.add_related(  # type: ignore[union-attr]
                data,
                maintype=maintype,
                subtype=subtype,
                cid=f"<{refuse_line_breaks('picture id', cid)}>",
                disposition="inline",
                filename=f"{cid.split('@')[0]}.{'jpg' if subtype == 'jpeg' else subtype}",
            )
    for filename, mime, payload in attachments:
        maintype, _, subtype = mime.partition("/")
        message.add_attachment(payload, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()
