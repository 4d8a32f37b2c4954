"""Fee terms agreed on a job: flat, per item, hourly or a percentage of the goods, with an
optional deposit (a fixed amount or a percentage). How the fee is computed is `billing.fees`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shopcli.core.errors import InvalidInput
from shopcli.core.money import parse_amount, to_text

FEE_KINDS = ("flat", "per-item", "hourly", "percent")


@dataclass(frozen=True)
class FeeTerms:
    kind: str
    amount: Decimal

    def __str__(self) -> str:
        return f"{self.kind}:{to_text(self.amount)}"


def parse_fee(text: str) -> FeeTerms:
    """Parse `flat:AMOUNT`, `per-item:AMOUNT`, `hourly:AMOUNT` or `percent:N`."""
    kind, sep, value = text.strip().partition(":")
    kind = kind.strip().lower().replace("_", "-")
    if kind == "peritem":
        kind = "per-item"
    if not sep or kind not in FEE_KINDS:
        raise InvalidInput(
            f"fee {text!r} not understood: use flat:AMOUNT, per-item:AMOUNT, hourly:AMOUNT "
            "or percent:N (e.g. percent:10)"
        )
    amount = parse_amount(value.strip().rstrip("%"), f"{kind} fee")
    if kind == "percent" and amount > 100:
        raise InvalidInput("a percentage fee must be between 0 and 100")
    return FeeTerms(kind, amount)


@dataclass(frozen=True)
class Deposit:
    """A deposit: a fixed amount, or a percentage of the job budget or fee."""

    amount: Decimal
    percent: bool

    def __str__(self) -> str:
        return f"{to_text(self.amount)}%" if self.percent else to_text(self.amount)


def parse_deposit(text: str) -> Deposit:
    value = text.strip()
    if value.endswith("%"):
        amount = parse_amount(value[:-1].strip(), "deposit percentage")
        if amount > 100:
            raise InvalidInput("a deposit percentage must be between 0 and 100")
        return Deposit(amount, True)
    return Deposit(parse_amount(value, "deposit"), False)
