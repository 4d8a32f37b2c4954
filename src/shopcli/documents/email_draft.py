"""Email drafts: a complete MIME message (.eml) that mail programs open ready to send."""

from __future__ import annotations

from collections.abc import Sequence

from shopcli.core.errors import InvalidInput


def refuse_line_breaks(header: str, value: str) -> str:
    """Header values are one line: a CR or LF could smuggle in other headers."""
    if "\r" in value or "\n" in value or "\x00" in value:
        raise InvalidInput(
            f"the {header} of the email would contain a line break; remove it (a header must "
            "be one line)"
        )
    return value


def _address(header: str, name: str | None, email: str):
    from email.errors import HeaderParseError
    from email.headerregistry import Address

    from shopcli.core.validate import email_ascii

    refuse_line_breaks(header, name or "")
    refuse_line_breaks(header, email)
    email = email.strip()
    if not email.isascii():
        # jurgen@müller.de travels as jurgen@xn--mller-kva.de; 李@example.cn stays as it is
        # and the message is written for SMTPUTF8 (see `build`).
        email = email_ascii(email) or email
    try:
        if not email.isascii():
            # The header parser refuses a non-ASCII local part that SMTPUTF8 allows.
            local, _, domain = email.rpartition("@")
            if not local or not domain:
                raise ValueError(email)
            return Address(display_name=name or "", username=local, domain=domain)
        return Address(display_name=name or "", addr_spec=email)
    except (ValueError, IndexError, HeaderParseError):
        raise InvalidInput(f"{email!r} cannot be used as the email's {header} address") from None


def build(
    *,
    to_name: str | None,
    to_email: str,
    from_name: str | None,
    from_email: str,
    subject: str,
    text: str,
    html: str,
    images: Sequence[tuple[str, bytes, str]] = (),
) -> bytes:
    """A multipart/alternative draft (text and HTML, UTF-8) marked `X-Unsent: 1`, as bytes.

    `images`: (content id, bytes, media type) shown by the HTML as `cid:` pictures; they
    travel inline beside it (the HTML part becomes multipart/related), which every mail
    program shows, unlike `data:` addresses.
    """
    from email import policy
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    sender = _address("From", from_name, from_email)
    recipient = _address("To", to_name, to_email)
    # An address whose local part is not ASCII needs an internationalised (SMTPUTF8) message.
    utf8 = not (sender.addr_spec.isascii() and recipient.addr_spec.isascii())
    message = EmailMessage(policy=policy.SMTPUTF8 if utf8 else policy.SMTP)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = refuse_line_breaks("Subject", subject)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.domain or None)
    # Outlook, Thunderbird and Apple Mail open a message with this header as an unsent draft.
    message["X-Unsent"] = "1"
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    if images:
        body = message.get_body(("html",))
        assert body is not None
        for cid, data, media_type in images:
            maintype, _, subtype = media_type.partition("/")
            body.add_related(
                data,
                maintype=maintype,
                subtype=subtype,
                cid=f"<{refuse_line_breaks('picture id', cid)}>",
                disposition="inline",
                filename=f"{cid.split('@')[0]}.{'jpg' if subtype == 'jpeg' else subtype}",
            )
    return message.as_bytes()
