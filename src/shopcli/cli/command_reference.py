"""The command reference (docs/commands.md), written from the commands themselves.

`python -m shopcli.cli.command_reference` rewrites it; a test fails when the file is stale,
so the reference cannot drift from `--help`. Only what the commands declare is written (names,
arguments, options, help texts, defaults), not Click's layout of it, so the file does not
change with the Typer or Click release installed. (Not a command group: the module is named
for what it writes, as "reference" alone is the domain's word for client and payment
references.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

HEADER = (
    "# Command reference\n\n"
    "Written by `python -m shopcli.cli.command_reference` from the commands' own help; "
    "`tests/test_command_reference.py` fails when it is stale.\n"
)


def commands() -> list[tuple[str, Any]]:
    """Every command as (`shop a b`, its Click command), in the order `--help` lists them."""
    from typer.main import get_command

    from shopcli.cli.app import app

    found: list[tuple[str, Any]] = []

    def walk(path: str, command: Any) -> None:
        found.append((path, command))
        if hasattr(command, "list_commands"):
            for name in command.list_commands(None):
                child = command.get_command(None, name)
                if child is not None and not getattr(child, "hidden", False):
                    walk(f"{path} {name}", child)

    walk("shop", get_command(app))
    return found


def _parameter(param: Any) -> str | None:
    if getattr(param, "hidden", False):
        return None
    if param.param_type_name == "argument":
        name = (param.metavar or param.name or "").upper()
        if getattr(param, "nargs", 1) == -1:
            name += "..."
        return f"| `{name}` | {_help(param)} |"
    names = ", ".join(param.opts + list(param.secondary_opts))
    if not getattr(param, "is_flag", False):
        names += f" {(param.name or 'value').upper()}"
    text = _help(param)
    default = param.default
    if default not in (None, False, (), []) and not getattr(param, "is_flag", False):
        text += f" (default: {default})"
    return f"| `{names}` | {text} |"


def _help(param: Any) -> str:
    text = getattr(param, "help", None) or ""
    return " ".join(text.split()).replace("|", "\\|")


def render() -> str:
    parts = [HEADER]
    for path, command in commands():
        level = "#" * min(2 + path.count(" ") - 1, 4) if path != "shop" else "##"
        parts.append(f"\n{level} `{path}`\n")
        summary = " ".join((command.help or "").split())
        if summary:
            parts.append(f"\n{summary}\n")
        rows = [row for row in map(_parameter, command.params) if row]
        if rows:
            parts.append("\n| argument or option | what it is |\n| --- | --- |\n")
            parts.append("\n".join(rows) + "\n")
    return "".join(parts)


def path() -> Path:
    """docs/commands.md in a source checkout."""
    return Path(__file__).resolve().parents[3] / "docs" / "commands.md"


def summaries() -> dict[str, str | None]:
    """Each top-level command's summary as `--help` lists it (None: it has none of its own,
    and Click would make one to fit the terminal)."""
    from typer.main import get_command

    from shopcli.cli.app import app

    group = get_command(app)
    found: dict[str, str | None] = {}
    for name in group.list_commands(None):  # type: ignore[attr-defined]
        command = group.get_command(None, name)  # type: ignore[attr-defined]
        if command is not None and not command.hidden and not command.deprecated:
            found[name] = command.short_help or None
    return found


def render_summaries() -> str:
    """cli/summaries.py: what `shop --help` lists, kept so that it builds no command."""
    import json

    lines = [
        '"""What `shop --help` lists for each command, kept so that `--help` builds none of them.',
        "",
        "Written by `python -m shopcli.cli.command_reference` from the commands' own help;",
        'tests/test_fast_paths.py fails when it is stale. Do not edit."""',
        "",
        "SUMMARIES: dict[str, str | None] = {",
    ]
    for name, text in summaries().items():
        key = json.dumps(name, ensure_ascii=False)
        value = json.dumps(text, ensure_ascii=False)
        if len(key) + len(value) + 7 <= 100:
            lines.append(f"    {key}: {value},")
            continue
        # Written as ruff formats a long string: in parentheses, cut between words.
        lines.append(f"    {key}: (")
        piece = ""
        for word in (text or "").split(" "):
            if piece and len(json.dumps(piece + word, ensure_ascii=False)) + 8 > 100:
                lines.append(f"        {json.dumps(piece, ensure_ascii=False)}")
                piece = ""
            piece += word + " "
        lines.append(f"        {json.dumps(piece[:-1], ensure_ascii=False)}")
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def summaries_path() -> Path:
    return Path(__file__).resolve().with_name("summaries.py")


if __name__ == "__main__":
    target = path()
    target.parent.mkdir(exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    print(f"Wrote {target}")
    summaries_path().write_text(render_summaries(), encoding="utf-8")
    print(f"Wrote {summaries_path()}")
