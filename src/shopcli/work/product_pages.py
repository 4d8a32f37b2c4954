"""Product pages: what a store publishes about a product, read from its page.

Stores describe their products for search engines and link previews, and that description
is what is read here, never the page's visible layout: schema.org `Product` (JSON-LD, then
microdata), then OpenGraph (`og:` and `product:` tags), then Twitter's product card, then
the page's own `<title>`. Each field keeps where it came from, so the shopper sees which
part of the page said what. Parsing is done by extruct (structured data) and price-parser
(price text); the only network access is `shopcli.core.fetch`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from shopcli.core.errors import InvalidInput

JSON_LD = "schema.org JSON-LD"
MICRODATA = "schema.org microdata"
OPENGRAPH = "OpenGraph"
TWITTER = "Twitter card"
TITLE_TAG = "page <title>"
CANONICAL = "canonical link"
ADDRESS = "page address"
HOST = "the link's web address"

FIELDS = ("title", "price", "currency", "store", "image", "url", "availability")
MAX_PAGE_BYTES = 8 * 1024 * 1024
MAX_TITLE = 300

PRODUCT_TYPES = {"product", "productgroup", "individualproduct", "productmodel", "book", "vehicle"}
STORE_TYPES = {"website", "organization", "store", "onlinestore", "onlinebusiness"}
# schema.org ItemAvailability terms that mean "cannot be bought now".
UNAVAILABLE = {"OutOfStock", "SoldOut", "Discontinued"}
_AVAILABILITY = {
    term.lower(): term
    for term in (
        "InStock",
        "OutOfStock",
        "SoldOut",
        "Discontinued",
        "PreOrder",
        "PreSale",
        "BackOrder",
        "LimitedAvailability",
        "OnlineOnly",
        "InStoreOnly",
        "Reserved",
    )
}
# OpenGraph's product:availability words (Facebook catalog), in schema.org terms.
_AVAILABILITY.update(
    {
        "instock": "InStock",
        "oos": "OutOfStock",
        "outofstock": "OutOfStock",
        "availablefororder": "BackOrder",
        "preorder": "PreOrder",
        "discontinued": "Discontinued",
    }
)
# Currency signs that name one currency only; "$", "¥", "kr" name several and are not guessed.
_SIGNS = {
    "€": "EUR",
    "£": "GBP",
    "zł": "PLN",
    "Ft": "HUF",
    "₽": "RUB",
    "руб": "RUB",
    "руб.": "RUB",
    "₴": "UAH",
    "грн": "UAH",
    "грн.": "UAH",
    "Kč": "CZK",
    "₹": "INR",
    "₩": "KRW",
    "元": "CNY",
    "RMB": "CNY",
    "лв": "BGN",
    "lei": "RON",
    "₺": "TRY",
    "₪": "ILS",
}


@dataclass(frozen=True)
class Reading:
    """One value read from a page and the part of the page it came from."""

    value: Any
    source: str


@dataclass
class ProductPage:
    """What one product page says, field by field (see FIELDS), with sources."""

    address: str | None
    fields: dict[str, Reading] = field(default_factory=dict)

    def value(self, name: str) -> Any:
        found = self.fields.get(name)
        return found.value if found else None

    @property
    def unavailable(self) -> bool:
        return self.value("availability") in UNAVAILABLE


# -- reading ------------------------------------------------------------------------------


def read_url(url: str) -> ProductPage:
    """Fetch a product page and read it."""
    from shopcli.core import fetch

    page = fetch.fetch(url)
    return read_html(page.body, page.url, content_type=page.content_type)


def read_file(path: str | Path) -> ProductPage:
    """Read a page the shopper saved from the browser (File > Save page as, HTML only)."""
    from shopcli.core.files import read_input

    body = read_input(path, "the saved page", MAX_PAGE_BYTES, hint="no product page is that large")
    kind = _not_html(body)
    if kind:
        raise InvalidInput(
            f"{path} is {kind}, not an HTML page: save the product page from the browser "
            "(File > Save page as, HTML only) and name that file"
        )
    return read_html(body, None)


# A tag (or a doctype or comment) anywhere near the start: every HTML page has one early.
_TAG = re.compile(rb"<(?:[a-zA-Z]|!)")


def _not_html(body: bytes) -> str | None:
    """What a saved file is when it is plainly not a web page ("a PDF", "binary data", "text
    without any HTML"); None when it may be one (the reader decides then)."""
    head = body[:65536]
    if b"%PDF-" in head[:1024]:  # a few producers put bytes before the header
        return "a PDF"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its mark: the reader decodes
        return None
    if b"\x00" in head[:4096]:
        return "binary data"
    if head.strip() and not _TAG.search(head):
        return "text without any HTML"
    return None


def read_html(body: bytes | str, address: str | None, *, content_type: str = "") -> ProductPage:
    """Read a page's product description; `address` is where it came from (None: a file)."""
    import extruct
    from extruct.utils import parse_html

    text = _decode(body, content_type)
    if not text.strip():
        raise InvalidInput("the page is empty")
    try:
        tree = parse_html(text.encode("utf-8"), encoding="utf-8")
    except Exception:  # lxml refuses some documents outright
        raise InvalidInput("the page is not HTML that can be read") from None
    base = _base_url(tree, address)
    data = extruct.extract(
        tree,
        base_url=base,
        syntaxes=["json-ld", "microdata", "opengraph"],
        uniform=True,
        errors="ignore",
    )
    page = ProductPage(address)
    products: list[tuple[dict, str]] = [
        (node, JSON_LD) for node in _nodes(data.get("json-ld", [])) if _is(node, PRODUCT_TYPES)
    ]
    products += [
        (node, MICRODATA) for node in _nodes(data.get("microdata", [])) if _is(node, PRODUCT_TYPES)
    ]
    graph = {}
    for node in data.get("opengraph", []):
        graph.update({k: v for k, v in node.items() if not k.startswith("@")})
    twitter = _twitter(tree)

    for product, source in products:
        _schema_product(page, product, source, base)
    _opengraph(page, graph, base)
    _twitter_card(page, twitter, base)
    _store_from_schema(page, data)
    _from_document(page, tree, base, address)
    return page


def _decode(body: bytes | str, content_type: str) -> str:
    """The page as text, in the encoding its server or its own <meta> declares."""
    if isinstance(body, str):
        return body
    from w3lib.encoding import html_to_unicode

    _encoding, text = html_to_unicode(content_type or None, body)
    return text


def _base_url(tree: Any, address: str | None) -> str | None:
    """Where relative links on the page point from: <base href>, else the page's address,
    else (a saved file) its canonical or og:url link."""
    from urllib.parse import urljoin

    base = _first(tree.xpath("//base/@href"))
    if base and address:
        return urljoin(address, base)
    if address:
        return address
    for found in (
        _first(tree.xpath("//link[@rel='canonical']/@href")),
        _first(tree.xpath("//meta[@property='og:url']/@content")),
    ):
        if found and _web(found):
            return found.strip()
    return None


def _nodes(items: list) -> Iterator[dict]:
    """Every object in JSON-LD or microdata, however nested (@graph, lists, properties)."""
    stack = list(reversed(items))
    seen = 0
    while stack and seen < 5000:  # a bound against pathological pages
        item = stack.pop()
        seen += 1
        if isinstance(item, dict):
            yield item
            stack.extend(reversed([v for v in item.values() if isinstance(v, (dict, list))]))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _types(node: dict) -> set[str]:
    kinds = node.get("@type") or []
    if isinstance(kinds, str):
        kinds = [kinds]
    return {str(kind).rsplit("/", 1)[-1].lower() for kind in kinds if kind}


def _is(node: dict, kinds: set[str]) -> bool:
    return bool(_types(node) & kinds)


def _set(page: ProductPage, name: str, value: Any, source: str) -> None:
    """Keep the first value found for a field: sources are visited most trusted first."""
    if value in (None, "") or name in page.fields:
        return
    page.fields[name] = Reading(value, source)


# -- schema.org -----------------------------------------------------------------------------


def _schema_product(page: ProductPage, product: dict, source: str, base: str | None) -> None:
    _set(page, "title", _clean_title(_text(product.get("name"))), source)
    _set(page, "image", _image(product.get("image"), base), source)
    _set(page, "url", _link(product.get("url"), base), source)
    for offer in _offers(product.get("offers")):
        price, currency = _offer_price(offer)
        if price is not None and "price" not in page.fields:
            _set(page, "price", price, source)
            _set(page, "currency", currency, source)
        _set(page, "availability", _availability(offer.get("availability")), source)
        seller = offer.get("seller")
        if isinstance(seller, dict):
            _set(page, "seller", _text(seller.get("name")), source)


def _offers(value: Any) -> Iterator[dict]:
    """Offers, an AggregateOffer's own offers after it, and offers inside lists."""
    for node in value if isinstance(value, list) else [value]:
        if not isinstance(node, dict):
            continue
        yield node
        inner = node.get("offers")
        if inner is not None and inner is not value:
            yield from _offers(inner)


def _offer_price(offer: dict) -> tuple[Decimal | None, str | None]:
    currency = _currency(offer.get("priceCurrency"))
    for key in ("price", "lowPrice"):
        amount, sign = _amount(offer.get(key))
        if amount is not None:
            return amount, currency or sign
    specs = offer.get("priceSpecification")
    for spec in specs if isinstance(specs, list) else [specs]:
        if isinstance(spec, dict):
            amount, sign = _amount(spec.get("price"))
            if amount is not None:
                return amount, _currency(spec.get("priceCurrency")) or currency or sign
    return None, currency


# -- OpenGraph and Twitter -------------------------------------------------------------------


def _opengraph(page: ProductPage, graph: dict, base: str | None) -> None:
    def get(*names: str) -> str | None:
        for name in names:
            value = graph.get(name)
            if isinstance(value, list):
                value = value[0] if value else None
            if value not in (None, ""):
                return str(value)
        return None

    amount, sign = _amount(get("product:price:amount", "og:price:amount"))
    if amount is not None and "price" not in page.fields:
        _set(page, "price", amount, OPENGRAPH)
        _set(
            page,
            "currency",
            _currency(get("product:price:currency", "og:price:currency")) or sign,
            OPENGRAPH,
        )
    _set(page, "title", _clean_title(get("og:title")), OPENGRAPH)
    _set(page, "store", _text(get("og:site_name")), OPENGRAPH)
    _set(page, "image", _image(get("og:image:secure_url", "og:image"), base), OPENGRAPH)
    _set(page, "url", _link(get("og:url"), base), OPENGRAPH)
    _set(
        page,
        "availability",
        _availability(get("product:availability", "og:availability")),
        OPENGRAPH,
    )


def _twitter(tree: Any) -> dict[str, str]:
    """Twitter card tags (`<meta name="twitter:...">`), first value of each."""
    found: dict[str, str] = {}
    for meta in tree.xpath("//meta[starts-with(@name, 'twitter:')]"):
        name, content = meta.get("name", "").strip().lower(), meta.get("content")
        if content and content.strip() and name not in found:
            found[name] = content.strip()
    return found


def _twitter_card(page: ProductPage, card: dict[str, str], base: str | None) -> None:
    # Product cards put the price in a labelled pair: twitter:label1 PRICE, twitter:data1.
    for n in range(1, 5):
        if card.get(f"twitter:label{n}", "").strip().lower() == "price":
            amount, sign = _amount(card.get(f"twitter:data{n}"))
            if amount is not None and "price" not in page.fields:
                _set(page, "price", amount, TWITTER)
                _set(page, "currency", sign, TWITTER)
    _set(page, "title", _clean_title(card.get("twitter:title")), TWITTER)
    _set(page, "image", _image(card.get("twitter:image"), base), TWITTER)
    _set(page, "url", _link(card.get("twitter:url"), base), TWITTER)


# -- the document itself ---------------------------------------------------------------------


def _store_from_schema(page: ProductPage, data: dict) -> None:
    for syntax, source in (("json-ld", JSON_LD), ("microdata", MICRODATA)):
        for node in _nodes(data.get(syntax, [])):
            if _is(node, STORE_TYPES) and not _is(node, PRODUCT_TYPES):
                _set(page, "store", _text(node.get("name")), source)


def _from_document(page: ProductPage, tree: Any, base: str | None, address: str | None) -> None:
    from urllib.parse import urljoin

    canonical = _first(tree.xpath("//link[@rel='canonical']/@href"))
    if canonical:
        link = _link(urljoin(base, canonical) if base else canonical, None)
        if link:
            # The store's own statement of the product's address beats every other source.
            page.fields["url"] = Reading(link, CANONICAL)
    _set(page, "url", address, ADDRESS)
    title = _first(tree.xpath("//title/text()"))
    store = page.value("store") or page.value("seller")
    _set(page, "title", _clean_title(title, store), TITLE_TAG)
    if store is None and page.value("url"):
        from urllib.parse import urlsplit

        host = urlsplit(page.value("url")).hostname or ""
        host = host.removeprefix("www.")
        _set(page, "store", host or None, HOST)
    elif "store" not in page.fields and page.value("seller"):
        page.fields["store"] = page.fields["seller"]
    page.fields.pop("seller", None)


# -- values ----------------------------------------------------------------------------------


def _first(values: list) -> str | None:
    for value in values:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if not isinstance(value, (str, int, float)):
        return None
    text = " ".join(str(value).split())
    return text or None


_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")


def _clean_title(value: Any, store: str | None = None) -> str | None:
    """One line, and without the store's name tacked on (`Scarf | Store`) when it is known."""
    text = _text(value)
    if not text:
        return None
    if store:
        for separator in _SEPARATORS:
            head, sep, tail = text.rpartition(separator)
            if sep and head and tail.strip().casefold() == store.casefold():
                text = head.strip()
                break
    if len(text) > MAX_TITLE:
        text = text[: MAX_TITLE - 1].rstrip() + "…"
    return text


def _web(value: str) -> bool:
    return bool(re.match(r"https?://[^\s/]+", value.strip(), re.IGNORECASE))


def _link(value: Any, base: str | None) -> str | None:
    from urllib.parse import urljoin

    text = _text(value)
    if not text:
        return None
    if base and not _web(text):
        text = urljoin(base, text)
    return text if _web(text) and not re.search(r"\s", text) else None


def _image(value: Any, base: str | None) -> str | None:
    if isinstance(value, list):
        for each in value:
            found = _image(each, base)
            if found:
                return found
        return None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl") or value.get("@id")
    return _link(value, base)


def _availability(value: Any) -> str | None:
    text = _text(value)
    if not text:
        return None
    key = re.sub(r"[\s_\-]", "", text.rsplit("/", 1)[-1]).lower()
    return _AVAILABILITY.get(key)


def _currency(value: Any) -> str | None:
    """An ISO 4217 code the app knows, or None (an unknown code is not guessed at)."""
    from shopcli.core import currencies

    text = _text(value)
    if not text:
        return None
    code = text.strip().upper()
    if re.fullmatch(r"[A-Z]{3}", code) and currencies.is_known(code):
        return code
    return _SIGNS.get(text.strip())


def _amount(value: Any) -> tuple[Decimal | None, str | None]:
    """A positive amount and the currency its text names, if any (price-parser reads text
    like "1.299,00 €" or "LBP139999.00"; a bare "98.99", as schema.org has it, is exact)."""
    if value is None or isinstance(value, bool):
        return None, None
    if isinstance(value, (int, float)):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            return None, None
        return (amount, None) if amount.is_finite() and amount > 0 else (None, None)
    text = _text(value)
    if not text:
        return None, None
    if re.fullmatch(r"\d{1,12}(\.\d{1,6})?", text):
        amount = Decimal(text)
        return (amount, None) if amount > 0 else (None, None)
    from price_parser import Price

    parsed = Price.fromstring(text)
    if parsed.amount is None or parsed.amount <= 0:
        return None, None
    return parsed.amount, _currency(parsed.currency) if parsed.currency else None


# -- an item from a page ---------------------------------------------------------------------

# How each field is named to the shopper, and the item column it fills.
LABELS = {
    "title": "title",
    "price": "price",
    "currency": "currency",
    "store": "store",
    "url": "link",
    "image": "picture",
    "availability": "availability",
}
COMMAND_LINE = "command line"


@dataclass(frozen=True)
class Line:
    """One field of an item as it will be added: its value and where it came from."""

    field: str
    value: str
    source: str
    page_value: str | None = None  # what the page said, when the command line overrode it


def item_fields(
    page: ProductPage, given: dict[str, Any], *, picture_given: bool = False
) -> tuple[dict[str, Any], list[Line]]:
    """The item's fields from a page, every value given on the command line winning.

    `given`: title, price, currency, store, url as typed (None: not given). Returns the
    values for `items.add` (with `image_url` and `page_title`) and what to tell the shopper.
    Refuses a page that leaves the price or the title unknown, naming the flag to give.
    """
    values: dict[str, Any] = {}
    lines: list[Line] = []
    for name in ("title", "price", "currency", "store", "url", "image"):
        typed = given.get(name) if name != "image" else None
        read = page.fields.get(name)
        if name == "image" and picture_given:
            continue
        if typed not in (None, ""):
            values[name] = typed
            shown = _shown(read.value) if read else None
            lines.append(Line(name, str(typed), COMMAND_LINE, shown if shown != typed else None))
        elif read is not None:
            values[name] = _shown(read.value) if name == "price" else read.value
            lines.append(Line(name, _shown(read.value), read.source))
    if page.value("availability"):
        lines.append(
            Line(
                "availability",
                describe_availability(page.value("availability")),
                page.fields["availability"].source,
            )
        )
    if "title" not in values:
        raise InvalidInput("the page gives no product name; give the title after the job")
    if "price" not in values:
        raise InvalidInput(
            "the page shows no price (no schema.org offer, OpenGraph or product card price); "
            "give it with --price"
        )
    if "currency" not in values:
        raise InvalidInput(
            f"the page gives the price {values['price']} without a currency; give --currency"
        )
    if "image" in values:
        values["image_url"] = values.pop("image")
    if page.value("title"):
        values["page_title"] = page.value("title")
    return values, lines


def describe_availability(term: str | None) -> str:
    """A schema.org availability term in words: OutOfStock → "out of stock"."""
    if not term:
        return "not stated"
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", term).lower()
    return words.replace("pre ", "pre-").replace("in store", "in-store")


def _shown(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)
