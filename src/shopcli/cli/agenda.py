"""`shop agenda`: one screen of what needs doing, most urgent first."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import Annotated

import typer

from shopcli.cli.common import (
    MAX_LIMIT,
    JsonMembers,
    JsonRows,
    Shown,
    echo,
    json_output,
    open_store,
    print_table,
)

# Entries shown as text unless --limit or --all says otherwise: about one screen.
SCREEN = 40

SECTION_LABELS = {
    "inspection": "problem on receipt",
    "client": "needs the client",
    "late": "past expected date",
    "refund": "refund pending",
    "invoice": "invoice overdue",
    "awaiting": "awaiting the client",
    "to_order": "approved, not ordered",
    "handover": "to hand over",
    "return_window": "return window closing",
    "deadline": "job deadline",
    "follow_up": "follow-up due",
    "birthday": "birthday",
}


def register(app: typer.Typer) -> None:
    app.command("agenda")(agenda)


@json_output
def agenda(
    today: Annotated[
        str | None,
        typer.Option("--today", help="The day to plan for, YYYY-MM-DD (default: today)."),
    ] = None,
    days: Annotated[
        int,
        typer.Option(
            "--days",
            min=0,
            max=3650,
            help="Show decisions the client has owed for more than N days.",
        ),
    ] = 3,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=1,
            max=MAX_LIMIT,
            help=f"Show the N most urgent entries (default: {SCREEN} as text, all as JSON).",
        ),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Show every entry as text.")] = False,
) -> Shown:
    """Show what needs doing across all jobs, most urgent first."""
    import datetime as dt

    from shopcli.core import dates, validate
    from shopcli.people import profile
    from shopcli.work import agenda as plan

    day = dt.date.fromisoformat(validate.date(today, "--today") if today else dates.today())
    store = open_store()
    after = profile.load().get("followup_days", plan.DEFAULT_FOLLOWUP_DAYS)

    def as_data() -> JsonMembers:
        # Everything unless --limit, streamed in order (one entry a line, as SQLite writes
        # the big sections) and counted as it goes.
        entries: JsonRows
        if limit is None:
            chunks, counts = plan.build_json(store, day, wait_days=days, followup_days=after)
            entries = JsonRows(chunks, chunked=True)
        else:
            urgent, counts = plan.most_urgent(
                store, day, limit=limit, wait_days=days, followup_days=after
            )
            entries = JsonRows(urgent)
        return JsonMembers(
            [
                ("today", day.isoformat()),
                ("days", days),
                ("followup_days", after),
                ("entries", entries),
                ("counts", counts),  # complete once the entries have streamed
                ("not_checked", plan.notes(store)),
            ]
        )

    def human() -> None:
        shown_limit = SCREEN if limit is None and not show_all else limit
        if shown_limit is None:  # everything, streamed in order
            entries: Iterable[dict] = plan.build(store, day, wait_days=days, followup_days=after)
            counts = dict.fromkeys(plan.SECTIONS, 0)
        else:
            entries, counts = plan.most_urgent(
                store, day, limit=shown_limit, wait_days=days, followup_days=after
            )
        source = iter(entries)
        first = next(source, None)
        if first is None:
            echo(f"Nothing on the agenda for {day.isoformat()}.")
            return
        shown = dict.fromkeys(plan.SECTIONS, 0)
        told: dict[int, None] = {}  # job ids, in the order first met
        print_table(
            ["when", "what", "job", "item", "details"],
            (_row(entry, shown, told) for entry in chain([first], source)),
            title=f"Agenda for {day.isoformat()}",
        )
        if told:
            commands = "; ".join(f"shop propose {job_id}" for job_id in told)
            echo(
                "The client must hear of the items marked 'needs the client': the next proposal "
                f"version shows them ({commands})."
            )
        if shown_limit is None:
            return  # everything was shown
        more = {section: n - shown[section] for section, n in counts.items() if n > shown[section]}
        if more:
            parts = ", ".join(f"{SECTION_LABELS[section]} {n:,}" for section, n in more.items())
            echo(
                f"… and {sum(more.values()):,} more ({parts}): `shop agenda --all` shows "
                "everything."
            )

    return Shown(json=as_data, human=human)


def _row(entry: dict, shown: dict[str, int], told: dict[int, None]) -> list[str]:
    """The table row of an entry (and one more shown of its section); the jobs whose client
    must hear of something go in `told`."""
    shown[entry["section"]] += 1
    if entry["section"] == "client" and entry["job"]:
        told[entry["job_id"]] = None
    section = SECTION_LABELS[entry["section"]]
    return [_when(entry), section, _job(entry), _item(entry), _details(entry)]


def _when(entry: dict) -> str:
    days = entry["days"]
    if days == 0:
        return f"{entry['due']} today"
    if days < 0:
        return f"{entry['due']} ({-days} d ago)"
    return f"{entry['due']} (in {days} d)"


def _job(entry: dict) -> str:
    if entry["job"]:
        return f"{entry['client']} / {entry['job']} (#{entry['job_id']})"
    return entry["client"] or ""


def _item(entry: dict) -> str:
    if entry["item_id"] is None:
        return entry["recipient"] or ""
    who = f" for {entry['recipient']}" if entry["recipient"] else ""
    return f"{entry['job']}/{entry['item_number']} {entry['item']}{who}"


def _reminder_text(reminder: dict) -> str:
    """Short, to fit a plain table's column: the JSON has the days of the earlier ones."""
    if not reminder.get("level"):
        return f"{reminder.get('last_level')} reminders sent"
    if reminder.get("due_now"):
        return f"reminder {reminder['level']} due now"
    return f"reminder {reminder['level']} on {reminder['due']}"


def _details(entry: dict) -> str:
    from shopcli.core.money import shown

    d = entry["detail"]
    section = entry["section"]
    if section == "inspection":
        return (
            d["result"]
            + (f": {d['note']}" if d.get("note") else "")
            + "; resolve: shop item resolve "
            + f"{entry['job_id']}/{entry['item_number']}"
            + " --accepted|--exchange|--return"
        )
    if section == "client":
        found = []
        if d.get("new_price") is not None:
            old, new = (shown(d[key], d["currency"]) for key in ("old_price", "new_price"))
            found.append(f"price {old} → {new}")
        if d.get("unavailable"):
            found.append("not available")
        if d.get("note"):
            found.append(d["note"])
        what = "change asked" if d["status"] == "change_requested" else "store check"
        return f"{what}: {'; '.join(found) or 'see the item'}"
    if section == "late":
        parts = [d["status"], f"expected {d['eta']}"]
        if d.get("carrier") or d.get("tracking"):
            parts.append(" ".join(p for p in (d.get("carrier"), d.get("tracking")) if p))
        return ", ".join(parts)
    if section == "refund":
        return f"{shown(d['amount'], d['currency'])} ({d['reason']}; paid by {d['paid_by']})"
    if section == "invoice":
        # Short enough for a plain table's column; the JSON has the total too.
        owed = shown(d["owed"], d["currency"])
        return f"{d['invoice']}: {owed} unpaid; {_reminder_text(d.get('reminder') or {})}"
    if section == "awaiting":
        return f"{d['status'].replace('_', ' ')} since {d['since']} ({d['waiting_days']} d)"
    if section == "to_order":
        return f"approved {d['since']}" + (
            f", job due {d['deadline']}" if d.get("deadline") else ""
        )
    if section == "handover":
        if d.get("planned_on"):
            return f"handover planned {d['planned_on']}" + (
                f" at {d['planned_place']}" if d.get("planned_place") else ""
            )
        return f"received {d['received']}"
    if section == "deadline":
        return (
            f"{d['open_items']} of {d['items']} items still open" if d["items"] else "no items yet"
        )
    if section == "return_window":
        verdict = f"; {d['verdict']}" if d.get("verdict") else "; no feedback yet"
        store = f" to {d['store']}" if d.get("store") else ""
        return f"returnable{store} until {d['return_by']}{verdict}"
    if section == "follow_up":
        gifts = f"{d['awaiting']} gift{'s' if d['awaiting'] != 1 else ''}"
        return f"shop notify {entry['job_id']} follow-up ({gifts} handed over {d['handed_over']})"
    if section == "birthday":
        gifts = "; ".join(_gift(g) for g in d["last_gifts"]) or "none recorded"
        age = f"turns {d['age']}; " if d.get("age") else ""
        return f"{age}gifts before this one: {gifts}"
    return ""


def _gift(gift: dict) -> str:
    """A past gift with what the recipient thought of it: Wool scarf (loved: wears it daily)."""
    if not gift.get("verdict"):
        return gift["title"]
    note = f": {gift['note']}" if gift.get("note") else ""
    return f"{gift['title']} ({gift['verdict']}{note})"
