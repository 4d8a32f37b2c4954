"""A corpus for the card guard: card numbers as people type them, and the numbers a shopper
writes that look like them but must pass (IBANs of many countries, phones, barcodes,
tracking and order numbers, business ids).

Card numbers are the issuers' published test numbers and numbers of each brand's prefix
and length made valid with the Luhn check computed here, independently of the code under
test. The typing styles are those seen in messages: groupings of every kind, separators of
every kind, invisible characters, other scripts' digits, letters glued on, expiry and CVV.
"""

from __future__ import annotations

import random

# -- card numbers ---------------------------------------------------------------------------------


def luhn_digit(body: str) -> str:
    """The Luhn check digit that completes `body` (computed here, not by the code tested)."""
    total = 0
    for index, ch in enumerate(reversed(body)):
        digit = int(ch)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return luhn_digit(number[:-1]) == number[-1]


# Published test numbers of the card schemes and payment processors.
PUBLISHED = [
    "4111111111111111",
    "4012888888881881",
    "4242424242424242",
    "4000056655665556",
    "4917610000000000",
    "5555555555554444",
    "5105105105105100",
    "2223003122003222",
    "5200828282828210",
    "5454545454545454",
    "378282246310005",
    "371449635398431",
    "378734493671000",
    "30569309025904",
    "38520000023237",
    "36227206271667",
    "6011111111111117",
    "6011000990139424",
    "3530111333300000",
    "3566002020360505",
    "6200000000000005",
    "2200000000000004",
    "6759649826438453",
]


def _generated() -> list[str]:
    """Numbers of each brand's prefix and length, valid by the Luhn check."""
    rng = random.Random(20260620)
    shapes = [
        ("4", 16),  # Visa
        ("4", 19),
        ("51", 16),  # Mastercard
        ("2720", 16),
        ("34", 15),  # American Express
        ("36", 14),  # Diners Club, 14 digits
        ("300", 14),
        ("38", 14),
        ("3095", 16),
        ("6011", 16),  # Discover
        ("65", 16),
        ("3589", 16),  # JCB
        ("62", 16),  # UnionPay
        ("62", 19),
        ("8100", 16),  # UnionPay 81
        ("8171", 19),
        ("8150", 17),
        ("2204", 16),  # Mir
        ("6304", 16),  # Maestro
        ("5018", 19),
        ("9792", 16),  # Troy
        ("9860", 16),  # Humo
        ("8600", 16),  # UzCard
        ("6070", 16),  # RuPay
    ]
    made = []
    for prefix, length in shapes:
        body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
        made.append(body + luhn_digit(body))
    return made


NUMBERS = PUBLISHED + _generated()

# -- how people type them ------------------------------------------------------------------------

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EXTENDED_ARABIC = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
BENGALI = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


def printed(number: str) -> list[str]:
    """The number in the groups cards print: Amex 4-6-5, Diners 4-6-4, else fours."""
    if len(number) == 15:
        return [number[:4], number[4:10], number[10:]]
    if len(number) == 14:
        return [number[:4], number[4:10], number[10:]]
    return [number[i : i + 4] for i in range(0, len(number), 4)]


def _styles(number: str) -> list[str]:
    groups = printed(number)
    spaced = " ".join(groups)
    return [
        number,
        spaced,
        "-".join(groups),
        "\u2013".join(groups),  # en dashes
        "\u2014".join(groups),  # em dashes
        "_".join(groups),
        ",".join(groups),
        ".".join(groups),
        "/".join(groups),
        "\u00a0".join(groups),  # no-break spaces
        "\u200b".join(number),  # a zero-width space between every digit
        "\u00ad".join(groups),  # soft hyphens
        "\u2060".join(groups),  # word joiners
        spaced.translate(ARABIC_INDIC),
        number.translate(EXTENDED_ARABIC),
        spaced.translate(DEVANAGARI),
        spaced.translate(FULL_WIDTH),
        number.translate(BENGALI),
        " ".join(number),  # every digit apart
        f"{groups[0]} {groups[1]}-{'-'.join(groups[2:])}",  # separators mixed
        " - ".join(groups),
        "-\n".join(groups),  # broken over lines
        f"{number[:8]} {number[8:]}",  # 8-8
        f"{number[:4]} {number[4:6]} {number[6:10]} {number[10:]}",  # 4-2-4-6
        f"{number[:6]} {number[6:]}",  # BIN and the rest
        f"visa{number}",
        f"card#{number}exp1228",
        f"nr:{number}",
        f"{number} 12/28 123",
        f"{spaced} exp 12/28 cvv 123",
        f"{spaced} 12/2028 123",
        f"{spaced} 1228 123",
        f"{number}/12/28/123",
        f"CVV 123 {spaced}",
        f"123 {spaced} 09/27",
    ]


SENTENCES = [
    "Pay with my card {} please",
    "Moja karta: {}, dziękuję!",
    "Kortin numero on {}.",
    "卡号：{}，谢谢",
    "Номер карты {} срок 12/28",
    "Kártyaszám: {} (lejárat 12/28)",
    "Номер картки: {}",
    "order paid with {} — thanks",
    "({})",
    "{}\nCVC: 123",
]


def card_texts() -> list[str]:
    """Every card number in every style, and in sentences of the shoppers' languages."""
    texts = []
    for index, number in enumerate(NUMBERS):
        styles = _styles(number)
        texts.extend(styles)
        sentence = SENTENCES[index % len(SENTENCES)]
        texts.append(sentence.format(" ".join(printed(number))))
    return list(dict.fromkeys(texts))


# -- look-alikes that must pass ------------------------------------------------------------------

# Example IBANs from the IBAN registry, one per country (checked valid by the test).
IBANS = [
    "AD1200012030200359100100",
    "AE070331234567890123456",
    "AL47212110090000000235698741",
    "AT611904300234573201",
    "AZ21NABZ00000000137010001944",
    "BA391290079401028494",
    "BE71096123456769",
    "BG80BNBG96611020345678",
    "BH67BMAG00001299123456",
    "BR1800360305000010009795493C1",
    "CH9300762011623852957",
    "CR05015202001026284066",
    "CY17002001280000001200527600",
    "CZ6508000000192000145399",
    "DE89370400440532013000",
    "DK5000400440116243",
    "DO28BAGR00000001212453611324",
    "EE382200221020145685",
    "EG380019000500000000263180002",
    "ES9121000418450200051332",
    "FI2112345600000785",
    "FO6264600001631634",
    "FR1420041010050500013M02606",
    "GB29NWBK60161331926819",
    "GE29NB0000000101904917",
    "GI75NWBK000000007099453",
    "GL8964710001000206",
    "GR1601101250000000012300695",
    "GT82TRAJ01020000001210029690",
    "HR1210010051863000160",
    "HU42117730161111101800000000",
    "IE29AIBK93115212345678",
    "IL620108000000099999999",
    "IS140159260076545510730339",
    "IT60X0542811101000000123456",
    "JO94CBJO0010000000000131000302",
    "KW81CBKU0000000000001234560101",
    "KZ86125KZT5004100100",
    "LB62099900000001001901229114",
    "LI21088100002324013AA",
    "LT121000011101001000",
    "LU280019400644750000",
    "LV80BANK0000435195001",
    "MC5811222000010123456789030",
    "MD24AG000225100013104168",
    "ME25505000012345678951",
    "MK07250120000058984",
    "MR1300020001010000123456753",
    "MT84MALT011000012345MTLCAST001S",
    "MU17BOMM0101101030300200000MUR",
    "NL91ABNA0417164300",
    "NO9386011117947",
    "PK36SCBL0000001123456702",
    "PL61109010140000071219812874",
    "PS92PALS000000000400123456702",
    "PT50000201231234567890154",
    "QA58DOHB00001234567890ABCDEFG",
    "RO49AAAA1B31007593840000",
    "RS35260005601001611379",
    "SA0380000000608010167519",
    "SE4550000000058398257466",
    "SI56263300012039086",
    "SK3112000000198742637541",
    "SM86U0322509800000000270100",
    "TN5910006035183598478831",
    "TR330006100519786457841326",
    "UA213223130000026007233566001",
    "VG96VPVG0000012345678901",
    "XK051212012345678906",
]


def grouped(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


PHONES = [
    "+358 40 123 4567",
    "+358401234567",
    "040 123 4567",
    "+48 600 123 456",
    "+48 22 123 45 67",
    "+36 30 123 4567",
    "+36 1 234 5678",
    "+7 495 123-45-67",
    "8 (495) 123-45-67",
    "+380 44 123 4567",
    "+380 67 123 45 67",
    "+86 138 0013 8000",
    "+8613800138000",
    "138-0013-8000",
    "+1 (212) 555-0199",
    "+44 20 7946 0958",
    "0049 30 12345678",
    "+49 1512 3456789",
    "+46 70 123 45 67",
    "call 040 1234567 or 050 7654321",
    "+358 40 123 4567 / +358 50 765 4321",
    "tel. 22 123 45 67 wew. 123",
]


def ean_digit(body: str) -> str:
    """The GS1 check digit that completes an EAN/UPC body (computed here)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def _ean(body: str) -> str:
    return body + ean_digit(body)


BARCODES = [
    "5901234123457",  # EAN-13, Poland (GS1's own example)
    "4006381333931",  # EAN-13, Germany
    _ean("400781732732"),
    _ean("641718200001"),  # Finland
    "6901028075831",  # China
    "4600051000057",  # Russia
    "5000159484695",  # United Kingdom
    _ean("599600000000"),  # Hungary
    _ean("482000000000"),  # Ukraine
    "9780306406157",  # ISBN-13
    "9791090636071",
    # Every EAN-13 starting with 4 (Germany) or 5/6 whose digits pass the Luhn check too.
    *[_ean(f"40{n:010d}") for n in range(0, 3000, 7) if luhn_valid(_ean(f"40{n:010d}"))][:6],
    *[_ean(f"590{n:09d}") for n in range(0, 3000, 7) if luhn_valid(_ean(f"590{n:09d}"))][:4],
    "EAN 5 901234 123457",
    "EAN: 4006381333931, 5901234123457",
    "UPC 036000291452",
    "EAN-8 96385074",
    "GTIN 4012345000009",
    "barcode " + _ean("890103086527"),
]

TRACKING = [
    "1Z999AA10123456784",
    "1Z 999 AA1 01 2345 6784",
    "9400 1000 0000 0000 0000 00",
    "9400111899223397844590",
    "9205 5000 0000 0000 0000 00",
    "00340434161094042557",
    "JJFI12345678901234567",
    "RR123456789CN",
    "CP123456789FI",
    "LX123456789PL",
    "AB123456789GB",
    "SF1234567890123",
    "YT2212345678901234",
    "JD014600006281230704",
    "620123456789012345678901",  # InPost
    "05212345678901",  # DPD
    "20450123456789",  # Nova Poshta
    "80123456789012",  # Russian Post
    "tracking 123456789012",  # FedEx
    "DHL 1234567890",
]

ORDERS = [
    "order 302-1234567-1234567",
    "Amazon 028-9876543-2109876",
    "eBay 12-34567-89012",
    "Allegro order 12345678901",
    "zamówienie nr 1234567890/2026",
    "Taobao 1876543210987654321",
    "JD订单 123456789012",
    "Zalando 10101234567890",
    "Temu PO-211-01234567890123456",
    "invoice 2026-0001 ref RF18539007547034",
    "RF18 5390 0754 7034",
    "viite 12345 67890 12345 6",
    "Etsy #1234567890",
    "order #100234 of 2026-12-01, 3 items",
]

BUSINESS_IDS = [
    "2617416-4",
    "FI26174164",
    "NIP 526-104-08-28",
    "5261040828",
    "REGON 123456785",
    "REGON 12345678512347",
    "KRS 0000123456",
    "adószám 12345678-1-42",
    "cégjegyzékszám 01-09-123456",
    "ИНН 7707083893",
    "ИНН 500100732259",
    "ОГРН 1027700132195",
    "DE123456789",
    "ATU13585627",
    "HU12892312",
    "PL5261040828",
    "CHE-123.456.788 MWST",
    "91350100M000100Y43",
    "SIRET 362 521 879 00034",
    "DUNS 15-048-3782",
    "EORI FI26174164",
    "身份证 11010519491231002X",
]

OTHER = [
    "date 12.05.2026 time 10.30",
    "2026-12-24 15:30 Helsinki",
    "1 234 567,89 zł",
    "€1,234,567.89",
    "sizes 38 40 42 44 38 39 41",
    "PL61 1090 1014 0000 0712 1981 2874",
    "61 1090 1014 0000 0712 1981 2874",
    "11773016-11111018-00000000",
    "11773016-11111018",
    "account 1234 5600 0007 85",
    "4111 1111 1111 1112",  # one digit off: not a card number
    "1234 5678 9012 3456",  # no card brand
]


def look_alikes() -> list[str]:
    texts = [*IBANS, *(grouped(iban) for iban in IBANS)]
    texts += [f"IBAN: {grouped(iban)}, thanks" for iban in IBANS[::7]]
    texts += [iban.lower() for iban in IBANS[::9]]
    texts += PHONES + BARCODES + TRACKING + ORDERS + BUSINESS_IDS + OTHER
    return list(dict.fromkeys(texts))
