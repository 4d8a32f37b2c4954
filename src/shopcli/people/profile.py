"""The shopper's profile: who bills, how, and the terms shown to clients (a YAML file).

The file may be edited by hand, so nothing read from it is trusted: every value goes through
its key's cleaner (the same one `shop profile set` uses) before any command uses it. A value
is checked the first time it is asked for, not when the file is loaded: loading runs for most
commands, and the checks of IBANs, VAT ids and currencies cost ~50 ms together, so a command
pays only for the keys it uses. An invalid value is an InvalidInput naming the key, the file
and the `shop profile set` that fixes it. `Profile.problems()` checks every key at once
(`shop doctor`, `shop profile show`).

A key this shopcli does not know (a typo, or a key from a newer shopcli) is ignored, never an
error: it stays in the file, and `shop doctor` and `shop profile show` name it.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from shopcli.core import languages, validate
from shopcli.core.errors import InvalidInput


def _business_id(value: str) -> str:
    from shopcli.core import tax_ids

    return tax_ids.business_id(value).value


def _iban(value: str) -> str:
    from stdnum import iban

    if not iban.is_valid(value):
        raise InvalidInput(f"IBAN {value!r} is not valid (check the digits and country code)")
    return iban.format(value)


def _bic(value: str) -> str:
    from stdnum import bic

    if not bic.is_valid(value):
        raise InvalidInput(f"BIC {value!r} is not valid (8 or 11 letters and digits)")
    return bic.compact(value)


def _vat_rate(value: str) -> str:
    from shopcli.core.money import parse_amount, to_text

    rate = parse_amount(value.rstrip("%").strip(), "VAT rate", places=2)
    if rate > 100:
        raise InvalidInput("VAT rate is a percentage from 0 to 100")
    return to_text(rate)


def _days(value: str) -> int:
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 3 or int(value) > 365:
        raise InvalidInput(f"payment terms must be a number of days from 0 to 365, not {value!r}")
    return int(value)


def _followup_days(value: str) -> int:
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 3 or int(value) > 365:
        raise InvalidInput(
            f"followup_days is the number of days after a handover to ask how the gifts were "
            f"received, from 0 to 365, not {value!r}"
        )
    return int(value)


NUMBER_FIELDS = ("year", "month", "seq")
# A plain integer spec: optional zero padding and a width (`04d`), nothing else.
_NUMBER_SPEC = re.compile(r"(?:0?[0-9]{0,2}d)?")
_NUMBER_MAX_LENGTH = 60


def number_format_fields(value: str) -> set[str]:
    """The fields an invoice number format uses, after checking it is one shopcli can fill.

    Only {year}, {month} and {seq} (which must appear), each with at most an integer spec
    like `04d`: no attribute or index access (`{seq.__class__}`, `{seq[0]}`), no conversions
    (`!r`), no nested fields, so a number can only be literal text and those three integers.
    """
    hint = "use {year}, {month} and {seq}, e.g. {year}-{seq:04d} or INV{year}{month:02d}-{seq}"
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"invoice number format cannot be empty; {hint}")
    if len(value) > _NUMBER_MAX_LENGTH:
        raise InvalidInput(
            f"invoice number format is longer than {_NUMBER_MAX_LENGTH} characters; {hint}"
        )
    if not value.isprintable():
        raise InvalidInput(f"invoice number format must be one line of printable text; {hint}")
    fields: set[str] = set()
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError as exc:
        raise InvalidInput(
            f"invoice number format {value!r} is not usable ({exc}); {hint}"
        ) from None
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in NUMBER_FIELDS:
            shown = "{" + name + "}" if name else "{}"
            raise InvalidInput(f"invoice number format: {shown} is not a field; {hint}")
        if conversion is not None:
            raise InvalidInput(
                f"invoice number format: {{{name}!{conversion}}} is not allowed; {hint}"
            )
        if not _NUMBER_SPEC.fullmatch(spec or ""):
            raise InvalidInput(
                f"invoice number format: {{{name}:{spec}}} is not a number layout (use e.g. "
                f"{{{name}:04d}} for zero padding); {hint}"
            )
        fields.add(name)
    if "seq" not in fields:
        raise InvalidInput(f"invoice number format must contain {{seq}}; {hint}")
    return fields


def _number_format(value: str) -> str:
    number_format_fields(value)
    return value


def _currency(value: str) -> str:
    from shopcli.core.money import currency

    return currency(value)


def _text(value: str) -> str:
    """One line of text (names end up in email headers)."""
    return validate.text(value, "value", max_length=500)


def _lines(value: str) -> str:
    return validate.text(value, "value", max_length=2000, multiline=True)


def _rounding(value: str) -> str:
    from shopcli.core.money import ROUNDING_MODES

    if value not in ROUNDING_MODES:
        raise InvalidInput(f"rounding must be one of: {', '.join(ROUNDING_MODES)}")
    return value


def _reminder_days(value: str) -> int:
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 365:
        raise InvalidInput(
            f"reminder days must be a number of days from 1 to 365 (the time a reminder gives "
            f"to pay), not {value!r}"
        )
    return int(value)


def _reminder_fee(value: str) -> str:
    """One fee per currency, `5 EUR` or `5 EUR; 1500 HUF` (an amount alone is in the
    profile's currency when it is used); written back in that form."""
    return "; ".join(f"{amount} {code}".strip() for code, amount in reminder_fees(value).items())


def reminder_fees(value: str) -> dict[str, str]:
    """The fees of a `reminder_fee` value by currency (`""` for an amount with no code)."""
    from shopcli.core.money import currency, parse_amount, to_text

    fees: dict[str, str] = {}
    for part in str(value).split(";"):
        words = part.split()
        if not words:
            continue
        codes = [w for w in words if w.isalpha()]
        numbers = [w for w in words if not w.isalpha()]
        if len(codes) > 1 or len(numbers) != 1:
            raise InvalidInput(
                f"reminder fee {part.strip()!r} is not an amount and a currency: write e.g. "
                "`5 EUR`, or `5 EUR; 1500 HUF` for several currencies"
            )
        code = currency(codes[0]) if codes else ""
        if code in fees:
            raise InvalidInput(f"reminder fee: {code or 'an amount without a currency'} twice")
        amount = parse_amount(numbers[0], "reminder fee")
        if amount == 0:
            raise InvalidInput("a reminder fee must be more than zero (clear it with '')")
        fees[code] = to_text(amount)
    if not fees:
        raise InvalidInput("reminder fee is empty: write e.g. `5 EUR` (clear it with '')")
    return fees


def _reminder_level(value: str) -> int:
    value = value.strip()
    if value not in ("1", "2", "3"):
        raise InvalidInput(
            f"reminder_fee_from is the first reminder level that carries the fee: 1, 2 or 3, "
            f"not {value!r}"
        )
    return int(value)


def _official_invoicing(value: str) -> str:
    systems = ("none", "hu-nav", "pl-ksef", "cn-fapiao")
    value = value.strip().lower()
    if value not in systems:
        raise InvalidInput(
            f"official invoicing must be one of: {', '.join(systems)} (the national system "
            "that issues your official invoices; then `shop invoice JOB --issue` makes a fee "
            "statement)"
        )
    return value


# Every key the profile knows, with the check that cleans its value.
KEYS: dict[str, Callable[[str], Any]] = {
    "name": _text,
    "business_name": _text,
    "business_id": _business_id,
    "vat_id": validate.vat_id,
    "vat_rate": _vat_rate,
    "vat_exempt_note": _lines,
    "address": _lines,
    "email": validate.email,
    "phone": validate.phone,
    "iban": _iban,
    "bic": _bic,
    "currency": _currency,
    "language": validate.language,
    "payment_terms_days": _days,
    "invoice_number_format": _number_format,
    "rounding": _rounding,
    "official_invoicing": _official_invoicing,
    "reminder_days": _reminder_days,
    "reminder_fee": _reminder_fee,
    "reminder_fee_from": _reminder_level,
    "followup_days": _followup_days,
}
# The terms shown to clients.
TERMS = ("delivery", "returns", "customs", "prepayment")
KEYS.update({f"terms.{term}": _lines for term in TERMS})
# Texts clients read, written in the profile's language (`terms.returns`) and, as the same
# text in another document language, under the key with the language added
# (`terms.returns.fi`, `vat_exempt_note.pl`).
TRANSLATABLE = (*(f"terms.{term}" for term in TERMS), "vat_exempt_note")
TRANSLATIONS = frozenset(f"{key}.{code}" for key in TRANSLATABLE for code in languages.NAMES)
KEYS.update(dict.fromkeys(sorted(TRANSLATIONS), _lines))

DEFAULTS: dict[str, Any] = {
    "currency": "EUR",
    "language": "en",
    "payment_terms_days": 14,
    "invoice_number_format": "{year}-{seq:04d}",
    "rounding": "half-up",
    "reminder_days": 14,
    "reminder_fee_from": 2,
    "followup_days": 10,
}


# Cleaned values by (key, text as read): checking is a pure function of the two, and a
# command that renders a document asks for the same keys several times.
_CHECKED: dict[tuple[str, str], Any] = {}
# The values that passed their check, kept in the data folder's cache from one command to
# the next (owner only; delete it at any time): checking an email address, a business id or
# an IBAN imports email-validator and python-stdnum, ~40 ms, for values that seldom change.
# A value that fails is never kept, so it is checked (and refused) every time.
CHECKS_KEPT = 200
_KEPT: dict[tuple[str, str], Any] | None = None


def _single(key: str, value: Any) -> str:
    """A value from the file as the text a cleaner takes (YAML may have made it a number)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    kind = {bool: "yes/no", list: "a list", dict: "a mapping"}.get(
        type(value), type(value).__name__
    )
    raise InvalidInput(f"{key} must be a single value (text or a number), not {kind}")


def clean(key: str, value: Any) -> Any:
    """One profile value checked as `shop profile set` checks it (card numbers refused)."""
    text = _single(key, value)
    found = _CHECKED.get((key, text))
    if found is None:
        found = _kept_checks().get((key, text))
    if found is not None:
        _CHECKED[(key, text)] = found
        return found
    from shopcli.core.cards import refuse_card_numbers

    refuse_card_numbers({key: text})
    cleaned = KEYS[key](text)
    _CHECKED[(key, text)] = cleaned
    _keep_check(key, text, cleaned)
    return cleaned


def _checks_file() -> Path:
    from shopcli.core import paths

    return paths.home() / ".cache" / "profile-checks.json"


def _kept_checks() -> dict[tuple[str, str], Any]:
    """The checks kept by earlier commands of this shopcli version (read once a process)."""
    global _KEPT
    if _KEPT is None:
        import json

        from shopcli import __version__

        _KEPT = {}
        try:
            kept = json.loads(_checks_file().read_text(encoding="utf-8"))
            if kept["version"] == __version__:
                _KEPT = {(key, text): cleaned for key, text, cleaned in kept["checks"]}
        except (OSError, ValueError, KeyError, TypeError):
            pass
    return _KEPT


def _keep_check(key: str, text: str, cleaned: Any) -> None:
    """Keep a value that passed its check for the next commands (the newest CHECKS_KEPT)."""
    from shopcli import __version__
    from shopcli.core.memo import keep

    kept = _kept_checks()
    kept.pop((key, text), None)
    kept[(key, text)] = cleaned
    while len(kept) > CHECKS_KEPT:
        kept.pop(next(iter(kept)))
    checks = [[k, t, c] for (k, t), c in kept.items()]
    home = _checks_file().parent.parent
    keep(_checks_file(), {"version": __version__, "checks": checks}, below=home)


class Profile:
    """The profile as a flat mapping of dotted keys, loaded from and saved to YAML.

    `values` holds what the file says (and what `set` put there, cleaned); `get`, `terms` and
    `as_dict` hand out checked values only.
    """

    def __init__(self, values: dict[str, Any], path: Path) -> None:
        self.values = values
        self.path = path

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        if value is None or value == "":
            return DEFAULTS.get(key, default)
        if key not in KEYS:
            return value
        try:
            return clean(key, value)
        except InvalidInput as exc:
            raise InvalidInput(self._problem(key, exc)) from None

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def _problem(self, key: str, exc: InvalidInput) -> str:
        return (
            f"the profile {self.path} has an invalid {key}: {exc}. Fix it with "
            f"`shop profile set {key} VALUE` (or clear it with `shop profile set {key} ''`)"
        )

    def problems(self) -> dict[str, str]:
        """Every known key whose value in the file is not valid, with what is wrong."""
        found = {}
        for key in KEYS:
            value = self.values.get(key)
            if value is None or value == "":
                continue
            try:
                clean(key, value)
            except InvalidInput as exc:
                found[key] = str(exc)
        return found

    def unknown(self) -> list[str]:
        """Keys in the file this shopcli does not know: ignored, but kept in the file."""
        return [key for key in self.values if key not in KEYS]

    def set(self, key: str, value: str) -> Any:
        """Validate and set one key; an empty value clears it."""
        if key not in KEYS:
            raise InvalidInput(f"unknown profile key {key!r}; known keys: {', '.join(KEYS)}")
        if value.strip() == "":
            from shopcli.core.cards import refuse_card_numbers

            refuse_card_numbers({key: value})
            self.values.pop(key, None)
            return None
        cleaned = clean(key, value)
        self.values[key] = cleaned
        return cleaned

    def shown_keys(self) -> list[str]:
        """The keys a listing shows: every key, except the translations not written."""
        return [key for key in KEYS if key not in TRANSLATIONS or self.values.get(key)]

    def as_dict(self, *, as_written: bool = False) -> dict[str, Any]:
        """Every key with its value (defaults filled in; a term's translations only when
        written). With `as_written`, a value that is not valid is given as the file has it
        instead of raising (to show it)."""
        if not as_written:
            return {key: self.get(key) for key in self.shown_keys()}
        from shopcli.core.errors import CardNumberRefused

        shown = {}
        for key in self.shown_keys():
            try:
                shown[key] = self.get(key)
            except InvalidInput:
                try:
                    clean(key, self.values[key])
                except CardNumberRefused:
                    shown[key] = "(not shown: it looks like a card number)"
                except InvalidInput:
                    shown[key] = self.values[key]
        return shown

    def terms(self, language: str | None = None) -> dict[str, str]:
        """The terms shown to clients, each in `language` if it is written in it, else as
        `text` chooses. Without a language: the terms as written in the profile's language."""
        chosen = {}
        for term in TERMS:
            key = f"terms.{term}"
            found = self.text(key, language) if language else self._written(key, None)
            if found is not None:
                chosen[term] = found[0]
        return chosen

    def text(self, key: str, language: str) -> tuple[str, str] | None:
        """A text clients read (`TRANSLATABLE`) for a document in `language`, and the language
        it is written in.

        Its own language first; then English, which most clients read besides their own;
        then the profile's language, in which `KEY` itself is written. A text written in no
        language is None (not shown).
        """
        for candidate in dict.fromkeys((language, languages.SOURCE, self.get("language"))):
            found = self._written(key, candidate)
            if found is not None:
                return found
        return None

    def _written(self, key: str, language: str | None) -> tuple[str, str] | None:
        """The text as written in `language` (None: in the profile's language)."""
        mine = self.get("language")
        keys = [f"{key}.{language or mine}"]
        if language in (None, mine):
            keys.append(key)
        for found in keys:
            if self.values.get(found):
                return self.get(found), language or mine
        return None

    def untranslated(self, keys: Iterable[str], language: str) -> list[tuple[str, str]]:
        """Of these texts, those a document in `language` shows in another language, each
        with the language it is shown in: (key, language)."""
        found = []
        for key in keys:
            chosen = self.text(key, language)
            if chosen is not None and chosen[1] != language:
                found.append((key, chosen[1]))
        return found

    def save(self) -> None:
        """Write the YAML file atomically, readable by its owner only."""
        import yaml

        # A hand-written `terms: x` beside terms.* keys: those are then written flat
        # (`terms.delivery: ...` reads back the same).
        plain = {key for key in self.values if "." not in key}
        nested: dict[str, Any] = {}
        for key, value in self.values.items():
            head, _, tail = key.partition(".")
            if tail and head not in plain:
                nested.setdefault(head, {})[tail] = value
            else:
                nested[key] = value
        text = yaml.safe_dump(nested, allow_unicode=True, sort_keys=False)
        from shopcli.core.files import write_private

        write_private(self.path, text)


# The last text read from each profile file and what it parsed to: a command that renders a
# document asks for the profile several times, and reading the file is cheap, parsing not.
_PARSED: dict[Path, tuple[str, dict[str, Any]]] = {}


def load(path: Path | None = None) -> Profile:
    """Load the profile; a missing file is an empty profile with defaults.

    Only the YAML is read here; values are checked as they are asked for (see the module's
    docstring)."""
    from shopcli.core import paths

    path = path or paths.profile_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Profile({}, path)
    except UnicodeDecodeError:
        raise InvalidInput(
            f"the profile {path} is not UTF-8 text: save it as UTF-8 in a text editor"
        ) from None
    except OSError as exc:
        from shopcli.core.errors import StorageError

        raise StorageError(f"cannot read the profile {path}: {exc.strerror}") from None
    cached = _PARSED.get(path)
    if cached is None or cached[0] != text:
        cached = _PARSED[path] = (text, _parse(path, text))
    return Profile(dict(cached[1]), path)


_LOADER = None


def _loader():
    """libyaml's safe loader when present (the pure-Python one is ~5x slower), keeping
    numbers and yes/no as written: a hand-written phone 0401234567 is not the octal 67449207."""
    global _LOADER
    if _LOADER is None:
        import yaml

        # The C loader where PyYAML was built with it: a base chosen at run time.
        class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
            pass

        def as_written(loader, node):
            return loader.construct_scalar(node)

        for tag in ("int", "float", "bool", "timestamp"):
            Loader.add_constructor(f"tag:yaml.org,2002:{tag}", as_written)
        _LOADER = Loader
    return _LOADER


def _parse(path: Path, text: str) -> dict[str, Any]:
    """The file's values, from the parse cache beside it when the text is the same."""
    import hashlib
    import json

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    cache = path.parent / ".cache" / "profile.json"
    try:
        kept = json.loads(cache.read_text(encoding="utf-8"))
        if kept["sha256"] == digest and isinstance(kept["values"], dict):
            return kept["values"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    values = _parse_yaml(path, text)
    # Kept for next time: `import yaml` alone costs ~12 ms a command, and the profile
    # seldom changes (only values JSON holds exactly are kept).
    from shopcli.core.memo import keep

    keep(cache, {"sha256": digest, "values": values}, below=path.parent)
    return values


def _parse_yaml(path: Path, text: str) -> dict[str, Any]:
    import yaml

    values: dict[str, Any] = {}
    try:
        data = yaml.load(text, Loader=_loader()) or {}  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InvalidInput(
            f"the profile {path} is not valid YAML{where}: fix it in a text editor"
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput(
            f"the profile {path} must be a mapping of keys to values (`key: value` lines): fix "
            "it in a text editor"
        )
    for key, value in data.items():
        if isinstance(value, dict):
            for sub, subvalue in value.items():
                values[f"{key}.{sub}"] = subvalue
        else:
            values[str(key)] = value
    return values


def exists() -> bool:
    from shopcli.core import paths

    return os.path.exists(paths.profile_path())
