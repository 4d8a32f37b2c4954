"""The languages documents speak: the one list, with each language's name and Babel locale.

English is the source language of every template and message; the others are translated
(catalogs in `shopcli/locale/<code>/`). To add a language, add it here, then run
`python -m shopcli.documents.i18n CODE`, translate the catalog, and give the reply readers
their words (`proposing.replies.KEYWORDS`, `delivering.feedback_replies.KEYWORDS`).
"""

from __future__ import annotations

SOURCE = "en"

# code -> (name shown to the shopper, Babel locale for numbers, dates and money)
_LANGUAGES = {
    "en": ("English", "en_GB"),
    "fi": ("Finnish", "fi_FI"),
    "pl": ("Polish", "pl_PL"),
    "hu": ("Hungarian", "hu_HU"),
    "ru": ("Russian", "ru_RU"),
    "uk": ("Ukrainian", "uk_UA"),
    "zh": ("Chinese (simplified)", "zh_Hans_CN"),
}

NAMES: dict[str, str] = {code: name for code, (name, _) in _LANGUAGES.items()}
LOCALES: dict[str, str] = {code: locale for code, (_, locale) in _LANGUAGES.items()}
# The languages with a catalog of their own, in the order they were added.
TRANSLATED: tuple[str, ...] = tuple(code for code in _LANGUAGES if code != SOURCE)

# How documents in each language write the punctuation a template puts between its words and
# the values it shows (a label's colon, a parenthesis, a list): Chinese text takes full-width
# marks that carry their own spacing ("商店：Lanka", "礼品（女儿）"), the others ASCII.
_LATIN_PUNCTUATION = {
    "colon": ": ",
    "comma": ", ",
    "semicolon": "; ",
    "open": " (",
    "close": ")",
    "enumeration": ", ",
    "dash": " — ",
}
PUNCTUATION: dict[str, dict[str, str]] = {
    code: dict(_LATIN_PUNCTUATION) for code in _LANGUAGES if code != "zh"
}
PUNCTUATION["zh"] = {
    "colon": "：",
    "comma": "，",
    "semicolon": "；",
    "open": "（",
    "close": "）",
    "enumeration": "、",  # the enumeration comma between listed words: 骑车、画画
    "dash": "——",  # the Chinese dash is two em dashes wide, with no spaces
}

# How dates are written on invoices (issue, due and supply dates), where local usage wants
# numbers: Polish, Russian and Ukrainian invoices 05.12.2026, Hungarian 2026.12.05. (MSZ ISO
# 8601 order), Finnish 5.12.2026, Chinese 2026年12月5日. Kept here rather than taken from a
# locale's "short" pattern, which CLDR changes between releases (Ukrainian short is 05.12.26).
# None: the language has no numeric norm that every reader shares (en: 05/12 is 12 May in the
# US), so invoices write the date as prose does.
INVOICE_DATES: dict[str, str | None] = {
    "en": None,
    "fi": "{day}.{month}.{year}",
    "pl": "{day:02d}.{month:02d}.{year}",
    "hu": "{year}.{month:02d}.{day:02d}.",
    "ru": "{day:02d}.{month:02d}.{year}",
    "uk": "{day:02d}.{month:02d}.{year}",
    "zh": "{year}年{month}月{day}日",
}

# How dates in running text are written ("by 20 December 2030"), as a Babel style or pattern
# (the month names come from the locale): months written out, as a letter writes them; in
# Polish with the "r." (roku) a letter puts after the year; in Finnish as numbers, which is
# how Finnish prose writes a date too (20.12.2030).
PROSE_DATES: dict[str, str] = dict.fromkeys(_LANGUAGES, "long")
PROSE_DATES["fi"] = "medium"
PROSE_DATES["pl"] = "d MMMM y 'r.'"
