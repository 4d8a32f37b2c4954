"""`shop item add --from-url/--from-page`: items read from real store pages served on
127.0.0.1 by the test (tests/pages/SOURCES.md says where each page comes from)."""

from __future__ import annotations

import os
import socket
from decimal import Decimal
from pathlib import Path

import pytest

from page_server import PAGES, Answer, serving


@pytest.fixture
def pages():
    with serving() as server:
        yield server


def _item(store, number: int = 1) -> dict:
    return store.one("SELECT * FROM items WHERE number = ?", [number])


# What each saved page publishes (read off the page files themselves), and where.
REAL_PAGES = [
    pytest.param(
        "costco-sink.html",
        {
            "title": "AFA Stainless 33-inch Sink and Semi Pro Faucet Combo",
            "price": "329.99",
            "currency": "USD",
            "store": "Costco Wholesale",
            "url": "https://www.costco.com/afa-stainless-33-inch-sink-and-semi-pro-faucet-combo"
            ".product.100432602.html",
            "image_url": "https://images.costco-static.com/ImageDelivery/imageService"
            "?profileId=12026540&imageId=100432602-847__1&recipeName=350",
        },
        {"price": "OpenGraph", "url": "canonical link", "availability": "OpenGraph"},
        id="costco-opengraph",
    ),
    pytest.param(
        "jossandmain-pendant.html",
        {
            "title": "Duprey 4-Light Lantern Pendant",
            "price": "98.99",
            "currency": "USD",
            "store": "Joss & Main",
            "url": "https://www.jossandmain.com/lighting/pdx/duprey-4-light-lantern-pendant"
            "-j001109161.html",
            "image_url": "https://secure.img1-ag.wfcdn.com/im/22215383/compr-r85/8288/82883305/"
            "duprey-4-light-lantern-pendant.jpg",
        },
        {"price": "schema.org JSON-LD", "title": "schema.org JSON-LD", "store": "OpenGraph"},
        id="jossandmain-jsonld",
    ),
    pytest.param(
        "spinneys-feta.html",
        {
            "title": "Mevgal Bio Feta Cheese 200g | Chilled & Deli | Spinneys Lebanon",
            "price": "139999",
            "currency": "LBP",
            "url": "https://www.spinneyslebanon.com/mevgal-bio-feta-cheese-200g.html",
            "store": "spinneyslebanon.com",
        },
        {"price": "Twitter card", "store": "the link's web address"},
        id="spinneys-twitter-card-lbp",
    ),
    pytest.param(
        "anvil-microdata.html",
        {
            "title": "Executive Anvil",
            "price": "119.99",
            "currency": "USD",
            "store": "Executive Objects",
            "image_url": "{base}/p/anvil_executive.jpg",
        },
        {"price": "schema.org microdata", "availability": "schema.org microdata"},
        id="anvil-microdata",
    ),
]


@pytest.mark.parametrize(("fixture", "expected", "sources"), REAL_PAGES)
def test_an_item_is_read_from_a_real_store_page(
    shop, family, store, pages, fixture, expected, sources
) -> None:
    link = pages.page("/p/product", fixture)
    done = shop("item", "add", "Imieniny", "--from-url", link, "--for", "Zosia")
    item = _item(store)
    for name, value in expected.items():
        value = value.replace("{base}", pages.base)
        if name == "price":
            assert Decimal(item["price"]) == Decimal(value)
        else:
            assert item[name] == value, name
    assert item["page_title"] == expected["title"]
    # The shopper is told what was read and from which part of the page.
    lines = {line.split()[0]: line for line in done.stdout.splitlines() if line.startswith("  ")}
    for name, source in sources.items():
        label = {"url": "link", "image_url": "picture"}.get(name, name)
        assert f"({source})" in lines[label], (label, done.stdout)
    assert pages.requests[0][0] == "/p/product"
    recipient = store.one("SELECT name FROM recipients WHERE id = ?", [item["recipient_id"]])
    assert recipient["name"] == "Zosia"


def test_the_request_is_a_plain_get_with_no_cookies(shop, family, store, pages) -> None:
    """A store that sets a cookie on the way (a redirect) gets none back."""
    target = pages.page("/product", "costco-sink.html")
    pages.routes["/start"] = Answer(
        302, b"", {"Location": target, "Set-Cookie": "session=secret123; Path=/"}
    )
    shop("item", "add", "Imieniny", "--from-url", pages.url("/start"))
    assert [path for path, _ in pages.requests] == ["/start", "/product"]
    for _path, headers in pages.requests:
        assert not any(name.lower() == "cookie" for name in headers)
        assert not any(name.lower() == "authorization" for name in headers)
    assert _item(store)["price"] == "329.99"


def test_command_line_values_win_over_the_page(shop, family, store, pages) -> None:
    link = pages.page("/p", "jossandmain-pendant.html")
    done = shop(
        "item",
        "add",
        "Imieniny",
        "Lantern for the hall",
        "--from-url",
        link,
        "--price",
        "89,50",
        "--store",
        "Wayfair",
        "--image",
        "https://img.example/lantern.png",
    )
    item = _item(store)
    assert item["title"] == "Lantern for the hall"
    assert Decimal(item["price"]) == Decimal("89.50")
    assert item["currency"] == "USD"  # not given: the page's
    assert item["store"] == "Wayfair"
    assert item["image_url"] == "https://img.example/lantern.png"
    assert item["page_title"] == "Duprey 4-Light Lantern Pendant"
    assert "the page says 98.99" in done.stdout
    assert "the page says Joss & Main" in done.stdout


def test_a_saved_page_is_read_from_a_file(shop, family, store, tmp_path: Path) -> None:
    saved = tmp_path / "Duprey pendant.html"
    saved.write_bytes((PAGES / "jossandmain-pendant.html").read_bytes())
    shop("item", "add", "Imieniny", "--from-page", str(saved), "--for", "Piotr")
    item = _item(store)
    assert item["title"] == "Duprey 4-Light Lantern Pendant"
    assert item["url"].startswith("https://www.jossandmain.com/")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("kind", ["device", "pipe", "folder"])
def test_a_saved_page_must_be_a_file(family, store, home, tmp_path: Path, kind: str) -> None:
    """/dev/zero never ends and a pipe waits for a writer: both are refused before they are
    read. Run as a program with a memory cap, so that a regression fails, not the machine."""
    import resource
    import subprocess
    import sys

    target = {"device": Path("/dev/zero"), "pipe": tmp_path / "page.pipe", "folder": tmp_path}[kind]
    if kind == "pipe":
        os.mkfifo(target)

    def capped() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run(
        [sys.executable, "-m", "shopcli", "item", "add", "Imieniny", "--from-page", str(target)],
        capture_output=True,
        text=True,
        env={**os.environ, "SHOP_HOME": str(home)},
        preexec_fn=capped,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    said = {"device": "not a regular file", "pipe": "not a regular file", "folder": "a folder"}
    assert f"cannot read the saved page: {target} is {said[kind]}" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert store.scalar("SELECT count(*) FROM items") == 0


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "is a PDF, not an HTML page"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is binary data, not an HTML page"),
        (b"Duprey pendant 98.99 USD\n", "is text without any HTML, not an HTML page"),
    ],
    ids=["pdf", "picture", "text"],
)
def test_a_saved_file_that_is_no_web_page_says_so(shop, family, store, tmp_path, content, says):
    saved = tmp_path / "page.html"
    saved.write_bytes(content)
    failed = shop.fails("item", "add", "Imieniny", "--from-page", str(saved), code=2)
    assert says in failed.stderr and "Save page as" in failed.stderr
    assert store.scalar("SELECT count(*) FROM items") == 0


def test_a_page_without_a_price_asks_for_one(shop, family, store, pages) -> None:
    # A real page with OpenGraph tags but no price (extruct's sample of an article page).
    link = pages.html(
        "/article",
        '<html><head><meta property="og:title" content="Hand-knitted mittens"/>'
        '<meta property="og:site_name" content="Village Crafts"/></head><body></body></html>',
    )
    failed = shop.fails("item", "add", "Imieniny", "--from-url", link, code=2)
    assert "no price" in failed.stderr and "--price" in failed.stderr
    assert store.scalar("SELECT count(*) FROM items") == 0
    shop("item", "add", "Imieniny", "--from-url", link, "--price", "35", "--currency", "EUR")
    item = _item(store)
    assert (item["title"], item["store"], item["price"]) == (
        "Hand-knitted mittens",
        "Village Crafts",
        "35",
    )


def test_a_page_price_without_a_currency_is_not_guessed(shop, family, store, pages) -> None:
    link = pages.html(
        "/dollars",
        '<html><head><title>Lamp</title><meta property="product:price:amount" '
        'content="$45.00"/></head></html>',
    )
    failed = shop.fails("item", "add", "Imieniny", "--from-url", link, code=2)
    assert "--currency" in failed.stderr
    shop("item", "add", "Imieniny", "--from-url", link, "--currency", "CAD")
    assert (_item(store)["price"], _item(store)["currency"]) == ("45", "CAD")


def test_redirects_are_followed_in_one_short_chain(shop, family, store, pages) -> None:
    target = pages.page("/final", "costco-sink.html")
    pages.redirect("/b", target, 301)
    pages.redirect("/a", pages.url("/b"))
    shop("item", "add", "Imieniny", "--from-url", pages.url("/a"))
    assert [p for p, _ in pages.requests] == ["/a", "/b", "/final"]
    for n in range(8):
        pages.redirect(f"/loop{n}", pages.url(f"/loop{n + 1}"))
    failed = shop.fails("item", "add", "Imieniny", "--from-url", pages.url("/loop0"))
    assert "redirect" in failed.stderr
    assert store.scalar("SELECT count(*) FROM items") == 1


@pytest.mark.parametrize(
    "link", ["file:///etc/passwd", "ftp://example.com/x.html", "javascript:alert(1)", "shop"]
)
def test_only_web_links_are_read(shop, family, store, link) -> None:
    failed = shop.fails("item", "add", "Imieniny", "--from-url", link, code=2)
    assert "http" in failed.stderr


def test_a_redirect_to_a_file_is_refused(shop, family, store, pages) -> None:
    pages.redirect("/sneaky", "file:///etc/passwd")
    failed = shop.fails("item", "add", "Imieniny", "--from-url", pages.url("/sneaky"))
    assert "to http and https only" in failed.stderr
    assert "root:" not in failed.output


def test_network_failures_are_one_clear_line(shop, family, store, pages, monkeypatch) -> None:
    failed = shop.fails("item", "add", "Imieniny", "--from-url", pages.url("/gone"))
    assert "404" in failed.stderr and "check the link" in failed.stderr
    pages.routes["/blocked"] = Answer(403, b"denied", {"Content-Type": "text/html"})
    failed = shop.fails("item", "add", "Imieniny", "--from-url", pages.url("/blocked"))
    assert "--from-page" in failed.stderr
    pages.routes["/pdf"] = Answer(200, b"%PDF-1.4", {"Content-Type": "application/pdf"})
    failed = shop.fails("item", "add", "Imieniny", "--from-url", pages.url("/pdf"))
    assert "not a web page" in failed.stderr
    # Nothing listens on a port that was just closed: the connection is refused.
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    closed = probe.getsockname()[1]
    probe.close()
    failed = shop.fails("item", "add", "Imieniny", "--from-url", f"http://127.0.0.1:{closed}/")
    assert "refused" in failed.stderr

    def offline(*args, **kwargs):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", offline)
    failed = shop.fails("item", "add", "Imieniny", "--from-url", "https://shop.example/p/1")
    assert "offline" in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1
    assert store.scalar("SELECT count(*) FROM items") == 0


def test_size_and_time_are_capped(shop, family, store, pages, monkeypatch) -> None:
    from shopcli.core import fetch

    monkeypatch.setattr(fetch, "MAX_BYTES", 2000)
    monkeypatch.setattr(fetch, "TIMEOUT_S", 0.5)
    big = pages.page("/big", "jossandmain-pendant.html")  # 8 KB
    failed = shop.fails("item", "add", "Imieniny", "--from-url", big)
    assert "larger than" in failed.stderr and "--from-page" in failed.stderr
    pages.routes["/slow"] = Answer(
        200, (PAGES / "spinneys-feta.html").read_bytes(), {"Content-Type": "text/html"}, 2.0
    )
    failed = shop.fails("item", "add", "Imieniny", "--from-url", pages.url("/slow"))
    assert "did not answer within 0.5 s" in failed.stderr
    assert store.scalar("SELECT count(*) FROM items") == 0


def test_a_page_in_another_encoding_is_read(shop, family, store, pages) -> None:
    """The charset the server declares is honoured (a Polish page in ISO-8859-2)."""
    text = (
        '<html><head><meta property="og:title" content="Szalik wełniany, łososiowy"/>'
        '<meta property="product:price:amount" content="129.00"/>'
        '<meta property="product:price:currency" content="PLN"/></head></html>'
    )
    pages.routes["/pl"] = Answer(
        200, text.encode("iso-8859-2"), {"Content-Type": "text/html; charset=iso-8859-2"}
    )
    shop("item", "add", "Imieniny", "--from-url", pages.url("/pl"))
    assert _item(store)["title"] == "Szalik wełniany, łososiowy"
    assert (_item(store)["price"], _item(store)["currency"]) == ("129", "PLN")
