"""How the commands' help reads: placeholders the shopper types and one-sentence summaries.

Typer's plain help draws arguments as `{client} <str>`; here each argument is named as a
placeholder (`shop job add CLIENT TITLE`) and each option says what it takes (`--price
PRICE`). Typer offers no public way to do this for the help it draws itself, so this one
module sets the three display hooks Typer's arguments have (`_usage_display_name`,
`_rich_display_name`, `display_type_rich`); tests/test_cli_help.py fails loudly when a Typer
release renames them.
"""

from __future__ import annotations

from typing import Any


def tidy_help(command: Any) -> Any:
    """Help that reads as the shopper types a command, for this command and those under it.

    - Arguments are named as placeholders, `shop job add CLIENT TITLE`, and options say what
      they take, `--price PRICE` (Typer's plain help would show `{client}` and `<str>`).
    - A command's summary in a list is its first whole sentence: Click cuts a docstring at
      the terminal's width, mid-word.
    """
    # A command group's shell-completion options belong to the whole program, not to it.
    command.params = [
        param
        for param in getattr(command, "params", ())
        if param.name not in ("install_completion", "show_completion")
    ]
    for param in command.params:
        if param.param_type_name == "argument":
            _name_argument(param)
        elif param.param_type_name == "option" and not param.is_flag and param.metavar is None:
            longest = max(param.opts, key=len).lstrip("-")
            dated = "YYYY-MM-DD" in (param.help or "")
            param.metavar = "DATE" if dated else longest.upper()
    if command.help and not command.short_help:
        command.short_help = first_sentence(command.help)
    for sub in getattr(command, "commands", {}).values():
        tidy_help(sub)
    return command


def _name_argument(param: Any) -> None:
    """`CLIENT` in the usage line and the list of arguments, `[NUMBERS]...` for several."""
    name = (param.name or "value").rstrip("_").upper().replace("_", "-")
    usage = name if param.required else f"[{name}]"
    if param.nargs != 1:
        usage += "..."
    # Click's help (older Typer) writes the metavar as it is; Typer's plain help draws the
    # usage and the list of arguments itself (`{client} <str>`), hence the three below.
    param.metavar = usage
    param._usage_display_name = lambda: usage
    param._rich_display_name = lambda: name
    param.display_type_rich = lambda ctx=None: None


def first_sentence(text: str) -> str:
    """The first sentence of a help text's first paragraph (all of it if it has one)."""
    import re

    paragraph = " ".join(text.strip().split("\n\n")[0].split())
    found = re.match(r"(.+?[.!?])(?=\s+[A-Z`]|$)", paragraph)
    return found.group(1) if found else paragraph
