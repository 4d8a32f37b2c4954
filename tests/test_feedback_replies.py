"""Reading the client's answer to the follow-up: understood in full or refused in full.

The grammar is tried on natural replies in every language, on the mail around them (quotes,
attributions, Outlook header blocks, signatures) and, with Hypothesis, on answers written
every way the rules allow and on arbitrary text: an answer is never invented.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopcli.delivering import feedback_replies as replies
from shopcli.delivering.feedback_replies import UnreadableReply, fingerprint, parse

LANGUAGES = tuple(replies.KEYWORDS)


def verdicts(text: str, language: str = "en", **kwargs) -> list[tuple[str, tuple, str | None]]:
    return [(a.verdict, a.numbers, a.note) for a in parse(text, language, **kwargs).answers]


def refused(text: str, language: str = "en", *, line: int, says: str, **kwargs) -> None:
    with pytest.raises(UnreadableReply) as caught:
        parse(text, language, **kwargs)
    assert caught.value.line == line, str(caught.value)
    assert says in str(caught.value), str(caught.value)


# -- natural replies in each language --------------------------------------------------------

NATURAL = {
    "en": "Hi Maija,\n\n1 loved: wears it every day\n2. disliked - too scratchy\n#3 returned\n"
    "liked 4 and 5\n\nThanks!\nAnna",
    "fi": "Hei Maija!\n\n1 ihastui: käyttää joka päivä\n2 ei tykännyt – liian kutittava\n"
    "3 palautettu\ntykkäsi 4 ja 5\n\nKiitos,\nAino",
    "pl": "Dzień dobry,\n\n1 bardzo się podoba: nosi codziennie\n2 nie podoba się – gryzie\n"
    "3 zwrot\npodoba się 4 i 5\n\nPozdrawiam\nZofia",
    "hu": "Kedves Maija!\n\n1 imádta: mindennap hordja\n2 nem tetszett - szúr\n"
    "3 visszaküldve\ntetszett 4 és 5\n\nKöszönöm,\nRéka",
    "ru": "Здравствуйте!\n\n1 в восторге: носит каждый день\n2 не понравилось — колючий\n"
    "3 возврат\nпонравилось 4 и 5\n\nСпасибо,\nИрина",
    "uk": "Добрий день!\n\n1 у захваті: носить щодня\n2 не сподобалося — колючий\n"
    "3 повернення\nсподобалося 4 і 5\n\nДякую,\nОлена",
    "zh": "你好！\n\n1号很喜欢：每天都戴\n2不喜欢：太扎了\n3退货\n喜欢4和5\n\n谢谢\n王丽",
}
NOTES = {
    "en": ("wears it every day", "too scratchy"),
    "fi": ("käyttää joka päivä", "liian kutittava"),
    "pl": ("nosi codziennie", "gryzie"),
    "hu": ("mindennap hordja", "szúr"),
    "ru": ("носит каждый день", "колючий"),
    "uk": ("носить щодня", "колючий"),
    "zh": ("每天都戴", "太扎了"),
}


def test_every_document_language_has_its_words() -> None:
    from shopcli.core import languages

    assert set(LANGUAGES) == {languages.SOURCE, *languages.TRANSLATED}
    for language, table in replies.KEYWORDS.items():
        assert set(table) == set(replies.KEYWORDS["en"]), language
        assert all(table[verdict] for verdict in replies.VERDICTS), language
    # No phrase means two verdicts, in a language or against English.
    for language in LANGUAGES:
        seen: dict[str, str] = {}
        for code in {"en", language}:
            for verdict in replies.VERDICTS:
                for phrase in replies.KEYWORDS[code][verdict]:
                    key = " ".join(phrase.casefold().split())
                    assert seen.setdefault(key, verdict) == verdict, (language, phrase)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_natural_reply_in_each_language_is_read(language: str) -> None:
    loved, disliked = NOTES[language]
    assert verdicts(NATURAL[language], language) == [
        ("loved", (1,), loved),
        ("disliked", (2,), disliked),
        ("returned", (3,), None),
        ("liked", (4, 5), None),
    ]
    skipped = parse(NATURAL[language], language).skipped
    assert skipped and {why for _, _, why in skipped} == {"prose"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_english_words_count_for_every_client(language: str) -> None:
    assert verdicts("1 loved\n2 returned: too big", language) == [
        ("loved", (1,), None),
        ("returned", (2,), "too big"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_words_a_follow_up_shows_read_back(language: str) -> None:
    words = replies.example_words(language)
    text = "\n".join(f"{n} {words[v]}" for n, v in enumerate(replies.VERDICTS, start=1))
    assert [a.verdict for a in parse(text, language).answers] == list(replies.VERDICTS)
    line = f"{words['recommendation'].capitalize()}: thank you"
    assert parse(line, language).recommendation == (1, "thank you")


def test_negations_are_read_whole_or_refused() -> None:
    assert verdicts("1 didn't like it\n2 did not like") == [
        ("disliked", (1,), None),
        ("disliked", (2,), None),
    ]
    assert verdicts("1 ei tykännyt\n2 tykkäsi", "fi") == [
        ("disliked", (1,), None),
        ("liked", (2,), None),
    ]
    assert verdicts("1 nie podoba się\n2 podoba się", "pl") == [
        ("disliked", (1,), None),
        ("liked", (2,), None),
    ]
    assert verdicts("1不喜欢\n2很喜欢\n3喜欢", "zh") == [
        ("disliked", (1,), None),
        ("loved", (2,), None),
        ("liked", (3,), None),
    ]
    refused("1 not liked", line=1, says="after the item number comes one verdict word")
    refused("1 ei ihastunut", "fi", line=1, says="after the item number")
    refused("1很不喜欢", "zh", line=1, says="after the item number")


def test_several_answers_on_a_line_and_a_note_carried_on() -> None:
    assert verdicts("1 loved; 2 liked; 3 returned: too big") == [
        ("loved", (1,), None),
        ("liked", (2,), None),
        ("returned", (3,), "too big"),
    ]
    assert verdicts("1 loved; she wears it every day") == [
        ("loved", (1,), "she wears it every day")
    ]
    assert verdicts("Thanks; 1 loved") == [("loved", (1,), None)]


def test_item_numbers_read_as_in_a_reply_to_a_proposal() -> None:
    """Numbers and ranges as the proposal reader reads them; answers separated by a comma as
    "1 approve, 3 reject" is read."""
    assert verdicts("1 loved, 3 disliked") == [("loved", (1,), None), ("disliked", (3,), None)]
    assert verdicts("loved 1, liked 2: a note") == [
        ("loved", (1,), None),
        ("liked", (2,), "a note"),
    ]
    assert verdicts("1-3 liked; #5 returned, 4 loved it") == [
        ("liked", (1, 2, 3), None),
        ("returned", (5,), None),
        ("loved", (4,), None),
    ]
    assert verdicts("No. 4 loved, 2nd disliked - too small") == [
        ("loved", (4,), None),
        ("disliked", (2,), "too small"),
    ]
    assert verdicts("1喜欢，3号不喜欢：太小了", "zh") == [
        ("liked", (1,), None),
        ("disliked", (3,), "太小了"),
    ]
    # A comma that does not start another answer still starts a note.
    assert verdicts("1 loved, she wears it every day") == [
        ("loved", (1,), "she wears it every day")
    ]
    reply = parse("1 loved, 3 disliked")
    assert [a.text for a in reply.answers] == ["1 loved", "3 disliked"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1 not liked", "after the item number comes one verdict word"),
        ("3-1 loved", "'3-1' is not a range of item numbers"),
        ("1 loved, 2 sizes too big", "after the item number comes one verdict word"),
        ("1000 loved", "'1000' is not an item number"),
        ("01 loved", "'01' is not an item number"),
        ("1 loved: 2 liked", "the note reads like another answer"),
        ("1 liked: and 2 loved", "the note reads like another answer"),
        ("1 loved and 2 liked", "cannot read 'and 2 liked'"),
        ("1 adored it very much", "cannot read 'very much'"),
        ("loved", "which gift?"),
        ("Liisa loved the scarf", "mentions 'loved'"),
        ("We loved everything you chose", "mentions 'loved'"),
        ("Call me on 040 123 4567", "holds a number"),
        ("The 2 gifts were great", "holds a number"),
        ("1 loved; 2", "after the item number"),
        ("thanks; see you in 2027", "holds a number"),
        ("1 loved\n1 liked", "item 1 is answered twice (also on line 2)"),
        ("1 loved; 1 liked", "item 1 is answered twice (also on this line)"),
        ("loved 1, 2\n2 liked", "item 2 is answered twice"),
    ],
)
def test_what_cannot_be_read_refuses_the_reply_naming_the_line(text: str, says: str) -> None:
    last = len(text.splitlines())
    refused(f"Hello Maija,\n{text}\nAnna", line=last + 1, says=says)


def test_a_refusal_names_the_line_and_never_echoes_a_long_one_whole() -> None:
    with pytest.raises(UnreadableReply) as caught:
        parse("ok\n" + "2 " + "x" * 200)
    assert str(caught.value).startswith("line 2 (")
    assert "x" * 100 not in str(caught.value)


def test_the_recommendation_line_is_taken_as_written() -> None:
    reply = parse("1 loved\nRecommendation: Maija loved the hunt and found 3 perfect gifts!\nAnna")
    assert reply.recommendation == (2, "Maija loved the hunt and found 3 perfect gifts!")
    assert [a.verdict for a in reply.answers] == ["loved"]
    # Only the line that starts with the word: the same words elsewhere are read as usual.
    refused("1 loved\nMy recommendation: I loved it", line=2, says="mentions 'loved'")
    assert parse("Suositus: ihana palvelu", "fi").recommendation == (1, "ihana palvelu")
    assert parse("推荐：服务很周到", "zh").recommendation == (1, "服务很周到")


# -- the mail around the answer ------------------------------------------------------------

SENT = "Subject: How were the gifts received? Christmas 2026\n\n1. Merino wool scarf — for Liisa"
QUOTES = {
    "gmail": "On Tue, 22 Dec 2026 at 10:00, Maija Mäkinen <maija@example.fi> wrote:\n{sent}",
    "gmail wrapped": "On Tue, 22 Dec 2026 at 10:00, Maija Mäkinen <\nmaija@example.fi> wrote:\n"
    "{sent}",
    "gmail wrapped before wrote": "On Tue, Dec 22, 2026 at 10:00 AM Maija Mäkinen "
    "<maija@example.fi>\nwrote:\n{sent}",
    "gmail fi": "ti 22.12.2026 klo 10.00 Maija Mäkinen (maija@example.fi) kirjoitti:\n{sent}",
    "gmail pl": "wt., 22 gru 2026 o 10:00 Maija Mäkinen <maija@example.fi> napisał(a):\n{sent}",
    "gmail hu": "Maija Mäkinen <maija@example.fi> ezt írta (időpont: 2026. dec. 22., K, "
    "10:00):\n{sent}",
    "gmail ru": "вт, 22 дек. 2026 г. в 10:00, Maija Mäkinen <maija@example.fi>:\n{sent}",
    "gmail uk": "вт, 22 груд. 2026 р. о 10:00 Maija Mäkinen <maija@example.fi> пише:\n{sent}",
    "gmail zh": "Maija Mäkinen <maija@example.fi> 于2026年12月22日周二 10:00写道：\n{sent}",
    "outlook": "From: Maija Mäkinen <maija@example.fi>\nSent: Tuesday, December 22, 2026 "
    "10:00\nTo: Anna\nSubject: How were the gifts received?\n\n{sent}",
    "outlook fi": "Lähettäjä: Maija Mäkinen <maija@example.fi>\nLähetetty: tiistai 22. "
    "joulukuuta 2026 10.00\nVastaanottaja: Anna\n\n{sent}",
    "outlook pl": "Od: Maija Mäkinen\nWysłano: wtorek, 22 grudnia 2026 10:00\nDo: Anna\n\n{sent}",
    "outlook hu": "Feladó: Maija Mäkinen\nElküldve: 2026. december 22., kedd 10:00\n\n{sent}",
    "outlook ru": "От: Maija Mäkinen\nОтправлено: 22 декабря 2026 г. 10:00\nКому: Anna\n\n{sent}",
    "outlook uk": "Від: Maija Mäkinen\nНадіслано: 22 грудня 2026 р. 10:00\nКому: Anna\n\n{sent}",
    "outlook zh": "发件人: Maija Mäkinen\n发送时间: 2026年12月22日 10:00\n收件人: Anna\n\n{sent}",
    "original message": "-----Original Message-----\n{sent}",
    "original message fi": "-----Alkuperäinen viesti-----\n{sent}",
    "qq mail": "------------------ 原始邮件 ------------------\n{sent}",
    "outlook web rule": "________________________________\n{sent}",
    "signature": "-- \nAnna Virtanen\n+358 40 123 4567\n{sent}",
}


@pytest.mark.parametrize("style", QUOTES)
def test_reading_stops_where_the_quoted_mail_starts(style: str) -> None:
    text = "Hi!\n1 loved: every day\n2 liked\n\n" + QUOTES[style].format(sent=SENT)
    assert verdicts(text) == [("loved", (1,), "every day"), ("liked", (2,), None)]


def test_quoted_lines_are_skipped_and_the_reply_read_on() -> None:
    text = "> 1. Merino wool scarf\n> 2 loved\n1 liked\n>> 3 returned\n"
    reply = parse(text)
    assert [(a.verdict, a.numbers) for a in reply.answers] == [("liked", (1,))]
    assert [why for _, _, why in reply.skipped] == ["quoted", "quoted", "quoted"]


def test_an_answer_that_ends_like_an_attribution_is_still_an_answer() -> None:
    assert verdicts("1 loved: she wrote:\n2 liked") == [
        ("loved", (1,), "she wrote:"),
        ("liked", (2,), None),
    ]


def test_lines_repeating_the_sent_follow_up_are_skipped() -> None:
    sent = frozenset(fingerprint(line) for line in SENT.splitlines() if line.strip())
    text = (
        "1 loved\n\n1.  Merino wool scarf — FOR Liisa\nSubject: How were the gifts received? "
        "Christmas 2026\n"
    )
    reply = parse(text, sent=sent)
    assert [(a.verdict, a.numbers) for a in reply.answers] == [("loved", (1,))]
    assert [(n, why) for n, _, why in reply.skipped] == [
        (3, "repeated from the follow-up"),
        (4, "repeated from the follow-up"),
    ]
    # Without the fingerprints the same lines hold numbers that are not answers.
    refused(text, line=3, says="after the item number")


# -- properties ------------------------------------------------------------------------------

_NOTE_TEXT = st.text(alphabet="abcfghjkmnpqrsu ", min_size=1, max_size=20).filter(
    lambda text: text.strip() == text and "  " not in text
)


@st.composite
def answer_lines(draw, language: str):
    """Answers written every way the rules allow, with what they mean."""
    table = replies.KEYWORDS
    numbers = draw(st.lists(st.integers(1, 999), min_size=1, max_size=30, unique=True))
    chunks = []
    expected = []
    rest = list(numbers)
    while rest:
        size = draw(st.integers(1, min(3, len(rest))))
        group, rest = rest[:size], rest[size:]
        verdict = draw(st.sampled_from(replies.VERDICTS))
        word = draw(st.sampled_from(table[language][verdict] + table["en"][verdict]))
        shout = draw(st.booleans())
        word = word.upper() if shout else word
        joiner = draw(st.sampled_from([", ", " ", f" {table[language]['and'][0]} "]))
        listed = joiner.join(draw(st.sampled_from(["{}", "#{}"])).format(n) for n in group)
        note = draw(st.one_of(st.none(), _NOTE_TEXT))
        if draw(st.booleans()):
            text = f"{listed}{draw(st.sampled_from([' ', '. ', ') ', ': ', ' - ']))}{word}"
        else:
            text = f"{word}{draw(st.sampled_from([' ', ': ']))}{listed}"
        if note is not None:
            text += draw(st.sampled_from([": ", " - ", " – "])) + note
        chunks.append(text)
        expected.append((verdict, tuple(group), note))
    return chunks, expected


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_way_of_writing_an_answer_is_read_as_meant(language: str, data) -> None:
    chunks, expected = data.draw(answer_lines(language))
    separator = data.draw(st.sampled_from(["\n", "\n\n", "; "]))
    text = "Hello,\n" + separator.join(chunks) + "\nThanks\n"
    assert verdicts(text, language) == expected


_ANY = st.lists(
    st.sampled_from(
        list("0123456789 #:;,.-–>\n")
        + ["loved", "liked", "not", "and", "it", "wrote", "@"]
        + ["ihastui", "ei", "不喜欢", "喜欢", "Recommendation:", "From:", "Sent:", "x", "Ä"]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_ANY, st.sampled_from(LANGUAGES))
def test_any_text_is_read_or_refused_and_no_answer_is_invented(text: str, language: str) -> None:
    """Whatever arrives, the reader either refuses naming a line or reads answers that each
    come from a line starting with an item number or a verdict word."""
    try:
        reply = parse(text, language)
    except UnreadableReply as exc:
        assert 1 <= exc.line <= max(len(text.splitlines()), 1)
        return
    lines = text.splitlines()
    verdict = replies.words(language).verdict
    for answer in reply.answers:
        piece = answer.text
        assert re.match(r"#?\d", piece) or verdict.match(piece), answer
        assert piece in lines[answer.line - 1]
        assert answer.verdict in replies.VERDICTS and answer.numbers


def test_fingerprints_ignore_spacing_and_case_and_hide_the_words() -> None:
    assert fingerprint("1.  Merino wool SCARF ") == fingerprint("1. merino wool scarf")
    assert fingerprint("1 loved") != fingerprint("1 liked")
    assert "scarf" not in fingerprint("1. Merino wool scarf")
    assert re.fullmatch(r"[0-9a-f]{16}", fingerprint("x"))
