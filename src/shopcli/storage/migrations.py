"""The schema, as an append-only list of sqlite-utils migrations: never edit a released one."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Migration:
    name: str
    fn: Callable[[Database], None]
    transactional: bool = True


@dataclass(frozen=True)
class AppliedMigration:
    name: str
    applied_at: str


class MigrationSet:
    """The migrations in order, recorded in `_sqlite_migrations` the way sqlite-utils does.

    Which ones a database has is read with plain SQL; sqlite-utils' `Migrations` is imported
    only to apply pending ones, since importing it costs ~80 ms on every command.
    """

    table = "_sqlite_migrations"

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[Migration] = []

    def __call__(self, *, name: str | None = None, transactional: bool = True) -> Callable:
        def inner(fn: Callable[[Database], None]) -> Callable[[Database], None]:
            self._migrations.append(Migration(name or fn.__name__, fn, transactional))
            return fn

        return inner

    def names(self) -> list[str]:
        return [m.name for m in self._migrations]

    def applied(self, db: Any) -> list[AppliedMigration]:
        """The applied migrations of this set, in order (`db`: a connection or a Database)."""
        conn: sqlite3.Connection = getattr(db, "conn", db)
        if not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [self.table]
        ).fetchone():
            return []
        return [
            AppliedMigration(row[0], row[1])
            for row in conn.execute(
                f"SELECT name, applied_at FROM {self.table} WHERE migration_set = ? ORDER BY rowid",
                [self.name],
            ).fetchall()
        ]

    def pending(self, db: Any) -> list[Migration]:
        done = {m.name for m in self.applied(db)}
        return [m for m in self._migrations if m.name not in done]

    def apply(self, db: Any, *, stop_before: str | Iterable[str] | None = None) -> None:
        """Apply what is pending with sqlite-utils (each in a transaction with its record)."""
        from sqlite_utils import Database
        from sqlite_utils.migrations import Migrations

        if isinstance(db, sqlite3.Connection):
            db = Database(db, execute_plugins=False)
        runner = Migrations(self.name)
        for m in self._migrations:
            runner(name=m.name, transactional=m.transactional)(m.fn)
        runner.apply(db, stop_before=stop_before)


migrations = MigrationSet("shopcli")


@migrations()
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE clients (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL COLLATE NOCASE,
            email TEXT,
            phone TEXT,
            address TEXT,
            language TEXT,
            currency TEXT,
            vat_id TEXT,
            notes TEXT,
            referred_by TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX clients_name ON clients(name COLLATE NOCASE);

        CREATE TABLE recipients (
            id INTEGER PRIMARY KEY,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            name TEXT NOT NULL COLLATE NOCASE,
            relation TEXT,
            birthday TEXT,
            dates TEXT NOT NULL DEFAULT '{}',
            interests TEXT NOT NULL DEFAULT '[]',
            dislikes TEXT NOT NULL DEFAULT '[]',
            sizes TEXT NOT NULL DEFAULT '{}',
            address TEXT,
            notes TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX recipients_client ON recipients(client_id, name COLLATE NOCASE);
        CREATE INDEX recipients_name ON recipients(name COLLATE NOCASE);

        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            title TEXT NOT NULL COLLATE NOCASE,
            occasion TEXT,
            deadline TEXT,
            currency TEXT NOT NULL,
            budget TEXT,
            fee_kind TEXT,
            fee_amount TEXT,
            min_fee TEXT,
            deposit TEXT,
            status TEXT NOT NULL DEFAULT 'open',
            notes TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX jobs_client ON jobs(client_id);
        CREATE INDEX jobs_title ON jobs(title COLLATE NOCASE);

        CREATE TABLE budgets (
            job_id INTEGER NOT NULL REFERENCES jobs(id),
            recipient_id INTEGER NOT NULL REFERENCES recipients(id),
            amount TEXT NOT NULL,
            PRIMARY KEY (job_id, recipient_id)
        );
        CREATE INDEX budgets_recipient ON budgets(recipient_id);

        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs(id),
            number INTEGER NOT NULL,
            recipient_id INTEGER REFERENCES recipients(id),
            title TEXT NOT NULL COLLATE NOCASE,
            store TEXT,
            url TEXT,
            price TEXT NOT NULL,
            currency TEXT NOT NULL,
            qty INTEGER NOT NULL DEFAULT 1 CHECK (qty >= 1),
            size TEXT,
            colour TEXT,
            notes TEXT,
            paid_by TEXT NOT NULL DEFAULT 'client' CHECK (paid_by IN ('client', 'shopper')),
            shipping TEXT,
            customs TEXT,
            status TEXT NOT NULL DEFAULT 'candidate',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (job_id, number)
        );
        CREATE INDEX items_recipient ON items(recipient_id);
        CREATE INDEX items_title ON items(title COLLATE NOCASE);
        CREATE INDEX items_status ON items(status);

        CREATE TABLE rates (
            base TEXT NOT NULL,
            quote TEXT NOT NULL,
            rate TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (base, quote)
        );

        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            client_id INTEGER,
            job_id INTEGER,
            item_id INTEGER,
            summary TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX events_client ON events(client_id, id);
        CREATE INDEX events_job ON events(job_id, id);
        CREATE INDEX events_item ON events(item_id, id);
        CREATE TRIGGER events_append_only BEFORE UPDATE ON events
        BEGIN
            SELECT RAISE(ABORT, 'the event log is append-only');
        END;
        """
    )


@migrations()
def m002_proposals(db: Database) -> None:
    """Proposals: versions of the cart with a frozen snapshot, and the client's answers."""
    db.executescript(
        """
        CREATE TABLE proposals (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs(id),
            version INTEGER NOT NULL CHECK (version >= 1),
            currency TEXT NOT NULL,
            snapshot TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (job_id, version)
        );

        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            proposal_id INTEGER NOT NULL REFERENCES proposals(id),
            item_id INTEGER NOT NULL REFERENCES items(id),
            decision TEXT NOT NULL
                CHECK (decision IN ('approved', 'rejected', 'change_requested')),
            note TEXT,
            source TEXT NOT NULL DEFAULT 'command' CHECK (source IN ('command', 'reply')),
            decided_at TEXT NOT NULL
        );
        CREATE INDEX decisions_proposal ON decisions(proposal_id, item_id);
        CREATE INDEX decisions_item ON decisions(item_id, id);
        """
    )


@migrations()
def m003_invoices(db: Database) -> None:
    """Billing: time entries, per-job costs, issued invoices (frozen), payments, credit."""
    db.executescript(
        """
        CREATE TABLE time_entries (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs(id),
            worked_on TEXT NOT NULL,
            minutes INTEGER NOT NULL CHECK (minutes > 0),
            note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX time_entries_job ON time_entries(job_id, worked_on);

        CREATE TABLE job_costs (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs(id),
            kind TEXT NOT NULL CHECK (kind IN ('shipping', 'customs', 'other')),
            amount TEXT NOT NULL,
            currency TEXT NOT NULL,
            note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX job_costs_job ON job_costs(job_id);

        -- Only issued documents live here; a draft is never stored. Rows are frozen.
        CREATE TABLE invoices (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            series TEXT NOT NULL,
            seq INTEGER NOT NULL CHECK (seq >= 1),
            kind TEXT NOT NULL
                CHECK (kind IN ('invoice', 'credit_note', 'deposit', 'fee_statement')),
            job_id INTEGER NOT NULL REFERENCES jobs(id),
            client_id INTEGER NOT NULL REFERENCES clients(id),
            issued TEXT NOT NULL,
            due TEXT,
            currency TEXT NOT NULL,
            total TEXT NOT NULL,
            original_id INTEGER REFERENCES invoices(id),
            reference TEXT,
            document TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (series, seq)
        );
        CREATE INDEX invoices_job ON invoices(job_id, kind);
        CREATE INDEX invoices_client ON invoices(client_id);
        CREATE INDEX invoices_original ON invoices(original_id);
        CREATE INDEX invoices_due ON invoices(due);
        CREATE INDEX invoices_issued ON invoices(issued);
        CREATE TRIGGER invoices_frozen_update BEFORE UPDATE ON invoices
        BEGIN
            SELECT RAISE(ABORT, 'an issued invoice is frozen: correct it with a credit note');
        END;
        CREATE TRIGGER invoices_kept_delete BEFORE DELETE ON invoices
        BEGIN
            SELECT RAISE(ABORT, 'an issued invoice cannot be deleted: the law requires keeping it');
        END;

        CREATE TABLE official_numbers (
            invoice_id INTEGER PRIMARY KEY REFERENCES invoices(id),
            official_number TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX official_numbers_number ON official_numbers(official_number);

        -- received: the money that came in; amount: the part settling the invoice (the
        -- rest, with --allow-credit, is the client's credit in client_credits).
        CREATE TABLE payments (
            id INTEGER PRIMARY KEY,
            invoice_id INTEGER NOT NULL REFERENCES invoices(id),
            client_id INTEGER NOT NULL REFERENCES clients(id),
            received TEXT NOT NULL,
            amount TEXT NOT NULL,
            currency TEXT NOT NULL,
            paid_on TEXT NOT NULL,
            method TEXT NOT NULL,
            note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX payments_invoice ON payments(invoice_id, paid_on);
        CREATE INDEX payments_client ON payments(client_id);

        -- The client's credit as a ledger: + overpayment or a voided paid invoice, - used.
        CREATE TABLE client_credits (
            id INTEGER PRIMARY KEY,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            currency TEXT NOT NULL,
            amount TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (reason IN ('overpayment', 'void', 'applied')),
            payment_id INTEGER REFERENCES payments(id),
            invoice_id INTEGER REFERENCES invoices(id),
            created_at TEXT NOT NULL
        );
        CREATE INDEX client_credits_client ON client_credits(client_id, currency);
        CREATE INDEX client_credits_payment ON client_credits(payment_id);
        CREATE INDEX client_credits_invoice ON client_credits(invoice_id);
        """
    )


@migrations()
def m004_delivery(db: Database) -> None:
    """Delivery: order and shipment details, checks, inspections, refunds, codes, handovers."""
    db.executescript(
        """
        ALTER TABLE items ADD COLUMN carrier TEXT;
        ALTER TABLE items ADD COLUMN tracking TEXT;
        ALTER TABLE items ADD COLUMN eta TEXT;
        ALTER TABLE items ADD COLUMN order_no TEXT;
        ALTER TABLE items ADD COLUMN delay_reason TEXT;
        ALTER TABLE items ADD COLUMN delivered_on TEXT;
        CREATE INDEX items_status_eta ON items(status, eta);
        CREATE INDEX items_job_status ON items(job_id, status);
        CREATE INDEX items_recipient_delivered ON items(recipient_id, delivered_on);

        CREATE TABLE item_checks (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES items(id),
            checked_on TEXT NOT NULL,
            matched INTEGER NOT NULL CHECK (matched IN (0, 1)),
            old_price TEXT,
            new_price TEXT,
            currency TEXT,
            unavailable INTEGER NOT NULL DEFAULT 0 CHECK (unavailable IN (0, 1)),
            over_budget INTEGER NOT NULL DEFAULT 0 CHECK (over_budget IN (0, 1)),
            note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX item_checks_item ON item_checks(item_id, id);

        CREATE TABLE inspections (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES items(id),
            result TEXT NOT NULL CHECK (result IN ('ok', 'damaged', 'wrong', 'missing')),
            note TEXT,
            inspected_on TEXT NOT NULL,
            resolution TEXT CHECK (resolution IN ('accepted', 'exchange', 'return')),
            resolved_on TEXT,
            resolution_note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX inspections_item ON inspections(item_id, id);
        CREATE INDEX inspections_open ON inspections(inspected_on)
            WHERE resolved_on IS NULL AND result <> 'ok';

        CREATE TABLE refunds (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES items(id),
            reason TEXT NOT NULL CHECK (reason IN ('cancelled', 'returned')),
            amount TEXT NOT NULL,
            currency TEXT NOT NULL,
            expected_by TEXT NOT NULL,
            received_on TEXT,
            received_amount TEXT,
            note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX refunds_item ON refunds(item_id, id);
        CREATE INDEX refunds_pending ON refunds(expected_by) WHERE received_on IS NULL;

        CREATE TABLE digital_goods (
            item_id INTEGER PRIMARY KEY REFERENCES items(id),
            code TEXT,
            link TEXT,
            delivered_on TEXT NOT NULL,
            created_at TEXT NOT NULL
        );

        CREATE TABLE handovers (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs(id),
            state TEXT NOT NULL CHECK (state IN ('planned', 'done')),
            method TEXT NOT NULL CHECK (method IN ('pickup', 'courier', 'post', 'digital')),
            handed_on TEXT NOT NULL,
            place TEXT,
            note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX handovers_job ON handovers(job_id, id);

        CREATE TABLE handover_items (
            handover_id INTEGER NOT NULL REFERENCES handovers(id),
            item_id INTEGER NOT NULL REFERENCES items(id),
            PRIMARY KEY (handover_id, item_id)
        );
        CREATE INDEX handover_items_item ON handover_items(item_id);

        CREATE INDEX jobs_status_deadline ON jobs(status, deadline);
        CREATE INDEX recipients_birthday_day ON recipients(substr(birthday, 6, 5))
            WHERE birthday IS NOT NULL;
        """
    )


@migrations()
def m006_performance(db: Database) -> None:
    """Indexes for working at scale.

    The agenda's two are partial: a column that is NULL on most rows (an event about no
    item, an invoice that corrects none) makes `ANALYZE` rate its full index useless, and the
    planner then scans the table once per row of the outer query. Two item indexes go: each
    is the first column of another (status, eta; recipient_id, delivered_on) that serves the
    same lookups, and every index costs ~10 % of the time an import of items takes.
    """
    db.executescript(
        """
        CREATE INDEX events_item_kind ON events(item_id, kind, at) WHERE item_id IS NOT NULL;
        CREATE INDEX invoices_credit_notes ON invoices(original_id) WHERE kind = 'credit_note';
        DROP INDEX items_status;
        DROP INDEX items_recipient;
        """
    )


@migrations()
def m007_lighter_items(db: Database) -> None:
    """One item index fewer: (job_id, status) added nothing to the unique (job_id, number)
    index, which already finds a job's items (a job holds hundreds, the status is read from
    the row), and every index on items costs ~10 % of the time an import of items takes."""
    db.executescript("DROP INDEX IF EXISTS items_job_status;")


def _statements(db: Database, statements: Iterable[str]) -> None:
    """Run DDL one statement at a time: `executescript` would first COMMIT the transaction
    sqlite-utils opened, and the migration would no longer be applied all or nothing."""
    for sql in statements:
        db.execute(sql)


def _refuse(table: str, when: str, event: str, message: str, name: str) -> str:
    condition = f"\n        WHEN {when}" if when else ""
    return (
        f"CREATE TRIGGER {name} BEFORE {event} ON {table}{condition}\n"
        f"        BEGIN\n            SELECT RAISE(ABORT, '{message}');\n        END"
    )


def _script(db: Database, script: str) -> None:
    """Run a script of DDL a statement at a time (see `_statements`): statements are split
    where SQLite itself says one is complete, so a trigger's body stays whole."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    _statements(db, statements)


@migrations()
def m008_reminders(db: Database) -> None:
    """Payment reminders: one row per reminder sent, levels 1-3 in order, never changed.

    The triggers keep the log append-only even against `INSERT OR REPLACE` (which deletes
    the row it replaces without firing DELETE triggers) and refuse a level out of turn.
    """
    _script(
        db,
        """
        CREATE TABLE reminders (
            id INTEGER PRIMARY KEY,
            invoice_id INTEGER NOT NULL REFERENCES invoices(id),
            level INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
            sent_on TEXT NOT NULL,
            pay_by TEXT NOT NULL,
            days_overdue INTEGER NOT NULL CHECK (days_overdue >= 1),
            open_amount TEXT NOT NULL,
            fee TEXT,
            currency TEXT NOT NULL,
            language TEXT NOT NULL,
            format TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (invoice_id, level)
        );
        CREATE TRIGGER reminders_append_only BEFORE UPDATE ON reminders
        BEGIN
            SELECT RAISE(ABORT, 'the reminder log is append-only');
        END;
        CREATE TRIGGER reminders_kept BEFORE DELETE ON reminders
        BEGIN
            SELECT RAISE(ABORT, 'the reminder log is append-only');
        END;
        CREATE TRIGGER reminders_in_turn BEFORE INSERT ON reminders
        WHEN EXISTS (SELECT 1 FROM reminders r WHERE r.invoice_id = NEW.invoice_id
                     AND r.level >= NEW.level)
          OR (NEW.level > 1 AND NOT EXISTS (SELECT 1 FROM reminders r
                     WHERE r.invoice_id = NEW.invoice_id AND r.level = NEW.level - 1))
        BEGIN
            SELECT RAISE(ABORT, 'reminders follow each other: levels 1, 2, 3, each once');
        END;
        """,
    )


@migrations()
def m009_receipts(db: Database) -> None:
    """Receipts kept inside the database (so backups, exports and forgetting cover them),
    each attached to one job cost or one item; `job_id` finds a job's receipts at once."""
    _script(
        db,
        """
        CREATE TABLE receipts (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs(id),
            cost_id INTEGER REFERENCES job_costs(id),
            item_id INTEGER REFERENCES items(id),
            name TEXT NOT NULL,
            mime TEXT NOT NULL,
            size INTEGER NOT NULL CHECK (size > 0),
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            data BLOB NOT NULL,
            created_at TEXT NOT NULL,
            CHECK ((cost_id IS NULL) <> (item_id IS NULL)),
            CHECK (length(data) = size)
        );
        CREATE INDEX receipts_job ON receipts(job_id);
        CREATE INDEX receipts_cost ON receipts(cost_id) WHERE cost_id IS NOT NULL;
        CREATE INDEX receipts_item ON receipts(item_id) WHERE item_id IS NOT NULL;
        """,
    )


@migrations()
def m010_client_salutation(db: Database) -> None:
    """How a client is greeted in documents ("Pani Katarzyno", "Олено", "王女士"): a form of
    address the shopper writes, since no rule turns a full legal name into one (vocatives,
    family name first, titles)."""
    _script(db, "ALTER TABLE clients ADD COLUMN salutation TEXT;")


@migrations()
def m011_item_billed_as(db: Database) -> None:
    """How goods the shopper pays for are billed: bought in the client's name and recharged
    at cost outside VAT (a disbursement, EU VAT Directive art. 79(c)), or bought in the
    shopper's name and sold on with VAT (a resale). Existing items stay disbursements, as
    they were billed until now."""
    _script(
        db,
        """
        ALTER TABLE items ADD COLUMN billed_as TEXT NOT NULL DEFAULT 'disbursement'
            CHECK (billed_as IN ('disbursement', 'resale'));
        """,
    )


@migrations()
def m012_aftercare(db: Database) -> None:
    """Aftercare: a store's return deadline per item, what the recipient thought of each gift
    (a history: the latest verdict counts), a client's consent to be a reference (with the
    day it was given or withdrawn) and their recommendation.

    The new indexes are partial: most items never get a return deadline, and an index that
    holds only those that do costs an import of items nothing; the agenda reads done
    handovers (follow-ups) and the references list consenting clients, each through its own.
    """
    _script(
        db,
        """
        ALTER TABLE items ADD COLUMN return_by TEXT;
        CREATE INDEX items_return_by ON items(return_by) WHERE return_by IS NOT NULL;

        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES items(id),
            verdict TEXT NOT NULL CHECK (verdict IN ('loved', 'liked', 'disliked', 'returned')),
            note TEXT,
            source TEXT NOT NULL DEFAULT 'command' CHECK (source IN ('command', 'reply')),
            given_on TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX feedback_item ON feedback(item_id, id);

        CREATE INDEX handovers_done ON handovers(handed_on, job_id) WHERE state = 'done';

        ALTER TABLE clients ADD COLUMN reference TEXT CHECK (reference IN ('yes', 'no'));
        ALTER TABLE clients ADD COLUMN reference_on TEXT;
        ALTER TABLE clients ADD COLUMN reference_note TEXT;
        ALTER TABLE clients ADD COLUMN recommendation TEXT;
        ALTER TABLE clients ADD COLUMN recommendation_on TEXT;
        CREATE INDEX clients_references ON clients(name COLLATE NOCASE, id)
            WHERE reference = 'yes';
        """,
    )


@migrations()
def m013_frozen_money(db: Database) -> None:
    """Close every way around the freeze, for the sqlite3 shell as much as for shopcli.

    `INSERT OR REPLACE` deletes the row it replaces without firing DELETE triggers, so a
    BEFORE INSERT trigger refuses a row that would replace an issued invoice or a payment.
    Payments and the client's credit ledger are append-only (a correction is a new row).
    Clients and jobs with issued invoices cannot be deleted or renumbered: the sqlite3 shell
    runs with foreign keys off, so a trigger must keep them, not only the foreign key.
    """
    invoiced = "an issued invoice is frozen: it cannot be replaced; correct it with a credit note"
    kept = "a recorded payment is kept as recorded: record a correction as a new payment"
    ledger = "the client credit ledger is append-only: record a correction as a new entry"
    _statements(
        db,
        [
            _refuse(
                "invoices",
                "EXISTS (SELECT 1 FROM invoices WHERE id = NEW.id OR number = NEW.number "
                "OR (series = NEW.series AND seq = NEW.seq))",
                "INSERT",
                invoiced,
                "invoices_no_replace",
            ),
            _refuse("payments", "", "UPDATE", kept, "payments_kept_update"),
            _refuse("payments", "", "DELETE", kept, "payments_kept_delete"),
            _refuse(
                "payments",
                "EXISTS (SELECT 1 FROM payments WHERE id = NEW.id)",
                "INSERT",
                kept,
                "payments_no_replace",
            ),
            _refuse("client_credits", "", "UPDATE", ledger, "client_credits_kept_update"),
            _refuse("client_credits", "", "DELETE", ledger, "client_credits_kept_delete"),
            _refuse(
                "client_credits",
                "EXISTS (SELECT 1 FROM client_credits WHERE id = NEW.id)",
                "INSERT",
                ledger,
                "client_credits_no_replace",
            ),
            _refuse(
                "clients",
                "EXISTS (SELECT 1 FROM invoices WHERE client_id = OLD.id)",
                "DELETE",
                "a client with issued invoices cannot be deleted: the law requires keeping "
                "the invoices (use `shop client forget` to erase their personal data)",
                "clients_invoiced_kept",
            ),
            _refuse(
                "clients",
                "NEW.id IS NOT OLD.id AND EXISTS (SELECT 1 FROM invoices WHERE client_id = OLD.id)",
                "UPDATE OF id",
                "a client with issued invoices keeps its id",
                "clients_invoiced_id",
            ),
            _refuse(
                "jobs",
                "EXISTS (SELECT 1 FROM invoices WHERE job_id = OLD.id)",
                "DELETE",
                "a job with issued invoices cannot be deleted: the law requires keeping them",
                "jobs_invoiced_kept",
            ),
            _refuse(
                "jobs",
                "NEW.id IS NOT OLD.id AND EXISTS (SELECT 1 FROM invoices WHERE job_id = OLD.id)",
                "UPDATE OF id",
                "a job with issued invoices keeps its id",
                "jobs_invoiced_id",
            ),
        ],
    )


@migrations()
def m014_sealed_books(db: Database) -> None:
    """Seals: a SHA-256 chain over every issued invoice, credit note and payment.

    Each seal covers its record's frozen content and the previous seal of its chain (one
    chain per invoice series, one for payments), so a record changed, removed or slipped in
    with an SQL tool no longer matches and `shop doctor` names it. The seals of the records a
    database already holds are made here, in the order they were issued; the table is
    append-only like the records it seals.
    """
    from shopcli.storage import seals

    kept = "a seal is kept as made: the books are sealed"
    _statements(
        db,
        [
            """CREATE TABLE seals (
            id INTEGER PRIMARY KEY,
            chain TEXT NOT NULL,
            record TEXT NOT NULL CHECK (record IN ('invoice', 'payment')),
            record_id INTEGER NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            sealed_at TEXT NOT NULL,
            UNIQUE (record, record_id)
        )""",
            "CREATE INDEX seals_chain ON seals(chain, id)",
            _refuse("seals", "", "UPDATE", kept, "seals_kept_update"),
            _refuse("seals", "", "DELETE", kept, "seals_kept_delete"),
            _refuse(
                "seals",
                "EXISTS (SELECT 1 FROM seals WHERE id = NEW.id "
                "OR (record = NEW.record AND record_id = NEW.record_id))",
                "INSERT",
                kept,
                "seals_no_replace",
            ),
        ],
    )
    seals.seal_missing(db.conn)


@migrations()
def m015_pictures_and_pages(db: Database) -> None:
    """Items read from a product page and items with a picture.

    `image_url` is a picture on the web (the mail program loads it); a picture the shopper
    gave as a file is kept in `item_pictures`, already made small (see work/pictures). An
    item has one or the other. `page_title` is the product's name as its page gave it when
    read, so a later check of the page can tell a renamed product. A check read from the
    page (`source` 'page') records the page's currency and title too. A client's birthday
    comes with their contact card and goes into the calendar.
    """
    _script(
        db,
        """
        ALTER TABLE clients ADD COLUMN birthday TEXT;
        ALTER TABLE items ADD COLUMN image_url TEXT;
        ALTER TABLE items ADD COLUMN page_title TEXT;

        CREATE TABLE item_pictures (
            item_id INTEGER PRIMARY KEY REFERENCES items(id),
            media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png')),
            width INTEGER NOT NULL CHECK (width BETWEEN 1 AND 1000),
            height INTEGER NOT NULL CHECK (height BETWEEN 1 AND 1000),
            data BLOB NOT NULL CHECK (length(data) BETWEEN 1 AND 200000),
            sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL
        );

        ALTER TABLE item_checks ADD COLUMN new_currency TEXT;
        ALTER TABLE item_checks ADD COLUMN page_title TEXT;
        ALTER TABLE item_checks ADD COLUMN source TEXT NOT NULL DEFAULT 'manual'
            CHECK (source IN ('manual', 'page'));
        """,
    )


@migrations()
def m016_indexes_for_reads(db: Database) -> None:
    """Two indexes for reading a big shop.

    items_job_budget holds what a job's budget report reads of its items (their number too: each
    recipient's first item places them), in the order it sums them: `shop budget list` (and every
    proposal, which shows the budgets) reads a job of 100,000 items in ~25 ms from it, without
    sorting them or reading the table. It costs an import of items about a quarter more.
    item_checks_mismatched holds only the checks that did not match, for the agenda's "needs the
    client", which then reads no other.

    A database whose indexes were measured (`ANALYZE`: sqlite_stat1) gets these measured
    too: unmeasured among measured ones, the planner would take them for the most selective
    of all and read every query of items through items_job_budget.
    """
    _script(
        db,
        """
        CREATE INDEX items_job_budget
            ON items(job_id, recipient_id, currency, status, price, qty, shipping, customs, number);
        CREATE INDEX item_checks_mismatched ON item_checks(item_id, id) WHERE matched = 0;
        """,
    )
    measured = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).fetchone()
    if measured:
        db.execute("ANALYZE items_job_budget")
        db.execute("ANALYZE item_checks_mismatched")


@migrations()
def m017_item_status_day(db: Database) -> None:
    """The day each item entered its status, kept on the item (`status_on`, YYYY-MM-DD UTC).

    The agenda orders its biggest sections (answers owed, items to order, items to hand
    over) by that day. Read from the event log it cost a lookup per item per use (100,000
    items: most of the agenda's time); kept on the item, the agenda reads each section in its
    order from items_status_on, which also holds what the agenda shows of an item (its title
    and recipient), so that the table is not read at all (a fifth faster again; an import
    costs ~10% more). Filled from the event log (the latest event of the item entering its
    status), else the item's last change.
    """
    _script(
        db,
        """
        ALTER TABLE items ADD COLUMN status_on TEXT;
        UPDATE items SET status_on = coalesce((SELECT substr(max(e.at), 1, 10) FROM events e
            WHERE e.item_id = items.id AND e.kind = 'item.' || items.status),
            substr(updated_at, 1, 10));
        CREATE INDEX items_status_on
            ON items(status, status_on, job_id, number, title, recipient_id);
        """,
    )
    measured = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).fetchone()
    if measured:
        db.execute("ANALYZE items_status_on")
