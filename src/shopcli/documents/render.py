"""Rendering documents: one Jinja environment per language, template overrides, filters.

Templates live in the package's `templates/` folder; a file of the same name in the data
folder's `templates/` overrides it. Everything is rendered in Jinja's sandbox with
StrictUndefined (a missing variable is an error, not a blank); HTML is autoescaped.
Every user-visible string in a template goes through gettext (`_()`, `ngettext()`,
`{% trans %}`), so documents speak the client's language.
"""

from __future__ import annotations

import datetime as dt
import os
from contextvars import ContextVar
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from shopcli.core import languages, paths
from shopcli.core.errors import NotFound, ShopError

# Babel locales for the document languages.
LOCALES = languages.LOCALES


class TemplateProblem(ShopError):
    """A template (built-in or the shopper's override) cannot be loaded or rendered."""


def locale_for(language: str | None) -> str:
    return LOCALES.get((language or "en").lower(), "en_GB")


# How templates are compiled (the compiled code depends on it, see _bytecode_cache).
_AUTOESCAPED = ("html", "htm", "xml")
_OPTIONS: dict[str, Any] = {
    "extensions": ["jinja2.ext.i18n"],
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


@lru_cache(maxsize=8)
def environment(language: str = "en"):
    """The Jinja environment for one language (built once per process)."""
    from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment

    class Environment(SandboxedEnvironment):
        """`item.title` on a record (a plain dict) reads its key straight away: Jinja tries the
        attribute first and fails, which cost ~40 % of rendering 500 items. Reading a key is
        what `item["title"]` does in the sandbox anyway; a dict method (`.items()`) is still
        found when no key has its name.

        It also caps what a template may compute (see `_Limits`): every arithmetic operator
        and every call goes through it, so `{{ 'a' * 10**10 }}` is refused at once instead of
        filling the memory, and Jinja does not fold such constants while compiling."""

        intercepted_binops = frozenset(_Limits.BINOPS)

        def getattr(self, obj: Any, attribute: str) -> Any:
            if type(obj) is dict:
                try:
                    return obj[attribute]
                except KeyError:
                    pass
            return super().getattr(obj, attribute)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            return _Limits.binop(operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
            _Limits.check_call(__obj, args, kwargs)
            return super().call(__context, __obj, *args, **kwargs)

    env = Environment(
        loader=FileSystemLoader([str(paths.user_templates()), str(paths.builtin_templates())]),
        autoescape=select_autoescape(_AUTOESCAPED, default_for_string=False),
        undefined=StrictUndefined,
        bytecode_cache=_bytecode_cache(),
        **_OPTIONS,
    )
    from shopcli.documents.i18n import translations

    catalog = translations(language)
    # A method the i18n extension adds to the environment (not in Environment's type).
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    locale = locale_for(language)
    env.globals["language"] = language
    env.globals["locale"] = locale
    # The punctuation between a template's words and its values: `{{ colon }}`, `{{ open }}`…
    env.globals.update(languages.PUNCTUATION.get(language, languages.PUNCTUATION["en"]))
    # What an id is, translated: "NIP UE" for a Finnish VAT number on a Polish invoice.
    env.globals["business_id_label"] = lambda value: _tax_id_label(catalog, "business_id", value)
    env.globals["vat_id_label"] = lambda value: _tax_id_label(catalog, "vat_id", value)
    prose = languages.PROSE_DATES.get(language, "long")
    env.filters["money"] = lambda value, currency: format_money(value, currency, locale)
    env.filters["number"] = lambda value, places=None: format_number(value, locale, places)
    env.filters["date"] = lambda value, style=prose: format_date(value, locale, style)
    env.filters["invoice_date"] = lambda value: format_invoice_date(value, language)
    env.filters["percent"] = lambda value: format_percent(value, locale)
    # A macro from a shared .txt template returns its text marked safe, but nothing in it
    # was escaped: `{{ m.line(x)|as_text }}` hands it back as plain text for HTML to escape.
    env.filters["as_text"] = lambda value: str.__str__(value)
    env.filters["host"] = link_host
    _Limits.guard_filters(env)
    env.globals["range"] = _Limits.range
    return env


class TemplateLimit(ShopError):
    """A template asked for more than a template may compute or write."""


class _Limits:
    """What one rendering may compute: no value over MAX_TEXT characters or items, no number
    over MAX_BITS bits, no padding wider than MAX_WIDTH, at most MAX_RANGE_TOTAL numbers from
    `range` in all, at most MAX_OUTPUT characters written, and MAX_SECONDS of work. A real
    document is far inside each (a 10,000-item proposal writes ~5 MB in ~2 s)."""

    MAX_TEXT = 1_000_000
    MAX_BITS = 4096
    MAX_WIDTH = 10_000
    MAX_RANGE_TOTAL = 1_000_000
    MAX_OUTPUT = 64_000_000
    MAX_SECONDS = 60.0
    BINOPS = ("+", "-", "*", "/", "//", "%", "**")

    @classmethod
    def refuse(cls, what: str) -> TemplateLimit:
        return TemplateLimit(f"asks for more than a template may compute ({what})")

    @classmethod
    def binop(cls, operator: str, left: Any, right: Any) -> Any:
        import operator as ops

        if operator == "**" and _is_int(left) and _is_int(right) and abs(left) > 1:
            bits = right * max(abs(left).bit_length(), 1)
            if bits > cls.MAX_BITS:
                raise cls.refuse(f"a power of {bits:,} bits; the limit is {cls.MAX_BITS:,}")
        elif operator == "*":
            if _is_int(left) and _is_int(right):
                if left.bit_length() + right.bit_length() > cls.MAX_BITS:
                    raise cls.refuse(f"a number over {cls.MAX_BITS:,} bits")
            else:
                count, times = (left, right) if _is_int(right) else (right, left)
                if (
                    _is_int(times)
                    and hasattr(count, "__len__")
                    and len(count) * times > cls.MAX_TEXT
                ):
                    raise cls.refuse(
                        f"{len(count) * times:,} characters or items; the limit is {cls.MAX_TEXT:,}"
                    )
        elif operator == "+" and hasattr(left, "__len__") and hasattr(right, "__len__"):
            if len(left) + len(right) > cls.MAX_TEXT:
                raise cls.refuse(f"a value of over {cls.MAX_TEXT:,} characters or items")
        elif operator == "%" and isinstance(left, str):
            cls.check_format(left)
        table = {
            "+": ops.add,
            "-": ops.sub,
            "*": ops.mul,
            "/": ops.truediv,
            "//": ops.floordiv,
            "%": ops.mod,
            "**": ops.pow,
        }
        return table[operator](left, right)

    @classmethod
    def check_format(cls, text: str) -> None:
        """A %-format or format string whose widths and precisions stay within MAX_WIDTH."""
        import re

        specs = re.findall(r"%(?:\([^)]*\))?[-#0 +]*(\*|[0-9]*)(?:\.(\*|[0-9]*))?", text)
        specs += [(spec, "") for spec in re.findall(r"\{[^{}]*?:([^{}]*)\}", text)]
        for parts in specs:
            for part in parts:
                if "*" in part:
                    raise cls.refuse("a width given as *")
                for digits in re.findall(r"[0-9]+", part):
                    if len(digits) > 5 or int(digits) > cls.MAX_WIDTH:
                        raise cls.refuse(f"a width over {cls.MAX_WIDTH:,}")

    @classmethod
    def check_call(cls, obj: Any, args: tuple, kwargs: dict) -> None:
        """Refuse string methods asked to pad or repeat beyond the limits."""
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        if not isinstance(owner, (str, bytes)):
            return
        values = [*args, *kwargs.values()]
        if name in ("ljust", "rjust", "center", "zfill", "expandtabs"):
            if any(_is_int(v) and v > cls.MAX_WIDTH for v in values):
                raise cls.refuse(f"a width over {cls.MAX_WIDTH:,}")
        elif name == "replace" and len(values) >= 2 and owner:
            length = _replaced_length(owner, values[0], values[1])
            if length is not None and length > cls.MAX_TEXT:
                raise cls.refuse(f"a value of over {cls.MAX_TEXT:,} characters")
        elif name in ("format", "format_map") and isinstance(owner, str):
            cls.check_format(owner)

    @classmethod
    def guard_filters(cls, env: Any) -> None:
        """Filters that pad or repeat take the same limits as the operators."""
        builtin = dict(env.filters)

        def center(value: Any, width: int = 80) -> Any:
            if _is_int(width) and width > cls.MAX_WIDTH:
                raise cls.refuse(f"a width over {cls.MAX_WIDTH:,}")
            return builtin["center"](value, width)

        def indent(value: Any, width: Any = 4, *args: Any, **kwargs: Any) -> Any:
            size = width if _is_int(width) else len(width) if isinstance(width, str) else 0
            if size > cls.MAX_WIDTH or size * str(value).count("\n") > cls.MAX_TEXT:
                raise cls.refuse(f"an indent over {cls.MAX_WIDTH:,}")
            return builtin["indent"](value, width, *args, **kwargs)

        def format_(value: Any, *args: Any, **kwargs: Any) -> Any:
            cls.check_format(str(value))
            return builtin["format"](value, *args, **kwargs)

        def replace(eval_ctx: Any, value: Any, old: Any, new: Any, count: Any = None) -> Any:
            text, old, new = str(value), str(old), str(new)
            times = text.count(old) if old else len(text) + 1
            if count is not None and _is_int(count):
                times = min(times, count)
            if len(text) + times * len(new) > cls.MAX_TEXT:
                raise cls.refuse(f"a value of over {cls.MAX_TEXT:,} characters")
            return builtin["replace"](eval_ctx, value, old, new, count)

        from jinja2.utils import pass_eval_context

        env.filters["center"] = center
        env.filters["indent"] = indent
        env.filters["format"] = format_
        env.filters["replace"] = pass_eval_context(replace)

    @classmethod
    def range(cls, *args: int) -> range:
        made = range(*args)
        left = _RANGE_LEFT.get()
        if left is not None:
            if len(made) > left[0]:
                raise cls.refuse(
                    f"ranges of over {cls.MAX_RANGE_TOTAL:,} numbers in all in one document"
                )
            left[0] -= len(made)
        return made


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _replaced_length(owner: str | bytes, old: Any, new: Any) -> int | None:
    """How long `owner.replace(old, new)` would come out, or None when the types differ (the
    call itself then fails)."""
    if isinstance(owner, str) and isinstance(old, str) and isinstance(new, str):
        return len(owner) + (owner.count(old) if old else len(owner) + 1) * len(new)
    if isinstance(owner, bytes) and isinstance(old, bytes) and isinstance(new, bytes):
        return len(owner) + (owner.count(old) if old else len(owner) + 1) * len(new)
    return None


# The numbers `range` may still give in the rendering under way (a list, to count down).
_RANGE_LEFT: ContextVar[list[int] | None] = ContextVar("range_left", default=None)


def link_host(url: str) -> str:
    """The site a link leads to, as its text in an email (`shop.example.com`): shorter than
    the whole address, and it shows the client where a click goes."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(str(url)).hostname
    except ValueError:
        host = None
    return host.removeprefix("www.") if host else str(url)


def _bytecode_cache():
    """Compiled templates kept in the data folder: compiling costs 5-50 ms a template on every
    command, loading the compiled code well under one.

    A template is recompiled when its source changes (Jinja checks a checksum); the folder
    is named for this shopcli, Jinja, Python and the compile options, so an upgrade or a new
    option starts afresh. A cache that cannot be written is simply not used.
    """
    import hashlib
    import sys

    import jinja2
    from jinja2.bccache import Bucket, FileSystemBytecodeCache

    from shopcli import __version__

    builtin = os.path.realpath(paths.builtin_templates())

    class Cache(FileSystemBytecodeCache):
        """Only built-in templates: an override is compiled from its source every time."""

        def get_bucket(
            self, environment: jinja2.Environment, name: str, filename: str | None, source: str
        ) -> Bucket:
            if filename and os.path.realpath(filename).startswith(builtin + os.sep):
                return super().get_bucket(environment, name, filename, source)
            bucket = Bucket(environment, "", self.get_source_checksum(source))
            # Marks a bucket that must not be written (an override); read in set_bucket.
            bucket.uncached = True  # type: ignore[attr-defined]
            return bucket

        def set_bucket(self, bucket: Bucket) -> None:
            if not getattr(bucket, "uncached", False):
                super().set_bucket(bucket)

        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except OSError:
                pass

        def dump_bytecode(self, bucket: Bucket) -> None:
            try:
                for folder in (os.path.dirname(self.directory), self.directory):
                    os.makedirs(folder, mode=0o700, exist_ok=True)
                    os.chmod(folder, 0o700)
                super().dump_bytecode(bucket)
            except OSError:
                pass

    made = f"{__version__} {jinja2.__version__} {sys.version_info[:2]} {_AUTOESCAPED} {_OPTIONS}"
    folder = paths.home() / ".cache" / f"templates-{hashlib.sha1(made.encode()).hexdigest()[:12]}"
    return Cache(str(folder))


# Digits per currency that the document being rendered was issued with (an issued invoice
# keeps its own, whatever `currencies` says today); set by `render(..., digits=...)`.
_ISSUED_DIGITS: ContextVar[dict[str, int] | None] = ContextVar("issued_digits", default=None)


def format_money(
    value: Any, currency: str, locale: str = "en_GB", *, digits: int | None = None
) -> str:
    """Money in the locale's own way (1 234,50 € in Finnish), rounded half-up first to the
    currency's digits (see `currencies`), or to `digits`."""
    from shopcli.core.money import minor_units, round_money

    if digits is None:
        digits = (_ISSUED_DIGITS.get() or {}).get(currency)
    if digits is None:
        digits = minor_units(currency)
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return _money_format(currency, locale, digits)(round_money(number, currency, digits=digits))


@lru_cache(maxsize=64)
def _money_format(currency: str, locale: str, digits: int):
    """A formatter for one currency in one locale and number of digits, equal to Babel's
    `format_currency` with the locale's pattern showing exactly `digits` decimals.

    Babel looks up the pattern, symbols and precision in its locale data on every call
    (~45 µs, 50 ms for a 500-item proposal); here they are looked up once and each amount
    only has its digits grouped. Patterns this shortcut does not cover go to Babel.
    """
    from babel.core import Locale
    from babel.numbers import (
        format_currency,
        get_currency_symbol,
        get_decimal_symbol,
        get_group_symbol,
    )

    data = Locale.parse(locale)
    pattern = with_digits(data.currency_formats["standard"], digits)

    def babel(amount: Decimal) -> str:
        return format_currency(
            amount, currency, format=pattern, locale=locale, currency_digits=False
        )

    group = get_group_symbol(data, numbering_system="latn")
    point = get_decimal_symbol(data, numbering_system="latn")
    symbol = get_currency_symbol(currency, data)
    frames = [*pattern.prefix, *pattern.suffix]
    if (
        pattern.exp_prec
        or pattern.scale
        or "@" in pattern.pattern
        or any("¤¤¤" in part or "'" in part for part in frames)
        or any("'" in text for text in (group, point, symbol))
    ):
        return babel

    def frame(part: str) -> str:
        return part.replace("¤¤", currency.upper()).replace("¤", symbol)

    prefix = (frame(pattern.prefix[0]), frame(pattern.prefix[1]))
    suffix = (frame(pattern.suffix[0]), frame(pattern.suffix[1]))
    least = pattern.int_prec[0]
    first_group, next_group = pattern.grouping
    quantum = Decimal(1).scaleb(-digits)

    def fast(amount: Decimal) -> str:
        if not amount.is_finite():
            return babel(amount)
        negative = int(amount.is_signed())
        whole, _, fraction = f"{abs(amount).normalize().quantize(quantum):f}".partition(".")
        whole = whole.rjust(least, "0")
        grouped, size = "", first_group
        while len(whole) > size:
            grouped = group + whole[-size:] + grouped
            whole = whole[:-size]
            size = next_group
        number = whole + grouped
        if digits:
            number += point + fraction.ljust(digits, "0")
        return prefix[negative] + number + suffix[negative]

    return fast


def with_digits(pattern: Any, digits: int) -> Any:
    """A copy of a Babel number pattern that shows exactly `digits` decimals (the currency
    digits come from `currencies`, not from the locale data)."""
    from copy import copy

    changed = copy(pattern)
    changed.frac_prec = (digits, digits)
    return changed


def format_number(value: Any, locale: str = "en_GB", places: int | None = None) -> str:
    from babel.numbers import format_decimal

    number = Decimal(str(value))
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
        fmt = "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(number, format=fmt, locale=locale)
    return format_decimal(number, locale=locale)


def format_percent(value: Any, locale: str = "en_GB") -> str:
    """A percentage given as a number (25.5 means 25.5 %), written the locale's way."""
    from babel.numbers import format_percent as babel_percent

    return babel_percent(Decimal(str(value)) / 100, locale=locale, decimal_quantization=False)


def format_date(value: Any, locale: str = "en_GB", style: str = "medium") -> str:
    from babel.dates import format_date as babel_date

    if value in (None, ""):
        return ""
    return babel_date(_as_date(value), format=style, locale=locale)


def format_invoice_date(value: Any, language: str) -> str:
    """A date as invoices in the language write it (`languages.INVOICE_DATES`): 05.12.2026 in
    Polish, 2026.12.05. in Hungarian; as prose where a language has no numeric norm."""
    if value in (None, ""):
        return ""
    day = _as_date(value)
    pattern = languages.INVOICE_DATES.get(language)
    if pattern is None:
        return format_date(day, locale_for(language), languages.PROSE_DATES.get(language, "long"))
    return pattern.format(day=day.day, month=day.month, year=day.year)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _tax_id_label(catalog: Any, key: str, value: str | None) -> str:
    from shopcli.documents.tax_labels import label

    return catalog.gettext(label(key, value))


def render(
    name: str,
    context: dict[str, Any],
    *,
    language: str = "en",
    digits: dict[str, int] | None = None,
) -> str:
    """Render one template by file name in a language; errors name the file and line.

    `digits` gives the decimals to show per currency where an issued document keeps its own.
    """
    token = _ISSUED_DIGITS.set(digits)
    try:
        return _render(name, context, language)
    finally:
        _ISSUED_DIGITS.reset(token)


def _render(name: str, context: dict[str, Any], language: str) -> str:
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    env = environment(language)
    try:
        template = env.get_template(name)
    except TemplateNotFound:
        raise NotFound(f"no template named {name!r} (see `shop templates list`)") from None
    except TemplateSyntaxError as exc:
        where = exc.filename or name
        raise TemplateProblem(f"template {where}, line {exc.lineno}: {exc.message}") from None
    except UnicodeDecodeError:
        raise TemplateProblem(
            f"template {name} in {paths.user_templates()} is not saved as UTF-8; save it as "
            "UTF-8 and try again"
        ) from None
    try:
        return _generate(template, context)
    except TemplateLimit as exc:
        raise TemplateProblem(f"template {template.filename} {exc}") from None
    except UndefinedError as exc:
        raise TemplateProblem(
            f"template {template.filename}: {exc.message} (a variable the template uses is "
            "not given to it)"
        ) from None
    except SecurityError as exc:
        raise TemplateProblem(f"template {template.filename} was refused: {exc}") from None
    except TemplateSyntaxError as exc:  # in a template this one imports or includes
        where = exc.filename or name
        raise TemplateProblem(f"template {where}, line {exc.lineno}: {exc.message}") from None
    except TemplateError as exc:
        raise TemplateProblem(f"template {template.filename}: {exc}") from None
    except UnicodeDecodeError:
        raise TemplateProblem(
            f"a template that {template.filename} uses is not saved as UTF-8"
        ) from None
    except (OverflowError, MemoryError, RecursionError) as exc:
        raise TemplateProblem(
            f"template {template.filename} asks for too much ({type(exc).__name__})"
        ) from None


def _generate(template: Any, context: dict[str, Any]) -> str:
    """The template's text, written piece by piece within `_Limits`: MAX_OUTPUT characters in
    all, and MAX_SECONDS of work where a timer can stop it (the main thread, on Unix)."""
    import signal
    import threading

    token = _RANGE_LEFT.set([_Limits.MAX_RANGE_TOTAL])
    timed = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if timed:

        def stop(signum: int, frame: Any) -> None:
            raise _Limits.refuse(f"more than {_Limits.MAX_SECONDS:g} seconds of work")

        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, _Limits.MAX_SECONDS)
    try:
        pieces: list[str] = []
        written = 0
        for piece in template.generate(**context):
            written += len(piece)
            if written > _Limits.MAX_OUTPUT:
                raise _Limits.refuse(f"a document of over {_Limits.MAX_OUTPUT:,} characters")
            pieces.append(piece)
        return "".join(pieces)
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _RANGE_LEFT.reset(token)


def list_templates() -> list[dict[str, Any]]:
    """Every built-in template, with the file in use (the shopper's override if present)."""
    builtin = paths.builtin_templates()
    user = paths.user_templates()
    names = sorted(p.name for p in builtin.iterdir() if p.is_file() and not p.name.startswith("."))
    extra = sorted(p.name for p in user.iterdir() if p.is_file()) if user.is_dir() else []
    rows = []
    for name in names:
        override = user / name
        rows.append(
            {
                "name": name,
                "overridden": override.exists(),
                "path": str(override if override.exists() else builtin / name),
            }
        )
    for name in extra:
        if name not in names:
            rows.append(
                {"name": name, "overridden": False, "path": str(user / name), "unused": True}
            )
    return rows


def copy_template(name: str, *, force: bool = False) -> Path:
    """Copy a built-in template into the data folder for editing."""
    from shopcli.core.errors import Conflict
    from shopcli.core.files import write_atomic

    source = paths.builtin_templates() / name
    if not source.is_file() or name.startswith("."):
        known = ", ".join(row["name"] for row in list_templates() if not row.get("unused"))
        raise NotFound(f"no built-in template {name!r}; templates: {known}")
    target_dir = paths.user_templates()
    target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = target_dir / name
    if target.exists() and not force:
        raise Conflict(f"{target} exists already; edit it, or use --force to start over")
    write_atomic(target, source.read_bytes(), mode=0o600)
    return target
