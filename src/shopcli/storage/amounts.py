"""SQL for amounts as shopcli stores them, so that SQLite can add and show them exactly.

An amount is stored as text, as `money.parse_amount` accepts it and `money.to_text` writes
it: digits, then at most six decimals after a point ("49.9", "120", "0.000125"). Every
amount shopcli writes went through `parse_amount`. Below a billion such a text read as a
double, times a million, is within a fifth of a unit of its number of millionths, so
`millionths` (rounded to a whole number) is exact, and SQLite sums those exactly as
integers. A caller checks that the sums stayed below `EXACT_BELOW` (then so did every
amount in them; amounts are never negative); a sum that did not is summed again in Python's
Decimal.
"""

from __future__ import annotations

# Millionths below this (a billion in whole units) are read exactly (see the docstring).
EXACT_BELOW = 1_000_000_000_000_000
# A product of price and quantity below this (in whole units) is below 2**63 millionths.
PRODUCT_BELOW = 9_000_000_000_000


def millionths(column: str) -> str:
    """The amount in `column` as an integer number of millionths (NULL stays NULL)."""
    return f"CAST(round(CAST({column} AS REAL) * 1000000) AS INTEGER)"


def times_text(price: str, quantity: str) -> str:
    """price x quantity written as `money.to_text` writes it (no trailing zeros, no point
    for a whole number), from the exact integer of millionths (integer arithmetic and text:
    ~3x faster than printf of a double); exact unless `product_too_big`."""
    product = f"({millionths(price)} * {quantity})"
    return (
        f"CAST({product} / 1000000 AS TEXT) || CASE WHEN {product} % 1000000 = 0 THEN '' "
        f"ELSE rtrim('.' || substr({product} % 1000000 + 1000000, 2), '0') END"
    )


def product_too_big(price: str, quantity: str) -> str:
    """True when `times_text` would not be exact: a price of a billion or more (see the
    module's docstring), or a product beyond SQLite's integers."""
    return (
        f"(CAST({price} AS REAL) >= {EXACT_BELOW // 1000000} "
        f"OR CAST({price} AS REAL) * {quantity} >= {PRODUCT_BELOW})"
    )


def positive_as_decimal_writes(column: str) -> str:
    """True when `column` holds an amount above zero that Decimal writes back as the same text
    (`str(Decimal(text) - 0) == text`): digits with no leading zero, then at most six
    decimals after a point, as `money.to_text` writes amounts (trailing zeros allowed), and
    no more digits than Decimal's precision (28) keeps."""
    return (
        f"(length({column}) <= 28 AND {column} GLOB '[0-9]*' AND {column} NOT GLOB '*[^0-9.]*' "
        f"AND {column} NOT GLOB '*.*.*' AND {column} NOT GLOB '0[0-9]*' "
        f"AND {column} NOT GLOB '*.' AND {column} NOT GLOB '*.???????*' "
        f"AND CAST({column} AS REAL) > 0)"
    )
