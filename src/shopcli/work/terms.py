"""Fee terms agreed on a job: flat, per item, hourly or a percentage of the goods, with an
optional deposit (a fixed amount or a percentage). How the fee is computed is `billing.fees`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shopcli.core.errors import InvalidInput
from shopcli.core.money import parse_amount, to_text
from shopcli.storage.rows import Job

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


def shown_terms(job: Job, language: str, prof=None) -> dict[str, str]:
    """The profile's terms (delivery, returns, customs, prepayment) a document about this job
    shows, each in `language` where written in it (see `Profile.term`). A job with a deposit
    states its prepayment with the figure, so the profile's prepayment text is left out: each
    term is said once, from one source."""
    from shopcli.people import profile

    terms = (prof or profile.load()).terms(language)
    if job.get("deposit"):
        terms.pop("prepayment", None)
    return terms


def untranslated_terms(job: Job, language: str, prof=None) -> list[tuple[str, str]]:
    """The terms a document about this job shows in another language than `language`, each
    as its profile key with the language it is shown in (for the shopper to translate)."""
    from shopcli.people import profile

    shown = shown_terms(job, language, prof)
    keys = [f"terms.{term}" for term in shown]
    return (prof or profile.load()).untranslated(keys, language)
