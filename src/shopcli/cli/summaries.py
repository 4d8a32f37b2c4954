"""What `shop --help` lists for each command, kept so that `--help` builds none of them.

Written by `python -m shopcli.cli.command_reference` from the commands' own help;
tests/test_fast_paths.py fails when it is stale. Do not edit."""

SUMMARIES: dict[str, str | None] = {
    "init": "Create the data folder, the database and your profile (safe to run again).",
    "path": "Print where the database, profile and template overrides live.",
    "demo": "Build a sample shopper, clients, job and items in a temporary folder, and show them.",
    "profile": "Your profile: business details, payment details and terms.",
    "client": "Clients: who commissions the shopping and pays the fee.",
    "recipient": "Recipients: the people a client buys for.",
    "job": "Jobs: one commission from a client.",
    "budget": "Budgets per recipient and for the job.",
    "rate": "Exchange rates you enter (no network look-ups).",
    "item": "Items: candidate products for a recipient in a job.",
    "propose": "Render the cart for the client and record it as a proposal version.",
    "approve": "Record that the client approves items, by their numbers in the job (or all).",
    "reject": "Record that the client rejects items (they drop out of the cart and budget).",
    "change": "Record that the client asks for a change to items (say what in --note).",
    "decide": "Read the client's emailed reply and apply all of its decisions, or none of them.",
    "proposal": "Proposal versions and the client's decisions.",
    "templates": "Document templates: list them and copy one into your data folder to edit.",
    "notify": "Render a notification to the client about the items it concerns, and log it.",
    "handover": (
        "Hand over the received items (marking them delivered) and print the handover note."
    ),
    "labels": "Render gift labels and a packing list per recipient.",
    "feedback": (
        "Read the client's answer to the follow-up, show it, and record every verdict (or none)."
    ),
    "agenda": "Show what needs doing across all jobs, most urgent first.",
    "calendar": (
        "Write an iCalendar file for a calendar program to import or subscribe to: birthdays and "
        "name days (yearly), job deadlines, planned handovers, expected deliveries and invoice due "
        "dates."
    ),
    "invoice": "Invoices: `shop invoice JOB` shows the draft, `--issue` numbers and freezes it.",
    "time": "Time spent on jobs, for hourly fees.",
    "cost": "Costs you paid for a whole job, billed at cost on its invoice.",
    "receipt": "Receipts (PDF or image) kept in the database with job costs and items.",
    "pay": "Record a payment for an invoice (partial payments add up).",
    "payment": "Payments recorded with `shop pay`, and their confirmations.",
    "books": "Invoices, credit notes, payments and re-billed costs of a period, with VAT per rate.",
    "report": (
        "Fees invoiced and received per month, open and overdue, biggest clients, in your currency."
    ),
    "log": "Show what happened for a client or a job, oldest first: records, documents, decisions.",
    "import": "Import a gift list, candidate items, contacts or an export, all or nothing.",
    "export": "Export every record, to move them elsewhere or read them in a spreadsheet.",
    "backup": "Make a consistent copy of the database (safe while other commands write).",
    "restore": "Replace the database with a backup, keeping the current one aside.",
    "doctor": "Check the database, its files and the profile, and say what is wrong.",
}
