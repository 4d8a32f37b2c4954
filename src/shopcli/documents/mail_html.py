"""HTML that mail programs show as it was meant: inline styles only, no `data:` URIs, and a
warning when a message grows past what Gmail shows without clipping.

Gmail and Outlook ignore most `<style>` blocks and show no `data:` images (nor SVG); a
style attribute on each element and a PNG attached to the message (`cid:`) work everywhere.
Templates may keep a stylesheet (the invoice's also serves its PDF): `for_email` inlines it
with css-inline and drops what only print uses (`@page`).
"""

from __future__ import annotations

import re
import warnings

from shopcli.core.errors import ShopWarning

# Gmail clips a message's HTML beyond 102 KB ("[Message clipped] View entire message"):
# warn with room to spare.
CLIP_WARNING_BYTES = 100 * 1024
# The content id of the EPC QR code in an .eml: the HTML refers to it as `cid:` + this.
QR_CID = "epc-qr@shopcli"

_DATA_URI = re.compile(r"""(?:src|href)\s*=\s*["']?\s*data:""", re.IGNORECASE)


def for_email(html: str, *, what: str = "the email") -> str:
    """The document with every stylesheet rule written into the elements' style attributes,
    the `<style>` blocks gone; refuses a `data:` URI (no mail program shows it)."""
    import css_inline

    if "<style" in html:
        html = css_inline.inline(html, keep_style_tags=False, load_remote_stylesheets=False)
    if _DATA_URI.search(html):
        from shopcli.core.errors import InvalidInput

        raise InvalidInput(
            f"{what} would carry an inline data: image, which mail programs do not show; "
            "if a template of yours adds one, attach the image instead"
        )
    check_size(html, what=what)
    return html


def check_size(html: str, *, what: str = "the email") -> int:
    """The size of the HTML in bytes; warns (ShopWarning) above CLIP_WARNING_BYTES."""
    size = len(html.encode("utf-8"))
    if size > CLIP_WARNING_BYTES:
        warnings.warn(
            f"the HTML of {what} is {size / 1024:.0f} KB; Gmail clips a message above 102 KB "
            '(the client sees "[Message clipped]"): split the cart into two proposals or '
            "send the text version",
            ShopWarning,
            stacklevel=2,
        )
    return size
