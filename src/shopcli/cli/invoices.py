"""`shop invoice`: draft, issue, show, list, void and official numbers of invoices."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from shopcli.cli import complete
from shopcli.cli.common import (
    JsonOption,
    Shown,
    TodayOption,
    check_output,
    deliver_to,
    echo,
    emit_document,
    json_output,
    open_store,
    print_table,
    warn,
)

if TYPE_CHECKING:
    from shopcli.storage.rows import Invoice


class InvoiceGroup(TyperGroup):
    """`shop invoice JOB ...` drafts (or issues) a job's invoice; other words are commands."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.list_commands(ctx) and args[0] not in ("-h", "--help"):
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
AttachReceipts = Annotated[
    bool,
    typer.Option(
        "--attach-receipts",
        help="With --format eml: attach the receipts kept for the re-billed lines.",
    ),
]


def _check_attach(attach: bool, fmt: str) -> None:
    """Refuse --attach-receipts without an .eml before anything is issued or rendered."""
    if attach and fmt != "eml":
        from shopcli.core.errors import InvalidInput

        raise InvalidInput("--attach-receipts goes with --format eml")


def _receipt_files(store, job_id: int, document: dict, attach: bool, fmt: str) -> list:
    """The receipts of the document's re-billed lines, to attach to its .eml."""
    _check_attach(attach, fmt)
    if not attach:
        return []
    from shopcli.billing import receipts

    return receipts.attachments(store, job_id, document["lines"])


def _receipts_note(store, job_id: int, document: dict) -> None:
    """Tell the shopper which re-billed lines of a draft have receipts kept (stderr)."""
    from shopcli.billing import receipts

    lines = receipts.for_lines(store, job_id, document["lines"])
    if not lines:
        return
    have = sum(1 for line in lines if line["receipts"])
    typer.echo(f"Receipts for the re-billed lines: {have} of {len(lines)} have one", err=True)
    for line in lines:
        what = line["description"] or line["kind"].replace("_", " ")
        if line["receipts"]:
            kept = ", ".join(f"#{r['id']} {r['name']}" for r in line["receipts"])
        elif line["cost_id"] is not None:
            kept = f"none (shop cost receipt {line['cost_id']} FILE)"
        elif line["item_number"] is not None:
            kept = "none (shop item receipt ITEM FILE)"
        else:
            kept = "none"
        typer.echo(f"  line {line['line']}: {what} ({line['kind']}): {kept}", err=True)


def _check_format(fmt: str, *, pdf_now: bool = True) -> str:
    """The format, checked; a PDF needs WeasyPrint, which is checked at once (before an
    invoice is issued) unless `pdf_now` is false: an issued invoice's PDF may be kept from
    an earlier showing, and is refused at rendering, before anything is written."""
    from shopcli.billing import invoices
    from shopcli.core.errors import InvalidInput

    fmt = fmt.strip().lower()
    if fmt not in invoices.FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; use one of: {', '.join(invoices.FORMATS)}")
    if fmt == "pdf" and pdf_now:
        from shopcli.documents import pdf

        pdf.require()
    return fmt


@app.command("make")
@json_output
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
    supplied: Annotated[
        str | None,
        typer.Option(
            help="Date of supply, YYYY-MM-DD, printed when it is not the issue date (default: "
            "the day the goods were last handed over)."
        ),
    ] = None,
    fmt: Format = "text",
    output: Output = None,
    attach_receipts: AttachReceipts = False,
    today: TodayOption = None,
    as_json: JsonOption = False,
) -> Shown:
    """Show a job's draft invoice (the default for `shop invoice JOB`), or issue it."""
    from shopcli.billing import documents, drafts, invoices, issuing
    from shopcli.core import dates, validate
    from shopcli.people import profile
    from shopcli.work import jobs

    fmt = _check_format(fmt)
    _check_attach(attach_receipts, fmt)
    if supplied is not None:
        supplied = validate.date(supplied, "date of supply")
    check_output(output, fmt)
    store = open_store()
    row = jobs.get(store, job)
    prof = profile.load()
    if not issue:
        from shopcli.billing import receipts

        document = drafts.build(
            store, row, deposit=deposit, issued=dates.today(today), supplied=supplied, prof=prof
        )
        missing = drafts.missing_fields(document, prof)

        def draft() -> None:
            files = _receipt_files(store, row["id"], document, attach_receipts, fmt)
            emit_document(
                documents.render(store, None, document, fmt, extra_attachments=files), output
            )
            _warn_untranslated(prof, document)
            _receipts_note(store, row["id"], document)
            if missing:
                warn("before issuing: " + "; ".join(missing))
            blocked = issuing.blocking_issue(store, row, deposit)
            if blocked:
                warn(blocked)
            negative = drafts.negative_total(document)
            if negative:
                warn(negative)

        return Shown(
            json=lambda: {
                **document,
                "draft": True,
                "missing": missing,
                "receipts": receipts.for_lines(store, row["id"], document["lines"]),
            },
            human=draft,
        )
    deliver = deliver_to(output, as_json=as_json)

    def written(r: Invoice) -> None:
        """Rendered and written before the number is committed: a document that cannot be
        made or written is never numbered."""
        document = invoices.document_of(r)
        files = _receipt_files(store, r["job_id"], document, attach_receipts, fmt)
        # Not kept in the cache: the number is not committed yet (a failed issue keeps nothing).
        data = documents.render(store, r, document, fmt, extra_attachments=files, keep=False)
        if deliver is not None:
            deliver(data)
            documents.log_rendered(store, r, fmt, output)

    issued = issuing.issue(
        store, row, deposit=deposit, day=today, supplied=supplied, prof=prof, check=written
    )

    def shown() -> None:
        _warn_untranslated(prof, invoices.document_of(issued))

    def said() -> None:
        total = invoices.public(issued)["total"]
        typer.echo(
            f"Issued {_kind_word(issued['kind'])} {issued['number']}: "
            f"{money(total, issued['currency'], digits=invoices.digits_of(issued))}, "
            f"due {issued['due']}",
            err=True,
        )

    return Shown(
        json=lambda: {**invoices.document_of(issued), "id": issued["id"]},
        human=shown,
        finish=said,
    )


def _warn_untranslated(prof, document: dict) -> None:
    """Say when the VAT exemption note is not written in the document's language."""
    from shopcli.cli.common import warn_untranslated

    if document.get("vat_exempt_note"):
        language = document.get("language") or "en"
        warn_untranslated(prof.untranslated(["vat_exempt_note"], language), language)


def money(amount: Any, currency: str, *, digits: int | None = None) -> str:
    """An amount of an issued document on screen (`1,234.50 EUR`); an amount given as text
    keeps the decimals it was written with (those the document was issued with)."""
    from shopcli.core.money import shown

    if digits is None and isinstance(amount, str):
        digits = len(amount.partition(".")[2])
    return shown(amount, currency, digits=digits)


def _kind_word(kind: str) -> str:
    return {
        "credit_note": "credit note",
        "deposit": "deposit invoice",
        "fee_statement": "fee statement",
    }.get(kind, "invoice")


@app.command("show")
@json_output
def show(
    number: Number,
    fmt: Format = "text",
    output: Output = None,
    attach_receipts: AttachReceipts = False,
    today: TodayOption = None,
) -> Shown:
    """Render an issued invoice (frozen as issued) as text, HTML, .eml or PDF."""
    from shopcli.billing import documents, invoices, payments, receipts, reminders

    store = open_store()
    row = invoices.get(store, number, prefix=True)

    def as_data() -> dict:
        status = invoices.status_of(store, row, today)
        document = invoices.document_of(row)
        return {
            **invoices.public(row, status),
            "document": document,
            "payments": payments.listing(store, row),
            "reminders": reminders.listing(store, row),
            "receipts": receipts.for_lines(store, row["job_id"], document["lines"]),
        }

    def shown() -> None:
        checked = _check_format(fmt, pdf_now=False)
        check_output(output, checked)
        document = invoices.document_of(row)
        files = _receipt_files(store, row["job_id"], document, attach_receipts, checked)
        data = documents.render(store, row, document, checked, extra_attachments=files)
        emit_document(data, output)
        documents.log_rendered(store, row, checked, output)

    return Shown(json=as_data, human=shown)


@app.command("list")
@json_output
def list_(
    unpaid: Annotated[bool, typer.Option("--unpaid", help="Only those with money owed.")] = False,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only those past their due date and unpaid.")
    ] = False,
    client: Annotated[str | None, typer.Option(help="Only this client's.")] = None,
    job: Annotated[str | None, typer.Option(help="Only this job's.")] = None,
    today: TodayOption = None,
) -> Shown:
    """List issued invoices, credit notes and fee statements with what is paid and owed."""
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

    def human() -> None:
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
                    money(d["total"], d["currency"]),
                    money(d["balance"], d["currency"]),
                    d["state"]
                    + (", overdue" if d["overdue"] else "")
                    + (f" ({d['official_number']})" if d["official_number"] else ""),
                ]
                for d in data
            ],
            right=["total", "owed"],
        )

    return Shown(json=lambda: data, human=human)


@app.command("void")
def void(
    number: Number,
    reason: Annotated[str, typer.Option(help="Why it is cancelled (shown on the credit note).")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="Also write the credit note: text, html, eml or pdf (to -o FILE or standard "
            "output).",
        ),
    ] = None,
    output: Output = None,
    today: TodayOption = None,
) -> None:
    """Void an issued invoice: issue a credit note (a number of its own) that cancels it."""
    from shopcli.billing import credit_notes, documents, invoices

    # The credit note is written when a format or a file is named (text by default).
    document_fmt = _check_format(fmt or "text") if fmt or output else None
    if document_fmt:
        check_output(output, document_fmt)
    store = open_store()

    def written(r: Invoice) -> None:
        """Rendered and written before the credit note is committed (see `make`)."""
        assert document_fmt is not None
        data = documents.render(store, r, invoices.document_of(r), document_fmt, keep=False)
        emit_document(data, output)
        documents.log_rendered(store, r, document_fmt, output)

    credit = credit_notes.issue_credit_note(
        store, number, reason, day=today, check=written if document_fmt else None
    )
    digits = invoices.digits_of(credit)
    # With the document on standard output, what was done is said on stderr.
    to_stdout = document_fmt is not None and output in (None, "-")
    say = functools.partial(typer.echo, err=True) if to_stdout else echo
    say(
        f"Issued credit note {credit['number']} cancelling {credit['original_number']}: "
        + money(invoices.public(credit)["total"], credit["currency"], digits=digits)
    )
    paid = credit_notes.paid_to_credit(store, credit)
    if paid:
        owner = f"client #{credit['client_id']}"
        say(
            f"{money(paid, credit['currency'], digits=digits)} already paid on "
            f"{credit['original_number']} is now {owner}'s credit: refund it to the client, or "
            "apply it to another of their invoices with `shop pay NUMBER AMOUNT --method credit`"
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
