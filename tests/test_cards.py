"""Card numbers are refused; the ids, IBANs and numbers a shopper really writes pass."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
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


# -- the corpus: both error rates at zero ------------------------------------------------------


def test_the_corpus_is_what_it_says() -> None:
    from stdnum import iban

    from card_corpus import NUMBERS, card_texts, look_alikes, luhn_valid

    assert all(luhn_valid(number) for number in NUMBERS)
    assert all(iban.is_valid(number) for number in __import__("card_corpus").IBANS)
    assert len(card_texts()) >= 150 and len(look_alikes()) >= 150


def test_every_card_text_is_refused_and_every_look_alike_passes(capsys) -> None:
    from card_corpus import card_texts, look_alikes

    cards, others = card_texts(), look_alikes()
    missed = [text for text in cards if find_card_number(text) is None]
    refused = [(text, find_card_number(text)) for text in others if find_card_number(text)]
    report = (
        f"card guard: {len(missed)} of {len(cards)} card texts missed "
        f"({len(missed) / len(cards):.1%}), {len(refused)} of {len(others)} look-alikes refused "
        f"({len(refused) / len(others):.1%})"
    )
    with capsys.disabled():
        print("\n" + report)
    assert not missed and not refused, f"{report}\nmissed: {missed!r}\nrefused: {refused!r}"


def test_the_corpus_through_the_guard_every_write_uses() -> None:
    from card_corpus import card_texts, look_alikes

    for text in card_texts():
        with pytest.raises(CardNumberRefused):
            refuse_card_numbers({"notes": text})
        assert may_hold_card_number(text), text
        assert may_hold_card_number(["a title", text])
    for text in look_alikes():
        refuse_card_numbers({"notes": text})


# -- beyond the corpus: any number, any style, any surroundings ------------------------------------

# Brands by prefix and length, written down here from the schemes' published ranges.
_TEST_BRANDS = [
    ("4", 16),
    ("4", 19),
    ("51", 16),
    ("55", 16),
    ("2221", 16),
    ("2720", 16),
    ("34", 15),
    ("37", 15),
    ("36", 14),
    ("305", 14),
    ("38", 14),
    ("6011", 16),
    ("65", 16),
    ("3528", 16),
    ("3589", 19),
    ("62", 16),
    ("62", 19),
    ("8100", 16),
    ("8171", 18),
    ("2200", 16),
    ("6759", 16),
]
_WORDS = st.lists(
    st.sampled_from(["card", "kortti", "karta", "卡号", "карта", "kártya", "exp", "cvv", "ok"]),
    max_size=3,
).map(" ".join)


@given(
    st.sampled_from(_TEST_BRANDS),
    st.randoms(use_true_random=False),
    st.integers(min_value=0, max_value=40),
    _WORDS,
    _WORDS,
)
def test_any_card_number_in_any_style_is_found(brand, rng, style, before, after) -> None:
    from card_corpus import _styles, luhn_digit

    prefix, length = brand
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    number = body + luhn_digit(body)
    styles = _styles(number)
    text = f"{before} {styles[style % len(styles)]} {after}"
    assert find_card_number(text) is not None, text
    assert may_hold_card_number(text)


@given(st.integers(min_value=0, max_value=10**12 - 1), st.sampled_from(["", "EAN ", "GTIN: "]))
def test_any_ean13_barcode_passes(body: int, label: str) -> None:
    from card_corpus import ean_digit

    digits = f"{body:012d}"
    code = digits + ean_digit(digits)
    assert find_card_number(label + code) is None


@given(
    st.sampled_from(["110105", "440305", "620102", "650104", "360102", "500101", "630102"]),
    # any date a living person was born on: the region code need not have existed then
    st.dates(dt.date(1900, 1, 1), dt.date.today()),
    st.integers(min_value=0, max_value=999),
)
def test_any_chinese_resident_id_passes(region: str, born, sequence: int) -> None:
    """18 digits with their own check (ISO 7064 MOD 11-2): needed for customs in China."""
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    assert find_card_number(body + check) is None
    assert find_card_number(f"身份证号 {body}{check}") is None
    assert find_card_number(f"ID {body}{check.lower()}, tel. 138 0013 8000") is None


@given(st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31)), st.times())
def test_dates_and_times_pass(day, moment) -> None:
    for text in (
        f"{day:%Y-%m-%d} {moment:%H:%M:%S}",
        f"{day:%d.%m.%Y} {moment:%H.%M}",
        f"{day:%Y%m%d}{moment:%H%M%S}",
    ):
        assert find_card_number(text) is None


# -- what the program makes is never read as typed text ---------------------------------------

# sha256(b"338"): the run "6236 4409 5936 7934 00" inside it reads as a UnionPay number.
CARD_SHAPED_DIGEST = "5d8f6cce532a7aeb57196be62344095936793400b3aeb3580d248b17d5518a86"


def test_a_card_number_glued_to_hex_letters_is_found() -> None:
    """Typed text is read whatever letters surround the number; that a digest can hold a
    card-shaped run is why the storage never reads program-made digests (see below)."""
    run = "4111111111111111"
    for text in (f"{run}a", f"ab{run}", f"card ab{run}", f"ab{run}cd" + "0" * 40, f"visa{run}"):
        assert find_card_number(text) == "Visa", text
    assert find_card_number(CARD_SHAPED_DIGEST) == "UnionPay"


@settings(max_examples=3000)
@given(st.binary(min_size=1, max_size=64))
def test_digests_the_program_makes_never_refuse_a_write(data: bytes) -> None:
    """SHA-256 digests (seals, receipts, pictures, follow-up fingerprints) hold digit runs
    glued to hex letters, about one in a thousand card-shaped: the guard every write uses
    (Store.insert/update, the import of an export) leaves them out."""
    import hashlib

    from shopcli.storage.records import dumps
    from shopcli.storage.typed import guard

    for digest in (hashlib.sha256(data).hexdigest(), CARD_SHAPED_DIGEST):
        guard("receipts", {"job_id": 1, "name": "dhl.pdf", "sha256": digest})
        guard("item_pictures", {"item_id": 1, "sha256": digest})
        guard("seals", {"chain": "2026", "prev_hash": digest, "hash": digest})
        guard("events", {"summary": "receipt #1 removed", "detail": dumps({"sha256": digest})})
        guard("events", {"detail": dumps({"lines": sorted([digest[:16], digest])})})
        guard("proposals", {"snapshot": dumps({"items": [{"picture": digest}]})})
        guard("invoices", {"number": "2026-0001", "document": dumps({"seal": digest})})


def test_what_is_typed_beside_a_digest_is_still_read() -> None:
    from shopcli.storage.records import dumps
    from shopcli.storage.typed import guard

    with pytest.raises(CardNumberRefused, match="^name "):
        guard("receipts", {"name": "4111111111111111a.pdf", "sha256": CARD_SHAPED_DIGEST})
    with pytest.raises(CardNumberRefused, match="^detail "):
        guard(
            "events",
            {"detail": dumps({"sha256": CARD_SHAPED_DIGEST, "note": "card 4111111111111111a"})},
        )
    with pytest.raises(CardNumberRefused, match="^summary "):
        guard("events", {"summary": "ab4111111111111111", "detail": "{}"})
    # A column that is program-made in one table is typed in another.
    with pytest.raises(CardNumberRefused, match="^sha256 "):
        guard("clients", {"sha256": "4111111111111111a"})


def test_a_sites_hex_id_in_a_link_is_not_typed_but_a_card_number_in_it_is() -> None:
    """A CDN's file hash or a product's hex id in a pasted link is the site's, not the
    shopper's; a card number written into a link is still refused, and in notes the same
    hex text is read as typed."""
    from shopcli.storage.typed import guard

    for link in (
        f"https://cdn.example.com/img/{CARD_SHAPED_DIGEST}.jpg",
        f"https://shop.example/p/{CARD_SHAPED_DIGEST.upper()}?ref=mail",
    ):
        guard("items", {"url": link, "image_url": link})
        guard("digital_goods", {"link": link})
        with pytest.raises(CardNumberRefused, match="^notes "):
            guard("items", {"url": link, "notes": f"see {link}"})
    for link in (
        "https://shop.example/pay?card=4111111111111111",
        "https://shop.example/pay/visa4111111111111111",
        "https://shop.example/pay/4111-1111-1111-1111/",
    ):
        with pytest.raises(CardNumberRefused, match="^url "):
            guard("items", {"url": link})
