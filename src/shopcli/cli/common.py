"""Shared CLI pieces: opening the store, printing tables and JSON, confirming, warning."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from shopcli.errors import ShopError

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON with stable keys.")]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Also remove the records that depend on this one.")
]

# Above this many rows, output is plain aligned text: a rich table costs ~0.25 ms a row.
RICH_ROW_LIMIT = 200


def open_store():
    from shopcli.storage import open_store as _open

    return _open()


def echo(message: str = "") -> None:
    typer.echo(message)


def warn(message: str) -> None:
    typer.echo(f"Warning: {message}", err=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def print_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    title: str | None = None,
    right: Sequence[str] = (),
) -> None:
    """A rich table when it fits a screen; plain aligned columns for long or piped output."""
    cells = [["" if value is None else str(value) for value in row] for row in rows]
    if not cells:
        echo("(none)" if not title else f"{title}: (none)")
        return
    if len(cells) > RICH_ROW_LIMIT or not sys.stdout.isatty():
        _plain_table(columns, cells, title, right)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", header_style="bold")
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left", overflow="fold")
    for row in cells:
        table.add_row(*row)
    Console().print(table)


def _plain_table(
    columns: Sequence[str], cells: list[list[str]], title: str | None, right: Sequence[str]
) -> None:
    widths = [len(c) for c in columns]
    for row in cells:
        for i, value in enumerate(row):
            widths[i] = min(max(widths[i], len(value)), 60)

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, value in enumerate(values):
            if len(value) > 60:
                value = value[:59] + "…"
            parts.append(value.rjust(widths[i]) if columns[i] in right else value.ljust(widths[i]))
        return "  ".join(parts).rstrip()

    out = []
    if title:
        out.append(title)
    out.append(line(list(columns)))
    out.append("  ".join("-" * w for w in widths))
    out.extend(line(row) for row in cells)
    sys.stdout.write("\n".join(out) + "\n")


def print_record(fields: Sequence[tuple[str, Any]]) -> None:
    """A record as aligned `label: value` lines, skipping empty values."""
    shown = [(label, value) for label, value in fields if value not in (None, "", [], {})]
    width = max((len(label) for label, _ in shown), default=0)
    for label, value in shown:
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        elif isinstance(value, dict):
            value = ", ".join(f"{k} {v}" if k != "size" else str(v) for k, v in value.items())
        echo(f"{label.ljust(width)}  {value}")


def confirm(question: str, yes: bool) -> None:
    """Ask before something destructive; without a terminal, only --yes goes ahead."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise ShopError(f"{question} Refused: not on a terminal; add --yes to go ahead")
    if not typer.confirm(question, default=False):
        raise typer.Abort()


def emit_document(text: str, output: str | None) -> None:
    """Print a rendered document, or write it atomically to a file (`-` is stdout)."""
    if output in (None, "-"):
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from pathlib import Path

    from shopcli.files import write_private

    write_private(Path(output), text)
    typer.echo(f"Wrote {output}", err=True)
