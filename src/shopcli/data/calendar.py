"""The shopper's calendar: an iCalendar (.ics) file for any calendar program, written with
the icalendar library.

Every year: recipients' and clients' birthdays, name days and the other dates kept for a
recipient. Once: the deadlines of open jobs, planned handovers, the expected deliveries of
items on their way and the due dates of invoices not yet paid. Each event's UID is made
from the record it shows, so importing or subscribing to a newer file updates the same
events instead of adding copies. All-day events, in the shopper's words (English).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shopcli.storage import Store

PRODID = "-//shopcli//shop calendar//EN"
UID_DOMAIN = "shopcli"


@dataclass(frozen=True)
class Event:
    """One all-day event: `yearly` repeats it every year from `day`."""

    uid: str
    day: dt.date
    summary: str
    description: str = ""
    category: str = ""
    yearly: bool = False


def events(store: Store, *, today: dt.date, days: int | None = None) -> list[Event]:
    """Every event, yearly ones always; with `days`, one-off events only from today to
    `days` days ahead."""
    import json

    from shopcli.billing import invoices
    from shopcli.core.money import plain
    from shopcli.storage import calendar as queries

    first = today.isoformat() if days is not None else None
    last = (today + dt.timedelta(days=days)).isoformat() if days is not None else None
    found: list[Event] = []
    for person in queries.recipient_dates(store):
        who = f"{person['name']} ({person['client']})"
        if person["birthday"]:
            found.append(
                Event(
                    f"birthday-recipient-{person['id']}@{UID_DOMAIN}",
                    dt.date.fromisoformat(person["birthday"]),
                    f"Birthday: {who}",
                    _born(person["birthday"]),
                    "birthday",
                    yearly=True,
                )
            )
        for name, day in sorted(json.loads(person["dates"] or "{}").items()):
            found.append(
                Event(
                    f"date-recipient-{person['id']}-{_slug(name)}@{UID_DOMAIN}",
                    dt.date.fromisoformat(day),
                    f"{name[:1].upper()}{name[1:]}: {who}",
                    "",
                    "name day" if "name" in name.lower() else "date",
                    yearly=True,
                )
            )
    for client in queries.client_birthdays(store):
        found.append(
            Event(
                f"birthday-client-{client['id']}@{UID_DOMAIN}",
                dt.date.fromisoformat(client["birthday"]),
                f"Birthday: {client['name']} (client)",
                _born(client["birthday"]),
                "birthday",
                yearly=True,
            )
        )
    for job in queries.job_deadlines(store, first, last):
        found.append(
            Event(
                f"deadline-job-{job['id']}@{UID_DOMAIN}",
                dt.date.fromisoformat(job["deadline"]),
                f"Deadline: {job['title']} ({job['client']})",
                "Everything should be with the client by today.",
                "deadline",
            )
        )
    for handover in queries.planned_handovers(store, first, last):
        where = f" at {handover['place']}" if handover["place"] else ""
        found.append(
            Event(
                f"handover-{handover['id']}@{UID_DOMAIN}",
                dt.date.fromisoformat(handover["handed_on"]),
                f"Handover ({handover['method']}){where}: {handover['job']} ({handover['client']})",
                ". ".join(part for part in (_items(handover["items"]), handover["note"]) if part),
                "handover",
            )
        )
    for item in queries.expected_deliveries(store, first, last):
        tracking = " ".join(part for part in (item["carrier"], item["tracking"]) if part)
        found.append(
            Event(
                f"delivery-item-{item['id']}@{UID_DOMAIN}",
                dt.date.fromisoformat(item["eta"]),
                f"Expected: {item['title']}"
                + (f" for {item['recipient']}" if item["recipient"] else ""),
                f"{item['job']}; {item['status']}" + (f"; {tracking}" if tracking else ""),
                "delivery",
            )
        )
    for invoice in invoices.listing(store, unpaid=True, on=today.isoformat()):
        due = invoice.get("due")
        if not due or (first and not first <= due <= (last or "")):
            continue
        found.append(
            Event(
                f"invoice-due-{invoice['id']}@{UID_DOMAIN}",
                dt.date.fromisoformat(due),
                f"Invoice {invoice['number']} due ({invoice['client']})",
                f"{plain(invoice['balance'], invoice['currency'])} {invoice['currency']} still "
                f"to be paid for {invoice['job']}.",
                "invoice",
            )
        )
    return found


def _born(iso: str) -> str:
    return f"Born {iso}."


def _slug(text: str) -> str:
    import re
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    if slug:
        return slug
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def to_ics(found: list[Event], *, now: dt.datetime | None = None, name: str = "Shopping") -> bytes:
    """The events as an iCalendar file (RFC 5545), CRLF line ends, folded lines."""
    from icalendar import Calendar
    from icalendar import Event as IcsEvent

    stamp = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in found:
        entry = IcsEvent()
        entry.add("uid", event.uid)
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.day)
        entry.add("dtend", event.day + dt.timedelta(days=1))
        entry.add("summary", event.summary)
        if event.description:
            entry.add("description", event.description)
        if event.category:
            entry.add("categories", [event.category])
        if event.yearly:
            entry.add("rrule", _yearly(event.day))
            entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    return calendar.to_ical()


def _yearly(day: dt.date) -> dict:
    """Every year on the same day; 29 February falls on the last day of February."""
    if (day.month, day.day) == (2, 29):
        return {"freq": "yearly", "bymonth": 2, "bymonthday": -1}
    return {"freq": "yearly"}


def _items(count: int) -> str:
    """How many items a planned handover holds; nothing when none are named yet."""
    if not count:
        return ""
    return "1 item" if count == 1 else f"{count} items"
