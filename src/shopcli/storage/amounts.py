"""SQL for amounts as shopcli stores them, so that SQLite can add and show them exactly.

An amount is stored as text, as `money.parse_amount` accepts it and `money.to_text` writes
it: digits, then at most six decimals after a point ("49.9", "120", "0.000125"). Every
amount shopcli writes went through `parse_amount`. Below 9 billion such a text read as a
double is within a millionth of a millionth of its value, so `millionths` (rounded to a
whole number of millionths) is exact, and SQLite sums those exactly as integers. A caller
checks that the sums stayed below `EXACT_BELOW` (then so did every amount in them); a sum
that did not is summed again in Python's Decimal.
"""

from __future__ import annotations

# Millionths below this (9 billion in whole units) are exact as doubles (2**53 is 9.007e15).
EXACT_BELOW = 9_000_000_000_000_000
# A product of price and quantity below this is written exactly with six decimals (at most
# 14 significant digits, well inside a double's 15).
PRODUCT_BELOW = 100_000_000


def millionths(column: str) -> str:
    """The amount in `column` as an integer number of millionths (NULL stays NULL)."""
    return f"CAST(round(CAST({column} AS REAL) * 1000000) AS INTEGER)"


def times_text(price: str, quantity: str) -> str:
    """price x quantity written as `money.to_text` writes it (no trailing zeros, no point
    for a whole number); exact unless `product_too_big`."""
    return f"rtrim(rtrim(printf('%.6f', CAST({price} AS REAL) * {quantity}), '0'), '.')"


def product_too_big(price: str, quantity: str) -> str:
    return f"(CAST({price} AS REAL) * {quantity} >= {PRODUCT_BELOW})"
