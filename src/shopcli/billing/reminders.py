"""Payment reminders for overdue invoices: levels 1, 2 and 3 (friendly, firm, final).

A reminder never changes the invoice: it states what is still open after the payments, how
many days the invoice is overdue, a new day to pay by (`reminder_days` after the reminder,
14 by default) and the payment details of the invoice. The next level is due the day after
that pay-by day (see `storage.reminders`), and there is none after the third. An optional
`reminder_fee` from the profile (one per currency) is shown from level `reminder_fee_from`
(2 by default) as a separate amount, never added to the frozen invoice. Each reminder is
logged once in the append-only `reminders` table; paid, voided and credited invoices get none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from shopcli.billing import invoices
from shopcli.core.dates import add_days, now, today
from shopcli.core.errors import Conflict, InvalidInput
from shopcli.core.money import plain, round_money, to_text
from shopcli.core.money import shown as money_shown
from shopcli.storage import Store, events
from shopcli.storage import clients as client_queries
from shopcli.storage import reminders as queries
from shopcli.storage.rows import Invoice

LEVELS = queries.LEVELS
LEVEL_NAMES = {1: "friendly", 2: "firm", 3: "final"}
FORMATS = ("text", "html", "eml", "pdf")


def check_format(fmt: str) -> str:
    fmt = (fmt or "").strip().lower()
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if fmt == "pdf":
        from shopcli.documents import pdf

        pdf.require()
    return fmt


def schedule(store: Store, row: Invoice, on: str) -> dict[str, Any]:
    """Where an invoice stands for reminders on a day: the reminders sent, the next level
    and the day it is due (None when no reminder can follow), and why not when none can."""
    sent = queries.for_invoice(store, row["id"])
    upcoming = queries.next_for(store, row["id"])
    status = invoices.status_of(store, row, on)
    info: dict[str, Any] = {
        "sent": sent,
        "status": status,
        "level": upcoming.get("next_level"),
        "due_on": upcoming.get("next_due"),
        "blocked": None,
    }
    number, due = row["number"], row.get("due")
    if row["kind"] == "credit_note":
        info["blocked"] = f"{number} is a credit note: nothing is owed on it, so no reminder"
    elif status["voided_by"]:
        info["blocked"] = (
            f"{number} was cancelled by credit note {status['voided_by']}: no reminder"
        )
    elif status["balance"] <= 0:
        info["blocked"] = f"{number} is paid in full: no reminder"
    elif not due:
        info["blocked"] = f"{number} has no due date, so it is never overdue"
    elif due >= on:
        info["blocked"] = (
            f"{number} is not overdue: it is due on {due}; the first reminder can go "
            f"from {add_days(due, 1)}"
        )
    elif info["level"] is None:
        last = sent[-1]
        info["blocked"] = (
            f"the final reminder for {number} went on {last['sent_on']} (pay by "
            f"{last['pay_by']}); there is no reminder after level {max(LEVELS)}: "
            f"`shop invoice remind {number} --again` renders it again"
        )
    if info["blocked"]:
        info["level"] = info["due_on"] = None
    return info


def _fee(prof, currency: str, level: int, digits: int | None) -> Decimal | None:
    """The profile's reminder fee for this currency and level, if it has one."""
    from shopcli.people.profile import reminder_fees

    value = prof.get("reminder_fee")
    if not value or level < int(prof.get("reminder_fee_from") or 2):
        return None
    fees = reminder_fees(value)
    found = fees.get(currency)
    if found is None and currency == prof.get("currency"):
        found = fees.get("")
    if found is None:
        return None
    return round_money(Decimal(found), currency, digits=digits)


def remind(
    store: Store,
    ref: str,
    *,
    fmt: str,
    day: str | None = None,
    prof=None,
    check: Callable[[dict], Any] | None = None,
) -> dict[str, Any]:
    """Log the next reminder of an overdue invoice and return what it says.

    `check(info)` runs inside the transaction (rendering it), so a reminder that cannot be
    rendered or written is not logged as sent.
    """
    from shopcli.people import profile

    prof = prof or profile.load()
    on = today(day)
    with store.write():
        row = invoices.get(store, ref)
        plan = schedule(store, row, on)
        if plan["blocked"]:
            raise Conflict(plan["blocked"])
        level = int(plan["level"])
        if plan["due_on"] > on:
            last = plan["sent"][-1]
            raise Conflict(
                f"reminder {level} for {row['number']} is due on {plan['due_on']}: reminder "
                f"{last['level']} of {last['sent_on']} gave until {last['pay_by']} to pay "
                f"(`shop invoice remind {row['number']} --again` renders it again)"
            )
        entry: dict[str, Any] = {
            **_entry(store, row, plan, on, prof),
            "format": fmt,
            "created_at": now(),
        }
        entry["id"] = queries.add(store, entry)
        digits = invoices.digits_of(row)
        still_open = money_shown(entry["open_amount"], row["currency"], digits=digits)
        events.log(
            store,
            "invoice.reminded",
            f"reminder {level} ({LEVEL_NAMES[level]}) for {row['number']}: {still_open} open, "
            f"{entry['days_overdue']} days overdue",
            client_id=row["client_id"],
            job_id=row["job_id"],
            detail={
                "invoice_id": row["id"],
                "reminder_id": entry["id"],
                "level": level,
                "open": entry["open_amount"],
                "fee": entry["fee"],
                "pay_by": entry["pay_by"],
                "format": fmt,
            },
        )
        info = describe(store, row, entry, plan["sent"])
        if check is not None:
            check(info)
    return info


def preview(store: Store, ref: str, *, day: str | None = None, prof=None) -> dict:
    """What the next reminder would say on `day`, without logging it (due or not yet)."""
    from shopcli.people import profile

    prof = prof or profile.load()
    on = today(day)
    row = invoices.get(store, ref)
    plan = schedule(store, row, on)
    if plan["blocked"]:
        raise Conflict(plan["blocked"])
    info = describe(store, row, {"id": None, **_entry(store, row, plan, on, prof)}, plan["sent"])
    info["preview"] = True
    info["due_on"] = plan["due_on"]
    return info


def _entry(store: Store, row: Invoice, plan: dict, on: str, prof: Any) -> dict[str, Any]:
    """The next reminder of an invoice on a day, as the reminders table keeps it (no id yet):
    the same for the reminder sent and for its preview."""
    level = int(plan["level"])
    digits = invoices.digits_of(row)
    open_amount = round_money(plan["status"]["balance"], row["currency"], digits=digits)
    fee = _fee(prof, row["currency"], level, digits)
    return {
        "invoice_id": row["id"],
        "level": level,
        "sent_on": on,
        "pay_by": add_days(on, int(prof.get("reminder_days") or 14)),
        "days_overdue": _days_overdue(row, on),
        "open_amount": to_text(open_amount),
        "fee": to_text(fee) if fee is not None else None,
        "currency": row["currency"],
        "language": _language(store, row, prof),
    }


def last(store: Store, ref: str) -> dict:
    """The latest reminder of an invoice as it was sent, to render it again."""
    row = invoices.get(store, ref)
    sent = queries.for_invoice(store, row["id"])
    if not sent:
        raise Conflict(f"no reminder was sent for {row['number']} yet")
    return describe(store, row, sent[-1], sent[:-1])


def listing(store: Store, row: Invoice) -> list[dict[str, Any]]:
    """The reminders sent for an invoice, oldest first, as `invoice show --json` has them."""
    digits = invoices.digits_of(row)
    return [
        {
            "level": r["level"],
            "sent_on": r["sent_on"],
            "pay_by": r["pay_by"],
            "days_overdue": r["days_overdue"],
            "open": plain(Decimal(r["open_amount"]), r["currency"], digits=digits),
            "fee": plain(Decimal(r["fee"]), r["currency"], digits=digits) if r["fee"] else None,
            "format": r["format"],
        }
        for r in queries.for_invoice(store, row["id"])
    ]


def _days_between(first: str, second: str) -> int:
    return (dt.date.fromisoformat(second) - dt.date.fromisoformat(first)).days


def _days_overdue(row: Invoice, on: str) -> int:
    """Days past the due date on `on` (only an invoice with one is reminded: `schedule`)."""
    due = row.get("due")
    if not due:
        raise Conflict(f"{row['number']} has no due date, so it is never overdue")
    return _days_between(due, on)


def _language(store: Store, row: Invoice, prof: Mapping[str, Any]) -> str:
    """The client's language now; else the one the invoice was issued in."""
    client = client_queries.existing(store, row["client_id"])
    document = invoices.document_of(row)
    return str(client.get("language") or document.get("language") or prof.get("language") or "en")


def describe(store: Store, row: Invoice, entry: dict, earlier: list[dict]) -> dict[str, Any]:
    """Everything a reminder says, as plain JSON-able values (amounts as text)."""
    document = invoices.document_of(row)
    code = row["currency"]
    digits = invoices.digits_of(row)
    client = client_queries.existing(store, row["client_id"])
    buyer = dict(document.get("buyer") or {})
    # Whom to write to now: the client's current name and email, not those of the day of
    # issue (the invoice keeps those); a forgotten client has none, so gets no email.
    buyer["name"] = client.get("name") or buyer.get("name")
    buyer["email"] = client.get("email")
    # How the letter greets them: their salutation now, as every other letter does.
    buyer["salutation"] = client.get("salutation")
    open_amount = Decimal(entry["open_amount"])
    fee = Decimal(entry["fee"]) if entry.get("fee") else None
    to_pay = open_amount + (fee or Decimal(0))
    total = Decimal(row["total"])

    def shown(amount: Decimal) -> str:
        return plain(amount, code, digits=digits)

    payment = document.get("payment") or {}
    return {
        "id": entry.get("id"),
        "level": int(entry["level"]),
        "level_name": LEVEL_NAMES[int(entry["level"])],
        "invoice": row["number"],
        "invoice_id": row["id"],
        "kind": row["kind"],
        "job": (document.get("job") or {}).get("title"),
        "issued": row["issued"],
        "due": row["due"],
        "sent_on": entry["sent_on"],
        "pay_by": entry["pay_by"],
        "days_overdue": int(entry["days_overdue"]),
        "currency": code,
        "digits": digits,
        "total": shown(total),
        "paid": shown(total - open_amount),
        "paid_any": total - open_amount > 0,
        "open": shown(open_amount),
        "fee": shown(fee) if fee is not None else None,
        "to_pay": shown(to_pay),
        "earlier": [{"level": r["level"], "sent_on": r["sent_on"]} for r in earlier],
        "language": entry["language"],
        "seller": document.get("seller") or {},
        "buyer": buyer,
        "payment": {
            "iban": payment.get("iban"),
            "bic": payment.get("bic"),
            "reference": payment.get("reference"),
        },
        "preview": False,
    }


def public(info: dict) -> dict:
    """The stable JSON of a reminder (what `--json` prints)."""
    keys = (
        "id",
        "level",
        "level_name",
        "invoice",
        "issued",
        "due",
        "sent_on",
        "pay_by",
        "days_overdue",
        "currency",
        "total",
        "paid",
        "open",
        "fee",
        "to_pay",
        "earlier",
        "language",
        "preview",
    )
    found = {key: info.get(key) for key in keys}
    found["reference"] = info["payment"].get("reference")
    found["iban"] = info["payment"].get("iban")
    found["qr_payload"] = epc_payload(info)
    return found


def epc_payload(info: dict) -> str | None:
    """The EPC QR text for paying the reminder's total in EUR to the invoice's IBAN."""
    payment = info["payment"]
    if info["currency"] != "EUR" or not payment.get("iban") or not payment.get("reference"):
        return None
    amount = Decimal(info["to_pay"])
    if amount <= 0:
        return None
    from shopcli.billing.payment_codes import epc_payload as payload
    from shopcli.billing.payment_codes import iban

    seller = info["seller"]
    return payload(
        name=str(seller.get("business_name") or seller.get("name") or "")[:70],
        iban=iban(payment["iban"]),
        amount=amount,
        reference=payment["reference"],
        bic=payment.get("bic"),
    )


def render(store: Store, info: dict, fmt: str) -> str | bytes:
    """The reminder as text, HTML, PDF (bytes) or an .eml draft with the invoice attached."""
    from shopcli.documents import render as rendering

    fmt = check_format(fmt)
    language = info["language"]
    digits = {info["currency"]: info["digits"]} if info.get("digits") is not None else {}
    context: dict[str, Any] = {"r": info, "qr": None, "reference_display": None}
    if info["payment"].get("reference"):
        from shopcli.billing.payment_codes import format_reference

        context["reference_display"] = format_reference(info["payment"]["reference"])
    text = rendering.render("reminder.txt", context, language=language, digits=digits)
    if fmt == "text":
        return text
    payload = epc_payload(info)

    def page(qr: str | None) -> str:
        return rendering.render(
            "reminder.html", {**context, "qr": qr}, language=language, digits=digits
        )

    if fmt == "html":
        # For email: no mail program shows an inline data: image; IBAN and reference are
        # written out beside where the code would be.
        from shopcli.documents.mail_html import for_email

        return for_email(page(None), what="the reminder")
    from shopcli.documents import pdf

    if fmt == "pdf":
        if payload:
            from shopcli.billing.payment_codes import epc_qr_data_uri

            return pdf.html_to_pdf(page(epc_qr_data_uri(payload)))
        return pdf.html_to_pdf(page(None))
    from shopcli.billing import documents
    from shopcli.documents import email_draft
    from shopcli.documents.mail_html import QR_CID

    png = None
    if payload:
        from shopcli.billing.payment_codes import epc_qr_png

        png = epc_qr_png(payload)
    html = page(f"cid:{QR_CID}" if png else None)
    subject = rendering.render("reminder_subject.txt", context, language=language, digits=digits)
    attachments = []
    if pdf.available():
        row = invoices.get(store, info["invoice"])
        document = invoices.document_of(row)
        invoice_pdf = documents.render(store, row, document, "pdf")
        attachments.append((f"{_file_stem(info['invoice'])}.pdf", "application/pdf", invoice_pdf))
    return email_draft.draft(
        info.get("seller") or {},
        info.get("buyer") or {},
        subject=subject,
        text=text,
        html=html,
        attachments=attachments,
        images=[(QR_CID, png, "image/png")] if png else [],
    )


def _file_stem(number: str) -> str:
    import re

    return re.sub(r"[^0-9A-Za-z._-]+", "-", number)


def log_rendered(store: Store, info: dict, fmt: str, output: str | None) -> None:
    """Log a reminder rendered again (`--again`): the reminder itself was logged when sent."""
    row = invoices.get(store, info["invoice"])
    events.rendered(
        store,
        "invoice.reminder_rendered",
        f"reminder {info['level']} for {info['invoice']}",
        fmt,
        client_id=row["client_id"],
        job_id=row["job_id"],
        again=True,
        invoice_id=row["id"],
        reminder_id=info["id"],
        output=output,
    )
