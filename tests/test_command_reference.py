"""The command reference in docs/ is current, every command says what it does, and every list
and show command speaks JSON through the one output decorator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shopcli.cli import command_reference

ROOT = Path(__file__).resolve().parents[1]


def test_the_command_reference_is_current() -> None:
    written = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    assert written == command_reference.render(), (
        "docs/commands.md is stale: run `python -m shopcli.cli.command_reference` and commit it"
    )


def test_every_command_and_option_has_help() -> None:
    missing = []
    for path, command in command_reference.commands():
        if not (command.help or "").strip():
            missing.append(path)
        for param in command.params:
            if not getattr(param, "hidden", False) and not (getattr(param, "help", "") or ""):
                missing.append(f"{path} {param.name}")
    assert not missing, f"no help: {missing}"


def test_today_is_shown_the_same_way_wherever_it_is_taken() -> None:
    taking = {
        path: param
        for path, command in command_reference.commands()
        for param in command.params
        if "--today" in param.opts
    }
    expected = {"pay", "report", "agenda", "notify", "invoice show", "invoice remind"}
    assert {f"shop {name}" for name in expected} <= set(taking)
    assert not [path for path, param in taking.items() if getattr(param, "hidden", False)]


def test_every_list_and_show_command_takes_json() -> None:
    lacking = [
        path
        for path, command in command_reference.commands()
        if path.split()[-1] in ("list", "show")
        and "--json" not in [opt for param in command.params for opt in param.opts]
    ]
    assert not lacking, lacking


# Each command's JSON, and a key it must hold (in the first row of a list) with its value,
# where the set-up below decides it.
@pytest.mark.parametrize(
    ("args", "key", "value"),
    [
        (["path"], "database", None),
        (["profile", "show"], "name", "Ola Nowak"),
        (["client", "list"], "name", "Greta Lind"),
        (["client", "show", "Greta"], "email", "greta@example.se"),
        (["rate", "list"], "quote", "EUR"),
        (["templates", "list"], "overridden", False),
        (["agenda", "--today", "2026-12-01"], "today", "2026-12-01"),
        (["doctor"], "findings", None),
        (
            ["books", "--year", "2026"],
            "period",
            {"from": "2026-01-01", "to": "2026-12-31", "label": "2026"},
        ),
    ],
)
def test_json_output_is_json_and_nothing_else(shop, args: list[str], key: str, value) -> None:
    shop("init", "--name", "Ola Nowak")
    shop("client", "add", "Greta Lind", "--email", "greta@example.se")
    shop("rate", "set", "USD", "EUR", "0.92")
    data = json.loads(shop(*args, "--json").stdout)
    first = data[0] if isinstance(data, list) else data
    assert key in first, sorted(first)
    if value is not None:
        assert first[key] == value
