"""`shop item mark|check|receive|resolve|delay|history|code`: an item from approval to delivery.

These commands join the existing `shop item` group (see `register`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from shopcli.cli import complete
from shopcli.cli.common import (
    ITEM_HELP,
    Shown,
    echo,
    item_name,
    json_output,
    one_flag,
    open_store,
    print_record,
    print_table,
)
from shopcli.core.money import shown as money_shown
from shopcli.storage.records import item_ref

if TYPE_CHECKING:
    from shopcli.storage.rows import Item

ItemArg = Annotated[str, typer.Argument(help=ITEM_HELP)]
JobOpt = Annotated[str | None, typer.Option("--job", help="Job the item belongs to.")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="A note kept in the history.")]
OnOpt = Annotated[
    str | None, typer.Option("--on", help="Date it happened, YYYY-MM-DD (default: today).")
]
RefundOpt = Annotated[
    str | None,
    typer.Option(
        "--refund",
        help="Refund amount (default: price x quantity, plus shipping when the store cancelled).",
    ),
]
RefundCurrencyOpt = Annotated[
    str | None, typer.Option("--refund-currency", help="Refund currency (default: the item's).")
]
RefundByOpt = Annotated[
    str | None,
    typer.Option("--refund-by", help="Date the refund is expected by (default: in 14 days)."),
]


def register(items_app: typer.Typer) -> None:
    """Add the delivery commands to the `shop item` group."""
    items_app.command("mark")(mark)
    items_app.command("check")(check)
    items_app.command("receive")(receive)
    items_app.command("resolve")(resolve)
    items_app.command("delay")(delay)
    items_app.command("history")(history)
    items_app.command("code")(code)


def _today():
    import datetime as dt

    return dt.date.today()


def _get(store, item: str, job: str | None) -> Item:
    from shopcli.work import items, jobs

    found = items.get(store, item, jobs.get(store, job) if job else None)
    return items.listing_one(store, found["id"])  # with its job's title, for messages


def _name(store, row: Item) -> str:
    return f"Item {item_name(store, row)} {row['title']}"


def mark(
    item: ItemArg,
    status: Annotated[
        str,
        typer.Argument(
            help="ordered, shipped, received, delivered, cancelled, returned or refunded."
        ),
    ],
    job: JobOpt = None,
    carrier: Annotated[str | None, typer.Option(help="Carrier, e.g. DHL, Posti, InPost.")] = None,
    tracking: Annotated[str | None, typer.Option(help="Tracking number.")] = None,
    eta: Annotated[
        str | None, typer.Option(help="Expected delivery date, YYYY-MM-DD (ordered/shipped).")
    ] = None,
    order_no: Annotated[
        str | None, typer.Option("--order-no", help="The store's order number.")
    ] = None,
    note: NoteOpt = None,
    code: Annotated[
        str | None, typer.Option(help="Gift card or licence code (digital goods; delivered).")
    ] = None,
    link: Annotated[
        str | None, typer.Option(help="Download or gift link (digital goods; delivered).")
    ] = None,
    refund: RefundOpt = None,
    refund_currency: RefundCurrencyOpt = None,
    refund_by: RefundByOpt = None,
    on: OnOpt = None,
) -> None:
    """Mark an item ordered, shipped, received, delivered, cancelled, returned or refunded."""
    from shopcli.delivering import delivery
    from shopcli.storage import delivery as queries
    from shopcli.work import lifecycle

    store = open_store()
    row = _get(store, item, job)
    updated = delivery.mark(
        store,
        row,
        status,
        today=_today(),
        on=on,
        carrier=carrier,
        tracking=tracking,
        eta=eta,
        order_no=order_no,
        note=note,
        code=code,
        link=link,
        refund=refund,
        refund_currency=refund_currency,
        refund_by=refund_by,
    )
    extra = [
        f"{label} {value}"
        for label, value in (
            ("order", updated.get("order_no") if order_no else None),
            ("carrier", updated.get("carrier") if carrier else None),
            ("tracking", updated.get("tracking") if tracking else None),
            ("expected", updated.get("eta") if eta else None),
        )
        if value
    ]
    echo(
        f"{_name(store, updated)}: {lifecycle.label(row['status'])} → "
        f"{lifecycle.label(updated['status'])}" + (f" ({', '.join(extra)})" if extra else "")
    )
    if updated["status"] in (lifecycle.CANCELLED, lifecycle.RETURNED):
        pending = queries.pending_refund(store, updated["id"])
        if pending:
            echo(
                f"Refund expected: {money_shown(pending['amount'], pending['currency'])} by "
                f"{pending['expected_by']} (record it with: shop item mark "
                f"{item_ref(updated)} refunded)"
            )
    elif updated["status"] == lifecycle.REFUNDED:
        got = queries.latest_refund(store, updated["id"])
        if got:
            echo(
                f"Refund received: {money_shown(got['received_amount'], got['currency'])} on "
                f"{got['received_on']}"
            )
    if code is not None or link is not None:
        shown = delivery.code(store, updated)
        echo(
            f"Stored {'code ' + shown['code'] if shown['code'] else ''}"
            f"{' and ' if shown['code'] and shown['link'] else ''}"
            f"{'link ' + shown['link'] if shown['link'] else ''}; "
            f"`shop item code {item_ref(updated)} --reveal` shows it in full"
        )


def check(
    item: Annotated[
        str,
        typer.Argument(
            help="Item id or title (or #N with --job); with --all, the job.",
            autocompletion=complete.items,
        ),
    ],
    job: JobOpt = None,
    price: Annotated[
        str | None, typer.Option(help="The price now on the store page, when it changed.")
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(help="The currency of that price, when the page now shows another."),
    ] = None,
    unavailable: Annotated[
        bool, typer.Option("--unavailable", help="The item, size or colour is not available.")
    ] = False,
    note: Annotated[
        str | None,
        typer.Option(
            "--note", help="What did not match (name, colour, size, link); recorded as a mismatch."
        ),
    ] = None,
    on: OnOpt = None,
    fetch: Annotated[
        bool,
        typer.Option(
            "--fetch",
            help="Read the item's page now: its price, currency, availability and name.",
        ),
    ] = False,
    all_: Annotated[
        bool,
        typer.Option("--all", help="With --fetch: check every approved item of the job ITEM."),
    ] = False,
) -> None:
    """Record a check against the store page before buying (no flags: everything matched)."""
    from shopcli.core.errors import InvalidInput
    from shopcli.delivering import delivery
    from shopcli.work import items, product_pages

    if all_:
        if not fetch:
            raise InvalidInput("--all reads every approved item's page: use it with --fetch")
        if price or currency or unavailable or note:
            raise InvalidInput("--all takes no findings: each page says its own")
        _check_all(item, on)
        return
    if fetch and (price or currency or unavailable):
        raise InvalidInput(
            "with --fetch the page gives the price, currency and availability; "
            "leave out --price, --currency and --unavailable"
        )
    store = open_store()
    row = items.listing_one(store, _get(store, item, job)["id"])
    if fetch:
        url = row["url"]
        if not url:
            raise InvalidInput(
                f"item {item_ref(row)} has no link to read; add one with "
                f"`shop item edit {item_ref(row)} --url LINK`"
            )
        page = product_pages.read_url(url)
        outcome = delivery.check_page(store, row, page, today=_today(), on=on, note=note)
    else:
        outcome = delivery.check(
            store,
            row,
            today=_today(),
            on=on,
            price=price,
            currency=currency,
            unavailable=unavailable,
            note=note,
        )
    _say_checked(store, row, outcome)


def _say_checked(store: Any, row: Item, outcome: Any) -> None:
    from shopcli.work import lifecycle

    if outcome.matched:
        echo(f"{_name(store, row)}: checked, everything matched")
        return
    echo(f"{_name(store, row)}: checked, mismatch: {'; '.join(outcome.findings)}")
    if outcome.over_budget:
        echo(f"The new price puts {row.get('recipient') or 'the recipient'} over budget.")
    job_arg = row["job_id"]
    if outcome.statuses:
        echo(f"Status now {lifecycle.label(outcome.item['status'])}.")
    # The client hears of it in the next proposal version, which flags the item; the decision
    # they made before is no decision on this.
    echo(
        f"The client must hear of this: shop propose {job_arg} flags it in the next version; "
        f"then record their decision (shop approve {job_arg} {row['number']}, or reject or change)."
    )


def _check_all(job_ref: str, on: str | None) -> None:
    """Every approved item of a job against its page, with a progress bar on a terminal."""
    import sys

    from shopcli.delivering import delivery
    from shopcli.work import jobs, product_pages

    store = open_store()
    job_row = jobs.get(store, job_ref)
    bar = None
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        bar = Progress(
            TextColumn("Reading pages"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=Console(stderr=True),
            transient=True,
        )
        task = bar.add_task("", total=None)
        bar.start()

    def progress(done: int, total: int, item: Item | None) -> None:
        if bar is not None:
            bar.update(task, completed=done, total=total, description=item["title"] if item else "")

    try:
        results = delivery.check_pages(
            store, job_row, today=_today(), read=product_pages.read_url, on=on, progress=progress
        )
    finally:
        if bar is not None:
            bar.stop()
    if not results:
        echo(f"{job_row['title']} has no approved items to check.")
        return
    matched = changed = unavailable = failed = 0
    for result in results:
        outcome = result.outcome
        if outcome is None:
            failed += 1
            echo(f"{_name(store, result.item)}: not checked: {result.problem}")
        elif outcome.matched:
            matched += 1
            echo(f"{_name(store, result.item)}: everything matched")
        else:
            changed += 1
            unavailable += int(outcome.unavailable)
            needs = " (needs the client)" if outcome.statuses else ""
            echo(f"{_name(store, result.item)}: {'; '.join(outcome.findings)}{needs}")
    parts = [f"{matched} matched", f"{changed} changed"]
    if unavailable:
        parts.append(f"{unavailable} of them not available")
    if failed:
        parts.append(f"{failed} not checked")
    noun = "item" if len(results) == 1 else "items"
    echo(f"Checked {len(results)} approved {noun} of {job_row['title']}: {', '.join(parts)}.")
    if changed:
        echo("Changed items need the client's approval again: send a new proposal (shop propose).")


def receive(
    item: ItemArg,
    job: JobOpt = None,
    ok: Annotated[bool, typer.Option("--ok", help="Arrived in good order.")] = False,
    damaged: Annotated[bool, typer.Option("--damaged", help="Arrived damaged.")] = False,
    wrong: Annotated[
        bool, typer.Option("--wrong", help="The wrong item, size or colour arrived.")
    ] = False,
    missing: Annotated[
        bool, typer.Option("--missing", help="Something (or everything) is missing.")
    ] = False,
    note: NoteOpt = None,
    on: OnOpt = None,
) -> None:
    """Record that an item arrived and what the inspection found."""
    from shopcli.delivering import delivery

    result = one_flag(
        {"ok": ok, "damaged": damaged, "wrong": wrong, "missing": missing}, what="result"
    )
    store = open_store()
    row = _get(store, item, job)
    delivery.receive(store, row, result, today=_today(), on=on, note=note)
    if result == "ok":
        echo(f"{_name(store, row)}: received, ok")
    else:
        echo(
            f"{_name(store, row)}: received, {result}; tell the client (shop notify "
            f"{row['job_id']} inspected) and resolve it with: shop item resolve "
            f"{item_ref(row)} --accepted|--exchange|--return"
        )


def resolve(
    item: ItemArg,
    job: JobOpt = None,
    accepted: Annotated[bool, typer.Option("--accepted", help="Keep it as it is.")] = False,
    exchange: Annotated[
        bool, typer.Option("--exchange", help="The store sends a replacement (back to ordered).")
    ] = False,
    return_: Annotated[
        bool, typer.Option("--return", help="Send it back; a refund is then expected.")
    ] = False,
    note: NoteOpt = None,
    refund: RefundOpt = None,
    refund_currency: RefundCurrencyOpt = None,
    refund_by: RefundByOpt = None,
    on: OnOpt = None,
) -> None:
    """Resolve a problem found on receipt: accepted, exchanged or returned."""
    from shopcli.delivering import delivery
    from shopcli.work import lifecycle

    how = one_flag(
        {"accepted": accepted, "exchange": exchange, "return": return_}, what="resolution"
    )
    store = open_store()
    row = _get(store, item, job)
    updated = delivery.resolve(
        store,
        row,
        how,
        today=_today(),
        on=on,
        note=note,
        refund=refund,
        refund_currency=refund_currency,
        refund_by=refund_by,
    )
    status = lifecycle.label(updated["status"])
    echo(f"{_name(store, row)}: resolved ({how}); status {status}")


def delay(
    item: ItemArg,
    eta: Annotated[str, typer.Option("--eta", help="The new expected date, YYYY-MM-DD.")],
    job: JobOpt = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why it is late.")] = None,
) -> None:
    """Record that an ordered or shipped item will come later, and why."""
    from shopcli.delivering import delivery

    store = open_store()
    row = _get(store, item, job)
    updated = delivery.delay(store, row, eta=eta, reason=reason)
    echo(
        f"{_name(store, row)}: now expected {updated['eta']}; tell the client with: "
        f"shop notify {row['job_id']} delayed"
    )


@json_output
def history(item: ItemArg, job: JobOpt = None) -> Shown:
    """Show an item's delivery details and every change to it, oldest first."""
    from shopcli.delivering import delivery
    from shopcli.work import items

    store = open_store()
    row = _get(store, item, job)
    info = delivery.details(store, row)
    changes = delivery.history(store, row)

    def human() -> None:
        print_record(
            [
                ("Item", f"{item_name(store, row)} {row['title']} (#{row['id']})"),
                ("Status", info["status"]),
                ("Order no.", info["order_no"]),
                ("Carrier", info["carrier"]),
                ("Tracking", info["tracking"]),
                ("Expected", info["eta"]),
                ("Delay", info["delay_reason"]),
                ("Delivered", info["delivered_on"]),
                ("Code", info["code"]),
                ("Link", info["link"]),
            ]
        )
        echo("")
        print_table(
            ["when", "change", "details"],
            [
                [c["at"].replace("T", " ")[:16], c["summary"], _detail_text(c["detail"])]
                for c in changes
            ],
        )

    return Shown(
        json=lambda: {"item": items.public(row), "delivery": info, "history": changes}, human=human
    )


def _detail_text(detail: dict) -> str:
    shown = []
    for key in ("order_no", "carrier", "tracking", "eta", "code", "link", "on"):
        if detail.get(key):
            shown.append(f"{key.replace('_', ' ')} {detail[key]}")
    refund = detail.get("refund")
    if isinstance(refund, dict) and refund.get("amount") and refund.get("currency"):
        shown.append(f"refund {money_shown(refund['amount'], refund['currency'])}")
    return ", ".join(shown)


@json_output
def code(
    item: ItemArg,
    job: JobOpt = None,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Show the code and link in full (this is logged).")
    ] = False,
) -> Shown:
    """Show a digital item's code and link, masked unless --reveal."""
    from shopcli.delivering import delivery

    store = open_store()
    row = _get(store, item, job)
    data = delivery.code(store, row, reveal=reveal)

    def human() -> None:
        print_record(
            [
                ("Item", f"{item_name(store, row)} {row['title']} (#{row['id']})"),
                ("Code", data["code"]),
                ("Link", data["link"]),
                ("Delivered", data["delivered_on"]),
            ]
        )

    return Shown(json=lambda: data, human=human)
