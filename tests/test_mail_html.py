"""Mail-safe HTML: what every HTML part of an .eml and every `--format html` holds, and the
size Gmail clips at."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

import pytest

from shopcli.documents import mail_html

TITLES = (
    "Merino wool scarf, hand knitted, grey melange",
    "Wooden railway starter set with bridge and tunnel",
    "Watercolour pencils in a tin, 36 colours",
    "Folding music stand with carrying bag, black",
)


def _cart(shop, tmp_path: Path, language: str, items: int) -> None:
    """A job with `items` items for four recipients, as a long real cart looks: titles of
    40-50 characters, links of 80, a third in USD, some with shipping."""
    import csv

    shop("init", "--name", "Ruth Okafor", "--email", "ruth@example.co.uk", "--currency", "EUR")
    shop("client", "add", "Hana Sato", "--email", "hana@example.com", "--language", language)
    people = ("Ken", "Yui", "Aiko", "Taro")
    shop("job", "add", "Hana Sato", "Spring", "--budget", "20000")
    for person in people:
        shop("recipient", "add", "Hana Sato", person, "--interests", "trains, drawing, violin")
        shop("budget", "set", "Spring", person, "9000")
    shop("rate", "set", "USD", "EUR", "0.92")
    source = tmp_path / "items.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["title", "price", "currency", "recipient", "store", "url", "size", "colour", "qty",
             "shipping"]
        )  # fmt: skip
        for n in range(items):
            slug = TITLES[n % 4].lower().replace(",", "").replace(" ", "-")[:30]
            out.writerow(
                [
                    f"{TITLES[n % 4]} ({n})",
                    f"{10 + n % 90}.90",
                    "USD" if n % 3 == 0 else "EUR",
                    people[n % 4],
                    f"Store number {n % 9}",
                    f"https://www.store{n % 9}.example.com/products/{slug}-{n}?ref=cart",
                    "M",
                    "grey",
                    1 + n % 2,
                    "4.90" if n % 5 == 0 else "",
                ]
            )
    shop("import", str(source), "--job", "Spring")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_200_item_proposal_stays_under_gmails_clip(shop, tmp_path, language) -> None:
    _cart(shop, tmp_path, language, 200)
    result = shop("propose", "Spring", "--format", "html")
    size = len(result.stdout.encode("utf-8"))
    assert size < mail_html.CLIP_WARNING_BYTES, f"{size} bytes"
    assert "Gmail" not in result.stderr
    assert result.stdout.count("<tr><td") >= 200  # every item is there
    eml = shop("propose", "Spring", "--format", "eml").stdout_bytes
    message = email.message_from_bytes(eml, policy=policy.default)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert len(html.encode("utf-8")) < mail_html.CLIP_WARNING_BYTES


def test_a_message_gmail_would_clip_is_warned_about(shop, tmp_path) -> None:
    _cart(shop, tmp_path, "en", 400)
    result = shop("propose", "Spring", "--format", "eml")
    assert re.search(r"^Warning: the HTML of .* is \d+ KB; Gmail clips", result.stderr, re.M)
    assert result.stdout_bytes.startswith(b"From:") or b"Subject:" in result.stdout_bytes
    text = shop("propose", "Spring")
    assert "Gmail" not in text.stderr  # the text version is never clipped


def test_a_stylesheet_is_inlined_and_data_images_refused() -> None:
    page = (
        "<html><head><style>p { color: red } @page { size: A4 }</style></head>"
        "<body><p>Hi</p></body></html>"
    )
    done = mail_html.for_email(page)
    assert "<style" not in done and "@page" not in done
    assert re.search(r'<p style="color: ?red ?;?">Hi</p>', done)
    from shopcli.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="data: image"):
        mail_html.for_email('<img src="data:image/png;base64,AAAA">')


def test_every_html_part_of_every_draft_is_mail_safe(shop, tmp_path) -> None:
    """Proposal, notification and payment drafts: no stylesheet, no data: URI."""
    _cart(shop, tmp_path, "fi", 3)
    drafts = [shop("propose", "Spring", "--format", "eml").stdout_bytes]
    drafts.append(shop("notify", "Spring", "received-order", "--format", "eml").stdout_bytes)
    for data in drafts:
        message = email.message_from_bytes(data, policy=policy.default)
        for part in message.walk():
            if part.get_content_type() == "text/html":
                html = part.get_content()
                assert "<style" not in html.lower() and "data:" not in html


def test_the_invoice_and_the_reminder_share_one_payment_block(shop) -> None:
    """IBAN, BIC, reference and the QR code with its caption are one block in both drafts,
    its classes written inline the same way; the invoice adds only the amount due."""
    from billing_helpers import buyer, job, seller

    seller(shop)
    buyer(shop)
    job(shop, fee="flat:100")
    shop("invoice", "Midsummer", "--issue", "--today", "2026-06-01")
    blocks = []
    for args in (
        ["invoice", "show", "2026-0001", "--format", "eml"],
        ["invoice", "remind", "2026-0001", "--preview", "-f", "eml", "--today", "2026-06-20"],
    ):
        message = email.message_from_bytes(shop(*args).stdout_bytes, policy=policy.default)
        html = message.get_body(("html",)).get_content()
        assert "<style" not in html
        blocks.append(re.search(r'<table class="pay".*?</table>', html, re.DOTALL).group())
    invoice, reminder = blocks
    due = re.search(r"\s*Amount due: .*?<br>", invoice)
    assert due is not None and invoice.replace(due.group(), "") == reminder
    assert "IBAN: FI21 1234 5600 0007 85<br>BIC: NDEAFIHH<br>Reference: RF" in reminder
    assert '<img src="cid:epc-qr@shopcli"' in reminder and "Scan with your banking app" in reminder
    assert '<td class="qr" style="' in reminder and '<span class="caption" style="' in reminder
