"""Shared set-up for the billing tests: a shopper ready to invoice, a client, a job, items."""

from __future__ import annotations

from shopcli.storage import open_store
from shopcli.work import items, jobs, lifecycle

IBAN = "FI21 1234 5600 0007 85"
BIC = "NDEAFIHH"

# The statuses an item passes through to reach each one (from candidate).
PATHS = {
    lifecycle.APPROVED: [lifecycle.APPROVED],
    lifecycle.ORDERED: [lifecycle.APPROVED, lifecycle.ORDERED],
    lifecycle.SHIPPED: [lifecycle.APPROVED, lifecycle.ORDERED, lifecycle.SHIPPED],
    lifecycle.DELIVERED: [lifecycle.APPROVED, lifecycle.ORDERED, lifecycle.DELIVERED],
    lifecycle.REJECTED: [lifecycle.REJECTED],
    lifecycle.CANCELLED: [lifecycle.APPROVED, lifecycle.CANCELLED],
}


def seller(
    shop, *, vat: bool = True, currency: str = "EUR", language: str = "en", iban: bool = True
) -> None:
    """A Helsinki shopper with address, VAT id and rate (or an exemption note), IBAN and BIC."""
    shop(
        "init",
        "--name",
        "Helmi Saari",
        "--email",
        "helmi@example.fi",
        "--currency",
        currency,
        "--language",
        language,
    )
    shop("profile", "set", "business_name", "Saari Shopping")
    shop("profile", "set", "address", "Aleksanterinkatu 20, 00170 Helsinki")
    if vat:
        shop("profile", "set", "vat_id", "FI12345671")
        shop("profile", "set", "vat_rate", "25.5")
    else:
        shop("profile", "set", "vat_exempt_note", "VAT exempt: small business (AVL 3 §)")
    if iban:
        shop("profile", "set", "iban", IBAN)
        shop("profile", "set", "bic", BIC)


def buyer(
    shop,
    name: str = "Oskar Lund",
    *,
    address: bool = True,
    currency: str = "EUR",
    language: str = "en",
) -> None:
    args = [
        "client",
        "add",
        name,
        "--email",
        "oskar@example.se",
        "--currency",
        currency,
        "--language",
        language,
    ]
    if address:
        args += ["--address", "Vasagatan 7, 11120 Stockholm"]
    shop(*args)


def job(
    shop,
    title: str = "Midsummer 2026",
    client: str = "Oskar Lund",
    *,
    fee: str | None,
    min_fee: str | None = None,
    deposit: str | None = None,
    budget: str | None = None,
    currency: str | None = None,
) -> None:
    args = ["job", "add", client, title]
    for option, value in (
        ("--fee", fee),
        ("--min-fee", min_fee),
        ("--deposit", deposit),
        ("--budget", budget),
        ("--currency", currency),
    ):
        if value is not None:
            args += [option, value]
    shop(*args)


def item(
    shop,
    title: str,
    price: str,
    *,
    job_title: str = "Midsummer 2026",
    currency: str | None = None,
    qty: int = 1,
    paid_by: str | None = None,
    shipping: str | None = None,
    customs: str | None = None,
    status: str | None = None,
) -> None:
    args = ["item", "add", job_title, title, "--price", price, "--qty", str(qty)]
    for option, value in (
        ("--currency", currency),
        ("--paid-by", paid_by),
        ("--shipping", shipping),
        ("--customs", customs),
    ):
        if value is not None:
            args += [option, value]
    shop(*args)
    if status:
        move(job_title, title, status)


def move(job_title: str, title: str, status: str) -> None:
    """Walk an item through the lifecycle to a status (what proposals and delivery do)."""
    store = open_store()
    try:
        work = jobs.get(store, job_title)
        row = items.get(store, title, work)
        for step in PATHS[status]:
            row = items.set_status(store, row, step)
    finally:
        store.close()


def ready(shop, *, fee: str = "flat:100", vat: bool = True, **job_options) -> None:
    """Seller, buyer and one job: enough to issue an invoice."""
    seller(shop, vat=vat)
    buyer(shop)
    job(shop, fee=fee, **job_options)
