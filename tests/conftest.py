"""Shared fixtures: every test gets a fresh data folder in tmp_path and a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from delivery_data import delivery_built, delivery_db  # noqa: F401 (shared fixtures)
from shopcli.cli.app import app


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point SHOP_HOME at a fresh folder so no test touches a real home."""
    folder = tmp_path / "home"
    monkeypatch.setenv("SHOP_HOME", str(folder))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("SHOP_DEBUG", raising=False)
    from shopcli.documents import render

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

    opened = open_store(create=True)  # made now: the CLI writes into this file
    yield opened
    opened.close()


@pytest.fixture
def family(shop: Shop) -> Callable[[], None]:
    """A small shop: a Polish-speaking client with two recipients and a job in PLN."""

    shop(
        "init",
        "--name",
        "Ola Nowak",
        "--email",
        "ola@example.pl",
        "--currency",
        "PLN",
        "--language",
        "pl",
    )
    shop(
        "client",
        "add",
        "Jan Kowalski",
        "--email",
        "jan@example.pl",
        "--language",
        "pl",
        "--currency",
        "PLN",
        "--address",
        "ul. Długa 5, 00-001 Warszawa",
    )
    shop(
        "recipient",
        "add",
        "Jan Kowalski",
        "Zosia",
        "--relation",
        "niece",
        "--interests",
        "books, horses",
        "--birthday",
        "2014-06-02",
        "--size",
        "134",
    )
    shop(
        "recipient",
        "add",
        "Jan Kowalski",
        "Piotr",
        "--relation",
        "brother",
        "--interests",
        "cycling",
    )
    shop(
        "job",
        "add",
        "Jan Kowalski",
        "Imieniny 2026",
        "--deadline",
        "2026-12-20",
        "--fee",
        "flat:150",
        "--budget",
        "900",
    )
    shop("budget", "set", "Imieniny", "Zosia", "250")
    shop("budget", "set", "Imieniny", "Piotr", "400")
    shop("rate", "set", "EUR", "PLN", "4.30")
    return lambda: None


# The `cart` fixture's shop, one command per line (shell syntax).
CART_COMMANDS = """
init --name "Ruth Okafor" --email ruth@example.co.uk --currency EUR --language en
profile set business_name "Okafor Gift Finding"
profile set terms.delivery "Tracked post, 3-5 working days."
profile set terms.returns "Returns within 14 days; I arrange them."
profile set terms.customs "Customs duty from outside the EU is billed at cost."
client add "Hana Sato" --email hana@example.com --language en --currency EUR
recipient add "Hana Sato" Ken --relation son --interests "trains, drawing"
recipient add "Hana Sato" Yui --relation daughter --interests violin
job add "Hana Sato" "Spring 2027" --deadline 2027-03-20 --fee flat:40 --deposit 20 --budget 300
budget set Spring Ken 120
budget set Spring Yui 100
rate set USD EUR 0.90
rate set GBP EUR 1.15
item add Spring "Wooden train set" --for Ken --price 59.00 --store Toyhaus \
    --url https://toyhaus.example/train
item add Spring "Drawing pencils" --for Ken --price 30 --currency USD --qty 2 \
    --store "Pencil Place" --url https://pencils.example/set
item add Spring "Violin rosin" --for Yui --price 12.50 --currency GBP --store Strings \
    --url https://strings.example/rosin
item add Spring "Music stand" --for Yui --price 95 --colour black --size folding \
    --store "Stand Shop" --url https://stands.example/fold
"""


@pytest.fixture(scope="session")
def cart_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `cart` shop, built once per test session through the CLI."""
    import os
    import shlex
    import sqlite3

    folder = tmp_path_factory.mktemp("cart") / "home"
    saved = os.environ.get("SHOP_HOME")
    os.environ["SHOP_HOME"] = str(folder)
    try:
        run = Shop()
        for line in CART_COMMANDS.replace("\\\n", " ").strip().splitlines():
            run(*shlex.split(line))
    finally:
        if saved is None:
            os.environ.pop("SHOP_HOME", None)
        else:
            os.environ["SHOP_HOME"] = saved
    db = sqlite3.connect(folder / "shop.db")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return folder


@pytest.fixture
def cart(home: Path, cart_home: Path) -> Callable[[], None]:
    """An English-speaking client's job: four items in EUR, USD and GBP; Ken within budget
    (113.00 of 120 EUR), Yui over it (109.38 of 100 EUR); job total 222.38 of 300 EUR."""
    import shutil

    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name in ("shop.db", "profile.yaml"):
        shutil.copy2(cart_home / name, home / name)
    return lambda: None
