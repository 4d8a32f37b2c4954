"""`shop client`: add, list, show, edit and remove clients."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

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

if TYPE_CHECKING:
    from shopcli.storage.rows import Client, Job, Recipient

app = typer.Typer(
    help="Clients: who commissions the shopping and pays the fee.", no_args_is_help=True
)

ClientArg = Annotated[
    str,
    typer.Argument(help="Client id, name or unambiguous prefix.", autocompletion=complete.clients),
]
Salutation = Annotated[
    str | None,
    typer.Option(
        help='How documents greet them, in their language: "Anna", "Pani Katarzyno", "Олено", '
        '"王女士" (default: a polite greeting without a name).'
    ),
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
Reference = Annotated[
    str | None,
    typer.Option(
        "--reference",
        help="yes: the client agrees to be a reference for prospective clients (the day is "
        "recorded); no: consent withdrawn (the note is cleared).",
    ),
]
ReferenceNote = Annotated[
    str | None,
    typer.Option(
        "--reference-note", help="What the client is happy to talk about, as a reference."
    ),
]
Recommendation = Annotated[
    str | None,
    typer.Option("--recommendation", help="The client's recommendation of your service."),
]


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The client's full name.")],
    salutation: Salutation = None,
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
        salutation=salutation,
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
    references: Annotated[
        bool,
        typer.Option(
            "--references",
            help="Only clients who agreed to be a reference, with their contact details and "
            "notes (to give a prospective client).",
        ),
    ] = False,
) -> Shown:
    """List clients by name."""
    from shopcli.people import clients

    store = open_store()
    if references:
        return _references(store)
    offset = (max(page, 1) - 1) * limit if limit else 0
    rows = clients.iter_listing(store, limit=limit, offset=offset)
    return Shown(
        json=lambda: (clients.public(row) for row in rows),
        human=lambda: print_table(
            ["id", "name", "email", "phone", "lang", "cur"],
            (
                [r["id"], r["name"], r["email"], r["phone"], r["language"], r["currency"]]
                for r in rows
            ),
            right=["id"],
        ),
    )


def _references(store) -> Shown:
    """The clients who agreed to be a reference: who to call, since when, about what."""
    from shopcli.people import clients

    rows = clients.references(store)

    def data() -> list[dict]:
        return [
            {
                "id": r["id"],
                "name": r["name"],
                "email": r["email"],
                "phone": r["phone"],
                "language": r["language"],
                "agreed_on": r["reference_on"],
                "note": r["reference_note"],
                "recommendation": clients.recommendation_of(r),
                "jobs": r["jobs"],
            }
            for r in rows
        ]

    def human() -> None:
        if not rows:
            echo(
                "No client has agreed to be a reference yet (shop client edit CLIENT "
                "--reference yes)."
            )
            return
        for r in rows:
            contact = " · ".join(value for value in (r["email"], r["phone"]) if value)
            jobs = f"{r['jobs']} job{'s' if r['jobs'] != 1 else ''}"
            echo(f"{r['name']}" + (f" — {contact}" if contact else ""))
            echo(f"  a reference since {r['reference_on']}; {jobs} so far")
            if r["reference_note"]:
                echo(f"  note: {r['reference_note']}")
            if r["recommendation"]:
                echo(f"  recommends: “{r['recommendation']}”")

    return Shown(json=data, human=human)


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
            "reference": clients.reference_of(row),
            "recommendation": clients.recommendation_of(row),
            "recipients": [recipients.public(r) for r in people],
            "jobs": [jobs.public(j) for j in work],
        },
        human=lambda: _show(row, people, work),
    )


def _show(row: Client, people: list[Recipient], work: list[Job]) -> None:
    print_record(
        [
            ("Client", f"#{row['id']} {row['name']}"),
            ("Salutation", row.get("salutation")),
            ("Email", row["email"]),
            ("Phone", row["phone"]),
            ("Address", row["address"]),
            ("Birthday", row.get("birthday")),
            ("Language", row["language"]),
            ("Currency", row["currency"]),
            ("VAT id", row["vat_id"]),
            ("Referred by", row["referred_by"]),
            ("Notes", row["notes"]),
            ("Reference", _consent(row)),
            ("Recommends", row["recommendation"]),
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


def _consent(row: Client) -> str | None:
    if row["reference"] == "yes":
        note = f" ({row['reference_note']})" if row["reference_note"] else ""
        return f"yes, since {row['reference_on']}{note}"
    if row["reference"] == "no":
        return f"no (withdrawn on {row['reference_on']})"
    return None


@app.command("edit")
def edit(
    client: ClientArg,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    salutation: Salutation = None,
    email: Email = None,
    phone: Phone = None,
    address: Address = None,
    birthday: Birthday = None,
    language: Language = None,
    currency: Currency = None,
    vat_id: VatId = None,
    notes: Notes = None,
    referred_by: ReferredBy = None,
    reference: Reference = None,
    reference_note: ReferenceNote = None,
    recommendation: Recommendation = None,
) -> None:
    """Change a client's details (an empty value clears an optional field)."""
    from shopcli.core import dates
    from shopcli.people import clients

    store = open_store()
    row = clients.get(store, client)
    with store.write():  # the details and the consent together, or neither
        updated = clients.edit(
            store,
            row,
            name=name,
            salutation=salutation,
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
        today = dates.today()
        if reference is not None or reference_note is not None:
            updated = clients.set_reference(
                store, updated, agrees=reference, note=reference_note, on=today
            )
        if recommendation is not None:
            updated = clients.recommend(store, updated, recommendation, on=today)
    echo(f"Updated client #{updated['id']} {updated['name']}")
    if reference is not None:
        consent = clients.reference_of(updated) or {}
        if consent.get("consent") == "yes":
            echo(f"  agreed to be a reference on {consent['on']}")
        elif consent.get("consent") == "no":
            echo(f"  no longer a reference (since {consent['on']})")


@app.command("rm")
def rm(client: ClientArg, force: ForceOption = False, yes: YesOption = False) -> None:
    """Remove a client (refused while records depend on it, unless --force)."""
    from shopcli.people import clients

    store = open_store()
    row = clients.get(store, client)
    remove_record(store, clients, "client", row, row["name"], force=force, yes=yes)
