"""`shop agenda`: one screen of what needs doing, most urgent first."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import Annotated

import typer

from shopcli.cli.common import JsonOption, echo, open_store, paged, print_json_members, print_table

# Entries shown as text unless --limit or --all says otherwise: about one screen.
SCREEN = 40

SECTION_LABELS = {
    "inspection": "problem on receipt",
    "late": "past expected date",
    "refund": "refund pending",
    "invoice": "invoice overdue",
    "awaiting": "awaiting the client",
    "to_order": "approved, not ordered",
    "handover": "to hand over",
    "deadline": "job deadline",
    "birthday": "birthday",
}


def register(app: typer.Typer) -> None:
    app.command("agenda")(paged(agenda))


def agenda(
    as_json: JsonOption = False,
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
            help="Show answers the client has owed for more than N days.",
        ),
    ] = 3,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=1,
            help=f"Show the N most urgent entries (default: {SCREEN} as text, all as JSON).",
        ),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Show every entry as text.")] = False,
) -> None:
    """Show what needs doing across all jobs, most urgent first."""
    import datetime as dt

    from shopcli.core import validate
    from shopcli.work import agenda as plan

    day = dt.date.fromisoformat(validate.date(today, "--today")) if today else dt.date.today()
    if limit is None and not as_json and not show_all:
        limit = SCREEN
    store = open_store()
    if limit is None:  # everything, streamed in order (counted as it goes, for JSON)
        entries = plan.build(store, day, wait_days=days)
        counts = dict.fromkeys(plan.SECTIONS, 0)
    else:
        entries, counts = plan.most_urgent(store, day, limit=limit, wait_days=days)
    if as_json:

        def counted() -> Iterator[dict]:
            for entry in entries:
                if limit is None:
                    counts[entry["section"]] += 1
                yield entry

        print_json_members(
            [
                ("today", day.isoformat()),
                ("days", days),
                ("entries", counted()),
                ("counts", counts),  # complete once the entries have streamed
                ("not_checked", plan.notes(store)),
            ]
        )
        return
    source = iter(entries)
    first = next(source, None)
    if first is None:
        echo(f"Nothing on the agenda for {day.isoformat()}.")
        return
    shown = dict.fromkeys(plan.SECTIONS, 0)
    print_table(
        ["when", "what", "job", "item", "details"],
        (_row(entry, shown) for entry in chain([first], source)),
        title=f"Agenda for {day.isoformat()}",
    )
    if limit is None:
        return  # everything was shown
    more = {section: n - shown[section] for section, n in counts.items() if n > shown[section]}
    if more:
        parts = ", ".join(f"{SECTION_LABELS[section]} {n:,}" for section, n in more.items())
        echo(f"… and {sum(more.values()):,} more ({parts}): `shop agenda --all` shows everything.")


def _row(entry: dict, shown: dict[str, int]) -> list[str]:
    """The table row of an entry (and one more shown of its section)."""
    shown[entry["section"]] += 1
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
    return f"#{entry['item_id']} {entry['item']}{who}"


def _details(entry: dict) -> str:
    d = entry["detail"]
    section = entry["section"]
    if section == "inspection":
        return (
            d["result"]
            + (f": {d['note']}" if d.get("note") else "")
            + f"; resolve: shop item resolve {entry['item_id']} --accepted|--exchange|--return"
        )
    if section == "late":
        parts = [d["status"], f"expected {d['eta']}"]
        if d.get("carrier") or d.get("tracking"):
            parts.append(" ".join(p for p in (d.get("carrier"), d.get("tracking")) if p))
        return ", ".join(parts)
    if section == "refund":
        return f"{d['amount']} {d['currency']} ({d['reason']}; paid by {d['paid_by']})"
    if section == "invoice":
        return f"{d['invoice']}: {d['owed']} of {d['total']} {d['currency']} unpaid"
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
    if section == "birthday":
        gifts = "; ".join(g["title"] for g in d["last_gifts"]) or "none recorded"
        age = f"turns {d['age']}; " if d.get("age") else ""
        return f"{age}last year's gifts: {gifts}"
    return ""
