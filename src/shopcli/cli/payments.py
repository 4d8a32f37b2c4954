"""`shop pay`: record a payment for an invoice and draft the confirmation for the client."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli import complete
from shopcli.cli.common import JsonOption, echo, open_store, print_json, warn


def register(app: typer.Typer) -> None:
    app.command("pay")(pay)


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
    as_json: JsonOption = False,
    today: Annotated[
        str | None, typer.Option("--today", hidden=True, help="Use this date as today.")
    ] = None,
) -> None:
    """Record a payment for an invoice (partial payments add up)."""
    from shopcli.billing import payments
    from shopcli.cli.invoices import check_output, emit
    from shopcli.core.errors import InvalidInput

    if fmt is None and output:
        fmt = "eml" if output.endswith(".eml") else "html" if output.endswith(".html") else "text"
    if fmt is not None and fmt not in payments.FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; use one of: {', '.join(payments.FORMATS)}")
    if fmt:
        check_output(output, fmt)
    store = open_store()
    rendered: list[str | bytes] = []
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
        # The confirmation is made before the payment is committed: if it cannot be (no
        # email address for an .eml), nothing is recorded.
        check=(lambda i: rendered.append(payments.render_confirmation(i, fmt))) if fmt else None,
    )
    code = info["currency"]
    if as_json:
        print_json({k: v for k, v in info.items() if k not in ("seller", "buyer")})
    else:
        if not info["applied_any"]:
            message = (
                f"Recorded payment #{info['payment_id']}: {info['received']} {code} for "
                f"{info['invoice']}, which was paid in full already: all of it is kept as the "
                f"client's credit (now {info['client_credit']} {code})"
            )
        else:
            state = "paid in full" if info["settled"] else f"{info['remaining']} {code} still owed"
            message = (
                f"Recorded payment #{info['payment_id']}: {info['received']} {code} for "
                f"{info['invoice']}; {state}"
            )
            if info["credit_added_any"]:
                message += f"; {info['credit_added']} {code} kept as the client's credit"
        (typer.echo(message, err=True) if fmt and not output else echo(message))
    if info["before_issue"]:
        warn(
            f"the payment date {info['paid_on']} is before {info['invoice']} was issued on "
            f"{info['issued']} (paid in advance, or a typo in --date?)"
        )
    if fmt:
        emit(rendered[0], output)
        payments.log_confirmation(store, info, fmt, output)
