"""The currencies shopcli bills in, and the digits after the decimal point each is billed with.

A deliberate table kept in the project, not read from Babel: CLDR's data changes with every
Babel release (HUF had 2 digits under Babel 2.14 and 0 under 2.19), and the same invoice must
round the same way on every machine. The digits are ISO 4217's minor units (ISO 4217
amendment list as of 2025), except where local invoicing practice differs, stated in
`LOCAL_PRACTICE`. Funds codes, precious metals, testing codes and the SDR are left out: a
shopper neither buys nor bills in them.

An issued invoice keeps the digits it was issued with (its frozen document records them), so
a change to this table never changes an issued invoice.
"""

from __future__ import annotations

# ISO 4217 minor units: every active code has 2 unless listed here.
_ISO_DIGITS_OTHER_THAN_2 = {
    # 0 digits
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0,
    "XPF": 0,
    # 3 digits
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    # 4 digits
    "CLF": 4, "UYW": 4,
}  # fmt: skip

_ISO_CODES = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN
BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN
ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD
JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT
MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG
QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS
TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG
XOF XPF YER ZAR ZMW ZWG ZWL
""".split()

# Where an invoice's practice differs from ISO 4217, and why.
LOCAL_PRACTICE = {
    # The fillér left circulation in 1999: Hungarian invoices state forints whole, and
    # their VAT in whole forints.
    "HUF": 0,
}

DIGITS: dict[str, int] = {
    code: LOCAL_PRACTICE.get(code, _ISO_DIGITS_OTHER_THAN_2.get(code, 2)) for code in _ISO_CODES
}


def is_known(code: str) -> bool:
    """Whether `code` (upper case) is a currency shopcli bills in."""
    return code in DIGITS


def digits(code: str) -> int:
    """Digits after the decimal point an amount in `code` is billed with (EUR 2, JPY 0)."""
    return DIGITS.get(code, 2)
