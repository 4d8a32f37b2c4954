"""The HTML the client reads in their mail program, as a browser lays it out: the proposal,
the invoice and the payment confirmation in every language, at a phone's width (360 px) and
an email pane's (600 px). Nothing may be cut off or overlap, and each is mail-safe: styles
inline, no data: URIs, under the size Gmail clips at."""

from __future__ import annotations

import email
import json
import re
from email import policy
from pathlib import Path

import pytest

import test_proposal_html_browser as browser
from shopcli.core.languages import NAMES
from shopcli.documents.mail_html import CLIP_WARNING_BYTES
from test_proposal_html_browser import Page

pytestmark = pytest.mark.slow
chromium = browser.chromium  # the headless Chromium fixture, shared

LANGUAGES = tuple(NAMES)
WIDTHS = (360, 600)
# Per language: client, recipients, job, items (long words and a long link on purpose).
PEOPLE = {
    "en": ("Grace Miller-Montgomery", ("Oliver", "Ruby"), "Christmas 2030", "Waterproof"),
    "fi": ("Aino Laaksonen", ("Eero", "Kerttu"), "Joulu 2030", "Vedenpitävä"),
    "pl": ("Zofia Wójcik-Szczepańska", ("Staś", "Hela"), "Gwiazdka 2030", "Wodoodporna"),
    "hu": ("Kovács Réka", ("Bence", "Lili"), "Karácsony 2030", "Vízálló"),
    "ru": ("Ирина Соколова", ("Миша", "Даша"), "Новый год 2030", "Водонепроницаемая"),
    "uk": ("Олена Коваленко", ("Тарас", "Леся"), "Новий рік 2030", "Водонепроникна"),
    "zh": ("王芳", ("丽丽", "小明"), "春节 2030", "防水"),
}
LONG_URL = "https://shop.example/" + "products/waterproof-winter-jacket-" * 6 + "x"


def build(shop, language: str) -> dict[str, str]:
    """A client in `language` with a proposal, an issued invoice and a payment; their HTML."""
    name, (first, second), job, word = PEOPLE[language]
    shop("init", "--name", "Maija Mäkinen", "--email", "maija@example.fi", "--currency", "EUR")
    for key, value in {
        "business_name": "Maijan Lahjapalvelu",
        "address": "Pihlajatie 1, 00270 Helsinki",
        "vat_id": "FI12345671",
        "vat_rate": "25.5",
        "iban": "FI2112345600000785",
        "bic": "NDEAFIHH",
    }.items():
        shop("profile", "set", key, value)
    shop("client", "add", name, "--email", "client@example.com", "--language", language,
         "--currency", "EUR", "--address", "Pitkä katu 123 B 45, 00100 Helsinki")  # fmt: skip
    for person in (first, second):
        shop("recipient", "add", name, person, "--interests", f"{word}, {word}")
    shop("job", "add", name, job, "--fee", "percent:10", "--deposit", "30%", "--budget", "500",
         "--deadline", "2030-12-20")  # fmt: skip
    shop("budget", "set", job, first, "120")
    shop("rate", "set", "USD", "EUR", "0.92")
    items = [
        (f"{word} {word}-{word}-{word} talvitakki XXL", first, "189.90", "EUR", "2", "12.90"),
        ("Lego 42143", first, "449.99", "USD", "1", ""),
        (f"{word}", second, "19.50", "EUR", "3", ""),
        ("Kirja", second, "24.90", "EUR", "1", "4.90"),
    ]
    for title, person, price, currency, qty, shipping in items:
        extra = ["--shipping", shipping] if shipping else []
        shop("item", "add", job, title, "--for", person, "--price", price, "--currency",
             currency, "--qty", qty, "--size", "XXL", "--colour", word, "--store",
             f"{word} Store", "--url", LONG_URL, *extra)  # fmt: skip
    shop("propose", job)
    shop("approve", job, "1", "2", "3")
    shop("item", "check", f"{job}/4", "--unavailable", "--note", f"{word} {word} {word}")
    pages = {"proposal": shop("propose", job, "--format", "html").stdout}
    for number in ("1", "2", "3"):
        shop("item", "mark", f"{job}/{number}", "ordered")
        shop("item", "mark", f"{job}/{number}", "delivered", "--on", "2030-12-10")
    shop("invoice", job, "--issue", "--today", "2030-12-12")
    number = shop.json("invoice", "list")[0]["number"]
    pages["invoice"] = shop("invoice", "show", number, "--format", "html").stdout
    # The .eml's page, which also shows the QR code (its PNG part is not loaded here: the
    # image keeps its 140 px box all the same).
    eml = shop("invoice", "show", number, "--format", "eml").stdout_bytes
    message = email.message_from_bytes(eml, policy=policy.default)
    pages["invoice.eml"] = message.get_body(preferencelist=("html",)).get_content()
    shop("pay", number, "50", "--date", "2030-12-14", "--today", "2030-12-14")
    pages["payment"] = shop("payment", "show", "1", "--format", "html").stdout
    return pages


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[tuple[str, str], str]:
    """Every document in every language, each language built once in its own data folder."""
    from conftest import Shop
    from shopcli.documents import pdf, render

    found = {}
    for language in LANGUAGES:
        folder = tmp_path_factory.mktemp(f"mail-{language}") / "home"
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SHOP_HOME", str(folder))
            patch.setattr(pdf, "available", lambda: False)
            render.environment.cache_clear()
            try:
                for kind, html in build(Shop(), language).items():
                    found[(language, kind)] = html
            finally:
                render.environment.cache_clear()
    return found


def test_every_email_page_is_mail_safe(pages) -> None:
    for (language, kind), html in pages.items():
        where = f"{kind} in {language}"
        assert "<style" not in html.lower() and "<link" not in html.lower(), where
        assert not re.search(r"""(src|href)\s*=\s*["']?data:""", html, re.I), where
        assert len(html.encode("utf-8")) < CLIP_WARNING_BYTES, where
        assert f'lang="{language}"' in html, where
        if kind == "invoice.eml":
            assert 'src="cid:' in html, where


# In a frame exactly `width` pixels wide (a headless window has a minimum width), each page
# is measured: the page must not scroll sideways; no element's content may run past its own
# box (cut off or spilling over its neighbour); no two pieces of text may cover each other.
PROBE = """
const results = {};
const frames = [...document.querySelectorAll('iframe')];
let pending = frames.length;
function measure(frame) {
  const doc = frame.contentDocument, root = doc.documentElement, problems = [];
  if (root.scrollWidth > root.clientWidth) {
    problems.push('scrolls sideways: ' + root.scrollWidth + ' > ' + root.clientWidth);
  }
  for (const el of doc.body.querySelectorAll('*')) {
    const style = frame.contentWindow.getComputedStyle(el);
    if (style.display === 'inline' || el.clientWidth === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1 && style.overflowX === 'visible') {
      problems.push('runs out of its box: <' + el.tagName.toLowerCase() + '> '
        + el.textContent.trim().slice(0, 40) + ' (' + el.scrollWidth + ' > '
        + el.clientWidth + ')');
    }
  }
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
  const boxes = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const range = doc.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width < 1 || r.height < 1) continue;
      if (r.left < -1 || r.right > root.clientWidth + 1) {
        problems.push('cut off: ' + node.textContent.trim().slice(0, 40));
      }
      boxes.push([r.left, r.top, r.right, r.bottom, node.textContent.trim().slice(0, 30)]);
    }
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
      const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
      if (w > 2 && h > 2) problems.push('overlap: "' + a[4] + '" and "' + b[4] + '"');
    }
  }
  results[frame.id] = problems.slice(0, 5);
  if (--pending === 0) {
    document.getElementById('out').textContent = JSON.stringify(results);
  }
}
for (const frame of frames) {
  frame.onload = () => measure(frame);
  frame.srcdoc = SOURCES[frame.id];
}
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_is_cut_or_overlaps_at_phone_and_email_widths(
    pages, chromium, tmp_path: Path, width: int
) -> None:
    names = {f"{language}-{kind}": html for (language, kind), html in pages.items()}
    frames = "".join(
        f"<iframe id='{name}' width={width} height=6000 style='border:0;display:block'></iframe>"
        for name in names
    )
    probe = tmp_path / f"probe-{width}.html"
    probe.write_text(
        "<!DOCTYPE html><html><body style='margin:0'>"
        f"{frames}<pre id=out></pre><script>const SOURCES = {json.dumps(names)};"
        f"{PROBE}</script></body></html>",
        encoding="utf-8",
    )
    dom = chromium(probe, "--virtual-time-budget=20000", "--dump-dom")
    found = re.search(r"<pre id=\"out\">(.*?)</pre>", dom, re.S)
    assert found and found.group(1), "the probe did not finish"
    import html as markup

    results = json.loads(markup.unescape(found.group(1)))
    assert set(results) == set(names)
    problems = {name: found for name, found in results.items() if found}
    assert not problems, f"at {width}px: {json.dumps(problems, ensure_ascii=False, indent=1)}"


def test_the_pages_show_their_content(pages, chromium, tmp_path: Path) -> None:
    """What the browser shows of a proposal: the link (by its site), the flag and the money."""
    target = tmp_path / "proposal.html"
    target.write_text(pages[("en", "proposal")], encoding="utf-8")
    page = Page(chromium(target, "--dump-dom"))
    assert page.links[LONG_URL] == "shop.example"
    assert "Checked at the store on" in page.visible and "not available" in page.visible
