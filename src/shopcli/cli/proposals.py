"""`shop propose`, the client's answers (`approve`, `reject`, `change`, `decide`) and
`shop proposal show`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from shopcli.cli import complete
from shopcli.cli.common import JsonOption, echo, emit_document, open_store, print_json, print_table

app = typer.Typer(help="Proposal versions and the client's answers.", no_args_is_help=True)

JobArg = Annotated[
    str, typer.Argument(help="Job id, title, prefix, or CLIENT/JOB.", autocompletion=complete.jobs)
]
Numbers = Annotated[
    list[str],
    typer.Argument(
        help="Item numbers in the job: 1 3, 1,3 or 2-4.",
        show_default=False,
        autocompletion=complete.item_numbers,
    ),
]
Note = Annotated[str | None, typer.Option("--note", "-n", help="The client's note or reason.")]

VERBS = {"approved": "approve", "rejected": "reject", "change_requested": "change"}
# Largest reply file read (a pasted email is a few kilobytes).
MAX_REPLY_BYTES = 1_000_000


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

    store = open_store()
    row = jobs.get(store, job)

    def deliver(document: str | bytes) -> None:
        if isinstance(document, str):
            emit_document(document, output)
        elif output in (None, "-"):
            sys.stdout.buffer.write(document)
            sys.stdout.flush()
        else:
            from pathlib import Path

            from shopcli.core.files import write_private

            write_private(Path(output), document)
            typer.echo(f"Wrote {output}", err=True)

    result = proposals.propose(
        store,
        row,
        fmt=fmt.strip().lower(),
        preview=preview,
        strict=strict,
        deliver=deliver,
        output=output,
    )
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
    else:
        typer.echo(
            f"The cart is unchanged since proposal version {result.version}; rendered it again.",
            err=True,
        )


def _amount(value, currency: str) -> str:
    from shopcli.core.money import plain

    return f"{plain(value, currency)} {currency}"


def _answer(job: str, decision: str, numbers: list[str], note: str | None) -> None:
    from shopcli.proposing import proposals, replies
    from shopcli.work import jobs, lifecycle

    store = open_store()
    row = jobs.get(store, job)
    planned, _ = proposals.answer(store, row, decision, replies.parse_numbers(numbers), note)
    named = ", ".join(f"{p.item['number']} {p.item['title']}" for p in planned)
    versions = sorted({p.version for p in planned})
    shown = ", ".join(map(str, versions))
    extra = f" (note: {planned[0].note})" if planned and planned[0].note else ""
    echo(f"{lifecycle.label(decision).capitalize()}: {named}{extra} [proposal version {shown}]")


def approve(job: JobArg, numbers: Numbers, note: Note = None) -> None:
    """Record that the client approves items, by their numbers in the job."""
    _answer(job, "approved", numbers, note)


def reject(job: JobArg, numbers: Numbers, note: Note = None) -> None:
    """Record that the client rejects items (they drop out of the cart and budget)."""
    _answer(job, "rejected", numbers, note)


def change(job: JobArg, numbers: Numbers, note: Note = None) -> None:
    """Record that the client asks for a change to items (say what in --note)."""
    _answer(job, "change_requested", numbers, note)


def _read_reply(source: str) -> str:
    from pathlib import Path

    from shopcli.core.errors import InvalidInput

    if source == "-":
        data = (
            sys.stdin.buffer.read(MAX_REPLY_BYTES + 1)
            if hasattr(sys.stdin, "buffer")
            else (sys.stdin.read().encode("utf-8"))
        )
    else:
        path = Path(source)
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_REPLY_BYTES + 1)
        except FileNotFoundError:
            raise InvalidInput(f"cannot read the reply: {source} does not exist") from None
        except IsADirectoryError:
            raise InvalidInput(f"cannot read the reply: {source} is a folder") from None
        except OSError as exc:
            raise InvalidInput(f"cannot read the reply {source}: {exc.strerror}") from None
    if len(data) > MAX_REPLY_BYTES:
        raise InvalidInput("the reply is larger than 1 MB; paste only the client's answer")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            f"the reply {source} is not UTF-8 text; save it as UTF-8 and try again"
        ) from None


def decide(
    job: JobArg,
    reply: Annotated[
        str, typer.Option("--reply", "-r", help="File with the client's reply; - reads stdin.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what the reply says; apply nothing.")
    ] = False,
) -> None:
    """Read the client's emailed reply and apply all of its answers, or none of them."""
    from shopcli.proposing import proposals
    from shopcli.work import jobs, lifecycle

    store = open_store()
    row = jobs.get(store, job)
    text = _read_reply(reply)
    parsed, planned, counts = proposals.apply_reply(store, row, text, dry_run=dry_run)
    source = "stdin" if reply == "-" else reply
    echo(f"Understood from {source}:")
    groups: dict[tuple, list] = {}
    for p in planned:
        groups.setdefault((p.line, p.decision, p.note), []).append(p)
    for (line, decision, note), members in groups.items():
        named = ", ".join(f"{p.item['number']} {p.item['title']}" for p in members)
        extra = f" (note: {note})" if note else ""
        echo(f"  line {line}: {VERBS[decision]} {named}{extra}")
    if parsed.ignored:
        skipped = "; ".join(f"line {n} {text!r}" for n, text in parsed.ignored)
        echo(f"Skipped as not instructions: {skipped}")
    if dry_run:
        echo("Dry run: nothing was applied.")
        return
    done = ", ".join(f"{n} {lifecycle.label(d)}" for d, n in counts.items() if n)
    echo(f"Applied: {done}.")


@app.command("show")
def show(
    job: JobArg,
    version: Annotated[
        int | None, typer.Option("--version", "-v", help="Show this version's items.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List a job's proposal versions and the client's answers (or one version in detail)."""
    from shopcli.proposing import proposals
    from shopcli.work import jobs

    store = open_store()
    row = jobs.get(store, job)
    if version is not None:
        _show_version(proposals.get_version(store, row, version), row, as_json)
        return
    found = proposals.versions(store, row)
    answers = proposals.answers(store, row)
    cur = row["currency"]
    if as_json:
        from shopcli.core.money import plain

        print_json(
            {
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
                        "answers": v["answers"],
                    }
                    for v in found
                ],
                "answers": [_answer_json(a) for a in answers],
            }
        )
        return
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
                v["answers"]["approved"],
                v["answers"]["rejected"],
                v["answers"]["change_requested"],
            ]
            for v in found
        ],
        title=f"Proposals for {row['title']}",
        right=["version", "items", "total", "budget", "approved", "rejected", "change"],
    )
    echo("")
    _print_answers(answers)


def _answer_json(a: dict) -> dict:
    return {
        "version": a["version"],
        "item_id": a["item_id"],
        "number": a["number"],
        "title": a["title"],
        "decision": a["decision"],
        "note": a["note"],
        "source": a["source"],
        "decided_at": a["decided_at"],
    }


def _print_answers(answers: list[dict]) -> None:
    from shopcli.work import lifecycle

    print_table(
        ["no", "item", "answer", "note", "version", "from", "when"],
        [
            [
                a["number"],
                a["title"],
                lifecycle.label(a["decision"]),
                a["note"],
                a["version"],
                a["source"],
                a["decided_at"][:16].replace("T", " "),
            ]
            for a in answers
        ],
        title="Answers",
        right=["no", "version"],
    )


def _show_version(found: dict, job: dict, as_json: bool) -> None:
    from decimal import Decimal

    from shopcli.work import lifecycle

    snap = found["snapshot"]
    cur = found["currency"]
    if as_json:
        print_json(
            {
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
                "answers": [_answer_json(a) for a in found["answers"]],
            }
        )
        return
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
        if not any(changed.values()):
            echo("  (no item changed)")
    echo("")
    _print_answers(found["answers"])


def _change_text(change: dict) -> str:
    if change["field"] == "price":
        return (
            f"price {change['old']} {change['old_currency']} → "
            f"{change['new']} {change['new_currency']}"
        )
    return f"{change['field']} {change['old'] or '-'} → {change['new'] or '-'}"
