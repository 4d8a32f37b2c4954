"""Translation catalogs: extracting messages, updating the .po files, loading compiled ones.

The source language is English. Catalogs live in `shopcli/locale/<lang>/LC_MESSAGES/
shopcli.po`; the wheel build compiles them to `.mo` (see `hatch_build.py`). In a source
checkout without compiled files, a catalog is compiled in memory from its `.po`.
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from shopcli.core import languages

DOMAIN = "shopcli"
LANGUAGES = languages.TRANSLATED  # English is the source language
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def locale_dir() -> Path:
    return _package() / "locale"


def _package() -> Path:
    """The shopcli package folder (its Python files and its catalogs)."""
    return Path(__file__).resolve().parents[1]


def po_path(language: str) -> Path:
    return locale_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Any:
    """Every translatable message in the templates and the package, as a Babel Catalog."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    from shopcli.core import paths

    catalog = Catalog(project="shopcli", domain=DOMAIN, fuzzy=False)
    templates = paths.builtin_templates()
    method_map = [("**.txt", "jinja2.ext:babel_extract"), ("**.html", "jinja2.ext:babel_extract")]
    options = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
    options_map = {"**.txt": options, "**.html": options}
    sources = [
        (templates, method_map, options_map),
        (_package(), [("**.py", "python")], {}),
    ]
    for folder, methods, opts in sources:
        for filename, lineno, message, comments, context in extract_from_dir(
            str(folder),
            method_map=methods,
            options_map=opts,
            keywords=KEYWORDS,
            comment_tags=("Translators:",),
            strip_comment_tags=True,
        ):
            catalog.add(
                message, None, [(filename, lineno)], auto_comments=comments, context=context
            )
    return catalog


def update_catalogs(languages: tuple[str, ...] = LANGUAGES) -> dict[str, list[str]]:
    """Bring .po files in line with the extracted messages; return what is untranslated."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    template = extract()
    missing: dict[str, list[str]] = {}
    for language in languages:
        path = po_path(language)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=language, domain=DOMAIN)
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, project="shopcli")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.fuzzy = False
        catalog.project, catalog.version = "shopcli", "1"
        catalog.msgid_bugs_address = ""
        catalog.last_translator = "shopcli translators"
        catalog.language_team = f"{language} (shopcli)"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(
                handle,
                catalog,
                width=100,
                omit_header=False,
                sort_output=False,
                include_previous=False,
            )
        missing[language] = untranslated(catalog)
    return missing


def untranslated(catalog: Any) -> list[str]:
    """Message ids with no translation, a fuzzy one, or a missing plural form."""
    gaps = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if (
            message.fuzzy
            or not all(strings)
            or (message.pluralizable and len(strings) < catalog.num_plurals)
        ):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def read_catalog(language: str) -> Any:
    from babel.messages.pofile import read_po

    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def compile_catalog(language: str) -> bytes:
    """The .mo bytes for one language's .po file."""
    from babel.messages.mofile import write_mo

    buffer = BytesIO()
    write_mo(buffer, read_catalog(language), use_fuzzy=False)
    return buffer.getvalue()


@lru_cache(maxsize=8)
def translations(language: str) -> Any:
    """gettext translations for a document language (English: the source strings)."""
    from babel.support import NullTranslations, Translations

    if language not in LANGUAGES:
        return NullTranslations()
    mo = po_path(language).with_suffix(".mo")
    po = po_path(language)
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    if po.exists():
        return Translations(BytesIO(compile_catalog(language)), domain=DOMAIN)
    return NullTranslations()


if (
    __name__ == "__main__"
):  # python -m shopcli.documents.i18n [LANG ...]: update catalogs, list gaps
    import sys

    chosen = tuple(sys.argv[1:]) or LANGUAGES
    for lang, gaps in update_catalogs(chosen).items():
        print(f"{lang}: {len(gaps)} untranslated")
        for gap in gaps:
            print(f"   {gap!r}")
