"""One word per concept: what the client decides on a proposed item is a decision (the
`decisions` table), and voiding an invoice issues a credit note; the API, the tables the
shopper reads and the JSON say so."""

from __future__ import annotations

import pytest

from billing_helpers import ready


def test_the_proposal_api_says_decisions_as_the_table_does(shop, cart, store) -> None:
    from shopcli.proposing import proposals
    from shopcli.work import jobs

    assert not hasattr(proposals, "answers") and not hasattr(proposals, "answer")
    shop("propose", "Spring")
    job = jobs.get(store, "Spring")
    planned, counts = proposals.decide(store, job, "approved", [1, 2], "lovely")
    assert [p.item["number"] for p in planned] == [1, 2]
    assert counts["approved"] == 2
    recorded = proposals.decisions(store, job)
    stored = store.rows("decisions")
    assert [(d["item_id"], d["decision"], d["note"]) for d in recorded] == [
        (row["item_id"], row["decision"], row["note"]) for row in stored
    ]
    assert [(d["number"], d["version"]) for d in recorded] == [(1, 1), (2, 1)]


def test_proposal_show_calls_them_decisions_and_keeps_the_old_json_key(shop, cart) -> None:
    shop("propose", "Spring")
    shop("decide", "Spring", "-r", "-", "--yes", input="approve 1\nreject 3: no")
    data = shop.json("proposal", "show", "Spring")
    assert [(d["number"], d["decision"]) for d in data["decisions"]] == [
        (1, "approved"),
        (3, "rejected"),
    ]
    assert data["answers"] == data["decisions"]  # the released key, kept for scripts
    [version] = data["versions"]
    assert version["decisions"] == {"approved": 1, "rejected": 1, "change_requested": 0}
    assert version["answers"] == version["decisions"]
    one = shop.json("proposal", "show", "Spring", "--version", "1")
    assert one["decisions"] == one["answers"] == data["decisions"]
    table = shop("proposal", "show", "Spring").stdout
    assert "Decisions" in table and "Answers" not in table
    header = next(line for line in table.splitlines() if "note" in line and "version" in line)
    assert "decision" in header and "answer" not in header


@pytest.fixture
def billed(shop, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_TODAY", "2026-06-20")
    ready(shop, fee="flat:100")
    shop("invoice", "Midsummer", "--issue")


def test_voiding_issues_a_credit_note_by_that_name(shop, store, billed) -> None:
    from shopcli.billing import credit_notes

    assert not hasattr(credit_notes, "void")
    credit = credit_notes.issue_credit_note(store, "2026-0001", "wrong client")
    assert (credit["kind"], credit["number"], credit["original_number"]) == (
        "credit_note",
        "2026-0002",
        "2026-0001",
    )
    [row] = store.query("SELECT * FROM invoices WHERE kind = 'credit_note'")
    assert row["original_id"] == store.scalar("SELECT id FROM invoices WHERE number = '2026-0001'")
    helped = shop("invoice", "void", "--help").stdout
    assert "credit note" in helped.split("\n\n")[1]
