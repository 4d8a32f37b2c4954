"""`shop item`: candidate products and their status."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from shopcli.cli import complete
from shopcli.cli.common import (
    ITEM_HELP,
    ForceOption,
    JsonRows,
    LimitOption,
    PageOption,
    Shown,
    YesOption,
    confirm,
    echo,
    item_name,
    json_output,
    one_flag,
    open_store,
    print_record,
    print_table,
)

if TYPE_CHECKING:
    from shopcli.storage.rows import Item, Recipient

app = typer.Typer(help="Items: candidate products for a recipient in a job.", no_args_is_help=True)

ItemArg = Annotated[str, typer.Argument(help=ITEM_HELP, autocompletion=complete.items)]
JobOpt = Annotated[
    str | None, typer.Option("--job", help="Job the item belongs to.", autocompletion=complete.jobs)
]
For = Annotated[
    str | None,
    typer.Option("--for", help="Recipient the item is for.", autocompletion=complete.recipients),
]
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
BilledAs = Annotated[
    str | None,
    typer.Option(
        "--billed-as",
        help="For goods you pay for: disbursement (bought in the client's name, billed at cost "
        "outside VAT; the default) or resale (bought in your name, billed with VAT).",
    ),
]
Shipping = Annotated[str | None, typer.Option(help="Shipping cost, in the item currency.")]
Customs = Annotated[str | None, typer.Option(help="Customs duty, in the item currency.")]
ReturnBy = Annotated[
    str | None,
    typer.Option(
        "--return-by", help="Last day the store takes it back, YYYY-MM-DD (its return window)."
    ),
]
Image = Annotated[
    str | None,
    typer.Option(
        "--image",
        help="Picture: a web address (the mail program loads it) or a picture file (kept "
        "small in the database).",
    ),
]


def _get(store, item: str, job: str | None) -> Item:
    from shopcli.work import items, jobs

    return items.get(store, item, jobs.get(store, job) if job else None)


@app.command("add")
def add(
    job: Annotated[
        str,
        typer.Argument(help="Job id, title, prefix, or CLIENT/JOB.", autocompletion=complete.jobs),
    ],
    title: Annotated[
        str | None,
        typer.Argument(help="What the item is (with --from-url: the page's product name)."),
    ] = None,
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
    billed_as: BilledAs = None,
    shipping: Shipping = None,
    customs: Customs = None,
    return_by: ReturnBy = None,
    image: Image = None,
    from_url: Annotated[
        str | None,
        typer.Option(
            "--from-url",
            help="Read title, price, currency, store, picture and link from the product page.",
        ),
    ] = None,
    from_page: Annotated[
        str | None,
        typer.Option("--from-page", help="Read them from a page saved from the browser."),
    ] = None,
) -> None:
    """Add a candidate item to a job and print its id and number.

    With --from-url (or --from-page) the details come from what the store publishes on the
    page; any value given on the command line wins.
    """
    from shopcli.core.errors import InvalidInput
    from shopcli.people import recipients
    from shopcli.work import items, jobs, pictures, product_pages

    if from_url and from_page:
        raise InvalidInput("give --from-url or --from-page, not both")
    choice = pictures.choose(image) if image is not None else None
    store = open_store()
    row = jobs.get(store, job)
    person = recipients.get(store, for_, row["client_id"]) if for_ else None
    fields = {"price": price, "currency": currency, "store": store_name, "url": url}
    extra: dict = {}
    if from_url or from_page:
        page = (
            product_pages.read_url(from_url)
            if from_url
            else product_pages.read_file(from_page or "")
        )
        values, lines = product_pages.item_fields(
            page,
            {"title": title, **fields},
            picture_given=choice is not None,
        )
        _show_reading(from_url or from_page or "", lines)
        title = values.pop("title")
        fields.update(values)
    if title is None:
        raise InvalidInput("give the item's title (or --from-url LINK to read it from the page)")
    if choice is not None and choice.url:
        extra["image_url"] = choice.url
    item = items.add(
        store,
        row,
        title,
        recipient=person,
        picture=choice.picture if choice is not None else None,
        size=size,
        colour=colour,
        qty=qty,
        notes=notes,
        paid_by=paid_by,
        billed_as=billed_as,
        shipping=shipping,
        customs=customs,
        return_by=return_by,
        **fields,
        **extra,
    )
    who = f" for {person['name']}" if person else ""
    echo(
        f"Added item {item_name(store, item)} {item['title']}{who} (#{item['id']}): "
        f"{items.price_text(item)} x{item['qty']}"
    )
    if person:
        _warn_if_disliked(store, person, item)


def _warn_if_disliked(store, person: Recipient, item: Item) -> None:
    """Say on stderr when the item resembles a gift the recipient disliked or sent back."""
    from shopcli.cli.common import warn
    from shopcli.work import history

    for found in history.similar_dislikes(
        store, person, item["title"], item.get("store"), exclude_item=item["id"]
    ):
        warn(found.text())


def _show_reading(where: str, lines: list) -> None:
    """What the page said, field by field, and where on the page (or that a flag won)."""
    from shopcli.work.product_pages import COMMAND_LINE, LABELS

    echo(f"Read {where}:")
    width = max((len(LABELS.get(line.field, line.field)) for line in lines), default=0)
    for line in lines:
        label = LABELS.get(line.field, line.field).ljust(width)
        if line.source == COMMAND_LINE:
            said = f"; the page says {line.page_value}" if line.page_value else ""
            echo(f"  {label} {line.value}  (given on the command line{said})")
        else:
            echo(f"  {label} {line.value}  ({line.source})")


@app.command("list")
@json_output
def list_(
    job: JobOpt = None,
    for_: For = None,
    status: Annotated[str | None, typer.Option(help="Only items in this status.")] = None,
    limit: LimitOption = None,
    page: PageOption = 1,
) -> Shown:
    """List items, for a job or all."""
    from shopcli.core.errors import InvalidInput
    from shopcli.people import recipients
    from shopcli.work import items, jobs, lifecycle

    store = open_store()
    row = jobs.get(store, job) if job else None
    person = None
    if for_:
        person = recipients.get(store, for_, row["client_id"] if row else None)
    if status and status.replace(" ", "_") not in lifecycle.STATUSES:
        raise InvalidInput(f"unknown status {status!r}; statuses: {', '.join(lifecycle.STATUSES)}")

    chosen: dict[str, Any] = {
        "job_id": row["id"] if row else None,
        "status": status.replace(" ", "_") if status else None,
        "recipient_id": person["id"] if person else None,
        "limit": limit,
        "offset": (page - 1) * limit if limit else 0,
    }
    # JSON: one item a line, as SQLite writes it (a long list costs what SQLite takes).
    return Shown(
        json=lambda: JsonRows(items.listing_json(store, **chosen), chunked=True),
        human=lambda: _table(items.iter_brief(store, **chosen)),
    )


def _table(rows: Iterator[Any]) -> None:
    from shopcli.core.money import shown
    from shopcli.work import lifecycle

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
@json_output
def show(item: ItemArg, job: JobOpt = None) -> Shown:
    """Show one item."""
    from shopcli.core.money import shown
    from shopcli.work import feedback, items, lifecycle

    store = open_store()
    row = items.listing_one(store, _get(store, item, job)["id"])
    data = {**items.public(row), "feedback": feedback.public(feedback.latest(store, row["id"]))}

    def human() -> None:
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
                ("Billed as", data["billed_as"] if data["paid_by"] == "shopper" else None),
                (
                    "Shipping",
                    shown(data["shipping"], data["currency"]) if data["shipping"] else None,
                ),
                ("Customs", shown(data["customs"], data["currency"]) if data["customs"] else None),
                ("Returnable until", data["return_by"]),
                ("Status", lifecycle.label(data["status"])),
                ("Feedback", _verdict(data["feedback"])),
                ("Picture", _picture_text(store, data)),
                ("Notes", data["notes"]),
            ]
        )

    return Shown(json=lambda: data, human=human)


def _money(amount: str | None, currency: str) -> str | None:
    from shopcli.core.money import shown

    return shown(amount, currency) if amount else None


def _verdict(found: dict | None) -> str | None:
    if found is None:
        return None
    note = f": {found['note']}" if found["note"] else ""
    return f"{found['verdict']}{note} (on {found['on']})"


def _picture_text(store, data: dict) -> str | None:
    from shopcli.work import pictures

    if data.get("image_url"):
        return f"{data['image_url']} (on the web)"
    kept = pictures.kept(store, data["id"])
    if kept:
        kind = kept["media_type"].split("/")[-1].upper()
        size = len(kept["data"]) / 1024
        return f"kept in the database: {kept['width']}x{kept['height']} {kind}, {size:.0f} KB"
    return None


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
    billed_as: BilledAs = None,
    shipping: Shipping = None,
    customs: Customs = None,
    return_by: ReturnBy = None,
    image: Image = None,
) -> None:
    """Change an item's details (an empty value clears an optional field, --image "" the
    picture)."""
    from shopcli.people import recipients
    from shopcli.work import items, jobs, lifecycle, pictures

    choice = pictures.choose(image) if image is not None else None

    store = open_store()
    row = _get(store, item, job)
    person = None
    if for_:
        person = recipients.get(store, for_, jobs.by_id(store, row["job_id"])["client_id"])
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
        billed_as=billed_as,
        shipping=shipping,
        customs=customs,
        return_by=return_by,
        picture=choice.picture if choice is not None else None,
        image_url=("" if choice.clear else choice.url) if choice is not None else None,
    )
    resembles = {"title": title, "store": store_name, "for": for_}
    if any(value for value in resembles.values()) and updated["recipient_id"]:
        _warn_if_disliked(store, recipients.by_id(store, updated["recipient_id"]), updated)
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


@app.command("receipt")
def receipt(
    item: ItemArg,
    file: Annotated[str, typer.Argument(help="The receipt: a PDF or an image, up to 20 MB.")],
    job: JobOpt = None,
) -> None:
    """Keep a store's or carrier's receipt (PDF or image) with an item, inside the database."""
    from shopcli.billing import receipts

    store = open_store()
    row = _get(store, item, job)
    kept = receipts.add_to_item(store, row, file)
    echo(
        f"Kept receipt #{kept['id']} {kept['name']} ({kept['mime']}, {kept['size']:,} bytes) "
        f"with item #{row['id']} {row['title']}"
    )


@app.command("feedback")
def feedback_(
    item: ItemArg,
    job: JobOpt = None,
    loved: Annotated[bool, typer.Option("--loved", help="The recipient loved it.")] = False,
    liked: Annotated[bool, typer.Option("--liked", help="The recipient liked it.")] = False,
    disliked: Annotated[
        bool, typer.Option("--disliked", help="The recipient did not like it.")
    ] = False,
    returned: Annotated[
        bool, typer.Option("--returned", help="It went back (or is going back) to the store.")
    ] = False,
    note: Annotated[
        str | None, typer.Option("--note", "-n", help="What they said, in a few words.")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="When they said it, YYYY-MM-DD (default: today).")
    ] = None,
) -> None:
    """Record what the recipient thought of a gift (exactly one of the four verdicts)."""
    from shopcli.core import dates, validate
    from shopcli.work import feedback

    verdict = one_flag(
        {"loved": loved, "liked": liked, "disliked": disliked, "returned": returned},
        what="verdict",
    )
    store = open_store()
    row = _get(store, item, job)
    day = validate.date(on, "feedback date") if on is not None else dates.today()
    found = feedback.record(store, row, verdict, note=note, on=day)
    extra = f" (note: {found['note']})" if found.get("note") else ""
    echo(f"Item #{row['id']} {row['title']}: {found['verdict']}{extra}")
    if verdict == "returned" and row["status"] == "delivered":
        echo(
            f"  To follow the refund, mark it with the store: shop item mark {row['id']} "
            "returned --refund-by YYYY-MM-DD"
        )
