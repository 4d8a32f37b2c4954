"""What the shopper reads on screen: money as money, tables that line up with wide
characters, items named JOB/N, help that names its placeholders, and messages that say what
really happened."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopcli.core import currencies
from shopcli.core.money import parse_amount, round_money, shown


def columns(text: str) -> int:
    """Terminal columns of a text, measured here independently of the app."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def decimals(code: str) -> str:
    """`.00` for a currency with two digits, `` for one with none (from the app's table)."""
    places = currencies.digits(code)
    return "." + "0" * places if places else ""


@pytest.fixture
def chinese(shop):
    """A Chinese-speaking client in CNY with two recipients whose names are wide characters."""
    shop("init", "--name", "Li Na", "--email", "lina@example.cn", "--currency", "CNY")
    shop("client", "add", "王芳", "--email", "wf@example.cn", "--language", "zh")
    shop("recipient", "add", "王芳", "丽丽", "--relation", "daughter")
    shop("recipient", "add", "王芳", "Tom", "--relation", "son")
    shop("job", "add", "王芳", "春节 2027", "--budget", "15000", "--fee", "flat:200")
    shop("item", "add", "春节", "丝巾 silk scarf", "--for", "丽丽", "--price", "24.9")
    shop("item", "add", "春节", "Kite", "--for", "Tom", "--price", "1234.5")
    shop("item", "add", "春节", "围巾", "--price", "88")


# -- money ------------------------------------------------------------------------------------


@given(
    st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False),
    st.sampled_from(["EUR", "HUF", "JPY", "UAH", "KWD", "CNY"]),
)
def test_money_on_screen_reads_back_as_the_rounded_amount(amount: Decimal, code: str) -> None:
    text = shown(amount, code)
    number, _, written_code = text.rpartition(" ")
    assert written_code == code
    assert Decimal(number.replace(",", "")) == round_money(amount, code)
    if code == "EUR":  # and as the shopper would type it back
        assert parse_amount(number) == round_money(amount, code)
    places = currencies.digits(code)
    assert len(number.partition(".")[2]) == places  # every digit the currency has
    assert re.fullmatch(r"\d{1,3}(,\d{3})*(\.\d+)?", number), number  # thousands grouped


def test_job_show_budget_set_and_item_check_write_money(shop, chinese) -> None:
    cny = decimals("CNY")
    shown_job = shop("job", "show", "春节").stdout
    assert re.search(rf"^Budget\s+15,000{re.escape(cny)} CNY$", shown_job, re.M), shown_job
    assert re.search(rf"^Fee\s+200{re.escape(cny)} CNY flat$", shown_job, re.M), shown_job
    assert "24.90 CNY x1" in shown_job and "1,234.50 CNY x1" in shown_job
    out = shop("budget", "set", "春节", "丽丽", "5000").stdout
    assert out.strip().endswith(f": 5,000{cny} CNY")
    shop("budget", "set", "春节", "Tom", "5000")
    out = shop("item", "check", "春节/1", "--price", "26.9").stdout
    assert "price 24.90 CNY → 26.90 CNY" in out
    # Every amount in the budget table is money too.
    table = shop("budget", "list", "春节").stdout
    assert "5,000.00 CNY" in table and "15,000.00 CNY" in table
    body = table.split("\n", 1)[1]  # below the title (the job is called 春节 2027)
    assert not re.search(r"(?<![\d,.])\d{4,}(?![\d,.])", body), table


def test_a_hungarian_forint_budget_has_no_decimals(shop) -> None:
    shop("init", "--name", "Kata", "--email", "k@example.hu", "--currency", "HUF")
    shop("client", "add", "Kovács Anna", "--currency", "HUF")
    shop("job", "add", "Kovács", "Karácsony", "--budget", "150000")
    shown_job = shop("job", "show", "Karácsony").stdout
    assert re.search(rf"^Budget\s+150,000{re.escape(decimals('HUF'))} HUF$", shown_job, re.M)


# -- tables ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("item", "list", "--job", "春节"), ("budget", "list", "春节"), ("recipient", "list")],
    ids=" ".join,
)
def test_tables_line_up_with_wide_characters(shop, chinese, args) -> None:
    lines = shop(*args).stdout.splitlines()
    rule = next(i for i, line in enumerate(lines) if set(line) <= {"-", " "} and "--" in line)
    header, dashes, body = lines[rule - 1], lines[rule], lines[rule + 1 :]
    assert any(columns(line) != len(line) for line in body), "the test needs wide characters"
    # Column edges from the dashes: every row has a cell boundary (a space) at each gap, and
    # no cell crosses one, counted in terminal columns.
    gaps = [m.start() for m in re.finditer(r"(?<=-) {2}(?=-)", dashes)]
    for line in [header, *body]:
        cells = _split_at_columns(line, gaps)
        for gap, cell in zip(gaps, cells, strict=False):
            assert cell in (" ", ""), f"{line!r}: a cell runs into the gap at column {gap}"


def _split_at_columns(line: str, gaps: list[int]) -> list[str]:
    """The character found at each gap's terminal column (a space when the table lines up)."""
    found = []
    for gap in gaps:
        used, at = 0, ""
        for ch in line:
            if used == gap:
                at = ch
                break
            used += columns(ch)
            if used > gap:  # a wide character straddles the gap
                at = ch
                break
        found.append(at)
    return found


# -- naming items ------------------------------------------------------------------------------


def test_items_are_named_job_slash_number_everywhere(shop, cart, store) -> None:
    from shopcli.work import items

    shown_item = shop.json("item", "show", "Spring 2027/2")
    assert (shown_item["number"], shown_item["title"]) == (2, "Drawing pencils")
    assert shop.json("item", "show", "Hana Sato/Spring 2027/4")["title"] == "Music stand"
    assert shop.json("item", "show", "spring/3")["title"] == "Violin rosin"
    shop("item", "edit", "Spring 2027/1", "--notes", "gift wrap")
    assert items.get(store, "Spring 2027/1")["notes"] == "gift wrap"
    shop("propose", "Spring")
    shop("approve", "Spring", "1")
    out = shop("item", "check", "Spring 2027/1").stdout
    assert out.startswith("Item Spring 2027/1 Wooden train set: checked")
    shop("item", "mark", "Spring 2027/1", "ordered", "--order-no", "T-1")
    history = shop("item", "history", "Spring 2027/1").stdout
    assert "Spring 2027/1" in history and "T-1" in history
    notice = shop("notify", "Spring", "purchased", "--item", "Spring 2027/1").stdout
    assert "Wooden train set" in notice and "Drawing pencils" not in notice
    # A number the job does not have is an error naming the job; so is another job's item.
    missing = shop.fails("item", "show", "Spring 2027/9", code=3)
    assert "no item number 9" in missing.stderr
    # A title with a slash is still found by its title.
    shop("item", "add", "Spring", "AC/DC 1", "--price", "10")
    assert shop.json("item", "show", "AC/DC 1")["title"] == "AC/DC 1"


def test_messages_name_items_the_way_commands_take_them(shop, cart) -> None:
    out = shop("item", "add", "Spring", "Kite", "--for", "Ken", "--price", "20").stdout
    assert out.startswith("Added item Spring 2027/5 Kite for Ken")
    # The name printed is one the commands accept.
    name = re.match(r"Added item (\S+ \S+) ", out).group(1)
    assert shop.json("item", "show", name)["title"] == "Kite"


# -- help --------------------------------------------------------------------------------------


def _every_command():
    from shopcli.cli import app as cli

    root = cli.app
    import typer.main

    group = typer.main.get_command(root)
    found = []

    def walk(command, path):
        found.append((path, command))
        for name in getattr(command, "list_commands", lambda ctx: [])(None) or []:
            sub = command.get_command(None, name)
            walk(sub, [*path, name])

    walk(group, [])
    return found


def test_help_names_placeholders_and_summaries_are_whole_sentences(shop) -> None:
    for path, command in _every_command():
        text = shop(*path, "--help").stdout
        where = "shop " + " ".join(path)
        assert "{" not in text and not re.search(r"<\w+>", text), f"{where} --help:\n{text}"
        usage = text.splitlines()[0]
        for param in command.params:
            if param.param_type_name == "argument":
                assert param.name.rstrip("_").upper().replace("_", "-") in usage, usage
        listed = re.search(r"\nCommands:\n(.*)", text, re.S)
        if not listed:
            continue
        # Each summary is the command's first sentence, whole (wrapped lines joined).
        summaries: dict[str, str] = {}
        name = None
        for line in listed.group(1).splitlines():
            found = re.match(r"  (\S+)\s+(.*)", line)
            if found and not line.startswith("    "):
                name = found.group(1)
                summaries[name] = found.group(2)
            elif name:
                summaries[name] += " " + line.strip()
        for name, summary in summaries.items():
            sub = command.get_command(None, name)
            assert not summary.endswith("..."), f"{where} {name}: {summary!r} is cut"
            assert summary[-1] in ".!?)", f"{where} {name}: {summary!r}"
            assert " ".join(sub.help.split()).startswith(summary), (where, name, summary)


def test_the_usage_line_reads_as_typed(shop) -> None:
    assert shop("job", "add", "--help").stdout.startswith(
        "Usage: shop job add [OPTIONS] CLIENT TITLE"
    )
    approve = shop("approve", "--help").stdout
    assert approve.startswith("Usage: shop approve [OPTIONS] JOB NUMBERS...")
    assert "--home DIR" in shop("--help").stdout


# -- the demo ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_demo_says_nothing_was_sent_and_its_closing_hint_runs(tmp_path: Path) -> None:
    program = Path(sys.executable).parent / "shop"
    if not program.exists():
        pytest.skip("the shop script is not installed beside this Python")
    # As after `pip install .` in a venv that is not activated: `shop` is not on PATH.
    env = {
        **{k: v for k, v in os.environ.items() if k != "SHOP_HOME"},
        "PATH": "/usr/bin:/bin",
        "TMPDIR": str(tmp_path),
    }
    done = subprocess.run(
        [str(program), "demo"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert not re.search(r"\bsent\b", done.stdout.split("\n\n")[0] + done.stdout[-400:]), (
        "the demo renders documents; nothing is sent"
    )
    hint = done.stdout.strip().splitlines()[-1]
    assert hint.startswith("Try it yourself: ")
    command = hint.removeprefix("Try it yourself: ")
    ran = subprocess.run(
        ["/bin/sh", "-c", command], capture_output=True, text=True, env=env, timeout=60
    )
    assert ran.returncode == 0, ran.stderr
    assert shlex.split(command)[-1].startswith("Christmas 20")  # the year of today's demo
    assert shlex.split(command)[-1] in ran.stdout and "Anna Virtanen" in ran.stdout
    home = shlex.split(command)[0].partition("=")[2]
    assert Path(home).is_dir()
