"""The schema, as an append-only list of sqlite-utils migrations: never edit a released one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("shopcli")


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
