"""Proposals: versions of the cart sent to the client, what changed, and the client's
decisions.

A proposal version is a snapshot (JSON) of the cart as proposed: the items with their
prices, shipping and customs, what a check at the store found, the exchange rates used, the
recipients' budgets and the terms. `propose` renders the current cart and records a new
version when the items differ from the latest version's. The same items rendered again (in
another format, or after only a budget, a rate or the terms changed) are the same version,
shown with the new figures: the client never gets "version 2, nothing changed" as a first
email. Decisions are recorded per item against the latest version that held the item; an
item found changed or unavailable at the store since then cannot be approved as it stood.

Words: the client *answers* a proposal (the reply, in their words, and the "How to answer"
examples and links the documents show); what is recorded of it per item is a *decision*
(approved, rejected, change requested, with a note), as in the `decisions` table. The event
kinds `item.answered` and `proposal.answered` and the JSON key `answers` of `shop proposal
show --json` keep their released names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from shopcli.core.errors import Conflict, InvalidInput, NotFound, ShopError
from shopcli.core.money import from_text
from shopcli.people.clients import document_language
from shopcli.storage import Store, events
from shopcli.storage import clients as client_queries
from shopcli.storage import items as item_queries
from shopcli.storage import proposals as queries
from shopcli.storage import recipients as recipient_queries
from shopcli.storage.records import dumps, item_ref, loads
from shopcli.storage.rows import Client, Decision, Item, Job
from shopcli.work import lifecycle

FORMATS = ("text", "html", "eml")
# Items shown in a proposal: everything still planned or already approved; rejected,
# cancelled and returned items drop out.
SHOWN = lifecycle.PLANNED + lifecycle.COMMITTED
# Items that become `proposed` when a version is recorded.
TO_PROPOSE = (lifecycle.CANDIDATE, lifecycle.CHANGE_REQUESTED, lifecycle.NEEDS_CLIENT)
# Item details compared between versions ("what changed since version N").
COMPARED = (
    "title",
    "recipient",
    "store",
    "url",
    "price",
    "qty",
    "size",
    "colour",
    "shipping",
    "customs",
)
# Compared as amounts in the item's currency.
MONEY_FIELDS = ("price", "shipping", "customs")
# What makes a version: the items as the client sees them (not their converted totals,
# which follow the rates, nor the budgets and terms, which are figures around them).
ITEM_KEYS = (
    "id",
    "number",
    "recipient_id",
    "title",
    "store",
    "url",
    "price",
    "currency",
    "qty",
    "size",
    "colour",
    "paid_by",
    "status",
    "shipping",
    "customs",
    "flag",
)
SOURCES = ("command", "reply")
DECISIONS = (lifecycle.APPROVED, lifecycle.REJECTED, lifecycle.CHANGE_REQUESTED)


@dataclass
class Proposed:
    """The outcome of `propose`: the document and the version it shows."""

    version: int
    recorded: bool
    preview: bool
    subject: str
    document: str | bytes
    over_budget: list[dict] = field(default_factory=list)
    language: str = "en"
    # The same items as the latest version, with new figures (budgets, rates, terms).
    refreshed: bool = False


@dataclass(frozen=True)
class Planned:
    """One decision checked and ready to apply (with the reply's line and words it came from)."""

    item: Item
    proposal_id: int
    version: int
    decision: str
    note: str | None
    line: int | None = None
    words: str | None = None


# -- the snapshot ---------------------------------------------------------------------------


def snapshot(
    store: Store,
    job: Job,
    *,
    rows: Sequence[Item] | None = None,
    client: Client | None = None,
) -> dict[str, Any]:
    """The current cart as it would be proposed, JSON-ready (amounts as exact strings).

    `rows` (the job's items in SHOWN statuses, as `items.listing` gives them) and `client`
    are read here unless the caller has them already."""
    from shopcli.core.money import round_money, to_text
    from shopcli.storage import delivery as checks
    from shopcli.work import budgets, items, pictures, rates

    if rows is None:
        rows = items.listing(store, job_id=job["id"], status=SHOWN)
    found = checks.latest_checks(store, [row["id"] for row in rows])
    kept = pictures.hashes(store, [row["id"] for row in rows])
    if not rows:
        raise Conflict(f"job #{job['id']} has no items to propose; add some with `shop item add`")
    target = job["currency"]
    known = rates.table(store)
    used: dict[str, str] = {}
    cart = []
    for row in rows:
        rate = rates.rate_between(known, row["currency"], target)
        if row["currency"] != target:
            used[row["currency"]] = to_text(rate)
        total = Decimal(row["price"]) * int(row["qty"])
        cost = budgets.item_cost(row)
        status = lifecycle.PROPOSED if row["status"] in TO_PROPOSE else row["status"]
        # Only items with a picture carry the key: a cart without pictures snapshots as before.
        picture: dict[str, str | None] = (
            {"picture": f"sha256:{kept[row['id']]}"}
            if row["id"] in kept
            else {"picture": row["image_url"]}
            if row.get("image_url")
            else {}
        )
        cart.append(
            {
                **picture,
                "id": row["id"],
                "number": row["number"],
                "recipient_id": row["recipient_id"],
                "recipient": row["recipient"],
                "title": row["title"],
                "store": row["store"],
                "url": row["url"],
                "price": row["price"],
                "currency": row["currency"],
                "qty": row["qty"],
                "size": row["size"],
                "colour": row["colour"],
                "paid_by": row["paid_by"],
                "billed_as": row.get("billed_as") or "disbursement",
                "status": status,
                "shipping": row.get("shipping"),
                "customs": row.get("customs"),
                "flag": flag_of(row, found.get(row["id"])),
                "total": to_text(total),
                "total_job": to_text(round_money(cost * rate, target)),
            }
        )
    report = budgets.report(store, job, rates=known)
    people = []
    for line in report.lines:
        if line.recipient_id is None or not any(
            i["recipient_id"] == line.recipient_id for i in cart
        ):
            continue
        person = recipient_queries.existing(store, line.recipient_id)
        people.append(
            {
                "id": line.recipient_id,
                "name": person.get("name", line.name),
                "relation": person.get("relation"),
                "interests": loads(person.get("interests"), []),
                "budget": to_text(line.budget) if line.budget is not None else None,
            }
        )
    from shopcli.work.terms import shown_terms

    if client is None:
        client = client_queries.existing(store, job["client_id"])
    terms = shown_terms(job, document_language(client))
    return {
        "job": {
            "id": job["id"],
            "title": job["title"],
            "occasion": job.get("occasion"),
            "deadline": job.get("deadline"),
            "currency": target,
        },
        "items": cart,
        "recipients": people,
        "rates": used,
        "budget": to_text(report.total.budget) if report.total.budget is not None else None,
        "terms": {
            "fee_kind": job.get("fee_kind"),
            "fee_amount": job.get("fee_amount"),
            "min_fee": job.get("min_fee"),
            "deposit": job.get("deposit"),
            "delivery": terms.get("delivery"),
            "customs": terms.get("customs"),
            "returns": terms.get("returns"),
            "prepayment": terms.get("prepayment"),
        },
    }


def shown_order(items: Sequence[Mapping[str, Any]]) -> list[Any]:
    """Items in the order a proposal, a handover note and gift labels show them: each
    recipient's section (and the one for no one in particular) where its first item comes,
    then the items in number order within it."""
    first: dict[Any, int] = {}
    for item in items:
        key = item["recipient_id"]
        first[key] = min(first.get(key, item["number"]), item["number"])
    return sorted(items, key=lambda item: (first[item["recipient_id"]], item["number"]))


def flag_of(item: Item, check: dict | None) -> dict | None:
    """What the latest check at the store found that the client must hear about: a new price,
    the item unavailable, or a note on what did not match. None when the check matched, or
    when the client has approved the item since (it is then settled)."""
    if not check or check["matched"] or item["status"] in lifecycle.COMMITTED:
        return None
    changed = check.get("new_price") is not None
    return {
        "check_id": check["id"],
        "on": check["checked_on"],
        "unavailable": bool(check["unavailable"]),
        "old_price": check["old_price"] if changed else None,
        "new_price": check["new_price"] if changed else None,
        "currency": check.get("currency") or item["currency"],
        "note": check.get("note"),
    }


def items_of(snap: dict) -> list[dict]:
    """A snapshot's items as far as they make a version (see ITEM_KEYS)."""
    return [{key: item.get(key) for key in ITEM_KEYS} for item in snap["items"]]


def changes(old: dict, new: dict) -> dict[str, Any]:
    """What changed between two snapshots: items added, removed, and changed field by field."""
    before = {item["id"]: item for item in old["items"]}
    after = {item["id"]: item for item in new["items"]}
    changed = []
    for item_id, item in after.items():
        previous = before.get(item_id)
        if previous is None:
            continue
        fields = []
        for name in COMPARED:
            if name in MONEY_FIELDS:
                old_amount, new_amount = previous.get(name), item.get(name)
                if (from_text(old_amount), previous["currency"]) != (
                    from_text(new_amount),
                    item["currency"],
                ) and (old_amount or new_amount):
                    fields.append(
                        {
                            "field": name,
                            "old": old_amount,
                            "new": new_amount,
                            "old_currency": previous["currency"],
                            "new_currency": item["currency"],
                        }
                    )
            elif previous.get(name) != item.get(name):
                fields.append({"field": name, "old": previous.get(name), "new": item.get(name)})
        if fields:
            changed.append({"item": item, "fields": fields})
    return {
        "added": [item for item_id, item in after.items() if item_id not in before],
        "removed": [item for item_id, item in before.items() if item_id not in after],
        "changed": changed,
        # Found unavailable or not matching at the store since (the item shows what); a new
        # price is among the changes already.
        "flagged": [
            item
            for item_id, item in after.items()
            if item_id in before
            and item_id not in {entry["item"]["id"] for entry in changed}
            and item.get("flag")
            and (before[item_id].get("flag") or {}).get("check_id") != item["flag"]["check_id"]
        ],
    }


# -- the document ---------------------------------------------------------------------------


def context(
    store: Store,
    job: Job,
    snap: dict,
    *,
    version: int,
    previous: tuple[int, dict] | None,
    preview: bool,
    client: Client | None = None,
) -> dict[str, Any]:
    """Everything a proposal template needs, as structured data (the wording is the template's);
    `client` is read here unless the caller has it already."""
    from shopcli.core import dates
    from shopcli.people import profile
    from shopcli.proposing import replies, reply_words

    if client is None:
        client = client_queries.existing(store, job["client_id"])
    me = profile.load()
    language = document_language(client)
    cur = snap["job"]["currency"]
    sections = _sections(store, job, snap)
    total = sum((Decimal(i["total_job"]) for i in snap["items"]), Decimal(0))
    budget = Decimal(snap["budget"]) if snap["budget"] is not None else None
    all_items = [item for section in sections for item in section["items"]]
    awaiting = [item["number"] for item in all_items if item["awaiting"]]
    numbers = sorted(awaiting or [item["number"] for item in all_items])
    return {
        "language": language,
        "version": version,
        "preview": preview,
        "date": dates.today(),
        "shopper": {
            "name": me.get("name") or "",
            "business_name": me.get("business_name"),
            "email": me.get("email"),
            "phone": me.get("phone"),
        },
        "client": {
            "id": client.get("id"),
            "name": client.get("name", ""),
            "salutation": client.get("salutation"),
            "email": client.get("email"),
        },
        "job": snap["job"],
        "currency": cur,
        "sections": sections,
        "total": {
            **_against(total, budget),
            "items": len(all_items),
            "awaiting": len(awaiting),
            "approved": sum(1 for item in all_items if item["approved"]),
        },
        "rates": [
            {"currency": code, "rate": Decimal(rate)}
            for code, rate in sorted(snap["rates"].items())
        ],
        "terms": _shown_terms(snap["terms"]),
        "shopper_pays": any(item["shopper_pays"] for item in all_items),
        "changes": _change_set(store, snap, previous),
        "answer": {
            "words": replies.example_words(language),
            **_examples(numbers),
            "lines": _answer_lines(language, numbers),
            "label": reply_words.example_label(language),
        },
    }


def _sections(store: Store, job: Job, snap: dict) -> list[dict[str, Any]]:
    """The snapshot's items by recipient, each section where its first item comes (those for
    nobody in particular too), with its recipient, what they had last time and its total
    against their budget."""
    from shopcli.work import pictures

    cur = snap["job"]["currency"]
    last_decisions = queries.last_decisions(store, [item["id"] for item in snap["items"]])
    files = pictures.kept_for(
        store, [item["id"] for item in snap["items"] if item.get("picture", "").startswith("sha")]
    )
    sections = []
    groups: list[tuple[dict | None, list[dict]]] = [
        (person, [i for i in snap["items"] if i["recipient_id"] == person["id"]])
        for person in snap["recipients"]
    ]
    groups.append((None, [i for i in snap["items"] if i["recipient_id"] is None]))
    # Items in number order; each recipient's section where their first item comes.
    groups = sorted(
        (group for group in groups if group[1]),
        key=lambda group: min(item["number"] for item in group[1]),
    )
    for person, members in groups:
        subtotal = sum((Decimal(i["total_job"]) for i in members), Decimal(0))
        budget = Decimal(person["budget"]) if person and person["budget"] is not None else None
        sections.append(
            {
                "id": person["id"] if person else None,
                "name": person["name"] if person else None,
                "relation": person["relation"] if person else None,
                "interests": person["interests"] if person else [],
                "last_time": _last_time(store, person["id"], job["id"]) if person else [],
                "items": [
                    _entry(i, cur, last_decisions.get(i["id"]), files.get(i["id"]))
                    for i in sorted(members, key=lambda i: i["number"])
                ],
                **_against(subtotal, budget),
            }
        )
        sections[-1]["pictures"] = any(i["picture"] for i in sections[-1]["items"])
    return sections


def _entry(
    item: dict[str, Any], cur: str, decided: Decision | None, file: dict | None
) -> dict[str, Any]:
    """One item as the template shows it: amounts as Decimals, its picture, its state and
    the change the client last asked for, if any (`cur` is the job's currency)."""
    shipping, customs = from_text(item.get("shipping")), from_text(item.get("customs"))
    flag = item.get("flag")
    return {
        **item,
        "picture": _picture(item, file),
        "price": Decimal(item["price"]),
        "total": Decimal(item["total"]),
        "shipping": shipping or None,
        "customs": customs or None,
        # Goods, shipping and customs together, in the item's currency.
        "cost": Decimal(item["total"]) + (shipping or 0) + (customs or 0),
        "total_job": Decimal(item["total_job"]) if item["currency"] != cur else None,
        "flag": {
            **flag,
            "old_price": from_text(flag["old_price"]),
            "new_price": from_text(flag["new_price"]),
        }
        if flag
        else None,
        "awaiting": item["status"] in (lifecycle.PROPOSED, lifecycle.NEEDS_CLIENT),
        "approved": item["status"] in lifecycle.COMMITTED,
        "shopper_pays": item["paid_by"] == "shopper",
        "resale": item["paid_by"] == "shopper" and item.get("billed_as") == "resale",
        "request": decided["note"]
        if decided and decided["decision"] == lifecycle.CHANGE_REQUESTED and decided["note"]
        else None,
    }


def _shown_terms(terms: dict[str, Any]) -> dict[str, Any]:
    """The snapshot's fee terms with amounts as Decimals; a deposit says whether it is a
    percentage."""
    deposit = None
    if terms["deposit"]:
        raw = str(terms["deposit"])
        deposit = {"amount": Decimal(raw.rstrip("%")), "percent": raw.endswith("%")}
    return {
        "fee": {"kind": terms["fee_kind"], "amount": Decimal(terms["fee_amount"])}
        if terms["fee_kind"]
        else None,
        "min_fee": Decimal(terms["min_fee"]) if terms["min_fee"] else None,
        "deposit": deposit,
        "delivery": terms["delivery"],
        "customs": terms["customs"],
        "returns": terms["returns"],
        "prepayment": terms["prepayment"],
    }


def _change_set(
    store: Store, snap: dict, previous: tuple[int, dict] | None
) -> dict[str, Any] | None:
    """What changed since the previous version sent (None for the first), each removed
    item with why it went: its status now, or deleted."""
    if previous is None:
        return None
    since, old = previous
    found = changes(old, snap)
    for item in found["removed"]:
        current = store.get("items", item["id"])
        item["reason"] = current["status"] if current else "deleted"
    return {"since": since, **found}


def _last_time(store: Store, recipient_id: int, job_id: int) -> list[dict]:
    """The recipient's gifts of the latest earlier job and what they thought of each (read
    when rendering, not frozen in the snapshot: feedback given later must not make a new
    version of this proposal)."""
    from shopcli.work import history

    return [
        {
            "title": gift["title"],
            "job": gift["job"],
            "on": gift["on"],
            "verdict": gift["feedback"]["verdict"] if gift["feedback"] else None,
            "note": gift["feedback"]["note"] if gift["feedback"] else None,
        }
        for gift in history.last_time(store, recipient_id, exclude_job=job_id)
    ]


def _answer_lines(language: str, numbers: list[int]) -> dict[str, str]:
    """The "how to answer" examples, each exactly as the reply reader reads it back."""
    from shopcli.proposing import replies

    examples = _examples(numbers)
    return {
        "approve": replies.answer_line(language, "approve", examples["approve"]),
        "reject": replies.answer_line(language, "reject", [examples["reject"]]),
        "change": replies.answer_line(language, "change", [examples["change"]]),
        "all": replies.answer_line(language, "approve", None),
    }


def answer_links(ctx: dict, subject: str) -> dict[str, Any]:
    """One-click `mailto:` answers to the shopper, per item awaiting a decision and for all:
    the reply subject and a body line in the client's language that the reply reader always
    understands ("hyväksyn 3"). Empty when the profile has no email address."""
    from shopcli.proposing import replies

    email = (ctx["shopper"].get("email") or "").strip()
    if not email or any(ch in email for ch in "\r\n\x00?&#<>\"'"):
        return {}
    language = ctx["language"]
    subject_part = _mailto_part(f"Re: {subject}")

    def href(body: str) -> str:
        return f"mailto:{_mailto_part(email)}?subject={subject_part}&body={_mailto_part(body)}"

    waiting = [item for section in ctx["sections"] for item in section["items"] if item["awaiting"]]
    links: dict[str, Any] = {
        number: {
            "approve": href(replies.answer_line(language, "approve", [number])),
            "reject": href(replies.answer_line(language, "reject", [number])),
            "change": href(replies.answer_line(language, "change", [number]) + ": "),
        }
        for number in (item["number"] for item in waiting)
    }
    if len(waiting) > 1:
        links["all"] = href(replies.answer_line(language, "approve", None))
    return links


def _mailto_part(text: str) -> str:
    """A part of a `mailto:` link: the ASCII that has a meaning in a URL percent-encoded,
    letters of other scripts kept as they are (HTML takes them in a link, and %-encoding a
    Cyrillic or Chinese subject would triple its size in every one of a long cart's links)."""
    from urllib.parse import quote

    return "".join(ch if ord(ch) > 127 else quote(ch, safe="@.-_~:") for ch in text)


def _picture(item: Mapping[str, Any], kept: dict | None) -> dict | None:
    """An item's picture for the documents: its address on the web, or the file kept in
    the database (`data`); shown within a fixed box, its shape kept, the title as alt text."""
    from shopcli.work.pictures import shown_size

    if kept is not None:
        width, height = shown_size(kept["width"], kept["height"])
        return {
            "url": None,
            "data": kept["data"],
            "media_type": kept["media_type"],
            "cid": f"item{item['id']}.{kept['sha256'][:16]}@shopcli",
            "width": width,
            "height": height,
            "alt": item["title"],
        }
    link = item.get("picture")
    if link and not link.startswith("sha256:"):
        width, height = shown_size(None, None)
        return {"url": link, "data": None, "width": width, "height": height, "alt": item["title"]}
    return None


def _with_picture_sources(ctx: dict, *, inline: bool) -> tuple[dict, list[tuple[str, bytes, str]]]:
    """The context with each picture's `src`: a web picture's address; a kept file as a
    `cid:` part of the email (`inline`), or left out of a page for email (no mail program
    shows a `data:` image). Returns the parts an email must carry: (content id, bytes, media
    type)."""
    parts: list[tuple[str, bytes, str]] = []
    sections = []
    for section in ctx["sections"]:
        shown = []
        for item in section["items"]:
            picture = item.get("picture")
            if picture:
                if picture["url"]:
                    item = {**item, "picture": {**picture, "src": picture["url"]}}
                elif inline:
                    parts.append((picture["cid"], picture["data"], picture["media_type"]))
                    item = {**item, "picture": {**picture, "src": f"cid:{picture['cid']}"}}
                else:
                    item = {**item, "picture": None}
            shown.append(item)
        sections.append({**section, "items": shown})
    return {**ctx, "sections": sections}, parts


def _examples(numbers: list[int]) -> dict[str, Any]:
    """Item numbers for the "how to answer" examples, taken from this proposal."""
    n = numbers
    if len(n) >= 4:
        return {"approve": [n[0], n[2]], "reject": n[1], "change": n[3], "combined": True}
    if len(n) == 3:
        return {"approve": [n[0]], "reject": n[1], "change": n[2], "combined": True}
    return {"approve": [n[0]], "reject": n[-1], "change": n[-1], "combined": False}


def _against(amount: Decimal, budget: Decimal | None) -> dict[str, Any]:
    over = budget is not None and amount > budget
    return {
        "subtotal": amount,
        "budget": budget,
        "over": over,
        "over_by": amount - budget if over and budget is not None else None,
        "remaining": budget - amount if budget is not None and not over else None,
    }


def over_budget(ctx: dict) -> list[dict]:
    """Recipients (and the job) whose proposed cart is over budget."""
    found = [
        {
            "id": s.get("id"),
            "name": s["name"],
            "subtotal": s["subtotal"],
            "budget": s["budget"],
            "over_by": s["over_by"],
        }
        for s in ctx["sections"]
        if s["over"]
    ]
    if ctx["total"]["over"]:
        found.append(
            {
                "id": None,
                "name": None,
                "subtotal": ctx["total"]["subtotal"],
                "budget": ctx["total"]["budget"],
                "over_by": ctx["total"]["over_by"],
            }
        )
    return found


# Above this, a proposal's HTML drops its per-item answer links (Gmail clips at 102 KB; the
# styles written inline add a little).
LINKS_BUDGET_BYTES = 90 * 1024


def render_document(ctx: dict, fmt: str) -> tuple[str, str | bytes]:
    """Render the proposal in one format; returns (subject, document)."""
    from shopcli.documents import email_draft, render

    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    language = ctx["language"]
    subject = render.render("proposal_subject.txt", ctx, language=language).strip()
    ctx = {**ctx, "subject": subject, "links": answer_links(ctx, subject)}
    if fmt == "text":
        return subject, render.render(
            "proposal.txt", {**ctx, "with_subject": True}, language=language
        )
    # An email carries a picture kept in the database as a cid: part; a page for email has
    # no way to carry one (no mail program shows a data: image), so it shows web pictures only.
    ctx, parts = _with_picture_sources(ctx, inline=fmt != "html")
    html = render.render("proposal.html", ctx, language=language)
    if len(ctx["links"]) > 1 and len(html.encode("utf-8")) > LINKS_BUDGET_BYTES:
        # A long cart: one-click answers for every item would take the email past Gmail's
        # clip, so it keeps "approve all" and the answers by number.
        kept = {"all": ctx["links"]["all"]} if "all" in ctx["links"] else {}
        ctx = {**ctx, "links": kept}
        html = render.render("proposal.html", ctx, language=language)
    if fmt == "html":
        from shopcli.documents.mail_html import for_email

        return subject, for_email(html, what="the proposal")
    text = render.render("proposal.txt", {**ctx, "with_subject": False}, language=language)
    return subject, email_draft.draft(
        ctx["shopper"], ctx["client"], subject=subject, text=text, html=html, images=parts
    )


def propose(
    store: Store,
    job: Job,
    *,
    fmt: str = "text",
    preview: bool = False,
    strict: bool = False,
    deliver: Callable[[str | bytes], None] | None = None,
    output: str | None = None,
) -> Proposed:
    """Render the cart, record it as a version (unless a preview) and hand the document over.

    `deliver` runs inside the same transaction: if writing the document fails, no version is
    recorded and no item changes status.
    """
    from shopcli.work import items

    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    with store.write():
        # Read once and handed on: the snapshot, the document and the items marked proposed
        # all read the same client and the same items.
        client = client_queries.existing(store, job["client_id"])
        rows = items.listing(store, job_id=job["id"], status=SHOWN)
        snap = snapshot(store, job, rows=rows, client=client)
        latest = queries.latest(store, job["id"])
        same = latest is not None and items_of(loads(latest["snapshot"], {})) == items_of(snap)
        if same and latest is not None:
            version = latest["version"]
            before = queries.by_version(store, job["id"], version - 1) if version > 1 else None
        else:
            version = latest["version"] + 1 if latest else 1
            before = latest
        previous = (before["version"], loads(before["snapshot"], {})) if before else None
        ctx = context(
            store, job, snap, version=version, previous=previous, preview=preview, client=client
        )
        over = over_budget(ctx)
        if strict and over:
            names = ", ".join(
                f"recipient #{o['id']}" if o["id"] is not None else "the job total" for o in over
            )
            raise Conflict(f"over budget: {names}; nothing was rendered (--strict)")
        subject, document = render_document(ctx, fmt)
        recorded = not preview and not same
        refreshed = same and latest is not None and latest["snapshot"] != dumps(snap)
        if refreshed and not preview and latest is not None:
            # The same items with new figures (a budget, a rate, the terms): the version
            # keeps its number and now holds what was rendered last.
            queries.replace_snapshot(store, latest["id"], dumps(snap))
        if recorded:
            proposal_id, version = queries.add_version(
                store, job["id"], job["currency"], dumps(snap)
            )
            for row in rows:
                if row["status"] not in TO_PROPOSE:
                    continue
                items.set_status(
                    store, row, lifecycle.PROPOSED, detail={"proposal_version": version}
                )
            events.log(
                store,
                "proposal.recorded",
                f"proposal version {version} recorded: {len(snap['items'])} items",
                client_id=job["client_id"],
                job_id=job["id"],
                detail={
                    "version": version,
                    "proposal_id": proposal_id,
                    "items": [i["number"] for i in snap["items"]],
                },
            )
        events.log(
            store,
            "proposal.rendered",
            f"proposal version {version} rendered as {fmt}"
            + (" (preview, not recorded)" if preview else "")
            + (f" to {output}" if output and output != "-" else ""),
            client_id=job["client_id"],
            job_id=job["id"],
            detail={
                "version": version,
                "format": fmt,
                "preview": preview,
                "output": output,
                "subject": subject,
            },
        )
        if deliver is not None:
            deliver(document)
    return Proposed(version, recorded, preview, subject, document, over, ctx["language"], refreshed)


# -- versions -------------------------------------------------------------------------------


def versions(store: Store, job: Job) -> list[dict]:
    """Every version with its items, total and the decisions it received."""
    counts: dict[int, dict[str, int]] = {}
    for row in queries.decision_counts(store, job["id"]):
        counts.setdefault(row["version"], {})[row["decision"]] = row["n"]
    found = []
    for row in queries.versions(store, job["id"]):
        snap = loads(row["snapshot"], {})
        found.append(
            {
                "version": row["version"],
                "created_at": row["created_at"],
                "currency": row["currency"],
                "items": len(snap["items"]),
                "total": sum((Decimal(i["total_job"]) for i in snap["items"]), Decimal(0)),
                "budget": Decimal(snap["budget"]) if snap.get("budget") else None,
                "decisions": {key: counts.get(row["version"], {}).get(key, 0) for key in DECISIONS},
            }
        )
    return found


def get_version(store: Store, job: Job, number: int) -> dict:
    """One version: its frozen snapshot, what changed since the one before, and its
    decisions."""
    row = queries.by_version(store, job["id"], number)
    if not row:
        count = len(queries.versions(store, job["id"]))
        known = f"versions 1 to {count}" if count else "no versions yet"
        raise NotFound(f"job #{job['id']} has no proposal version {number} ({known})")
    snap = loads(row["snapshot"], {})
    before = queries.by_version(store, job["id"], number - 1) if number > 1 else None
    return {
        "version": row["version"],
        "created_at": row["created_at"],
        "currency": row["currency"],
        "snapshot": snap,
        "changes": changes(loads(before["snapshot"], {}), snap) if before else None,
        "decisions": [d for d in queries.decisions(store, job["id"]) if d["version"] == number],
    }


def decisions(store: Store, job: Job) -> list[Decision]:
    """Every decision recorded for a job, oldest first (with the version and item number)."""
    return queries.decisions(store, job["id"])


# -- decisions ------------------------------------------------------------------------------


def _proposed_in(store: Store, job: Job) -> tuple[dict[int, tuple[int, int]], dict | None]:
    """For each item id, the latest (proposal id, version) holding it; and the latest snapshot."""
    holding, latest, _ = _proposed_as(store, job)
    return holding, latest


def _proposed_as(
    store: Store, job: Job
) -> tuple[dict[int, tuple[int, int]], dict | None, dict[int, dict]]:
    """`_proposed_in`, and each item as the latest version holding it showed it."""
    holding: dict[int, tuple[int, int]] = {}
    shown: dict[int, dict] = {}
    latest = None
    for row in queries.versions(store, job["id"]):
        snap = loads(row["snapshot"], {})
        for item in snap["items"]:
            holding[item["id"]] = (row["id"], row["version"])
            shown[item["id"]] = item
        latest = snap
    return holding, latest, shown


def refuse_unseen_check(store: Store, row: Item, shown: dict, version: int, where: str) -> None:
    """An item found changed or unavailable at the store after the version the client
    decided on was made cannot be approved as it stood: the client has not seen the change."""
    from shopcli.storage import delivery as checks

    flag = flag_of(row, checks.latest_checks(store, [row["id"]]).get(row["id"]))
    if flag is None or (shown.get("flag") or {}).get("check_id") == flag["check_id"]:
        return
    found = []
    if flag["new_price"] is not None:
        from shopcli.core.money import shown as money

        found.append(
            f"price {money(flag['old_price'], flag['currency'])} → "
            f"{money(flag['new_price'], flag['currency'])}"
        )
    if flag["unavailable"]:
        found.append("not available")
    if flag["note"] and not found:
        found.append("did not match at the store")
    raise Conflict(
        f"{where}item {item_ref(row)} was checked at the store after proposal version "
        f"{version} ({'; '.join(found)}): the client has not seen that, so it cannot be "
        f"approved as it stood; propose again (shop propose {row['job_id']}) "
        "and record the decision on the new version"
    )


def plan(
    store: Store,
    job: Job,
    requests: Sequence[tuple[str, Sequence[int] | None, str | None, int | None, str | None]],
) -> list[Planned]:
    """Check decisions without writing: (decision, numbers or None for all, note, reply line,
    the reply's words for this decision).

    Raises on the first decision that cannot be applied, naming its reply line and quoting
    that decision's own words (a line may hold several: "approve 5. approve 1").
    """
    from shopcli.core import validate

    holding, latest, shown_as = _proposed_as(store, job)
    if latest is None:
        raise Conflict(f"nothing was proposed for job #{job['id']} yet; run `shop propose` first")
    named = {n for _, numbers, _, _, _ in requests for n in (numbers or [])}
    planned: list[Planned] = []
    for decision, numbers, note, line, text in requests:
        where = ""
        if line:
            where = f"line {line} ({text!r}): " if text else f"line {line}: "
        if note is not None:
            note = validate.text(note, "note")
        rows: list[Item]
        if numbers is None:
            rows = [
                row
                for row in (item_queries.by_id(store, i["id"]) for i in latest["items"])
                if row
                and row["number"] not in named
                and row["status"] in (lifecycle.PROPOSED, lifecycle.NEEDS_CLIENT)
            ]
            if not rows:
                raise Conflict(f"{where}'all' names no items: none is awaiting a decision")
        else:
            rows = []
            for number in numbers:
                row = item_queries.by_number(store, job["id"], number)
                if row is None:
                    raise NotFound(f"{where}job #{job['id']} has no item number {number}")
                rows.append(row)
        for row in rows:
            if row["id"] not in holding:
                raise Conflict(
                    f"{where}item {item_ref(row)} has not been proposed to the client yet; "
                    "run `shop propose` first"
                )
            if row["status"] != decision:
                try:
                    lifecycle.check(row["status"], decision)
                except ShopError as exc:
                    raise Conflict(f"{where}item {item_ref(row)}: {exc}") from None
            proposal_id, number_of_version = holding[row["id"]]
            if decision == lifecycle.APPROVED:
                refuse_unseen_check(
                    store, row, shown_as.get(row["id"], {}), number_of_version, where
                )
            planned.append(Planned(row, proposal_id, number_of_version, decision, note, line))
    return planned


def apply(store: Store, job: Job, planned: list[Planned], *, source: str = "command") -> dict:
    """Record checked decisions and move the items, all in one transaction. Returns counts."""
    from shopcli.work import items

    if source not in SOURCES:
        raise InvalidInput(f"unknown decision source {source!r}")
    counts = dict.fromkeys(DECISIONS, 0)
    with store.write():
        for step in planned:
            item = item_queries.by_id(store, step.item["id"]) or step.item
            queries.add_decision(
                store, step.proposal_id, item["id"], step.decision, step.note, source
            )
            detail = {
                "proposal_version": step.version,
                "source": source,
                "answer": step.decision,  # the key as logged since the first release
            }
            if item["status"] != step.decision:
                items.set_status(store, item, step.decision, note=step.note, detail=detail)
            else:
                events.log(
                    store,
                    "item.answered",
                    f"item {item['number']} {item['title']}: "
                    f"{lifecycle.label(step.decision)} again"
                    + (f" ({step.note})" if step.note else ""),
                    client_id=job["client_id"],
                    job_id=job["id"],
                    item_id=item["id"],
                    detail={**detail, "note": step.note},
                )
            counts[step.decision] += 1
        summary = ", ".join(
            f"{n} {lifecycle.label(decision)}" for decision, n in counts.items() if n
        )
        events.log(
            store,
            "proposal.answered",
            f"client's decisions recorded ({'from a reply' if source == 'reply' else 'by hand'}): "
            f"{summary}",
            client_id=job["client_id"],
            job_id=job["id"],
            detail={"source": source, **counts},
        )
    return counts


def decide(
    store: Store, job: Job, decision: str, numbers: list[int] | None, note: str | None = None
) -> tuple[list[Planned], dict]:
    """Record the client's decision (approved, rejected, change requested) on items by number,
    or on all awaiting one when `numbers` is None (all or nothing)."""
    with store.write():
        planned = plan(store, job, [(decision, numbers, note, None, None)])
        return planned, apply(store, job, planned, source="command")


def reply_items(store: Store, job: Job, latest: Mapping[str, Any] | None) -> list[Any]:
    """The items of the `latest` proposal as the reply reader sees them, in the order the
    proposal shows them (`shown_order`): "the second one" means the second shown."""
    from shopcli.proposing import replies

    if latest is None:
        raise Conflict(f"nothing was proposed for job #{job['id']} yet; run `shop propose` first")
    snap = loads(latest["snapshot"], {})
    found = []
    for item in shown_order(snap["items"]):
        row = store.get("items", item["id"])
        if row is None:
            continue
        found.append(
            replies.ProposedItem(
                number=row["number"],
                title=row["title"],
                recipient=item.get("recipient"),
                awaiting=row["status"] in (lifecycle.PROPOSED, lifecycle.NEEDS_CLIENT),
            )
        )
    return found


def sent_proposal(store: Store, job: Job, latest: Mapping[str, Any] | None, client: Client) -> Any:
    """The `latest` proposal as sent to `client` (text and HTML), as the lines a reply may
    quote back."""
    from shopcli.proposing import replies, reply_mail, reply_words
    from shopcli.proposing.reply_quotes import SentProposal, normalise

    if latest is None:
        return SentProposal()
    snap = loads(latest["snapshot"], {})
    items = {item["number"]: item["title"] for item in snap["items"]}
    lines: set[str] = {normalise(f"{number}. {title}") for number, title in items.items()}
    before = (
        queries.by_version(store, job["id"], latest["version"] - 1)
        if latest["version"] > 1
        else None
    )
    previous = (before["version"], loads(before["snapshot"], {})) if before else None
    try:
        ctx = context(
            store,
            job,
            snap,
            version=latest["version"],
            previous=previous,
            preview=False,
            client=client,
        )
        _, text = render_document(ctx, "text")
        _, html = render_document(ctx, "html")
    except ShopError:
        # A template that no longer renders: the other quote rules still hold.
        return SentProposal(frozenset(lines), items)
    for document in (str(text), reply_mail.html_to_text(str(html))):
        lines.update(normalise(line) for line in document.splitlines())
    # What an answer link writes is the client's answer, never a quote of the proposal.
    language = ctx["language"]
    answers = {normalise(replies.answer_line(language, "approve", None))}
    for number in items:
        for action in replies.ACTIONS:
            answers.add(normalise(replies.answer_line(language, action, [number])))
    # The examples are set aside by their label; their words are what a client may write.
    label = normalise(reply_words.example_label(language)) + " "
    kept = frozenset(
        line
        for line in lines
        if len(line) >= 3 and line not in answers and not line.startswith(label)
    )
    return SentProposal(kept, items)


def read_reply(store: Store, job: Job, text: str) -> tuple[Any, list[Planned], list[Any]]:
    """Read a client's reply into checked decisions, or refuse all of it naming the line.
    Returns the reading, the decisions checked, and the proposal's items as `reply_items`
    gives them (what the reply was read against).

    Nothing is written: `apply_decisions` records what this returns.
    """
    from shopcli.core.cards import refuse_card_numbers
    from shopcli.proposing import replies

    client = client_queries.existing(store, job["client_id"])
    # One reading of the latest proposal for both the items and the text a reply may quote.
    latest = queries.latest(store, job["id"])
    try:
        refuse_card_numbers({"reply": text})
        shown = reply_items(store, job, latest)
        reading = replies.read(
            text, shown, document_language(client), sent_proposal(store, job, latest, client)
        )
        if not reading.decisions:
            raise InvalidInput(
                "the reply holds no decision that can be read (write, for example: "
                f"{replies.answer_line(document_language(client), 'approve', [1, 3])}; "
                f"{replies.answer_line(document_language(client), 'reject', [2])})"
            )
        planned = _plan_reading(store, job, reading)
    except ShopError as exc:
        raise InvalidInput(
            f"{exc} (nothing of the reply was applied; record the decisions by hand with "
            "`shop approve`, `shop reject` or `shop change`, or correct the reply)"
        ) from None
    return reading, planned, shown


def _plan_reading(store: Store, job: Job, reading: Any) -> list[Planned]:
    requests = [(d.decision, [d.number], d.note, d.line, d.words) for d in reading.decisions]
    planned = plan(store, job, requests)
    words = {d.number: d.words for d in reading.decisions}
    return [
        Planned(
            p.item,
            p.proposal_id,
            p.version,
            p.decision,
            p.note,
            p.line,
            words.get(p.item["number"]),
        )
        for p in planned
    ]


def apply_decisions(store: Store, job: Job, reading: Any) -> tuple[list[Planned], dict]:
    """Record the decisions of a reply read by `read_reply`, checked again, in one transaction."""
    with store.write():
        planned = _plan_reading(store, job, reading)
        return planned, apply(store, job, planned, source="reply")


def apply_reply(
    store: Store, job: Job, text: str, *, dry_run: bool = False
) -> tuple[Any, list[Planned], dict]:
    """Read a client's reply and apply all of it, or refuse all of it naming the line."""
    with store.write():
        reading, planned, _ = read_reply(store, job, text)
        if dry_run:
            return reading, planned, dict.fromkeys(DECISIONS, 0)
        planned, counts = apply_decisions(store, job, reading)
        return reading, planned, counts
