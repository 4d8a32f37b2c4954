"""`shop handover` and `shop labels`: delivery marked, the note and labels rendered and logged."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from delivery_data import refused
from expect import day
from shopcli.work import items

JOB = "Gwiazdka"
CODE = "PREZ-9911-XKCD-7Q4M"


def _receive(shop, *titles: str) -> None:
    for title in titles:
        shop("item", "mark", title, "ordered")
        shop("item", "receive", title, "--ok")


def test_handover_marks_received_items_delivered_and_renders_the_note(shop, delivery_db, home):
    _receive(shop, "Atlas", "Dzwonek")
    target = home / "handover.txt"
    shop(
        "handover",
        JOB,
        "--method",
        "courier",
        "--date",
        "2030-12-18",
        "--place",
        "ul. Polna 3, Kraków",
        "-o",
        str(target),
    )
    note = target.read_text()
    assert "HANDOVER NOTE" in note and "Gwiazdka 2030" in note and "Ewa Zielińska" in note
    assert day("2030-12-18") in note and "by courier" in note and "ul. Polna 3, Kraków" in note
    assert note.index("For Hania") < note.index("1. Atlas koni") < note.index("For Kuba")
    assert "2. Dzwonek rowerowy × 2" in note
    assert "Karta" not in note and "Kask" not in note
    assert "Marta Wiśniewska, Prezenty od Marty" in note
    for title in ("Atlas", "Dzwonek"):
        row = items.get(delivery_db, title)
        assert (row["status"], row["delivered_on"]) == ("delivered", "2030-12-18")
    handover = delivery_db.one("SELECT * FROM handovers")
    assert (handover["state"], handover["method"], handover["handed_on"]) == (
        "done",
        "courier",
        "2030-12-18",
    )
    assert delivery_db.scalar("SELECT count(*) FROM handover_items") == 2
    kinds = {row["kind"] for row in delivery_db.query("SELECT kind FROM events")}
    assert {"handover.done", "document.handover"} <= kinds
    note = delivery_db.one("SELECT * FROM events WHERE kind = 'document.handover'")
    assert note["summary"] == "handover note rendered as text"
    assert json.loads(note["detail"])["format"] == "text"
    # Nothing is left to hand over now.
    refused(shop, "handover", JOB, "--method", "pickup", says="no received items", code=3)


def test_handover_of_named_items_only(shop, delivery_db):
    _receive(shop, "Atlas", "Dzwonek")
    text = shop(
        "handover", JOB, "--method", "pickup", "--date", "2030-12-18", "--item", "Dzwonek"
    ).stdout
    assert "Dzwonek" in text and "Atlas" not in text
    assert items.get(delivery_db, "Atlas")["status"] == "received"
    failed = refused(
        shop,
        *("handover", JOB, "--method", "pickup", "--item", "Karta"),
        says="item 1/3 is approved",
        code=4,
    )
    assert "Karta" not in failed.stderr  # named by id, never by its title


def test_handover_refuses_bad_input_and_keeps_everything(shop, delivery_db):
    _receive(shop, "Atlas")
    refused(
        shop,
        *("handover", JOB, "--method", "drone"),
        says="handover method must be one of pickup, courier, post, digital",
        code=2,
    )
    refused(
        shop,
        *("handover", JOB, "--method", "pickup", "--date", "18/12/2030"),
        says="handover date must be a date written YYYY-MM-DD, e.g. 2026-12-24",
        code=2,
    )
    assert items.get(delivery_db, "Atlas")["status"] == "received"
    assert delivery_db.scalar("SELECT count(*) FROM handovers") == 0


def test_a_broken_note_template_leaves_nothing_half_done(shop, delivery_db, home):
    _receive(shop, "Atlas")
    (home / "templates").mkdir()
    (home / "templates" / "handover.txt").write_text("{{ no_such_thing }}\n")
    refused(
        shop, "handover", JOB, "--method", "pickup", "--date", "2030-12-18", says="handover.txt"
    )
    assert items.get(delivery_db, "Atlas")["status"] == "received"
    assert delivery_db.scalar("SELECT count(*) FROM handovers") == 0


def test_digital_handover_masks_codes_unless_revealed(shop, delivery_db):
    shop("item", "mark", "Karta", "ordered")
    shop("item", "mark", "Karta", "delivered", "--code", CODE)
    note = shop("handover", JOB, "--method", "digital", "--date", "2030-12-20").stdout
    assert "3. Karta podarunkowa" in note and "Code: ****-****-****-7Q4M" in note
    assert CODE not in note and "sent separately" in note
    assert delivery_db.scalar("SELECT count(*) FROM handover_items") == 1
    # A second digital handover has nothing left; the code itself is still there.
    refused(shop, "handover", JOB, "--method", "digital", says="nothing to hand over", code=3)
    assert shop.json("item", "code", "Karta", "--reveal")["code"] == CODE


def test_digital_handover_reveal(shop, delivery_db):
    shop("item", "mark", "Karta", "ordered")
    shop("item", "mark", "Karta", "delivered", "--code", CODE)
    note = shop("handover", JOB, "--method", "digital", "--date", "2030-12-20", "--reveal").stdout
    assert f"Code: {CODE}" in note
    log = " ".join(
        row["summary"] + row["detail"] for row in delivery_db.query("SELECT * FROM events")
    )
    assert CODE not in log


def test_plan_records_day_and_place_only(shop, delivery_db):
    _receive(shop, "Atlas")
    out = shop("handover", JOB, "--plan", "--method", "post", "--date", "2030-12-15").stdout
    assert "shop notify" in out
    assert items.get(delivery_db, "Atlas")["status"] == "received"
    planned = delivery_db.one("SELECT * FROM handovers")
    assert (planned["state"], planned["method"], planned["handed_on"]) == (
        "planned",
        "post",
        "2030-12-15",
    )
    refused(
        shop,
        *("handover", JOB, "--plan", "--method", "post", "--reveal"),
        says="--item and --reveal go with the handover itself, not --plan",
        code=2,
    )


def test_labels_text_per_recipient(shop, delivery_db):
    refused(shop, "labels", JOB, says="no item is ordered, shipped, received or delivered", code=3)
    _receive(shop, "Atlas")
    shop("item", "mark", "Dzwonek", "ordered")
    text = shop("labels", JOB).stdout
    # Signed with the client's whole name: a name is never cut at a space.
    assert "To Hania, from Ewa Zielińska" in text and "To Kuba, from Ewa Zielińska" in text
    assert "[x] 1. Atlas koni" in text
    assert "[ ] 2. Dzwonek rowerowy × 2 (not here yet)" in text
    assert "Karta" not in text and "Kask" not in text
    text = shop("labels", JOB, "--from", "Mama i Tata").stdout
    assert "To Hania, from Mama i Tata" in text
    logged = delivery_db.query("SELECT * FROM events WHERE kind = 'document.labels'")
    assert len(logged) == 2
    # As every rendered document is logged: what, and in which format; no names.
    assert {row["summary"] for row in logged} == {"gift labels rendered as text"}


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.classes: dict[str, list[str]] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._open.append(dict(attrs).get("class", ""))

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        if self._open and data.strip():
            self.classes.setdefault(self._open[-1], []).append(data.strip())


def test_labels_html_is_printable_and_escaped(shop, delivery_db, home):
    shop("item", "edit", "Atlas", "--title", "Atlas <koni> & kuców")
    _receive(shop, "Atlas")
    target = home / "labels.html"
    shop("labels", JOB, "--format", "html", "-o", str(target))
    page = target.read_text()
    assert "@page" in page and "<script" not in page and "http" not in page.split("<body>")[0]
    assert "Atlas &lt;koni&gt; &amp; kuców" in page
    found = _Collect()
    found.feed(page)
    assert found.classes["for"] == ["To Hania"]
    assert found.classes["from"] == ["From Ewa Zielińska"]
    refused(shop, "labels", JOB, "--format", "pdf", says="labels format must be one of", code=2)
