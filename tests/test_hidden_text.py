"""Text no field may hold (NUL bytes, encoded words that decode to a line break) is refused
everywhere, imports included; email headers read back as exactly the stored text; and an
error names the field and the record, never the client's data."""

from __future__ import annotations

import base64
import email
import json
from email import policy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing_helpers import ready

BCC = "\r\nBcc: thief@example.com"
INJECTIONS = [
    "=?utf-8?b?" + base64.b64encode(BCC.encode()).decode() + "?=",
    "=?UTF-8?Q?=0D=0ABcc:_thief@example.com?=",
    "=?iso-8859-1?q?=0ABcc:_thief@example.com?=",
    "Anna =?utf-8?B?" + base64.b64encode(b"\nBcc: x@example.com").decode() + "?= Smith",
]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _counts(store) -> dict[str, int]:
    return {
        table: store.scalar(f"SELECT count(*) FROM {table}")
        for table in ("clients", "recipients", "jobs", "items")
    }


@pytest.mark.parametrize("payload", INJECTIONS)
def test_encoded_line_breaks_are_refused_in_names_and_titles(shop, store, payload) -> None:
    shop("init", "--name", "Helmi Saari", "--email", "helmi@example.fi")
    refused = shop.fails("client", "add", payload, "--email", "a@example.com", code=2)
    assert "client name holds an encoded word (=?...?=) that decodes to a line break" in (
        refused.stderr
    )
    assert payload not in refused.stderr and "thief" not in refused.stderr
    shop("client", "add", "Anna", "--email", "a@example.com")
    shop.fails("client", "edit", "Anna", "--notes", f"call {payload}", code=2)
    shop("job", "add", "Anna", "Birthday", "--fee", "flat:10")
    shop.fails("job", "add", "Anna", f"Gift {payload}", code=2)
    shop.fails("item", "add", "Birthday", payload, "--price", "5", code=2)
    assert _counts(store) == {"clients": 1, "recipients": 0, "jobs": 1, "items": 0}


@pytest.mark.parametrize("payload", INJECTIONS[:2])
def test_an_imported_gift_list_with_encoded_line_breaks_is_refused_whole(
    shop, store, tmp_path, payload
) -> None:
    shop("init", "--name", "Helmi Saari", "--email", "helmi@example.fi")
    giftlist = _write(
        tmp_path,
        "list.yaml",
        f"client: {{name: Bea Lindqvist, email: bea@example.com}}\n"
        f"job: {{title: Joulu}}\n"
        f"recipients:\n  - {{name: Aino}}\n  - {{name: '{payload}'}}\n",
    )
    refused = shop.fails("import", str(giftlist), code=2)
    assert "line 5, field recipients[2].name" in refused.stderr
    assert "decodes to a line break" in refused.stderr
    assert _counts(store) == {"clients": 0, "recipients": 0, "jobs": 0, "items": 0}


NUL_INPUTS = {
    "yaml": ("list.yaml", 'client: {name: "Bea\\0Lindqvist", email: bea@example.com}\n'),
    "json": (
        "list.json",
        json.dumps({"client": {"name": "Bea", "notes": "gate\u0000code"}}),
    ),
}


@pytest.mark.parametrize("kind", sorted(NUL_INPUTS))
def test_nul_bytes_are_refused_in_gift_lists(shop, store, tmp_path, kind) -> None:
    shop("init", "--name", "Helmi Saari", "--email", "helmi@example.fi")
    name, text = NUL_INPUTS[kind]
    refused = shop.fails("import", str(_write(tmp_path, name, text)), code=2)
    assert "contains a NUL character" in refused.stderr
    assert _counts(store)["clients"] == 0


def test_nul_bytes_and_encoded_breaks_are_refused_in_item_files(shop, store, tmp_path) -> None:
    shop("init", "--name", "Helmi Saari", "--email", "helmi@example.fi")
    shop("client", "add", "Bea", "--email", "bea@example.com")
    shop("job", "add", "Bea", "Joulu", "--fee", "flat:10")
    rows = ["title,price,notes"] + [f"Item {n},{n + 1},fine" for n in range(300)]
    for bad, says in (
        ("Sc\x00arf,5,x", "field title: title contains a NUL character"),
        ("Scarf,5,gate\x00code", "field notes: notes contains a NUL character"),
        (f"{INJECTIONS[0]},5,x", "field title: title holds an encoded word"),
    ):
        path = tmp_path / "items.csv"
        path.write_bytes(("\n".join([*rows, bad, "Last,1,x"]) + "\n").encode("utf-8"))
        refused = shop.fails("import", str(path), "--job", "Joulu", code=2)
        assert f"line 302, {says}" in refused.stderr, refused.stderr
        assert _counts(store)["items"] == 0


def test_nul_bytes_are_refused_in_an_export_import(shop, home, tmp_path, monkeypatch) -> None:
    shop("init", "--name", "Helmi Saari", "--email", "helmi@example.fi")
    shop("client", "add", "Bea", "--email", "bea@example.com", "--notes", "NOTE")
    document = json.loads(shop("export").stdout)
    document["tables"]["clients"][0]["notes"] = "gate\u0000code"
    path = _write(tmp_path, "export.json", json.dumps(document))
    monkeypatch.setenv("SHOP_HOME", str(tmp_path / "other"))
    refused = shop.fails("import", str(path), code=2)
    assert "tables.clients[1]: notes contains a NUL character" in refused.stderr
    assert shop.json("client", "list") == []


# -- headers read back as stored -----------------------------------------------------------------

# Names as they may be stored: text with `=?` in every position, quotes, backslashes and
# scripts, but never an encoded word that decodes to a line break (refused when stored).
_PIECES = st.sampled_from(
    [
        "Anna",
        "Zoë",
        "Łucja",
        "王芳",
        "=?utf-8?q?Anna?=",
        "=?utf-8?b?QW5uYQ==?=",
        "=?",
        "?=",
        '"',
        "\\",
        "<x>",
        "a,b",
        "(c)",
        "  ",
        " ",
    ]
)
_NAMES = st.lists(_PIECES, min_size=1, max_size=8).map("".join).map(str.strip).filter(bool)


def _draft(name: str, title: str) -> email.message.EmailMessage:
    from shopcli.documents import email_draft

    data = email_draft.build(
        to_name=name,
        to_email="bea@example.com",
        from_name=f"Shop {name}",
        from_email="helmi@example.fi",
        subject=f"Proposal: {title}",
        text="Hello",
        html="<p>Hello</p>",
    )
    return email.message_from_bytes(data, policy=policy.default)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_NAMES, _NAMES)
def test_header_values_decode_to_exactly_the_stored_text(name: str, title: str) -> None:
    from shopcli.core import validate

    validate.refuse_hidden_text({"name": name, "title": title})  # storable
    message = _draft(name, title)
    assert str(message["Subject"]) == f"Proposal: {title}"
    to = message["To"].addresses
    assert len(to) == 1 and to[0].addr_spec == "bea@example.com"
    # The name reads back exactly as stored. Only where no form of it would (mail programs
    # read a run of spaces in a non-ASCII name as one) the address goes without it.
    for header, stored in (("To", name), ("From", f"Shop {name}")):
        shown = message[header].addresses[0].display_name
        assert shown == stored or (shown == "" and "  " in stored and not stored.isascii())
    assert sorted(set(message.keys())) == sorted(
        {"From", "To", "Subject", "Date", "Message-ID", "X-Unsent", "MIME-Version", "Content-Type"}
    )


def test_an_invoice_draft_with_an_encoded_word_in_the_name_adds_no_header(shop, store) -> None:
    ready(shop, fee="flat:100")
    shop("item", "add", "Midsummer", "Scarf", "--price", "10")
    benign = "Oskar =?utf-8?q?Lund?="
    shop("client", "edit", "Oskar", "--name", benign)
    shop("invoice", "Midsummer", "--issue")
    data = shop("invoice", "show", "2026-0001", "--format", "eml").stdout_bytes
    message = email.message_from_bytes(data, policy=policy.default)
    assert message["To"].addresses[0].display_name == benign
    assert "Bcc" not in message and "Cc" not in message
    # A stored name that decodes to a line break cannot reach a draft at all.
    conn = store.conn
    conn.execute("UPDATE clients SET name = ? WHERE id = 1", [INJECTIONS[0]])
    refused = shop.fails("propose", "Midsummer", "--format", "eml", code=2)
    assert "would contain a line break" in refused.stderr


# -- errors name the field and the record, not the data --------------------------------------------


def test_errors_do_not_echo_what_was_typed(shop, store) -> None:
    shop("init", "--name", "Helmi Saari", "--email", "helmi@example.fi")
    bad = "m@example.com\r\nBcc: thief@example.com"
    for args, says in (
        (["client", "add", "Greta Berg", "--email", bad], "email is not an email address"),
        (["client", "add", "Greta Berg", "--phone", "call Greta"], "phone is not a phone number"),
        (["client", "add", "Greta Berg", "--language", "Greta"], "language is not a language"),
    ):
        refused = shop.fails(*args, code=2)
        assert says in refused.stderr
        assert "thief" not in refused.stderr and "call Greta" not in refused.stderr
    shop("client", "add", "Greta Berg")
    refused = shop.fails("client", "edit", "Greta", "--email", bad, code=2)
    assert "thief" not in refused.stderr
    shop("recipient", "add", "Greta", "Liisa Berg")
    shop("job", "add", "Greta", "Joulu", "--fee", "flat:10")
    shop("item", "add", "Joulu", "Scarf", "--price", "10", "--for", "Liisa")
    # Hints name the record by id: a client's full name is not repeated back.
    for args, says in (
        (["recipient", "add", "Greta", "Liisa Berg"], "client #1 already has a recipient"),
        (["job", "add", "Greta", "Joulu"], "client #1 already has a job with this title (#1)"),
        (["client", "rm", "Greta"], "client #1 still has"),
        (["recipient", "rm", "Liisa"], "recipient #1 still has"),
        (["propose", "Joulu", "--format", "eml"], "client #1 has no email address"),
    ):
        refused = shop.fails(*args)
        assert says in refused.stderr, refused.stderr
        assert "Greta" not in refused.stderr and "Liisa" not in refused.stderr, refused.stderr


def _app():
    from shopcli.cli.app import app

    return app
