"""Exchange rates the shopper enters by hand, and conversion through them (no look-ups)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from shopcli.core.errors import InvalidInput, ShopError
from shopcli.core.money import currency, parse_rate, to_text
from shopcli.storage import Store
from shopcli.storage import rates as queries

Converter = Callable[[Decimal, str, str], Decimal]


class MissingRate(ShopError):
    """No stored rate between two currencies."""


def set_rate(store: Store, base: str, quote: str, rate: str) -> Decimal:
    """Store 1 BASE = RATE QUOTE."""
    base, quote = currency(base), currency(quote)
    if base == quote:
        raise InvalidInput("a rate needs two different currencies")
    value = parse_rate(rate)
    with store.write():
        queries.upsert(store, base, quote, to_text(value))
    return value


def list_rates(store: Store) -> list[dict]:
    return queries.listing(store)


def remove_rate(store: Store, base: str, quote: str) -> None:
    base, quote = currency(base), currency(quote)
    with store.write():
        removed = queries.delete(store, base, quote)
    if not removed:
        raise MissingRate(f"no rate stored for {base} → {quote}")


def table(store: Store) -> dict[tuple[str, str], Decimal]:
    return {
        (r["base"], r["quote"]): Decimal(r["rate"]) for r in store.rows("rates", order_by="base")
    }


def converter(store: Store, known: Mapping[tuple[str, str], Decimal] | None = None) -> Converter:
    """A function converting amounts with the stored rates (the inverse if only that is known);
    `known`: the rates as `table` reads them, when the caller has them already."""
    if known is None:
        known = table(store)

    def convert(amount: Decimal, source: str, target: str) -> Decimal:
        if source == target:
            return amount
        rate = rate_between(known, source, target)
        return amount * rate

    return convert


def rate_between(known: Mapping[tuple[str, str], Decimal], source: str, target: str) -> Decimal:
    if source == target:
        return Decimal(1)
    if (source, target) in known:
        return known[(source, target)]
    if (target, source) in known:
        return Decimal(1) / known[(target, source)]
    raise MissingRate(
        f"no exchange rate from {source} to {target}: run `shop rate set {source} {target} RATE` "
        f"(RATE = how many {target} one {source} buys)"
    )
