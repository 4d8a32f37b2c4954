"""Item pictures: given as a file (kept small in the database) or a web address, shown beside
the item in the HTML proposal, carried inline (cid:) in the .eml; the text is unchanged."""

from __future__ import annotations

import email
import io
import re
from email import policy
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from shopcli.work.pictures import SHOWN_BOX, STORED_BOX
from test_proposal_html_browser import Page, chromium  # noqa: F401 (the browser fixture)

GMAIL_CLIP_BYTES = 102 * 1024


def photo(path: Path, size=(3000, 2000), *, orientation: int | None = None, gps=True) -> Path:
    """A phone-like photo: big, noisy (compresses like a real one), with EXIF metadata."""
    import random

    rng = random.Random(7)
    image = Image.new("RGB", size, (200, 60, 40))
    pixels = image.load()
    for _ in range(40_000):
        pixels[rng.randrange(size[0]), rng.randrange(size[1])] = (
            rng.randrange(256),
            rng.randrange(256),
            rng.randrange(256),
        )
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (60.0, 10.0, 0.0), 3: "E", 4: (24.0, 56.0, 0.0)}
    image.save(path, format="JPEG", quality=95, exif=exif)
    return path


class Images(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.images: list[dict[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "img":
            self.images.append({k: v or "" for k, v in attrs})


@pytest.fixture
def pictured(shop, cart, tmp_path):
    """The cart shop; the train set has a photo file, the rosin a picture on the web."""
    big = photo(tmp_path / "train.jpg")
    shop("item", "edit", "#1", "--job", "Spring", "--image", str(big))
    shop("item", "edit", "#3", "--job", "Spring", "--image", "https://cdn.example/rosin.jpg")
    return big


def test_a_picture_file_is_kept_small_upright_and_without_metadata(
    shop, cart, store, tmp_path
) -> None:
    # Stored sideways with "rotate 90°" in its EXIF, as phones do: it must come out upright.
    big = photo(tmp_path / "sideways.jpg", (2000, 3000), orientation=6)
    assert big.stat().st_size > 500_000
    shop("item", "edit", "#1", "--job", "Spring", "--image", str(big))
    kept = store.one("SELECT * FROM item_pictures")
    assert kept["media_type"] == "image/jpeg"
    assert max(kept["width"], kept["height"]) == STORED_BOX
    assert kept["width"] > kept["height"]  # turned upright: 3000 high rotated is wide
    assert len(kept["data"]) < 40_000
    with Image.open(io.BytesIO(kept["data"])) as image:
        assert image.size == (kept["width"], kept["height"])
        assert not image.getexif()  # no maker, no GPS position
    shown = shop("item", "show", "#1", "--job", "Spring").stdout
    assert f"{kept['width']}x{kept['height']} JPEG" in shown


def test_a_transparent_png_stays_png(shop, cart, store, tmp_path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (500, 250), (0, 120, 200, 0)).save(logo)
    shop("item", "edit", "#2", "--job", "Spring", "--image", str(logo))
    kept = store.one("SELECT media_type, width, height FROM item_pictures")
    assert (kept["media_type"], kept["width"], kept["height"]) == ("image/png", 192, 96)


@pytest.mark.parametrize(("kind", "says"), [("text", "not a picture"), ("cut", "damaged")])
def test_what_is_not_a_picture_is_refused(shop, cart, store, tmp_path, kind, says) -> None:
    bad = tmp_path / "not-a-picture.jpg"
    if kind == "text":
        bad.write_bytes(b"just some text, not a picture")
    else:  # a real photo cut short, as an interrupted download leaves it
        whole = photo(tmp_path / "whole.jpg", (600, 400)).read_bytes()
        bad.write_bytes(whole[: len(whole) // 3])
    failed = shop.fails("item", "edit", "#1", "--job", "Spring", "--image", str(bad), code=2)
    assert says in failed.stderr
    assert store.scalar("SELECT count(*) FROM item_pictures") == 0
    failed = shop.fails("item", "edit", "#1", "--job", "Spring", "--image", "missing.png")
    assert "the picture: missing.png does not exist" in failed.stderr
    failed = shop.fails("item", "edit", "#1", "--job", "Spring", "--image", "ftp://x/y.png")
    assert "http" in failed.stderr


def test_a_file_replaces_a_link_and_empty_removes_it(shop, cart, store, tmp_path) -> None:
    shop("item", "edit", "#1", "--job", "Spring", "--image", "https://cdn.example/a.jpg")
    assert store.one("SELECT image_url FROM items WHERE number = 1")["image_url"]
    shop("item", "edit", "#1", "--job", "Spring", "--image", str(photo(tmp_path / "a.jpg")))
    assert store.one("SELECT image_url FROM items WHERE number = 1")["image_url"] is None
    assert store.scalar("SELECT count(*) FROM item_pictures") == 1
    shop("item", "edit", "#1", "--job", "Spring", "--image", "")
    assert store.scalar("SELECT count(*) FROM item_pictures") == 0


def test_a_picture_can_be_given_when_adding(shop, cart, store, tmp_path) -> None:
    shop(
        "item",
        "add",
        "Spring",
        "Kite",
        "--price",
        "20",
        "--image",
        str(photo(tmp_path / "kite.jpg", (800, 800))),
    )
    item = store.one("SELECT id FROM items WHERE title = 'Kite'")
    kept = store.one("SELECT width, height FROM item_pictures WHERE item_id = ?", [item["id"]])
    assert (kept["width"], kept["height"]) == (STORED_BOX, STORED_BOX)


def test_the_html_proposal_shows_each_picture_beside_its_item(shop, pictured) -> None:
    """A page for email shows web pictures by their address; a picture kept as a file goes
    only in the .eml (as a cid: part): no mail program shows a data: image."""
    html = shop("propose", "Spring", "--format", "html", "--preview").stdout
    images = Images(html).images
    assert [image["alt"] for image in images] == ["Violin rosin"]
    assert images[0]["src"] == "https://cdn.example/rosin.jpg" and "data:" not in html
    kept = Images(_eml_page(shop("propose", "Spring", "--format", "eml").stdout_bytes)).images
    assert [image["alt"] for image in kept] == ["Wooden train set", "Violin rosin"]
    for image in kept:
        width, height = int(image["width"]), int(image["height"])
        assert max(width, height) == SHOWN_BOX
        assert f"width:{width}px" in image["style"] and f"height:{height}px" in image["style"]
    assert (int(kept[0]["width"]), int(kept[0]["height"])) == (SHOWN_BOX, SHOWN_BOX * 2 // 3)


def _eml_page(raw: bytes) -> str:
    """The HTML of a proposal's .eml with each cid: picture written in as its data, the way
    a mail program shows it."""
    import base64

    message = email.message_from_bytes(raw, policy=policy.default)
    html = message.get_body(preferencelist=("html",)).get_content()
    for part in message.walk():
        cid = part.get("Content-ID")
        if cid and part.get_content_maintype() == "image":
            data = base64.b64encode(part.get_content()).decode("ascii")
            html = html.replace(
                f"cid:{cid.strip('<>')}", f"data:{part.get_content_type()};base64,{data}"
            )
    return html


def test_the_email_carries_files_inline_and_links_as_links(shop, pictured, store) -> None:
    raw = shop("propose", "Spring", "--format", "eml").stdout_bytes
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    text_part, related = message.get_payload()
    assert text_part.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, *inline = related.get_payload()
    assert html_part.get_content_type() == "text/html"
    html = html_part.get_content()
    images = {img["alt"]: img["src"] for img in Images(html).images}
    assert images["Violin rosin"] == "https://cdn.example/rosin.jpg"
    assert len(inline) == 1
    part = inline[0]
    assert part.get_content_type() == "image/jpeg"
    assert part.get_content_disposition() == "inline"
    assert images["Wooden train set"] == "cid:" + part["Content-ID"].strip("<>")
    kept = store.one("SELECT data FROM item_pictures")
    assert part.get_content() == kept["data"]
    assert "data:" not in html  # Gmail and Outlook show no data: pictures


def test_the_text_proposal_is_unchanged_by_pictures(shop, cart, tmp_path) -> None:
    before = shop("propose", "Spring", "--preview").stdout
    shop("item", "edit", "#1", "--job", "Spring", "--image", str(photo(tmp_path / "t.jpg")))
    shop("item", "edit", "#2", "--job", "Spring", "--image", "https://cdn.example/p.jpg")
    after = shop("propose", "Spring", "--preview").stdout
    strip = re.compile(r"^.*\d{4}-\d{2}-\d{2}.*$", re.MULTILINE)  # a date line, if any
    assert strip.sub("", before) == strip.sub("", after)
    assert "cdn.example" not in after and "data:" not in after


def test_a_proposal_with_many_pictures_stays_under_gmails_clipping(shop, cart, tmp_path) -> None:
    for n in range(40):
        shop(
            "item",
            "add",
            "Spring",
            f"Gift {n} with a rather long descriptive title for the list",
            "--for",
            "Ken" if n % 2 else "Yui",
            "--price",
            "10",
            "--store",
            "Example Store",
            "--url",
            f"https://store.example/products/{n}/a-long-product-link-with-words",
            "--image",
            str(photo(tmp_path / f"p{n}.jpg", (1200, 900), gps=False)),
        )
    raw = shop("propose", "Spring", "--format", "eml").stdout_bytes
    message = email.message_from_bytes(raw, policy=policy.default)
    html = message.get_body(("html",)).get_content()
    assert len(html.encode("utf-8")) < GMAIL_CLIP_BYTES
    pictures = [p for p in message.walk() if p.get_content_maintype() == "image"]
    assert len(pictures) == 40
    # Forty pictures, each kept small: the whole email stays well under a megabyte or two.
    assert len(raw) < 2 * 1024 * 1024


@pytest.mark.slow
@pytest.mark.parametrize("width", [600, 360])
def test_chromium_shows_the_pictures_at_their_size(
    shop,
    pictured,
    tmp_path,
    chromium,  # noqa: F811 (the browser fixture, imported above)
    width,
) -> None:
    """Headless Chromium loads the kept picture (its cid: part, as a mail program shows it) at
    the size the HTML states, and the page still fits email and phone widths."""
    import json

    page_file = tmp_path / "proposal.html"
    page_file.write_text(
        _eml_page(shop("propose", "Spring", "--format", "eml").stdout_bytes), encoding="utf-8"
    )
    probe = tmp_path / "probe.html"
    probe.write_text(
        "<!DOCTYPE html><html><body style='margin:0'>"
        f"<iframe id=f width={width} height=3000 style='border:0'></iframe><p id=probe></p>"
        "<script>const f = document.getElementById('f'); f.onload = () => {"
        "const d = f.contentDocument; const img = d.querySelector('img[src^=\"data:\"]');"
        "document.getElementById('probe').textContent = ['loaded:' + (img.complete && "
        "img.naturalWidth > 0), 'natural:' + img.naturalWidth + 'x' + img.naturalHeight,"
        "'shown:' + img.width + 'x' + img.height, 'scroll:' + d.documentElement.scrollWidth,"
        "'client:' + d.documentElement.clientWidth].join(' '); };"
        f"f.srcdoc = {json.dumps(page_file.read_text(encoding='utf-8'))};</script></body></html>",
        encoding="utf-8",
    )
    dom = chromium(probe, "--virtual-time-budget=5000", "--dump-dom")
    found = dict(part.split(":", 1) for part in Page(dom).visible.split()[-5:])
    assert found["loaded"] == "true"
    assert found["natural"] == f"{STORED_BOX}x{STORED_BOX * 2 // 3}"
    assert found["shown"] == f"{SHOWN_BOX}x{SHOWN_BOX * 2 // 3}"
    assert int(found["scroll"]) <= int(found["client"]) == width
