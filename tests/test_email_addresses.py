"""Email addresses with letters beyond ASCII: checked by email-validator without any DNS
look-up, and carried correctly in the proposal email (.eml)."""

from __future__ import annotations

import email
import socket
from email import policy

import pytest


@pytest.fixture
def no_network(monkeypatch):
    """Any name look-up fails: the check must not need one."""

    def refuse(*args, **kwargs):
        raise AssertionError("the email check looked a name up on the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("jurgen@müller.de", "jurgen@müller.de"),
        ("李@example.cn", "李@example.cn"),
        ("Anna.Virtanen@EXAMPLE.fi", "Anna.Virtanen@example.fi"),
        ("ólafur@dæmi.is", "ólafur@dæmi.is"),
    ],
)
def test_non_ascii_addresses_are_accepted(shop, store, no_network, typed, kept) -> None:
    shop("client", "add", "Someone", "--email", typed)
    assert store.get("clients", 1)["email"] == kept


@pytest.mark.parametrize(
    "typed", ["anna@", "anna@example", "an..na@example.com", "anna example@x.com", "@x.com"]
)
def test_malformed_addresses_are_refused_without_echoing(shop, store, no_network, typed) -> None:
    failed = shop.fails("client", "add", "Someone", "--email", typed, code=2)
    assert "not an email address" in failed.stderr
    assert typed not in failed.stderr
    assert store.scalar("SELECT count(*) FROM clients") == 0


@pytest.mark.parametrize(
    ("address", "header_address"),
    [("jurgen@müller.de", "jurgen@xn--mller-kva.de"), ("李@example.cn", "李@example.cn")],
)
def test_the_proposal_email_reaches_a_non_ascii_address(
    shop, cart, store, address, header_address
) -> None:
    shop("client", "edit", "Hana Sato", "--email", address)
    raw = shop("propose", "Spring", "--format", "eml").stdout_bytes
    # An internationalised message (RFC 6532) has UTF-8 headers; Python's bytes parser reads
    # header bytes as ASCII, so the message is read as the UTF-8 text it is.
    message = email.message_from_string(raw.decode("utf-8"), policy=policy.default)
    assert f"<{header_address}>".encode() in raw
    (to,) = message["To"].addresses
    assert to.addr_spec == header_address
    assert to.display_name == "Hana Sato"
    assert message.get_body(("plain",)).get_content().strip()


@pytest.mark.parametrize(
    ("missing", "says"),
    [
        (
            "client",
            "client #1 has no email address: run `shop client edit 1 --email ...`, or choose "
            "another --format",
        ),
        ("shopper", "an email draft needs your address: run `shop profile set email ...`"),
    ],
)
def test_every_draft_without_an_address_is_refused_alike(shop, store, missing, says) -> None:
    """Proposals, notices, invoices, payment confirmations and reminders become drafts one way:
    without the client's address, or the shopper's, each is refused in the same words, the
    client named by id and nothing of theirs repeated."""
    from billing_helpers import job, seller

    seller(shop)
    if missing == "shopper":
        shop("profile", "set", "email", "")
    email = [] if missing == "client" else ["--email", "greta@example.se"]
    shop("client", "add", "Greta Berg", "--address", "Storgatan 1, Uppsala", *email)
    job(shop, client="Greta Berg", fee="flat:100")
    shop("item", "add", "Midsummer", "Scarf", "--price", "10")
    shop("invoice", "Midsummer", "--issue", "--today", "2026-05-04")
    shop("pay", "2026-0001", "10", "--date", "2026-05-05", "--today", "2026-05-05")
    events = store.scalar("SELECT count(*) FROM events")
    for args in (
        ["propose", "Midsummer", "--format", "eml"],
        ["notify", "Midsummer", "received-order", "--format", "eml"],
        ["invoice", "show", "2026-0001", "--format", "eml"],
        ["payment", "show", "1", "--format", "eml"],
        ["invoice", "remind", "2026-0001", "--preview", "-f", "eml", "--today", "2026-07-01"],
    ):
        refused = shop.fails(*args, code=2)
        assert refused.stderr.strip() == f"Error: {says}", args
        assert "Greta" not in refused.stderr and "Storgatan" not in refused.stderr
    assert store.scalar("SELECT count(*) FROM events") == events
