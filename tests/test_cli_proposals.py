"""`shop propose`, the client's answers and `shop proposal show`, through the real CLI."""

from __future__ import annotations

import json
import os
import re
from email import policy
from email.parser import BytesParser
from html.parser import HTMLParser

import pytest

from delivery_data import refused
from expect import eur, money
from shopcli.core.languages import PUNCTUATION
from shopcli.proposing import replies, reply_words

LINKS = [
    "https://toyhaus.example/train",
    "https://pencils.example/set",
    "https://strings.example/rosin",
    "https://stands.example/fold",
]


def statuses(store) -> dict[int, str]:
    return {r["number"]: r["status"] for r in store.query("SELECT number, status FROM items")}


def count(store, table: str) -> int:
    return store.scalar(f"SELECT count(*) FROM {table}")


# -- rendering ------------------------------------------------------------------------------


def test_text_proposal_has_items_prices_budgets_terms_and_how_to_answer(shop, cart) -> None:
    result = shop("propose", "Spring 2027")
    out = result.stdout
    assert out.startswith("Subject: Shopping proposal: Spring 2027\n")
    assert "\nHello,\n" in out and "Hana Sato" not in out
    assert "== For Ken (son) ==\nLikes: trains, drawing" in out
    assert "== For Yui (daughter) ==\nLikes: violin" in out
    for number, title in enumerate(
        ["Wooden train set", "Drawing pencils", "Violin rosin", "Music stand"], start=1
    ):
        assert f"{number}. {title}" in out
    for link in LINKS:
        assert f"Link: {link}" in out
    assert f"Price: {eur('59.00')}\n" in out
    # Foreign prices in their own currency and, converted, in the job's.
    assert f"Price: {money('30.00', 'USD')} × 2 = {money('60.00', 'USD')} (≈ {eur('54.00')})" in out
    assert f"Price: {money('12.50', 'GBP')} (≈ {eur('14.38')})" in out
    assert "Size: folding · Colour: black" in out
    assert (
        f"Subtotal: {eur('113.00')} / budget {eur('120.00')}\n   {eur('7.00')} of the budget left"
        in out
    )
    assert (
        f"Subtotal: {eur('109.38')} / budget {eur('100.00')}\n   !! OVER BUDGET by {eur('9.38')} !!"
        in out
    )
    assert (
        f"All items: {eur('222.38')} / job budget {eur('300.00')}\n"
        f"{eur('77.62')} of the budget left" in out
    )
    assert "1 GBP = 1.15 EUR" in out and "1 USD = 0.9 EUR" in out
    assert f"- My fee: {eur('40.00')}\n- Deposit: {eur('20.00')}, before I start shopping" in out
    assert "- Delivery: Tracked post, 3-5 working days." in out
    assert "- Customs duty: Customs duty from outside the EU is billed at cost." in out
    assert "- Returns and exchanges: Returns within 14 days; I arrange them." in out
    assert "You pay each store directly, on the store's own checkout" in out
    assert "I never need your card details" in out
    # How to answer: examples labelled so that, quoted back, they are never read as answers.
    label = reply_words.example_label("en")
    for example in (
        replies.answer_line("en", "approve", [1, 3]),
        replies.answer_line("en", "reject", [2])
        + PUNCTUATION["en"]["dash"]
        + "a reason, if you like",
        replies.answer_line("en", "change", [4]) + ": size M",
        replies.answer_line("en", "approve", None),
    ):
        assert f"\n    {label}: {example}\n" in out
    assert out.rstrip().endswith("Ruth Okafor\nOkafor Gift Finding\nruth@example.co.uk")
    assert "What changed" not in out
    assert "Warning: Yui is over budget: 109.38 EUR proposed, budget 100.00 EUR" in result.stderr
    assert "Recorded proposal version 1" in result.stderr


def test_propose_records_a_frozen_version_and_marks_items_proposed(shop, cart, store) -> None:
    shop("propose", "Spring")
    assert set(statuses(store).values()) == {"proposed"}
    [row] = store.query("SELECT * FROM proposals")
    assert row["version"] == 1 and row["currency"] == "EUR"
    snap = json.loads(row["snapshot"])
    assert [i["number"] for i in snap["items"]] == [1, 2, 3, 4]
    pencils = snap["items"][1]
    assert (pencils["price"], pencils["currency"], pencils["qty"]) == ("30", "USD", 2)
    assert pencils["total_job"] == "54"
    assert snap["rates"] == {"GBP": "1.15", "USD": "0.9"}
    assert snap["terms"]["fee_kind"] == "flat" and snap["budget"] == "300"
    kinds = [e["kind"] for e in store.query("SELECT kind FROM events ORDER BY id")]
    assert kinds[-6:] == ["item.proposed"] * 4 + ["proposal.recorded", "proposal.rendered"]
    # Changing a rate later does not touch the frozen version.
    shop("rate", "set", "USD", "EUR", "0.95")
    assert json.loads(store.get("proposals", row["id"])["snapshot"]) == snap


def test_html_is_an_email_safe_page_with_every_link_total_and_mark(shop, cart, tmp_path) -> None:
    target = tmp_path / "proposal.html"
    shop("propose", "Spring", "--format", "html", "-o", str(target))
    html = target.read_text(encoding="utf-8")
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    for forbidden in ("<script", "<style", "<link", "src=", "@import", "url("):
        assert forbidden not in html.lower()

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hrefs: list[str] = []
            self.styled = 0
            self.tables = 0

        def handle_starttag(self, tag, attrs) -> None:
            attrs = dict(attrs)
            if tag == "a":
                self.hrefs.append(attrs["href"])
            if tag == "table":
                self.tables += 1
            if "style" in attrs:
                self.styled += 1

    page = Collect()
    page.feed(html)
    answers = [href for href in page.hrefs if href.startswith("mailto:") and "?" in href]
    assert [href for href in page.hrefs if href not in answers] == [
        *LINKS,
        "mailto:ruth@example.co.uk",
    ]
    assert len(answers) == 4 * 3 + 1  # approve, no thanks, change… per item; approve all
    assert page.tables >= 3 and page.styled > 20
    assert 'name="viewport"' in html and "max-width:600px" in html
    assert eur("222.38") in html and f"job budget {eur('300.00')}" in html
    assert f"&#9888; OVER BUDGET by {eur('9.38')}" in html
    assert html.count("OVER BUDGET") == 1
    assert f"≈ {eur('54.00')}" in html.replace("&asymp;", "≈").replace("&nbsp;", " ")
    assert "data:" not in html
    assert f"Example: {replies.answer_line('en', 'approve', [1, 3])}" in html


def test_eml_is_a_complete_utf8_draft(shop, cart, tmp_path) -> None:
    shop("client", "edit", "Hana Sato", "--name", "Hana Satō")
    target = tmp_path / "proposal.eml"
    shop("propose", "Spring", "--format", "eml", "-o", str(target))
    raw = target.read_bytes()
    raw.decode("ascii")  # every non-ASCII character is encoded: safe for any mail program
    assert b"\r\n" in raw
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert message["X-Unsent"] == "1"
    assert message["Subject"] == "Shopping proposal: Spring 2027"
    [to] = message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Hana Satō", "hana@example.com")
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Okafor Gift Finding", "ruth@example.co.uk")
    assert message["Date"] and message["Message-ID"].endswith("@example.co.uk>")
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    text, html = (p.get_content() for p in parts)
    assert text.startswith("Hello,")  # the subject is a header, not in the body
    assert f"Price: {money('12.50', 'GBP')} (≈ {eur('14.38')})" in text
    assert all(link in text and f'href="{link}"' in html for link in LINKS)


def test_eml_to_stdout_and_refusals(shop, cart, store) -> None:
    out = shop("propose", "Spring", "-f", "eml").stdout
    assert "X-Unsent: 1" in out and "multipart/alternative" in out
    shop("client", "edit", "Hana", "--email", "")
    refused(shop, "propose", "Spring", "-f", "eml", says="client #1 has no email address", code=2)
    shop("client", "edit", "Hana", "--email", "hana@example.com")
    refused(
        shop,
        *("job", "edit", "Spring", "--title", "Spring\nBcc: everyone@example.com"),
        says="single line",
    )
    # Data from before titles were checked still cannot break the headers.
    store.execute("UPDATE jobs SET title = 'Spring' || char(10) || 'Bcc: all@example.com'")
    refused(shop, "propose", "Spring", "-f", "eml", says="line break", code=2)
    assert count(store, "proposals") == 1


def test_polish_client_gets_local_money_formats(shop, family) -> None:
    shop(
        "item",
        "add",
        "Imieniny",
        "Rękawiczki",
        "--for",
        "Zosia",
        "--price",
        "25",
        "--currency",
        "EUR",
        "--url",
        "https://sklep.example/r",
    )
    out = shop("propose", "Imieniny").stdout
    assert money("25", "EUR", "pl") in out and money("107.50", "PLN", "pl") in out
    assert "https://sklep.example/r" in out
    # No salutation set: the Polish greeting without the name in the nominative.
    assert "\nDzień dobry,\n" in out and "Jan Kowalski" not in out


def test_preview_records_nothing(shop, cart, store) -> None:
    out = shop("propose", "Spring", "--preview")
    assert "PREVIEW" in out.stdout and "nothing recorded" in out.stderr
    assert count(store, "proposals") == 0
    assert set(statuses(store).values()) == {"candidate"}
    [event] = store.query("SELECT * FROM events WHERE kind = 'proposal.rendered'")
    assert json.loads(event["detail"])["preview"] is True


def test_strict_refuses_over_budget_and_writes_nothing(shop, cart, store, tmp_path) -> None:
    target = tmp_path / "p.html"
    failed = refused(
        shop,
        "propose",
        "Spring",
        "--strict",
        "-f",
        "html",
        "-o",
        str(target),
        says="over budget: recipient #2",
    )
    assert "--strict" in failed.stderr
    assert not target.exists()
    assert count(store, "proposals") == 0 and set(statuses(store).values()) == {"candidate"}
    shop("budget", "set", "Spring", "Yui", "110")
    result = shop("propose", "Spring", "--strict")
    assert "OVER BUDGET" not in result.stdout and "Warning" not in result.stderr


def test_bad_format_and_empty_job_are_refused(shop, cart) -> None:
    refused(shop, "propose", "Spring", "-f", "pdf", says="unknown format 'pdf'")
    shop("job", "add", "Hana Sato", "Summer")
    refused(shop, "propose", "Summer", says="no items to propose")


def test_unchanged_cart_keeps_its_version(shop, cart, store, tmp_path) -> None:
    shop("propose", "Spring")
    again = shop("propose", "Spring", "-f", "eml", "-o", str(tmp_path / "p.eml"))
    assert "unchanged since proposal version 1" in again.stderr
    assert count(store, "proposals") == 1
    rendered = store.query("SELECT detail FROM events WHERE kind = 'proposal.rendered'")
    assert [json.loads(r["detail"])["format"] for r in rendered] == ["text", "eml"]


def test_version_two_says_what_changed(shop, cart, store) -> None:
    shop("propose", "Spring")
    shop("reject", "Spring", "3", "--note", "she has plenty")
    shop("change", "Spring", "4", "--note", "a lighter one")
    shop("item", "edit", "#4", "--job", "Spring", "--price", "89", "--size", "travel")
    shop("item", "edit", "#2", "--job", "Spring", "--qty", "1")
    shop(
        "item",
        "add",
        "Spring",
        "Shoulder rest",
        "--for",
        "Yui",
        "--price",
        "20",
        "--url",
        "https://strings.example/rest",
    )
    out = shop("propose", "Spring").stdout
    assert "Subject: Shopping proposal: Spring 2027 (version 2)" in out
    assert "Here is version 2 of my proposal" in out
    changes = out.split("== What changed since version 1 ==\n")[1].split("\n\n")[0]
    assert changes.splitlines() == [
        "  + New: 5. Shoulder rest",
        "  - Removed: 3. Violin rosin (you declined it)",
        "  * 2. Drawing pencils: quantity 2 → 1",
        f"  * 4. Music stand: price {eur('95.00')} → {eur('89.00')}; size folding → travel",
    ]
    assert "Violin rosin" not in out.split("What changed")[1].split("\n\n", 1)[1]
    assert "You asked: a lighter one" in out
    assert statuses(store) == {
        1: "proposed",
        2: "proposed",
        3: "rejected",
        4: "proposed",
        5: "proposed",
    }
    assert [r["version"] for r in store.query("SELECT version FROM proposals")] == [1, 2]


def test_changing_what_the_client_approved_needs_their_approval_again(shop, cart, store) -> None:
    shop("propose", "Spring")
    shop("approve", "Spring", "1", "2", "3", "4")
    # The store page no longer matches: the music stand needs the client.
    shop("item", "check", "Music stand", "--unavailable")
    # Details the client did not approve change freely, and so does a price given unchanged.
    out = shop("item", "edit", "#1", "--job", "Spring", "--notes", "wrap it", "--price", "59.00")
    assert out.stdout == "Updated item Spring 2027/1 Wooden train set\n"
    assert statuses(store)[1] == "approved"
    edits = [
        ("#1", "--price", "64"),
        ("#2", "--qty", "3"),
        ("#3", "--for", "Ken"),
        ("#4", "--currency", "GBP"),
    ]
    for number, *change in edits:
        out = shop("item", "edit", number, "--job", "Spring", *change).stdout
        [line] = out.splitlines()
        was = "needs client" if number == "#4" else "approved"
        assert f": {was} → proposed; the change needs the client's approval again" in line
    assert statuses(store) == {1: "proposed", 2: "proposed", 3: "proposed", 4: "proposed"}
    moves = store.query(
        "SELECT kind, summary, detail FROM events WHERE item_id = 1 ORDER BY id DESC LIMIT 3"
    )
    assert [move["kind"] for move in moves] == ["item.proposed", "item.needs_client", "item.edited"]
    summary = moves[1]["summary"]
    assert (
        "approved → needs client (changed after approval: price 59.00 EUR → 64.00 EUR)" in summary
    )
    assert json.loads(moves[0]["detail"])["changed"] == [
        {"field": "price", "old": "59", "new": "64"}
    ]
    assert (
        "Yui → Ken"
        in store.one("SELECT summary FROM events WHERE item_id = 3 ORDER BY id DESC")["summary"]
    )
    # The next proposal shows what changed, and asks again.
    out = shop("propose", "Spring").stdout
    changes = out.split("== What changed since version 1 ==\n")[1].split("\n\n")[0]
    assert changes.splitlines() == [
        f"  * 1. Wooden train set: price {eur('59.00')} → {eur('64.00')}",
        "  * 2. Drawing pencils: quantity 2 → 3",
        "  * 3. Violin rosin: for Yui → Ken",
        f"  * 4. Music stand: price {eur('95.00')} → {money('95.00', 'GBP')}",
    ]
    shop("approve", "Spring", "1")
    assert statuses(store)[1] == "approved"
    # Bought items keep their price.
    store.execute("UPDATE items SET status = 'ordered' WHERE number = 1")
    refused(shop, "item", "edit", "#1", "--job", "Spring", "--qty", "2", says="price is settled")


# -- answers --------------------------------------------------------------------------------


def test_approve_reject_change_by_number(shop, cart, store) -> None:
    shop("propose", "Spring")
    out = shop("approve", "Spring", "1", "3").stdout
    assert "Approved: 1 Wooden train set, 3 Violin rosin" in out
    shop("reject", "Spring", "2", "--note", "he has enough pencils")
    shop("change", "Spring", "4", "-n", "size: compact")
    assert statuses(store) == {1: "approved", 2: "rejected", 3: "approved", 4: "change_requested"}
    rows = store.query(
        "SELECT i.number, d.decision, d.note, d.source, p.version FROM decisions d "
        "JOIN items i ON i.id = d.item_id JOIN proposals p ON p.id = d.proposal_id ORDER BY d.id"
    )
    assert [tuple(r.values()) for r in rows] == [
        (1, "approved", None, "command", 1),
        (3, "approved", None, "command", 1),
        (2, "rejected", "he has enough pencils", "command", 1),
        (4, "change_requested", "size: compact", "command", 1),
    ]
    events = store.query(
        "SELECT kind, item_id, summary FROM events WHERE kind LIKE 'item.%' "
        "AND kind != 'item.added' AND kind != 'item.proposed'"
    )
    assert [e["kind"] for e in events] == [
        "item.approved",
        "item.approved",
        "item.rejected",
        "item.change_requested",
    ]
    assert all(e["item_id"] for e in events)
    assert "he has enough pencils" in events[2]["summary"]
    # Approved items count as approved in the budget; rejected ones drop out.
    budget = shop.json("budget", "list", "Spring")
    ken, yui = budget["recipients"]
    assert (ken["approved"], ken["planned"]) == ("59.00", "0.00")
    assert (yui["approved"], yui["planned"]) == ("14.38", "95.00")
    assert budget["total"]["approved"] == "73.38"


def test_answering_again_is_recorded_without_a_status_change(shop, cart, store) -> None:
    shop("propose", "Spring")
    shop("approve", "Spring", "1")
    shop("approve", "Spring", "1", "--note", "definitely")
    assert statuses(store)[1] == "approved"
    assert count(store, "decisions") == 2
    assert store.scalar("SELECT count(*) FROM events WHERE kind = 'item.answered'") == 1


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["approve", "Spring", "1", "9"], "has no item number 9"),
        (["approve", "Spring", "one"], "not an item number"),
        (["reject", "Spring", "1", "5"], "has not been proposed"),
        (["change", "Spring", "2", "--note", "   "], "note cannot be empty"),
    ],
)
def test_bad_answers_change_nothing(shop, cart, store, args, says) -> None:
    shop("propose", "Spring")
    shop("item", "add", "Spring", "Late idea", "--price", "5")
    before = (statuses(store), count(store, "events"))
    refused(shop, *args, says=says)
    assert (statuses(store), count(store, "events")) == before
    assert count(store, "decisions") == 0


def test_answers_before_any_proposal_are_refused(shop, cart) -> None:
    refused(shop, "approve", "Spring", "1", says="run `shop propose` first")


def test_a_bought_item_cannot_be_rejected(shop, cart, store) -> None:
    shop("propose", "Spring")
    shop("approve", "Spring", "1")
    store.execute("UPDATE items SET status = 'ordered' WHERE number = 1")
    failed = refused(shop, "reject", "Spring", "1", says="item 1/1: ")
    assert "Wooden" not in failed.stderr
    assert "ordered" in failed.stderr


REPLY = """Hi Ruth,

Thanks, lovely choices!
approve 1, 3
Reject 2: he has enough pencils; maybe crayons instead?
change 4: a lighter one

All the best,
Hana
+81 3 1234 5678

On Mon, Ruth wrote:
> approve 1, 3; reject 2; change 4: size M
"""


def test_decide_applies_a_whole_reply(shop, cart, store, tmp_path) -> None:
    shop("propose", "Spring")
    reply = tmp_path / "reply.txt"
    reply.write_text(REPLY, encoding="utf-8")
    out = shop("decide", "Spring", "--reply", str(reply), "--yes").stdout
    assert out.splitlines()[:9] == [
        f"Decisions read from {reply}:",
        "  approve 1 Wooden train set (for Ken)",
        "          line 4: 'approve 1, 3'",
        "  reject  2 Drawing pencils (for Ken), note 'he has enough pencils'",
        "          line 5: 'Reject 2: he has enough pencils'",
        "  approve 3 Violin rosin (for Yui)",
        "          line 4: 'approve 1, 3'",
        "  change  4 Music stand (for Yui), note 'a lighter one'",
        "          line 6: 'change 4: a lighter one'",
    ]
    assert "Skipped as not decisions: line 1 'Hi Ruth,'; line 3 'Thanks, lovely choices!'" in out
    assert "Set aside as quoted or signature: " in out  # the sign-off, phone and the quote
    assert "+81" not in out.split("Skipped as not decisions:")[1]
    assert out.rstrip().endswith("Applied: 2 approved, 1 rejected, 1 change requested.")
    assert statuses(store) == {1: "approved", 2: "rejected", 3: "approved", 4: "change_requested"}
    assert {r["source"] for r in store.query("SELECT source FROM decisions")} == {"reply"}
    [answered] = store.query("SELECT * FROM events WHERE kind = 'proposal.answered'")
    assert json.loads(answered["detail"]) == {
        "source": "reply",
        "approved": 2,
        "rejected": 1,
        "change_requested": 1,
    }


def _traced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every statement the commands run from now on, as SQLite ran it (values filled in)."""
    from shopcli import storage

    statements: list[str] = []
    opened = storage.Store.__init__

    def tracing(self, *args, **kwargs) -> None:
        opened(self, *args, **kwargs)
        self.conn.set_trace_callback(statements.append)

    monkeypatch.setattr(storage.Store, "__init__", tracing)
    return statements


READ_ONCE = re.compile(r"\bFROM (clients|proposals|items|rates)\b")


def _repeated(statements: list[str]) -> list[str]:
    """SELECTs on clients, proposals, items or rates that ran again with nothing written in
    between (a transaction begun or a row written may change what a read finds)."""
    seen: set[str] = set()
    repeated = []
    for sql in statements:
        word = sql.lstrip().split(None, 1)[0].upper()
        if word in ("BEGIN", "INSERT", "UPDATE", "DELETE", "REPLACE", "COMMIT"):
            seen.clear()
        elif word in ("SELECT", "WITH") and READ_ONCE.search(sql):
            if sql in seen:
                repeated.append(sql)
            seen.add(sql)
    return repeated


def test_propose_and_decide_read_each_record_once(shop, cart, tmp_path, monkeypatch) -> None:
    """One `propose` and one `decide` read the client, the proposals, the items and the rates
    once each: what one step read is handed to the next instead of read again."""
    statements = _traced(monkeypatch)
    shop("propose", "Spring", "-o", str(tmp_path / "proposal.txt"))
    selects = [s for s in statements if READ_ONCE.search(s) and s.lstrip().startswith("SELECT")]
    assert any("FROM rates" in s for s in selects) and any("FROM clients" in s for s in selects)
    twice = sorted({s for s in selects if selects.count(s) > 1})
    assert twice == [], twice
    # The items to mark proposed are those the snapshot listed, not a second listing.
    assert sum(s.startswith("SELECT i.*, r.name AS recipient") for s in selects) == 1

    statements.clear()
    reply = tmp_path / "reply.txt"
    reply.write_text(REPLY, encoding="utf-8")
    shop("decide", "Spring", "--reply", str(reply), "--yes")
    assert _repeated(statements) == []
    # Reading the reply (before the write transaction) reads each thing once; applying it
    # checks the decisions again inside the transaction, where the client is not read again.
    begin = next(i for i, s in enumerate(statements) if s.startswith("BEGIN"))
    reading = [s for s in statements[:begin] if READ_ONCE.search(s)]
    assert sorted({s for s in reading if reading.count(s) > 1}) == []
    assert sum("FROM clients" in s for s in statements) == 1
    latest = "FROM proposals WHERE job_id = 1 ORDER BY version DESC LIMIT 1"
    assert sum(latest in s for s in statements) == 1


def test_decide_reads_stdin_and_all_means_the_rest(shop, cart, store) -> None:
    shop("propose", "Spring")
    out = shop("decide", "Spring", "--reply", "-", "--yes", input="reject 2\napprove all\n").stdout
    assert "  approve 4 Music stand (for Yui)\n          line 2: 'approve all'" in out
    assert statuses(store) == {1: "approved", 2: "rejected", 3: "approved", 4: "approved"}


def test_decide_dry_run_applies_nothing(shop, cart, store) -> None:
    shop("propose", "Spring")
    out = shop("decide", "Spring", "-r", "-", "--dry-run", input="approve 1\n").stdout
    assert "approve 1 Wooden train set" in out and "nothing was applied" in out
    assert "No decision in this reply for: 2 Drawing pencils, 3 Violin rosin, 4 Music stand" in out
    assert statuses(store)[1] == "proposed" and count(store, "decisions") == 0


def test_decide_asks_before_applying_and_scripts_must_say_yes(shop, cart, store, tmp_path):
    shop("propose", "Spring")
    reply = tmp_path / "reply.txt"
    reply.write_text("approve 1\n", encoding="utf-8")
    # CliRunner's stdin is not a terminal: without --yes nothing is applied.
    failed = refused(shop, "decide", "Spring", "-r", str(reply), says="add --yes to apply")
    assert "approve 1 Wooden train set" in failed.stdout  # what would have been applied
    failed = refused(shop, "decide", "Spring", "-r", "-", input="approve 1\n", says="stdin")
    assert count(store, "decisions") == 0 and statuses(store)[1] == "proposed"


def test_decide_on_a_terminal_applies_only_when_the_shopper_agrees(
    shop, cart, store, tmp_path, monkeypatch
) -> None:
    from shopcli.cli import common

    shop("propose", "Spring")
    reply = tmp_path / "reply.txt"
    reply.write_text("approve 1\n", encoding="utf-8")
    monkeypatch.setattr(common, "stdin_is_terminal", lambda: True)
    failed = refused(shop, "decide", "Spring", "-r", str(reply), input="n\n", says="nothing was")
    assert "Apply these 1 decisions? [y/N]" in failed.stdout and count(store, "decisions") == 0
    shop("decide", "Spring", "-r", str(reply), input="y\n")
    assert statuses(store)[1] == "approved"


def test_decide_json_lists_each_decision_with_its_words(shop, cart) -> None:
    shop("propose", "Spring")
    reply = "Approve 1 and 3, reject 2 - he has plenty. Thanks!"
    data = json.loads(
        shop("decide", "Spring", "-r", "-", "--dry-run", "--json", input=reply).stdout
    )
    assert [(d["number"], d["decision"], d["note"], d["line"]) for d in data["decisions"]] == [
        (1, "approved", None, 1),
        (2, "rejected", "he has plenty", 1),
        (3, "approved", None, 1),
    ]
    assert data["decisions"][1]["words"] == "reject 2 - he has plenty"
    assert data["not_decided"] == [4] and data["applied"] is False


@pytest.mark.parametrize(
    ("reply", "says"),
    [
        ("approve 1\nreject 2\napprove 7\n", "line 3 ('approve 7'): job #1 has no item"),
        ("approve 1, 3\nrejct 2\n", "line 2 ('rejct 2'): item 2 is mentioned without a decision"),
        ("approve 1\nreject 1\n", "item 1 is both approved (line 1: 'approve 1') and rejected"),
        ("approve 1\nchange 5: smaller\n", "line 2 ('change 5: smaller'): item 1/5 has"),
        ("Hi!\nThanks, Hana\n", "holds no decision"),
        ("approve 1\nmy card is 4111 1111 1111 1111\n", "card number"),
        ("approve 1 or 3\n", "line 1 ('approve 1 or 3'): 'or' offers a choice"),
        ("Approve 1. Maybe 2 as well?\n", "'Maybe': the client sounds undecided"),
    ],
)
def test_refused_replies_leave_nothing_half_applied(shop, cart, store, reply, says) -> None:
    shop("propose", "Spring")
    shop("item", "add", "Spring", "Late idea", "--price", "5")
    before = (statuses(store), count(store, "events"))
    failed = refused(
        shop, "decide", "Spring", "--reply", "-", "--yes", input=reply, says=says, code=2
    )
    assert "nothing of the reply was applied" in failed.stderr
    assert "shop approve" in failed.stderr  # what to do instead
    assert failed.stdout == ""
    assert (statuses(store), count(store, "events")) == before
    assert count(store, "decisions") == 0


@pytest.mark.parametrize("reply", ["approve 1. approve 3\n", "approve 3. approve 1\n"])
def test_a_refusal_quotes_the_clause_that_failed_not_its_neighbour(shop, cart, store, reply):
    shop("propose", "Spring")
    shop("item", "mark", "Spring 2027/1", "cancelled")
    says = "line 1 ('approve 1'): item 1"
    failed = refused(shop, "decide", "Spring", "-r", "-", "--yes", input=reply, says=says, code=2)
    assert "approve 3" not in failed.stderr
    assert count(store, "decisions") == 0 and statuses(store)[3] == "proposed"


def test_decide_with_an_unreadable_file(shop, cart, tmp_path) -> None:
    shop("propose", "Spring")
    refused(shop, "decide", "Spring", "-r", str(tmp_path / "no"), says="does not exist")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("approve 1 – kiitos".encode("cp1252"))
    refused(shop, "decide", "Spring", "-r", str(latin), says="not UTF-8")


# -- versions and the log -------------------------------------------------------------------


def test_proposal_show_lists_versions_and_answers(shop, cart) -> None:
    assert "No proposal" in shop("proposal", "show", "Spring").stdout
    shop("propose", "Spring")
    shop("decide", "Spring", "-r", "-", "--yes", input="approve 1; reject 3: no\nchange 4: lighter")
    shop("item", "edit", "#4", "--job", "Spring", "--price", "80")
    shop("propose", "Spring")
    data = shop.json("proposal", "show", "Spring")
    assert [(v["version"], v["items"], v["total"]) for v in data["versions"]] == [
        (1, 4, "222.38"),
        (2, 3, "193.00"),
    ]
    assert data["versions"][0]["answers"] == {"approved": 1, "rejected": 1, "change_requested": 1}
    assert [(a["number"], a["decision"], a["note"], a["version"]) for a in data["answers"]] == [
        (1, "approved", None, 1),
        (3, "rejected", None, 1),
        (4, "change_requested", "lighter", 1),
    ]
    table = shop("proposal", "show", "Spring").stdout
    assert "change requested" in table and "222.38 EUR" in table
    two = shop.json("proposal", "show", "Spring", "--version", "2")
    assert [i["number"] for i in two["items"]] == [1, 2, 4]
    assert [i["status"] for i in two["items"]] == ["approved", "proposed", "proposed"]
    assert [i["number"] for i in two["changes"]["removed"]] == [3]
    [changed] = two["changes"]["changed"]
    assert changed["fields"] == [
        {"field": "price", "old": "95", "new": "80", "old_currency": "EUR", "new_currency": "EUR"}
    ]
    text = shop("proposal", "show", "Spring", "-v", "2").stdout
    assert "Changes since version 1:" in text and "price 95.00 EUR → 80.00 EUR" in text
    refused(shop, "proposal", "show", "Spring", "-v", "3", says="no proposal version 3")


def test_log_shows_the_timeline_of_a_job_and_a_client(shop, cart) -> None:
    shop("propose", "Spring")
    shop("approve", "Spring", "1")
    events = shop.json("log", "Spring")["events"]
    kinds = [e["kind"] for e in events]
    assert kinds[0] == "job.added"
    assert kinds[-3:] == ["proposal.rendered", "item.approved", "proposal.answered"]
    assert all(e["job_id"] == events[0]["job_id"] for e in events)
    approved = next(e for e in events if e["kind"] == "item.approved")
    assert approved["item_id"] and approved["detail"]["proposal_version"] == 1
    client = shop.json("log", "Hana")
    assert client["kind"] == "client" and client["events"][0]["kind"] == "client.added"
    assert len(shop.json("log", "Spring", "--limit", "2")["events"]) == 2
    text = shop("log", "Spring").stdout
    assert "proposal.recorded" in text and "proposal version 1 recorded: 4 items" in text


def test_log_names_an_ambiguous_reference(shop, cart) -> None:
    shop("client", "add", "Spring Lee")
    refused(shop, "log", "Spring", says="matches job #1 and client #2")
    assert shop.json("log", "Spring", "--job")["kind"] == "job"
    assert shop.json("log", "Spring", "--client")["kind"] == "client"
    refused(shop, "log", "Nobody", says="no job or client")


# -- escaping -------------------------------------------------------------------------------


def test_names_and_notes_are_escaped_in_html(shop, cart, tmp_path) -> None:
    shop("item", "edit", "#1", "--job", "Spring", "--title", "<script>alert(1)</script> train")
    shop("recipient", "edit", "Ken", "--name", "Ken <b>")
    shop("propose", "Spring")
    shop("change", "Spring", "1", "--note", '<img src=x onerror="alert(2)">')
    shop("item", "edit", "#1", "--job", "Spring", "--price", "58")
    target = tmp_path / "v2.html"
    shop("propose", "Spring", "-f", "html", "-o", str(target))
    html = target.read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html and "Ken <b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; train" in html
    assert "For Ken &lt;b&gt;" in html
    assert "You asked: &lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in html
    # The plain-text version shows them as typed.
    text = shop("propose", "Spring").stdout
    assert "<script>alert(1)</script> train" in text


# -- demo -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_demo_ends_with_a_rendered_proposal(shop, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SHOP_TODAY", "2026-12-23")  # the demo's story ends today
    folder = tmp_path / "demo"
    out = shop("demo", "--keep", str(folder)).stdout
    text = (folder / "proposal.txt").read_text(encoding="utf-8")
    assert str(folder / "proposal.txt") in out and str(folder / "proposal.eml") in out
    assert text.strip() in out
    from shopcli.documents.i18n import translations

    subject = translations("fi").gettext("Shopping proposal: %(job)s") % {"job": "Christmas 2026"}
    assert subject in text.splitlines()[0] and subject != "Shopping proposal: Christmas 2026"
    assert re.search(r"1\. Merino wool scarf", text)
    message = BytesParser(policy=policy.default).parsebytes((folder / "proposal.eml").read_bytes())
    assert message["X-Unsent"] == "1" and message["To"].addresses[0].addr_spec == "anna@example.com"
    os.environ["SHOP_HOME"] = str(folder)
    answers = shop.json("proposal", "show", "Christmas 2026")["answers"]
    assert sorted((a["number"], a["decision"], a["source"]) for a in answers) == [
        (1, "approved", "reply"),
        (2, "rejected", "reply"),
        (3, "approved", "reply"),
        (4, "approved", "reply"),
    ]
