"""`shop --help` and simple reads stay light: no templates, locale data, YAML, rich tables,
page readers, picture, calendar or contact libraries at startup."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Every heavy dependency, imported only inside the functions that need it.
HEAVY = (
    "jinja2",
    "babel",
    "yaml",
    "rich.table",
    "sqlite_utils",
    "weasyprint",
    "segno",
    "stdnum",
    "extruct",
    "lxml",
    "PIL",
    "icalendar",
    "vobject",
    "email_validator",
    "css_inline",
    "price_parser",
)
# Installed only with the `pdf` extra.
OPTIONAL = ("weasyprint",)


def _modules_after(*args: str) -> set[str]:
    code = (
        "import sys, json\n"
        "from shopcli.cli.app import app\n"
        "try:\n"
        f"    app({list(args)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_the_guarded_modules_are_real() -> None:
    """A misspelt name would never be imported, and its guard would pass for nothing."""
    import importlib.util

    missing = [name for name in HEAVY if importlib.util.find_spec(name) is None]
    assert set(missing) <= set(OPTIONAL), missing


@pytest.mark.parametrize("args", [("--help",), ("client", "--help"), ("item", "--help")])
def test_help_imports_nothing_heavy(args: tuple[str, ...]) -> None:
    loaded = _modules_after(*args)
    for heavy in HEAVY:
        assert heavy not in loaded, f"{heavy} is imported by `shop {' '.join(args)}`"


@pytest.mark.parametrize(
    "args",
    [
        ("client", "show", "Greta Lind"),
        ("client", "list"),
        ("recipient", "list", "Greta"),
        ("job", "list"),
        ("item", "list", "Birthday"),
    ],
)
def test_a_simple_read_command_imports_nothing_heavy(shop, args: tuple[str, ...]) -> None:
    """Simple reads need the database only, and sqlite-utils only when a migration is
    pending (none is here)."""
    shop("client", "add", "Greta Lind", "--email", "greta@example.se")
    shop("recipient", "add", "Greta", "Olle")
    shop("job", "add", "Greta", "Birthday", "--currency", "EUR")
    shop("item", "add", "Birthday", "Kite", "--price", "20", "--for", "Olle")
    loaded = _modules_after(*args)
    for heavy in HEAVY:
        assert heavy not in loaded, f"{heavy} is imported by `shop {' '.join(args)}`"


def test_commands_are_built_only_when_used() -> None:
    """Typer turns each command into a Click object on every run; only the one run is: a
    group is built without its commands, and asking for one builds that one alone."""
    code = (
        "import json, sys\n"
        "from shopcli.cli.app import app\n"
        "from typer.main import get_command\n"
        "group = get_command(app)\n"
        "before = sorted(m for m in sys.modules if m.startswith('shopcli.cli.'))\n"
        "client = group.get_command(None, 'client')\n"
        "modules = sorted(m for m in sys.modules if m.startswith('shopcli.cli.'))\n"
        "built = sorted(client.commands)\n"
        "show = client.get_command(None, 'show')\n"
        "print(json.dumps([before, client.list_commands(None), built, sorted(client.commands),"
        " show.name, modules, group.list_commands(None)]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, subcommands, built, after, show, modules, listed = json.loads(done.stdout)
    assert set(before) <= {"shopcli.cli.app", "shopcli.cli.help_text", "shopcli.cli"}, before
    assert {"add", "show", "forget"} <= set(subcommands)
    assert built == [], "building `shop client` built its commands too"
    assert after == ["show"] and show == "show"
    # Only the client commands' modules were imported (and the shared helpers).
    assert set(modules) <= {"shopcli.cli.app", "shopcli.cli.clients", "shopcli.cli.common"} | {
        "shopcli.cli.privacy",
        "shopcli.cli.complete",  # the completion callbacks: sqlite3 only
        "shopcli.cli.help_text",  # placeholders in the help, applied as commands are built
    }, modules
    assert listed[:5] == ["init", "path", "demo", "profile", "client"]
    assert {"client", "item", "propose", "agenda", "invoice", "export", "forget"} - set(listed) == {
        "forget"  # a client subcommand, not a top-level one
    }


def test_a_closed_pipe_ends_quietly(tmp_path) -> None:
    """`shop client list | head -1`: the reader stops early; shop exits without a complaint."""
    import os

    env = {**os.environ, "SHOP_HOME": str(tmp_path / "home")}
    run = [sys.executable, "-m", "shopcli"]
    subprocess.run([*run, "client", "add", "Pipe Reader"], env=env, check=True, capture_output=True)
    proc = subprocess.Popen(
        [*run, "client", "show", "Pipe", "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader is gone before shop writes
    _, err = proc.communicate(timeout=60)
    assert b"unexpected" not in err and b"Traceback" not in err, err.decode()
    assert proc.returncode == 0
