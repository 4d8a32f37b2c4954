"""`shop item check ITEM --fetch` and `shop item check JOB --fetch --all`: the item's page
read again (a real store page served on 127.0.0.1, changed the way a store changes it) and
recorded exactly as a check by hand with the same findings."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import pytest

from page_server import PAGES, Answer, serving

PENDANT = (PAGES / "jossandmain-pendant.html").read_text()
SINK = (PAGES / "costco-sink.html").read_text()


@pytest.fixture
def pages():
    with serving() as server:
        yield server


def _serve(pages, path: str, text: str) -> str:
    pages.routes[path] = Answer(200, text.encode(), {"Content-Type": "text/html; charset=utf-8"})
    return pages.url(path)


@pytest.fixture
def approved(shop, family, store, pages, tmp_path):
    """Two items read from their pages and approved by the client, and one without a link."""
    shop("rate", "set", "USD", "PLN", "4.00")
    shop("budget", "set", "Imieniny", "Zosia", "2000")
    lamp = _serve(pages, "/lamp", PENDANT)
    sink = _serve(pages, "/sink", SINK)
    shop("item", "add", "Imieniny", "--from-url", lamp, "--url", lamp, "--for", "Zosia")
    shop("item", "add", "Imieniny", "--from-url", sink, "--url", sink, "--for", "Zosia")
    shop("item", "add", "Imieniny", "Bookmark", "--price", "15", "--for", "Zosia")
    shop("propose", "Imieniny", "-o", str(tmp_path / "proposal.txt"))
    shop("approve", "Imieniny", "1", "2", "3")
    return store


def _row(store, number: int) -> dict:
    return store.one("SELECT * FROM items WHERE number = ?", [number])


def _checks(store, number: int) -> list[dict]:
    return store.query(
        "SELECT c.* FROM item_checks c JOIN items i ON i.id = c.item_id WHERE i.number = ? "
        "ORDER BY c.id",
        [number],
    )


def test_an_unchanged_page_matches(shop, approved, pages) -> None:
    done = shop("item", "check", "#1", "--job", "Imieniny", "--fetch")
    assert "everything matched" in done.stdout
    check = _checks(approved, 1)[-1]
    assert (check["matched"], check["source"], check["new_price"]) == (1, "page", None)
    assert check["page_title"] == "Duprey 4-Light Lantern Pendant"
    assert _row(approved, 1)["status"] == "approved"


def test_a_new_price_on_the_page_needs_the_client(shop, approved, pages) -> None:
    _serve(pages, "/lamp", PENDANT.replace('"price":98.99', '"price":104.50'))
    done = shop("item", "check", "#1", "--job", "Imieniny", "--fetch")
    assert "98.99 USD → 104.50 USD" in done.stdout and "shop approve" in done.stdout
    row = _row(approved, 1)
    assert (row["status"], Decimal(row["price"])) == ("needs_client", Decimal("104.50"))
    check = _checks(approved, 1)[-1]
    assert (check["matched"], check["old_price"], check["new_price"]) == (0, "98.99", "104.5")


def test_sold_out_and_renamed_are_mismatches(shop, approved, pages) -> None:
    _serve(
        pages,
        "/sink",
        SINK.replace('content="instock"', 'content="oos"').replace(
            'og:title" content="AFA Stainless 33-inch', 'og:title" content="AFA Steel 30-inch'
        ),
    )
    done = shop("item", "check", "#2", "--job", "Imieniny", "--fetch")
    assert "not available" in done.stdout and "name on the page changed" in done.stdout
    row = _row(approved, 2)
    assert row["status"] == "needs_client"
    assert row["page_title"].startswith("AFA Steel 30-inch")
    check = _checks(approved, 2)[-1]
    assert (check["unavailable"], check["matched"]) == (1, 0)


def test_a_price_in_another_currency_is_recorded_with_it(shop, approved, pages) -> None:
    shop("rate", "set", "EUR", "PLN", "4.30")
    _serve(pages, "/sink", SINK.replace('content="USD"', 'content="EUR"'))
    shop("item", "check", "#2", "--job", "Imieniny", "--fetch")
    row = _row(approved, 2)
    assert (row["currency"], row["status"]) == ("EUR", "needs_client")
    check = _checks(approved, 2)[-1]
    assert (check["currency"], check["new_currency"], check["new_price"]) == (
        "USD",
        "EUR",
        "329.99",
    )


def test_a_fetched_check_is_recorded_as_the_same_check_by_hand(
    shop, approved, pages, tmp_path
) -> None:
    """Item 1 is checked from its page, item 2 by hand with the same findings (its twin
    values): the item, its status and the check row come out the same."""
    # Make the two items twins in price first (by hand, then approved again).
    shop("item", "edit", "#2", "--job", "Imieniny", "--price", "98.99")
    shop("propose", "Imieniny", "-o", str(tmp_path / "proposal-2.txt"))
    shop("approve", "Imieniny", "2")
    _serve(
        pages,
        "/lamp",
        PENDANT.replace('"price":98.99', '"price":120').replace("InStock", "OutOfStock"),
    )
    shop("item", "check", "#1", "--job", "Imieniny", "--fetch")
    shop("item", "check", "#2", "--job", "Imieniny", "--price", "120", "--unavailable")
    fetched, by_hand = _checks(approved, 1)[-1], _checks(approved, 2)[-1]
    same = ("matched", "old_price", "new_price", "currency", "unavailable", "over_budget")
    assert {k: fetched[k] for k in same} == {k: by_hand[k] for k in same}
    assert (fetched["source"], by_hand["source"]) == ("page", "manual")
    one, two = _row(approved, 1), _row(approved, 2)
    assert (one["status"], one["price"]) == (two["status"], two["price"])
    kinds = approved.query(
        "SELECT e.kind, i.number FROM events e JOIN items i ON i.id = e.item_id "
        "WHERE e.kind LIKE 'item.%' ORDER BY e.id DESC LIMIT 4"
    )
    assert sorted(k["kind"] for k in kinds) == sorted(["item.checked", "item.needs_client"] * 2)


def test_a_page_that_no_longer_shows_a_price_is_not_guessed(shop, approved, pages) -> None:
    _serve(pages, "/lamp", "<html><head><title>Duprey</title></head></html>")
    failed = shop.fails("item", "check", "#1", "--job", "Imieniny", "--fetch", code=2)
    assert "no price" in failed.stderr and "by hand" in failed.stderr
    assert _checks(approved, 1) == [] and _row(approved, 1)["status"] == "approved"


def test_findings_are_the_pages_not_the_flags(shop, approved) -> None:
    failed = shop.fails(
        "item", "check", "#1", "--job", "Imieniny", "--fetch", "--price", "3", code=2
    )
    assert "leave out --price" in failed.stderr
    failed = shop.fails("item", "check", "#3", "--job", "Imieniny", "--fetch", code=2)
    assert "no link" in failed.stderr


def test_all_approved_items_are_checked_and_summed_up(shop, approved, pages) -> None:
    _serve(pages, "/lamp", PENDANT.replace('"price":98.99', '"price":90'))
    done = shop("item", "check", "Imieniny", "--fetch", "--all")
    out = done.stdout
    assert "Checked 3 approved items of Imieniny 2026: 1 matched, 1 changed, 1 not checked." in out
    assert "no link to check" in out
    assert "\x1b[" not in done.output  # no progress bar when not on a terminal
    assert _row(approved, 1)["status"] == "needs_client"
    assert _row(approved, 2)["status"] == "approved"
    assert len(_checks(approved, 2)) == 1 and _checks(approved, 3) == []
    # The job now has one approved item with a link left: only that one is read.
    pages.requests.clear()
    shop("item", "check", "Imieniny", "--fetch", "--all")
    assert [path for path, _ in pages.requests] == ["/sink"]


def test_all_exits_with_a_problem_when_no_page_could_be_read(shop, approved, pages) -> None:
    from shopcli.core.errors import ExitStatus

    # The store is down: neither page answers, and item 3 has no link.
    pages.routes.clear()
    before = approved.scalar("SELECT count(*) FROM item_checks")
    failed = shop.fails("item", "check", "Imieniny", "--fetch", "--all", code=ExitStatus.PROBLEM)
    assert "no item could be checked (items 1, 2, 3 of job #1)" in failed.stderr
    assert "3 not checked" in failed.stdout
    assert approved.scalar("SELECT count(*) FROM item_checks") == before
    # Some read, some not: it goes on, and says which were not checked.
    _serve(pages, "/lamp", PENDANT)
    done = shop("item", "check", "Imieniny", "--fetch", "--all")
    assert "Warning: not checked: items 2, 3 of job #1" in done.stderr


def test_all_needs_fetch(shop, approved) -> None:
    failed = shop.fails("item", "check", "Imieniny", "--all", code=2)
    assert "--fetch" in failed.stderr


@pytest.mark.slow
def test_the_progress_bar_shows_on_a_terminal_only(shop, approved, home) -> None:
    """Run for real with stderr on a pseudo-terminal: the bar is drawn there (and cleared);
    stdout, a pipe, holds only the summary."""
    import pty

    leader, follower = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "shopcli", "item", "check", "Imieniny", "--fetch", "--all"],
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "SHOP_HOME": str(home), "TERM": "xterm", "COLUMNS": "100"},
        timeout=60,
    )
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    assert done.returncode == 0
    assert b"Reading pages" in drawn
    assert b"Reading pages" not in done.stdout and b"\x1b[" not in done.stdout
    assert b"Checked 3 approved items" in done.stdout
