"""`shop --install-completion`: bash, zsh and fish complete client, job and recipient names,
item numbers and invoice numbers, straight from the database and without heavy imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def complete(home: Path, shell: str, line: str, *, modules: bool = False) -> list[str]:
    """What `shop` answers the shell's completion request for `line` (the cursor at its end)."""
    env = {**os.environ, "SHOP_HOME": str(home), "_SHOP_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        words = line.split(" ")
        env.update({"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)})
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    code = (
        "import sys, json\n"
        "sys.argv = ['shop']\n"
        "from shopcli.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('\\n@@' + json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    if modules:
        return json.loads(done.stderr.split("@@")[-1])
    return [line for line in done.stdout.splitlines() if line]


@pytest.fixture
def filled(shop, cart, home) -> Path:
    shop("client", "add", "Ånge Berg", "--email", "ange@example.se")
    return home


def test_bash_completes_names_and_numbers(filled) -> None:
    assert complete(filled, "bash", "shop client show Ha") == ["Hana Sato"]
    assert complete(filled, "bash", "shop client show Å") == ["Ånge Berg"]
    assert complete(filled, "bash", "shop budget set Spr") == ["Spring 2027"]
    assert sorted(complete(filled, "bash", "shop item add Spring X --for ")) == ["Ken", "Yui"]
    assert complete(filled, "bash", "shop item show --job Spring #") == ["#1", "#2", "#3", "#4"]
    assert complete(filled, "bash", "shop approve Spring ") == ["1", "2", "3", "4"]


def test_the_job_on_the_line_is_found_as_every_command_finds_it(shop, filled) -> None:
    """By id, title, prefix or CLIENT/JOB (the storage's own rules), so that two clients'
    jobs of the same title are told apart by their client, as `shop approve` tells them."""
    shop("job", "add", "Ånge Berg", "Spring 2027")
    shop("item", "add", "Ånge Berg/Spring 2027", "Skis", "--price", "300")
    assert complete(filled, "bash", "shop approve Hana/Spring ") == ["1", "2", "3", "4"]
    assert complete(filled, "bash", "shop approve Ånge/Spr ") == ["1"]
    assert complete(filled, "bash", "shop approve 1 ") == ["1", "2", "3", "4"]
    assert complete(filled, "bash", "shop approve 2 ") == ["1"]
    assert complete(filled, "bash", "shop approve Spring ") == []  # two jobs answer
    assert complete(filled, "bash", "shop item show --job Ånge/Spring #") == ["#1"]


def test_zsh_and_fish_show_what_each_value_is(filled) -> None:
    zsh = "\n".join(complete(filled, "zsh", "shop approve Spring 3"))
    assert '"3":"Violin rosin · candidate"' in zsh
    fish = complete(filled, "fish", "shop client show H")
    assert fish == ["Hana Sato\thana@example.com"]


def test_invoice_numbers_are_completed(shop, filled, monkeypatch) -> None:
    from billing_helpers import seller

    monkeypatch.setenv("SHOP_TODAY", "2027-03-01")
    seller(shop)
    shop("client", "edit", "Hana Sato", "--address", "1 Main St, Tokyo")
    shop("invoice", "Spring", "--issue")
    number = shop.json("invoice", "list")[0]["number"]
    assert complete(filled, "bash", f"shop pay {number[:3]}") == [number]


def test_completion_stays_light(filled) -> None:
    """A Tab press costs about what the lightest command costs: no templates, locale data,
    YAML, rich tables or sqlite-utils (~80 ms alone), and no migration run."""
    loaded = complete(filled, "bash", "shop client show H", modules=True)
    for heavy in ("jinja2", "babel", "yaml", "rich.table", "sqlite_utils", "extruct", "PIL"):
        assert heavy not in loaded, f"{heavy} is imported by a completion"


def test_no_database_completes_nothing_and_creates_nothing(tmp_path) -> None:
    empty = tmp_path / "nowhere"
    assert complete(empty, "bash", "shop client show ") == []
    assert not empty.exists()


def test_the_completion_script_installs_for_each_shell(tmp_path) -> None:
    for shell, rc in (("bash", ".bashrc"), ("zsh", ".zshrc"), ("fish", None)):
        home = tmp_path / shell
        home.mkdir()
        # Typer's switch for naming the shell instead of detecting the one running.
        env = {**os.environ, "HOME": str(home), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
        done = subprocess.run(
            [str(Path(sys.executable).parent / "shop"), "--install-completion", shell],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        written = [p for p in home.rglob("*") if p.is_file()]
        assert written, shell
        text = "\n".join(p.read_text() for p in written)
        assert "_SHOP_COMPLETE" in text and f"complete_{shell}" in text, shell
        if rc:
            assert (home / rc).exists()
        else:
            assert (home / ".config/fish/completions/shop.fish").exists()
