"""Built-in sample data: a shopper, clients, recipients, a job with budgets and items, taken
from the proposal to the invoice and the follow-up, and the next job that remembers it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from shopcli.core import dates
from shopcli.core.dates import add_days
from shopcli.people import clients, profile, recipients
from shopcli.storage import Store
from shopcli.storage.rows import Client, Job, Recipient
from shopcli.work import budgets, items, jobs, rates


@dataclass
class Demo:
    home: Path
    store: Store
    job: Job
    steps: list[str] = field(default_factory=list)
    next_job: Job | None = None  # Liisa's birthday: its proposal recalls Christmas
    today: str = ""  # the story's last day: the day the demo runs


def day(demo: Demo, offset: int) -> str:
    """The story's day `offset` days from today (negative: before). The story ends today, so
    every document is dated today or earlier and the shopper can go on from there (a new
    invoice's number follows the demo's)."""
    return add_days(demo.today, offset)


def build(home: Path) -> Demo:
    """Fill an empty home with a small, realistic sample and return what was made."""
    store = Store(home / "shop.db")
    on = dates.today()
    # The story's calendar, in days from today (it ends with Anna's answer to the follow-up):
    # deposit billed 33 days ago, the job's deadline 8 days ago, the handover and the final
    # invoice 11 days ago; Liisa turns 15 in 81 days.
    deadline = add_days(on, -8)
    birthday = add_days(on, 81)
    title = f"Christmas {deadline[:4]}"
    steps = [_profile_step(home)]
    anna, tom = _client_steps(store, steps)
    liisa, eero = _recipient_steps(store, steps, anna, tom, birthday)
    job = _job_steps(store, steps, anna, liisa, eero, title, deadline)
    _item_steps(store, steps, job, liisa, eero, on)
    demo = Demo(home, store, job, steps, today=on)
    _proposal_steps(demo)
    _delivery_steps(demo)
    _invoice_steps(demo)
    _aftercare_steps(demo, anna, liisa)
    return demo


def _profile_step(home: Path) -> str:
    """The shopper's profile (a small Finnish business, exempt from VAT); its step's line."""
    me = profile.load(home / "profile.yaml")
    for key, value in {
        "name": "Maija Mäkinen",
        "business_name": "Maijan Lahjapalvelu",
        "business_id": "2617416-4",
        "vat_exempt_note": "Arvonlisäveroton vähäisen toiminnan perusteella (AVL 3 §)",
        "address": "Kauppakatu 1 A, 00100 Helsinki",
        "email": "maija@example.fi",
        "iban": "FI21 1234 5600 0007 85",
        "currency": "EUR",
        "language": "fi",
        # The terms in the profile's language (Finnish), and in English for Tom.
        "terms.delivery": "Toimitus Suomessa 2–5 arkipäivää, ulkomaille 1–3 viikkoa.",
        "terms.returns": "Palautukset kaupan oman palautusajan puitteissa; hoidan ne puolestasi.",
        "terms.customs": "EU:n ulkopuolelta tulevien tuotteiden tulli ja arvonlisävero "
        "laskutetaan omakustannushintaan.",
        "terms.prepayment": "Ennakkomaksu 30 % palkkiosta ennen ostosten aloittamista.",
        "terms.delivery.en": "Delivery 2–5 working days in Finland; abroad 1–3 weeks.",
        "terms.returns.en": "Returns within the store's own return period; I arrange them.",
        "terms.customs.en": "Customs duty and import VAT from outside the EU are billed at cost.",
        "terms.prepayment.en": "A deposit of 30 % of the fee before shopping starts.",
    }.items():
        me.set(key, value)
    me.save()
    return "profile: Maija Mäkinen (Maijan Lahjapalvelu), EUR, Finnish"


def _client_steps(store: Store, steps: list[str]) -> tuple[Client, Client]:
    """Anna (Finnish, EUR) and Tom (English, GBP)."""
    anna = clients.add(
        store,
        "Anna Virtanen",
        salutation="Anna",
        email="anna@example.com",
        phone="+358 40 123 4567",
        language="fi",
        currency="EUR",
        address="Mannerheimintie 5 B 12, 00100 Helsinki",
    )
    tom = clients.add(
        store,
        "Tom Baker",
        salutation="Tom",
        email="tom@example.co.uk",
        language="en",
        currency="GBP",
    )
    steps.append(f"clients: {anna['name']} (fi, EUR), {tom['name']} (en, GBP)")
    return anna, tom


def _recipient_steps(
    store: Store, steps: list[str], anna: Client, tom: Client, birthday: str
) -> tuple[Recipient, Recipient]:
    """Anna's children Liisa (15 on `birthday`) and Eero, and Tom's mother Grace."""
    liisa = recipients.add(
        store,
        anna,
        "Liisa",
        relation="daughter",
        interests="knitting, cats",
        birthday=years_before(birthday, 15),
        sizes=["M"],
        dislikes="perfume",
    )
    eero = recipients.add(
        store,
        anna,
        "Eero",
        relation="son",
        interests="lego, space",
        birthday="2015-12-01",
        sizes=["140", "shoe=34"],
    )
    recipients.add(store, tom, "Grace", relation="mother", interests="gardening")
    steps.append("recipients: Liisa and Eero (Anna's children), Grace (Tom's mother)")
    return liisa, eero


def _job_steps(
    store: Store,
    steps: list[str],
    anna: Client,
    liisa: Recipient,
    eero: Recipient,
    title: str,
    deadline: str,
) -> Job:
    """Anna's job with its fee terms and budgets, and the exchange rates its items need."""
    job = jobs.add(
        store,
        anna,
        title,
        deadline=deadline,
        fee="percent:10",
        budget="300",
        min_fee="25",
        deposit="30%",
    )
    budgets.set_budget(store, job, liisa, "80")
    budgets.set_budget(store, job, eero, "120")
    rates.set_rate(store, "USD", "EUR", "0.92")
    rates.set_rate(store, "GBP", "EUR", "1.17")
    steps.append(
        f"job: {title} for Anna, 10 % fee, budget 300.00 EUR "
        "(Liisa 80.00 EUR, Eero 120.00 EUR); rates USD→EUR 0.92, GBP→EUR 1.17"
    )
    return job


def _item_steps(
    store: Store, steps: list[str], job: Job, liisa: Recipient, eero: Recipient, on: str
) -> None:
    """Four candidate items in three currencies (the scarf returnable until 19 days after
    `on`, today)."""
    items.add(
        store,
        job,
        "Merino wool scarf",
        recipient=liisa,
        price="49.90",
        currency="EUR",
        store="Villapuoti",
        url="https://villapuoti.example/scarf",
        size="M",
        colour="grey",
        qty=1,
        return_by=add_days(on, 19),
    )
    items.add(
        store,
        job,
        "Cat-ear knitting kit",
        recipient=liisa,
        price="24.00",
        currency="USD",
        store="Crafty Cats",
        url="https://craftycats.example/kit",
        qty=1,
    )
    items.add(
        store,
        job,
        "Space shuttle building set",
        recipient=eero,
        price="69.00",
        currency="GBP",
        store="Bricks & Co",
        url="https://bricks.example/shuttle",
        qty=1,
    )
    items.add(
        store,
        job,
        "Glow-in-the-dark star map",
        recipient=eero,
        price="19.50",
        currency="EUR",
        store="Tähtikauppa",
        url="https://tahtikauppa.example/map",
        qty=2,
    )
    steps.append("items: 4 candidates in EUR, USD and GBP from four stores")


# The client's emailed answer to the demo proposal, as it would arrive (JOB: the job's title).
DEMO_REPLY = """Hei Maija,

approve 1, 3, 4
reject 2: Liisa already has a knitting kit

Kiitos!
Anna

> Shopping proposal: JOB
"""


def _proposal_steps(demo: Demo) -> None:
    """Propose the cart (version 1, as text and .eml in the home folder), apply Anna's reply."""
    from shopcli.core import files
    from shopcli.proposing import proposals

    for fmt, name in (("text", "proposal.txt"), ("eml", "proposal.eml")):
        target = demo.home / name
        proposals.propose(
            demo.store,
            demo.job,
            fmt=fmt,
            output=str(target),
            deliver=partial(files.write_private, target),
        )
    demo.steps.append("proposal: version 1 written to proposal.txt and proposal.eml (a draft)")
    reply = DEMO_REPLY.replace("JOB", demo.job["title"])
    _, planned, counts = proposals.apply_reply(demo.store, demo.job, reply)
    demo.steps.append(
        f"Anna's reply: {counts['approved']} approved (items 1, 3, 4), "
        f"{counts['rejected']} rejected (item 2: Liisa already has a knitting kit)"
    )


def _delivery_steps(demo: Demo) -> None:
    """Check, order, ship, receive and hand over the approved items; one parcel still on its way."""
    import datetime as dt

    from shopcli.core import files
    from shopcli.delivering import delivery, handover, notifications
    from shopcli.work import lifecycle

    store, job = demo.store, demo.job
    approved = items.listing(store, job_id=job["id"], status=lifecycle.APPROVED)
    if len(approved) < 2:  # without the proposal steps: approve two candidates directly
        for row in items.listing(store, job_id=job["id"], limit=2 - len(approved)):
            items.set_status(store, row, lifecycle.APPROVED, note="approved by phone")
        approved = items.listing(store, job_id=job["id"], status=lifecycle.APPROVED)
    today = dt.date.fromisoformat(day(demo, -22))
    parcels = [
        ("Posti", "JJFI65432100012345678"),
        ("DHL", "1234567890"),
        ("PostNord", "00370712345678901234"),
    ]
    for number, row in enumerate(approved):
        carrier, tracking = parcels[number % len(parcels)]
        delivery.check(store, row, today=today)
        row = delivery.mark(
            store,
            row,
            lifecycle.ORDERED,
            today=today,
            order_no=f"{(row['store'] or 'SHOP')[:3].upper()}-{10480 + number}",
            eta=day(demo, -15),
        )
        row = delivery.mark(
            store,
            row,
            lifecycle.SHIPPED,
            today=today,
            on=day(demo, -20),
            carrier=carrier,
            tracking=tracking,
        )
        if number < 2:
            delivery.receive(store, row, "ok", today=today, on=day(demo, -16))
    files.write_private(
        demo.home / "notify_shipped.txt", notifications.render_notice(store, job, "shipped")
    )
    _done, handed, note = handover.hand_over_with_note(
        store, job, method="pickup", on=day(demo, -11), place="Mannerheimintie 5 B 12, Helsinki"
    )
    files.write_private(demo.home / "handover.txt", note)
    waiting = len(approved) - len(handed)
    demo.steps.append(
        f"delivery: {len(approved)} approved items checked, ordered and shipped (Posti, DHL"
        f"{', PostNord' if len(approved) > 2 else ''}); {len(handed)} received, inspected and "
        f"handed over on {day(demo, -11)} (handover.txt)"
        + (f"; {waiting} still on its way (notify_shipped.txt)" if waiting else "")
    )


def _invoice_steps(demo: Demo) -> None:
    """Bill the job: a deposit invoice (paid), import duty at cost, then the final invoice."""
    from decimal import Decimal

    from shopcli.billing import costs, issuing, payments
    from shopcli.core.money import shown

    store, job = demo.store, demo.job
    me = profile.load(demo.home / "profile.yaml")
    costs.add(
        store,
        job,
        "customs",
        "14.30",
        note="Import duty and VAT on the parcel from the UK (Bricks & Co)",
    )
    deposit = issuing.issue(store, job, deposit=True, day=day(demo, -33), prof=me)
    paid = shown(Decimal(deposit["total"]), "EUR")
    payments.record(
        store,
        deposit["number"],
        deposit["total"],
        paid_on=day(demo, -31),
        method="transfer",
        day=day(demo, -31),
    )
    final = issuing.issue(store, job, day=day(demo, -11), prof=me)
    demo.steps.append(
        f"billing: deposit invoice {deposit['number']} ({paid}, paid {day(demo, -31)}); customs "
        f"duty 14.30 EUR at cost; invoice {final['number']} issued {day(demo, -11)} for "
        f"{shown(Decimal(final['total']), 'EUR')} after the deposit "
        "(invoice.txt, invoice.html)"
    )


# Anna's answer to the follow-up, in her own words (Finnish, the language she writes), with
# the attribution line her mail program writes above the quote (SENT: when the follow-up was
# sent, as Gmail writes it in Finnish; JOB: the job's title).
DEMO_FEEDBACK = """Hei Maija,

1 ihastui: Liisa käyttää huivia joka päivä
3 tykkäsi: Eero rakensi sukkulan heti

Suositus: Maija löysi juuri oikeat lahjat, ja kaikki sujui vaivatta.

Kiitos!
Anna

SENT klo 10.00 Maija Mäkinen <maija@example.fi> kirjoitti:
> Miten lahjat otettiin vastaan? JOB
"""
_FINNISH_WEEKDAYS = ("ma", "ti", "ke", "to", "pe", "la", "su")


def _finnish_day(iso: str) -> str:
    """A day as a Finnish mail program writes it in an attribution: `ti 22.12.2026`."""
    import datetime as dt

    found = dt.date.fromisoformat(iso)
    return f"{_FINNISH_WEEKDAYS[found.weekday()]} {found.day}.{found.month}.{found.year}"


def years_before(iso: str, years: int) -> str:
    """The same day `years` years earlier (29 February: the 28th in a common year)."""
    import datetime as dt

    found = dt.date.fromisoformat(iso)
    try:
        return found.replace(year=found.year - years).isoformat()
    except ValueError:
        return found.replace(year=found.year - years, day=28).isoformat()


def _aftercare_steps(demo: Demo, anna: Client, liisa: Recipient) -> None:
    """Ask how the gifts were received, record Anna's answer, and propose the next gift for
    Liisa: the proposal recalls what she thought of last time."""
    from shopcli.core import files
    from shopcli.delivering import followup, notifications
    from shopcli.proposing import proposals

    store, job = demo.store, demo.job
    files.write_private(
        demo.home / "follow_up.txt",
        notifications.render_notice(store, job, "follow-up", today=day(demo, -1)),
    )
    answer = DEMO_FEEDBACK.replace("SENT", _finnish_day(day(demo, -1))).replace("JOB", job["title"])
    done = followup.apply_reply(store, job, answer, on=demo.today)
    clients.set_reference(
        store, anna, agrees="yes", note="Kertoo mielellään joululahjoista", on=demo.today
    )
    verdicts = ", ".join(f"{step.item['title']} {step.verdict}" for step in done.planned)
    demo.steps.append(
        f"aftercare: follow-up on {day(demo, -1)} (follow_up.txt); Anna's answer recorded "
        f"({verdicts}) with her recommendation; she agreed to be a reference"
    )
    later = jobs.add(store, anna, "Liisa 15 v", deadline=day(demo, 77), fee="flat:30", budget="60")
    budgets.set_budget(store, later, liisa, "60")
    items.add(
        store,
        later,
        "Merino wool mittens",
        recipient=liisa,
        price="34.90",
        currency="EUR",
        store="Villapuoti",
        url="https://villapuoti.example/mittens",
        colour="grey",
    )
    target = demo.home / "proposal_birthday.txt"
    proposals.propose(
        store,
        later,
        output=str(target),
        deliver=lambda document: files.write_private(target, document),
    )
    demo.next_job = later
    demo.steps.append(
        f"next job: Liisa 15 v (her birthday, {day(demo, 81)}); its proposal recalls what she "
        "thought of the Christmas gifts (proposal_birthday.txt)"
    )
