"""The reply parser: what a client's emailed answer says, line by line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopcli.core.errors import InvalidInput
from shopcli.proposing import replies
from shopcli.proposing.replies import UnreadableReply, parse


def understood(text: str, language: str = "en") -> list[tuple[str, tuple[int, ...], str | None]]:
    return [(i.action, i.numbers, i.note) for i in parse(text, language).instructions]


def test_the_documented_example_on_one_line() -> None:
    assert understood("approve 1, 3; reject 2; change 4: size M") == [
        ("approve", (1, 3), None),
        ("reject", (2,), None),
        ("change", (4,), "size M"),
    ]


def test_one_instruction_per_line_case_insensitive_with_prose_around() -> None:
    text = (
        "Hi Ola,\n"
        "\n"
        "APPROVE 1 and 3\n"
        "Reject #2 - she has one already\n"
        "  * change 4: size M; navy if they have it\n"
        "\n"
        "Thanks so much!\n"
        "Best, Hana\n"
        "+44 20 7946 0958\n"
    )
    reply = parse(text)
    assert [(i.action, i.numbers, i.note, i.line) for i in reply.instructions] == [
        ("approve", (1, 3), None, 3),
        ("reject", (2,), "she has one already", 4),
        ("change", (4,), "size M; navy if they have it", 5),
    ]
    assert [line for line, _ in reply.ignored] == [1, 7, 8, 9]


def test_quoted_lines_and_everything_after_a_signature_are_ignored() -> None:
    text = "approve 1\n> reject 2\n>> change 3: size S\n-- \napprove 4\n"
    assert understood(text) == [("approve", (1,), None)]
    outlook = "reject 2\n\n-----Original Message-----\napprove 1, 3; reject 2\n"
    assert understood(outlook) == [("reject", (2,), None)]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("approve 1 3 5", (1, 3, 5)),
        ("approve 1,3,5.", (1, 3, 5)),
        ("approved: 2-4", (2, 3, 4)),
        ("accept #7 & #8", (7, 8)),
        ("approve 1, 1, 2", (1, 2)),
        ("Approve 2 + 3 please", (2, 3)),
    ],
)
def test_ways_to_write_item_numbers(text: str, numbers: tuple[int, ...]) -> None:
    assert parse(text).instructions[0].numbers == numbers


def test_all_means_every_item_awaiting_an_answer() -> None:
    [instruction] = parse("approve all").instructions
    assert instruction.all_items and instruction.numbers == ()
    assert understood("approve everything; reject 2: too big") == [
        ("approve", (), None),
        ("reject", (2,), "too big"),
    ]


def test_the_clients_language_adds_words_and_english_still_works() -> None:
    assert understood("zatwierdzam 1 i 3\nodrzucam 2\nchange 4: rozmiar M", "pl") == [
        ("approve", (1, 3), None),
        ("reject", (2,), None),
        ("change", (4,), "rozmiar M"),
    ]
    # Polish words are not English ones: for an English client they are prose.
    assert parse("zatwierdzam 1", "en").instructions == []


def test_prose_without_numbers_that_mentions_a_word_is_skipped() -> None:
    reply = parse("Thanks for all the changes!\napprove 1")
    assert understood("Thanks for all the changes!\napprove 1") == [("approve", (1,), None)]
    assert reply.ignored == [(1, "Thanks for all the changes!")]


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("Hello\nplease approve 1 and 3", 2, "does not start with it"),
        ("aprove 1, 3", 1, "did you mean 'approve'"),
        ("rejct 2", 1, "did you mean 'reject'"),
        ("approve", 1, "which items"),
        ("approve the scarf", 1, "which items"),
        ("approve 1\nreject 1", 2, "item 1 is answered twice (also on line 1)"),
        ("approve 1; reject 1", 1, "answered twice"),
        ("approve 5-2", 1, "not a range"),
        ("approve 1-900", 1, "not a range"),
        ("approve 12b", 1, "stand alone"),
        ("approve all but 2", 1, "exceptions to 'all'"),
        ("approve all\nreject all", 2, "'all' is used twice"),
    ],
)
def test_unreadable_lines_refuse_the_whole_reply_naming_the_line(
    text: str, line: int, says: str
) -> None:
    with pytest.raises(UnreadableReply) as caught:
        parse(text)
    assert caught.value.line == line
    assert f"line {line} (" in str(caught.value)
    assert says in str(caught.value)


def test_keywords_are_a_table_another_language_can_join(monkeypatch) -> None:
    monkeypatch.setitem(
        replies.KEYWORDS,
        "hu",
        {
            "approve": ["elfogadom"],
            "reject": ["elutasítom"],
            "change": ["módosítás"],
            "all": ["mindet"],
            "and": ["és"],
        },
    )
    assert understood("Elfogadom 1 és 3; elutasítom 2", "hu") == [
        ("approve", (1, 3), None),
        ("reject", (2,), None),
    ]
    assert understood("elfogadom mindet", "hu") == [("approve", (), None)]


def test_example_words_are_english_until_a_language_is_switched_on(monkeypatch) -> None:
    monkeypatch.setattr(replies, "EXAMPLE_LANGUAGES", set())
    assert replies.example_words("pl")["approve"] == "approve"
    monkeypatch.setattr(replies, "EXAMPLE_LANGUAGES", {"pl"})
    words = replies.example_words("pl")
    assert words["approve"] == "zatwierdzam"
    # Whatever a document shows must read back as the same instruction.
    assert understood(f"{words['approve']} 1 {words['and']} 2", "pl") == [("approve", (1, 2), None)]


@pytest.mark.parametrize(
    ("values", "numbers"),
    [(["1", "3"], [1, 3]), (["1,3"], [1, 3]), (["#2", "4-5"], [2, 4, 5]), (["2", "2"], [2])],
)
def test_item_numbers_on_the_command_line(values: list[str], numbers: list[int]) -> None:
    assert replies.parse_numbers(values) == numbers


@pytest.mark.parametrize("values", [["one"], ["1x"], ["3-1"], [""], ["-2"]])
def test_bad_item_numbers_on_the_command_line(values: list[str]) -> None:
    with pytest.raises(InvalidInput):
        replies.parse_numbers(values)


# -- properties -----------------------------------------------------------------------------

ACTION_WORDS = {action: replies.KEYWORDS["en"][action] for action in replies.ACTIONS}
note_text = st.text(
    alphabet=st.characters(whitelist_categories=("Ll", "Lu"), whitelist_characters=" ,.'"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() and s.strip()[0].isalpha())


@st.composite
def answers(draw):
    """A reply as (action, numbers, note) instructions, each item answered once."""
    pool = draw(st.lists(st.integers(1, 500), min_size=1, max_size=12, unique=True))
    found = []
    while pool:
        size = draw(st.integers(1, len(pool)))
        numbers, pool = tuple(pool[:size]), pool[size:]
        action = draw(st.sampled_from(replies.ACTIONS))
        note = draw(st.none() | note_text)
        found.append((action, numbers, note.strip() if note else None))
    return found


@st.composite
def written(draw, instructions):
    """Write instructions the ways clients do: any case, any separators, prose around."""
    pieces = []
    for action, numbers, note in instructions:
        word = draw(st.sampled_from(ACTION_WORDS[action]))
        word = draw(st.sampled_from([word, word.upper(), word.capitalize()]))
        joiner = draw(st.sampled_from([", ", " ", " and ", ",", " & "]))
        listed = joiner.join(draw(st.sampled_from(["", "#"])) + str(n) for n in numbers)
        colon = draw(st.sampled_from([" ", ": ", ":"]))
        text = f"{word}{colon}{listed}"
        if note:
            text += draw(st.sampled_from([": ", " - ", " — "])) + note
        pieces.append(text)
    lines: list[str] = []
    for piece in pieces:
        if lines and draw(st.booleans()):
            lines[-1] += "; " + piece
        else:
            lines.append(piece)
    if draw(st.booleans()):
        lines.insert(0, "Hello there,")
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), "> approve 999")
    lines += draw(st.sampled_from([[], ["", "Thanks!", "Hana"], ["-- ", "reject 1"]]))
    return "\n".join(lines)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_well_written_reply_reads_back_exactly(data) -> None:
    instructions = data.draw(answers())
    text = data.draw(written(instructions))
    assert understood(text) == instructions


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_cleanly(text: str) -> None:
    try:
        reply = parse(text)
    except UnreadableReply as exc:
        assert exc.line >= 1
        return
    seen: list[int] = []
    for instruction in reply.instructions:
        assert instruction.action in replies.ACTIONS
        assert instruction.numbers or instruction.all_items
        seen.extend(instruction.numbers)
    assert len(seen) == len(set(seen)), "an item must never be answered twice"
