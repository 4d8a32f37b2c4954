"""Card numbers are refused; the ids, IBANs and numbers a shopper really writes pass."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopcli.cards import find_card_number, refuse_card_numbers
from shopcli.errors import CardNumberRefused

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
