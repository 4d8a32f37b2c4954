"""Aftercare through the CLI: return deadlines, the follow-up and its answer, verdicts per gift,
a recipient's history, warnings about gifts like a disliked one, "last time" in the next
proposal, the agenda's follow-ups, return windows and birthdays, and references."""

from __future__ import annotations

import email
import json
from email import policy

import pytest

from delivery_data import refused, snapshot
from expect import day
from shopcli.work import items

JOB = "Gwiazdka"


def _hand_over(shop, *titles: str, on: str = "2030-12-18") -> None:
    for title in titles:
        shop("item", "mark", title, "ordered")
        shop("item", "receive", title, "--ok", "--on", on)
    shop("handover", JOB, "--method", "pickup", "--date", on, "-o", "-")


def _feedback_rows(store) -> list[tuple]:
    return [
        (row["number"], row["verdict"], row["note"], row["source"], row["given_on"])
        for row in store.query(
            "SELECT i.number, f.* FROM feedback f JOIN items i ON i.id = f.item_id ORDER BY f.id"
        )
    ]


def _events(store, kind: str) -> list[dict]:
    rows = store.query("SELECT * FROM events WHERE kind = ? ORDER BY id", [kind])
    for row in rows:
        row["detail"] = json.loads(row["detail"])
    return rows


# -- the store's return deadline ----------------------------------------------------------


def test_return_by_is_kept_per_item_from_add_edit_and_show(shop, delivery_db):
    shop(
        "item", "add", JOB, "Lampka", "--for", "Hania", "--price", "80", "--return-by", "2031-01-15"
    )
    row = items.get(delivery_db, "Lampka")
    assert row["return_by"] == "2031-01-15"
    shop("item", "edit", "Atlas", "--return-by", "2031-01-10")
    shown = shop.json("item", "show", "Atlas")
    assert shown["return_by"] == "2031-01-10" and shown["feedback"] is None
    assert "Returnable until  2031-01-10" in shop("item", "show", "Atlas").stdout
    shop("item", "edit", "Atlas", "--return-by", "")
    assert items.get(delivery_db, "Atlas")["return_by"] is None
    refused(
        shop,
        *("item", "edit", "Atlas", "--return-by", "15.1.2031"),
        says="return deadline (--return-by) must be a date written YYYY-MM-DD",
        code=2,
    )


def test_return_by_comes_in_with_an_items_file(shop, delivery_db, tmp_path):
    good = tmp_path / "items.csv"
    good.write_text("title;price;recipient;return_by\nKredki;20;Hania;2031-01-20\nKlej;5;;\n")
    shop("import", str(good), "--job", JOB)
    assert items.get(delivery_db, "Kredki")["return_by"] == "2031-01-20"
    assert items.get(delivery_db, "Klej")["return_by"] is None
    bad = tmp_path / "bad.csv"
    bad.write_text("title,price,return deadline\nFarby,30,2031-01-20\nPędzel,5,next week\n")
    result = refused(shop, "import", str(bad), "--job", JOB, says="line 3, field return_by", code=2)
    assert "must be a date written YYYY-MM-DD" in result.stderr


# -- verdicts by hand -----------------------------------------------------------------------


def test_item_feedback_records_one_verdict_and_logs_it(shop, delivery_db):
    _hand_over(shop, "Atlas")
    out = shop("item", "feedback", "Atlas", "--loved", "--note", "reads it every night").stdout
    assert "Atlas koni: loved (note: reads it every night)" in out
    shop("item", "feedback", "Atlas", "--disliked", "--on", "2031-01-05")
    rows = _feedback_rows(delivery_db)
    today = delivery_db.one("SELECT given_on FROM feedback WHERE id = 1")["given_on"]
    assert rows == [
        (1, "loved", "reads it every night", "command", today),
        (1, "disliked", None, "command", "2031-01-05"),
    ]
    logged = _events(delivery_db, "item.feedback")
    assert [(e["detail"]["verdict"], e["detail"]["previous"]) for e in logged] == [
        ("loved", None),
        ("disliked", "loved"),
    ]
    assert logged[1]["item_id"] == items.get(delivery_db, "Atlas")["id"]
    # The latest verdict is the one that counts.
    assert shop.json("item", "show", "Atlas")["feedback"] == {
        "verdict": "disliked",
        "note": None,
        "on": "2031-01-05",
        "source": "command",
    }


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        ((), "give exactly one verdict: --loved, --liked, --disliked or --returned"),
        (("--loved", "--disliked"), "(not --loved and --disliked)"),
        (("--liked", "--on", "5.1.2031"), "feedback date must be a date"),
        (("--liked", "--note", "card 4111 1111 1111 1111"), "card"),
    ],
)
def test_item_feedback_refuses_anything_but_one_verdict(shop, delivery_db, flags, says):
    _hand_over(shop, "Atlas")
    refused(shop, "item", "feedback", "Atlas", *flags, says=says, code=2)


def test_feedback_is_for_gifts_that_were_handed_over(shop, delivery_db):
    refused(
        shop,
        *("item", "feedback", "Atlas", "--loved"),
        says="item 1/1 is approved; feedback is for gifts that were handed over",
        code=4,
    )


def test_returned_verdict_points_to_the_refund(shop, delivery_db):
    _hand_over(shop, "Atlas")
    out = shop("item", "feedback", "Atlas", "--returned", "--note", "has it already").stdout
    assert "shop item mark 1 returned --refund-by" in out
    assert items.get(delivery_db, "Atlas")["status"] == "delivered"  # the lifecycle is its own


# -- the follow-up notice ------------------------------------------------------------------


def test_follow_up_asks_about_each_delivered_gift_and_its_open_return_window(shop, delivery_db):
    shop("item", "edit", "Atlas", "--return-by", "2031-01-10")
    shop("item", "edit", "Dzwonek", "--return-by", "2030-12-20")
    _hand_over(shop, "Atlas", "Dzwonek")
    text = shop("notify", JOB, "follow-up", "--today", "2030-12-28").stdout
    assert text.startswith("Subject: How were the gifts received? Gwiazdka 2030")
    assert "\n\nHello,\n" in text and "Thank you for letting me take care of" in text
    assert "1. Atlas koni — for Hania" in text and "2. Dzwonek rowerowy — for Kuba" in text
    assert "Karta" not in text and "Kask" not in text  # not delivered
    # Atlas can still go back; Dzwonek's window closed on the 20th.
    assert text.count("The store takes it back until") == 1
    assert f"The store takes it back until {day('2031-01-10')}" in text
    assert "    1 loved: worn every day" in text and "    2 disliked: a size too small" in text
    assert "starts with “Recommendation:”" in text
    assert "Marta Wiśniewska" in text
    logged = _events(delivery_db, "notify.follow-up")
    assert len(logged) == 1 and logged[0]["detail"]["items"] == [
        items.get(delivery_db, "Atlas")["id"],
        items.get(delivery_db, "Dzwonek")["id"],
    ]
    # It keeps fingerprints of its lines, not the words.
    lines = logged[0]["detail"]["lines"]
    assert lines and all(len(line) == 16 for line in lines)
    assert "Atlas" not in json.dumps(logged[0]["detail"])


def test_follow_up_skips_gifts_with_feedback_unless_named(shop, delivery_db):
    _hand_over(shop, "Atlas", "Dzwonek")
    shop("item", "feedback", "Atlas", "--loved")
    text = shop("notify", JOB, "follow-up").stdout
    assert "Subject: How was the gift received? Gwiazdka 2030" in text
    assert "Atlas" not in text and "2. Dzwonek rowerowy" in text
    assert "I hope the gift brought joy. How was it received?" in text
    again = shop("notify", JOB, "follow-up", "--item", "Atlas").stdout
    assert "1. Atlas koni" in again
    shop("item", "feedback", "Dzwonek", "--liked")
    refused(shop, "notify", JOB, "follow-up", says="no delivered gift awaits", code=3)
    refused(
        shop,
        *("notify", JOB, "follow-up", "--item", "Karta"),
        says="a follow-up notice names items that are delivered",
        code=2,
    )


def test_follow_up_as_an_email_draft(shop, delivery_db):
    _hand_over(shop, "Atlas")
    data = shop.runner.invoke(
        __import__("shopcli.cli.app", fromlist=["app"]).app,
        ["notify", JOB, "follow-up", "--format", "eml"],
    ).stdout_bytes
    message = email.message_from_bytes(data, policy=policy.default)
    assert message["To"].addresses[0].addr_spec == "ewa@example.pl"
    assert str(message["Subject"]) == "How was the gift received? Gwiazdka 2030"
    body = message.get_body(("plain",)).get_content()
    assert "1. Atlas koni — for Hania" in body and "1 loved: worn every day" in body
    markup = message.get_body(("html",)).get_content()
    assert '<html lang="en">' in markup and "Atlas koni" in markup


# -- the client's answer -------------------------------------------------------------------

REPLY = """Hi Marta,

1 loved: reads it every night
2. disliked - too loud
Recommendation: Marta found exactly the right things, quickly.

Thanks!
Ewa

On Mon, 28 Dec 2030 at 10:00, Marta Wiśniewska <marta@example.pl> wrote:
> 1. Atlas koni — for Hania
"""


def test_the_answer_is_recorded_whole_with_the_recommendation(shop, delivery_db, tmp_path):
    _hand_over(shop, "Atlas", "Dzwonek")
    shop("notify", JOB, "follow-up")
    path = tmp_path / "reply.txt"
    path.write_text(REPLY)
    dry = shop("feedback", JOB, "--reply", str(path), "--dry-run").stdout
    assert "line 3: 1 Atlas koni (for Hania) loved: reads it every night" in dry
    assert "line 4: 2 Dzwonek rowerowy (for Kuba) disliked: too loud" in dry
    assert "Dry run: nothing was recorded." in dry
    assert _feedback_rows(delivery_db) == []
    out = shop("feedback", JOB, "--reply", str(path), "--on", "2030-12-29").stdout
    assert "Recorded: 1 loved, 1 disliked; the recommendation is kept with the client." in out
    # The greeting is skipped as prose; the sign-off and name below it are the signature.
    assert "Skipped (prose): line 1 'Hi Marta,'" in out and "'Ewa'" not in out
    assert _feedback_rows(delivery_db) == [
        (1, "loved", "reads it every night", "reply", "2030-12-29"),
        (2, "disliked", "too loud", "reply", "2030-12-29"),
    ]
    client = delivery_db.one("SELECT * FROM clients")
    assert client["recommendation"] == "Marta found exactly the right things, quickly."
    assert client["recommendation_on"] == "2030-12-29"
    assert len(_events(delivery_db, "feedback.reply")) == 1
    assert shop.json("client", "show", "Ewa")["recommendation"] == {
        "text": "Marta found exactly the right things, quickly.",
        "on": "2030-12-29",
    }


def test_answers_on_one_line_separated_by_a_comma_are_recorded(shop, delivery_db):
    """ "1 loved, 2 disliked" as a proposal's "1 approve, 2 reject": two answers."""
    _hand_over(shop, "Atlas", "Dzwonek")
    reply = "Hi Marta,\n1 loved, 2 disliked: too loud\nEwa\n"
    out = shop("feedback", JOB, "--reply", "-", "--on", "2030-12-29", input=reply).stdout
    assert "Recorded: 1 loved, 1 disliked" in out
    assert _feedback_rows(delivery_db) == [
        (1, "loved", None, "reply", "2030-12-29"),
        (2, "disliked", "too loud", "reply", "2030-12-29"),
    ]


@pytest.mark.parametrize(
    ("answer", "says", "code"),
    [
        ("1 loved\n2 liked it a lot", "line 2 ('2 liked it a lot'): cannot read 'a lot'", 2),
        ("1 loved\nWe loved it all", "line 2 ('We loved it all'): it mentions 'loved'", 2),
        ("1 loved\n3 liked", "line 2 ('3 liked'): item 1/3 is approved", 2),
        ("1 loved\n9 liked", "line 2 ('9 liked'): job #1 has no item number 9", 2),
        ("1 loved\n1 disliked", "item 1 is answered twice", 2),
        ("Thanks, all fine!", "the reply holds no answers", 2),
        ("1 loved: paid with 4111 1111 1111 1111", "card", 2),
    ],
)
def test_an_answer_not_understood_records_nothing(shop, delivery_db, answer, says, code):
    _hand_over(shop, "Atlas", "Dzwonek")
    result = refused(shop, "feedback", JOB, "--reply", "-", input=answer, says=says, code=code)
    assert "(nothing of the reply was recorded)" in result.stderr
    assert "4111" not in result.stderr


def test_lines_copied_from_the_follow_up_are_not_misread(shop, delivery_db):
    _hand_over(shop, "Atlas", "Dzwonek")
    sent = shop("notify", JOB, "follow-up").stdout
    # A mail program that quotes without ">" (the sent text pasted below the answer).
    answer = "2 liked\n\n" + sent
    out = shop("feedback", JOB, "--reply", "-", input=answer).stdout
    assert "Skipped (repeated from the follow-up)" in out and "'1 loved: worn every day'" in out
    assert _feedback_rows(delivery_db)[0][:2] == (2, "liked")
    assert len(_feedback_rows(delivery_db)) == 1


def test_the_answer_from_a_saved_email(shop, delivery_db, tmp_path):
    from email.message import EmailMessage

    _hand_over(shop, "Atlas")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "ewa@example.pl", "marta@example.pl", "Re"
    message.set_content("Dzień dobry,\n1 bardzo się podoba: czyta co wieczór\n", charset="utf-8")
    message.add_alternative("<p>1 bardzo się podoba</p>", subtype="html")
    path = tmp_path / "answer.eml"
    path.write_bytes(bytes(message))
    shop("client", "edit", "Ewa", "--language", "pl")
    shop("feedback", JOB, "--reply", str(path))
    assert _feedback_rows(delivery_db)[0][:3] == (1, "loved", "czyta co wieczór")
    html_only = tmp_path / "html.eml"
    # A message with only an HTML part is read as its text, as a proposal's answer is.
    html_only.write_bytes(b"From: ewa@example.pl\nContent-Type: text/html\n\n<p>1 liked</p>\n")
    shop("feedback", JOB, "--reply", str(html_only))
    assert [row[1] for row in _feedback_rows(delivery_db)] == ["loved", "liked"]


# -- history, warnings, last time ----------------------------------------------------------


def _christmas_with_feedback(shop, delivery_db):
    shop("item", "edit", "Atlas", "--return-by", "2031-01-10")
    _hand_over(shop, "Atlas", "Dzwonek")
    shop(
        "item",
        "feedback",
        "Atlas",
        "--disliked",
        "--note",
        "too many pictures",
        "--on",
        "2031-01-02",
    )
    shop("item", "feedback", "Dzwonek", "--loved", "--on", "2031-01-02")


def test_recipient_show_lists_past_gifts_with_dates_prices_and_feedback(shop, delivery_db):
    _christmas_with_feedback(shop, delivery_db)
    data = shop.json("recipient", "show", "Hania")
    assert [
        (g["title"], g["on"], g["price"], g["currency"], g["job"], g["feedback"]["verdict"])
        for g in data["gifts"]
    ] == [("Atlas koni", "2030-12-18", "120", "PLN", "Gwiazdka 2030", "disliked")]
    assert data["gifts"][0]["feedback"]["note"] == "too many pictures"
    assert data["gifts"][0]["return_by"] == "2031-01-10"
    kuba = shop.json("recipient", "show", "Kuba")["gifts"]
    assert [(g["title"], g["qty"], g["total"]) for g in kuba] == [("Dzwonek rowerowy", 2, "70")]
    text = shop("recipient", "show", "Hania").stdout
    assert "2030-12-18  Atlas koni (Księgarnia), 120.00 PLN — Gwiazdka 2030" in text
    assert "disliked: too many pictures" in text
    assert "Gifts:" not in shop("recipient", "add", "Ewa", "Ola").stdout
    assert "Gifts:" not in shop("recipient", "show", "Ola").stdout


def test_a_similar_item_for_that_recipient_warns_on_stderr(shop, delivery_db):
    _christmas_with_feedback(shop, delivery_db)
    shop("job", "add", "Ewa", "Urodziny 2031")
    same_store = shop("item", "add", "Urodziny", "Słownik", "--for", "Hania", "--price", "40",
                      "--store", "księgarnia")  # fmt: skip
    assert "Warning: Hania disliked 'Atlas koni' (Gwiazdka 2030, 2030-12-18): too many " in (
        same_store.stderr
    )
    assert "the same store (Księgarnia)" in same_store.stderr
    assert "Warning" not in same_store.stdout
    shared = shop("item", "add", "Urodziny", "Atlasy ptaków", "--for", "Hania", "--price", "30")
    assert "the word atlas" in shared.stderr  # "Atlasy" and "atlas" share their first letters
    # Nothing alike, or for someone else, or a gift they loved: no warning.
    for args in (
        ("Kredki", "--for", "Hania"),
        ("Atlas gwiazd", "--for", "Kuba"),
        ("Dzwonek", "--for", "Kuba"),
    ):
        quiet = shop("item", "add", "Urodziny", args[0], *args[1:], "--price", "10")
        assert "Warning" not in quiet.stderr, args
    # Giving the item to her later warns too.
    moved = shop("item", "edit", "Atlas gwiazd", "--job", "Urodziny", "--for", "Hania")
    assert "Hania disliked 'Atlas koni'" in moved.stderr


def test_an_items_file_warns_about_rows_like_a_disliked_gift(shop, delivery_db, tmp_path):
    _christmas_with_feedback(shop, delivery_db)
    path = tmp_path / "items.csv"
    path.write_text("title,price,recipient,store\nAtlas ptaków,30,Hania,\nKredki,9,Hania,\n")
    result = shop("import", str(path), "--job", JOB)
    assert "Warning: item 5 Atlas ptaków: Hania disliked 'Atlas koni'" in result.stderr
    assert "Kredki" not in result.stderr
    data = shop.json("import", str(path), "--job", JOB)  # the same rows: nothing new, no warning
    assert data["warnings"] == []


def test_the_next_proposal_shows_last_time_per_recipient(shop, delivery_db):
    _christmas_with_feedback(shop, delivery_db)
    shop("job", "add", "Ewa", "Urodziny 2031")
    shop("item", "add", "Urodziny", "Kredki", "--for", "Hania", "--price", "20")
    shop("item", "add", "Urodziny", "Lampka", "--price", "15")
    text = shop("propose", "Urodziny").stdout
    assert "Last time (Gwiazdka 2030): Atlas koni — did not like it: too many pictures" in text
    assert text.index("For Hania") < text.index("Last time") < text.index("1. Kredki")
    assert text.count("Last time") == 1  # Kuba has no item here; "Other items" have no one
    page = shop("propose", "Urodziny", "--format", "html").stdout
    assert "Last time (Gwiazdka 2030):" in page and "did not like it" in page
    # The first job knows no "last time"; a verdict given later makes no new version.
    assert "Last time" not in shop("propose", JOB, "--preview").stdout
    shop("item", "feedback", "Atlas", "--liked", "--note", "<b>loves</b> it now")
    shown = shop("propose", "Urodziny").stdout
    assert "Atlas koni — liked it: <b>loves</b> it now" in shown
    assert "version 2" not in shown
    assert "&lt;b&gt;loves&lt;/b&gt;" in shop("propose", "Urodziny", "--format", "html").stdout


@pytest.mark.slow
def test_chromium_shows_last_time_escaped_in_the_html_proposal(shop, delivery_db, tmp_path):
    from test_proposal_html_browser import CHROMIUM, FLAGS, Page

    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    import subprocess

    _christmas_with_feedback(shop, delivery_db)
    shop("item", "feedback", "Atlas", "--disliked", "--note", "<script>x()</script> pictures")
    shop("job", "add", "Ewa", "Urodziny 2031")
    shop("item", "add", "Urodziny", "Kredki", "--for", "Hania", "--price", "20")
    page = tmp_path / "proposal.html"
    shop("propose", "Urodziny", "--format", "html", "-o", str(page))
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    text = Page(done.stdout).visible
    assert "Last time (Gwiazdka 2030): Atlas koni — did not like it: <script>x()</script> " in text
    assert text.index("For Hania") < text.index("Last time") < text.index("Kredki")


# -- the agenda ----------------------------------------------------------------------------


def _sections(shop, today: str) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for entry in shop.json("agenda", "--today", today)["entries"]:
        found.setdefault(entry["section"], []).append(entry)
    return found


def test_the_agenda_proposes_the_follow_up_days_after_the_handover(shop, delivery_db):
    _hand_over(shop, "Atlas", "Dzwonek", on="2030-12-18")
    assert "follow_up" not in _sections(shop, "2030-12-27")
    due = _sections(shop, "2030-12-28")["follow_up"]  # the default: 10 days
    assert [(e["job"], e["due"], e["days"], e["detail"]["awaiting"]) for e in due] == [
        ("Gwiazdka 2030", "2030-12-28", 0, 2)
    ]
    assert "follow-up due" in shop("agenda", "--today", "2030-12-30").stdout
    assert "shop notify 1 follow-up" in shop("agenda", "--today", "2030-12-30").stdout
    shop("profile", "set", "followup_days", "3")
    assert _sections(shop, "2030-12-21")["follow_up"][0]["due"] == "2030-12-21"
    refused(shop, "profile", "set", "followup_days", "a week", says="followup_days", code=2)
    # Sent: it leaves the agenda; a later handover brings it back for the new gifts.
    shop("notify", JOB, "follow-up")
    assert "follow_up" not in _sections(shop, "2030-12-30")
    shop("item", "mark", "Karta", "ordered")
    shop("item", "receive", "Karta", "--ok")
    shop("handover", JOB, "--method", "post", "--date", "2030-12-22", "-o", "-")
    assert _sections(shop, "2030-12-25")["follow_up"][0]["detail"]["awaiting"] == 3
    for title in ("Atlas", "Dzwonek", "Karta"):
        shop("item", "feedback", title, "--liked")
    assert "follow_up" not in _sections(shop, "2030-12-25")  # every gift has its verdict


def test_the_agenda_lists_return_windows_closing_within_a_week(shop, delivery_db):
    shop("item", "edit", "Atlas", "--return-by", "2031-01-07")
    shop("item", "edit", "Dzwonek", "--return-by", "2031-01-08")
    _hand_over(shop, "Atlas", "Dzwonek")
    windows = _sections(shop, "2030-12-31").get("return_window", [])
    assert [(e["item"], e["due"], e["days"]) for e in windows] == [("Atlas koni", "2031-01-07", 7)]
    assert (
        "returnable to Księgarnia until 2031-01-07; no feedback yet"
        in shop("agenda", "--today", "2030-12-31").stdout
    )
    later = _sections(shop, "2031-01-07")["return_window"]
    assert [e["item"] for e in later] == ["Atlas koni", "Dzwonek rowerowy"]
    assert [e["item"] for e in _sections(shop, "2031-01-08")["return_window"]] == [
        "Dzwonek rowerowy"
    ]
    assert "return_window" not in _sections(shop, "2031-01-09")  # closed
    # A gift they keep needs no reminder; one they did not like does.
    shop("item", "feedback", "Atlas", "--loved")
    shop("item", "feedback", "Dzwonek", "--disliked")
    windows = _sections(shop, "2031-01-07")["return_window"]
    assert [(e["item"], e["detail"]["verdict"]) for e in windows] == [
        ("Dzwonek rowerowy", "disliked")
    ]


def test_birthday_entries_show_last_gifts_with_their_feedback(shop, delivery_db):
    _christmas_with_feedback(shop, delivery_db)
    entry = _sections(shop, "2031-03-01")["birthday"][0]
    assert entry["recipient"] == "Hania"
    assert entry["detail"]["last_gifts"] == [
        {
            "title": "Atlas koni",
            "on": "2030-12-18",
            "job": "Gwiazdka 2030",
            "verdict": "disliked",
            "note": "too many pictures",
        }
    ]
    text = shop("agenda", "--today", "2031-03-01").stdout
    assert "gifts before this one: Atlas koni (disliked: too" in text  # plain output: 60 chars


# -- references ----------------------------------------------------------------------------


def test_a_client_agrees_to_be_a_reference_with_the_day_and_a_note(shop, delivery_db, monkeypatch):
    monkeypatch.setenv("SHOP_TODAY", "2031-01-05")
    assert "No client has agreed" in shop("client", "list", "--references").stdout
    note = "happy to talk about the wedding gifts"
    out = shop("client", "edit", "Ewa", "--reference", "yes", "--reference-note", note).stdout
    assert "agreed to be a reference on 2031-01-05" in out
    row = delivery_db.one("SELECT * FROM clients")
    assert (row["reference"], row["reference_on"], row["reference_note"]) == (
        "yes",
        "2031-01-05",
        note,
    )
    shop("client", "add", "Jan Nowak", "--email", "jan@example.pl")
    listed = shop.json("client", "list", "--references")
    assert [(c["name"], c["email"], c["agreed_on"], c["note"], c["jobs"]) for c in listed] == [
        ("Ewa Zielińska", "ewa@example.pl", "2031-01-05", note, 1)
    ]
    text = shop("client", "list", "--references").stdout
    assert "Ewa Zielińska — ewa@example.pl" in text and f"note: {note}" in text
    assert "Jan Nowak" not in text
    assert shop.json("client", "show", "Ewa")["reference"] == {
        "consent": "yes",
        "on": "2031-01-05",
        "note": note,
    }
    # Confirmed again later: the day consent was given stays.
    monkeypatch.setenv("SHOP_TODAY", "2031-02-01")
    shop("client", "edit", "Ewa", "--reference", "yes")
    assert delivery_db.one("SELECT reference_on FROM clients")["reference_on"] == "2031-01-05"
    logged = _events(delivery_db, "client.reference")
    assert [e["detail"]["consent"] for e in logged] == ["yes"]


def test_consent_can_be_withdrawn_and_a_note_needs_it(shop, delivery_db, monkeypatch):
    monkeypatch.setenv("SHOP_TODAY", "2031-01-05")
    refused(
        shop,
        *("client", "edit", "Ewa", "--reference-note", "ask about books"),
        says="has not agreed to be a reference; record that first with --reference yes",
        code=4,
    )
    refused(shop, "client", "edit", "Ewa", "--reference", "maybe", says="--reference takes", code=2)
    refused(
        shop,
        *("client", "edit", "Ewa", "--phone", "+48 600 100 200", "--reference", "maybe"),
        says="--reference takes",
        code=2,
    )  # the phone is not changed either: all or nothing
    shop("client", "edit", "Ewa", "--reference", "yes", "--reference-note", "ask about books")
    monkeypatch.setenv("SHOP_TODAY", "2031-03-01")
    out = shop("client", "edit", "Ewa", "--reference", "no").stdout
    assert "no longer a reference (since 2031-03-01)" in out
    row = delivery_db.one("SELECT * FROM clients")
    assert (row["reference"], row["reference_on"], row["reference_note"]) == (
        "no",
        "2031-03-01",
        None,
    )
    assert shop.json("client", "list", "--references") == []
    assert "no (withdrawn on 2031-03-01)" in shop("client", "show", "Ewa").stdout


def test_forgetting_a_client_erases_consent_note_recommendation_and_verdict_notes(
    shop, delivery_db
):
    _hand_over(shop, "Atlas")
    shop("feedback", JOB, "--reply", "-", input="1 loved: Hania reads it\nRecommendation: great")
    shop("client", "edit", "Ewa", "--reference", "yes", "--reference-note", "weddings")
    shop("client", "forget", "Ewa", "--yes")
    row = delivery_db.one("SELECT * FROM clients")
    assert [row[k] for k in ("reference", "reference_on", "reference_note")] == [None] * 3
    assert [row[k] for k in ("recommendation", "recommendation_on")] == [None] * 2
    assert delivery_db.one("SELECT verdict, note FROM feedback") == {
        "verdict": "loved",
        "note": None,
    }
    assert shop.json("client", "list", "--references") == []
    dump = "\n".join(snapshot())
    assert "weddings" not in dump and "Hania reads it" not in dump and "great" not in dump


def test_an_export_carries_verdicts_deadlines_and_consent_into_a_new_home(
    shop, delivery_db, tmp_path, monkeypatch
):
    _christmas_with_feedback(shop, delivery_db)
    shop("client", "edit", "Ewa", "--reference", "yes", "--recommendation", "Brilliant")
    first = tmp_path / "shop.json"
    shop("export", "-o", str(first))
    monkeypatch.setenv("SHOP_HOME", str(tmp_path / "elsewhere"))
    shop("import", str(first))
    again = json.loads(shop("export").stdout)
    original = json.loads(first.read_text())
    assert again["tables"] == original["tables"]
    assert [(f["verdict"], f["note"]) for f in again["tables"]["feedback"]] == [
        ("disliked", "too many pictures"),
        ("loved", None),
    ]
    gifts = shop.json("recipient", "show", "Hania")["gifts"]
    assert [(g["return_by"], g["feedback"]["verdict"]) for g in gifts] == [
        ("2031-01-10", "disliked")
    ]
    assert [c["recommendation"]["text"] for c in shop.json("client", "list", "--references")] == [
        "Brilliant"
    ]


# -- the demo ------------------------------------------------------------------------------


@pytest.mark.slow
def test_demo_ends_with_a_follow_up_and_feedback_in_the_next_proposal(shop, tmp_path):
    import os

    from shopcli.documents.i18n import translations

    folder = tmp_path / "demo"
    out = shop("demo", "--keep", str(folder)).stdout
    finnish = translations("fi").gettext
    follow_up = (folder / "follow_up.txt").read_text(encoding="utf-8")
    asked = finnish("How were the gifts received? %(job)s") % {"job": "Christmas 2026"}
    assert follow_up.splitlines()[0].endswith(asked) and asked in out
    assert "1. Merino wool scarf" in follow_up and "3. Space shuttle building set" in follow_up
    later = (folder / "proposal_birthday.txt").read_text(encoding="utf-8")
    last = finnish("Last time (%(job)s)") % {"job": "Christmas 2026"}
    assert f"{last}: Merino wool scarf — {finnish('loved it')}: Liisa käyttää huivia" in later
    assert later.strip() in out
    os.environ["SHOP_HOME"] = str(folder)
    gifts = shop.json("recipient", "show", "Liisa")["gifts"]
    assert [(g["title"], g["feedback"]["verdict"], g["feedback"]["source"]) for g in gifts] == [
        ("Merino wool scarf", "loved", "reply")
    ]
    assert [c["name"] for c in shop.json("client", "list", "--references")] == ["Anna Virtanen"]
