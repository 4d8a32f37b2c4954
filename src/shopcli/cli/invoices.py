"""`shop invoice`: draft, issue, show, list, void and official numbers of invoices."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from shopcli.cli import complete
from shopcli.cli.common import JsonOption, echo, open_store, paged, print_json, print_table, warn


class InvoiceGroup(TyperGroup):
    """`shop invoice JOB ...` drafts (or issues) a job's invoice; other words are commands."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["make", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=InvoiceGroup,
    help="Invoices: `shop invoice JOB` shows the draft, `--issue` numbers and freezes it.",
    no_args_is_help=True,
)

Number = Annotated[
    str, typer.Argument(help="Invoice number, e.g. 2026-0001.", autocompletion=complete.invoices)
]
Format = Annotated[
    str, typer.Option("--format", "-f", help="Document format: text, html, eml or pdf.")
]
Output = Annotated[
    str | None, typer.Option("--output", "-o", help="Write the document to this file.")
]
Today = Annotated[
    str | None,
    typer.Option("--today", hidden=True, help="Use this date as today (YYYY-MM-DD), for tests."),
]


def emit(data: str | bytes, output: str | None) -> None:
    """Print or write a rendered document; binary ones (PDF, .eml) too."""
    from shopcli.cli.common import emit_document

    if isinstance(data, str):
        emit_document(data, output)
        return
    if output in (None, "-"):
        if sys.stdout.isatty() and data.startswith(b"%PDF"):
            from shopcli.core.errors import InvalidInput

            raise InvalidInput("a PDF is not shown on a terminal: add -o FILE.pdf")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from pathlib import Path

    from shopcli.core.files import write_private

    write_private(Path(output), data)
    typer.echo(f"Wrote {output}", err=True)


def check_output(output: str | None, fmt: str) -> None:
    """Refuse an output that cannot be written before anything is issued or recorded: an
    issued invoice is numbered for good, so it must not fail only when the file is written."""
    import os
    from pathlib import Path

    from shopcli.core.errors import InvalidInput

    if output in (None, "-"):
        if fmt == "pdf" and sys.stdout.isatty():
            raise InvalidInput("a PDF is not shown on a terminal: add -o FILE.pdf")
        return
    path = Path(output)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInput(f"cannot write {output}: folder {folder} does not exist")
    if path.is_dir():
        raise InvalidInput(f"cannot write {output}: it is a folder; name a file")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInput(f"cannot write {output}: folder {folder} is not writable")


def _check_format(fmt: str) -> str:
    from shopcli.billing import invoices
    from shopcli.core.errors import InvalidInput

    fmt = fmt.strip().lower()
    if fmt not in invoices.FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; use one of: {', '.join(invoices.FORMATS)}")
    if fmt == "pdf":
        from shopcli.documents import pdf

        pdf.require()
    return fmt


@app.command("make")
def make(
    job: Annotated[
        str,
        typer.Argument(help="Job id, title, prefix, or CLIENT/JOB.", autocompletion=complete.jobs),
    ],
    issue: Annotated[
        bool, typer.Option("--issue", help="Number, freeze and store it (otherwise a draft).")
    ] = False,
    deposit: Annotated[
        bool, typer.Option("--deposit", help="Bill the job's deposit before the work.")
    ] = False,
    fmt: Format = "text",
    output: Output = None,
    as_json: JsonOption = False,
    today: Today = None,
) -> None:
    """Show a job's draft invoice (the default for `shop invoice JOB`), or issue it."""
    from shopcli.billing import documents, drafts, invoices, issuing
    from shopcli.core import dates
    from shopcli.people import profile
    from shopcli.work import jobs

    fmt = _check_format(fmt)
    if not as_json:
        check_output(output, fmt)
    store = open_store()
    row = jobs.get(store, job)
    prof = profile.load()
    if not issue:
        document = drafts.build(store, row, deposit=deposit, issued=dates.today(today), prof=prof)
        missing = drafts.missing_fields(document, prof)
        if as_json:
            print_json({**document, "draft": True, "missing": missing})
            return
        emit(documents.render(store, None, document, fmt), output)
        if missing:
            warn("before issuing: " + "; ".join(missing))
        blocked = issuing.blocking_issue(store, row, deposit)
        if blocked:
            warn(blocked)
        negative = drafts.negative_total(document)
        if negative:
            warn(negative)
        return
    rendered: list[str | bytes] = []
    issued = issuing.issue(
        store,
        row,
        deposit=deposit,
        day=today,
        prof=prof,
        check=lambda r: rendered.append(documents.render(store, r, invoices.document_of(r), fmt)),
    )
    documents.log_rendered(store, issued, fmt, output)
    if as_json:
        print_json({**invoices.document_of(issued), "id": issued["id"]})
    else:
        emit(rendered[0], output)
    shown = invoices.public(issued)
    typer.echo(
        f"Issued {_kind_word(issued['kind'])} {issued['number']}: {shown['total']} "
        f"{issued['currency']}, due {issued['due']}",
        err=True,
    )


def _kind_word(kind: str) -> str:
    return {
        "credit_note": "credit note",
        "deposit": "deposit invoice",
        "fee_statement": "fee statement",
    }.get(kind, "invoice")


@app.command("show")
def show(
    number: Number,
    fmt: Format = "text",
    output: Output = None,
    as_json: JsonOption = False,
    today: Today = None,
) -> None:
    """Render an issued invoice (frozen as issued) as text, HTML, .eml or PDF."""
    from shopcli.billing import documents, invoices, payments

    store = open_store()
    row = invoices.get(store, number, prefix=True)
    if as_json:
        status = invoices.status_of(store, row, today)
        print_json(
            {
                **invoices.public({**row, **status}),
                "document": invoices.document_of(row),
                "payments": payments.listing(store, row),
            }
        )
        return
    fmt = _check_format(fmt)
    check_output(output, fmt)
    data = documents.render(store, row, invoices.document_of(row), fmt)
    documents.log_rendered(store, row, fmt, output)
    emit(data, output)


@app.command("list")
@paged
def list_(
    unpaid: Annotated[bool, typer.Option("--unpaid", help="Only those with money owed.")] = False,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only those past their due date and unpaid.")
    ] = False,
    client: Annotated[str | None, typer.Option(help="Only this client's.")] = None,
    job: Annotated[str | None, typer.Option(help="Only this job's.")] = None,
    as_json: JsonOption = False,
    today: Today = None,
) -> None:
    """List issued invoices, credit notes and statements with what is paid and owed."""
    from shopcli.billing import invoices
    from shopcli.people import clients
    from shopcli.work import jobs

    store = open_store()
    owner = clients.get(store, client) if client else None
    work = jobs.get(store, job) if job else None
    rows = invoices.listing(
        store,
        unpaid=unpaid,
        overdue=overdue,
        on=today,
        client_id=owner["id"] if owner else None,
        job_id=work["id"] if work else None,
    )
    data = [invoices.public(r) for r in rows]
    if as_json:
        print_json(data)
        return
    print_table(
        ["number", "kind", "client", "job", "issued", "due", "total", "owed", "state"],
        [
            [
                d["number"],
                _kind_word(d["kind"]),
                d["client"],
                d["job"],
                d["issued"],
                d["due"],
                f"{d['total']} {d['currency']}",
                d["balance"],
                d["state"]
                + (", overdue" if d["overdue"] else "")
                + (f" ({d['official_number']})" if d["official_number"] else ""),
            ]
            for d in data
        ],
        right=["total", "owed"],
    )


@app.command("void")
def void(
    number: Number,
    reason: Annotated[str, typer.Option(help="Why it is cancelled (shown on the credit note).")],
    fmt: Format = "text",
    output: Output = None,
    today: Today = None,
) -> None:
    """Cancel an issued invoice with a credit note of its own number that refers to it."""
    from shopcli.billing import credit_notes, documents, invoices

    fmt = _check_format(fmt)
    if output:
        check_output(output, fmt)
    store = open_store()
    rendered: list[str | bytes] = []
    credit = credit_notes.void(
        store,
        number,
        reason,
        day=today,
        check=(
            (lambda r: rendered.append(documents.render(store, r, invoices.document_of(r), fmt)))
            if output
            else None
        ),
    )
    if output:
        emit(rendered[0], output)
        documents.log_rendered(store, credit, fmt, output)
    echo(
        f"Issued credit note {credit['number']} cancelling {credit['original_number']}: "
        f"{invoices.public(credit)['total']} {credit['currency']}"
    )


@app.command("official")
def official(
    number: Number,
    official_number: Annotated[
        str, typer.Argument(help="The number the national system (NAV, KSeF, fapiao) gave.")
    ],
    replace: Annotated[
        bool, typer.Option("--replace", help="Correct an official number recorded before.")
    ] = False,
) -> None:
    """Record the official invoice number beside a fee statement (or invoice)."""
    from shopcli.billing import issuing

    store = open_store()
    row = issuing.record_official(store, number, official_number, replace=replace)
    echo(f"{row['number']}: official invoice number {row['official_number']}")
