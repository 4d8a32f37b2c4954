"""The product page reader on generated pages (Hypothesis): whatever a store writes in its
structured data comes back exactly, and a page is never guessed at."""

from __future__ import annotations

import html
import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shopcli.core import currencies
from shopcli.work import product_pages

CODES = sorted(
    code
    for code in ("EUR", "USD", "PLN", "HUF", "CNY", "RUB", "UAH", "GBP", "JPY")
    if currencies.is_known(code)
)
prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999"), places=2)
titles = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x00"),
        min_size=1,
        max_size=80,
    )
    .map(lambda t: " ".join(t.split()))
    .filter(bool)
)


@settings(max_examples=60, deadline=None)
@given(price=prices, code=st.sampled_from(CODES), title=titles, as_number=st.booleans())
def test_json_ld_prices_and_titles_come_back_exactly(price, code, title, as_number) -> None:
    offer = {"@type": "Offer", "priceCurrency": code, "availability": "https://schema.org/SoldOut"}
    offer["price"] = float(price) if as_number else str(price)
    data = {"@context": "https://schema.org", "@type": "Product", "name": title, "offers": offer}
    page = product_pages.read_html(
        "<html><head><script type='application/ld+json'>"
        + json.dumps(data).replace("</", "<\\/")
        + "</script></head><body></body></html>",
        "https://shop.example/p/1",
    )
    assert page.value("price") == price
    assert page.value("currency") == code
    assert page.value("title") == title
    assert page.unavailable
    assert page.fields["price"].source == product_pages.JSON_LD


@settings(max_examples=60, deadline=None)
@given(price=prices, code=st.sampled_from(CODES), title=titles)
def test_opengraph_prices_come_back_exactly(price, code, title) -> None:
    page = product_pages.read_html(
        "<html><head>"
        f'<meta property="og:title" content="{html.escape(title)}"/>'
        f'<meta property="product:price:amount" content="{price}"/>'
        f'<meta property="product:price:currency" content="{code}"/>'
        "</head></html>",
        "https://www.shop.example/p/1",
    )
    assert (page.value("price"), page.value("currency")) == (price, code)
    assert page.value("title") == title
    assert page.value("store") == "shop.example"


@settings(max_examples=40, deadline=None)
@given(junk=st.text(max_size=300))
def test_any_text_is_read_or_refused_but_never_crashes(junk) -> None:
    from shopcli.core.errors import InvalidInput

    try:
        page = product_pages.read_html(junk, None)
    except InvalidInput:
        return
    price = page.value("price")
    assert price is None or price > 0
