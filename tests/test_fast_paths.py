"""What keeps the paths benchmarks/run.py times fast, checked as mechanisms, never as timings.

Each test guards one reason a command is fast: what `--help` builds, what a simple read
imports, that the start pauses the garbage collector, which cache a document comes from,
that SQLite writes the JSON, that a query reads through an index. The speed itself is
measured by the benchmark, against floors measured in the same run.
"""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from shopcli.cli.app import app


def _python(code: str, env: dict | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout


def _modules_after(args: list[str], home) -> set[str]:
    """The modules a `shop` command imports, run in a process of its own."""
    import os

    code = (
        "import sys\n"
        "from shopcli.cli.app import app\n"
        "try:\n"
        f"    app({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(sys.modules)\n"
        "import json\n"
        "print(json.dumps(loaded), file=sys.stderr)\n"
    )
    env = {**os.environ, "SHOP_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


# -- `shop --help` ----------------------------------------------------------------------------


def test_help_builds_no_command_and_imports_no_command_module() -> None:
    """`--help` lists the kept summaries: building ~400 commands to ask them cost 2x Typer."""
    code = (
        "import json, sys\n"
        "from shopcli.cli import app as module\n"
        "try:\n"
        "    module.app(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps([sorted(module._BUILT), "
        "sorted(m for m in sys.modules if m.startswith('shopcli.cli.'))]))\n"
    )
    built, modules = json.loads(_python(code).splitlines()[-1])
    assert built == []
    assert set(modules) == {"shopcli.cli.app", "shopcli.cli.help_text", "shopcli.cli.summaries"}


def test_help_from_the_summaries_is_the_help_building_every_command_gives(monkeypatch) -> None:
    from shopcli.cli import summaries

    fast = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "100"})
    monkeypatch.setattr(summaries, "SUMMARIES", {})  # as if stale: every command is built
    slow = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "100"})
    assert fast.exit_code == slow.exit_code == 0
    assert "Commands:" in fast.stdout and "  invoice " in fast.stdout
    assert fast.stdout == slow.stdout


def test_the_kept_summaries_are_current() -> None:
    from shopcli.cli import reference

    written = reference.summaries_path().read_text(encoding="utf-8")
    assert written == reference.render_summaries(), (
        "src/shopcli/cli/summaries.py is stale: run `python -m shopcli.cli.reference`"
    )


# -- simple reads ---------------------------------------------------------------------------


def test_typer_still_has_what_the_lazy_groups_read() -> None:
    """cli/app.py builds one command of a group by reading these Typer attributes; a Typer
    release that renames them fails here rather than in every command."""
    import typer
    from typer.main import get_command_name
    from typer.models import CommandInfo, TyperInfo

    sample = typer.Typer()
    sample.command("one")(lambda: None)
    assert isinstance(sample.registered_commands[0], CommandInfo)
    assert sample.registered_groups == [] and isinstance(sample.info, TyperInfo)
    assert hasattr(sample.info, "cls") and get_command_name("a_b") == "a-b"


def test_a_group_builds_only_the_command_run(shop) -> None:
    """`shop item show` builds `item` and its `show`, not the other ~20 item commands."""
    from shopcli.cli import app as module

    shop("client", "add", "Greta Lind")
    shop("job", "add", "Greta Lind", "Midsummer")
    shop("item", "add", "Midsummer", "Candle", "--price", "9")
    module._BUILT.pop("item", None)
    shop("item", "show", "Midsummer/1")
    assert sorted(module._BUILT["item"].commands) == ["show"]
    assert "list" in module._BUILT["item"].list_commands(None)


def test_a_misspelt_subcommand_is_still_suggested(shop) -> None:
    failed = shop.fails("item", "lsit")
    assert "Did you mean 'list'?" in failed.stderr


def test_invoice_job_still_reaches_the_draft(shop) -> None:
    """`shop invoice JOB` (no subcommand) drafts: the group tells its commands from a job's
    name without building them."""
    failed = shop.fails("invoice", "No such job")
    assert "no job matches" in failed.stderr


def test_the_start_pauses_the_garbage_collector_until_the_command_runs(tmp_path) -> None:
    """the ~50,000 objects made while Typer and pydantic start are never garbage: collecting is
    paused until the command runs, and in `shop` itself they are then set aside for good."""
    import os

    code = (
        "import gc, sys\n"
        "import shopcli.cli.app as module\n"
        "paused = not gc.isenabled()\n"
        "from shopcli.core import paths\n"
        "seen = []\n"
        "real = paths.home\n"
        "def probe():\n"
        "    seen.append((gc.isenabled(), gc.get_freeze_count()))\n"
        "    return real()\n"
        "paths.home = probe\n"
        "sys.argv = ['shop', 'path']\n"
        "try:\n"
        "    module.main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(paused, seen, file=sys.stderr)\n"
    )
    env = {**os.environ, "SHOP_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    paused, seen = done.stderr.strip().splitlines()[-1].split(" ", 1)
    assert paused == "True"
    enabled, frozen = eval(seen)[0]
    assert enabled and frozen > 10_000


def test_opening_a_current_database_does_not_read_the_migrations(shop, home) -> None:
    """A database that has every migration is recognised by one query (storage.SCHEMA)."""
    from shopcli import storage
    from shopcli.storage.migrations import migrations

    names = migrations.names()
    assert storage.SCHEMA == (len(names), max(names)), "update storage.SCHEMA"
    shop("client", "add", "Greta Lind")
    loaded = _modules_after(["client", "show", "Greta Lind"], home)
    assert "shopcli.storage.migrations" not in loaded
    assert "json" not in loaded  # the human form prints no JSON and reads no JSON column
