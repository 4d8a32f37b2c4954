"""Contacts: clients and recipients to and from vCard files (.vcf), as Google Contacts, Apple
Contacts and Thunderbird write them (vCard 3.0 and 4.0), read and written with vobject.

An import is all or nothing: every card is read and checked (with the same cleaners as the
commands) before anything is written, and an error names the card, its line and the vCard
property, never the contact's data. A card matches an existing client by email address,
else by name (recipients: by name on the client's list); only what the card holds is
changed, so a field the card leaves out is kept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopcli.core.errors import InvalidInput, ShopError
from shopcli.data.importing.base import ImportResult, Located, log_import, read_text
from shopcli.storage import Store
from shopcli.storage.rows import Client, Recipient

VCF_SUFFIXES = (".vcf", ".vcard")
MAX_CARDS = 20_000
# vCard properties read, and the field each fills.
PROPERTIES = {
    "fn": "name",
    "email": "email",
    "tel": "phone",
    "adr": "address",
    "bday": "birthday",
    "note": "notes",
}


@dataclass
class Card:
    """One contact as read from the file: its place and the fields it gives."""

    number: int
    line: int
    values: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"card {self.number} (line {self.line})"


# -- reading ---------------------------------------------------------------------------------


def read_cards(path: Path, text: str) -> list[Card]:
    """Every card of a vCard file with the fields shopcli keeps, or a located error."""
    import vobject

    starts = [n for n, line in enumerate(text.splitlines(), 1) if _begins(line)]
    if not starts:
        raise InvalidInput(f"{path}: no contacts found (no BEGIN:VCARD line)")
    if len(starts) > MAX_CARDS:
        raise InvalidInput(f"{path}: more than {MAX_CARDS:,} contacts; split the file")
    cards: list[Card] = []
    components = vobject.readComponents(text, ignoreUnreadable=False)
    for number in range(1, len(starts) + 1):
        line = starts[number - 1]
        try:
            component = next(components)
        except StopIteration:
            break
        except Exception:  # vobject raises its own ParseError and others for broken lines
            raise Located(
                f"{path}, card {number} (line {line}): not a vCard shopcli can read"
            ) from None
        if component.name.upper() != "VCARD":
            raise Located(f"{path}, line {line}: {component.name} is not a contact card")
        cards.append(_card(path, component, number, line))
    return cards


def _begins(line: str) -> bool:
    return line.strip().upper() == "BEGIN:VCARD"


def _card(path: Path, component: Any, number: int, line: int) -> Card:
    card = Card(number, line)

    def fail(prop: str, message: str) -> ShopError:
        return Located(f"{path}, {card.where}, {prop.upper()}: {message}")

    contents = component.contents
    name = _first_text(contents.get("fn"))
    if not name and contents.get("n"):
        n = contents["n"][0].value
        name = " ".join(
            part
            for part in (
                _joined(n.prefix),
                _joined(n.given),
                _joined(n.additional),
                _joined(n.family),
                _joined(n.suffix),
            )
            if part
        )
    if not name:
        raise fail("fn", "the contact has no name")
    card.values["name"] = name
    email = _preferred(contents.get("email"))
    if email:
        card.values["email"] = re.sub(r"^mailto:", "", email, flags=re.IGNORECASE)
    phone = _preferred(contents.get("tel"))
    if phone:
        card.values["phone"] = _phone(phone)
    address = _address(contents.get("adr"))
    if address:
        card.values["address"] = address
    birthday = _first_text(contents.get("bday"))
    if birthday:
        day = _date(birthday, contents["bday"][0])
        if day is None:
            raise fail("bday", "not a date shopcli can read (YYYY-MM-DD, YYYYMMDD or --MMDD)")
        if day == "":
            card.notes.append(f"{card.where}: a birthday without a year is left out")
        else:
            card.values["birthday"] = day
    note = _first_text(contents.get("note"), keep_lines=True)
    if note:
        card.values["notes"] = note
    return card


def _text(value: Any, *, keep_lines: bool = False) -> str:
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value if v)
    text = str(value or "").replace("\r\n", "\n").strip()
    if keep_lines:
        return "\n".join(line.rstrip() for line in text.split("\n")).strip()
    return " ".join(text.split())


def _joined(value: Any) -> str:
    return _text(value)


def _first_text(props: list | None, *, keep_lines: bool = False) -> str:
    for prop in props or []:
        text = _text(prop.value, keep_lines=keep_lines)
        if text:
            return text
    return ""


def _params(prop: Any) -> set[str]:
    found = set()
    for key, values in prop.params.items():
        for value in values:
            for part in str(value).split(","):
                found.add(f"{key.upper()}={part.strip().upper()}")
    found |= {value.upper() for value in getattr(prop, "singletonparams", [])}
    return found


def _preferred(props: list | None) -> str:
    """The value marked preferred (3.0 TYPE=pref, 4.0 PREF=1), else the first."""
    props = [prop for prop in props or [] if _text(prop.value)]
    if not props:
        return ""

    def rank(prop: Any) -> int:
        params = _params(prop)
        if "TYPE=PREF" in params or "PREF" in params:
            return 1
        prefs = [int(p[5:]) for p in params if p.startswith("PREF=") and p[5:].isdigit()]
        return min(prefs) if prefs else 101

    return _text(min(props, key=rank).value)


def _phone(value: str) -> str:
    value = re.sub(r"^tel:", "", value.strip(), flags=re.IGNORECASE)
    return value.split(";", 1)[0]  # a 4.0 tel: URI may carry ;ext=


def _address(props: list | None) -> str:
    """The preferred postal address as lines: street, post code and town, region, country."""
    if not props:
        return ""
    best = props[0]
    for prop in props[1:]:
        params = _params(prop)
        if "TYPE=PREF" in params or "PREF=1" in params:
            best = prop
    value = best.value
    street = [_text(p, keep_lines=True) for p in (value.box, value.extended, value.street)]
    lines = [part for part in street if part]
    town = " ".join(part for part in (_text(value.code), _text(value.city)) if part)
    lines += [part for part in (town, _text(value.region), _text(value.country)) if part]
    # A one-line export of ours (street holds the whole address) comes back as it went.
    return "\n".join(_text(line, keep_lines=True) for line in lines)


def _date(text: str, prop: Any) -> str | None:
    """ISO date from a vCard BDAY; "" for a date without a year (--MMDD, Apple's 1604)."""
    text = text.strip()
    params = _params(prop)
    match = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?", text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        try:
            found = dt.date(year, month, day)
        except ValueError:
            return None
        if any(p.startswith("X-APPLE-OMIT-YEAR") for p in params) or year <= 1604:
            return ""
        return found.isoformat()
    if re.fullmatch(r"--\d{2}-?\d{2}", text):
        return ""
    return None


# -- importing -------------------------------------------------------------------------------


def import_contacts(store: Store, path: Path, *, client: str | None = None) -> ImportResult:
    """Create or update clients (or, with `client`, that client's recipients) from a vCard
    file, all or nothing."""
    from shopcli.people import clients, recipients
    from shopcli.storage.records import clean

    text = read_text(path)
    cards = read_cards(path, text)
    owner = clients.get(store, client) if client else None
    kind = "recipient" if owner else "client"
    cleaners = recipients.CLEANERS if owner else clients.CLEANERS
    result = ImportResult(path, "contacts")
    plans: list[tuple[Card, dict[str, Any], Client | Recipient | None]] = []
    claimed: dict[str, Card] = {}  # who each card is: an id, a new name or email
    for card in cards:
        values = dict(card.values)
        if owner:
            values.pop("email", None)
            values.pop("phone", None)
        cleaned = {}
        for name, value in values.items():
            try:
                cleaned.update(clean(cleaners, {name: value}))
            except ShopError as exc:
                prop = next(k for k, v in PROPERTIES.items() if v == name)
                reason = str(exc).split(":")[0]
                raise Located(f"{path}, {card.where}, {prop.upper()}: {reason}") from None
        try:
            existing = _match(store, cleaned, owner)
        except ShopError as exc:
            raise Located(f"{path}, {card.where}: {exc}") from None
        keys = [f"#{existing['id']}"] if existing is not None else []
        if existing is None:
            keys.append(f"name:{cleaned['name'].casefold()}")
            if cleaned.get("email"):
                keys.append(f"email:{cleaned['email'].casefold()}")
        for key in keys:
            earlier = claimed.get(key)
            if earlier is not None:
                raise Located(
                    f"{path}, {card.where}: the same {kind} as {earlier.where}; "
                    "merge the two cards first"
                )
        claimed.update(dict.fromkeys(keys, card))
        plans.append((card, cleaned, existing))
        result.notes.extend(card.notes)
    with store.write():
        for _card, cleaned, existing in plans:
            if existing is None:
                name = cleaned.pop("name")
                made: Client | Recipient = (
                    recipients.add(store, owner, name, **cleaned)
                    if owner
                    else clients.add(store, name, **cleaned)
                )
                result.add("created", kind, made["name"], made["id"])
                continue
            changed = {k: v for k, v in cleaned.items() if existing.get(k) != v and k != "name"}
            if not changed:
                result.add("unchanged", kind, existing["name"], existing["id"])
                continue
            if owner:
                recipients.edit(store, recipients.by_id(store, existing["id"]), **changed)
            else:
                clients.edit(store, clients.by_id(store, existing["id"]), **changed)
            result.add("updated", kind, existing["name"], existing["id"], tuple(sorted(changed)))
        log_import(store, result, client_id=owner["id"] if owner else None)
    return result


def _match(store: Store, values: dict[str, Any], owner: Client | None) -> Client | Recipient | None:
    """The existing client (by email, then name) or recipient (by name) a card is."""
    from shopcli.storage import contacts as queries

    if owner:
        return queries.recipient_named(store, owner["id"], values["name"])
    if values.get("email"):
        found = queries.clients_with_email(store, values["email"])
        if len(found) == 1:
            return found[0]
    named = queries.clients_named(store, values["name"])
    if len(named) > 1:
        ids = ", ".join(f"#{row['id']}" for row in named)
        raise InvalidInput(f"the name matches several clients ({ids}); give the card an email")
    return named[0] if named else None


# -- writing ---------------------------------------------------------------------------------


def vcard(people: Sequence[Mapping[str, Any]], kind: str = "client") -> str:
    """Clients (or recipients) as vCard 3.0, which Google Contacts, Apple Contacts, Outlook
    and Thunderbird all read; CRLF line ends and folding as the standard has them. Each
    card's UID stays the same, so importing the file again updates the contact."""
    import vobject

    cards = []
    for person in people:
        card = vobject.vCard()
        card.add("fn").value = person["name"]
        family, _, given = _split_name(person["name"])
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        if person.get("email"):
            email = card.add("email")
            email.value = person["email"]
            email.type_param = "INTERNET"
        if person.get("phone"):
            card.add("tel").value = person["phone"]
        if person.get("address"):
            card.add("adr").value = vobject.vcard.Address(street=person["address"])
        if person.get("birthday"):
            card.add("bday").value = person["birthday"]
        if person.get("notes"):
            card.add("note").value = person["notes"]
        card.add("uid").value = f"shopcli-{kind}-{person['id']}"
        cards.append(card.serialize())
    return "".join(cards)


def _split_name(name: str) -> tuple[str, str, str]:
    """(family, "", given) by the last word, for the structured N property only."""
    parts = name.split()
    if len(parts) < 2:
        return name, "", ""
    return parts[-1], "", " ".join(parts[:-1])
