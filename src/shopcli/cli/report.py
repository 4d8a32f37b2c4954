"""`shop report`: income at a glance for a year, as a table and a chart, JSON or HTML."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli.common import Shown, TodayOption, echo, json_output


def register(app: typer.Typer) -> None:
    app.command("report")(json_output(report))


def report(
    year: Annotated[
        str | None, typer.Option("--year", help="The calendar year (default: this year).")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text (table and chart) or html (with SVG).")
    ] = "text",
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    today: TodayOption = None,
) -> Shown:
    """Fees invoiced and received per month, open and overdue, biggest clients, in your currency."""
    from shopcli.billing import report as income
    from shopcli.cli.common import emit_document, open_store
    from shopcli.core import dates
    from shopcli.core.errors import InvalidInput
    from shopcli.people import profile

    fmt = fmt.strip().lower()
    if fmt not in ("text", "html"):
        raise InvalidInput(f"unknown format {fmt!r}; use text or html (or --json)")
    if output and fmt == "text":
        raise InvalidInput("the text report is for the screen; use --format html or --json")
    on = dates.today(today)
    chosen = income.check_year(year) if year else int(on[:4])
    store = open_store()
    found = income.build(store, chosen, on=on, currency=profile.load().get("currency"))
    return Shown(
        json=lambda: income.as_json(found),
        human=(lambda: emit_document(income.html(found), output))
        if fmt == "html"
        else (lambda: _show(found)),
    )


def _show(found: dict) -> None:
    from shopcli.billing import report as income
    from shopcli.cli.common import print_table
    from shopcli.core.money import shown

    data = income.as_json(found)
    code = data["currency"]

    def money(amount: str) -> str:
        return income.on_screen(found, amount)

    columns = ("invoiced", "fees", "received")
    print_table(
        ["month", *columns],
        [
            *([m["month"], *(money(m[key]) for key in columns)] for m in data["months"]),
            ["total", *(money(data["totals"][key]) for key in columns)],
        ],
        title=f"Income {data['year']} in {code} (open and overdue as of {data['as_of']})",
        right=["invoiced", "fees", "received"],
    )
    echo()
    for line in income.bar_lines(found):
        echo(line)
    echo()
    echo(f"Open:     {money(data['open'])} on {_invoices(data['open_invoices'])}")
    echo(f"Overdue:  {money(data['overdue'])} on {_invoices(data['overdue_invoices'])}")
    average = data["average_fee_per_job"]
    echo(
        f"Average fee per job: {money(average)} ({income.counted(data['jobs_billed'], 'job')})"
        if average
        else "Average fee per job: no fees invoiced"
    )
    if data["biggest_clients"]:
        echo()
        print_table(
            ["client", "fees", "invoiced", "documents", "jobs"],
            [
                [c["client"], money(c["fees"]), money(c["invoiced"]), c["documents"], c["jobs"]]
                for c in data["biggest_clients"]
            ],
            title="Biggest clients (by fees)",
            right=["fees", "invoiced", "documents", "jobs"],
        )
    if data["rates_used"]:
        rates = ", ".join(f"1 {c} = {r} {code}" for c, r in data["rates_used"].items())
        echo(f"Converted at your stored rates: {rates}")
    for gap in data["not_converted"]:
        amount = shown(gap["amount"], gap["currency"])
        typer.echo(
            f"Not counted: {gap['what']}, {amount}: no rate to {code} (`{gap['fix']}`)",
            err=True,
        )


def _invoices(n: int) -> str:
    return f"{n} invoice" + ("" if n == 1 else "s")
