"""Shared fixtures: every test gets a fresh data folder in tmp_path and a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shopcli.cli.app import app


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point SHOP_HOME at a fresh folder so no test touches a real home."""
    folder = tmp_path / "home"
    monkeypatch.setenv("SHOP_HOME", str(folder))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("SHOP_DEBUG", raising=False)
    from shopcli import render

    render.environment.cache_clear()
    return folder


class Shop:
    """Runs `shop` commands through CliRunner and checks their outcome."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        result = self.runner.invoke(app, list(args), input=input)
        assert result.exit_code == 0, (
            f"shop {' '.join(args)} exited {result.exit_code}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}"
        )
        return result

    def fails(self, *args: str, input: str | None = None, code: int | None = None):
        result = self.runner.invoke(app, list(args), input=input)
        assert result.exit_code != 0, f"shop {' '.join(args)} should fail\n{result.stdout}"
        if code is not None:
            assert result.exit_code == code, result.stderr
        assert "Traceback" not in result.output
        assert result.stderr.strip(), "an error must say something on stderr"
        return result

    def json(self, *args: str):
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def shop() -> Shop:
    return Shop()


@pytest.fixture
def store(home: Path):
    """The database the CLI writes, opened directly to check the data."""
    from shopcli.storage import open_store

    opened = open_store()
    yield opened
    opened.close()


@pytest.fixture
def family(shop: Shop) -> Callable[[], None]:
    """A small shop: a Polish-speaking client with two recipients and a job in PLN."""

    shop("init", "--name", "Ola Nowak", "--email", "ola@example.pl", "--currency", "PLN",
         "--language", "pl")
    shop("client", "add", "Jan Kowalski", "--email", "jan@example.pl", "--language", "pl",
         "--currency", "PLN", "--address", "ul. Długa 5, 00-001 Warszawa")
    shop("recipient", "add", "Jan Kowalski", "Zosia", "--relation", "niece",
         "--interests", "books, horses", "--birthday", "2014-06-02", "--size", "134")
    shop("recipient", "add", "Jan Kowalski", "Piotr", "--relation", "brother",
         "--interests", "cycling")
    shop("job", "add", "Jan Kowalski", "Imieniny 2026", "--deadline", "2026-12-20",
         "--fee", "flat:150", "--budget", "900")
    shop("budget", "set", "Imieniny", "Zosia", "250")
    shop("budget", "set", "Imieniny", "Piotr", "400")
    shop("rate", "set", "EUR", "PLN", "4.30")
    return lambda: None
