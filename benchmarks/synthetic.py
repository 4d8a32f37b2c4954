"""Build a synthetic shopper's home at working scale, for the benchmarks.

10,000 clients, 30,000 recipients, 3,000 jobs, 100,000 items in three currencies and
5,000 issued invoices. Bulk rows go in with executemany inside one transaction; invoices
are issued through the real domain code so they are what `shop invoice --issue` makes.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

CURRENCIES = ("EUR", "USD", "GBP")
# An imported list as shoppers write them: sizes, colours and notes vary and are often blank.
SIZES = ("S", "M", "L", "XL", "38", "EU 42", "", "", "")
COLOURS = ("blue", "red", "black", "green", "navy", "", "")
NOTES = ("", "", "", "", "", "", "gift wrap", "second choice", "ask about the size first")
FIRST = (
    "Anna",
    "Liisa",
    "Jan",
    "Zofia",
    "Réka",
    "Olga",
    "Wei",
    "Tom",
    "Maria",
    "Pekka",
    "Kasia",
    "Ivan",
    "Ming",
    "Eszter",
    "Petro",
    "Aino",
    "Piotr",
    "Li",
    "Ilona",
    "Sam",
)
LAST = (
    "Virtanen",
    "Kowalski",
    "Nagy",
    "Ivanova",
    "Zhang",
    "Baker",
    "Korhonen",
    "Nowak",
    "Tóth",
    "Shevchenko",
    "Wang",
    "Smith",
    "Mäkinen",
    "Wiśniewska",
    "Horváth",
    "Petrov",
)
STORES = ("Villapuoti", "Empik", "Allegro", "Amazon", "Zalando", "JD", "eMAG", "Ozon")
STAMP = "2026-11-01T10:00:00+00:00"


def build(
    home: Path,
    *,
    clients: int = 10_000,
    recipients_per_client: int = 3,
    jobs: int = 3_000,
    items: int = 100_000,
    invoices: int = 5_000,
    big_job_items: int = 500,
    seed: int = 7,
) -> dict:
    """Create the home; return the names the benchmark commands use."""
    from shopcli.storage import Store

    rng = random.Random(seed)
    home.mkdir(parents=True, exist_ok=True)
    store = Store(home / "shop.db")
    (home / "profile.yaml").write_text(
        "name: Bench Shopper\nbusiness_name: Bench Gifts\nbusiness_id: 2617416-4\n"
        "address: Kauppakatu 1, 00100 Helsinki\nemail: bench@example.fi\n"
        "iban: FI21 1234 5600 0007 85\ncurrency: EUR\nlanguage: en\n"
        "vat_exempt_note: VAT exempt (small business)\n",
        encoding="utf-8",
    )
    conn = store.conn
    with store.write():
        conn.executemany(
            "INSERT INTO clients (id, name, email, language, currency, address, created_at, "
            "updated_at) VALUES (?, ?, ?, 'en', 'EUR', ?, ?, ?)",
            (
                (
                    i,
                    f"{rng.choice(FIRST)} {rng.choice(LAST)} {i:05d}",
                    f"client{i}@example.com",
                    f"Street {i}, City",
                    STAMP,
                    STAMP,
                )
                for i in range(1, clients + 1)
            ),
        )
        conn.executemany(
            "INSERT INTO recipients (id, client_id, name, relation, birthday, interests, "
            "created_at, updated_at) VALUES (?, ?, ?, 'friend', ?, '[\"books\"]', ?, ?)",
            (
                (
                    r,
                    (r - 1) // recipients_per_client + 1,
                    f"{rng.choice(FIRST)} {r}",
                    f"19{rng.randint(50, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    STAMP,
                    STAMP,
                )
                for r in range(1, clients * recipients_per_client + 1)
            ),
        )
        conn.executemany(
            "INSERT INTO jobs (id, client_id, title, deadline, currency, budget, fee_kind, "
            "fee_amount, min_fee, deposit, status, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, 'EUR', '5000', 'percent', '10', '20', '30%', 'open', ?, ?)",
            (
                (j, j, f"Job {j:04d}", f"2026-12-{rng.randint(1, 28):02d}", STAMP, STAMP)
                for j in range(1, jobs + 1)
            ),
        )
        conn.executemany(
            "INSERT INTO rates (base, quote, rate, updated_at) VALUES (?, 'EUR', ?, ?)",
            [("USD", "0.92", STAMP), ("GBP", "1.17", STAMP)],
        )
        numbers: dict[int, int] = {}
        rows = []
        for i in range(1, items + 1):
            job = 1 if i <= big_job_items else rng.randint(2, jobs)
            numbers[job] = numbers.get(job, 0) + 1
            client = job
            recipient = (client - 1) * recipients_per_client + rng.randint(1, recipients_per_client)
            status = (
                "candidate"
                if job == 1
                else rng.choice(("candidate", "proposed", "approved", "ordered", "delivered"))
            )
            rows.append(
                (
                    i,
                    job,
                    numbers[job],
                    recipient,
                    f"Item {i}",
                    rng.choice(STORES),
                    f"https://store.example/p/{i}",
                    _price(rng),
                    rng.choice(CURRENCIES),
                    rng.randint(1, 3),
                    status,
                    STAMP[:10],
                    STAMP,
                    STAMP,
                )
            )
        conn.executemany(
            "INSERT INTO items (id, job_id, number, recipient_id, title, store, url, price, "
            "currency, qty, status, status_on, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany(
            "INSERT INTO budgets (job_id, recipient_id, amount) VALUES (?, ?, '2000')",
            ((1, r) for r in range(1, recipients_per_client + 1)),
        )
    issued = _issue_invoices(store, home, invoices, jobs)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.conn.execute("ANALYZE")
    store.close()
    return {
        "client": "client 00001",  # resolved by prefix below
        "client_name": _client_name(home, 1),
        "big_job": "Job 0001",
        "job": "Job 0002",
        "invoice": issued[0] if issued else None,
        "recipient": _recipient_name(home, (2 - 1) * recipients_per_client + 1),
    }


def _price(rng: random.Random) -> str:
    return f"{rng.randint(5, 300)}.{rng.randint(0, 99):02d}"


def _client_name(home: Path, client_id: int) -> str:
    import sqlite3

    conn = sqlite3.connect(home / "shop.db")
    try:
        return conn.execute("SELECT name FROM clients WHERE id = ?", [client_id]).fetchone()[0]
    finally:
        conn.close()


def _recipient_name(home: Path, recipient_id: int) -> str:
    import sqlite3

    conn = sqlite3.connect(home / "shop.db")
    try:
        return conn.execute("SELECT name FROM recipients WHERE id = ?", [recipient_id]).fetchone()[
            0
        ]
    finally:
        conn.close()


def _issue_invoices(store, home: Path, count: int, jobs: int) -> list[str]:
    """Issue invoices through the domain code: deposits first, then a final one per job."""
    from shopcli.billing import issuing
    from shopcli.people import profile

    prof = profile.load(home / "profile.yaml")
    numbers: list[str] = []
    finals = [(job_id, False) for job_id in range(2, jobs + 1)][:count]
    deposits = [(job_id, True) for job_id in range(2, jobs + 1)][: max(0, count - len(finals))]
    for job_id, deposit in deposits + finals:
        job = store.get("jobs", job_id)
        row = issuing.issue(store, job, deposit=deposit, day="2026-11-15", prof=prof)
        numbers.append(row["number"])
    return numbers


def write_items_csv(path: Path, rows: int, recipient: str, seed: int = 11) -> None:
    """A CSV of candidate items as `shop import items.csv --job JOB` takes it."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "title",
                "store",
                "url",
                "price",
                "currency",
                "recipient",
                "size",
                "colour",
                "qty",
                "notes",
            ]
        )
        for i in range(rows):
            writer.writerow(
                [
                    f"Imported item {i}",
                    rng.choice(STORES),
                    f"https://store.example/i/{i}",
                    f"{rng.randint(5, 300)}.{i % 100:02d}",
                    rng.choice(CURRENCIES),
                    recipient,
                    rng.choice(SIZES),
                    rng.choice(COLOURS),
                    rng.randint(1, 3),
                    rng.choice(NOTES),
                ]
            )


# -- homes for single commands, made from a copy of the synthetic home ----------------------

# Every status an item goes through, for the job whose budget list reads 100,000 items.
ALL_STATUSES = (
    "candidate",
    "proposed",
    "change_requested",
    "approved",
    "ordered",
    "shipped",
    "received",
    "delivered",
    "rejected",
    "cancelled",
)
PRODUCTS = (
    "Merino wool scarf",
    "Cat-ear knitting kit",
    "Space shuttle building set",
    "Glow-in-the-dark star map",
    "Leather notebook",
    "Ceramic teapot",
    "Silk pyjamas",
    "Wooden train set",
    "Board game",
    "Hand cream set",
)


def _free_client(conn, offset: int) -> tuple[int, list[int]]:
    """A client with no job yet (the synthetic home gives jobs to the first 3,000), and the
    ids of their recipients."""
    client = conn.execute("SELECT max(id) FROM jobs").fetchone()[0] + offset
    recipients = [
        row[0]
        for row in conn.execute(
            "SELECT id FROM recipients WHERE client_id = ? ORDER BY id", [client]
        )
    ]
    return client, recipients


def _add_job(conn, client: int, title: str, items: list[tuple]) -> int:
    """A job of `client` with these items: (recipient, title, price, currency, qty, status,
    shipping, customs), numbered from 1. Written as `shop` writes them, in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    job = conn.execute(
        "INSERT INTO jobs (client_id, title, deadline, currency, budget, fee_kind, fee_amount, "
        "min_fee, deposit, status, created_at, updated_at) "
        "VALUES (?, ?, '2026-12-20', 'EUR', '5000', 'percent', '10', '20', '30%', 'open', ?, ?)",
        [client, title, STAMP, STAMP],
    ).lastrowid
    conn.executemany(
        "INSERT INTO items (job_id, number, recipient_id, title, store, url, price, currency, "
        "qty, status, status_on, shipping, customs, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, 'Zalando', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                job,
                n,
                who,
                name,
                f"https://store.example/j{job}/{n}",
                price,
                cur,
                qty,
                status,
                STAMP[:10],
                ship,
                duty,
                STAMP,
                STAMP,
            )
            for n, (who, name, price, cur, qty, status, ship, duty) in enumerate(items, start=1)
        ),
    )
    conn.execute("COMMIT")
    return job


def add_bulk_job(db: Path, items: int = 100_000, seed: int = 13) -> str:
    """A job with `items` items in every status, three currencies, some with shipping and
    customs and some for no one, and a budget for each recipient; returns its title."""
    import sqlite3

    rng = random.Random(seed)
    conn = sqlite3.connect(db, isolation_level=None)
    client, recipients = _free_client(conn, 1)
    rows = []
    for _ in range(items):
        who = rng.choice([*recipients, None]) if rng.random() < 0.05 else rng.choice(recipients)
        extra = rng.random() < 0.1
        rows.append(
            (
                who,
                rng.choice(PRODUCTS),
                _price(rng),
                rng.choice(CURRENCIES),
                rng.randint(1, 3),
                rng.choice(ALL_STATUSES),
                f"{rng.randint(2, 15)}.{rng.randint(0, 99):02d}" if extra else None,
                f"{rng.randint(1, 40)}.5" if extra and rng.random() < 0.5 else None,
            )
        )
    title = "Bulk job"
    job = _add_job(conn, client, title, rows)
    conn.executemany(
        "INSERT INTO budgets (job_id, recipient_id, amount) VALUES (?, ?, ?)",
        [(job, who, f"{rng.randint(1, 9)}000000") for who in recipients],
    )
    conn.execute("ANALYZE")
    conn.close()
    return title


def add_invoice_job(db: Path, items: int = 40, seed: int = 17) -> str:
    """A job ready to invoice: approved, bought and delivered items in three currencies (and
    some candidates and rejected ones, which the fee leaves out); returns its title."""
    import sqlite3

    rng = random.Random(seed)
    conn = sqlite3.connect(db, isolation_level=None)
    client, recipients = _free_client(conn, 2)
    statuses = ("approved", "ordered", "delivered", "delivered", "candidate", "rejected")
    rows = [
        (
            rng.choice(recipients),
            rng.choice(PRODUCTS),
            _price(rng),
            rng.choice(CURRENCIES),
            rng.randint(1, 3),
            rng.choice(statuses),
            None,
            None,
        )
        for _ in range(items)
    ]
    title = "Invoice job"
    _add_job(conn, client, title, rows)
    conn.close()
    return title


def add_reply_job(db: Path, items: int = 100, seed: int = 19) -> str:
    """A job of `items` candidates for three recipients, to be proposed; returns its title."""
    import sqlite3

    rng = random.Random(seed)
    conn = sqlite3.connect(db, isolation_level=None)
    client, recipients = _free_client(conn, 3)
    rows = [
        (
            recipients[n % len(recipients)],
            f"{rng.choice(PRODUCTS)} ({rng.choice([c for c in COLOURS if c])})",
            _price(rng),
            "EUR",
            1,
            "candidate",
            None,
            None,
        )
        for n in range(items)
    ]
    title = "Reply job"
    _add_job(conn, client, title, rows)
    conn.close()
    return title


# Reasons and changes a client gives in a reply, in their own words.
REASONS = ("she already has one", "not his style", "too big for the flat", "we found it cheaper")
CHANGES = ("size M instead", "in blue please", "the larger one", "a size L please")


def reply_decisions(items: int, seed: int = 23) -> dict[int, tuple[str, str | None]]:
    """What the client answers for each item number: (decision, note)."""
    rng = random.Random(seed)
    found: dict[int, tuple[str, str | None]] = {}
    for number in range(1, items + 1):
        roll = rng.random()
        if roll < 0.6:
            found[number] = ("approved", None)
        elif roll < 0.85:
            found[number] = ("rejected", rng.choice(REASONS))
        else:
            found[number] = ("change_requested", rng.choice(CHANGES))
    return found


def _ranges(numbers: list[int]) -> str:
    """1, 2, 3, 5 -> '1-3, 5'."""
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(start) if start == n else f"{start}-{n}")
            start = None
    return ", ".join(parts)


def write_reply(
    path: Path,
    decisions: dict[int, tuple[str, str | None]],
    proposal_text: str,
    proposal_html: str,
    *,
    client: str,
    shopper: str,
) -> None:
    """The client's answer as Gmail sends it: multipart/alternative, quoted-printable, the
    answers on top (approvals as ranges, each rejection and change on a line of its own with
    the reason) and the whole proposal quoted below, as text (`>`) and as HTML (blockquote)."""
    import html
    from email.message import EmailMessage
    from email.policy import SMTP

    approved = [n for n, (what, _) in decisions.items() if what == "approved"]
    lines = ["Hi,", "", "Thank you, this is a lovely selection! Here are my answers.", ""]
    lines.append(f"Approve {_ranges(approved)}.")
    for number, (what, note) in decisions.items():
        if what == "rejected":
            lines.append(f"Reject {number} - {note}.")
        elif what == "change_requested":
            lines.append(f"Change {number}: {note}.")
    lines += ["", "Best wishes,", client.split()[0], ""]
    lines.append(f"On Mon, 23 Nov 2026 at 09:12, {shopper} <bench@example.fi> wrote:")
    lines.append("")
    quoted = [("> " + line).rstrip() for line in proposal_text.splitlines()]
    text = "\n".join(lines + quoted) + "\n"
    answer = "".join(f"<div>{html.escape(line) or '<br>'}</div>" for line in lines[:-2])
    page = (
        f'<div dir="ltr">{answer}</div><br><div class="gmail_quote">'
        f'<div dir="ltr" class="gmail_attr">{html.escape(lines[-2])}<br></div>'
        '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;'
        f'border-left:1px solid rgb(204,204,204);padding-left:1ex">{proposal_html}'
        "</blockquote></div>"
    )
    message = EmailMessage(policy=SMTP)
    message["From"] = f"{client} <client@example.com>"
    message["To"] = f"{shopper} <bench@example.fi>"
    message["Subject"] = "Re: Shopping proposal: Reply job"
    message["Date"] = "Tue, 24 Nov 2026 08:30:00 +0200"
    message["Message-ID"] = "<reply-1@example.com>"
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(page, subtype="html", cte="quoted-printable")
    path.write_bytes(message.as_bytes())
