"""`shop invoice remind`: a payment reminder for an overdue invoice, in the client's language."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli.common import Shown, TodayOption, json_output
from shopcli.cli.invoices import Number, Output, check_output, emit


def register(invoice_app: typer.Typer) -> None:
    """Add `remind` to the `shop invoice` group."""
    invoice_app.command("remind")(remind)


@json_output
def remind(
    number: Number,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Document format: text, html, eml or pdf.")
    ] = "text",
    output: Output = None,
    preview: Annotated[
        bool,
        typer.Option("--preview", help="Show the next reminder without logging it as sent."),
    ] = False,
    again: Annotated[
        bool, typer.Option("--again", help="Render the last reminder sent again, as it was.")
    ] = False,
    today: TodayOption = None,
) -> Shown:
    """Remind the client of an overdue invoice: levels 1, 2, 3 (friendly, firm, final)."""
    from shopcli.billing import reminders
    from shopcli.cli.common import open_store
    from shopcli.core.errors import InvalidInput

    if preview and again:
        raise InvalidInput("--preview shows the next reminder, --again the last one: pick one")
    fmt = reminders.check_format(fmt)
    check_output(output, fmt)
    store = open_store()
    if preview or again:
        info = (
            reminders.preview(store, number, day=today)
            if preview
            else reminders.last(store, number)
        )

        def shown() -> None:
            emit(reminders.render(store, info, fmt), output)
            if again:
                reminders.log_rendered(store, info, fmt, output)
            else:
                due = info["due_on"]
                typer.echo(
                    f"Preview of reminder {info['level']} for {info['invoice']} (not logged"
                    + (f"; due on {due})" if due and due > info["sent_on"] else ")"),
                    err=True,
                )

        return Shown(json=lambda: reminders.public(info), human=shown)
    rendered: list[str | bytes] = []
    # Rendered before it is logged: a reminder that cannot be made is not recorded as sent.
    info = reminders.remind(
        store,
        number,
        fmt=fmt,
        day=today,
        check=lambda i: rendered.append(reminders.render(store, i, fmt)),
    )

    def said() -> None:
        fee = f" (+ reminder fee {info['fee']})" if info["fee"] else ""
        typer.echo(
            f"Reminder {info['level']} ({info['level_name']}) for {info['invoice']} logged: "
            f"{info['open']} {info['currency']} open{fee}, {info['days_overdue']} days overdue, "
            f"pay by {info['pay_by']}",
            err=True,
        )

    return Shown(
        json=lambda: reminders.public(info), human=lambda: emit(rendered[0], output), finish=said
    )
