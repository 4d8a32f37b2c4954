"""`shop client`: add, list, show, edit and remove clients."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli import complete
from shopcli.cli.common import (
    ForceOption,
    Shown,
    YesOption,
    echo,
    json_output,
    open_store,
    print_record,
    print_table,
    remove_record,
)

app = typer.Typer(
    help="Clients: who commissions the shopping and pays the fee.", no_args_is_help=True
)

ClientArg = Annotated[
    str,
    typer.Argument(help="Client id, name or unambiguous prefix.", autocompletion=complete.clients),
]
Email = Annotated[str | None, typer.Option(help="Email address.")]
Phone = Annotated[str | None, typer.Option(help="Phone number.")]
Address = Annotated[str | None, typer.Option(help="Postal address.")]
Birthday = Annotated[
    str | None, typer.Option(help="Birthday, YYYY-MM-DD (goes into `shop calendar`).")
]
Language = Annotated[
    str | None, typer.Option(help="Document language (en, fi, pl, hu, ru, uk, zh).")
]
Currency = Annotated[str | None, typer.Option(help="Default currency for this client's jobs.")]
VatId = Annotated[str | None, typer.Option("--vat-id", help="VAT id (for a business client).")]
Notes = Annotated[str | None, typer.Option(help="Notes.")]
ReferredBy = Annotated[str | None, typer.Option("--referred-by", help="Who referred them.")]


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The client's full name.")],
    email: Email = None,
    phone: Phone = None,
    address: Address = None,
    birthday: Birthday = None,
    language: Language = None,
    currency: Currency = None,
    vat_id: VatId = None,
    notes: Notes = None,
    referred_by: ReferredBy = None,
) -> None:
    """Add a client and print the new id."""
    from shopcli.people import clients

    store = open_store()
    row = clients.add(
        store,
        name,
        email=email,
        phone=phone,
        address=address,
        birthday=birthday,
        language=language,
        currency=currency,
        vat_id=vat_id,
        notes=notes,
        referred_by=referred_by,
    )
    echo(f"Added client #{row['id']} {row['name']}")


@app.command("list")
@json_output
def list_(
    limit: Annotated[int | None, typer.Option(help="Show at most this many.")] = None,
    page: Annotated[int, typer.Option(help="Page number when --limit is given.")] = 1,
) -> Shown:
    """List clients by name."""
    from shopcli.people import clients

    store = open_store()
    offset = (max(page, 1) - 1) * limit if limit else 0
    rows = clients.iter_listing(store, limit=limit, offset=offset)
    return Shown(
        json=lambda: (clients.public(dict(row)) for row in rows),
        human=lambda: print_table(
            ["id", "name", "email", "phone", "lang", "cur"],
            (
                [r["id"], r["name"], r["email"], r["phone"], r["language"], r["currency"]]
                for r in rows
            ),
            right=["id"],
        ),
    )


@app.command("show")
@json_output
def show(client: ClientArg) -> Shown:
    """Show one client with their recipients and jobs."""
    from shopcli.people import clients, recipients
    from shopcli.work import jobs

    store = open_store()
    row = clients.get(store, client)
    people = recipients.listing(store, row["id"])
    work = jobs.listing(store, client_id=row["id"])
    return Shown(
        json=lambda: {
            **clients.public(row),
            "recipients": [recipients.public(r) for r in people],
            "jobs": [jobs.public(j) for j in work],
        },
        human=lambda: _show(row, people, work),
    )


def _show(row: dict, people: list[dict], work: list[dict]) -> None:
    print_record(
        [
            ("Client", f"#{row['id']} {row['name']}"),
            ("Email", row["email"]),
            ("Phone", row["phone"]),
            ("Address", row["address"]),
            ("Birthday", row.get("birthday")),
            ("Language", row["language"]),
            ("Currency", row["currency"]),
            ("VAT id", row["vat_id"]),
            ("Referred by", row["referred_by"]),
            ("Notes", row["notes"]),
        ]
    )
    if people:
        echo("\nRecipients:")
        for r in people:
            extra = f" ({r['relation']})" if r["relation"] else ""
            echo(f"  #{r['id']} {r['name']}{extra}")
    if work:
        echo("\nJobs:")
        for j in work:
            due = f", due {j['deadline']}" if j["deadline"] else ""
            echo(f"  #{j['id']} {j['title']} [{j['status']}{due}]")


@app.command("edit")
def edit(
    client: ClientArg,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    email: Email = None,
    phone: Phone = None,
    address: Address = None,
    birthday: Birthday = None,
    language: Language = None,
    currency: Currency = None,
    vat_id: VatId = None,
    notes: Notes = None,
    referred_by: ReferredBy = None,
) -> None:
    """Change a client's details (an empty value clears an optional field)."""
    from shopcli.people import clients

    store = open_store()
    row = clients.get(store, client)
    updated = clients.edit(
        store,
        row,
        name=name,
        email=email,
        phone=phone,
        address=address,
        birthday=birthday,
        language=language,
        currency=currency,
        vat_id=vat_id,
        notes=notes,
        referred_by=referred_by,
    )
    echo(f"Updated client #{updated['id']} {updated['name']}")


@app.command("rm")
def rm(client: ClientArg, force: ForceOption = False, yes: YesOption = False) -> None:
    """Remove a client (refused while records depend on it, unless --force)."""
    from shopcli.people import clients

    store = open_store()
    row = clients.get(store, client)
    remove_record(store, clients, "client", row, row["name"], force=force, yes=yes)
