"""`shop pay`: record a payment for an invoice and draft the confirmation for the client;
`shop payment list|show`: the payments recorded, and any confirmation rendered again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

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
    print_record,
    print_table,
    warn,
)

payment_app = typer.Typer(
    help="Payments recorded with `shop pay`, and their confirmations.", no_args_is_help=True
)
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format", "-f", help="Render the confirmation for the client: text, html or eml."
    ),
]
OutputOpt = Annotated[
    str | None, typer.Option("--output", "-o", help="Write the confirmation to this file.")
]


def register(app: typer.Typer) -> None:
    app.command("pay")(pay)
    app.add_typer(payment_app, name="payment")


@json_output
def pay(
    invoice: Annotated[
        str,
        typer.Argument(help="Invoice number, e.g. 2026-0001.", autocompletion=complete.invoices),
    ],
    amount: Annotated[str, typer.Argument(help="Amount received, e.g. 120.00.")],
    date: Annotated[
        str | None, typer.Option(help="Day received, YYYY-MM-DD (default today).")
    ] = None,
    method: Annotated[
        str,
        typer.Option(
            help="How it was paid: transfer, cash, card, ... or credit (from the client's credit)."
        ),
    ] = "transfer",
    currency: Annotated[
        str | None, typer.Option(help="Currency received; must be the invoice's.")
    ] = None,
    note: Annotated[str | None, typer.Option(help="A note for your records.")] = None,
    allow_credit: Annotated[
        bool, typer.Option("--allow-credit", help="Keep an overpayment as the client's credit.")
    ] = False,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="Also render the confirmation: text, html or eml."),
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write the confirmation to this file.")
    ] = None,
    today: TodayOption = None,
    as_json: JsonOption = False,
) -> Shown:
    """Record a payment for an invoice (partial payments add up)."""
    from shopcli.billing import payments

    fmt = _checked_format(fmt, output)
    store = open_store()
    confirm = _confirmation(store, fmt, output, as_json) if fmt else None
    info = payments.record(
        store,
        invoice,
        amount,
        currency=currency,
        paid_on=date,
        method=method,
        note=note,
        allow_credit=allow_credit,
        day=today,
        check=confirm,
    )

    def said() -> None:
        money = payments.shown_in(info)
        if not info["applied_any"]:
            message = (
                f"Recorded payment #{info['payment_id']}: {money('received')} for "
                f"{info['invoice']}, which was paid in full already: all of it is kept as the "
                f"client's credit (now {money('client_credit')})"
            )
        else:
            state = "paid in full" if info["settled"] else f"{money('remaining')} still owed"
            message = (
                f"Recorded payment #{info['payment_id']}: {money('received')} for "
                f"{info['invoice']}; {state}"
            )
            if info["credit_added_any"]:
                message += f"; {money('credit_added')} kept as the client's credit"
        (typer.echo(message, err=True) if fmt and not output else echo(message))

    def finish() -> None:
        if info["before_issue"]:
            warn(
                f"the payment date {info['paid_on']} is before {info['invoice']} was issued on "
                f"{info['issued']} (paid in advance, or a typo in --date?)"
            )

    return Shown(
        json=lambda: {k: v for k, v in info.items() if k not in ("seller", "buyer", "salutation")},
        human=said,
        finish=finish,
    )


def _confirmation(store, fmt: str, output: str | None, as_json: bool) -> Callable[[dict], None]:
    """What `pay` runs before the payment is committed: the confirmation made, written and
    logged; if it cannot be made (no email address for an .eml) or written, nothing is
    recorded."""
    from shopcli.billing import payments

    deliver = deliver_to(output, as_json=as_json)

    def written(info: dict) -> None:
        data = payments.render_confirmation(info, fmt)
        if deliver is not None:
            deliver(data)
            payments.log_confirmation(store, info, fmt, output)

    return written


@payment_app.command("list")
@json_output
def list_(
    invoice: Annotated[str | None, typer.Option(help="Only this invoice's payments.")] = None,
    client: Annotated[str | None, typer.Option(help="Only this client's payments.")] = None,
) -> Shown:
    """List recorded payments, newest first."""
    from shopcli.billing import payments
    from shopcli.core.money import shown
    from shopcli.people import clients

    store = open_store()
    owner = clients.get(store, client) if client else None
    found = payments.payments_listing(
        store, invoice=invoice, client_id=owner["id"] if owner else None
    )
    public = [{k: v for k, v in p.items() if k != "digits"} for p in found]
    return Shown(
        json=lambda: public,
        human=lambda: print_table(
            ["id", "paid on", "invoice", "client", "received", "method"],
            [
                [
                    p["id"],
                    p["paid_on"],
                    p["invoice"],
                    p["client"],
                    shown(p["received"], p["currency"], digits=p["digits"]),
                    p["method"],
                ]
                for p in found
            ],
            right=["id", "received"],
        ),
    )


@payment_app.command("show")
@json_output
def show(
    payment: Annotated[str, typer.Argument(help="Payment id (see `shop payment list`).")],
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> Shown:
    """Show a recorded payment, or render its confirmation for the client again."""
    from shopcli.billing import payments

    fmt = _checked_format(fmt, output)
    store = open_store()
    info = payments.confirmation_of(store, payment)
    public = {k: v for k, v in info.items() if k not in ("seller", "buyer", "salutation")}

    def human() -> None:
        if not fmt:
            _print_payment(info)
            return
        emit_document(payments.render_confirmation(info, fmt), output)
        payments.log_confirmation(store, info, fmt, output)

    return Shown(json=lambda: public, human=human)


def _checked_format(fmt: str | None, output: str | None) -> str | None:
    """The confirmation's format: as given, else as the file's name says (.eml, .html, else
    text); checked, with the output, before anything is recorded. None: no confirmation."""
    from shopcli.billing import payments
    from shopcli.core.errors import InvalidInput

    if fmt is None and output:
        fmt = "eml" if output.endswith(".eml") else "html" if output.endswith(".html") else "text"
    if fmt is not None and fmt not in payments.FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; use one of: {', '.join(payments.FORMATS)}")
    if fmt:
        check_output(output, fmt)
    return fmt


def _print_payment(info: dict) -> None:
    from shopcli.billing import payments

    money = payments.shown_in(info)
    print_record(
        [
            ("Payment", f"#{info['payment_id']}"),
            ("Invoice", info["invoice"] + (f" ({info['job']})" if info["job"] else "")),
            ("Client", (info.get("buyer") or {}).get("name")),
            ("Paid on", info["paid_on"]),
            ("Method", info["method"]),
            ("Received", money("received")),
            ("Invoice total", money("invoice_total")),
            ("Paid by then", money("paid_total")),
            ("Still owed then", None if info["settled"] else money("remaining")),
            ("Kept as credit", money("credit_added") if info["credit_added_any"] else None),
        ]
    )
    echo(
        f"Render the confirmation again: shop payment show {info['payment_id']} "
        "--format text|html|eml"
    )
