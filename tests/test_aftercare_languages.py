"""Aftercare in every document language: the follow-up (text and .eml) and the proposal's
"last time" are in the client's language with local dates, no English leaks into them, the
answer words they show are read back, and the answer flows into the next proposal.

Each language's client (from test_documents_languages) gets two gifts handed over, is asked
how they went, answers in the words shown with notes of their own (pasting the follow-up
below, as some mail programs do), and gets a next proposal for the same recipient.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from shopcli.core.languages import PUNCTUATION
from shopcli.delivering import feedback_replies
from shopcli.documents import i18n
from test_documents_languages import (  # noqa: F401 (quick: the shared template cache)
    CLIENTS,
    ISO_DATE,
    LANGUAGES,
    SHOPPER,
    TRANSLATED,
    Document,
    day,
    english_phrases,
    from_eml,
    from_html,
    leaks,
    outside_the_catalog,
    pseudo_translations,
    quick,
    run,
    run_bytes,
)

RETURN_BY, HANDED_ON, TODAY = "2031-01-10", "2030-12-18", "2030-12-28"


@dataclass
class Aftercare:
    """One language's documents and what was recorded from the answer."""

    follow_up: Document
    follow_up_eml: Document
    proposal: Document
    proposal_html: Document
    answer: str
    gifts: dict[str, list[dict]]


def walk(language: str) -> Aftercare:
    c = CLIENTS[language]
    (oldest, old_relation, _), (young, young_relation, _) = c.recipients
    _bike, socks, book, _card, toy, _scarf = c.items
    run("init", "--name", SHOPPER[0], "--email", SHOPPER[1], "--currency", c.currency)
    run("profile", "set", "business_name", SHOPPER[2])
    run("client", "add", c.name, "--email", c.email, "--language", language)
    run("recipient", "add", c.name, oldest, "--relation", old_relation)
    run("recipient", "add", c.name, young, "--relation", young_relation)
    run("job", "add", c.name, c.job, "--fee", "flat:150")
    run("item", "add", c.job, socks, "--for", oldest, "--price", "19.90", "--store", "Lanka",
        "--return-by", RETURN_BY)  # fmt: skip
    run("item", "add", c.job, book, "--for", young, "--price", "24.90", "--store", "Kirjava")
    run("propose", c.job)
    run("approve", c.job, "1", "2")
    for number in ("#1", "#2"):
        run("item", "mark", number, "ordered", "--job", c.job)
        run("item", "receive", number, "--ok", "--job", c.job, "--on", HANDED_ON)
    run("handover", c.job, "--method", "pickup", "--date", HANDED_ON)
    follow_up = Document("follow-up", run("notify", c.job, "follow-up", "--today", TODAY))
    eml = from_eml(
        "follow-up.eml",
        run_bytes("notify", c.job, "follow-up", "--format", "eml", "--today", TODAY),
    )
    # The client answers with the words shown, in notes of their own, the follow-up below.
    examples = [line.strip() for line in follow_up.text.splitlines() if line.startswith("    ")]
    colon = PUNCTUATION[language]["colon"]  # full-width in Chinese
    shown = [line for line in examples if colon.strip() in line]
    answer = "\n".join(
        f"{line.split(colon.strip())[0]}{colon}{note}"
        for line, note in zip(shown, (c.change_note, c.reject_note), strict=True)
    )
    run("feedback", c.job, "--reply", "-", "--on", TODAY, input=f"{answer}\n\n{follow_up.text}")
    gifts = {
        name: json.loads(run("recipient", "show", name, "--json"))["gifts"]
        for name in (oldest, young)
    }
    later = f"{c.job} (2)"
    run("job", "add", c.name, later)
    run("item", "add", later, toy, "--for", oldest, "--price", "15")
    proposal = Document("proposal", run("propose", later, "--preview"))
    page = from_html("proposal.html", run("propose", later, "--preview", "--format", "html"))
    return Aftercare(follow_up, eml, proposal, page, answer, gifts)


@pytest.fixture(scope="module")
def aftercare(tmp_path_factory) -> Callable[..., Aftercare]:
    from shopcli.documents import render

    built: dict[tuple[str, bool], Aftercare] = {}

    def get(language: str, *, pseudo: bool = False) -> Aftercare:
        if (language, pseudo) not in built:
            folder = tmp_path_factory.mktemp(f"aftercare-{language}") / "home"
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("SHOP_HOME", str(folder))
                if pseudo:
                    patch.setattr(i18n, "translations", pseudo_translations)
                render.environment.cache_clear()
                try:
                    built[(language, pseudo)] = walk(language)
                finally:
                    render.environment.cache_clear()
        return built[(language, pseudo)]

    return get


def translated(language: str, message: str) -> str:
    return i18n.translations(language).gettext(message)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_follow_up_speaks_the_clients_language(aftercare, language: str) -> None:
    done = aftercare(language)
    c = CLIENTS[language]
    text, eml = done.follow_up.text, done.follow_up_eml
    asked = translated(language, "How were the gifts received? %(job)s") % {"job": c.job}
    assert text.splitlines()[0].endswith(asked)
    assert eml.subject == asked and eml.lang_attribute == language
    for item in (c.items[1], c.items[2]):
        assert item in text and item in eml.text
    # The open return window, with the date as the client's locale writes it.
    assert day(RETURN_BY, language) in text and not ISO_DATE.findall(text)
    words = feedback_replies.example_words(language)
    for verdict in feedback_replies.VERDICTS:
        assert words[verdict] in text
    recommendation = words["recommendation"].capitalize()
    assert f"{recommendation}:" in text or f"{recommendation}：" in text
    if language != "en":
        phrases = english_phrases(language)
        assert not leaks(text, phrases), leaks(text, phrases)
        assert not leaks(eml.text, phrases) and not leaks(eml.subject or "", phrases)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_answer_in_the_words_shown_is_recorded(aftercare, language: str) -> None:
    done = aftercare(language)
    c = CLIENTS[language]
    (oldest, _, _), (young, _, _) = c.recipients
    assert [(g["feedback"]["verdict"], g["feedback"]["note"]) for g in done.gifts[oldest]] == [
        ("loved", c.change_note)
    ]
    assert [(g["feedback"]["verdict"], g["feedback"]["note"]) for g in done.gifts[young]] == [
        ("disliked", c.reject_note)
    ]
    assert {g["feedback"]["source"] for g in done.gifts[oldest] + done.gifts[young]} == {"reply"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_next_proposal_recalls_last_time_in_the_clients_language(aftercare, language):
    done = aftercare(language)
    c = CLIENTS[language]
    last = translated(language, "Last time (%(job)s)") % {"job": c.job}
    loved = translated(language, "loved it")
    colon, dash = PUNCTUATION[language]["colon"], PUNCTUATION[language]["dash"]
    expected = f"{last}{colon}{c.items[1]}{dash}{loved}{colon}{c.change_note}"
    assert expected in done.proposal.text
    assert expected in " ".join(done.proposal_html.text.split())
    if language != "en":
        phrases = english_phrases(language)
        line = next(row for row in done.proposal.text.splitlines() if row.startswith(last))
        assert not leaks(line, phrases) and loved != "loved it"


@pytest.mark.parametrize("language", ["ru", "zh"])
def test_python_code_adds_no_english_to_the_aftercare_documents(aftercare, language) -> None:
    c = CLIENTS[language]
    done = aftercare(language, pseudo=True)
    typed = [*SHOPPER, c.name, c.job, *c.items, "Lanka", "Kirjava", c.currency]
    for document in (done.follow_up, done.follow_up_eml):
        assert not outside_the_catalog(document.text, typed), document.kind
    dash = PUNCTUATION[language]["dash"]
    line = next(row for row in done.proposal.text.splitlines() if f"{c.items[1]}{dash}" in row)
    assert not outside_the_catalog(line, typed)


def test_every_translation_keeps_the_recommendation_word_placeholder() -> None:
    message = (
        "And if you were happy with my help, I would be grateful for a short recommendation "
        "that I may show to people looking for a personal shopper. Write it on a line of its "
        "own that starts with “%(word)s:”."
    )
    for language in TRANSLATED:
        assert "%(word)s" in translated(language, message), language
