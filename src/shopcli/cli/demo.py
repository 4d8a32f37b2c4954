"""`shop demo`: build a sample shop in a temporary folder and show what it makes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from shopcli.cli.common import echo


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    keep: Annotated[
        Path | None,
        typer.Option(help="Build the sample in this (new or empty) folder and keep it."),
    ] = None,
) -> None:
    """Build a sample shopper, clients, job and items in a temporary folder, and show them."""
    from shopcli import demo as sample
    from shopcli.errors import InvalidInput

    if keep is not None:
        if keep.exists() and any(keep.iterdir()):
            raise InvalidInput(f"{keep} is not empty; give a new or empty folder")
        keep.mkdir(parents=True, exist_ok=True, mode=0o700)
        home = keep
    else:
        home = Path(tempfile.mkdtemp(prefix="shop-demo-"))
    os.environ["SHOP_HOME"] = str(home)
    made = sample.build(home)
    echo(f"Demo shop in {home}")
    for step in made.steps:
        echo(f"  - {step}")
    echo("")
    from shopcli.cli import budgets

    budgets.list_(str(made.job["id"]), as_json=False)
    echo("")
    echo(f"Try it yourself: SHOP_HOME={home} shop job show 'Christmas 2026'")
