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
                    STAMP,
                    STAMP,
                )
            )
        conn.executemany(
            "INSERT INTO items (id, job_id, number, recipient_id, title, store, url, price, "
            "currency, qty, status, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
