"""The HTML proposal as a browser renders it: headless Chromium, at phone and email widths."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from expect import eur
from shopcli.proposing import replies, reply_words

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.slow


@pytest.fixture
def chromium(tmp_path: Path):
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed, and CI must run the browser test")
        pytest.skip("chromium is not installed (apt-get install chromium); CI runs this test")

    def run(page: Path, *extra: str) -> str:
        profile = tmp_path / f"chromium-{len(list(tmp_path.iterdir()))}"
        profile.mkdir()
        done = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    return run


class Page(HTMLParser):
    """The links and visible text of a page as Chromium serialised it."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: dict[str, str] = {}
        self.text: list[str] = []
        self._href: str | None = None
        self._hidden = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style", "head"):
            self._hidden += 1
        if tag == "a":
            self._href = dict(attrs).get("href")
            self.links[self._href or ""] = ""

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style", "head"):
            self._hidden -= 1
        if tag == "a":
            self._href = None

    def handle_data(self, data) -> None:
        if self._hidden:
            return
        self.text.append(data)
        if self._href is not None:
            self.links[self._href] += data

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def test_chromium_shows_every_link_and_the_totals(shop, cart, tmp_path, chromium) -> None:
    page_file = tmp_path / "proposal.html"
    shop("propose", "Spring", "--format", "html", "-o", str(page_file))
    page = Page(chromium(page_file, "--dump-dom"))
    urls = [
        "https://toyhaus.example/train",
        "https://pencils.example/set",
        "https://strings.example/rosin",
        "https://stands.example/fold",
    ]
    for url in urls:
        # Each link reads as the site it leads to (shorter in a mail, and honest).
        host = url.split("/")[2]
        assert page.links[url] == host, f"the link {url} is not shown as {host}"
    text = page.visible
    assert f"Subtotal: {eur('113.00')} / budget {eur('120.00')}" in text
    assert f"Subtotal: {eur('109.38')} / budget {eur('100.00')}" in text
    assert f"OVER BUDGET by {eur('9.38')}" in text
    assert f"All items: {eur('222.38')} job budget {eur('300.00')}" in text
    assert f"≈ {eur('54.00')}" in text and f"≈ {eur('14.38')}" in text
    label = reply_words.example_label("en")
    assert f"{label}: {replies.answer_line('en', 'approve', [1, 3])}" in text
    # One-click answers: three per item and one for all, each a mailto: link to the shopper.
    answers = {
        href: shown.strip()
        for href, shown in page.links.items()
        if href.startswith("mailto:ruth@example.co.uk?")
    }
    assert len(answers) == 4 * 3 + 1
    assert set(answers.values()) == {"Approve", "No thanks", "Change…", "✓ Approve all items?"}


LONG = "https://stands.example/" + "folding-stand-" * 12 + "x"


@pytest.mark.parametrize("width", [600, 360])
def test_the_page_fits_email_and_phone_widths(shop, cart, tmp_path, chromium, width) -> None:
    # Long unbroken words and links must wrap, not widen the page.
    shop("item", "edit", "#4", "--job", "Spring", "--url", LONG, "--title", "Stand" + "x" * 60)
    page_file = tmp_path / "proposal.html"
    shop("propose", "Spring", "--format", "html", "-o", str(page_file))
    # Headless windows have a minimum width, so the page goes in a frame of exactly `width`
    # pixels, and a script measures the widest content against it.
    probe = tmp_path / "probe.html"
    probe.write_text(
        "<!DOCTYPE html><html><body style='margin:0'>"
        f"<iframe id=f width={width} height=3000 style='border:0'></iframe><p id=probe></p>"
        f"<script>const f = document.getElementById('f'); f.onload = () => {{"
        "const d = f.contentDocument.documentElement;"
        "document.getElementById('probe').textContent ="
        "'scroll:' + d.scrollWidth + ' client:' + d.clientWidth; };"
        f"f.srcdoc = {json.dumps(page_file.read_text(encoding='utf-8'))};</script></body></html>",
        encoding="utf-8",
    )
    dom = chromium(probe, "--virtual-time-budget=5000", "--dump-dom")
    scroll, client = (int(part.split(":")[1]) for part in Page(dom).visible.split()[-2:])
    assert client == width
    assert scroll <= client, f"at {width}px the page scrolls sideways ({scroll} > {client})"
    shot = tmp_path / f"proposal-{width}.png"
    chromium(page_file, f"--window-size={width},2000", f"--screenshot={shot}")
    assert shot.stat().st_size > 10_000
