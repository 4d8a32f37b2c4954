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
