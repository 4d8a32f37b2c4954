"""`shop item`: candidate products and their status."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli.common import (
    ITEM_HELP,
    ForceOption,
    JsonOption,
    YesOption,
    confirm,
    echo,
    item_name,
    open_store,
    print_json,
    print_record,
    print_table,
)

app = typer.Typer(help="Items: candidate products for a recipient in a job.", no_args_is_help=True)

ItemArg = Annotated[str, typer.Argument(help=ITEM_HELP)]
JobOpt = Annotated[str | None, typer.Option("--job", help="Job the item belongs to.")]
For = Annotated[str | None, typer.Option("--for", help="Recipient the item is for.")]
Price = Annotated[str | None, typer.Option(help="Unit price, e.g. 49.90 or 49,90.")]
Currency = Annotated[str | None, typer.Option(help="Price currency (default: the job's).")]
Store = Annotated[str | None, typer.Option("--store", help="Store name.")]
Url = Annotated[str | None, typer.Option(help="Link to the product page.")]
Size = Annotated[str | None, typer.Option(help="Size.")]
Colour = Annotated[str | None, typer.Option("--colour", "--color", help="Colour.")]
Qty = Annotated[int | None, typer.Option(help="Quantity (at least 1).")]
Notes = Annotated[str | None, typer.Option(help="Notes.")]
PaidBy = Annotated[
    str | None, typer.Option("--paid-by", help="Who pays the store: client (default) or shopper.")
]
Shipping = Annotated[str | None, typer.Option(help="Shipping cost, in the item currency.")]
Customs = Annotated[str | None, typer.Option(help="Customs duty, in the item currency.")]


def _get(store, item: str, job: str | None) -> dict:
    from shopcli.work import items, jobs

    return items.get(store, item, jobs.get(store, job) if job else None)


@app.command("add")
def add(
    job: Annotated[str, typer.Argument(help="Job id, title, prefix, or CLIENT/JOB.")],
    title: Annotated[str, typer.Argument(help="What the item is.")],
    for_: For = None,
    price: Price = None,
    currency: Currency = None,
    store_name: Store = None,
    url: Url = None,
    size: Size = None,
    colour: Colour = None,
    qty: Qty = None,
    notes: Notes = None,
    paid_by: PaidBy = None,
    shipping: Shipping = None,
    customs: Customs = None,
) -> None:
    """Add a candidate item to a job and print its id and number."""
    from shopcli.people import recipients
    from shopcli.work import items, jobs

    store = open_store()
    row = jobs.get(store, job)
    person = recipients.get(store, for_, row["client_id"]) if for_ else None
    item = items.add(
        store,
        row,
        title,
        recipient=person,
        price=price,
        currency=currency,
        store=store_name,
        url=url,
        size=size,
        colour=colour,
        qty=qty,
        notes=notes,
        paid_by=paid_by,
        shipping=shipping,
        customs=customs,
    )
    who = f" for {person['name']}" if person else ""
    echo(
        f"Added item {item_name(store, item)} {item['title']}{who} (#{item['id']}): "
        f"{items.price_text(item)} x{item['qty']}"
    )


@app.command("list")
def list_(
    job: JobOpt = None,
    for_: For = None,
    status: Annotated[str | None, typer.Option(help="Only items in this status.")] = None,
    limit: Annotated[int | None, typer.Option(help="Show at most this many.")] = None,
    page: Annotated[int, typer.Option(help="Page number when --limit is given.")] = 1,
    as_json: JsonOption = False,
) -> None:
    """List items, for a job or all."""
    from shopcli.core.errors import InvalidInput
    from shopcli.core.money import shown
    from shopcli.people import recipients
    from shopcli.work import items, jobs, lifecycle

    store = open_store()
    row = jobs.get(store, job) if job else None
    person = None
    if for_:
        person = recipients.get(store, for_, row["client_id"] if row else None)
    if status and status.replace(" ", "_") not in lifecycle.STATUSES:
        raise InvalidInput(f"unknown status {status!r}; statuses: {', '.join(lifecycle.STATUSES)}")
    rows = items.iter_listing(
        store,
        job_id=row["id"] if row else None,
        status=status.replace(" ", "_") if status else None,
        recipient_id=person["id"] if person else None,
        limit=limit,
        offset=(max(page, 1) - 1) * limit if limit else 0,
        brief=not as_json,
    )
    if as_json:
        print_json(items.public(dict(r)) for r in rows)
        return
    print_table(
        ["id", "no", "job", "for", "title", "price", "qty", "status"],
        (
            [
                r["id"],
                r["number"],
                r["job"],
                r["recipient"],
                r["title"],
                shown(r["price"], r["currency"]),
                r["qty"],
                lifecycle.label(r["status"]),
            ]
            for r in rows
        ),
        right=["id", "no", "price", "qty"],
    )


@app.command("show")
def show(item: ItemArg, job: JobOpt = None, as_json: JsonOption = False) -> None:
    """Show one item."""
    from shopcli.core.money import shown
    from shopcli.work import items, lifecycle

    store = open_store()
    row = items.listing_one(store, _get(store, item, job)["id"])
    data = items.public(row)
    if as_json:
        print_json(data)
        return
    print_record(
        [
            ("Item", f"{item_name(store, row)} (#{data['id']})"),
            ("Title", data["title"]),
            ("For", data["recipient"]),
            ("Store", data["store"]),
            ("Link", data["url"]),
            ("Price", items.price_text(row)),
            ("Quantity", data["qty"]),
            ("Size", data["size"]),
            ("Colour", data["colour"]),
            ("Paid by", data["paid_by"]),
            ("Shipping", shown(data["shipping"], data["currency"]) if data["shipping"] else None),
            ("Customs", shown(data["customs"], data["currency"]) if data["customs"] else None),
            ("Status", lifecycle.label(data["status"])),
            ("Notes", data["notes"]),
        ]
    )


@app.command("edit")
def edit(
    item: ItemArg,
    job: JobOpt = None,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    for_: For = None,
    price: Price = None,
    currency: Currency = None,
    store_name: Store = None,
    url: Url = None,
    size: Size = None,
    colour: Colour = None,
    qty: Qty = None,
    notes: Notes = None,
    paid_by: PaidBy = None,
    shipping: Shipping = None,
    customs: Customs = None,
) -> None:
    """Change an item's details (an empty value clears an optional field)."""
    from shopcli.people import recipients
    from shopcli.work import items, lifecycle

    store = open_store()
    row = _get(store, item, job)
    person = None
    if for_:
        owner_job = store.get("jobs", row["job_id"]) or {}
        person = recipients.get(store, for_, owner_job.get("client_id"))
    updated = items.edit(
        store,
        row,
        recipient=person,
        title=title,
        price=price,
        currency=currency,
        store=store_name,
        url=url,
        size=size,
        colour=colour,
        qty=qty,
        notes=notes,
        paid_by=paid_by,
        shipping=shipping,
        customs=customs,
    )
    if updated["status"] != row["status"]:
        echo(
            f"Updated item {item_name(store, updated)} {updated['title']}: "
            f"{lifecycle.label(row['status'])} → {lifecycle.label(updated['status'])}; "
            "the change needs the client's approval again (shop propose)"
        )
        return
    echo(f"Updated item {item_name(store, updated)} {updated['title']}")


@app.command("rm")
def rm(
    item: ItemArg, job: JobOpt = None, force: ForceOption = False, yes: YesOption = False
) -> None:
    """Remove an item (refused once bought, unless --force)."""
    from shopcli.work import items

    store = open_store()
    row = _get(store, item, job)
    if force:
        confirm(f"Remove item {row['title']} and its history?", yes)
    items.remove(store, row, force=force)
    echo(f"Removed item {item_name(store, row)} {row['title']} (#{row['id']})")
