"""`shop books`: the accountant's books for a period, as tables or JSON on the screen, or as a
CSV, JSON or hledger document."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli.common import Shown, echo, json_output


def register(app: typer.Typer) -> None:
    app.command("books")(json_output(books))


def books(
    start: Annotated[
        str | None, typer.Option("--from", help="First day of the period (YYYY-MM-DD).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day of the period (YYYY-MM-DD).")
    ] = None,
    quarter: Annotated[
        str | None, typer.Option("--quarter", help="A calendar quarter, e.g. 2026-Q4.")
    ] = None,
    month: Annotated[str | None, typer.Option("--month", help="A month, e.g. 2026-11.")] = None,
    year: Annotated[str | None, typer.Option("--year", help="A calendar year, e.g. 2026.")] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="text (tables on the screen), or a document: csv (for a spreadsheet), json or "
            "ledger (hledger).",
        ),
    ] = "text",
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write the document to this file.")
    ] = None,
) -> Shown:
    """Invoices, credit notes, payments and re-billed costs of a period, with VAT per rate."""
    from shopcli.billing import books as ledger
    from shopcli.cli.common import emit_document, open_store
    from shopcli.core.errors import InvalidInput

    fmt = fmt.strip().lower()
    if fmt not in ledger.FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; use one of: {', '.join(ledger.FORMATS)}")
    if output and fmt == "text":
        raise InvalidInput("the text format is for the screen; use --format csv, json or ledger")
    per = ledger.period(start=start, end=end, quarter=quarter, month=month, year=year)
    store = open_store()
    found = ledger.build(store, per)

    def as_json() -> dict:
        if fmt != "text":
            raise InvalidInput(
                f"--json prints the books on the screen; --format {fmt} writes a document "
                "(give one or the other)"
            )
        return ledger.as_json(found)

    def human() -> None:
        if fmt == "text":
            _show(ledger.as_json(found))
        elif fmt == "json":
            import json

            text = json.dumps(ledger.as_json(found), ensure_ascii=False, indent=2)
            emit_document(text + "\n", output)
        else:
            emit_document(
                ledger.csv_text(found) if fmt == "csv" else ledger.ledger_text(found), output
            )

    return Shown(json=as_json, human=human)


def _show(data: dict) -> None:
    from shopcli.cli.common import print_table

    period = data["period"]
    echo(
        f"Books {period['label']} ({period['from']} to {period['to']}); paid and open as of "
        f"{data['paid_and_open_as_of']}"
    )
    echo()
    rates = sorted({v["rate"] for d in data["documents"] for v in d["by_vat_rate"]}, key=float)
    print_table(
        [
            "issued",
            "supplied",
            "number",
            "kind",
            "client",
            *(f"net {r}%" for r in rates),
            *(f"VAT {r}%" for r in rates),
            "exempt",
            "outside VAT",
            "gross",
            "cur",
            "paid",
            "open",
        ],
        [
            [
                d["issued"],
                d["supplied"],
                d["number"] + (f" (of {d['refers_to']})" if d["refers_to"] else ""),
                d["kind"].replace("_", " "),
                d["client"],
                *(_rate(d, r, "net") for r in rates),
                *(_rate(d, r, "vat") for r in rates),
                d["exempt"],
                d["outside"],
                d["gross"],
                d["currency"],
                d["paid"],
                d["open"],
            ]
            for d in data["documents"]
        ],
        title="Documents issued",
        right=[
            *(f"net {r}%" for r in rates),
            *(f"VAT {r}%" for r in rates),
            "exempt",
            "outside VAT",
            "gross",
            "paid",
            "open",
        ],
    )
    echo()
    print_table(
        ["paid on", "invoice", "client", "method", "received", "applied", "to credit", "cur"],
        [
            [
                p["paid_on"],
                p["invoice"],
                p["client"],
                p["method"],
                p["received"],
                p["applied"],
                p["to_credit"],
                p["currency"],
            ]
            for p in data["payments"]
        ],
        title="Payments received",
        right=["received", "applied", "to credit"],
    )
    echo()
    print_table(
        ["issued", "number", "line", "what", "amount", "cur", "receipts"],
        [
            [
                r["issued"],
                r["number"],
                r["line"],
                f"{r['kind'].replace('_', ' ')}: {r['description']}",
                r["amount"],
                r["currency"],
                " ".join(f"#{i}" for i in r["receipts"]) or "none",
            ]
            for r in data["rebilled"]
        ],
        title="Costs and goods re-billed (outside VAT)",
        right=["line", "amount"],
    )
    echo()
    summary = data["summary"]
    print_table(
        ["cur", "VAT rate", "net", "VAT", "gross"],
        [
            [r["currency"], _rate_label(r["vat_rate"]), r["net"], r["vat"], r["gross"]]
            for r in summary["by_vat_rate"]
        ],
        title="Per VAT rate",
        right=["net", "VAT", "gross"],
    )
    echo()
    print_table(
        ["cur", "documents", "net", "VAT", "gross", "paid", "open", "received"],
        [
            [
                c["currency"],
                c["documents"],
                c["net"],
                c["vat"],
                c["gross"],
                c["paid"],
                c["open"],
                c["received"],
            ]
            for c in summary["by_currency"]
        ],
        title="Per currency (never converted)",
        right=["documents", "net", "VAT", "gross", "paid", "open", "received"],
    )


def _rate(document: dict, rate: str, key: str) -> str:
    for entry in document["by_vat_rate"]:
        if entry["rate"] == rate:
            return entry[key]
    return ""


def _rate_label(key: str) -> str:
    return {"exempt": "exempt", "outside": "outside VAT"}.get(key, f"{key}%")
