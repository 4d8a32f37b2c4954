"""The help reads as the shopper types commands: placeholders and one-sentence summaries.

This also guards the one place that leans on Typer's help internals (cli/help_text.py): if a
Typer release renames the display hooks it sets (older ones read Click's metavar instead,
newer ones draw the help themselves), the usage test fails rather than the help quietly
showing `{client} <str>` again."""

from __future__ import annotations

import re


def test_arguments_are_placeholders_and_options_say_what_they_take(shop) -> None:
    usage = shop("job", "add", "--help").stdout
    assert re.search(r"Usage: .*job add \[OPTIONS\] CLIENT TITLE", usage), usage
    assert "{client}" not in usage and "<str>" not in usage
    assert "--deadline DATE" in usage
    numbers = shop("approve", "--help").stdout
    assert re.search(r"approve \[OPTIONS\] JOB NUMBERS\.\.\.", numbers), numbers


def test_summaries_are_whole_sentences() -> None:
    """A command's summary in `--help` lists is a whole sentence, never cut mid-word."""
    from shopcli.cli import command_reference

    cut = [
        path
        for path, command in command_reference.commands()
        if path != "shop" and not command.get_short_help_str(limit=1000).endswith((".", "?"))
    ]
    assert not cut, cut
