"""`shop import`, `export`, `backup`, `restore` and `doctor`: the shopper's data as a whole."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from shopcli.cli.common import (
    Shown,
    YesOption,
    confirm,
    echo,
    json_output,
    open_store,
)
from shopcli.core.errors import ExitStatus

# Files larger than this get a progress bar on a terminal (about 20,000 item rows).
LARGE_FILE_BYTES = 2_000_000


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
    app.command("export")(export)
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("doctor")(doctor)


@json_output
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="A gift list (.yaml), items (.csv, with --job), contacts (.vcf) or an export "
            "(.json); - reads standard input."
        ),
    ],
    job: Annotated[
        str | None, typer.Option("--job", help="The job the items of a .csv file belong to.")
    ] = None,
    client: Annotated[
        str | None,
        typer.Option("--client", help="Contacts (.vcf) become this client's recipients."),
    ] = None,
) -> Shown:
    """Import a gift list, candidate items, contacts or an export, all or nothing."""
    from shopcli.data import importing

    store = open_store()
    if str(file) == "-":
        result = importing.import_stream(store, sys.stdin.buffer, job=job)
    else:
        large = file.is_file() and file.stat().st_size > LARGE_FILE_BYTES
        if large and sys.stderr.isatty():
            result = _with_progress(
                file,
                lambda report: importing.import_file(
                    store, file, job=job, client=client, progress=report
                ),
            )
        else:
            result = importing.import_file(store, file, job=job, client=client)

    def human() -> None:
        totals = result.totals()
        source = "standard input" if str(result.path) == "-" else result.path
        echo(
            f"Imported {source} ({result.kind}): {totals['created']} created, "
            f"{totals['updated']} updated, {totals['unchanged']} unchanged"
        )
        for change in result.changes:
            if change.kind == "table":
                what = f"{change.label}: {_rows(change.count)}"
            elif change.kind == "items":
                what = f"{change.count} {change.label}"
            else:
                ident = f"#{change.record_id} " if change.record_id else ""
                what = f"{change.kind} {ident}{change.label}"
            fields = f" ({', '.join(change.fields)})" if change.fields else ""
            echo(f"  {change.action:<10} {what}{fields}")
        for note in result.notes:
            echo(f"Note: {note}")

    def finish() -> None:
        from shopcli.cli.common import warn

        for warning in result.warnings:
            warn(warning)

    return Shown(json=lambda: result.public(), human=human, finish=finish)


def _with_progress(file: Path, run):
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(f"Checking {file.name}", total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return run(report)


def export(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="json (one document) or csv (one file a table).")
    ] = "json",
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write: a file for JSON (default: print it); a .zip file or a new "
            "folder for CSV (default: shop-export-DATE.zip here); - prints either (CSV as a "
            ".zip).",
        ),
    ] = None,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Include digital codes in full (masked otherwise).")
    ] = False,
) -> None:
    """Export every record, to move them elsewhere or read them in a spreadsheet."""
    from shopcli.core.errors import InvalidInput
    from shopcli.data import exporting

    kind = fmt.strip().lower()
    if kind not in ("json", "csv"):
        raise InvalidInput(f"export format must be json or csv, not {fmt!r}")
    store = open_store()
    if kind == "json" and (output is None or output == "-"):
        counts, masked = exporting.write_json(store, sys.stdout, reveal=reveal)
    elif kind == "json" and output is not None:
        from shopcli.core.files import private_text_file

        with private_text_file(Path(output), kind="export") as handle:
            counts, masked = exporting.write_json(store, handle, reveal=reveal)
        typer.echo(f"Wrote {output}", err=True)
    elif output == "-":
        sys.stdout.flush()
        counts, masked = exporting.write_csv_zip(store, sys.stdout.buffer, reveal=reveal)
        sys.stdout.buffer.flush()
    else:
        target = Path(output) if output is not None else exporting.default_csv_path()
        counts, masked = exporting.write_csv(store, target, reveal=reveal)
        typer.echo(f"Wrote {target}", err=True)
    typer.echo(f"Exported: {_held(counts)}.", err=True)
    if masked:
        typer.echo(f"Masked: {', '.join(masked)} (--reveal includes digital codes).", err=True)


def backup(
    file: Annotated[
        str | None,
        typer.Argument(
            help="Where to write the copy, as -o/--output does (kept for older scripts).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the copy: a new file or a folder (default: backups/ in the "
            "data folder); - writes it to standard output.",
            show_default=False,
        ),
    ] = None,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify",
            help="Check the copy with SQLite's full integrity check, indexes against their "
            "tables too (slower; every copy gets the quick check of every page).",
        ),
    ] = False,
) -> None:
    """Make a consistent copy of the database (safe while other commands write)."""
    from shopcli.core.errors import InvalidInput
    from shopcli.core.files import size_text
    from shopcli.data import backup as backups

    if file is not None and output is not None and file != output:
        raise InvalidInput("give the backup's file once: as -o/--output or as the argument")
    file = output if output is not None else file
    if file is not None and not file.strip():
        raise InvalidInput("the backup's file name is empty")
    if file and file.endswith(("/", os.sep)) and not Path(file).is_dir():
        # A name ending in a slash means a folder: never a file named like it.
        raise InvalidInput(f"cannot write the backup into {file}: no such folder")
    store = open_store()
    if file == "-":
        sys.stdout.flush()
        copy = backups.backup_to(store, sys.stdout.buffer, verify=verify)
        typer.echo(
            f"Backed up to standard output ({size_text(copy.size)}, schema {copy.schema}): "
            f"{_held(copy.counts)}",
            err=True,
        )
        return
    copy = backups.backup(store, Path(file) if file else None, verify=verify)
    echo(
        f"Backed up to {copy.path} ({size_text(copy.size)}, schema {copy.schema}): "
        + _held(copy.counts)
    )


def restore(
    file: Annotated[Path, typer.Argument(help="A backup made by `shop backup`.")],
    yes: YesOption = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Restore even if the backup lacks invoices issued since (their numbers "
            "would be issued again).",
        ),
    ] = False,
) -> None:
    """Replace the database with a backup, keeping the current one aside."""
    from shopcli.data import backup as backups

    plan = backups.check_restore(file, force=force)
    try:
        if plan.lost_invoices:
            typer.echo(
                f"Warning: the backup lacks issued invoices {', '.join(plan.lost_invoices)}; "
                "their numbers will be issued again.",
                err=True,
            )
        if plan.current_exists:
            now_held = (
                _held(plan.current_counts)
                if plan.current_problem is None
                else (f"unusable: {plan.current_problem}")
            )
            echo(f"Backup {file}: schema {plan.schema}; {_held(plan.counts)}.")
            echo(f"Current database: {now_held}.")
            confirm("Replace the current database with this backup (it is kept aside)?", yes)
    except BaseException:
        backups.discard(plan)
        raise
    done = backups.restore(plan)
    echo(f"Restored {file} (schema {done.schema}): {_held(done.counts)}.")
    if done.aside:
        echo(f"The previous database is kept as {done.aside}")


def _rows(n: int) -> str:
    return f"{n} row{'s' if n != 1 else ''}"


def _held(counts: dict[str, int]) -> str:
    """What a database holds, as `clients 3, jobs 5, items 120`."""
    return ", ".join(f"{table} {n}" for table, n in counts.items() if n) or "no records"


@json_output
def doctor() -> Shown:
    """Check the database, its files and the profile, and say what is wrong."""
    from shopcli.data import backup as backups

    findings = backups.doctor()
    problems = [f for f in findings if f.level == backups.PROBLEM]

    def human() -> None:
        for finding in findings:
            echo(f"{finding.level:<8} {finding.subject:<22} {finding.message}")
        if not problems:
            echo("\nNo problems found.")

    def finish() -> None:
        if problems:
            plural = "s" if len(problems) != 1 else ""
            typer.echo(f"{len(problems)} problem{plural} found (see above).", err=True)
            raise typer.Exit(ExitStatus.PROBLEM)

    return Shown(
        json=lambda: {"ok": not problems, "findings": [f.public() for f in findings]},
        human=human,
        finish=finish,
    )
