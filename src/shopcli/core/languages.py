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
