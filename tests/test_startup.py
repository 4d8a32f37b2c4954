"""`shop --help` stays light: no Jinja, Babel, YAML or rich tables at startup."""

from __future__ import annotations

import json
import subprocess
import sys


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


def test_help_imports_nothing_heavy() -> None:
    loaded = _modules_after("--help")
    for heavy in ("jinja2", "babel", "yaml", "rich.table", "sqlite_utils", "weasyprint", "segno"):
        assert heavy not in loaded, f"{heavy} is imported by `shop --help`"


def test_group_help_imports_nothing_heavy() -> None:
    loaded = _modules_after("client", "--help")
    for heavy in ("jinja2", "babel", "yaml", "rich.table"):
        assert heavy not in loaded
