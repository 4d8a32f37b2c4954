"""`shop templates`: the document templates, which file is in use, and copies for editing."""

from __future__ import annotations

from typing import Annotated

import typer

from shopcli.cli.common import Shown, echo, json_output, print_table

app = typer.Typer(
    help="Document templates: list them and copy one into your data folder to edit.",
    no_args_is_help=True,
)


@app.command("list")
@json_output
def list_() -> Shown:
    """List every template and the file in use (your override or the built-in one)."""
    from shopcli.core import paths
    from shopcli.documents import render

    rows = render.list_templates()

    def human() -> None:
        print_table(
            ["template", "in use", "file"],
            [
                [
                    r["name"],
                    "unused (no built-in of that name)"
                    if r.get("unused")
                    else "your copy"
                    if r["overridden"]
                    else "built-in",
                    r["path"],
                ]
                for r in rows
            ],
        )
        echo(
            f"\nYour copies go in {paths.user_templates()}; `shop templates copy NAME` starts one."
        )

    return Shown(
        json=lambda: [
            {
                "name": r["name"],
                "overridden": r["overridden"],
                "unused": bool(r.get("unused")),
                "path": r["path"],
            }
            for r in rows
        ],
        human=human,
    )


@app.command("copy")
def copy(
    name: Annotated[str, typer.Argument(help="Template file name, e.g. proposal.html.")],
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite your existing copy with the built-in one.")
    ] = False,
) -> None:
    """Copy a built-in template into your data folder, where your edits take precedence."""
    from shopcli.core import paths
    from shopcli.documents import render

    paths.ensure_home()
    target = render.copy_template(name.strip(), force=force)
    echo(f"Copied {name} to {target}; edit it there (it now overrides the built-in one).")
