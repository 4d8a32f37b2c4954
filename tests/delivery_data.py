"""Test data for the delivery, notification, handover and agenda tests, built once per session.

Building through the CLI costs about half a second per test; these tests build one home with
the domain functions (`delivery_built`) and copy it into each test's fresh home
(`delivery_db`); conftest.py makes both fixtures available. `refused` runs a command that
must fail and checks its message and that it changed nothing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from shopcli.people import clients, profile, recipients
from shopcli.storage import Store
from shopcli.work import budgets, items, jobs, lifecycle


@pytest.fixture(scope="session")
def delivery_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The home `build` makes, built once per test session."""
    folder = tmp_path_factory.mktemp("delivery") / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHOP_HOME", str(folder))
        build(folder)
    return folder


@pytest.fixture
def delivery_db(delivery_built: Path, home: Path) -> Iterator[Store]:
    """A copy of the built home as this test's home, and its database opened to check data.

    Approved Atlas koni (120) and Karta podarunkowa (100) for Hania (budget 250), Dzwonek
    rowerowy (2 x 35 + 12.50 shipping) for Kuba, and a candidate Kask (199) for Kuba.
    """
    copy_into(delivery_built, home)
    store = Store(home / "shop.db")
    yield store
    store.close()


def snapshot() -> list[str]:
    """Everything the shop keeps in its home: the database as SQL, and the profile."""
    folder = Path(os.environ["SHOP_HOME"])
    state: list[str] = []
    if (folder / "shop.db").exists():
        db = sqlite3.connect(folder / "shop.db")
        try:
            state.extend(db.iterdump())
        finally:
            db.close()
    if (folder / "profile.yaml").exists():
        state.append((folder / "profile.yaml").read_text())
    return state


def refused(shop, *args: str, says: str, code: int | None = None, input: str | None = None):
    """Run a command that must fail: it says `says` on stderr and changes nothing."""
    before = snapshot()
    result = shop.fails(*args, code=code, input=input)
    assert says in result.stderr, result.stderr
    assert snapshot() == before, f"shop {' '.join(args)} failed but changed the data"
    return result


def build(folder: Path) -> None:
    """A Polish client with two recipients, a PLN job and three approved items (+1 candidate).

    Hania: budget 250 PLN, Atlas koni 120 and Karta podarunkowa 100 (approved).
    Kuba: budget 400 PLN, Dzwonek rowerowy 2 x 35 + 12.50 shipping (approved),
    Kask 199 (candidate).
    """
    folder.mkdir(parents=True, mode=0o700)
    me = profile.load(folder / "profile.yaml")
    for key, value in {
        "name": "Marta Wiśniewska",
        "business_name": "Prezenty od Marty",
        "email": "marta@example.pl",
        "currency": "PLN",
        "language": "pl",
        "terms.delivery": "Dostawa 2–5 dni roboczych.",
    }.items():
        me.set(key, value)
    me.save()
    store = Store(folder / "shop.db")
    client = clients.add(
        store,
        "Ewa Zielińska",
        email="ewa@example.pl",
        language="en",
        currency="PLN",
        address="ul. Polna 3, 30-001 Kraków",
    )
    hania = recipients.add(store, client, "Hania", relation="daughter", birthday="2019-03-20")
    kuba = recipients.add(store, client, "Kuba", relation="son")
    job = jobs.add(
        store,
        client,
        "Gwiazdka 2030",
        deadline="2030-12-20",
        fee="flat:150",
        budget="900",
        deposit="30%",
    )
    budgets.set_budget(store, job, hania, "250")
    budgets.set_budget(store, job, kuba, "400")
    atlas = items.add(
        store,
        job,
        "Atlas koni",
        recipient=hania,
        price="120",
        store="Księgarnia",
        url="https://ksiegarnia.example/atlas",
    )
    bell = items.add(
        store,
        job,
        "Dzwonek rowerowy",
        recipient=kuba,
        price="35",
        qty=2,
        shipping="12.50",
        store="Rowerownia",
    )
    card = items.add(
        store, job, "Karta podarunkowa", recipient=hania, price="100", store="Prezenty24"
    )
    items.add(store, job, "Kask", recipient=kuba, price="199", store="Rowerownia")
    for row in (atlas, bell, card):
        items.set_status(store, row, lifecycle.APPROVED)
    store.close()


def copy_into(source: Path, home: Path) -> None:
    shutil.copytree(source, home)
