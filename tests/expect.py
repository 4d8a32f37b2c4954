"""Expected values computed from the same sources the app uses, never copied from one release
of a library: money is rounded by the app's own rule to the app's own currency digits
(`shopcli.currencies`), then written by Babel's general formatter for the locale."""

from __future__ import annotations

from decimal import Decimal

from shopcli.documents.render import locale_for


def money(amount: str | int | Decimal, currency: str = "EUR", language: str = "en") -> str:
    """An amount as a document in `language` must show it."""
    from babel.core import Locale
    from babel.numbers import format_currency

    from shopcli.core.money import minor_units, round_money
    from shopcli.documents.render import with_digits

    locale = locale_for(language) if "_" not in language else language
    pattern = with_digits(Locale.parse(locale).currency_formats["standard"], minor_units(currency))
    rounded = round_money(Decimal(str(amount)), currency)
    return format_currency(rounded, currency, format=pattern, locale=locale, currency_digits=False)


def screen(amount: str | int | Decimal, currency: str = "EUR") -> str:
    """An amount as the shopper reads it in the terminal (`money.shown`, whose rule
    tests/test_cli_screen.py checks: grouped, every digit of the currency, its code)."""
    from shopcli.core.money import shown

    return shown(Decimal(str(amount)), currency)


def eur(amount: str | int | Decimal) -> str:
    """An amount in euros as an English document shows it."""
    return money(amount, "EUR")


def day(iso: str, language: str = "en") -> str:
    """A date as a document in `language` writes it in prose (the app's style for the
    language, `languages.PROSE_DATES`, written by Babel)."""
    import datetime as dt

    from shopcli.core.languages import PROSE_DATES
    from shopcli.documents.render import format_date

    return format_date(dt.date.fromisoformat(iso), locale_for(language), PROSE_DATES[language])


def invoice_day(iso: str, language: str = "en") -> str:
    """A date as an invoice in `language` writes it (`languages.INVOICE_DATES`)."""
    import datetime as dt

    from shopcli.core.languages import INVOICE_DATES

    pattern = INVOICE_DATES[language]
    if pattern is None:
        return day(iso, language)
    found = dt.date.fromisoformat(iso)
    return pattern.format(day=found.day, month=found.month, year=found.year)


def percent(value: str, language: str = "en") -> str:
    """A percentage (25.5 means 25.5 %) as a document in `language` writes it."""
    from shopcli.documents.render import format_percent

    return format_percent(Decimal(value), locale_for(language))
