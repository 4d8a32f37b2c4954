"""Proposals: versions of the cart sent to the client, what changed, and the client's answers.

A proposal version is a frozen snapshot (JSON) of the cart as proposed: the items with their
prices, the exchange rates used, the recipients' budgets and the terms. `propose` renders
the current cart and records a new version when anything differs from the latest one; an
unchanged cart rendered again (say, as .eml after the text) keeps the latest version number.
Answers are recorded per item against the latest version that held the item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from shopcli.core.errors import Conflict, InvalidInput, NotFound, ShopError
from shopcli.storage import Store, events
from shopcli.storage import proposals as queries
from shopcli.storage.records import dumps, loads
from shopcli.work import lifecycle

FORMATS = ("text", "html", "eml")
# Items shown in a proposal: everything still planned or already approved; rejected,
# cancelled and returned items drop out.
SHOWN = lifecycle.PLANNED + lifecycle.COMMITTED
# Items that become `proposed` when a version is recorded.
TO_PROPOSE = (lifecycle.CANDIDATE, lifecycle.CHANGE_REQUESTED, lifecycle.NEEDS_CLIENT)
# Item details compared between versions ("what changed since version N").
COMPARED = ("title", "recipient", "store", "url", "price", "qty", "size", "colour")
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


@dataclass(frozen=True)
class Planned:
    """One answer checked and ready to apply."""

    item: dict
    proposal_id: int
    version: int
    decision: str
    note: str | None
    line: int | None = None


# -- the snapshot ---------------------------------------------------------------------------


def snapshot(store: Store, job: dict) -> dict[str, Any]:
    """The current cart as it would be proposed, JSON-ready (amounts as exact strings)."""
    from shopcli.core.money import round_money, to_text
    from shopcli.people import profile
    from shopcli.work import budgets, items, pictures, rates

    rows = [row for row in items.listing(store, job_id=job["id"]) if row["status"] in SHOWN]
    kept = pictures.hashes(store, [row["id"] for row in rows])
    if not rows:
        raise Conflict(
            f"job {job['title']!r} has no items to propose; add some with `shop item add`"
        )
    target = job["currency"]
    known = rates.table(store)
    used: dict[str, str] = {}
    cart = []
    for row in rows:
        rate = rates.rate_between(known, row["currency"], target)
        if row["currency"] != target:
            used[row["currency"]] = to_text(rate)
        total = Decimal(row["price"]) * int(row["qty"])
        status = lifecycle.PROPOSED if row["status"] in TO_PROPOSE else row["status"]
        # Only items with a picture carry the key: a cart without pictures snapshots as before.
        picture = (
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
                "status": status,
                "total": to_text(total),
                "total_job": to_text(round_money(total * rate, target)),
            }
        )
    report = budgets.report(store, job)
    budget_of = {line.recipient_id: line.budget for line in report.lines}
    people = []
    for line in report.lines:
        if line.recipient_id is None or not any(
            i["recipient_id"] == line.recipient_id for i in cart
        ):
            continue
        person = store.get("recipients", line.recipient_id) or {}
        people.append(
            {
                "id": line.recipient_id,
                "name": person.get("name", line.name),
                "relation": person.get("relation"),
                "interests": loads(person.get("interests"), []),
                "budget": to_text(budget_of[line.recipient_id])
                if budget_of.get(line.recipient_id) is not None
                else None,
            }
        )
    terms = profile.load().terms()
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
            if name == "price":
                if (previous["price"], previous["currency"]) != (item["price"], item["currency"]):
                    fields.append(
                        {
                            "field": "price",
                            "old": previous["price"],
                            "new": item["price"],
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
    }


# -- the document ---------------------------------------------------------------------------


def language_of(client: dict) -> str:
    from shopcli.people import profile

    return client.get("language") or profile.load().get("language") or "en"


def context(
    store: Store,
    job: dict,
    snap: dict,
    *,
    version: int,
    previous: tuple[int, dict] | None,
    preview: bool,
) -> dict[str, Any]:
    """Everything a proposal template needs, as structured data (the wording is the template's)."""
    import datetime as dt

    from shopcli.people import profile
    from shopcli.proposing import replies
    from shopcli.work import pictures

    client = store.get("clients", job["client_id"]) or {}
    me = profile.load()
    language = language_of(client)
    cur = snap["job"]["currency"]
    answers = queries.last_notes(store, [item["id"] for item in snap["items"]])
    files = pictures.kept_for(
        store, [item["id"] for item in snap["items"] if item.get("picture", "").startswith("sha")]
    )

    def entry(item: dict) -> dict:
        answer = answers.get(item["id"])
        return {
            **item,
            "picture": _picture(item, files.get(item["id"])),
            "price": Decimal(item["price"]),
            "total": Decimal(item["total"]),
            "total_job": Decimal(item["total_job"]) if item["currency"] != cur else None,
            "awaiting": item["status"] in (lifecycle.PROPOSED, lifecycle.NEEDS_CLIENT),
            "approved": item["status"] in lifecycle.COMMITTED,
            "shopper_pays": item["paid_by"] == "shopper",
            "request": answer["note"]
            if answer and answer["decision"] == lifecycle.CHANGE_REQUESTED and answer["note"]
            else None,
        }

    sections = []
    groups: list[tuple[dict | None, list[dict]]] = [
        (person, [i for i in snap["items"] if i["recipient_id"] == person["id"]])
        for person in snap["recipients"]
    ]
    groups.append((None, [i for i in snap["items"] if i["recipient_id"] is None]))
    for person, members in groups:
        if not members:
            continue
        subtotal = sum((Decimal(i["total_job"]) for i in members), Decimal(0))
        budget = Decimal(person["budget"]) if person and person["budget"] is not None else None
        sections.append(
            {
                "name": person["name"] if person else None,
                "relation": person["relation"] if person else None,
                "interests": person["interests"] if person else [],
                "items": [entry(i) for i in sorted(members, key=lambda i: i["number"])],
                **_against(subtotal, budget),
            }
        )
        sections[-1]["pictures"] = any(i["picture"] for i in sections[-1]["items"])
    total = sum((Decimal(i["total_job"]) for i in snap["items"]), Decimal(0))
    budget = Decimal(snap["budget"]) if snap["budget"] is not None else None
    all_items = [item for section in sections for item in section["items"]]
    awaiting = [item["number"] for item in all_items if item["awaiting"]]
    numbers = sorted(awaiting or [item["number"] for item in all_items])
    terms = snap["terms"]
    deposit = None
    if terms["deposit"]:
        raw = str(terms["deposit"])
        deposit = {"amount": Decimal(raw.rstrip("%")), "percent": raw.endswith("%")}
    change_set = None
    if previous is not None:
        since, old = previous
        found = changes(old, snap)
        for item in found["removed"]:
            current = store.get("items", item["id"])
            item["reason"] = current["status"] if current else "deleted"
        change_set = {"since": since, **found}
    return {
        "language": language,
        "version": version,
        "preview": preview,
        "date": dt.date.today().isoformat(),
        "shopper": {
            "name": me.get("name") or "",
            "business_name": me.get("business_name"),
            "email": me.get("email"),
            "phone": me.get("phone"),
        },
        "client": {"name": client.get("name", ""), "email": client.get("email")},
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
        "terms": {
            "fee": {"kind": terms["fee_kind"], "amount": Decimal(terms["fee_amount"])}
            if terms["fee_kind"]
            else None,
            "min_fee": Decimal(terms["min_fee"]) if terms["min_fee"] else None,
            "deposit": deposit,
            "delivery": terms["delivery"],
            "customs": terms["customs"],
            "returns": terms["returns"],
            "prepayment": terms["prepayment"],
        },
        "shopper_pays": any(item["shopper_pays"] for item in all_items),
        "changes": change_set,
        "answer": {"words": replies.example_words(language), **_examples(numbers)},
    }


def _picture(item: dict, kept: dict | None) -> dict | None:
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
    `cid:` part of the email (`inline`) or a `data:` address in a stand-alone HTML file.
    Returns the parts an email must carry: (content id, bytes, media type)."""
    import base64

    parts: list[tuple[str, bytes, str]] = []
    sections = []
    for section in ctx["sections"]:
        shown = []
        for item in section["items"]:
            picture = item.get("picture")
            if picture:
                if picture["url"]:
                    src = picture["url"]
                elif inline:
                    src = f"cid:{picture['cid']}"
                    parts.append((picture["cid"], picture["data"], picture["media_type"]))
                else:
                    encoded = base64.b64encode(picture["data"]).decode("ascii")
                    src = f"data:{picture['media_type']};base64,{encoded}"
                item = {**item, "picture": {**picture, "src": src}}
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
                "name": None,
                "subtotal": ctx["total"]["subtotal"],
                "budget": ctx["total"]["budget"],
                "over_by": ctx["total"]["over_by"],
            }
        )
    return found


def render_document(ctx: dict, fmt: str) -> tuple[str, str | bytes]:
    """Render the proposal in one format; returns (subject, document)."""
    from shopcli.documents import email_draft, render

    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    language = ctx["language"]
    subject = render.render("proposal_subject.txt", ctx, language=language).strip()
    ctx = {**ctx, "subject": subject}
    if fmt == "text":
        return subject, render.render(
            "proposal.txt", {**ctx, "with_subject": True}, language=language
        )
    if fmt == "html":
        page, _parts = _with_picture_sources(ctx, inline=False)
        return subject, render.render("proposal.html", page, language=language)
    ctx, parts = _with_picture_sources(ctx, inline=True)
    html = render.render("proposal.html", ctx, language=language)
    if not ctx["client"]["email"]:
        raise InvalidInput(
            f"{ctx['client']['name']} has no email address; add one with "
            f"`shop client edit {ctx['client']['name']!r} --email ADDRESS`"
        )
    if not ctx["shopper"]["email"]:
        raise InvalidInput(
            "your profile has no email address to send from; set it with "
            "`shop profile set email ADDRESS`"
        )
    text = render.render("proposal.txt", {**ctx, "with_subject": False}, language=language)
    return subject, email_draft.build(
        to_name=ctx["client"]["name"],
        to_email=ctx["client"]["email"],
        from_name=ctx["shopper"]["business_name"] or ctx["shopper"]["name"],
        from_email=ctx["shopper"]["email"],
        subject=subject,
        text=text,
        html=html,
        images=parts,
    )


def propose(
    store: Store,
    job: dict,
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
        snap = snapshot(store, job)
        latest = queries.latest(store, job["id"])
        same = latest is not None and latest["snapshot"] == dumps(snap)
        if same and latest is not None:
            version = latest["version"]
            before = queries.by_version(store, job["id"], version - 1) if version > 1 else None
        else:
            version = latest["version"] + 1 if latest else 1
            before = latest
        previous = (before["version"], loads(before["snapshot"], {})) if before else None
        ctx = context(store, job, snap, version=version, previous=previous, preview=preview)
        over = over_budget(ctx)
        if strict and over:
            names = ", ".join(o["name"] or "the job total" for o in over)
            raise Conflict(f"over budget: {names}; nothing was rendered (--strict)")
        subject, document = render_document(ctx, fmt)
        recorded = not preview and not same
        if recorded:
            proposal_id, version = queries.add_version(
                store, job["id"], job["currency"], dumps(snap)
            )
            for row in items.listing(store, job_id=job["id"]):
                if row["status"] in TO_PROPOSE:
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
    return Proposed(version, recorded, preview, subject, document, over)


# -- versions -------------------------------------------------------------------------------


def versions(store: Store, job: dict) -> list[dict]:
    """Every version with its items, total and the answers it received."""
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
                "answers": {key: counts.get(row["version"], {}).get(key, 0) for key in DECISIONS},
            }
        )
    return found


def get_version(store: Store, job: dict, number: int) -> dict:
    """One version: its frozen snapshot, what changed since the one before, and its answers."""
    row = queries.by_version(store, job["id"], number)
    if not row:
        count = len(queries.versions(store, job["id"]))
        known = f"versions 1 to {count}" if count else "no versions yet"
        raise NotFound(f"job {job['title']!r} has no proposal version {number} ({known})")
    snap = loads(row["snapshot"], {})
    before = queries.by_version(store, job["id"], number - 1) if number > 1 else None
    return {
        "version": row["version"],
        "created_at": row["created_at"],
        "currency": row["currency"],
        "snapshot": snap,
        "changes": changes(loads(before["snapshot"], {}), snap) if before else None,
        "answers": [a for a in queries.decisions(store, job["id"]) if a["version"] == number],
    }


def answers(store: Store, job: dict) -> list[dict]:
    """Every answer recorded for a job, oldest first."""
    return queries.decisions(store, job["id"])


# -- answers --------------------------------------------------------------------------------


def _proposed_in(store: Store, job: dict) -> tuple[dict[int, tuple[int, int]], dict | None]:
    """For each item id, the latest (proposal id, version) holding it; and the latest snapshot."""
    holding: dict[int, tuple[int, int]] = {}
    latest = None
    for row in queries.versions(store, job["id"]):
        snap = loads(row["snapshot"], {})
        for item in snap["items"]:
            holding[item["id"]] = (row["id"], row["version"])
        latest = snap
    return holding, latest


def plan(
    store: Store,
    job: dict,
    requests: list[tuple[str, list[int] | None, str | None, int | None]],
    lines: dict[int, str] | None = None,
) -> list[Planned]:
    """Check answers without writing: (decision, numbers or None for all, note, line).

    Raises on the first answer that cannot be applied, naming its reply line (and the line's
    text, from `lines`) when there is one.
    """
    from shopcli.core import validate
    from shopcli.storage import items as item_queries

    holding, latest = _proposed_in(store, job)
    if latest is None:
        raise Conflict(f"nothing was proposed for {job['title']!r} yet; run `shop propose` first")
    named = {n for _, numbers, _, _ in requests for n in (numbers or [])}
    planned: list[Planned] = []
    for decision, numbers, note, line in requests:
        where = ""
        if line:
            text = (lines or {}).get(line)
            where = f"line {line} ({text!r}): " if text else f"line {line}: "
        if note is not None:
            note = validate.text(note, "note")
        if numbers is None:
            rows = [
                row
                for row in (store.get("items", i["id"]) for i in latest["items"])
                if row
                and row["number"] not in named
                and row["status"] in (lifecycle.PROPOSED, lifecycle.NEEDS_CLIENT)
            ]
            if not rows:
                raise Conflict(f"{where}'all' names no items: none is awaiting an answer")
        else:
            rows = []
            for number in numbers:
                row = item_queries.by_number(store, job["id"], number)
                if row is None:
                    raise NotFound(f"{where}job {job['title']!r} has no item number {number}")
                rows.append(row)
        for row in rows:
            if row["id"] not in holding:
                raise Conflict(
                    f"{where}item {row['number']} {row['title']!r} has not been proposed to the "
                    "client yet; run `shop propose` first"
                )
            if row["status"] != decision:
                try:
                    lifecycle.check(row["status"], decision)
                except ShopError as exc:
                    raise Conflict(f"{where}item {row['number']} {row['title']!r}: {exc}") from None
            proposal_id, number_of_version = holding[row["id"]]
            planned.append(Planned(row, proposal_id, number_of_version, decision, note, line))
    return planned


def apply(store: Store, job: dict, planned: list[Planned], *, source: str = "command") -> dict:
    """Record checked answers and move the items, all in one transaction. Returns counts."""
    from shopcli.work import items

    if source not in SOURCES:
        raise InvalidInput(f"unknown answer source {source!r}")
    counts = dict.fromkeys(DECISIONS, 0)
    with store.write():
        for answer in planned:
            item = store.get("items", answer.item["id"]) or answer.item
            queries.add_decision(
                store, answer.proposal_id, item["id"], answer.decision, answer.note, source
            )
            detail = {
                "proposal_version": answer.version,
                "source": source,
                "answer": answer.decision,
            }
            if item["status"] != answer.decision:
                items.set_status(store, item, answer.decision, note=answer.note, detail=detail)
            else:
                events.log(
                    store,
                    "item.answered",
                    f"item {item['number']} {item['title']}: "
                    f"{lifecycle.label(answer.decision)} again"
                    + (f" ({answer.note})" if answer.note else ""),
                    client_id=job["client_id"],
                    job_id=job["id"],
                    item_id=item["id"],
                    detail={**detail, "note": answer.note},
                )
            counts[answer.decision] += 1
        summary = ", ".join(
            f"{n} {lifecycle.label(decision)}" for decision, n in counts.items() if n
        )
        events.log(
            store,
            "proposal.answered",
            f"client's answers recorded ({'from a reply' if source == 'reply' else 'by hand'}): "
            f"{summary}",
            client_id=job["client_id"],
            job_id=job["id"],
            detail={"source": source, **counts},
        )
    return counts


def answer(
    store: Store, job: dict, decision: str, numbers: list[int], note: str | None = None
) -> tuple[list[Planned], dict]:
    """Approve, reject or ask for a change on items by number (all or nothing)."""
    with store.write():
        planned = plan(store, job, [(decision, numbers, note, None)])
        return planned, apply(store, job, planned, source="command")


def apply_reply(
    store: Store, job: dict, text: str, *, dry_run: bool = False
) -> tuple[Any, list[Planned], dict]:
    """Read a client's reply and apply all of it, or refuse all of it naming the line."""
    from shopcli.core.cards import refuse_card_numbers
    from shopcli.proposing import replies

    client = store.get("clients", job["client_id"]) or {}
    with store.write():
        try:
            refuse_card_numbers({"reply": text})
            reply = replies.parse(text, language_of(client))
            if not reply.instructions:
                raise InvalidInput(
                    "the reply holds no instructions (lines like: approve 1, 3; reject 2; "
                    "change 4: size M)"
                )
            requests = [
                (i.decision, None if i.all_items else list(i.numbers), i.note, i.line)
                for i in reply.instructions
            ]
            planned = plan(store, job, requests, {i.line: i.text for i in reply.instructions})
        except ShopError as exc:
            raise InvalidInput(f"{exc} (nothing of the reply was applied)") from None
        if dry_run:
            return reply, planned, dict.fromkeys(DECISIONS, 0)
        return reply, planned, apply(store, job, planned, source="reply")
