"""Notifications: the short messages that keep a client informed, from list to refund.

Each kind picks the items it concerns (or checks the ones named), renders
`templates/notify_<kind>.txt` in the client's language, and logs that it did (an email draft
shows the same text in `templates/notify.html`). The template words everything; this module
only gathers structured data. Codes never appear.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from shopcli.core.errors import InvalidInput, NotFound
from shopcli.core.money import from_text
from shopcli.people.clients import document_language
from shopcli.storage import Store, events
from shopcli.storage import clients as client_queries
from shopcli.storage import delivery as queries
from shopcli.storage import items as item_queries
from shopcli.storage import notifications as notices
from shopcli.storage.records import item_ref
from shopcli.storage.rows import Client, Item, Job
from shopcli.work import lifecycle
from shopcli.work.lifecycle import DELIVERED, ORDERED, RECEIVED, REFUNDED, RETURNED, SHIPPED

KINDS = (
    "received-order",
    "purchased",
    "shipped",
    "delayed",
    "inspected",
    "ready",
    "refund-pending",
    "refunded",
    "follow-up",
)
FORMATS = ("text", "eml")

# Which statuses an item may be in to be named by each kind (with --item).
ELIGIBLE: dict[str, tuple[str, ...]] = {
    "received-order": tuple(
        s for s in lifecycle.STATUSES if s not in (lifecycle.REJECTED, lifecycle.CANCELLED)
    ),
    "purchased": (ORDERED, SHIPPED, RECEIVED, DELIVERED),
    "shipped": (SHIPPED,),
    "delayed": (ORDERED, SHIPPED),
    "inspected": (RECEIVED, ORDERED, SHIPPED, RETURNED, REFUNDED),
    "ready": (RECEIVED, DELIVERED),
    "follow-up": (DELIVERED,),
}
# What each kind names when no item is given (a follow-up: those without feedback yet).
DEFAULT_STATUSES: dict[str, tuple[str, ...]] = {
    "received-order": ELIGIBLE["received-order"],
    "purchased": (ORDERED,),
    "shipped": (SHIPPED,),
    "delayed": (ORDERED, SHIPPED),
    "inspected": (RECEIVED, ORDERED, SHIPPED, RETURNED, REFUNDED),
    "ready": (RECEIVED,),
    "follow-up": (DELIVERED,),
}


def template_name(kind: str) -> str:
    return f"notify_{kind}.txt"


def shopper() -> dict[str, Any]:
    """The shopper as documents show them, from the profile."""
    from shopcli.people import profile

    me = profile.load()
    return {key: me.get(key) for key in ("name", "business_name", "email", "phone", "address")}


def _item_data(row: Item) -> dict[str, Any]:
    qty = int(row["qty"])
    return {
        "id": row["id"],
        "number": row["number"],
        "title": row["title"],
        "recipient": row.get("recipient"),
        "store": row.get("store"),
        "url": row.get("url"),
        "price": Decimal(row["price"]),
        "currency": row["currency"],
        "qty": qty,
        "total": Decimal(row["price"]) * qty,
        "size": row.get("size"),
        "colour": row.get("colour"),
        "status": row["status"],
        "paid_by": row.get("paid_by"),
        "order_no": row.get("order_no"),
        "carrier": row.get("carrier"),
        "tracking": row.get("tracking"),
        "eta": row.get("eta"),
        "delay_reason": row.get("delay_reason"),
        "return_by": row.get("return_by"),
    }


def _resolve_items(store: Store, job: Job, refs: Sequence[str]) -> list[int]:
    from shopcli.work import items

    ids = []
    for ref in refs:
        row = items.get(store, ref, job)
        if row["job_id"] != job["id"]:
            raise InvalidInput(f"item {ref!r} is not in job #{job['id']}")
        ids.append(row["id"])
    return ids


def _pick(store: Store, job: Job, kind: str, ids: list[int] | None) -> list[Item]:
    """The items a kind concerns: the ones named (each checked), or the kind's default."""
    if ids is None:
        rows = queries.job_items(store, job["id"], DEFAULT_STATUSES[kind])
        if kind == "ready":
            # Digital goods are delivered when the code comes, but still handed over.
            digital = queries.digital_not_handed_over(store, job["id"])
            if digital:
                rows += queries.job_items(store, job["id"], item_ids=digital)
                rows.sort(key=lambda row: row["number"])
        return rows
    rows = queries.job_items(store, job["id"], item_ids=ids)
    for row in rows:
        if row["status"] not in ELIGIBLE[kind]:
            allowed = ", ".join(map(lifecycle.label, ELIGIBLE[kind]))
            raise InvalidInput(
                f"item {item_ref(row)} is {lifecycle.label(row['status'])}; "
                f"a {kind} notice names items that are {allowed}"
            )
    return rows


def context(
    store: Store,
    job: Job,
    kind: str,
    item_refs: Sequence[str] = (),
    *,
    today: str | None = None,
) -> dict[str, Any]:
    """Everything a notification template needs, or a clear refusal when nothing applies.

    `today` (ISO; default: today) decides which return windows are still open."""
    if kind not in KINDS:
        raise InvalidInput(f"unknown notification {kind!r}; kinds: {', '.join(KINDS)}")
    client = client_queries.existing(store, job["client_id"])
    ids = _resolve_items(store, job, item_refs) if item_refs else None
    data: dict[str, Any] = {
        "kind": kind,
        "client": {
            "name": client.get("name"),
            "salutation": client.get("salutation"),
            "email": client.get("email"),
        },
        "shopper": shopper(),
        "job": {
            "id": job["id"],
            "title": job["title"],
            "deadline": job.get("deadline"),
            "currency": job["currency"],
            "occasion": job.get("occasion"),
        },
        "items": [],
        "handover": None,
        "terms": {},
        "recipients": [],
    }
    if kind in ("refund-pending", "refunded"):
        data["items"] = _refund_items(store, job, kind, ids)
    else:
        data["items"] = _notice_items(store, job, kind, ids)
    if kind == "received-order":
        data["terms"] = _terms(job, document_language(client))
        data["recipients"] = _recipients(store, job)
    if kind == "ready":
        data["handover"] = _planned_handover(store, job)
    if not data["items"] and kind != "received-order":
        raise NotFound(f"nothing to say in a {kind} notice for job #{job['id']}: {_nothing(kind)}")
    if kind == "follow-up":
        from shopcli.core import dates
        from shopcli.delivering import followup

        language = document_language(client)
        data.update(followup.context(data["items"], language, dates.today(today)))
    return data


def _refund_items(store: Store, job: Job, kind: str, ids: list[int] | None) -> list[dict[str, Any]]:
    """The job's refunds a refund notice concerns (pending or received, as `kind` says): the
    named items' (each must have one) or all of them."""
    refunds = queries.job_refunds(store, job["id"], received=kind == "refunded")
    if ids is not None:
        named = {row["item_id"] for row in refunds}
        for item_id in ids:
            if item_id not in named:
                row = item_queries.existing(store, item_id)
                state = "pending" if kind == "refund-pending" else "received"
                raise InvalidInput(f"item {item_ref(row)} has no {state} refund")
        refunds = [row for row in refunds if row["item_id"] in ids]
    return [
        {
            "id": row["item_id"],
            "number": row["number"],
            "title": row["title"],
            "recipient": row["recipient"],
            "reason": row["reason"],
            "amount": Decimal(row["amount"]),
            "currency": row["currency"],
            "expected_by": row["expected_by"],
            "received_on": row["received_on"],
            "received_amount": Decimal(row["received_amount"])
            if row["received_amount"] is not None
            else None,
            "paid_by": row["paid_by"],
        }
        for row in refunds
    ]


def _notice_items(store: Store, job: Job, kind: str, ids: list[int] | None) -> list[dict[str, Any]]:
    """The items any other notice concerns, each with its inspection (if it had one): the
    named ones, checked for the kind, or the kind's default."""
    rows = _pick(store, job, kind, ids)
    if kind == "delayed" and ids is None:
        rows = [row for row in rows if row.get("delay_reason")]
    inspections = queries.job_inspections(store, job["id"])
    if kind == "inspected":
        if ids is None:
            rows = [row for row in rows if row["id"] in inspections]
        else:
            for row in rows:
                if row["id"] not in inspections:
                    raise InvalidInput(
                        f"item {item_ref(row)} has not been inspected (shop item receive)"
                    )
    if kind == "ready":
        rows = [row for row in rows if row["id"] not in _open_problems(inspections)]
    if kind == "follow-up" and ids is None:
        from shopcli.delivering import followup

        rows = followup.awaiting_feedback(store, rows)
    items = []
    for row in rows:
        entry = _item_data(row)
        found = inspections.get(row["id"])
        entry["inspection"] = (
            None
            if found is None
            else {
                "result": found["result"],
                "note": found["note"],
                "resolution": found["resolution"],
                "resolution_note": found["resolution_note"],
                "on": found["inspected_on"],
            }
        )
        items.append(entry)
    return items


def _planned_handover(store: Store, job: Job) -> dict[str, Any]:
    """The handover planned for the job, which a ready notice tells the client of."""
    planned = queries.latest_handover(store, job["id"], "planned")
    if planned is None:
        raise NotFound(
            f"no handover planned for job #{job['id']}: plan it first with "
            f"`shop handover {job['id']} --plan --method pickup --date YYYY-MM-DD --place ...`"
        )
    return {
        "method": planned["method"],
        "date": planned["handed_on"],
        "place": planned["place"],
        "note": planned["note"],
    }


def _open_problems(inspections: dict[int, dict]) -> set[int]:
    return {
        item_id
        for item_id, row in inspections.items()
        if row["result"] != "ok" and row["resolved_on"] is None
    }


def _nothing(kind: str) -> str:
    return {
        "purchased": "no item is ordered (shop item mark ITEM ordered)",
        "shipped": "no item is shipped (shop item mark ITEM shipped --carrier ... --tracking ...)",
        "delayed": "no delay is recorded (shop item delay ITEM --eta DATE --reason ...)",
        "inspected": "no item has been inspected (shop item receive ITEM --ok|--damaged|...)",
        "ready": "no received item is ready to hand over",
        "refund-pending": "no refund is pending",
        "refunded": "no refund has been received",
        "follow-up": "no delivered gift awaits the recipient's verdict (hand gifts over with "
        "`shop handover`; name one with --item to ask again)",
    }[kind]


def _terms(job: Job, language: str) -> dict[str, Any]:
    from shopcli.work import jobs
    from shopcli.work.terms import shown_terms

    terms: dict[str, Any] = {
        "delivery": None,
        "returns": None,
        "customs": None,
        "prepayment": None,
        **shown_terms(job, language),
    }
    terms["fee"] = jobs.fee_text(job)
    terms["fee_kind"] = job.get("fee_kind")
    terms["fee_amount"] = from_text(job.get("fee_amount"))
    terms["min_fee"] = from_text(job.get("min_fee"))
    terms["deposit"] = terms["deposit_percent"] = None
    given = job.get("deposit")
    if given:
        from shopcli.work.terms import parse_deposit

        deposit = parse_deposit(given)
        terms["deposit_percent" if deposit.percent else "deposit"] = deposit.amount
    terms["budget"] = from_text(job.get("budget"))
    return terms


def _recipients(store: Store, job: Job) -> list[dict[str, Any]]:
    rows = notices.recipient_budgets(store, job["id"])
    return [{"name": row["name"], "budget": Decimal(row["amount"])} for row in rows]


def render_notice(
    store: Store,
    job: Job,
    kind: str,
    *,
    item_refs: Sequence[str] = (),
    fmt: str = "text",
    today: str | None = None,
    deliver: Callable[[str | bytes], Any] | None = None,
) -> str | bytes:
    """Render one notification (text, or an .eml draft as bytes) and log it; `deliver`
    (writing it) runs inside the transaction that logs it, so a notice that cannot be
    written is not logged as sent.

    A follow-up's log line keeps a fingerprint of each line of its body, so that the client's
    answer can be read without the lines it repeats (see delivering.feedback_replies)."""
    from shopcli.documents import render

    if fmt not in FORMATS:
        raise InvalidInput(f"format must be one of {', '.join(FORMATS)}")
    data = context(store, job, kind, item_refs, today=today)
    client = client_queries.existing(store, job["client_id"])
    language = document_language(client)
    name = template_name(kind)
    if fmt == "text":
        result: str | bytes = render.render(name, {**data, "part": "full"}, language=language)
    else:
        subject = render.render(name, {**data, "part": "subject"}, language=language).strip()
        body = render.render(name, {**data, "part": "body"}, language=language)
        result = _eml(client, data["shopper"], subject, body, language)
    lines = {}
    if kind == "follow-up":
        from shopcli.delivering.feedback_replies import fingerprint

        # The whole text as sent (subject line included) and the subject alone, as a mail
        # program may quote it.
        sent = (
            render.render(name, {**data, "part": "full"}, language=language)
            if fmt != "text"
            else result
        )
        subject_line = render.render(name, {**data, "part": "subject"}, language=language)
        shown = [*str(sent).splitlines(), subject_line.strip()]
        lines = {"lines": sorted({fingerprint(line) for line in shown if line.strip()})}
    with store.write():
        events.log(
            store,
            f"notify.{kind}",
            f"{kind} notice ({fmt}) for {client.get('name')}"
            + (
                f": items {', '.join(str(i['number']) for i in data['items'])}"
                if data["items"]
                else ""
            ),
            client_id=job["client_id"],
            job_id=job["id"],
            detail={
                "kind": kind,
                "format": fmt,
                "template": name,
                "language": language,
                "items": [i["id"] for i in data["items"]],
                **lines,
            },
        )
        if deliver is not None:
            deliver(result)
    return result


def _eml(client: Client, me: dict, subject: str, body: str, language: str = "en") -> bytes:
    """The notice as an email draft: its text, and `notify.html` (which shows that text) as
    the HTML part."""
    from shopcli.documents import email_draft, render

    markup = render.render("notify.html", {"subject": subject, "body": body}, language=language)
    return email_draft.draft(me, client, subject=subject, text=body, html=markup)
