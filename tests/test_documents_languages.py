"""Every document kind in every language, rendered through the real CLI.

One realistic job per language is walked from the first proposal to the credit note (the
client writes that language, the shopper's profile says English, so the client's language
must win), every document is rendered once and kept, and the tests read them: no English
phrase from the catalog may leak into a non-English document, money and dates are formatted
by Babel for the document's locale, and invoice labels follow local usage.

Tests that fail only because a catalog is not translated yet say so in their message.
"""

from __future__ import annotations

import email
import functools
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from email import policy
from functools import cache, lru_cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shopcli.cli.app import app
from shopcli.core.languages import PUNCTUATION
from shopcli.documents import i18n
from shopcli.documents.render import LOCALES
from shopcli.proposing import replies, reply_words

LANGUAGES = ("en", "fi", "pl", "hu", "ru", "uk", "zh")
TRANSLATED = tuple(language for language in LANGUAGES if language != "en")


# -- the data each language's client writes --------------------------------------------------


@dataclass(frozen=True)
class Client:
    """What a client in one language (and their shopper) typed: names, titles, notes."""

    currency: str
    foreign: str  # a second currency some goods are priced in
    rate: str  # 1 foreign = rate job currency
    name: str
    email: str
    address: str
    recipients: tuple[tuple[str, str, str], ...]  # name, relation, interest
    job: str
    items: tuple[str, ...]  # bike, socks, book, gift card, toy, scarf
    size: str
    colour: str
    delay: str
    damage: str
    place: str
    reject_note: str
    change_note: str
    void_reason: str
    delivery: str


CLIENTS: dict[str, Client] = {
    "en": Client(
        "GBP",
        "EUR",
        "0.86",
        "Grace Miller",
        "grace@example.co.uk",
        "12 Mill Lane, Bath BA1 1AA",
        (("Oliver", "son", "cycling"), ("Ruby", "daughter", "drawing")),
        "Christmas 2030",
        ("Electric bike", "Wool socks", "Picture book", "Gift card", "Teddy bear", "Scarf"),
        "M",
        "navy",
        "The supplier ran out of stock.",
        "The box was dented.",
        "Front desk, 5 Queen Square",
        "she has one",
        "size L",
        "Billed to the wrong person.",
        "Tracked post in 3–5 working days.",
    ),
    "fi": Client(
        "EUR",
        "SEK",
        "0.087",
        "Aino Laaksonen",
        "aino@example.fi",
        "Pihlajatie 4, 00270 Helsinki",
        (("Eero", "poika", "pyöräily"), ("Kerttu", "tytär", "piirtäminen")),
        "Joulu 2030",
        ("Sähköpyörä", "Villasukat", "Kuvakirja", "Lahjakortti", "Nalle", "Kaulahuivi"),
        "M",
        "tummansininen",
        "Toimittajan varasto loppui.",
        "Laatikko oli kolhiintunut.",
        "Kauppakeskuksen aula",
        "hänellä on jo sellainen",
        "koko L",
        "Laskutettu väärälle henkilölle.",
        "Toimitus 3–5 arkipäivässä.",
    ),
    "pl": Client(
        "PLN",
        "EUR",
        "4.30",
        "Zofia Wójcik",
        "zofia@example.pl",
        "ul. Lipowa 8, 31-001 Kraków",
        (("Staś", "syn", "rower"), ("Hela", "córka", "rysowanie")),
        "Gwiazdka 2030",
        (
            "Rower elektryczny",
            "Wełniane skarpety",
            "Książka z obrazkami",
            "Karta podarunkowa",
            "Pluszowy miś",
            "Szalik",
        ),
        "M",
        "granatowy",
        "Dostawcy zabrakło towaru.",
        "Pudełko było wgniecione.",
        "Recepcja, ul. Lipowa 8",
        "już taki ma",
        "rozmiar L",
        "Wystawiona na złą osobę.",
        "Dostawa w 3–5 dni roboczych.",
    ),
    "hu": Client(
        "HUF",
        "EUR",
        "395",
        "Kovács Réka",
        "reka@example.hu",
        "Fő utca 12, 1011 Budapest",
        (("Bence", "fia", "kerékpározás"), ("Lili", "lánya", "rajzolás")),
        "Karácsony 2030",
        (
            "Elektromos kerékpár",
            "Gyapjúzokni",
            "Képeskönyv",
            "Ajándékkártya",
            "Plüssmaci",
            "Sál",
        ),
        "M",
        "sötétkék",
        "A beszállítónál elfogyott az áru.",
        "A doboz sérült volt.",
        "Recepció, Fő utca 12",
        "már van neki ilyen",
        "L méret",
        "Rossz névre állítottam ki.",
        "Szállítás 3–5 munkanap alatt.",
    ),
    "ru": Client(
        "RUB",
        "EUR",
        "98",
        "Ирина Соколова",
        "irina@example.ru",
        "ул. Садовая 5, 191023 Санкт-Петербург",
        (("Миша", "сын", "велосипед"), ("Даша", "дочь", "рисование")),
        "Новый год 2030",
        (
            "Электровелосипед",
            "Шерстяные носки",
            "Книжка с картинками",
            "Подарочная карта",
            "Плюшевый мишка",
            "Шарф",
        ),
        "M",
        "тёмно-синий",
        "У поставщика закончился товар.",
        "Коробка была помята.",
        "Ресепшен, ул. Садовая 5",
        "у неё уже есть",
        "размер L",
        "Выставлен не тому лицу.",
        "Доставка за 3–5 рабочих дней.",
    ),
    "uk": Client(
        "UAH",
        "EUR",
        "45",
        "Олена Шевчук",
        "olena@example.ua",
        "вул. Хрещатик 10, 01001 Київ",
        (("Тарас", "син", "велосипед"), ("Марічка", "донька", "малювання")),
        "Різдво 2030",
        (
            "Електровелосипед",
            "Вовняні шкарпетки",
            "Книжка з малюнками",
            "Подарункова картка",
            "Плюшевий ведмедик",
            "Шарф",
        ),
        "M",
        "темно-синій",
        "У постачальника закінчився товар.",
        "Коробка була пом'ята.",
        "Рецепція, вул. Хрещатик 10",
        "у неї вже є",
        "розмір L",
        "Виставлено не тій особі.",
        "Доставка за 3–5 робочих днів.",
    ),
    "zh": Client(
        "CNY",
        "EUR",
        "7.8",
        "王丽",
        "wangli@example.cn",
        "上海市黄浦区南京东路100号",
        (("小明", "儿子", "骑车"), ("小红", "女儿", "画画")),
        "春节 2030",
        ("电动自行车", "羊毛袜", "绘本", "礼品卡", "毛绒熊", "围巾"),
        "M",
        "藏青色",
        "供应商缺货。",
        "包装盒有压痕。",
        "南京东路100号前台",
        "她已经有了",
        "换成L码",
        "开错了抬头。",
        "3–5个工作日送达。",
    ),
}

# How each client is greeted, as their shopper would write it (the vocative in Polish and
# Ukrainian, first name and patronymic in Russian, family name and title in Chinese). The
# English client has none: their letters open with the polite greeting without a name.
SALUTATIONS: dict[str, str | None] = {
    "en": None,
    "fi": "Aino",
    "pl": "Pani Zofio",
    "hu": "Réka",
    "ru": "Ирина Сергеевна",
    "uk": "Олено",
    "zh": "王女士",
}
SHOPPER = ("Mira Halonen", "mira@example.fi", "Halonen Lahjat")
BUSINESS_ID = "2617416-4"  # a Finnish Y-tunnus, shown on every language's invoices
IBAN, BIC = "FI21 1234 5600 0007 85", "NDEAFIHH"
GIFT_CODE, GIFT_LINK = "GIFT-1234-ABCD-5678", "https://cards.example/redeem/t0k3n"
BIKE, SOCKS, SHIPPING, BOOK, CARD, TOY, SCARF = (
    "1234.50",
    "19.90",
    "12.50",
    "24.90",
    "50",
    "15",
    "39",
)
FEE, DEPOSIT_PERCENT, SCARF_BACK = "150", "30", "30"
DEADLINE = "2030-12-20"


# -- running the CLI quickly ---------------------------------------------------------------


class SharedBytecode:
    """Compiled templates shared by every language's environment (the code is the same: the
    translations are looked up when rendering), so each template compiles once per module."""

    def __init__(self) -> None:
        from jinja2 import BytecodeCache

        stored: dict[str, bytes] = {}

        class Cache(BytecodeCache):
            def load_bytecode(self, bucket) -> None:
                if bucket.key in stored:
                    bucket.bytecode_from_string(stored[bucket.key])

            def dump_bytecode(self, bucket) -> None:
                stored[bucket.key] = bucket.bytecode_to_string()

        self.cache = Cache()


@pytest.fixture(scope="module", autouse=True)
def quick() -> Iterator[None]:
    """Keep 200-odd CLI runs fast: each language's environment would compile every template
    again (~1.4 s a walk)."""
    from functools import lru_cache

    from shopcli.documents import render

    shared = SharedBytecode().cache
    make = render.environment.__wrapped__

    @lru_cache(maxsize=8)
    def environment(language: str = "en"):
        env = make(language)
        env.bytecode_cache = shared
        return env

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "environment", environment)
        yield


def run(*args: str, input: str | None = None) -> str:
    result = CliRunner().invoke(app, list(args), input=input)
    assert result.exit_code == 0, (
        f"shop {' '.join(args)} exited {result.exit_code}\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout


def run_fails(*args: str, input: str | None = None) -> str:
    result = CliRunner().invoke(app, list(args), input=input)
    assert result.exit_code != 0, f"shop {' '.join(args)} should fail\n{result.stdout}"
    return result.stderr


def run_bytes(*args: str) -> bytes:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, f"shop {' '.join(args)}: {result.stderr}"
    return result.stdout_bytes


# -- the documents -------------------------------------------------------------------------


@dataclass
class Document:
    """A rendered document as a reader sees it: visible text, and the subject of a draft."""

    kind: str
    text: str
    subject: str | None = None
    html: bool = False
    lang_attribute: str | None = None


def visible(markup: str) -> tuple[str, str | None]:
    """The text a reader sees in an HTML document (and its `lang`), without markup or styles."""
    found = re.search(r"<html[^>]*\blang=\"([^\"]*)\"", markup)
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", markup, flags=re.DOTALL | re.IGNORECASE)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL)
    shown_attributes = re.findall(r"\b(?:alt|title)=\"([^\"]*)\"", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = html.unescape(" ".join([text, *shown_attributes]))
    return re.sub(r"[ \t]+", " ", text), found.group(1) if found else None


def from_eml(kind: str, data: bytes) -> Document:
    message = email.message_from_bytes(data, policy=policy.default)
    plain = message.get_body(("plain",)).get_content()
    markup = message.get_body(("html",)).get_content()
    shown, lang = visible(markup)
    return Document(kind, plain + "\n" + shown, str(message["Subject"]), True, lang)


def from_html(kind: str, markup: str) -> Document:
    shown, lang = visible(markup)
    return Document(kind, shown, None, True, lang)


@dataclass
class Walked:
    """Every document of one walk, by kind, and the final invoice's total."""

    docs: dict[str, Document]
    total: Decimal
    home: Path | None = None

    def __getitem__(self, kind: str) -> Document:
        return self.docs[kind]


def walk(client: Client, *, client_language: str | None, profile_language: str) -> Walked:
    """Build the job through the CLI and render every document kind once."""
    import json

    c = client
    docs: dict[str, Document] = {}
    (oldest, old_relation, old_likes), (young, young_relation, young_likes) = c.recipients
    bike, socks, book, card, toy, scarf = c.items
    job = c.job

    def keep(kind: str, *args: str) -> None:
        docs[kind] = Document(kind, run(*args))

    def keep_html(kind: str, *args: str) -> None:
        docs[kind] = from_html(kind, run(*args, "--format", "html"))

    def keep_eml(kind: str, *args: str) -> None:
        docs[kind] = from_eml(kind, run_bytes(*args, "--format", "eml"))

    def item(title: str, *options: str) -> None:
        run("item", "add", job, title, *options)

    def mark(title: str, status: str, *options: str) -> None:
        run("item", "mark", title, status, "--job", job, *options)

    shopper = ["--name", SHOPPER[0], "--email", SHOPPER[1], "--currency", c.currency]
    run("init", *shopper, "--language", profile_language)
    for key, value in {
        "business_name": SHOPPER[2],
        "address": "Pihlajatie 1, 00270 Helsinki",
        "vat_id": "FI12345671",
        "business_id": BUSINESS_ID,
        "vat_rate": "25.5",
        "iban": IBAN,
        "bic": BIC,
        "terms.delivery": c.delivery,
    }.items():
        run("profile", "set", key, value)
    language = ["--language", client_language] if client_language else []
    contact = ["--email", c.email, "--currency", c.currency, "--address", c.address]
    salutation = SALUTATIONS[client_language or profile_language]
    greeting = ["--salutation", salutation] if salutation else []
    run("client", "add", c.name, *contact, *language, *greeting)
    run("recipient", "add", c.name, oldest, "--relation", old_relation, "--interests", old_likes)
    run("recipient", "add", c.name, young, "--relation", young_relation, "--interests", young_likes)
    terms = ["--fee", f"flat:{FEE}", "--min-fee", "100", "--deposit", f"{DEPOSIT_PERCENT}%"]
    terms += ["--budget", "2000"]
    run("job", "add", c.name, job, "--deadline", DEADLINE, *terms)
    run("budget", "set", job, oldest, "1500")
    run("budget", "set", job, young, "200")
    run("rate", "set", c.foreign, c.currency, c.rate)
    item(bike, "--for", oldest, "--price", BIKE, "--paid-by", "shopper", "--shipping", SHIPPING,
         "--store", "Velomarket", "--url", "https://velo.example/e1")  # fmt: skip
    item(socks, "--for", oldest, "--price", SOCKS, "--currency", c.foreign, "--qty", "2",
         "--size", c.size, "--colour", c.colour, "--store", "Lanka")  # fmt: skip
    item(book, "--for", young, "--price", BOOK, "--store", "Kirjava")
    item(card, "--for", young, "--price", CARD, "--store", "Lahjaksi")
    item(toy, "--for", young, "--price", TOY, "--store", "Lelula")
    item(scarf, "--for", young, "--price", SCARF, "--size", c.size, "--store", "Lanka")

    # The proposal, the client's answer in their words, the next version with the changes.
    keep("proposal.txt", "propose", job)
    code = client_language or profile_language
    reply = (
        f"{replies.answer_line(code, 'approve', [1, 2, 3, 4, 6])}\n"
        f"{replies.answer_line(code, 'reject', [5])}: {c.reject_note}\n"
    )
    run("decide", job, "--reply", "-", "--yes", input=reply)
    keep_html("proposal.html", "propose", job)
    keep_eml("proposal.eml", "propose", job)

    # Delivery, notified at every step.
    keep("notify-received-order", "notify", job, "received-order")
    keep_eml("notify-received-order.eml", "notify", job, "received-order")
    mark(bike, "ordered", "--order-no", "A-1001", "--eta", "2030-12-10", "--on", "2030-11-20")
    for title in (socks, book, card, scarf):
        mark(title, "ordered", "--on", "2030-11-20")
    keep("notify-purchased", "notify", job, "purchased")
    mark(book, "cancelled", "--on", "2030-11-22", "--refund-by", "2030-12-06")
    mark(scarf, "cancelled", "--on", "2030-11-22")
    mark(scarf, "refunded", "--on", "2030-11-28", "--refund", SCARF_BACK)
    keep("notify-refund-pending", "notify", job, "refund-pending")
    keep("notify-refunded", "notify", job, "refunded")
    mark(socks, "shipped", "--carrier", "DHL", "--tracking", "JJD0099", "--eta", "2030-12-05",
         "--on", "2030-11-25")  # fmt: skip
    keep("notify-shipped", "notify", job, "shipped")
    run("item", "delay", bike, "--job", job, "--eta", "2030-12-15", "--reason", c.delay)
    keep("notify-delayed", "notify", job, "delayed")
    run("item", "receive", bike, "--job", job, "--ok", "--on", "2030-12-15")
    damaged = ["--damaged", "--note", c.damage, "--on", "2030-12-06"]
    run("item", "receive", socks, "--job", job, *damaged)
    keep("notify-inspected", "notify", job, "inspected")
    run("item", "resolve", socks, "--job", job, "--accepted", "--on", "2030-12-07")
    mark(card, "delivered", "--code", GIFT_CODE, "--link", GIFT_LINK, "--on", "2030-12-01")
    pickup = ["--method", "pickup", "--date", "2030-12-18", "--place", c.place]
    run("handover", job, "--plan", *pickup)
    keep("notify-ready", "notify", job, "ready")
    keep("handover", "handover", job, *pickup)
    keep("labels.txt", "labels", job)
    keep_html("labels.html", "labels", job)

    # Billing: deposit, draft, invoice, payments, credit note, then a fee statement.
    keep("deposit", "invoice", "make", job, "--deposit", "--issue", "--today", "2030-11-15")
    keep("invoice-draft", "invoice", "make", job, "--today", "2030-12-19")
    keep("invoice.txt", "invoice", "make", job, "--issue", "--today", "2030-12-19")
    number = "2030-0002"
    keep_html("invoice.html", "invoice", "show", number)
    keep_eml("invoice.eml", "invoice", "show", number)
    total = Decimal(json.loads(run("invoice", "show", number, "--json"))["total"])
    keep("payment.txt", "pay", number, "100", "--date", "2030-12-21", "--format", "text")
    keep_html("payment.html", "pay", number, "100", "--date", "2030-12-22", "--method", "cash")
    rest = str(total - 200)
    keep_eml("payment.eml", "pay", number, rest, "--date", "2030-12-23", "--method", "card")
    run("invoice", "void", number, "--reason", c.void_reason, "--today", "2030-12-27")
    keep("credit-note.txt", "invoice", "show", "2030-0003")
    keep_html("credit-note.html", "invoice", "show", "2030-0003")
    run("profile", "set", "official_invoicing", "hu-nav")
    keep("fee-statement.txt", "invoice", "make", job, "--issue", "--today", "2030-12-28")
    keep_html("fee-statement.html", "invoice", "show", "2030-0004")
    return Walked(docs, total)


KINDS = (
    "proposal.txt",
    "proposal.html",
    "proposal.eml",
    "notify-received-order",
    "notify-received-order.eml",
    "notify-purchased",
    "notify-refund-pending",
    "notify-refunded",
    "notify-shipped",
    "notify-delayed",
    "notify-inspected",
    "notify-ready",
    "handover",
    "labels.txt",
    "labels.html",
    "deposit",
    "invoice-draft",
    "invoice.txt",
    "invoice.html",
    "invoice.eml",
    "payment.txt",
    "payment.html",
    "payment.eml",
    "credit-note.txt",
    "credit-note.html",
    "fee-statement.txt",
    "fee-statement.html",
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Callable[..., Walked]:
    """Documents per (client language, profile language), each walk built once per module."""
    from shopcli.documents import pdf, render

    built: dict[tuple, Walked] = {}

    def get(
        language: str,
        *,
        client_language: str | None = "same",
        profile: str = "en",
        pseudo: bool = False,
    ) -> Walked:
        chosen = language if client_language == "same" else client_language
        key = (chosen, profile, language, pseudo)
        if key not in built:
            folder = tmp_path_factory.mktemp(f"walk-{language}") / "home"
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("SHOP_HOME", str(folder))
                if pseudo:
                    patch.setattr(i18n, "translations", pseudo_translations)
                # The PDF (the invoice HTML, printed) is checked on its own below; attaching
                # it to every .eml would cost 0.6 s a walk.
                patch.setattr(pdf, "available", lambda: False)
                render.environment.cache_clear()
                try:
                    built[key] = walk(
                        CLIENTS[language], client_language=chosen, profile_language=profile
                    )
                    built[key].home = folder
                finally:
                    render.environment.cache_clear()
        return built[key]

    return get


OPEN, CLOSE = "⟦", "⟧"


@lru_cache(maxsize=1)
def source_messages() -> tuple:
    """The messages extraction finds in the templates and the package (slow: once)."""
    return tuple(message for message in i18n.extract() if message.id)


def marked(source: str) -> str:
    """The message with each piece of its own wording marked and its placeholders left free,
    so that a value put into a placeholder shows outside the marks: ⟦Total: ⟧%(amount)s."""
    pieces = re.split(r"(%\(\w+\)[sd])", source)
    return "".join(
        piece if re.fullmatch(r"%\(\w+\)[sd]", piece) else OPEN + piece + CLOSE
        for piece in pieces
        if piece
    )


@lru_cache(maxsize=8)
def pseudo_translations(language: str):
    """A catalog that marks every message instead of translating it."""
    from io import BytesIO

    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    catalog = Catalog(locale=language, domain=i18n.DOMAIN)
    for message in source_messages():
        if isinstance(message.id, tuple):
            forms = catalog.num_plurals
            string: str | tuple[str, ...] = tuple(
                marked(message.id[0 if form == 0 and forms > 1 else 1]) for form in range(forms)
            )
        else:
            string = marked(message.id)
        catalog.add(message.id, string)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=i18n.DOMAIN)


def outside_the_catalog(text: str, typed: list[str]) -> list[str]:
    """Latin-script words in a pseudo-translated document that no message and no typed data
    explains: English written by Python code, out of the translators' reach."""
    previous = None
    while previous != text:
        previous, text = text, re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)
    text = re.sub(r"\S+@\S+|https?://\S+|\bRF\d\d\b", " ", text)
    for value in sorted(typed, key=len, reverse=True):
        text = text.replace(value, " ")
    return re.findall(r"[A-Za-z]{2,}", text)


def documents(rendered, language: str) -> Walked:
    if language == "profile:hu":
        # The client gave no language: every document falls back to the profile's.
        return rendered("hu", client_language=None, profile="hu")
    return rendered(language)


def locale_of(language: str) -> str:
    return LOCALES[language.removeprefix("profile:")]


# -- what leaks, what is formatted ----------------------------------------------------------

_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")


@cache
def english_phrases(language: str) -> list[str]:
    """Phrases of two or more words from the catalog's English messages, except those the
    language's own translations contain (a deliberately kept term is not a leak)."""
    own = " ".join(_translations(language))
    phrases = set()
    for message in source_messages():
        for source in message.id if isinstance(message.id, tuple) else (message.id,):
            for fragment in re.split(r"%\(\w+\)[sd]|%%|\n", source):
                fragment = fragment.strip(" \t:;,.()[]!?“”\"'—–-*=+|/")
                if len(re.findall(r"[A-Za-z]+", fragment)) >= 2 and fragment not in own:
                    phrases.add(fragment)
    return sorted(phrases, key=len, reverse=True)


def _translations(language: str) -> list[str]:
    if language not in i18n.LANGUAGES:
        return []
    strings = []
    for message in i18n.read_catalog(language):
        if message.id and message.string:
            found = message.string
            strings.extend(found if isinstance(found, (list, tuple)) else [found])
    return strings


def leaks(text: str, phrases: list[str]) -> list[str]:
    return [phrase for phrase in phrases if phrase in text]


def money(amount: str | Decimal, currency: str, language: str) -> str:
    """The amount as the document must show it: rounded by the app's own rule to the app's own
    digits for the currency, then written by Babel's general formatter for the locale (the
    app's cached formatter must agree with it)."""
    from babel.core import Locale
    from babel.numbers import format_currency

    from shopcli.core.money import minor_units, round_money
    from shopcli.documents.render import with_digits

    digits = minor_units(currency)
    locale = locale_of(language)
    pattern = with_digits(Locale.parse(locale).currency_formats["standard"], digits)
    rounded = round_money(Decimal(str(amount)), currency)
    return format_currency(rounded, currency, format=pattern, locale=locale, currency_digits=False)


def day(iso: str, language: str) -> str:
    """A date in running text, in the app's style for the language (written by Babel)."""
    import expect

    return expect.day(iso, language.removeprefix("profile:"))


# Documents dated as invoices are (numeric where invoices in the language are): the invoices,
# and the handover note, a receipt.
DATED_AS_INVOICES = ("deposit", "invoice", "fee-statement", "credit-note", "handover")


def date_in(kind: str, iso: str, language: str) -> str:
    """A date as a document of this kind writes it."""
    import expect

    if kind.startswith(DATED_AS_INVOICES):
        return expect.invoice_day(iso, language.removeprefix("profile:"))
    return day(iso, language)


# (amount, "job" or "foreign" currency) each document must show, formatted for its locale.
INVOICE_MONEY = [(FEE, "job"), (BIKE, "job"), (SHIPPING, "job"), ("-45", "job")]
MONEY: dict[str, list[tuple[str, str]]] = {
    "proposal": [(BIKE, "job"), (FEE, "job"), (SOCKS, "foreign"), ("1500", "job")],
    "notify-received-order": [(FEE, "job"), ("1500", "job"), ("200", "job"), ("2000", "job")],
    "notify-purchased": [(BIKE, "job"), (SOCKS, "foreign")],
    "notify-refund-pending": [(BOOK, "job")],
    "notify-refunded": [(SCARF_BACK, "job"), (SCARF, "job")],
    "deposit": [("45", "job")],
    "invoice": INVOICE_MONEY,
    "fee-statement": INVOICE_MONEY,
    "payment.txt": [("100", "job")],
    "payment.html": [("100", "job")],
    "credit-note": [("-1234.50", "job"), ("-150", "job")],
}
DATES: dict[str, list[str]] = {
    "proposal": [DEADLINE],
    "notify-received-order": [DEADLINE],
    "notify-purchased": ["2030-12-10"],
    "notify-refund-pending": ["2030-12-06"],
    "notify-refunded": ["2030-11-28"],
    "notify-shipped": ["2030-12-05"],
    "notify-delayed": ["2030-12-15", DEADLINE],
    "notify-ready": ["2030-12-18"],
    "handover": ["2030-12-18"],
    "deposit": ["2030-11-15", "2030-11-29"],
    "invoice": ["2030-12-19", "2031-01-02", "2030-11-15"],
    "fee-statement": ["2030-12-28", "2031-01-11"],
    "payment.txt": ["2030-12-21"],
    "payment.html": ["2030-12-22"],
    "payment.eml": ["2030-12-23"],
    "credit-note": ["2030-12-27", "2030-12-19"],
}


def expected_for(kind: str, table: dict) -> list:
    """The table's entries for a kind: by its full name or by the name before the format."""
    base = kind.split(".")[0]
    if kind in table:
        return table[kind]
    return table.get(base, table.get(base.removesuffix("-draft"), []))


# Money written the English way (1,234.50, or a symbol or code before the digits) in a locale
# that writes 1 234,50 €. Babel puts a no-break space after a code; HTML cells join with spaces.
ENGLISH_MONEY = re.compile(
    r"\d,\d{3}\.\d{2}|[€£$¥₽₴]-?\d|\b(?:EUR|GBP|PLN|HUF|RUB|UAH|CNY|SEK)\u00a0-?\d"
)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


# -- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_english_phrase_leaks_into_any_document(rendered, language: str) -> None:
    docs = documents(rendered, language)
    phrases = english_phrases(language)
    found = {}
    for kind in KINDS:
        document = docs[kind]
        leaked = leaks(document.text, phrases)
        if document.subject is not None:
            leaked += [f"(subject) {phrase}" for phrase in leaks(document.subject, phrases)]
        if leaked:
            found[kind] = leaked[:6]
    if found:
        gaps = len(i18n.untranslated(i18n.read_catalog(language)))
        pytest.fail(
            f"English in {language} documents: {found}"
            + (f" ({gaps} messages of the {language} catalog are untranslated)" if gaps else "")
        )


def formatting_problems(docs: Walked, kind: str, language: str) -> list[str]:
    """What is wrong with one document's money and dates for its locale."""
    document = docs[kind]
    client = CLIENTS[language.removeprefix("profile:")]
    currencies = {"job": client.currency, "foreign": client.foreign}
    expected = [money(a, currencies[which], language) for a, which in expected_for(kind, MONEY)]
    if kind.startswith(("invoice", "fee-statement")):
        expected.append(money(docs.total, client.currency, language))
    if kind == "payment.eml":
        expected.append(money(docs.total - 200, client.currency, language))
    expected += [date_in(kind, iso, language) for iso in expected_for(kind, DATES)]
    problems = [f"lacks {value!r}" for value in expected if value not in document.text]
    problems += [f"unformatted date {found}" for found in ISO_DATE.findall(document.text)]
    if language not in ("en", "zh"):
        problems += [f"English money {m!r}" for m in ENGLISH_MONEY.findall(document.text)]
    if document.html and document.lang_attribute != language.removeprefix("profile:"):
        problems.append(f"<html lang={document.lang_attribute!r}>")
    return problems


@pytest.mark.parametrize("language", [*LANGUAGES, "profile:hu"])
def test_money_and_dates_are_formatted_for_the_documents_locale(rendered, language: str) -> None:
    docs = documents(rendered, language)
    found = {kind: formatting_problems(docs, kind, language) for kind in KINDS}
    found = {kind: problems for kind, problems in found.items() if problems}
    assert not found, f"{language}: {found}"


def test_the_leak_check_finds_english_where_there_is_english(rendered) -> None:
    english = documents(rendered, "en")
    for kind in KINDS:
        assert leaks(english[kind].text, english_phrases("en")), kind
    assert "Service fee for" in english_phrases("fi")
    assert ENGLISH_MONEY.search(english["invoice.txt"].text)


def test_money_is_written_the_way_each_locale_writes_it() -> None:
    """What each language's readers expect, checked by meaning (any space may group digits,
    CLDR has changed which one): decimal mark, where the currency goes, digits shown."""
    space = "[\\s\u00a0\u202f]"
    expected = {
        ("EUR", "fi"): f"1{space}234,50{space}€",
        ("PLN", "pl"): f"1{space}234,50{space}zł",
        ("HUF", "hu"): f"1{space}235{space}Ft",  # whole forints: see shopcli.currencies
        ("RUB", "ru"): f"1{space}234,50{space}₽",
        ("UAH", "uk"): f"1{space}234,50{space}(₴|грн\\.?)",
        ("CNY", "zh"): "(¥|CN¥|￥)1,234\\.50",
        ("GBP", "en"): "£1,234\\.50",
    }
    for (currency, language), pattern in expected.items():
        assert re.fullmatch(pattern, money("1234.50", currency, language)), (currency, language)


def test_a_finnish_client_sees_finnish_money_in_every_money_document(rendered) -> None:
    docs = documents(rendered, "fi")
    for kind in ("proposal.txt", "notify-purchased", "invoice.txt", "invoice.eml"):
        assert money("1234.50", "EUR", "fi") in docs[kind].text, kind


LOCAL_LABELS = {
    "fi": ["Lasku", "Eräpäivä", "Viitenumero"],
    "pl": ["Faktura", "Termin płatności"],
    "hu": ["Számla", "Fizetési határidő"],
}


@pytest.mark.parametrize("language", sorted(LOCAL_LABELS))
def test_invoice_labels_follow_local_usage(rendered, language: str) -> None:
    docs = documents(rendered, language)
    for kind in ("invoice.txt", "invoice.html", "invoice.eml"):
        missing = [label for label in LOCAL_LABELS[language] if label not in docs[kind].text]
        assert not missing, f"the {language} invoice ({kind}) lacks {missing}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_draft_subjects_are_in_the_clients_language(rendered, language: str) -> None:
    docs = documents(rendered, language)
    client = CLIENTS[language]
    for kind in ("proposal.eml", "notify-received-order.eml", "invoice.eml", "payment.eml"):
        subject = docs[kind].subject or ""
        assert subject and "\n" not in subject
        assert not leaks(subject, english_phrases(language)), f"{kind}: {subject!r}"
    assert client.job in docs["proposal.eml"].subject
    assert "2030-0002" in docs["invoice.eml"].subject


def test_python_code_builds_no_english_wording(rendered) -> None:
    """Every Latin word in a Russian client's documents comes from a catalog message or from
    data typed in: with every message marked, nothing unmarked and English may remain."""
    client = CLIENTS["ru"]
    docs = rendered("ru", pseudo=True)
    typed = [
        *SHOPPER,
        IBAN,
        BIC,
        "Pihlajatie 1, 00270 Helsinki",
        "FI12345671",
        "Velomarket",
        "velo.example",  # a link's text is the site it leads to
        "Lanka",
        "Kirjava",
        "Lahjaksi",
        "Lelula",
        "DHL",
        "JJD0099",
        "A-1001",
        client.currency,
        client.foreign,
    ]
    found = {}
    for kind in KINDS:
        document = docs[kind]
        words = outside_the_catalog(document.text, typed)
        if document.subject is not None:
            words += outside_the_catalog(document.subject, typed)
        if words:
            found[kind] = sorted(set(words))
    assert not found, f"English outside the catalogs: {found}"


def test_a_client_without_a_language_gets_the_profiles_in_every_document(rendered) -> None:
    chosen, inherited = documents(rendered, "hu"), documents(rendered, "profile:hu")
    for kind in KINDS:
        assert inherited[kind].text == chosen[kind].text, kind
        assert inherited[kind].subject == chosen[kind].subject, kind


# -- answering a proposal in the client's language -----------------------------------------

# What a client might write back, in their own words, with greetings and thanks around.
NATURAL_REPLIES = {
    "en": "Hi Mira,\nApproved: 1 and 3\nDecline 2 - too dear\nChange 4: size M\nThanks",
    "fi": "Hei Mira!\nHyväksyn 1 ja 3.\nHylkään 2: liian kallis\nMuutos 4: koko M\nKiitos, Aino",
    "pl": "Dzień dobry,\nakceptuję 1 i 3\nodrzucam 2 – za drogie\nzmień 4: rozmiar M\nPozdrawiam",
    "hu": "Kedves Mira!\nJóváhagyom 1 és 3\nElutasítom 2: túl drága\nCsere 4: M méret\nÜdv, Réka",
    "ru": "Здравствуйте!\nБеру 1 и 3\nОтказываюсь 2: дорого\nЗамените 4: размер M\nСпасибо",
    "uk": "Добрий день!\nБеремо 1 і 3\nВідхиляю 2: задорого\nЗмініть 4: розмір M\nДякую",
    "zh": "你好！\n同意1、3\n不要2：太贵了\n修改4：换成M码\n谢谢",
}
EXPECTED = {1: "approved", 2: "rejected", 3: "approved", 4: "change_requested"}


def proposal_for(language: str) -> str:
    """A client writing `language`, four items, and the proposal they get."""
    client = CLIENTS[language]
    run("init", "--name", SHOPPER[0], "--email", SHOPPER[1], "--currency", client.currency)
    run("client", "add", client.name, "--email", client.email, "--language", language)
    run("job", "add", client.name, client.job, "--fee", f"flat:{FEE}")
    for title in client.items[:4]:
        run("item", "add", client.job, title, "--price", "10")
    return run("propose", client.job)


def statuses(language: str) -> dict[int, str]:
    import json

    rows = json.loads(run("item", "list", "--job", CLIENTS[language].job, "--json"))
    return {row["number"]: row["status"] for row in rows}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_answer_instructions_are_in_the_clients_language_and_read_back(
    home, language: str
) -> None:
    text = proposal_for(language)
    label = reply_words.example_label(language)
    colon = PUNCTUATION[language]["colon"]  # Chinese writes a full-width colon
    dash = PUNCTUATION[language]["dash"]  # and its own dash, two em dashes wide
    examples = [line.strip() for line in text.splitlines() if line.startswith("    ")]
    line = functools.partial(replies.answer_line, language)
    assert examples[0] == f"{label}{colon}{line('approve', [1, 3])}"
    assert examples[1].startswith(f"{label}{colon}{line('reject', [2])}{dash}")
    assert examples[2].startswith(f"{label}{colon}{line('change', [4])}{colon}")
    assert examples[3] == f"{label}{colon}{line('approve', None)}"
    markup = html.unescape(run("propose", CLIENTS[language].job, "--preview", "--format", "html"))
    assert f"{label}{colon}{line('approve', [1, 3])}" in markup
    if language != "en":
        assert "approve 1, 3" not in text and "approve 1, 3" not in markup
    # Quoted back, even without "> ", the examples are never read as answers …
    quoted = "Thanks!\n\n" + "\n".join(examples)
    refused = run_fails("decide", CLIENTS[language].job, "--reply", "-", "--yes", input=quoted)
    assert "holds no decision" in refused
    # … and written by the client without the label, they do what they say.
    written = "\n".join(example.split(colon, 1)[1] for example in examples[:3])
    run("decide", CLIENTS[language].job, "--reply", "-", "--yes", input=written)
    assert statuses(language) == EXPECTED


@pytest.mark.parametrize("language", LANGUAGES)
def test_decide_reads_a_natural_reply_in_the_clients_language(home, language: str) -> None:
    proposal_for(language)
    run("decide", CLIENTS[language].job, "--reply", "-", "--yes", input=NATURAL_REPLIES[language])
    assert statuses(language) == EXPECTED


@pytest.mark.parametrize("language", TRANSLATED)
def test_decide_reads_english_from_every_client(home, language: str) -> None:
    proposal_for(language)
    reply = "Hello,\napprove 1, 3; reject 2\nchange 4: size M\n"
    run("decide", CLIENTS[language].job, "--reply", "-", "--yes", input=reply)
    assert statuses(language) == EXPECTED


def pdf_facts(data: bytes) -> tuple[str | None, str | None]:
    """The /Lang and /Title a PDF declares (WeasyPrint keeps them in compressed streams)."""
    import zlib

    lang = title = None
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            text = zlib.decompress(stream.group(1))
        except zlib.error:
            continue
        if found := re.search(rb"/Lang \(([^)]*)\)", text):
            lang = found.group(1).decode()
        if found := re.search(rb"/Title <([0-9a-fA-F]+)>", text):
            title = bytes.fromhex(found.group(1).decode()).decode("utf-16")
        elif found := re.search(rb"/Title \(([^)]*)\)", text):
            title = found.group(1).decode("latin-1")
    return lang, title


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_invoice_pdf_is_in_the_clients_language(rendered, monkeypatch, language) -> None:
    from shopcli.documents import pdf

    if not pdf.available():
        pytest.skip("WeasyPrint is not installed")
    walked = documents(rendered, language)
    monkeypatch.setenv("SHOP_HOME", str(walked.home))
    lang, title = pdf_facts(run_bytes("invoice", "show", "2030-0002", "--format", "pdf"))
    html_title = re.search(
        r"<title>\s*(.*?)\s*</title>",
        run("invoice", "show", "2030-0002", "--format", "html"),
        re.DOTALL,
    )
    assert lang == language
    assert html_title and title == html.unescape(html_title.group(1))
    if language != "en":
        assert not title.startswith("Invoice")


# -- greetings, ids and dates as each language writes them -----------------------------------

# Every letter to the client (an invoice or a handover note is a document, not a letter; an
# invoice's email is a letter around it).
LETTERS = (
    "proposal.txt",
    "proposal.html",
    "proposal.eml",
    "notify-received-order",
    "notify-received-order.eml",
    "notify-purchased",
    "notify-refund-pending",
    "notify-refunded",
    "notify-shipped",
    "notify-delayed",
    "notify-inspected",
    "notify-ready",
    "invoice.eml",
    "payment.txt",
    "payment.html",
    "payment.eml",
)


def greeting(language: str) -> str:
    """The greeting every letter to this language's client opens with, from the catalog."""
    catalog = i18n.translations(language)
    salutation = SALUTATIONS[language]
    if salutation is None:
        return catalog.gettext("Hello,")
    return catalog.gettext("Dear %(salutation)s,") % {"salutation": salutation}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_letter_greets_the_client_by_their_salutation(rendered, language: str) -> None:
    """The text of a letter opens with the greeting (after its subject); in HTML the greeting
    is there and no other form of it."""
    docs = documents(rendered, language)
    subject = i18n.translations(language).gettext("Subject")
    expected = greeting(language)
    other = greeting_without(language) if SALUTATIONS[language] else None
    wrong = {}
    for kind in LETTERS:
        text = docs[kind].text
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if docs[kind].html and not kind.endswith(".eml"):
            found = expected if expected in text else None
        else:
            found = next(line for line in lines if not line.startswith(subject))
        if found != expected or other in lines:
            wrong[kind] = found
    assert not wrong, f"{language}: expected {expected!r}, found {wrong}"


def greeting_without(language: str) -> str:
    return i18n.translations(language).gettext("Hello,")


def test_greetings_are_grammatical_without_a_salutation() -> None:
    """What a client with no salutation reads: a polite greeting, never their legal name in
    the nominative (Polish and Ukrainian address people in the vocative)."""
    expected = {
        "pl": "Dzień dobry,",
        "uk": "Добрий день!",
        "ru": "Здравствуйте!",
        "zh": "您好！",
        "hu": "Jó napot kívánok!",
        "fi": "Hei,",
        "en": "Hello,",
    }
    for language, words in expected.items():
        assert i18n.translations(language).gettext("Hello,") == words, language
    assert i18n.translations("zh").gettext("Dear %(salutation)s,") == "%(salutation)s，您好！"


@pytest.mark.parametrize("language", TRANSLATED)
def test_ids_are_labelled_by_what_they_are(rendered, language: str) -> None:
    """A Finnish VAT number is an EU VAT number and a Y-tunnus a Finnish business id, in every
    language: never the reader's own national number ("NIP", "ИНН", "Adószám")."""
    from shopcli.documents.tax_labels import LABELS

    catalog = i18n.translations(language)
    colon = ":" if language != "zh" else "："
    vat = catalog.gettext(LABELS["eu_vat"])
    business = catalog.gettext(LABELS["ytunnus"])
    for kind in ("invoice.txt", "invoice.html", "deposit", "credit-note.txt", "fee-statement.txt"):
        text = re.sub(r"\s+", " ", documents(rendered, language)[kind].text)
        assert f"{vat}{colon} FI12345671" in text.replace(f"{colon}FI", f"{colon} FI"), kind
        assert f"{business}{colon} {BUSINESS_ID}" in text.replace(f"{colon}2", f"{colon} 2"), kind
        for national in ("NIP", "ИНН", "Adószám", "Y-tunnus"):
            label = re.search(rf"(\S+){colon} ?FI12345671", text)
            assert label and label.group(1) != national, (kind, label)
    wrong = {"pl": "NIP: FI12345671", "ru": "ИНН: FI12345671", "hu": f"Adószám: {BUSINESS_ID}"}
    if language in wrong:
        assert wrong[language] not in documents(rendered, language)["invoice.txt"].text


NUMERIC_INVOICE_DATES = {
    "pl": "19.12.2030",
    "hu": "2030.12.19.",
    "ru": "19.12.2030",
    "uk": "19.12.2030",
    "fi": "19.12.2030",
    "zh": "2030年12月19日",
}


@pytest.mark.parametrize("language", sorted(NUMERIC_INVOICE_DATES))
def test_invoice_dates_are_written_as_invoices_write_them(rendered, language: str) -> None:
    """Issue, supply and due dates numeric where invoices are (pl 05.12.2026, hu 2026.12.05.,
    ru/uk 05.12.2026); a letter's prose keeps the month written out."""
    docs = documents(rendered, language)
    wanted = NUMERIC_INVOICE_DATES[language]
    issue = i18n.translations(language).gettext("Issue date")
    for kind in ("invoice.txt", "invoice.html", "invoice.eml", "fee-statement.txt"):
        text = re.sub(r"\s+", " ", docs[kind].text)
        date = "2030.12.28." if language == "hu" else wanted.replace("19", "28")
        date = date if kind.startswith("fee") else wanted
        assert re.search(rf"{issue}\s*[:：]?\s*{re.escape(date)}", text), (kind, issue, date)
    if language not in ("fi", "zh"):
        # "by 20 December 2030" in a letter, not 20.12.2030
        assert day(DEADLINE, language) in docs["proposal.txt"].text
        assert not re.search(r"\d\d\.12\.2030", docs["proposal.txt"].text)


def test_the_invoice_date_table_writes_each_norm() -> None:
    from shopcli.core.languages import INVOICE_DATES

    found = {
        language: pattern.format(day=5, month=12, year=2026)
        for language, pattern in INVOICE_DATES.items()
        if pattern
    }
    assert found == {
        "pl": "05.12.2026",
        "hu": "2026.12.05.",
        "ru": "05.12.2026",
        "uk": "05.12.2026",
        "fi": "5.12.2026",
        "zh": "2026年12月5日",
    }


CJK = r"[\u3400-\u9fff]"


def chinese_text(kind: str, text: str) -> str:
    """What a zh document's own wording says: without the URLs, emails and amounts inside it,
    and without the "how to answer" examples (the client types those back in ASCII)."""
    catalog = i18n.translations("zh")
    heading, closing = catalog.gettext("How to answer"), catalog.gettext("Best regards,")
    while (start := text.find(heading)) >= 0 and (end := text.find(closing, start)) > start:
        text = text[:start] + text[end:]
    text = re.sub(r"https?://\S+|\S+@\S+", " ", text)
    return re.sub(r"[-−]?[¥€£$]?\d[\d,.]*\d?%?", "0", text)


def test_chinese_documents_use_full_width_punctuation(rendered) -> None:
    """No ASCII colon, comma, semicolon or parenthesis beside Chinese text, and no stray space
    between a name and the Chinese around it."""
    docs = documents(rendered, "zh")
    names = [CLIENTS["zh"].name, SALUTATIONS["zh"], *(r[0] for r in CLIENTS["zh"].recipients)]
    found = {}
    for kind in KINDS:
        text = chinese_text(kind, docs[kind].text if not docs[kind].html else docs[kind].text)
        ascii_marks = re.findall(rf"{CJK}\s*[:;(),]|[:;(),]\s*{CJK}", text)
        spaced = [
            hit
            for name in names
            for hit in re.findall(rf"{CJK}[ \u00a0]+{name}|{name}[ \u00a0]+(?!赠){CJK}", text)
        ]
        if ascii_marks or spaced:
            found[kind] = ascii_marks[:5] + spaced[:5]
    assert not found, found


def test_chinese_gift_labels_read_as_a_tag(rendered) -> None:
    docs = documents(rendered, "zh")
    assert "致小明 / 王丽 赠" in docs["labels.txt"].text
    page = docs["labels.html"].text
    assert "致小明" in page and "王丽 赠" in page
