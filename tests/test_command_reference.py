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


def test_every_list_and_show_command_takes_json() -> None:
    lacking = [
        path
        for path, command in command_reference.commands()
        if path.split()[-1] in ("list", "show")
        and "--json" not in [opt for param in command.params for opt in param.opts]
    ]
    assert not lacking, lacking


@pytest.mark.parametrize(
    "args",
    [
        ["path"],
        ["profile", "show"],
        ["client", "list"],
        ["client", "show", "Greta"],
        ["rate", "list"],
        ["templates", "list"],
        ["agenda", "--today", "2026-12-01"],
        ["doctor"],
    ],
)
def test_json_output_is_json_and_nothing_else(shop, args: list[str]) -> None:
    shop("init", "--name", "Ola Nowak")
    shop("client", "add", "Greta Lind", "--email", "greta@example.se")
    data = json.loads(shop(*args, "--json").stdout)
    assert isinstance(data, (dict, list))
