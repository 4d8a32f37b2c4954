"""`shop receipt`: list, show, save and remove the receipts kept with costs and items."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli.common import (
    Shown,
    check_output,
    echo,
    emit_document,
    json_output,
    open_store,
    print_record,
    print_table,
)

app = typer.Typer(
    help="Receipts (PDF or image) kept in the database with job costs and items.",
    no_args_is_help=True,
)

ReceiptArg = Annotated[int, typer.Argument(help="Receipt id (see `shop receipt list`).")]


@app.command("list")
@json_output
def list_(
    job: Annotated[str | None, typer.Option(help="Only this job's receipts.")] = None,
) -> Shown:
    """List receipts: what each is kept with, its type and size."""
    from shopcli.billing import receipts
    from shopcli.work import jobs

    store = open_store()
    work = jobs.get(store, job) if job else None
    rows = [receipts.public(r) for r in receipts.listing(store, work)]
    return Shown(
        json=lambda: rows,
        human=lambda: print_table(
            ["id", "job", "kept with", "name", "type", "size"],
            [
                [r["id"], r["job"], r["attached_to"], r["name"], r["type"], f"{r['size']:,}"]
                for r in rows
            ],
            right=["id", "size"],
        ),
    )


@app.command("show")
@json_output
def show(receipt: ReceiptArg) -> Shown:
    """Show what a receipt is and what it is kept with (`save` writes the file)."""
    from shopcli.billing import receipts

    store = open_store()
    row = receipts.public(receipts.get(store, receipt))
    return Shown(
        json=lambda: row,
        human=lambda: print_record(
            [
                ("Receipt", f"#{row['id']} {row['name']}"),
                ("Job", f"#{row['job_id']} {row['job']}"),
                ("Kept with", row["attached_to"]),
                ("Type", row["type"]),
                ("Size", f"{row['size']:,} bytes"),
                ("SHA-256", row["sha256"]),
                ("Added", row["added"]),
            ]
        ),
    )


@app.command("save")
def save(
    receipt: ReceiptArg,
    output: Annotated[
        str,
        typer.Option("--output", "-o", help="The file to write (`-` writes to stdout)."),
    ],
) -> None:
    """Write a receipt's file out, checked against its SHA-256."""
    from shopcli.billing import receipts

    check_output(output)
    store = open_store()
    row, data = receipts.contents(store, receipt)
    emit_document(
        data, output, detail=f"receipt #{row['id']}, {row['size']:,} bytes, SHA-256 checked"
    )


@app.command("rm")
def rm(receipt: ReceiptArg) -> None:
    """Remove a receipt kept by mistake (one backing an issued invoice is kept)."""
    from shopcli.billing import receipts

    store = open_store()
    row = receipts.remove(store, receipt)
    echo(f"Removed receipt #{row['id']} {row['name']}")
