"""Card numbers are refused; the ids, IBANs and numbers a shopper really writes pass."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopcli.core.cards import find_card_number, may_hold_card_number, refuse_card_numbers
from shopcli.core.errors import CardNumberRefused

CARDS = [
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "4111111111111111",
    "card: 5555 5555 5555 4444 exp 12/28",
    "her Amex 3782 822463 10005 please",
    "371449635398431",
    "6200 0000 0000 0005",  # UnionPay
    "2200 0000 0000 0004",  # Mir
    "3530 1113 3330 0000",  # JCB
    "6011 1111 1111 1117",  # Discover
    "Visa 4012888888881881, cvv 123",
    "4111 1111 1111 1111 123",  # with a CVV in the same run
    "5105105105105100",
    "2223003122003222",  # Mastercard 2-series
    "4111\u00a01111\u00a01111\u00a01111",  # pasted with no-break spaces
    "４１１１ １１１１ １１１１ １１１１",  # full-width digits from a Chinese keyboard
    "ref A1 4111 1111 1111 1111",  # a code word just before it does not hide it
    "CVV2 4111-1111-1111-1111",
    "4111.1111.1111.1111",
    "4111/1111/1111/1111",
    "4111  1111\t1111 1111",
]

NOT_CARDS = [
    "FI21 1234 5600 0007 85",
    "FI2112345600000785",
    "PL61 1090 1014 0000 0712 1981 2874",
    "HU42 1177 3016 1111 1018 0000 0000",
    "DE89 3704 0044 0532 0130 00",
    "GB29 NWBK 6016 1331 9268 19",
    "LT12 1000 0111 0100 1000",
    "NL91 ABNA 0417 1643 00",
    "FR14 2004 1010 0505 0001 3M02 606",
    "date 12.05.2026 time 10.30",
    "+358 40 123 4567",
    "+48 600 123 456",
    "+36 30 123 4567",
    "+7 495 123-45-67",
    "+86 138 0013 8000",
    "FI12345671",
    "2617416-4",
    "PL5261040828",
    "HU12892312",
    "1Z999AA10123456784",
    "JD014600006281230704",
    "9400 1000 0000 0000 0000 00",
    "order 302-1234567-1234567",
    "Allegro order 12345678901",
    "RF18 5390 0754 7034",
    "EAN 6417182000014",
    "tracking CP123456789FI",
    "invoice 2026-0001 ref RF18539007547034",
    "1234 5678 9012 3456",  # Luhn-invalid and no brand
    "4111 1111 1111 1112",  # Luhn-invalid
]


@pytest.mark.parametrize("text", CARDS)
def test_card_numbers_are_found(text: str) -> None:
    assert find_card_number(text) is not None


@pytest.mark.parametrize("text", NOT_CARDS)
def test_other_numbers_pass(text: str) -> None:
    assert find_card_number(text) is None


def test_refusal_explains_why() -> None:
    with pytest.raises(CardNumberRefused, match="never ask for, keep or write down card details"):
        refuse_card_numbers({"notes": "pay with 4111 1111 1111 1111"})
    refuse_card_numbers({"notes": ["ok", "IBAN FI21 1234 5600 0007 85"], "qty": 3})


# Countries whose IBAN is all digits after the country code, with the BBAN length.
_NUMERIC_IBANS = {"FI": 14, "PL": 24, "HU": 24, "DE": 18, "LT": 16, "EE": 16, "BE": 12}


@given(st.sampled_from(sorted(_NUMERIC_IBANS)), st.randoms(use_true_random=False))
def test_ibans_written_in_groups_are_never_cards(country: str, rng) -> None:
    from stdnum import iban

    bban = "".join(str(rng.randint(0, 9)) for _ in range(_NUMERIC_IBANS[country]))
    number = f"{country}{iban.calc_check_digits(country + '00' + bban)}{bban}"
    if not iban.is_valid(number):  # a national check digit inside the BBAN failed
        return
    grouped = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    assert find_card_number(grouped) is None
    assert find_card_number(f"IBAN: {grouped}, BIC NDEAFIHH") is None


@given(st.from_regex(r"\+\d{1,3} \d{2,3} \d{3} \d{2,4}", fullmatch=True))
def test_phone_numbers_are_never_cards(text: str) -> None:
    assert find_card_number(text) is None


@pytest.mark.parametrize("text", CARDS)
def test_the_quick_test_lets_no_card_through(text: str) -> None:
    assert may_hold_card_number(text)
    assert may_hold_card_number(["a title", f"notes: {text}", "M"])


def test_the_quick_test_passes_what_cannot_be_a_card() -> None:
    assert not may_hold_card_number("Lego set 10305, 2 pcs, order 123-4567")
    assert not may_hold_card_number("https://store.example/item/123456789012")
    # Cells are checked apart: shoe sizes one per row do not add up to a long number.
    assert not may_hold_card_number(["38", "40", "42", "44", "38", "39", "41"])
    assert not may_hold_card_number(["Ｓａｒａ　３８", "tel. 040 123"])


# Digits of every kind, the separators a card number is grouped with, and letters.
_CARD_TEXT = st.text(
    alphabet=st.sampled_from(
        [
            *"0123456789",
            "４",
            "٣",
            " ",
            "\u00a0",
            "\u3000",
            "\t",
            "\n",
            ".",
            "/",
            "-",
            "－",
            "a",
            "Z",
        ]
    ),
    max_size=40,
)


@given(
    _CARD_TEXT,
    st.sampled_from(CARDS),
    _CARD_TEXT,
    st.lists(st.sampled_from([" ", ".", "-", "/", "\u00a0", "\t"]), min_size=1, max_size=3),
)
def test_the_quick_test_is_true_of_every_text_with_a_card(
    before: str, card: str, after: str, separators: list[str]
) -> None:
    """Whatever surrounds it and however it is grouped, a text the full check refuses is
    one the quick test (which bulk imports rely on) flags."""
    regrouped = "".join(separators).join(card.split(" "))
    for text in (before + card + after, before + " " + regrouped + " " + after):
        if find_card_number(text):
            assert may_hold_card_number(text)
            assert may_hold_card_number(["x", text])


@given(_CARD_TEXT)
def test_the_quick_test_holds_for_any_digits(text: str) -> None:
    if find_card_number(text):
        assert may_hold_card_number(text)
