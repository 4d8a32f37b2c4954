"""`shop client export` and `shop client forget`: a client's right of access and to erasure."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli import complete
from shopcli.cli.common import Shown, YesOption, confirm, echo, json_output, open_store

ClientArg = Annotated[
    str,
    typer.Argument(help="Client id, name or unambiguous prefix.", autocompletion=complete.clients),
]


def register(client_app: typer.Typer) -> None:
    client_app.command("export")(export)
    client_app.command("forget")(forget)


def export(
    client: ClientArg,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to this file (default: print).")
    ] = None,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Include digital codes in full (masked otherwise).")
    ] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="json: everything held (the right of access); vcf: a contact card for an "
            "address book.",
        ),
    ] = "json",
    with_recipients: Annotated[
        bool, typer.Option("--recipients", help="vcf: add the client's recipients as contacts.")
    ] = False,
) -> None:
    """Everything held about one client and their recipients as JSON, or the client as a
    contact card (vCard) that Google, Apple and Thunderbird contacts import."""
    from shopcli.cli.common import emit_document
    from shopcli.core.errors import InvalidInput
    from shopcli.data import contacts, exporting, privacy
    from shopcli.people import clients, recipients

    fmt = fmt.strip().lower()
    if fmt not in ("json", "vcf"):
        raise InvalidInput(f"unknown format {fmt!r}; formats: json, vcf")
    if with_recipients and fmt != "vcf":
        raise InvalidInput("--recipients is for --format vcf (the JSON holds them already)")
    store = open_store()
    row = clients.get(store, client)
    if fmt == "vcf":
        text = contacts.vcard([row], "client")
        if with_recipients:
            text += contacts.vcard(recipients.listing(store, row["id"]), "recipient")
        emit_document(text, output)
    else:
        doc = privacy.client_export(store, row, reveal=reveal)
        emit_document(exporting.to_json(doc), output)
    privacy.log_export(store, row, output if output is not None and output != "-" else "printed")


@json_output
def forget(client: ClientArg, yes: YesOption = False) -> Shown:
    """Erase a client's and their recipients' personal data; keep issued invoices."""
    from shopcli.data import privacy
    from shopcli.people import clients

    store = open_store()
    row = clients.get(store, client)
    held = privacy.plan(store, row)
    people = held.get("recipients", 0)

    # The warning goes to stderr: with --json, stdout carries only the JSON.
    def say(text: str) -> None:
        typer.echo(text, err=True)

    say(
        f"This erases the personal data of {row['name']} (#{row['id']}) and "
        f"{people} recipient{'s' if people != 1 else ''}: names, contact details, tastes, sizes, "
        "dates, addresses and notes. It cannot be undone."
    )
    if held.get("invoices"):
        say(f"{held['invoices']} issued invoices are kept as issued (the law requires it).")
    confirm(f"Forget {row['name']}?", yes)
    done = privacy.forget(store, row)

    def human() -> None:
        echo(f"Forgot client #{done.client_id}: now {done.name!r}.")
        erased = ", ".join(f"{n} {table}" for table, n in done.erased.items())
        echo(f"  erased    personal data in {erased}")
        if done.events:
            echo(f"  redacted  {done.events} event log lines about them (what and when stay)")
        years = ", ".join(f"{country} {n} years" for country, n in privacy.RETENTION_YEARS.items())
        if done.kept.get("invoices"):
            echo(
                f"  kept      {done.kept['invoices']} issued invoices with the buyer details as "
                f"issued: accounting law requires keeping invoices ({years})"
            )
        if done.kept.get("receipts"):
            echo(
                f"  kept      {done.kept['receipts']} receipts backing lines of issued invoices "
                "(accounting vouchers, kept as long as the invoices)"
            )
        for table, n in done.kept.items():
            if table not in ("invoices", "receipts"):
                echo(f"  kept      {n} {table} rows that refuse changes (frozen records)")
        echo(
            "  kept      jobs, items, budgets and payments without personal details, "
            "for your accounts"
        )
        if done.old_copies:
            echo(
                f"Note: {len(done.old_copies)} backups made before now still hold their data "
                "(in backups/ and shop.db.before-restore-*): delete them when no longer needed."
            )

    return Shown(json=lambda: done.public(), human=human)
