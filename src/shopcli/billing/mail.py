"""Email drafts of billing documents: `email_draft.build` plus an optional PDF attachment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shopcli.core.errors import InvalidInput


def draft_for(
    doc: Mapping[str, Any],
    *,
    subject: str,
    text: str,
    html: str,
    attachments: Sequence[tuple[str, str, bytes]] = (),
    images: Sequence[tuple[str, bytes, str]] = (),
) -> bytes:
    """The draft of a billing document (an invoice, a payment confirmation) from the seller
    to the buyer it names in its `seller` and `buyer` blocks."""
    seller, buyer = doc.get("seller") or {}, doc.get("buyer") or {}
    return draft(
        to_id=buyer.get("id"),
        to_name=buyer.get("name"),
        to_email=buyer.get("email"),
        from_name=seller.get("business_name") or seller.get("name"),
        from_email=seller.get("email"),
        subject=subject,
        text=text,
        html=html,
        attachments=attachments,
        images=images,
    )


def draft(
    *,
    to_id: int | None = None,
    to_name: str | None,
    to_email: str | None,
    from_name: str | None,
    from_email: str | None,
    subject: str,
    text: str,
    html: str,
    attachments: Sequence[tuple[str, str, bytes]] = (),
    images: Sequence[tuple[str, bytes, str]] = (),
) -> bytes:
    """A MIME draft (text and HTML), with (filename, type, bytes) attachments if given, and
    (content id, PNG) images the HTML shows."""
    from shopcli.documents import email_draft

    if not from_email:
        raise InvalidInput("an email draft needs your address: run `shop profile set email ...`")
    if not to_email:
        # Named by id: an error never repeats the client's name or other details.
        who = f"client #{to_id}" if to_id is not None else "the client"
        raise InvalidInput(
            f"{who} has no email address: run `shop client edit {to_id or 'CLIENT'} "
            "--email ...`, or use --format text or html"
        )
    return email_draft.build(
        to_name=to_name,
        to_email=to_email,
        from_name=from_name,
        from_email=from_email,
        subject=subject.strip(),
        text=text,
        html=html,
        attachments=attachments,
        images=images,
    )
