"""Translations: complete catalogs, intact placeholders and plural forms, translatable
templates, reply words per language, and the languages a client may choose."""

from __future__ import annotations

import functools
import json
import re
from functools import lru_cache

import pytest

from shopcli.core import paths
from shopcli.core.validate import LANGUAGES as KNOWN
from shopcli.documents import i18n
from shopcli.proposing import replies, reply_words

LANGUAGES = i18n.LANGUAGES
_PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")
REFRESH = "run `python -m shopcli.documents.i18n` and translate what it lists"


@lru_cache(maxsize=1)
def extracted() -> dict:
    """Every message the templates and the package use: id -> message (extraction is slow)."""
    return {message.id: message for message in i18n.extract() if message.id}


@lru_cache(maxsize=8)
def catalog(language: str):
    return i18n.read_catalog(language)


def forms(message) -> list[str]:
    found = message.string
    return list(found) if isinstance(found, (list, tuple)) else [found]


def ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def placeholders(text: str) -> set[str]:
    return {f"%({name}){kind}" for name, kind in _PLACEHOLDER.findall(text)}


def stray_percent(text: str) -> bool:
    """A % that is neither a placeholder nor %%: Jinja's gettext always %-formats."""
    return "%" in _PLACEHOLDER.sub("", text).replace("%%", "")


# -- the catalogs ---------------------------------------------------------------------------


def test_the_languages_agree_everywhere() -> None:
    from shopcli.documents.render import LOCALES

    assert set(LANGUAGES) | {"en"} == set(KNOWN) == set(LOCALES)
    assert set(reply_words.TABLES) == set(reply_words.ANSWER_WORDS) == set(KNOWN)


def test_extraction_finds_the_templates_and_the_python_markers() -> None:
    found = extracted()
    assert "Invoice" in found and "Due date" in found
    assert ("%(num)s item bought at %(price)s", "%(num)s items bought at %(price)s") in found
    assert "transfer" in found  # payment_received.*: the method in the client's words
    for message_id in found:
        for text in ids(found[message_id]):
            assert not stray_percent(text), f"{text!r}: write a literal % as %%"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_holds_exactly_the_messages_in_use(language: str) -> None:
    have = {message.id for message in catalog(language) if message.id}
    missing = [key for key in extracted() if key not in have]
    stale = [key for key in have if key not in extracted()]
    assert not missing, (
        f"{language}: {len(missing)} messages not in the catalog ({REFRESH}): {missing[:5]}"
    )
    assert not stale, f"{language}: messages no template uses any more ({REFRESH}): {stale[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_fully_translated(language: str) -> None:
    gaps = i18n.untranslated(catalog(language))
    assert not gaps, f"{language}: {len(gaps)} untranslated or fuzzy ({REFRESH}): {gaps[:5]}"


# Which numbers share a noun form after them, by each language's grammar (not by CLDR data,
# which a Babel release may revise): Finnish 1 against the rest; Polish 1, 2-4 (not 12-14)
# and the rest; Russian and Ukrainian 1 (not 11), 2-4 (not 12-14) and the rest; Hungarian
# and Chinese keep one form after a number ("3 tétel", "3 件").
def _slavic_east(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


def _polish(n: int) -> str:
    if n == 1:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


GRAMMAR = {
    "fi": lambda n: "one" if n == 1 else "other",
    "pl": _polish,
    "ru": _slavic_east,
    "uk": _slavic_east,
    "hu": lambda n: "other",
    "zh": lambda n: "other",
}


def test_every_language_has_its_grammar() -> None:
    assert set(GRAMMAR) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_messages_have_every_form_of_the_language(language: str) -> None:
    """The catalog's own plural rule picks one form per grammatical class, and every plural
    message has that many forms, none empty."""
    from gettext import c2py  # how gettext itself reads a catalog's Plural-Forms

    found = catalog(language)
    rule = c2py(found.plural_expr)
    chosen: dict[str, set[int]] = {}
    for n in range(0, 1001):
        chosen.setdefault(GRAMMAR[language](n), set()).add(rule(n))
    # Each grammatical class maps to exactly one form, and different classes to different forms.
    assert all(len(forms) == 1 for forms in chosen.values()), (language, chosen)
    used = [next(iter(forms)) for forms in chosen.values()]
    assert len(set(used)) == len(used) == found.num_plurals, (language, chosen)
    assert set(used) == set(range(found.num_plurals))
    plurals = [message for message in found if message.id and message.pluralizable]
    assert plurals, "the templates use ngettext; the catalog must hold plural entries"
    short = [
        message.id[0]
        for message in plurals
        if len(forms(message)) != found.num_plurals or not all(forms(message))
    ]
    assert not short, f"{language}: plural entries without {found.num_plurals} forms: {short}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language: str) -> None:
    wrong = []
    for message in catalog(language):
        if not message.id:
            continue
        wanted = set().union(*(placeholders(text) for text in ids(message)))
        for form in forms(message):
            if form and (placeholders(form) != wanted or stray_percent(form)):
                wrong.append((ids(message)[0], form))
    assert not wrong, f"{language}: placeholders differ from the English: {wrong[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_compiles_and_is_used(language: str) -> None:
    from io import BytesIO

    from babel.support import Translations

    loaded = Translations(BytesIO(i18n.compile_catalog(language)), domain=i18n.DOMAIN)
    assert loaded.gettext("Invoice") != "Invoice" or not catalog(language).get("Invoice").string
    assert i18n.translations(language).gettext("Due date") == loaded.gettext("Due date")


def test_english_is_the_source_language() -> None:
    assert i18n.translations("en").gettext("Due date") == "Due date"


# -- how each language writes around its words ----------------------------------------------

_DATE = re.compile(r"%\((?:date|due|issued|dates|last)\)s")


def translations_of(language: str) -> list[tuple[str, str]]:
    """(English id, translation) for every form of every message."""
    return [(ids(m)[0], form) for m in catalog(language) if m.id for form in forms(m) if form]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_sentence_ends_on_a_date_and_a_second_full_stop(language: str) -> None:
    """Where a date ends with a full stop of its own ("20 grudnia 2030 r.", "2030. december
    20."), a sentence that ends on it takes no second one: the sentence is built around it."""
    import expect

    if not (
        expect.day("2030-12-20", language).endswith(".")
        or (expect.invoice_day("2030-12-20", language).endswith("."))
    ):
        pytest.skip(f"{language} dates end with no full stop")
    doubled = [
        form
        for _, form in translations_of(language)
        for found in _DATE.finditer(form)
        if form[found.end() : found.end() + 1] == "."
        and form[found.end() + 1 : found.end() + 2] in ("", " ", "\n")
    ]
    assert not doubled, f"{language}: a date then a second full stop in {doubled}"


@pytest.mark.parametrize(
    ("language", "lowercase"),
    [("ru", "вы|вам|вас|вами|ваш\\w*"), ("uk", "ви|вам|вас|вами|ваш\\w*")],
    ids=["ru", "uk"],
)
def test_the_client_is_addressed_with_a_capital_you_throughout(language, lowercase) -> None:
    """Letters to one client write the polite "you" with a capital (Вы, Вам, Ваш) everywhere,
    not in one sentence and lowercase in the next."""
    found = [
        form for _, form in translations_of(language) if re.search(rf"\b(?:{lowercase})\b", form)
    ]
    assert not found, f"{language}: lowercase polite you in {found}"


def test_hungarian_never_writes_the_a_z_placeholder_article() -> None:
    """ "a(z)" is what a program writes when it cannot choose: a sentence is built so that the
    article before a number or a name is known (a date first: "a 2030. december 19. …")."""
    found = [form for _, form in translations_of("hu") if "a(z)" in form.lower()]
    assert not found, found


def test_chinese_uses_full_width_marks_and_no_space_around_dates_amounts_and_counts() -> None:
    text_of = [(msgid, _PLACEHOLDER.sub("X", form)) for msgid, form in translations_of("zh")]
    ascii_marks = [form for _, form in text_of if re.search(r"[:;,!?()]", form)]
    assert not ascii_marks, f"ASCII punctuation in Chinese: {ascii_marks}"
    cjk = r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]"
    value = r"%\((?:date|due|issued|dates|last|amount|num|number)\)s"
    spaced = [
        form
        for _, form in translations_of("zh")
        if re.search(rf"{cjk} {value}|{value} {cjk}", form)
    ]
    assert not spaced, f"a space between Chinese and a date, amount or count: {spaced}"


def test_templates_write_the_marks_between_words_and_values_in_the_language() -> None:
    """A label's colon and a parenthesis come from the language ({{ colon }}, {{ open }}):
    a literal ": " or " (" after a value would be ASCII in a Chinese document."""
    literal = re.compile(r"\}\}(?:: | \()")
    found = {
        path.name: literal.findall(path.read_text(encoding="utf-8"))
        for path in paths.builtin_templates().iterdir()
        if path.suffix in (".txt", ".html")
    }
    assert not {name: hits for name, hits in found.items() if hits}


# -- the templates --------------------------------------------------------------------------

GETTEXT = {"_", "gettext", "ngettext"}


def untranslatable(source: str, name: str) -> list[str]:
    """Words a template shows that no translator can reach: text outside the gettext calls."""
    import html

    from jinja2 import nodes

    from shopcli.documents import render

    found = []
    text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.DOTALL)
    if name.endswith(".html"):
        text = re.sub(r"<(style|script)\b.*?</\1>|<!--.*?-->", " ", text, flags=re.DOTALL)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    found += re.findall(r"[A-Za-z]{2,}", text)

    def literals(node) -> None:
        if isinstance(node, nodes.Call) and getattr(node.node, "name", None) in GETTEXT:
            return
        if isinstance(node, (nodes.Compare, nodes.Test, nodes.Getitem)):
            return  # `kind == "flat"`, `is defined`, `row["items"]`: never shown
        if isinstance(node, nodes.Const) and isinstance(node.value, str):
            if re.search(r"[A-Za-z]{2,}", node.value):
                found.append(node.value)
        for child in node.iter_child_nodes():
            literals(child)

    tree = render.environment("en").parse(source, name)
    for output in tree.find_all(nodes.Output):
        for child in output.nodes:
            if not isinstance(child, nodes.TemplateData):
                literals(child)
    return found


def test_the_template_check_sees_text_outside_gettext() -> None:
    assert untranslatable("Total: {{ _('Due') }}", "x.txt") == ["Total"]
    assert untranslatable("<p title='x'>{{ x or 'Nobody here' }}</p>", "x.html") == ["Nobody here"]
    assert untranslatable("{% if kind == 'flat' %}{{ _('Flat fee') }}{% endif %}", "x.txt") == []


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in paths.builtin_templates().iterdir() if p.suffix in (".txt", ".html")),
)
def test_every_word_a_template_shows_is_translatable(name: str) -> None:
    source = (paths.builtin_templates() / name).read_text(encoding="utf-8")
    assert untranslatable(source, name) == []


# -- reply words per language ---------------------------------------------------------------


def decided(text: str, language: str) -> dict[int, tuple[str, str | None]]:
    """What the reply reader makes of a reply to a five-item proposal: item -> (action, note)."""
    items = [replies.ProposedItem(n, f"Item {n}") for n in range(1, 6)]
    return {d.number: (d.action, d.note) for d in replies.read(text, items, language).decisions}


@pytest.mark.parametrize("language", sorted(reply_words.TABLES))
def test_every_language_has_usable_reply_words(language: str) -> None:
    table = reply_words.TABLES[language]
    lexicon = reply_words.lexicon(language)
    for kind in reply_words.LIST_KINDS:
        assert isinstance(table[kind], list), f"{language}: no {kind} list"
    for kind in ("approve", "reject", "change", "neg", "all"):
        assert table[kind], f"{language}: no {kind} words"
    for kind in ("approve", "reject", "change"):
        for word in table[kind]:
            assert word == word.casefold(), word
            if " " in word or reply_words.is_cjk(word):
                continue
            # No other kind may shadow an instruction word, in the client's language or English.
            found = lexicon.word(word.rstrip("*") + ("x" if word.endswith("*") else ""))
            assert found is not None and found[0] == kind, (language, word, found)


@pytest.mark.parametrize("language", sorted(reply_words.TABLES))
def test_what_the_documents_show_reads_back(language: str) -> None:
    line = functools.partial(replies.answer_line, language)
    text = "\n".join(
        [line("approve", [1, 3]), line("reject", [2]) + ": no", line("change", [4]) + ": M"]
    )
    assert decided(text, language) == {
        1: ("approve", None),
        2: ("reject", None),
        3: ("approve", None),
        4: ("change", "M"),
    }
    assert decided(line("approve", None), language) == dict.fromkeys(range(1, 6), ("approve", None))


SAMPLES = {
    "fi": [
        ("Hyväksyn 1 ja 3. Kiitos!", {1: ("approve", None), 3: ("approve", None)}),
        ("hylätään 2: liian iso", {2: ("reject", "liian iso")}),
        ("Vaihda 4: koko S", {4: ("change", "koko S")}),
        ("ok 5", {5: ("approve", None)}),
        ("2 ei käy, muut ok", {1: ("approve", None), 2: ("reject", None),
                              3: ("approve", None), 4: ("approve", None), 5: ("approve", None)}),
    ],
    "pl": [
        ("Akceptuję 1 oraz 3", {1: ("approve", None), 3: ("approve", None)}),
        ("Tak 1, 2", {1: ("approve", None), 2: ("approve", None)}),
        ("Odrzucam 2 – za drogie", {2: ("reject", "za drogie")}),
        ("Zmień 4: rozmiar 38", {4: ("change", "rozmiar 38")}),
        ("2 nie, reszta tak", {1: ("approve", None), 2: ("reject", None),
                              3: ("approve", None), 4: ("approve", None), 5: ("approve", None)}),
    ],
    "hu": [
        ("Elfogadom 1 és 3", {1: ("approve", None), 3: ("approve", None)}),
        ("Elutasítom 2: drága", {2: ("reject", "drága")}),
        ("Módosítás 4: M méret", {4: ("change", "M méret")}),
        ("A 2-est nem kérem", {2: ("reject", None)}),
    ],
    "ru": [
        ("Одобряю 1 и 3", {1: ("approve", None), 3: ("approve", None)}),
        ("Да 2", {2: ("approve", None)}),
        ("Отклоняю 2: дорого", {2: ("reject", "дорого")}),
        ("Поменяйте 4: размер 42", {4: ("change", "размер 42")}),
        ("2 не нужно", {2: ("reject", None)}),
    ],
    "uk": [
        ("Схвалюю 1 і 3", {1: ("approve", None), 3: ("approve", None)}),
        ("Беру 1 та 2", {1: ("approve", None), 2: ("approve", None)}),
        ("Відхиляю 2: задорого", {2: ("reject", "задорого")}),
        ("Змініть 4: розмір 42", {4: ("change", "розмір 42")}),
        ("2 не треба", {2: ("reject", None)}),
    ],
    "zh": [
        ("同意1、3", {1: ("approve", None), 3: ("approve", None)}),
        ("同意 1，3 和 5", {1: ("approve", None), 3: ("approve", None), 5: ("approve", None)}),
        ("批准 2", {2: ("approve", None)}),
        ("不要2：太贵了", {2: ("reject", "太贵了")}),
        ("拒绝2；修改4：换成M码", {2: ("reject", None), 4: ("change", "换成M码")}),
        ("要 3", {3: ("approve", None)}),
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [(language, text, expected) for language, rows in SAMPLES.items() for text, expected in rows],
)
def test_replies_in_the_clients_words(language: str, text: str, expected: dict) -> None:
    assert decided(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fi", "OK, kiitos paljon!"),
        ("fi", "Kyllä, 2 paria riittää"),
        ("pl", "Tak, dziękuję bardzo!"),
        ("hu", "Igen, 2 darab elég"),
        ("uk", "Так, дякую!"),
        ("zh", "好的，谢谢！"),
        ("zh", "要是明天3点能到就好了"),
    ],
)
def test_everyday_words_are_prose_without_item_numbers(language: str, text: str) -> None:
    items = [replies.ProposedItem(n, f"Item {n}") for n in range(1, 6)]
    reading = replies.read(text, items, language)
    assert reading.decisions == [] and reading.skipped


@pytest.mark.parametrize(
    ("language", "text", "says"),
    [
        ("ru", "Одобряю", "not followed by item numbers"),
        ("ru", "Да, 2 вещи подошли", "item 2 is mentioned without a decision"),
        ("fi", "Ehkä 2", "undecided"),
        ("pl", "1 albo 3", "choice"),
        ("hu", "Az első kettőt kérem", "counts items"),
        ("zh", "第二个不要", "could mean item 2 or item"),
        ("pl", "hyväksyn 1", "item 1 is mentioned without a decision"),  # Finnish to a Pole
    ],
)
def test_unreadable_answers_are_refused_in_every_language(
    language: str, text: str, says: str
) -> None:
    items = [replies.ProposedItem(n, f"Item {n}") for n in (1, 3, 2, 4, 5)]
    with pytest.raises(replies.UnreadableReply) as caught:
        replies.read(text, items, language)
    assert says in str(caught.value)


# -- the languages a client may choose -------------------------------------------------------


def test_client_add_and_edit_refuse_an_unknown_language_and_list_the_known(shop) -> None:
    shop("init", "--name", "Mira Halonen", "--email", "mira@example.fi")
    failed = shop.fails("client", "add", "Ilona Varga", "--language", "hungarian")
    for code, name in KNOWN.items():
        assert f"{code} ({name})" in failed.stderr
    assert "language is not a language shopcli knows" in failed.stderr
    assert shop.json("client", "list") == []
    shop("client", "add", "Ilona Varga", "--language", "hu")
    failed = shop.fails("client", "edit", "Ilona Varga", "--language", "sv")
    assert "not a language shopcli knows" in failed.stderr and "zh (" in failed.stderr
    assert shop.json("client", "show", "Ilona Varga")["language"] == "hu"


@pytest.mark.parametrize(
    ("given", "stored"),
    [(code, code) for code in KNOWN] + [("fi_FI", "fi"), ("PL", "pl"), ("zh-Hans", "zh")],
)
def test_client_language_is_stored_as_its_code(shop, given: str, stored: str) -> None:
    shop("init", "--name", "Mira Halonen", "--email", "mira@example.fi")
    shop("client", "add", "Ilona Varga", "--language", given)
    assert shop.json("client", "show", "Ilona Varga")["language"] == stored
    shop("client", "edit", "Ilona Varga", "--language", "en")
    assert shop.json("client", "show", "Ilona Varga")["language"] == "en"


def test_the_profile_refuses_an_unknown_language_too(shop) -> None:
    failed = shop.fails("init", "--name", "Mira Halonen", "--language", "xx")
    assert "known languages: en (English)" in failed.stderr
    shop("init", "--name", "Mira Halonen")
    assert "known languages" in shop.fails("profile", "set", "language", "sv").stderr
    assert json.loads(shop("profile", "show", "--json").stdout).get("language") == "en"
