"""`shop recipient`: the people on a client's list."""

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
    from shopcli.storage.rows import Recipient

app = typer.Typer(help="Recipients: the people a client buys for.", no_args_is_help=True)

RecipientArg = Annotated[
    str,
    typer.Argument(
        help="Recipient id, name or unambiguous prefix.", autocompletion=complete.recipients
    ),
]
ClientOpt = Annotated[
    str | None,
    typer.Option(
        "--client",
        help="Look the recipient up in this client's list.",
        autocompletion=complete.clients,
    ),
]
Relation = Annotated[str | None, typer.Option(help="Relation to the client (daughter, boss...).")]
Interests = Annotated[str | None, typer.Option(help="Interests, comma-separated.")]
Dislikes = Annotated[str | None, typer.Option(help="Dislikes, comma-separated.")]
Birthday = Annotated[str | None, typer.Option(help="Birthday, YYYY-MM-DD.")]
Size = Annotated[
    list[str] | None,
    typer.Option("--size", help="A size: M, or KIND=SIZE like shoe=38. Repeatable."),
]
Dates = Annotated[
    list[str] | None, typer.Option("--date", help="Another date, NAME=YYYY-MM-DD. Repeatable.")
]
Address = Annotated[str | None, typer.Option(help="Delivery address.")]
Notes = Annotated[str | None, typer.Option(help="Notes.")]


def _get(store, recipient: str, client: str | None) -> Recipient:
    from shopcli.people import clients, recipients

    if client:
        owner = clients.get(store, client)
        return recipients.get(store, recipient, owner["id"])
    return recipients.get(store, recipient)


@app.command("add")
def add(
    client: Annotated[str, typer.Argument(help="The client whose list this is.")],
    name: Annotated[str, typer.Argument(help="The recipient's name.")],
    relation: Relation = None,
    interests: Interests = None,
    dislikes: Dislikes = None,
    birthday: Birthday = None,
    size: Size = None,
    date: Dates = None,
    address: Address = None,
    notes: Notes = None,
) -> None:
    """Add a recipient to a client's list and print the new id."""
    from shopcli.people import clients, recipients

    store = open_store()
    owner = clients.get(store, client)
    row = recipients.add(
        store,
        owner,
        name,
        relation=relation,
        interests=interests,
        dislikes=dislikes,
        birthday=birthday,
        sizes=size,
        dates=date,
        address=address,
        notes=notes,
    )
    echo(f"Added recipient #{row['id']} {row['name']} for {owner['name']}")


@app.command("list")
@json_output
def list_(
    client: Annotated[str | None, typer.Argument(help="Only this client's recipients.")] = None,
) -> Shown:
    """List recipients, for one client or all."""
    from shopcli.people import clients, recipients

    store = open_store()
    owner = clients.get(store, client) if client else None
    rows = recipients.iter_listing(store, owner["id"] if owner else None)

    def human() -> None:
        print_table(
            ["id", "name", "client", "relation", "birthday"],
            ([r["id"], r["name"], r["client"], r["relation"], r["birthday"]] for r in rows),
            right=["id"],
        )

    return Shown(json=lambda: (recipients.public(r) for r in rows), human=human)


@app.command("show")
@json_output
def show(recipient: RecipientArg, client: ClientOpt = None) -> Shown:
    """Show one recipient: tastes, sizes, dates, address, and the gifts they had with what
    they thought of each."""
    from shopcli.people import clients, recipients
    from shopcli.work import history

    store = open_store()
    row = _get(store, recipient, client)
    owner = clients.by_id(store, row["client_id"])
    data = {**recipients.public(row, owner["name"]), "gifts": history.gifts(store, row["id"])}

    def human() -> None:
        print_record(
            [
                ("Recipient", f"#{data['id']} {data['name']}"),
                ("For", data["client"]),
                ("Relation", data["relation"]),
                ("Birthday", data["birthday"]),
                ("Dates", data["dates"]),
                ("Interests", data["interests"]),
                ("Dislikes", data["dislikes"]),
                ("Sizes", data["sizes"]),
                ("Address", data["address"]),
                ("Notes", data["notes"]),
            ]
        )
        _gifts(data["gifts"])

    return Shown(json=lambda: data, human=human)


def _gifts(gifts: list[dict]) -> None:
    """The recipient's past gifts, newest first: day, title, store, price, job, verdict."""
    from decimal import Decimal

    from shopcli.core.money import plain

    if not gifts:
        return
    echo("\nGifts:")
    for gift in gifts:
        where = f" ({gift['store']})" if gift["store"] else ""
        price = f"{plain(Decimal(gift['total']), gift['currency'])} {gift['currency']}"
        status = f" [{gift['status']}]" if gift["status"] != "delivered" else ""
        echo(f"  {gift['on']}  {gift['title']}{where}, {price}{status} — {gift['job']}")
        found = gift["feedback"]
        if found:
            note = f": {found['note']}" if found["note"] else ""
            echo(f"              {found['verdict']}{note}")
        else:
            echo("              no feedback yet")


@app.command("edit")
def edit(
    recipient: RecipientArg,
    client: ClientOpt = None,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    relation: Relation = None,
    interests: Interests = None,
    dislikes: Dislikes = None,
    birthday: Birthday = None,
    size: Size = None,
    date: Dates = None,
    address: Address = None,
    notes: Notes = None,
) -> None:
    """Change a recipient's details (--size and --date replace the stored ones)."""
    from shopcli.people import recipients

    store = open_store()
    row = _get(store, recipient, client)
    updated = recipients.edit(
        store,
        row,
        name=name,
        relation=relation,
        interests=interests,
        dislikes=dislikes,
        birthday=birthday,
        sizes=size,
        dates=date,
        address=address,
        notes=notes,
    )
    echo(f"Updated recipient #{updated['id']} {updated['name']}")


@app.command("rm")
def rm(
    recipient: RecipientArg,
    client: ClientOpt = None,
    force: ForceOption = False,
    yes: YesOption = False,
) -> None:
    """Remove a recipient (refused while budgets or items refer to them, unless --force)."""
    from shopcli.people import recipients

    store = open_store()
    row = _get(store, recipient, client)
    remove_record(store, recipients, "recipient", row, row["name"], force=force, yes=yes)
