"""What of a row was typed by the shopper or a client: the part the guards against card
numbers and hidden text read before anything is written.

The program's own values are left out. A SHA-256 holds a run of digits that reads as a card
number about once in a thousand digests, so guarding seals, receipts and fingerprints refused
writes at random; frozen copies (a proposal's snapshot, an invoice's document) hold only text
that was checked when it was typed; timestamps and computed payment references are made here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

# Columns every table fills itself.
STAMPS = frozenset({"created_at", "updated_at"})
# Program-made columns, by table.
PROGRAM_MADE: dict[str, frozenset[str]] = {
    "decisions": frozenset({"decided_at"}),
    "events": frozenset({"at"}),
    "invoices": frozenset({"document", "reference"}),
    "item_pictures": frozenset({"sha256"}),
    "proposals": frozenset({"snapshot"}),
    "receipts": frozenset({"sha256"}),
    "seals": frozenset({"prev_hash", "hash", "sealed_at"}),
}
# Keys of an event's detail (JSON) that hold digests: a receipt's SHA-256, the fingerprints
# of a follow-up's lines (see delivering.feedback_replies.fingerprint). The rest is read.
EVENT_DIGEST_KEYS = frozenset({"sha256", "lines"})
# Columns holding links. A link is typed (pasted), but the ids a site makes and puts in its
# links are not: a file's hash on a CDN (`/img/5d8f6cce…d5518a86.jpg`), a product's
# hexadecimal id. One MD5 or SHA in about four thousand holds a card-shaped digit run.
LINKS: dict[str, frozenset[str]] = {
    "items": frozenset({"url", "image_url"}),
    "digital_goods": frozenset({"link"}),
}
# A hexadecimal id in a link: 16 or more hex characters, letters and digits among them,
# standing alone between the link's separators. A card number alone in a link, or one with
# other letters glued on (`card4111…`), is not one.
_HEX_ID = re.compile(
    r"(?<![0-9A-Za-z])(?=[0-9]*[a-fA-F])(?=[a-fA-F]*[0-9])[0-9a-fA-F]{16,}(?![0-9A-Za-z])"
)


def typed(table: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """The values of a row the guards read: every column but the program-made ones, an
    event's detail without its digests, and links without the sites' hexadecimal ids."""
    made = PROGRAM_MADE.get(table)
    fields = {
        name: value
        for name, value in row.items()
        if name not in STAMPS and (made is None or name not in made)
    }
    if table == "events" and isinstance(fields.get("detail"), str):
        fields["detail"] = _without_digests(fields["detail"])
    for name in LINKS.get(table, ()):
        link = fields.get(name)
        if isinstance(link, str):
            fields[name] = _HEX_ID.sub("-", link)
    return fields


def _without_digests(detail: str) -> str:
    if not any(f'"{key}"' in detail for key in EVENT_DIGEST_KEYS):
        return detail
    try:
        loaded = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(loaded, dict):
        return detail
    kept = {key: value for key, value in loaded.items() if key not in EVENT_DIGEST_KEYS}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True)


def guard(table: str, row: Mapping[str, Any]) -> None:
    """Refuse a row whose typed values hold a card number or hidden text (see core.cards and
    core.validate.refuse_hidden_text), naming the field, never the value."""
    from shopcli.core.cards import refuse_card_numbers
    from shopcli.core.validate import refuse_hidden_text

    fields = typed(table, row)
    refuse_card_numbers(fields)
    refuse_hidden_text(fields)
