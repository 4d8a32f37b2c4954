"""The shopper's profile: who bills, how, and the terms shown to clients (a YAML file)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shopcli import validate
from shopcli.errors import InvalidInput


def _business_id(value: str) -> str:
    from stdnum import get_cc_module

    for country, module_name in (
        ("fi", "ytunnus"),
        ("pl", "nip"),
        ("hu", "anum"),
        ("cn", "uscc"),
        ("ru", "inn"),
        ("ua", "edrpou"),
    ):
        module = get_cc_module(country, module_name)
        if module is not None and module.is_valid(value):
            return module.format(value) if hasattr(module, "format") else module.compact(value)
    raise InvalidInput(
        f"business id {value!r} is not valid: expected a Finnish Y-tunnus (1234567-8), "
        "Polish NIP, Hungarian adószám, Chinese USCC, Russian INN or Ukrainian EDRPOU"
    )


def _vat_id(value: str) -> str:
    from stdnum.eu import vat

    if not vat.is_valid(value):
        raise InvalidInput(
            f"VAT id {value!r} is not valid: write it with its country prefix, e.g. FI12345671"
        )
    return vat.compact(value)


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
    from shopcli.money import parse_amount, to_text

    rate = parse_amount(value.rstrip("%").strip(), "VAT rate", places=2)
    if rate > 100:
        raise InvalidInput("VAT rate is a percentage from 0 to 100")
    return to_text(rate)


def _days(value: str) -> int:
    if not value.strip().isdigit() or int(value) > 365:
        raise InvalidInput(f"payment terms must be a number of days from 0 to 365, not {value!r}")
    return int(value)


def _number_format(value: str) -> str:
    if "{seq" not in value:
        raise InvalidInput("invoice number format must contain {seq}, e.g. {year}-{seq:04d}")
    try:
        value.format(year=2026, seq=1, month=1)
    except (KeyError, ValueError, IndexError) as exc:
        raise InvalidInput(
            f"invoice number format {value!r} is not usable ({exc}); use {{year}}, {{month}} and "
            "{seq}, e.g. {year}-{seq:04d}"
        ) from None
    return value


def _currency(value: str) -> str:
    from shopcli.money import currency

    return currency(value)


def _text(value: str) -> str:
    """One line of text (names end up in email headers)."""
    return validate.text(value, "value", max_length=500)


def _lines(value: str) -> str:
    return validate.text(value, "value", max_length=2000, multiline=True)


def _rounding(value: str) -> str:
    from shopcli.money import ROUNDING_MODES

    if value not in ROUNDING_MODES:
        raise InvalidInput(f"rounding must be one of: {', '.join(ROUNDING_MODES)}")
    return value


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
    "vat_id": _vat_id,
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
    "terms.delivery": _lines,
    "terms.returns": _lines,
    "terms.customs": _lines,
    "terms.prepayment": _lines,
}

DEFAULTS: dict[str, Any] = {
    "currency": "EUR",
    "language": "en",
    "payment_terms_days": 14,
    "invoice_number_format": "{year}-{seq:04d}",
    "rounding": "half-up",
}


class Profile:
    """The profile as a flat mapping of dotted keys, loaded from and saved to YAML."""

    def __init__(self, values: dict[str, Any], path: Path) -> None:
        self.values = values
        self.path = path

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        if value in (None, ""):
            return DEFAULTS.get(key, default)
        return value

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def set(self, key: str, value: str) -> Any:
        """Validate and set one key; an empty value clears it."""
        if key not in KEYS:
            raise InvalidInput(f"unknown profile key {key!r}; known keys: {', '.join(KEYS)}")
        from shopcli.cards import refuse_card_numbers

        refuse_card_numbers({key: value})
        if value.strip() == "":
            self.values.pop(key, None)
            return None
        cleaned = KEYS[key](value)
        self.values[key] = cleaned
        return cleaned

    def as_dict(self) -> dict[str, Any]:
        """Every known key with its value (defaults filled in)."""
        return {key: self.get(key) for key in KEYS}

    def terms(self) -> dict[str, str]:
        return {
            key.split(".", 1)[1]: self.values[key]
            for key in KEYS
            if key.startswith("terms.") and self.values.get(key)
        }

    def save(self) -> None:
        """Write the YAML file atomically, readable by its owner only."""
        import yaml

        nested: dict[str, Any] = {}
        for key, value in self.values.items():
            if "." in key:
                head, tail = key.split(".", 1)
                nested.setdefault(head, {})[tail] = value
            else:
                nested[key] = value
        text = yaml.safe_dump(nested, allow_unicode=True, sort_keys=False)
        from shopcli.files import write_private

        write_private(self.path, text)


# The last text read from each profile file and what it parsed to: a command that renders a
# document asks for the profile several times, and reading the file is cheap, parsing not.
_PARSED: dict[Path, tuple[str, dict[str, Any]]] = {}


def load(path: Path | None = None) -> Profile:
    """Load the profile; a missing file is an empty profile with defaults."""
    from shopcli import paths

    path = path or paths.profile_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Profile({}, path)
    cached = _PARSED.get(path)
    if cached is None or cached[0] != text:
        cached = _PARSED[path] = (text, _parse(path, text))
    return Profile(dict(cached[1]), path)


def _parse(path: Path, text: str) -> dict[str, Any]:
    import yaml

    values: dict[str, Any] = {}
    # libyaml's safe loader when present: the pure-Python one is ~5x slower.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InvalidInput(f"the profile {path} is not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"the profile {path} must be a mapping of keys to values")
    for key, value in data.items():
        if isinstance(value, dict):
            for sub, subvalue in value.items():
                values[f"{key}.{sub}"] = subvalue
        else:
            values[str(key)] = value
    return values


def exists() -> bool:
    from shopcli import paths

    return os.path.exists(paths.profile_path())
