"""`shop demo`: build a sample shop in a temporary folder and show what it makes."""

from __future__ import annotations

import os
import shlex
import sys
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
    from shopcli.core.errors import InvalidInput
    from shopcli.data import demo as sample

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
    # Nothing is sent: the proposal is rendered for the shopper to send from their mail program.
    echo(
        f"Proposal for Anna, ready to send: {home / 'proposal.txt'} and {home / 'proposal.eml'} "
        "(a draft your mail program opens)"
    )
    echo("")
    echo((home / "proposal.txt").read_text(encoding="utf-8"))
    from shopcli.cli import budgets

    budgets.list_(str(made.job["id"]))
    _show_invoice(made, home)
    _show_aftercare(home)
    echo("")
    folder = shlex.quote(str(home))
    job = shlex.quote(made.job["title"])
    echo(f"Try it yourself: SHOP_HOME={folder} {invocation()} job show {job}")


def invocation() -> str:
    """How to run this shop again, as the shopper started it: `shop` when that is the one on
    PATH, else the program's full path (say, `.venv/bin/shop` from outside the venv)."""
    import shutil

    program = sys.argv[0] if sys.argv else ""
    if program.endswith("__main__.py") or program == "-m":
        return f"{shlex.quote(sys.executable)} -m shopcli"
    found = shutil.which("shop")
    if program and os.path.isfile(program):
        if found and os.path.realpath(found) == os.path.realpath(program):
            return "shop"
        return shlex.quote(os.path.abspath(program))
    return "shop"


def _show_invoice(made, home: Path) -> None:
    """Write the demo job's final invoice as text and HTML and print the text one."""
    from shopcli.billing import documents, invoices
    from shopcli.core import files

    issued = invoices.listing(made.store, job_id=made.job["id"])
    finals = [row for row in issued if row["kind"] in invoices.FINAL_KINDS]
    if not finals:
        return
    row = invoices.get(made.store, finals[-1]["number"])  # with its frozen document
    document = invoices.document_of(row)
    for fmt, name in (("text", "invoice.txt"), ("html", "invoice.html")):
        files.write_private(home / name, documents.render(made.store, row, document, fmt))
        documents.log_rendered(made.store, row, fmt, str(home / name))
    echo("")
    echo(f"Invoice {row['number']} for Anna: {home / 'invoice.txt'} and {home / 'invoice.html'}")
    echo("")
    echo((home / "invoice.txt").read_text(encoding="utf-8"))


def _show_aftercare(home: Path) -> None:
    """Print the follow-up and the next proposal, which recalls what Liisa thought."""
    for title, name in (
        ("Follow-up to Anna after the handover", "follow_up.txt"),
        ("The next proposal for Liisa remembers Christmas", "proposal_birthday.txt"),
    ):
        path = home / name
        if path.exists():
            echo("")
            echo(f"{title}: {path}")
            echo("")
            echo(path.read_text(encoding="utf-8"))
