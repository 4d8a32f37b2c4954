"""What each timed command must have printed or written, checked against the database itself.

A benchmark that checks only exit codes would pass a command that prints nothing. Every case
in run.py names a check here; a check raises `Wrong` (the case then fails the benchmark,
however fast it was) or returns what it counted (`{"rows": N}`, for the per-row budgets).

The expectations are read from the SQLite file with the standard library and computed here
by rules written out again (the fee, the budget sums, the agenda's simple sections), never
by importing shopcli: a check that asks the code under test what the answer is proves
nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import email
import io
import json
import re
import sqlite3
import subprocess
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from email import policy
from pathlib import Path
from typing import Any


class Wrong(Exception):
    """The command's output or its effect on the database is not what it must be."""


@dataclass
class Output:
    """One run of a command: what it printed, and the data folder it ran on."""

    stdout: bytes
    stderr: bytes
    home: Path
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8")

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8", "replace")


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Wrong(message)


def read(db: Path, sql: str, params: Iterable = ()) -> list[tuple]:
    """Rows from the database, read-only, the connection closed at once."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, list(params)).fetchall()
    finally:
        conn.close()


def one(db: Path, sql: str, params: Iterable = ()) -> Any:
    return read(db, sql, params)[0][0]


def cents(value: Decimal) -> str:
    """An amount as the English documents write it: 1,234.50."""
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}"


def data_lines(text: str) -> list[str]:
    """The rows of a plain table: the lines after the header and its dashes."""
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if line and set(line) <= {"-", " "}:
            return [row for row in lines[n + 1 :] if row.strip()]
    raise Wrong(f"no table in the output (first line: {lines[0] if lines else ''!r})")


def cells(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


# -- floors ---------------------------------------------------------------------------------


def typer_help(commands: int) -> Callable[[Output], None]:
    def check(out: Output) -> None:
        listed = re.findall(r"^\s+command\d+\s+\S", out.text, re.M)
        expect(len(listed) == commands, f"{len(listed)} commands listed, not {commands}")

    return check


def typer_command(out: Output) -> None:
    expect(out.text.strip() == "y 2 True", f"printed {out.text.strip()!r}")


def python_pass(out: Output) -> None:
    expect(out.stdout == b"", "printed something")


def executemany_floor(db: Path, before: int, rows: int) -> Callable[[Output], dict]:
    def check(out: Output) -> dict:
        count = one(db, "SELECT count(*) FROM items")
        expect(count == before + rows, f"{count - before} rows inserted, not {rows}")
        return {"rows": rows}

    return check


def backup_floor(target: Path, source: Path) -> Callable[[Output], None]:
    def check(out: Output) -> None:
        expect(
            counts(target) == counts(source), "the backup API's copy holds other rows than the db"
        )

    return check


# -- the records ----------------------------------------------------------------------------


def counts(db: Path) -> dict[str, int]:
    tables = [
        row[0]
        for row in read(
            db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {t: one(db, f'SELECT count(*) FROM "{t}"') for t in tables}


def shop_help(names: list[str]) -> Callable[[Output], None]:
    def check(out: Output) -> None:
        expect(out.text.startswith("Usage: "), "no usage line")
        listed = dict(re.findall(r"^  (\S+)\s{2,}(\S.*)$", out.text.split("Commands:")[-1], re.M))
        missing = [n for n in names if n not in listed]
        expect(not missing, f"commands missing from --help: {missing}")
        expect(len(listed) == len(names), f"{len(listed)} commands listed, not {len(names)}")

    return check


def client_show(db: Path, client_id: int) -> Callable[[Output], None]:
    ((name, mail),) = read(db, "SELECT name, email FROM clients WHERE id = ?", [client_id])
    people = [
        r[0] for r in read(db, "SELECT name FROM recipients WHERE client_id = ?", [client_id])
    ]
    jobs = [r[0] for r in read(db, "SELECT title FROM jobs WHERE client_id = ?", [client_id])]

    def check(out: Output) -> None:
        expect(f"#{client_id} {name}" in out.text, "the client's name is not shown")
        expect(mail in out.text, "the client's email is not shown")
        for person in people:
            expect(f" {person} (" in out.text, f"recipient {person!r} is not listed")
        for job in jobs:
            expect(f" {job} [" in out.text, f"job {job!r} is not listed")

    return check


def recipient_show(db: Path, name: str) -> Callable[[Output], None]:
    ((rid, birthday, client),) = read(
        db,
        "SELECT r.id, r.birthday, c.name FROM recipients r JOIN clients c ON c.id = r.client_id "
        "WHERE r.name = ?",
        [name],
    )

    def check(out: Output) -> None:
        expect(f"#{rid} {name}" in out.text, "the recipient is not shown")
        expect(client in out.text and birthday in out.text, "client or birthday missing")

    return check


def job_show(db: Path, title: str) -> Callable[[Output], None]:
    job_id = one(db, "SELECT id FROM jobs WHERE title = ?", [title])
    items = read(db, "SELECT number, title FROM items WHERE job_id = ? ORDER BY number", [job_id])

    def check(out: Output) -> None:
        expect(f"#{job_id} {title}" in out.text, "the job is not shown")
        shown = re.findall(r"^\s+(\d+)\. (.+?) for ", out.text, re.M)
        expect(
            [(int(n), t) for n, t in shown] == items,
            f"{len(shown)} items listed, not the job's {len(items)}",
        )

    return check


def item_show(db: Path, job: str, number: int) -> Callable[[Output], None]:
    ((item_id, title, price, currency, status),) = read(
        db,
        "SELECT i.id, i.title, i.price, i.currency, i.status FROM items i "
        "JOIN jobs j ON j.id = i.job_id WHERE j.title = ? AND i.number = ?",
        [job, number],
    )

    def check(out: Output) -> None:
        expect(f"{job}/{number} (#{item_id})" in out.text, "the item is not shown")
        expect(title in out.text, "the title is missing")
        expect(f"{cents(Decimal(price))} {currency}" in out.text, "the price is missing")
        expect(status in out.text, "the status is missing")

    return check


def profile_show(out: Output) -> None:
    profile = (out.home / "profile.yaml").read_text(encoding="utf-8")
    for line in profile.splitlines():
        key, _, value = line.partition(": ")
        expect(
            re.search(rf"^{re.escape(key)}\s+{re.escape(value)}$", out.text, re.M) is not None,
            f"profile field {key} is not shown as set",
        )


def path_show(out: Output) -> None:
    expect(
        re.search(rf"^home\s+{re.escape(str(out.home))}$", out.text, re.M) is not None,
        "the data folder is not shown",
    )
    expect(f"{out.home / 'shop.db'}" in out.text, "the database path is not shown")


def client_list(db: Path, limit: int | None = None) -> Callable[[Output], dict]:
    sql = "SELECT id, name FROM clients ORDER BY name COLLATE NOCASE, id"
    expected = read(db, sql + (f" LIMIT {limit}" if limit else ""))

    def check(out: Output) -> dict:
        rows = [cells(line)[:2] for line in data_lines(out.text)]
        found = [(int(i), n) for i, n in rows]
        expect(len(found) == len(expected), f"{len(found)} clients listed, not {len(expected)}")
        expect(found == expected, "the clients listed differ from the database's, or their order")
        return {"rows": len(found)}

    return check


def item_list_plain(db: Path, job: str | None = None) -> Callable[[Output], dict]:
    where = "WHERE j.title = ?" if job else ""
    expected = read(
        db,
        f"SELECT i.id, i.number, i.title FROM items i JOIN jobs j ON j.id = i.job_id {where} "
        "ORDER BY i.job_id, i.number",
        [job] if job else [],
    )

    def check(out: Output) -> dict:
        found = []
        for line in data_lines(out.text):
            parts = cells(line)
            found.append((int(parts[0]), int(parts[1]), parts[4]))
        expect(len(found) == len(expected), f"{len(found)} items listed, not {len(expected)}")
        expect(found == expected, "the items listed differ from the database's")
        return {"rows": len(found)}

    return check


def item_list_json(db: Path) -> Callable[[Output], dict]:
    def check(out: Output) -> dict:
        expected = read(
            db,
            "SELECT i.id, i.job_id, j.title, i.number, r.name, i.title, i.price, i.currency, "
            "i.qty, i.status, i.store, i.url FROM items i JOIN jobs j ON j.id = i.job_id "
            "LEFT JOIN recipients r ON r.id = i.recipient_id ORDER BY i.job_id, i.number",
        )
        found = json.loads(out.stdout)
        expect(len(found) == len(expected), f"{len(found)} items, not {len(expected)}")
        keys = ("id", "job_id", "job", "number", "recipient", "title", "price", "currency")
        for row, item in zip(expected, found, strict=True):
            got = (*(item[k] for k in keys), item["qty"], item["status"], item["store"])
            expect(got == row[:11], f"item #{row[0]} differs from the database")
            expect(item["url"] == row[11], f"item #{row[0]}'s link differs")
            total = Decimal(row[6]) * row[8]
            expect(Decimal(item["total"]) == total, f"item #{row[0]}'s total is not price x qty")
        return {"rows": len(found)}

    return check


# -- budgets --------------------------------------------------------------------------------

PLANNED = {"candidate", "proposed", "change_requested", "needs_client"}
COMMITTED = {"approved", "ordered", "shipped", "received", "delivered"}


def budget_list(db: Path, title: str) -> Callable[[Output], dict]:
    """Budget, planned and approved per recipient: each item's price x qty plus shipping and
    customs, converted to the job currency with the stored rates, summed exactly."""
    ((job_id, target),) = read(db, "SELECT id, currency FROM jobs WHERE title = ?", [title])
    rates = {(b, q): Decimal(r) for b, q, r in read(db, "SELECT base, quote, rate FROM rates")}

    def rate(source: str) -> Decimal:
        if source == target:
            return Decimal(1)
        if (source, target) in rates:
            return rates[(source, target)]
        return Decimal(1) / rates[(target, source)]

    sums: dict[str | None, list[Decimal]] = {}
    items = 0
    for name, price, qty, cur, ship, duty, status in read(
        db,
        "SELECT r.name, i.price, i.qty, i.currency, i.shipping, i.customs, i.status FROM items i "
        "LEFT JOIN recipients r ON r.id = i.recipient_id WHERE i.job_id = ?",
        [job_id],
    ):
        items += 1
        cost = Decimal(price) * qty + Decimal(ship or 0) + Decimal(duty or 0)
        line = sums.setdefault(name, [Decimal(0), Decimal(0)])
        if status in PLANNED:
            line[0] += cost * rate(cur)
        elif status in COMMITTED:
            line[1] += cost * rate(cur)
    budgets = dict(
        read(
            db,
            "SELECT r.name, b.amount FROM budgets b JOIN recipients r ON r.id = b.recipient_id "
            "WHERE b.job_id = ?",
            [job_id],
        )
    )

    def check(out: Output) -> dict:
        shown = {}
        for line in data_lines(out.text):
            parts = cells(line)
            shown[parts[0]] = parts[1:]
        for name, (planned, approved) in sums.items():
            label = name or "(no recipient)"
            expect(label in shown, f"{label} is not listed")
            budget = budgets.get(name)
            expected = [
                f"{cents(Decimal(budget))} {target}" if budget else "-",
                f"{cents(planned)} {target}",
                f"{cents(approved)} {target}",
            ]
            expect(shown[label][:3] == expected, f"{label}: {shown[label][:3]} not {expected}")
        planned = sum((p for p, _ in sums.values()), Decimal(0))
        approved = sum((a for _, a in sums.values()), Decimal(0))
        total = shown.get("Total", [])
        expect(
            total[1:3] == [f"{cents(planned)} {target}", f"{cents(approved)} {target}"],
            f"the total line is {total}",
        )
        return {"rows": items}

    return check


# -- proposals ------------------------------------------------------------------------------


def proposal_items(db: Path, title: str) -> list[tuple]:
    return read(
        db,
        "SELECT i.number, i.title, i.price, i.currency FROM items i JOIN jobs j ON j.id = i.job_id "
        "WHERE j.title = ? AND i.status NOT IN ('rejected', 'cancelled') ORDER BY i.number",
        [title],
    )


def proposal_text(items: list[tuple]) -> Callable[[Output], dict]:
    """Every item of the cart, by its number, with its title and its price."""

    def check(out: Output) -> dict:
        blocks = re.findall(r"^(\d+)\. (.+)\n((?:   .*\n)+)", out.text, re.M)
        listed = {int(n): (title, body) for n, title, body in blocks}
        expect(len(listed) == len(items), f"{len(listed)} items in the proposal, not {len(items)}")
        for number, title, price, _currency in items:
            shown = listed.get(number)
            expect(shown is not None and shown[0] == title, f"item {number} is not shown")
            line = re.search(r"^   Price: (.+)$", shown[1], re.M)
            expect(
                line is not None and cents(Decimal(price)) in line.group(1),
                f"item {number}'s price {price} is not shown",
            )
        return {"rows": len(items)}

    return check


def proposal_html(items: list[tuple]) -> Callable[[Output], dict]:
    def check(out: Output) -> dict:
        import html

        page = out.text
        expect(page.lstrip().lower().startswith("<!doctype html"), "not an HTML page")
        for number, title, _price, _cur in items:
            expect(html.escape(title, quote=False) in page, f"item {number} is not on the page")
        return {"rows": len(items)}

    return check


def proposal_recorded(db_of: Callable[[Output], Path], title: str, items: list[tuple]):
    """The cart as printed, and version 1 recorded with every item at its price."""
    printed = proposal_text(items)

    def check(out: Output) -> dict:
        printed(out)
        expect("Recorded proposal version 1" in out.err, "no version was recorded")
        db = db_of(out)
        (snapshot,) = read(
            db,
            "SELECT p.snapshot FROM proposals p JOIN jobs j ON j.id = p.job_id "
            "WHERE j.title = ? AND p.version = 1",
            [title],
        )[0]
        kept = json.loads(snapshot)
        kept_items = kept["items"] if isinstance(kept, dict) else kept
        got = sorted((i["number"], i["title"], i["price"], i["currency"]) for i in kept_items)
        expect(got == items, "the recorded version does not hold the cart's items and prices")
        statuses = read(
            db,
            "SELECT DISTINCT i.status FROM items i JOIN jobs j ON j.id = i.job_id "
            "WHERE j.title = ?",
            [title],
        )
        expect(statuses == [("proposed",)], f"items are {statuses} after proposing")
        return {"rows": len(items)}

    return check


def decided(db_of: Callable[[Output], Path], title: str, decisions: dict) -> Callable:
    """Every item decided as the reply says, with the client's reason as its note."""

    def check(out: Output) -> dict:
        expect("Applied:" in out.text, "the reply was not applied")
        db = db_of(out)
        found = {
            number: (decision, note, status)
            for number, decision, note, status in read(
                db,
                "SELECT i.number, d.decision, d.note, i.status FROM decisions d "
                "JOIN items i ON i.id = d.item_id JOIN jobs j ON j.id = i.job_id "
                "WHERE j.title = ? AND d.source = 'reply'",
                [title],
            )
        }
        expect(len(found) == len(decisions), f"{len(found)} decisions, not {len(decisions)}")
        for number, (decision, note) in decisions.items():
            got = found.get(number)
            expect(got is not None and got[0] == decision, f"item {number}: {got} not {decision}")
            expect(got[2] == decision, f"item {number} is {got[2]}, not {decision}")
            if note:
                expect(got[1] is not None and note in got[1], f"item {number}'s note is {got[1]}")
        return {"rows": len(found)}

    return check


# -- invoices -------------------------------------------------------------------------------


def invoice_total(db: Path, number: str) -> tuple[str, Decimal]:
    ((currency, total),) = read(
        db, "SELECT currency, total FROM invoices WHERE number = ?", [number]
    )
    return currency, Decimal(total)


def invoice_text(db: Path, number: str) -> Callable[[Output], None]:
    _currency, total = invoice_total(db, number)

    def check(out: Output) -> None:
        expect(re.search(rf"\b{re.escape(number)}\b", out.text) is not None, "no invoice number")
        expect(f"Total: €{cents(total)}" in out.text, f"the total €{cents(total)} is not shown")

    return check


def invoice_html(db: Path, number: str) -> Callable[[Output], None]:
    _currency, total = invoice_total(db, number)

    def check(out: Output) -> None:
        expect(number in out.text, "no invoice number")
        expect(f"€{cents(total)}" in out.text, "the total is not shown")

    return check


def pdf_text(data: bytes) -> str:
    expect(data.startswith(b"%PDF-"), "not a PDF")
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def invoice_pdf(db: Path, number: str) -> Callable[[Output], None]:
    _currency, total = invoice_total(db, number)

    def check(out: Output) -> None:
        text = pdf_text(out.stdout)
        expect(number in text, "the PDF has no invoice number")
        expect(f"€{cents(total)}" in text, "the PDF does not show the total")

    return check


def invoice_eml(db: Path, number: str) -> Callable[[Output], None]:
    _currency, total = invoice_total(db, number)

    def check(out: Output) -> None:
        message = email.message_from_bytes(out.stdout, policy=policy.default)
        expect(number in str(message["Subject"]), "the subject does not name the invoice")
        text = message.get_body(("plain",)).get_content()
        page = message.get_body(("html",)).get_content()
        expect(f"€{cents(total)}" in text and f"€{cents(total)}" in page, "total not shown")
        pdfs = [
            part.get_content()
            for part in message.iter_attachments()
            if part.get_content_type() == "application/pdf"
        ]
        expect(len(pdfs) == 1, f"{len(pdfs)} PDF attachments")
        expect(number in pdf_text(pdfs[0]), "the attached PDF is not the invoice")
        images = [p for p in message.walk() if p.get_content_type() == "image/png"]
        expect(len(images) == 1, "no QR code image")

    return check


def percent_fee(db: Path, title: str) -> Decimal:
    """The fee of a percent job, as billing/fees.py's docstring words the rule: N % of the
    approved goods, each item's price x qty converted and rounded to cents; at least the
    minimum fee."""
    ((job_id, target, percent, minimum),) = read(
        db, "SELECT id, currency, fee_amount, min_fee FROM jobs WHERE title = ?", [title]
    )
    rates = {(b, q): Decimal(r) for b, q, r in read(db, "SELECT base, quote, rate FROM rates")}
    goods = Decimal(0)
    for price, qty, cur, status in read(
        db, "SELECT price, qty, currency, status FROM items WHERE job_id = ?", [job_id]
    ):
        if status in COMMITTED:
            factor = Decimal(1) if cur == target else rates[(cur, target)]
            goods += (Decimal(price) * qty * factor).quantize(Decimal("0.01"), ROUND_HALF_UP)
    fee = (goods * Decimal(percent) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return max(fee, Decimal(minimum))


def invoice_issued(db_of: Callable[[Output], Path], title: str, fee: Decimal) -> Callable:
    def check(out: Output) -> None:
        found = re.search(r"Issued invoice (\S+): ([\d,.]+) EUR", out.err)
        expect(found is not None, "no invoice was issued")
        number = found.group(1)
        expect(
            Decimal(found.group(2).replace(",", "")) == fee, f"total {found.group(2)}, not {fee}"
        )
        expect(f"Total: €{cents(fee)}" in out.text, "the printed invoice has another total")
        db = db_of(out)
        stored = read(
            db,
            "SELECT v.total, v.kind FROM invoices v JOIN jobs j ON j.id = v.job_id "
            "WHERE j.title = ? AND v.number = ?",
            [title, number],
        )
        expect(
            len(stored) == 1 and Decimal(stored[0][0]) == fee and stored[0][1] == "invoice",
            f"the stored invoice is {stored}",
        )

    return check


# -- the agenda -----------------------------------------------------------------------------


def agenda_expected(db: Path, today: dt.date) -> dict[str, int]:
    """How many entries each section has on this home, by the rules of work/agenda.py's
    docstrings, written out for what the synthetic home holds (no checks, inspections,
    refunds, shipments, handovers or return dates: those sections must be empty)."""
    iso = today.isoformat()
    week = (today + dt.timedelta(days=7)).isoformat()
    cutoff = (today - dt.timedelta(days=3)).isoformat()
    finished = "('delivered', 'rejected', 'cancelled', 'refunded', 'returned')"
    days = [(today + dt.timedelta(days=n)).isoformat()[5:] for n in range(31)]
    birthdays = sum(
        1
        for (born,) in read(db, "SELECT birthday FROM recipients WHERE birthday IS NOT NULL")
        if born[5:] in days
    )
    return {
        "inspection": one(db, "SELECT count(*) FROM inspections"),
        "client": one(
            db, "SELECT count(*) FROM items WHERE status IN ('needs_client', 'change_requested')"
        ),
        "late": one(
            db,
            "SELECT count(*) FROM items WHERE status IN ('ordered', 'shipped') AND eta < ?",
            [iso],
        ),
        "refund": one(db, "SELECT count(*) FROM refunds WHERE received_on IS NULL"),
        "invoice": one(
            db,
            "SELECT count(*) FROM invoices v WHERE v.kind <> 'credit_note' AND v.due < ? "
            "AND CAST(v.total AS REAL) > 0 AND NOT EXISTS (SELECT 1 FROM payments p "
            "WHERE p.invoice_id = v.id)",
            [iso],
        ),
        "awaiting": one(
            db,
            "SELECT count(*) FROM items WHERE status = 'proposed' "
            "AND substr(updated_at, 1, 10) <= ?",
            [cutoff],
        ),
        "to_order": one(db, "SELECT count(*) FROM items WHERE status = 'approved'"),
        "handover": one(db, "SELECT count(*) FROM items WHERE status = 'received'"),
        "return_window": one(db, "SELECT count(*) FROM items WHERE return_by IS NOT NULL"),
        "deadline": one(
            db,
            "SELECT count(*) FROM jobs j WHERE j.status = 'open' AND j.deadline <= ? AND ("
            "NOT EXISTS (SELECT 1 FROM items i WHERE i.job_id = j.id) OR EXISTS (SELECT 1 "
            f"FROM items i WHERE i.job_id = j.id AND i.status NOT IN {finished}))",
            [week],
        ),
        "follow_up": one(db, "SELECT count(*) FROM handovers"),
        "birthday": birthdays,
    }


SECTIONS = (
    "inspection",
    "client",
    "late",
    "refund",
    "invoice",
    "awaiting",
    "to_order",
    "handover",
    "return_window",
    "deadline",
    "follow_up",
    "birthday",
)


def agenda_json(db: Path, today: dt.date) -> Callable[[Output], dict]:
    expected = agenda_expected(db, today)
    approved = {r[0] for r in read(db, "SELECT id FROM items WHERE status = 'approved'")}

    def check(out: Output) -> dict:
        found = json.loads(out.stdout)
        entries = found["entries"]
        got = dict.fromkeys(SECTIONS, 0)
        for entry in entries:
            got[entry["section"]] += 1
        expect(got == expected, f"entries per section {got}, not {expected}")
        expect(found["counts"] == expected, f"counts {found['counts']}, not {expected}")
        iso = today.isoformat()

        def order(e: dict) -> tuple:
            rank = SECTIONS.index(e["section"])
            tail = (e["job_id"] or 0, e["item_number"] or 0)
            return (0, rank, e["due"], *tail) if e["due"] <= iso else (1, e["due"], rank, *tail)

        keys = [order(e) for e in entries]
        expect(keys == sorted(keys), "the entries are not in order of urgency")
        ids = {e["item_id"] for e in entries if e["section"] == "to_order"}
        expect(ids == approved, "the items to order are not the approved ones")
        for e in entries:
            expect(e["days"] == (dt.date.fromisoformat(e["due"]) - today).days, "days wrong")
        return {"rows": len(entries)}

    return check


def agenda_screen(db: Path, today: dt.date, shown: int = 40) -> Callable[[Output], None]:
    total = sum(agenda_expected(db, today).values())

    def check(out: Output) -> None:
        rows = data_lines(out.text)
        entries = [r for r in rows if re.match(r"\d{4}-\d\d-\d\d ", r)]
        expect(len(entries) == shown, f"{len(entries)} entries shown, not {shown}")
        more = re.search(r"… and ([\d,]+) more", out.text)
        expect(more is not None, "no count of the entries not shown")
        rest = int(more.group(1).replace(",", ""))
        expect(rest + shown == total, f"{rest} + {shown} entries, not {total}")

    return check


# -- data -----------------------------------------------------------------------------------


def exported_json(db: Path, path: Path) -> Callable[[Output], dict]:
    def check(out: Output) -> dict:
        # Read now: `invoice show` logs each rendering, so the event log grows in the run.
        tables = {t: n for t, n in counts(db).items() if not t.startswith("_")}
        with path.open(encoding="utf-8") as handle:
            found = json.load(handle)
        got = {t: len(rows) for t, rows in found["tables"].items()}
        expect(got == {t: n for t, n in tables.items() if t in got}, "row counts differ")
        expect(
            set(tables) - set(got) <= {"sqlite_stat1"}, f"tables missing: {set(tables) - set(got)}"
        )
        rows = {r[0]: r for r in read(db, "SELECT id, title, price, qty, status FROM items")}
        for item in found["tables"]["items"]:
            expect(
                (item["id"], item["title"], item["price"], item["qty"], item["status"])
                == rows[item["id"]],
                f"item #{item['id']} differs in the export",
            )
        return {"rows": sum(got.values())}

    return check


def exported_csv(db: Path, path: Path) -> Callable[[Output], dict]:
    def check(out: Output) -> dict:
        tables = {t: n for t, n in counts(db).items() if not t.startswith("_")}
        got = {}
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith(".csv"):
                    with archive.open(name) as handle:
                        reader = csv.reader(io.TextIOWrapper(handle, encoding="utf-8-sig"))
                        got[name[:-4].split("/")[-1]] = sum(1 for _ in reader) - 1
        for table, n in got.items():
            expect(tables.get(table) == n, f"{table}: {n} rows, not {tables.get(table)}")
        expect(got.get("items") == tables["items"], "the items are not all exported")
        return {"rows": sum(got.values())}

    return check


def imported(
    db_of: Callable[[Output], Path], csv_path: Path, title: str, before: int
) -> Callable[[Output], dict]:
    with csv_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    def check(out: Output) -> dict:
        expect(f"{len(rows)} created" in out.text, "the import does not say it created every row")
        db = db_of(out)
        found = read(
            db,
            "SELECT i.number, i.title, i.store, i.url, i.price, i.currency, i.qty, i.size, "
            "i.colour, i.notes, r.name, i.status FROM items i JOIN jobs j ON j.id = i.job_id "
            "LEFT JOIN recipients r ON r.id = i.recipient_id WHERE j.title = ? AND i.number > ? "
            "ORDER BY i.number",
            [title, before],
        )
        expect(len(found) == len(rows), f"{len(found)} items added, not {len(rows)}")
        for n, (row, got) in enumerate(zip(rows, found, strict=True), start=before + 1):
            want = (
                n,
                row["title"],
                row["store"],
                row["url"],
                Decimal(row["price"]),
                row["currency"],
                int(row["qty"]),
                row["size"] or None,
                row["colour"] or None,
                row["notes"] or None,
                row["recipient"],
                "candidate",
            )
            have = (
                *got[:4],
                Decimal(got[4]),
                *got[5:7],
                *(v or None for v in got[7:10]),
                *got[10:],
            )
            expect(have == want, f"imported row {n - before} differs: {have} not {want}")
        return {"rows": len(found)}

    return check


def backed_up(db: Path) -> Callable[[Output], None]:
    def check(out: Output) -> None:
        held = counts(db)
        found = re.search(r"^Backed up to (.+?) \(", out.text, re.M)
        expect(found is not None, "the backup does not say where it is")
        copy = Path(found.group(1))
        expect(copy.stat().st_mode & 0o777 == 0o600, "the backup is not owner-only")
        expect(one(copy, "PRAGMA integrity_check") == "ok", "the backup is damaged")
        expect(counts(copy) == held, "the backup holds other rows than the database")

    return check


def nothing_created(out: Output) -> None:
    expect(out.text.strip() == "(none)", f"printed {out.text.strip()[:60]!r}")
    made = sorted(p.name for p in out.home.iterdir()) if out.home.exists() else []
    expect(not any(name.startswith("shop.db") for name in made), f"created {made}")
