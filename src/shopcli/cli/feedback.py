"""`shop feedback`: record the client's answer to the follow-up, all of it or none."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli.common import echo, open_store, read_reply


def register(app: typer.Typer) -> None:
    app.command("feedback")(feedback)


def feedback(
    job: Annotated[str, typer.Argument(help="Job id, title, prefix, or CLIENT/JOB.")],
    reply: Annotated[
        str,
        typer.Option(
            "--reply",
            "-r",
            help="The client's answer: a text file, a saved email (.eml), or - for stdin.",
        ),
    ],
    on: Annotated[
        str | None,
        typer.Option("--on", help="When the client answered, YYYY-MM-DD (default: today)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what the reply says; record nothing.")
    ] = False,
) -> None:
    """Read the client's answer to the follow-up and record every verdict in it, or none."""
    from shopcli.core import dates, validate
    from shopcli.delivering import followup
    from shopcli.work import jobs

    store = open_store()
    row = jobs.get(store, job)
    text = read_reply(reply)
    day = validate.date(on, "feedback date") if on is not None else dates.today()
    done = followup.apply_reply(store, row, text, on=day, dry_run=dry_run)
    source = "stdin" if reply == "-" else reply
    echo(f"Understood from {source}:")
    for step in done.planned:
        item = step.item
        who = f" (for {item['recipient']})" if item.get("recipient") else ""
        extra = f": {step.note}" if step.note else ""
        echo(f"  line {step.line}: {item['number']} {item['title']}{who} {step.verdict}{extra}")
    if done.recommendation:
        line = done.reply.recommendation[0] if done.reply.recommendation else "?"
        echo(f"  line {line}: a recommendation: “{done.recommendation}”")
    for why in ("repeated from the follow-up", "prose", "quoted"):
        skipped = [(n, text) for n, text, reason in done.reply.skipped if reason == why]
        if skipped:
            shown = "; ".join(f"line {n} {text!r}" for n, text in skipped[:12])
            more = f" and {len(skipped) - 12} more" if len(skipped) > 12 else ""
            echo(f"Skipped ({why}): {shown}{more}")
    if dry_run:
        echo("Dry run: nothing was recorded.")
        return
    counts = ", ".join(f"{n} {verdict}" for verdict, n in done.counts.items() if n)
    echo(
        "Recorded: "
        + (counts or "no verdicts")
        + ("; the recommendation is kept with the client" if done.recommendation else "")
        + "."
    )
