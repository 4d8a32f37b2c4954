"""The profile: values read from the (hand-editable) file are checked like `shop profile set`
checks them, invoice number formats can only make numbers, unknown keys are ignored."""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopcli.core.errors import InvalidInput
from shopcli.people import profile

# -- invoice number formats -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fields"),
    [
        ("{year}-{seq:04d}", {"year", "seq"}),
        ("INV{year}{month:02d}-{seq:03d}", {"year", "month", "seq"}),
        ("FV/{year}/{seq}", {"year", "seq"}),
        ("{seq}", {"seq"}),
        ("{{draft}}-{seq:d}", {"seq"}),
        ("Nr {seq:099d}", {"seq"}),
    ],
)
def test_number_formats_shopcli_can_fill(value: str, fields: set[str]) -> None:
    assert profile.number_format_fields(value) == fields
    assert profile.clean("invoice_number_format", value) == value


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("{seq.__class__}", "{seq.__class__} is not a field"),
        ("{seq.foo}", "{seq.foo} is not a field"),
        ("{seq[0]}", "{seq[0]} is not a field"),
        ("{year.__class__.__mro__}-{seq}", "is not a field"),
        ("{0}-{seq}", "{0} is not a field"),
        ("{}-{seq}", "{} is not a field"),
        ("{client}-{seq}", "{client} is not a field"),
        ("{seq!r}", "{seq!r} is not allowed"),
        ("{seq:>10}", "is not a number layout"),
        ("{seq:x}", "is not a number layout"),
        ("{seq:{year}}", "is not a number layout"),
        ("{seq:0999d}", "is not a number layout"),
        ("{year}-{month}", "must contain {seq}"),
        ("{seq", "is not usable"),
        ("{seq}}", "is not usable"),
        ("{year}\n{seq}", "one line"),
        ("x" * 60 + "{seq}", "longer than 60"),
        ("  ", "cannot be empty"),
    ],
)
def test_number_formats_that_could_make_something_else_are_refused(value: str, why: str) -> None:
    with pytest.raises(InvalidInput, match="invoice number format") as caught:
        profile.number_format_fields(value)
    assert why in str(caught.value)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="{}[]!:.0123dxsyearmonthseq_-/ ", max_size=24))
def test_an_accepted_format_makes_only_its_text_and_digits(value: str) -> None:
    try:
        profile.number_format_fields(value)
    except InvalidInput:
        return
    number = value.format(year=2026, month=3, seq=7)
    pieces = []
    for literal, name, spec, _conversion in string.Formatter().parse(value):
        formatted = format({"year": 2026, "month": 3, "seq": 7}[name], spec) if name else ""
        assert formatted.isdigit() or formatted == ""
        pieces.append(literal + formatted)
    assert number == "".join(pieces)
    assert "7" in number


# -- values read from the file ------------------------------------------------------------------


def _profile(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("line", "key", "why"),
    [
        ("vat_rate: abc", "vat_rate", "VAT rate is not a number"),
        ("invoice_number_format: '{seq.__class__}'", "invoice_number_format", "is not a field"),
        ("iban: FI00 0000", "iban", "IBAN"),
        ("currency: EURO", "currency", "unknown currency"),
        ("payment_terms_days: 1000", "payment_terms_days", "0 to 365"),
        ("name: [Anna, Bo]", "name", "single value"),
        ("terms: {returns: {days: 14}}", "terms.returns", "single value"),
        ("terms: {returns: 'to card 4111 1111 1111 1111'}", "terms.returns", "card number"),
        ('name: "Anna\\nBo"', "name", "single line"),
    ],
)
def test_an_invalid_value_names_key_file_and_fix(tmp_path, line: str, key: str, why: str) -> None:
    path = _profile(tmp_path, f"email: a@example.com\n{line}\n")
    loaded = profile.load(path)  # loading never fails on a value...
    assert loaded.get("email") == "a@example.com"  # ...and the valid ones are usable
    with pytest.raises(InvalidInput) as caught:
        if key.startswith("terms."):
            loaded.terms()
        else:
            loaded.get(key)
    message = str(caught.value)
    assert f"the profile {path} has an invalid {key}: " in message
    assert why in message
    assert f"`shop profile set {key} VALUE`" in message
    assert "4111" not in message
    assert list(loaded.problems()) == [key]
    assert why in loaded.problems()[key]


def test_values_read_from_the_file_are_cleaned_and_kept_as_written(tmp_path) -> None:
    path = _profile(
        tmp_path,
        "phone: 0401234567\n"  # YAML 1.1 would read an octal 67449207
        "vat_rate: 25.50\n"
        "payment_terms_days: 30\n"
        "language: FI\n"
        "currency: pln\n"
        "vat_exempt_note: yes\n",
    )
    loaded = profile.load(path)
    assert loaded.get("phone") == "0401234567"
    assert loaded.get("vat_rate") == "25.5"
    assert loaded.get("payment_terms_days") == 30
    assert loaded.get("language") == "fi"
    assert loaded.get("currency") == "PLN"
    assert loaded.get("vat_exempt_note") == "yes"
    assert loaded.get("rounding") == "half-up"  # the default
    assert loaded.problems() == {}


def test_unknown_keys_are_ignored_and_kept(tmp_path) -> None:
    path = _profile(tmp_path, "name: Anna\nvat_rte: '24'\nterms: {refunds: x}\n")
    loaded = profile.load(path)
    assert loaded.unknown() == ["vat_rte", "terms.refunds"]
    assert loaded.problems() == {}
    assert "vat_rte" not in loaded.as_dict()
    assert loaded.get("vat_rate") is None
    loaded.set("email", "anna@example.com")
    loaded.save()
    again = profile.load(path)
    assert again.unknown() == ["vat_rte", "terms.refunds"]
    assert again.get("email") == "anna@example.com"


def test_set_keeps_other_invalid_values_as_written(tmp_path) -> None:
    path = _profile(tmp_path, "vat_rate: abc\nterms: shipping is free\n")
    loaded = profile.load(path)
    loaded.set("terms.delivery", "Tracked post")
    loaded.save()
    again = profile.load(path)
    assert again.values["vat_rate"] == "abc"
    assert again.values["terms"] == "shipping is free"  # a hand-written scalar beside terms.*
    assert again.terms() == {"delivery": "Tracked post"}
    assert list(again.problems()) == ["vat_rate"]


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"name: J\xe4rvi\n", "not UTF-8"),
        (b"- name\n- email\n", "mapping of keys"),
        (b"name: [unclosed\n", "not valid YAML at line"),
    ],
)
def test_an_unreadable_profile_is_a_clear_error(tmp_path, content: bytes, why: str) -> None:
    path = tmp_path / "profile.yaml"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=why):
        profile.load(path)


@pytest.mark.slow
def test_loading_checks_only_the_keys_a_command_reads(tmp_path) -> None:
    """Checking every value costs ~50 ms (IBAN, VAT id, currency data); a command that reads
    its name and language pays for neither."""
    path = _profile(
        tmp_path,
        "name: Anna\nlanguage: fi\ncurrency: EUR\nvat_id: FI20774740\n"
        "iban: FI21 1234 5600 0007 85\nbusiness_id: 2617416-4\n",
    )
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from shopcli.people import profile\n"
        f"p = profile.load(Path({str(path)!r}))\n"
        "assert p.get('name') == 'Anna' and p.get('language') == 'fi'\n"
        "print(sorted(m for m in ('stdnum', 'babel') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# -- the commands -------------------------------------------------------------------------------


def test_a_hand_edited_profile_is_a_clear_error_in_documents(shop, home) -> None:
    from billing_helpers import item, ready

    ready(shop)
    item(shop, "Lantern", "30", status="approved")
    path = home / "profile.yaml"
    path.write_text(path.read_text().replace("vat_rate: '25.5'", "vat_rate: abc"))
    result = shop.fails("invoice", "Midsummer", code=2)
    assert f"the profile {path} has an invalid vat_rate" in result.stderr
    assert "`shop profile set vat_rate VALUE`" in result.stderr
    path.write_text(
        path.read_text().replace("vat_rate: abc", "vat_rate: '25.5'")
        + "invoice_number_format: '{seq.__class__}'\n"
    )
    result = shop.fails("invoice", "Midsummer", "--issue", code=2)
    assert "invalid invoice_number_format" in result.stderr
    assert shop.json("invoice", "list") == []
    shop("profile", "set", "invoice_number_format", "{year}/{seq:03d}")
    shop("invoice", "Midsummer", "--issue")
    assert shop.json("invoice", "list")[0]["number"].endswith("/001")


def test_profile_show_and_set_with_invalid_values(shop, home) -> None:
    shop("init", "--name", "Anna Berg", "--email", "anna@example.se", "--currency", "SEK")
    path = home / "profile.yaml"
    path.write_text(
        path.read_text()
        + "vat_rate: abc\nterms: {returns: 'card 4111 1111 1111 1111'}\nvat_rte: '24'\n"
    )
    result = shop("profile", "show")
    assert "Not valid: vat_rate: VAT rate is not a number: 'abc'" in result.stderr
    assert "Not valid: terms.returns:" in result.stderr
    assert "(not shown: it looks like a card number)" in result.stdout
    assert "4111" not in result.output
    assert f"Ignored (not profile keys, kept in {path}): vat_rte" in result.stderr
    assert shop.json("profile", "show")["vat_rate"] == "abc"

    result = shop("profile", "set", "vat_rate", "25")
    assert "vat_rate = 25" in result.stdout
    assert "Still not valid: terms.returns" in result.stderr
    assert "vat_rate" not in result.stderr
    shop("profile", "set", "terms.returns", "")
    text = path.read_text()
    assert "4111" not in text and "vat_rte: '24'" in text and "vat_rate: '25'" in text
    assert "Not valid" not in shop("profile", "show").stderr
