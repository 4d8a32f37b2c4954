"""Payments against issued invoices: partial payments, overpayment as credit, confirmations.

A payment is in the invoice's currency (a different one is refused: convert at the bank's
rate first). It settles at most what is still owed; the rest is refused unless the shopper
allows it, and then it is kept as the client's credit (a ledger in `client_credits`). The
method `credit` pays from that credit.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from shopcli.billing import invoices
from shopcli.core import dates, validate
from shopcli.core.dates import now
from shopcli.core.errors import Conflict, InvalidInput
from shopcli.core.money import currency as check_currency
from shopcli.core.money import minor_units, parse_amount, plain, round_money, to_text
from shopcli.core.money import shown as money_shown
from shopcli.storage import Store, events, seals
from shopcli.storage import clients as client_queries
from shopcli.storage import invoices as queries
from shopcli.storage.records import loads
from shopcli.storage.rows import Invoice

CREDIT_METHOD = "credit"
FORMATS = ("text", "html", "eml")


def _text(amount: Decimal) -> str:
    return to_text(amount)


def client_credit(store: Store, client_id: int, currency: str) -> Decimal:
    """The client's credit in a currency (overpayments and voided paid invoices, less used)."""
    return sum((Decimal(a) for a in queries.credit_entries(store, client_id, currency)), Decimal(0))


def _method(value: str | None) -> str:
    text = validate.text(value or "transfer", "payment method", max_length=40)
    return text.lower()


def record(
    store: Store,
    ref: str,
    amount: str,
    *,
    currency: str | None = None,
    paid_on: str | None = None,
    method: str | None = None,
    note: str | None = None,
    allow_credit: bool = False,
    day: str | None = None,
    check: Callable[[dict], Any] | None = None,
) -> dict:
    """Record money received for an invoice; returns what the confirmation needs.

    `check(summary)` runs inside the transaction before commit (e.g. rendering the
    confirmation), so a payment whose confirmation cannot be made is not recorded.
    """
    method = _method(method)
    paid_on = validate.date(paid_on, "payment date") if paid_on else dates.today(day)
    note = validate.text(note, "note", max_length=500) if note else None
    with store.write():
        row = invoices.get(store, ref)
        code = row["currency"]
        if currency and check_currency(currency) != code:
            raise InvalidInput(
                f"{row['number']} is billed in {code}; record the payment in {code} (the amount "
                f"that reached your account, converted at your bank's rate), not "
                f"{check_currency(currency)}"
            )
        digits = invoices.digits_of(row)

        def shown(value: Decimal) -> str:
            return money_shown(value, code, digits=digits)

        received = parse_amount(
            amount, "payment", places=minor_units(code) if digits is None else digits
        )
        if received <= 0:
            raise InvalidInput("a payment must be more than zero")
        if row["kind"] == "credit_note":
            raise Conflict(f"{row['number']} is a credit note: nothing is paid on it")
        status = invoices.status_of(store, row, day)
        if status["voided_by"]:
            raise Conflict(
                f"{row['number']} is void (credit note {status['voided_by']}); record the "
                "payment against the invoice that replaced it"
            )
        owed = max(status["balance"], Decimal(0))
        applied = min(received, owed)
        excess = received - applied
        if excess > 0 and not allow_credit:
            if owed == 0:
                raise Conflict(
                    f"{row['number']} is paid in full already; add --allow-credit to keep "
                    f"{shown(received)} as the client's credit"
                )
            raise Conflict(
                f"{shown(received)} is more than the {shown(owed)} still "
                f"owed on {row['number']}; add --allow-credit to keep the {shown(excess)} extra "
                "as the client's credit"
            )
        if method == CREDIT_METHOD:
            available = client_credit(store, row["client_id"], code)
            if received > available:
                raise Conflict(
                    f"the client's credit is {shown(available)}; it cannot pay {shown(received)}"
                )
            if excess > 0:
                raise Conflict("paying from the client's credit cannot create more credit")
        payment_id = store.insert(
            "payments",
            {
                "invoice_id": row["id"],
                "client_id": row["client_id"],
                "received": _text(received),
                "amount": _text(applied),
                "currency": code,
                "paid_on": paid_on,
                "method": method,
                "note": note,
                "created_at": now(),
            },
        )
        seals.seal(store, "payment", payment_id)
        if method == CREDIT_METHOD:
            _credit(store, row, -received, "applied", payment_id)
        if excess > 0:
            _credit(store, row, excess, "overpayment", payment_id)
        after = invoices.status_of(store, row, day)
        events.log(
            store,
            "payment.received",
            f"payment {shown(received)} for {row['number']} ({method}); "
            f"remaining {shown(max(after['balance'], Decimal(0)))}",
            client_id=row["client_id"],
            job_id=row["job_id"],
            detail={
                "payment_id": payment_id,
                "invoice_id": row["id"],
                "received": _text(received),
                "applied": _text(applied),
                "credit": _text(excess),
                "paid_on": paid_on,
                "method": method,
            },
        )
        payment = store.get("payments", payment_id) or {}
        credit = client_credit(store, row["client_id"], code)
        client = client_queries.existing(store, row["client_id"])
        info = summary(row, payment, after, credit, excess, salutation=client.get("salutation"))
        if check is not None:
            check(info)
    return info


def _credit(store: Store, row: Invoice, amount: Decimal, reason: str, payment_id: int) -> None:
    store.insert(
        "client_credits",
        {
            "client_id": row["client_id"],
            "currency": row["currency"],
            "amount": _text(amount),
            "reason": reason,
            "payment_id": payment_id,
            "invoice_id": row["id"],
            "created_at": now(),
        },
    )


def summary(
    row: Invoice,
    payment: dict,
    status: invoices.Standing,
    credit: Decimal,
    excess: Decimal,
    *,
    salutation: str | None = None,
) -> dict:
    """Everything a payment confirmation says, as plain JSON-able values (`salutation`: how
    the client is greeted, from their record now; the rest from the invoice as issued)."""
    code = row["currency"]
    document = loads(row["document"], {})
    digits = invoices.digits_of(row)

    def shown(amount: Decimal) -> str:
        return plain(amount, code, digits=digits)

    remaining = round_money(max(status["balance"], Decimal(0)), code, digits=digits)
    return {
        "digits": digits,
        "payment_id": payment["id"],
        "invoice": row["number"],
        "kind": row["kind"],
        "statement": bool(document.get("statement")),
        "job": document.get("job", {}).get("title"),
        "currency": code,
        "received": shown(Decimal(payment["received"])),
        "applied": shown(Decimal(payment["amount"])),
        "credit_added": shown(excess),
        # False when the invoice was paid already and all of it became the client's credit.
        "applied_any": Decimal(payment["amount"]) > 0,
        "paid_on": payment["paid_on"],
        "issued": row["issued"],
        # A day before the invoice existed is most likely a typo in --date.
        "before_issue": payment["paid_on"] < row["issued"],
        "method": payment["method"],
        "invoice_total": shown(Decimal(row["total"])),
        "paid_total": shown(status["paid"]),
        "remaining": shown(remaining),
        "settled": remaining == 0,
        "client_credit": shown(credit),
        "credit_added_any": excess > 0,
        "client_credit_any": credit > 0,
        "language": document.get("language") or "en",
        "seller": document.get("seller", {}),
        "buyer": document.get("buyer", {}),
        "salutation": salutation,
    }


def shown_in(info: dict) -> Callable[[str], str]:
    """For the shopper's screen: an amount of a payment summary as money (`1,234.50 EUR`)."""
    from shopcli.core.money import shown

    return lambda key: shown(info[key], info["currency"], digits=info.get("digits"))


def listing(store: Store, row: Invoice) -> list[dict]:
    return [
        {
            "id": p["id"],
            "paid_on": p["paid_on"],
            "received": p["received"],
            "amount": p["amount"],
            "currency": p["currency"],
            "method": p["method"],
            "note": p.get("note"),
        }
        for p in queries.payments_for(store, row["id"])
    ]


def confirmation_of(store: Store, payment_id: int | str) -> dict:
    """What the confirmation of a recorded payment said, or would have said, when it was
    recorded: the invoice paid so far and the client's credit as they stood then, whatever
    came after (a later payment, a credit note)."""
    from shopcli.core.errors import NotFound

    text = str(payment_id).strip().lstrip("#")
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        raise InvalidInput("name a payment by its id number (see `shop payment list`)")
    payment = queries.payment(store, int(text))
    if not payment:
        raise NotFound(f"no payment #{text} (see `shop payment list`)")
    row = queries.existing(store, payment["invoice_id"])
    paid = sum(
        (Decimal(a) for a in queries.paid_up_to(store, row["id"], payment["id"])), Decimal(0)
    )
    status = invoices.state(row, paid, None, payment["paid_on"])
    code = row["currency"]
    credit = sum(
        (Decimal(a) for a in queries.credit_entries_up_to(store, row["client_id"], code, payment)),
        Decimal(0),
    )
    excess = sum((Decimal(a) for a in queries.overpaid_by(store, payment["id"])), Decimal(0))
    client = store.get("clients", row["client_id"]) or {}
    return summary(row, payment, status, credit, excess, salutation=client.get("salutation"))


def payments_listing(
    store: Store, *, invoice: str | None = None, client_id: int | None = None
) -> list[dict]:
    """Recorded payments, newest first, optionally of one invoice or client."""
    row = invoices.get(store, invoice, prefix=True) if invoice else None
    return [
        {
            "id": p["id"],
            "invoice": p["invoice"],
            "client": p["client"],
            "paid_on": p["paid_on"],
            "received": plain(Decimal(p["received"]), p["currency"], digits=p["digits"]),
            "applied": plain(Decimal(p["amount"]), p["currency"], digits=p["digits"]),
            "currency": p["currency"],
            "method": p["method"],
            "note": p.get("note"),
            "digits": p["digits"],
        }
        for p in queries.payments_listing(
            store, invoice_id=row["id"] if row else None, client_id=client_id
        )
    ]


def render_confirmation(info: dict, fmt: str) -> str | bytes:
    """The payment confirmation for the client as text, HTML or an .eml draft."""
    from shopcli.documents import email_draft, render

    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    language = info["language"]
    context = {"p": info}
    digits = {info["currency"]: info["digits"]} if info.get("digits") is not None else {}
    text = render.render("payment_received.txt", context, language=language, digits=digits)
    if fmt == "text":
        return text
    html = render.render("payment_received.html", context, language=language, digits=digits)
    if fmt == "html":
        from shopcli.documents.mail_html import for_email

        return for_email(html, what="the payment confirmation")
    subject = render.render(
        "payment_received_subject.txt", context, language=language, digits=digits
    )
    return email_draft.draft(
        info.get("seller") or {}, info.get("buyer") or {}, subject=subject, text=text, html=html
    )


def log_confirmation(store: Store, info: dict, fmt: str, output: str | None) -> None:
    row = invoices.get(store, info["invoice"])
    events.rendered(
        store,
        "payment.confirmation",
        f"payment confirmation for {info['invoice']}",
        fmt,
        client_id=row["client_id"],
        job_id=row["job_id"],
        payment_id=info["payment_id"],
        output=output,
    )
