"""`shop propose`, the client's decisions (`approve`, `reject`, `change`, `decide`) and
`shop proposal show`."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Annotated, Any

import typer

from shopcli.cli import complete
from shopcli.cli.common import (
    Shown,
    ask_to_apply,
    check_output,
    echo,
    emit_document,
    json_output,
    open_store,
    print_table,
    read_reply,
)

if TYPE_CHECKING:
    from shopcli.storage.rows import Decision, Job

app = typer.Typer(help="Proposal versions and the client's decisions.", no_args_is_help=True)

JobArg = Annotated[
    str, typer.Argument(help="Job id, title, prefix, or CLIENT/JOB.", autocompletion=complete.jobs)
]
Numbers = Annotated[
    list[str],
    typer.Argument(
        help="Item numbers in the job: 1 3, 1,3 or 2-4; or all (every item awaiting a decision).",
        show_default=False,
        autocompletion=complete.item_numbers,
    ),
]
Note = Annotated[str | None, typer.Option("--note", "-n", help="The client's note or reason.")]

VERBS = {"approved": "approve", "rejected": "reject", "change_requested": "change"}


def register(root: typer.Typer) -> None:
    root.command("propose")(propose)
    root.command("approve")(approve)
    root.command("reject")(reject)
    root.command("change")(change)
    root.command("decide")(decide)
    root.add_typer(app, name="proposal")


def propose(
    job: JobArg,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text (email body), html, or eml (a draft).")
    ] = "text",
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Write to this file (atomically); - is stdout."),
    ] = None,
    preview: Annotated[
        bool, typer.Option("--preview", help="Render only: record no version, change no item.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse to render when anything is over budget.")
    ] = False,
) -> None:
    """Render the cart for the client and record it as a proposal version."""
    from shopcli.proposing import proposals
    from shopcli.work import jobs

    fmt = fmt.strip().lower()
    check_output(output, fmt)
    store = open_store()
    row = jobs.get(store, job)

    result = proposals.propose(
        store,
        row,
        fmt=fmt,
        preview=preview,
        strict=strict,
        deliver=partial(emit_document, output=output),
        output=output,
    )
    from shopcli.cli.common import warn_untranslated_terms

    warn_untranslated_terms(row, result.language)
    cur = row["currency"]
    for over in result.over_budget:
        who = over["name"] or "the job total"
        typer.echo(
            f"Warning: {who} is over budget: {_amount(over['subtotal'], cur)} proposed, budget "
            f"{_amount(over['budget'], cur)} ({_amount(over['over_by'], cur)} over)",
            err=True,
        )
    if result.preview:
        typer.echo(f"Preview of proposal version {result.version}: nothing recorded.", err=True)
    elif result.recorded:
        typer.echo(f"Recorded proposal version {result.version} for {row['title']}.", err=True)
    elif result.refreshed:
        typer.echo(
            f"The items are as in proposal version {result.version}; rendered it again with "
            "the current budgets, rates and terms (still version "
            f"{result.version}).",
            err=True,
        )
    else:
        typer.echo(
            f"The cart is unchanged since proposal version {result.version}; rendered it again.",
            err=True,
        )


def _amount(value, currency: str) -> str:
    from shopcli.core.money import shown

    return shown(value, currency)


def _record(job: str, decision: str, numbers: list[str], note: str | None) -> None:
    from shopcli.proposing import proposals, replies
    from shopcli.work import jobs, lifecycle

    store = open_store()
    row = jobs.get(store, job)
    planned, _ = proposals.decide(store, row, decision, replies.parse_numbers(numbers), note)
    named = ", ".join(f"{p.item['number']} {p.item['title']}" for p in planned)
    versions = sorted({p.version for p in planned})
    shown = ", ".join(map(str, versions))
    extra = f" (note: {planned[0].note})" if planned and planned[0].note else ""
    echo(f"{lifecycle.label(decision).capitalize()}: {named}{extra} [proposal version {shown}]")


def approve(job: JobArg, numbers: Numbers, note: Note = None) -> None:
    """Record that the client approves items, by their numbers in the job (or all)."""
    _record(job, "approved", numbers, note)


def reject(job: JobArg, numbers: Numbers, note: Note = None) -> None:
    """Record that the client rejects items (they drop out of the cart and budget)."""
    _record(job, "rejected", numbers, note)


def change(job: JobArg, numbers: Numbers, note: Note = None) -> None:
    """Record that the client asks for a change to items (say what in --note)."""
    _record(job, "change_requested", numbers, note)


@json_output
def decide(
    job: JobArg,
    reply: Annotated[
        str,
        typer.Option(
            "--reply",
            "-r",
            help="The client's reply: plain text or a saved message (.eml); - reads stdin.",
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what the reply says; apply nothing.")
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Apply without asking (for scripts).")
    ] = False,
) -> Shown:
    """Read the client's emailed reply and apply all of its decisions, or none of them."""
    from shopcli.proposing import proposals
    from shopcli.work import jobs, lifecycle

    store = open_store()
    row = jobs.get(store, job)
    source = "stdin" if reply == "-" else reply
    text = read_reply(reply)
    reading, planned, items = proposals.read_reply(store, row, text)
    decided = {p.item["number"] for p in planned}
    open_items = [item for item in items if item.awaiting and item.number not in decided]

    def as_data() -> dict:
        ask_to_apply(f"these {len(planned)} decisions", yes=yes or dry_run, source=reply)
        counts = None if dry_run else proposals.apply_decisions(store, row, reading)[1]
        return {
            "job_id": row["id"],
            "job": row["title"],
            "source": source,
            "decisions": [_decision_json(p) for p in planned],
            "not_decided": [item.number for item in open_items],
            "skipped": [{"line": n, "text": t} for n, t in reading.skipped],
            "quoted_lines": reading.quoted,
            "applied": counts is not None,
            "counts": counts,
        }

    def human() -> None:
        recipients = {item.number: item.recipient for item in items}
        echo(f"Decisions read from {source}:")
        for p in planned:
            number = p.item["number"]
            who = f" (for {recipients[number]})" if recipients.get(number) else ""
            note = f", note {p.note!r}" if p.note else ""
            echo(f"  {VERBS[p.decision]:<7} {number} {p.item['title']}{who}{note}")
            echo(f"          line {p.line}: {p.words!r}")
        if open_items:
            named = ", ".join(f"{item.number} {item.title}" for item in open_items)
            echo(f"No decision in this reply for: {named}")
        if reading.skipped:
            shown = "; ".join(f"line {n} {line!r}" for n, line in reading.skipped[:12])
            more = f" and {len(reading.skipped) - 12} more" if len(reading.skipped) > 12 else ""
            echo(f"Skipped as not decisions: {shown}{more}")
        if reading.quoted:
            echo(f"Set aside as quoted or signature: {reading.quoted} lines")
        if dry_run:
            echo("Dry run: nothing was applied.")
            return
        ask_to_apply(f"these {len(planned)} decisions", yes=yes, source=reply)
        _, counts = proposals.apply_decisions(store, row, reading)
        done = ", ".join(f"{n} {lifecycle.label(d)}" for d, n in counts.items() if n)
        echo(f"Applied: {done}.")

    return Shown(json=as_data, human=human)


def _decision_json(p) -> dict:
    return {
        "number": p.item["number"],
        "item_id": p.item["id"],
        "title": p.item["title"],
        "decision": p.decision,
        "note": p.note,
        "line": p.line,
        "words": p.words,
        "version": p.version,
    }


@app.command("show")
@json_output
def show(
    job: JobArg,
    version: Annotated[
        int | None, typer.Option("--version", "-v", help="Show this version's items.")
    ] = None,
) -> Shown:
    """List a job's proposal versions and the client's decisions (or one version in detail)."""
    from shopcli.proposing import proposals
    from shopcli.work import jobs

    store = open_store()
    row = jobs.get(store, job)
    if version is not None:
        return _version_shown(proposals.get_version(store, row, version), row)
    found = proposals.versions(store, row)
    decisions = proposals.decisions(store, row)
    cur = row["currency"]

    def as_data() -> dict:
        from shopcli.core.money import plain

        recorded = [_recorded_json(d) for d in decisions]
        return {
            "job_id": row["id"],
            "job": row["title"],
            "currency": cur,
            "versions": [
                {
                    "version": v["version"],
                    "created_at": v["created_at"],
                    "items": v["items"],
                    "total": plain(v["total"], cur),
                    "budget": plain(v["budget"], cur) if v["budget"] is not None else None,
                    "decisions": v["decisions"],
                    "answers": v["decisions"],  # the old name, kept for scripts (CHANGELOG)
                }
                for v in found
            ],
            "decisions": recorded,
            "answers": recorded,  # the old name (CHANGELOG)
        }

    def human() -> None:
        if not found:
            echo(f"No proposal for {row['title']} yet; render one with `shop propose`.")
            return
        print_table(
            ["version", "recorded", "items", "total", "budget", "approved", "rejected", "change"],
            [
                [
                    v["version"],
                    v["created_at"][:16].replace("T", " "),
                    v["items"],
                    _amount(v["total"], cur),
                    _amount(v["budget"], cur) if v["budget"] is not None else "-",
                    v["decisions"]["approved"],
                    v["decisions"]["rejected"],
                    v["decisions"]["change_requested"],
                ]
                for v in found
            ],
            title=f"Proposals for {row['title']}",
            right=["version", "items", "total", "budget", "approved", "rejected", "change"],
        )
        echo("")
        _print_decisions(decisions)

    return Shown(json=as_data, human=human)


def _recorded_json(d: Decision) -> dict[str, Any]:
    return {
        "version": d["version"],
        "item_id": d["item_id"],
        "number": d["number"],
        "title": d["title"],
        "decision": d["decision"],
        "note": d["note"],
        "source": d["source"],
        "decided_at": d["decided_at"],
    }


def _print_decisions(decisions: list[Decision]) -> None:
    from shopcli.work import lifecycle

    print_table(
        ["no", "item", "decision", "note", "version", "from", "when"],
        [
            [
                d["number"],
                d["title"],
                lifecycle.label(d["decision"]),
                d["note"],
                d["version"],
                d["source"],
                d["decided_at"][:16].replace("T", " "),
            ]
            for d in decisions
        ],
        title="Decisions",
        right=["no", "version"],
    )


def _version_shown(found: dict, job: Job) -> Shown:
    from decimal import Decimal

    from shopcli.work import lifecycle

    snap = found["snapshot"]
    cur = found["currency"]
    recorded = [_recorded_json(d) for d in found["decisions"]]
    data = {
        "job_id": job["id"],
        "job": job["title"],
        "version": found["version"],
        "created_at": found["created_at"],
        "currency": cur,
        "items": snap["items"],
        "recipients": snap["recipients"],
        "rates": snap["rates"],
        "budget": snap["budget"],
        "terms": snap["terms"],
        "changes": found["changes"],
        "decisions": recorded,
        "answers": recorded,  # the old name (CHANGELOG)
    }

    def human() -> None:
        total = sum((Decimal(i["total_job"]) for i in snap["items"]), Decimal(0))
        print_table(
            ["no", "for", "item", "price", "qty", f"total {cur}", "as proposed"],
            [
                [
                    i["number"],
                    i["recipient"] or "-",
                    i["title"],
                    _amount(Decimal(i["price"]), i["currency"]),
                    i["qty"],
                    _amount(Decimal(i["total_job"]), cur),
                    lifecycle.label(i["status"]),
                ]
                for i in snap["items"]
            ],
            title=f"{job['title']}, proposal version {found['version']} "
            f"({found['created_at'][:16].replace('T', ' ')})",
            right=["no", "price", "qty", f"total {cur}"],
        )
        budget = f" of {_amount(Decimal(snap['budget']), cur)}" if snap["budget"] else ""
        echo(f"Total {_amount(total, cur)}{budget}")
        changed = found["changes"]
        if changed:
            echo(f"Changes since version {found['version'] - 1}:")
            for item in changed["added"]:
                echo(f"  + {item['number']} {item['title']}")
            for item in changed["removed"]:
                echo(f"  - {item['number']} {item['title']}")
            for entry in changed["changed"]:
                parts = "; ".join(_change_text(f) for f in entry["fields"])
                echo(f"  * {entry['item']['number']} {entry['item']['title']}: {parts}")
            for item in changed.get("flagged", []):
                echo(f"  ! {item['number']} {item['title']}: checked at the store")
            if not any(changed.values()):
                echo("  (no item changed)")
        echo("")
        _print_decisions(found["decisions"])

    return Shown(json=lambda: data, human=human)


def _change_text(change: dict) -> str:
    if "old_currency" in change:  # price, shipping, customs: money in the item's currency
        old, new = (
            _amount(change[side], change[f"{side}_currency"]) if change[side] else "-"
            for side in ("old", "new")
        )
        return f"{change['field']} {old} → {new}"
    return f"{change['field']} {change['old'] or '-'} → {change['new'] or '-'}"
