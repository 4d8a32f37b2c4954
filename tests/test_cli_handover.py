"""`shop handover` and `shop labels`: delivery marked, the note and labels rendered and logged."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

import delivery_data
from shopcli import items

JOB = "Gwiazdka"
CODE = "PREZ-9911-XKCD-7Q4M"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("built") / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHOP_HOME", str(folder))
        delivery_data.build(folder)
    return folder


@pytest.fixture
def data(built, home):
    from shopcli.storage import Store

    delivery_data.copy_into(built, home)
    store = Store(home / "shop.db")
    yield store
    store.close()


def _receive(shop, *titles: str) -> None:
    for title in titles:
        shop("item", "mark", title, "ordered")
        shop("item", "receive", title, "--ok")


def test_handover_marks_received_items_delivered_and_renders_the_note(shop, data, home):
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
    assert "18 Dec 2030" in note and "by courier" in note and "ul. Polna 3, Kraków" in note
    assert note.index("For Hania") < note.index("1. Atlas koni") < note.index("For Kuba")
    assert "2. Dzwonek rowerowy × 2" in note
    assert "Karta" not in note and "Kask" not in note
    assert "Marta Wiśniewska, Prezenty od Marty" in note
    for title in ("Atlas", "Dzwonek"):
        row = items.get(data, title)
        assert (row["status"], row["delivered_on"]) == ("delivered", "2030-12-18")
    handover = data.one("SELECT * FROM handovers")
    assert (handover["state"], handover["method"], handover["handed_on"]) == (
        "done",
        "courier",
        "2030-12-18",
    )
    assert data.scalar("SELECT count(*) FROM handover_items") == 2
    kinds = {row["kind"] for row in data.query("SELECT kind FROM events")}
    assert {"handover.done", "document.handover"} <= kinds
    # Nothing is left to hand over now.
    shop.fails("handover", JOB, "--method", "pickup", code=3)


def test_handover_of_named_items_only(shop, data):
    _receive(shop, "Atlas", "Dzwonek")
    text = shop(
        "handover", JOB, "--method", "pickup", "--date", "2030-12-18", "--item", "Dzwonek"
    ).stdout
    assert "Dzwonek" in text and "Atlas" not in text
    assert items.get(data, "Atlas")["status"] == "received"
    result = shop.fails("handover", JOB, "--method", "pickup", "--item", "Karta", code=4)
    assert "approved" in result.stderr


def test_handover_refuses_bad_input_and_keeps_everything(shop, data):
    _receive(shop, "Atlas")
    shop.fails("handover", JOB, "--method", "drone", code=2)
    shop.fails("handover", JOB, "--method", "pickup", "--date", "18/12/2030", code=2)
    assert items.get(data, "Atlas")["status"] == "received"
    assert data.scalar("SELECT count(*) FROM handovers") == 0


def test_a_broken_note_template_leaves_nothing_half_done(shop, data, home):
    _receive(shop, "Atlas")
    (home / "templates").mkdir()
    (home / "templates" / "handover.txt").write_text("{{ no_such_thing }}\n")
    result = shop.fails("handover", JOB, "--method", "pickup", "--date", "2030-12-18")
    assert "handover.txt" in result.stderr
    assert items.get(data, "Atlas")["status"] == "received"
    assert data.scalar("SELECT count(*) FROM handovers") == 0


def test_digital_handover_masks_codes_unless_revealed(shop, data):
    shop("item", "mark", "Karta", "ordered")
    shop("item", "mark", "Karta", "delivered", "--code", CODE)
    note = shop("handover", JOB, "--method", "digital", "--date", "2030-12-20").stdout
    assert "3. Karta podarunkowa" in note and "Code: ****-****-****-7Q4M" in note
    assert CODE not in note and "sent separately" in note
    assert data.scalar("SELECT count(*) FROM handover_items") == 1
    # A second digital handover has nothing left; the code itself is still there.
    shop.fails("handover", JOB, "--method", "digital")
    assert shop.json("item", "code", "Karta", "--reveal")["code"] == CODE


def test_digital_handover_reveal(shop, data):
    shop("item", "mark", "Karta", "ordered")
    shop("item", "mark", "Karta", "delivered", "--code", CODE)
    note = shop("handover", JOB, "--method", "digital", "--date", "2030-12-20", "--reveal").stdout
    assert f"Code: {CODE}" in note
    log = " ".join(row["summary"] + row["detail"] for row in data.query("SELECT * FROM events"))
    assert CODE not in log


def test_plan_records_day_and_place_only(shop, data):
    _receive(shop, "Atlas")
    out = shop("handover", JOB, "--plan", "--method", "post", "--date", "2030-12-15").stdout
    assert "shop notify" in out
    assert items.get(data, "Atlas")["status"] == "received"
    planned = data.one("SELECT * FROM handovers")
    assert (planned["state"], planned["method"], planned["handed_on"]) == (
        "planned",
        "post",
        "2030-12-15",
    )
    shop.fails("handover", JOB, "--plan", "--method", "post", "--reveal", code=2)


def test_labels_text_per_recipient(shop, data):
    shop.fails("labels", JOB, code=3)  # nothing bought yet
    _receive(shop, "Atlas")
    shop("item", "mark", "Dzwonek", "ordered")
    text = shop("labels", JOB).stdout
    assert "For Hania — from Ewa" in text and "For Kuba — from Ewa" in text
    assert "[x] 1. Atlas koni" in text
    assert "[ ] 2. Dzwonek rowerowy × 2 (not here yet)" in text
    assert "Karta" not in text and "Kask" not in text
    text = shop("labels", JOB, "--from", "Mama i Tata").stdout
    assert "For Hania — from Mama i Tata" in text
    logged = data.query("SELECT * FROM events WHERE kind = 'document.labels'")
    assert len(logged) == 2


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


def test_labels_html_is_printable_and_escaped(shop, data, home):
    shop("item", "edit", "Atlas", "--title", "Atlas <koni> & kuców")
    _receive(shop, "Atlas")
    target = home / "labels.html"
    shop("labels", JOB, "--format", "html", "-o", str(target))
    page = target.read_text()
    assert "@page" in page and "<script" not in page and "http" not in page.split("<body>")[0]
    assert "Atlas &lt;koni&gt; &amp; kuców" in page
    found = _Collect()
    found.feed(page)
    assert found.classes["for"] == ["For Hania"]
    assert found.classes["from"] == ["from Ewa"]
    shop.fails("labels", JOB, "--format", "pdf", code=2)
