"""`shop templates` and the shopper's own copies of templates (overrides)."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopcli.core import paths
from shopcli.documents import render

PROPOSAL_TEMPLATES = {
    "proposal.txt",
    "proposal.html",
    "proposal_subject.txt",
    "proposal_parts.txt",
}


def test_list_shows_every_template_and_the_file_in_use(shop) -> None:
    rows = {r["name"]: r for r in shop.json("templates", "list")}
    assert PROPOSAL_TEMPLATES <= set(rows)
    for name in PROPOSAL_TEMPLATES:
        assert rows[name]["overridden"] is False and rows[name]["unused"] is False
        assert Path(rows[name]["path"]) == paths.builtin_templates() / name
    assert "built-in" in shop("templates", "list").stdout


def test_copy_makes_a_private_editable_copy_that_is_then_in_use(shop, home: Path) -> None:
    out = shop("templates", "copy", "proposal.html").stdout
    copy = home / "templates" / "proposal.html"
    assert str(copy) in out
    assert copy.read_bytes() == (paths.builtin_templates() / "proposal.html").read_bytes()
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    rows = {r["name"]: r for r in shop.json("templates", "list")}
    assert rows["proposal.html"] == {
        "name": "proposal.html",
        "overridden": True,
        "unused": False,
        "path": str(copy),
    }
    assert "your copy" in shop("templates", "list").stdout
    copy.write_text("mine", encoding="utf-8")
    failed = shop.fails("templates", "copy", "proposal.html", code=4)
    assert "exists already" in failed.stderr and copy.read_text(encoding="utf-8") == "mine"
    shop("templates", "copy", "proposal.html", "--force")
    assert copy.read_bytes() == (paths.builtin_templates() / "proposal.html").read_bytes()


def test_unknown_names_are_refused(shop, home: Path) -> None:
    failed = shop.fails("templates", "copy", "nope.txt", code=3)
    assert "no built-in template 'nope.txt'" in failed.stderr and "proposal.txt" in failed.stderr
    assert shop.fails("templates", "copy", "../profile.yaml").stderr
    (home / "templates").mkdir(parents=True)
    (home / "templates" / "propsal.txt").write_text("typo", encoding="utf-8")
    rows = {r["name"]: r for r in shop.json("templates", "list")}
    assert rows["propsal.txt"]["unused"] is True


def override(home: Path, name: str, text: str) -> Path:
    folder = home / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def test_an_override_wins_over_the_built_in_template(shop, cart, home: Path) -> None:
    override(home, "proposal_subject.txt", "Ideas for {{ job.title }}, from {{ shopper.name }}")
    out = shop("propose", "Spring").stdout
    assert out.startswith("Subject: Ideas for Spring 2027, from Ruth Okafor\n")
    shop("templates", "copy", "proposal.txt")
    # Each `shop` run is a new process; in one test process, forget the compiled built-in.
    render.environment.cache_clear()
    path = home / "templates" / "proposal.txt"
    path.write_text(
        path.read_text(encoding="utf-8").replace("{{ letter.closing() }}", "Warmly,"),
        encoding="utf-8",
    )
    assert "Warmly,\nRuth Okafor" in shop("propose", "Spring").stdout


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Dear {{ client.name }},\n\n{% if version %}\n{{ total.subtotal }\n", "line 4"),
        ("Line one\n{% for x in sections %}\nno end\n", "line 3"),
    ],
)
def test_a_broken_override_names_file_and_line_and_records_nothing(
    shop, cart, store, home: Path, text: str, says: str
) -> None:
    path = override(home, "proposal.txt", text)
    failed = shop.fails("propose", "Spring")
    assert f"template {path}, {says}:" in failed.stderr
    assert store.scalar("SELECT count(*) FROM proposals") == 0
    assert {r["status"] for r in store.query("SELECT status FROM items")} == {"candidate"}


def test_an_override_using_an_unknown_variable_is_an_error_not_a_blank(
    shop, cart, home: Path
) -> None:
    path = override(home, "proposal_subject.txt", "For {{ client.nickname }}")
    failed = shop.fails("propose", "Spring")
    assert str(path) in failed.stderr and "nickname" in failed.stderr


def test_overrides_render_in_the_sandbox(shop, cart, home: Path) -> None:
    override(home, "proposal_subject.txt", "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    failed = shop.fails("propose", "Spring")
    assert "proposal_subject.txt" in failed.stderr and "__class__" not in failed.stdout
    # Records are read key first (fast), yet their Python insides stay out of reach.
    override(home, "proposal_subject.txt", "{{ client.__class__.__mro__[1].__subclasses__() }}")
    failed = shop.fails("propose", "Spring")
    assert "proposal_subject.txt" in failed.stderr and "__class__" not in failed.stdout
    override(home, "proposal_subject.txt", "{{ client.name }}: {{ client.keys()|list|length > 0 }}")
    assert shop("propose", "Spring").stdout.splitlines()[0].endswith(": True")


def test_a_broken_html_override_does_not_stop_the_text_proposal(shop, cart, home: Path) -> None:
    path = override(home, "proposal.html", "<p>{{ _('Hi') </p>")
    assert shop("propose", "Spring").stdout.startswith("Subject:")
    failed = shop.fails("propose", "Spring", "-f", "html")
    assert f"template {path}, line 1:" in failed.stderr


def test_override_not_in_utf8_or_too_greedy_is_a_clear_error(shop, cart, home) -> None:
    shop("templates", "copy", "proposal.txt")
    override = home / "templates" / "proposal.txt"
    override.write_bytes("Hyvää joulua {{ job.title }}\n".encode("cp1252"))
    failed = shop.fails("propose", "Spring", "--preview")
    assert "UTF-8" in failed.stderr and "unexpected" not in failed.stderr
    override.write_text("{{ range(10**9)|list|length }}\n", encoding="utf-8")
    from shopcli.documents import render

    render.environment.cache_clear()
    failed = shop.fails("propose", "Spring", "--preview")
    assert "proposal.txt" in failed.stderr and "unexpected" not in failed.stderr


def test_only_built_in_templates_are_cached_compiled(shop, cart, home) -> None:
    import stat

    shop("propose", "Spring", "--preview")
    cache = home / ".cache"
    assert cache.is_dir() and stat.S_IMODE(cache.stat().st_mode) == 0o700
    compiled = {p.name for p in cache.rglob("*") if p.is_file()}
    assert compiled, "built-in templates are cached"
    shop("templates", "copy", "proposal.txt")
    from shopcli.documents import render

    render.environment.cache_clear()
    shop("propose", "Spring", "--preview")
    assert {p.name for p in cache.rglob("*") if p.is_file()} == compiled


# -- what a template may compute --------------------------------------------------------------

GREEDY = {
    "repeat": "{{ 'a' * 10**10 }}",
    "power": "{{ (2**64)**(2**20) }}",
    "product": "{{ 10**1000 * 10**1000 * 10**1000 * 10**1000 * 10**1000 }}",
    "join": "{{ ('ab' * 600000) + ('cd' * 600000) }}",
    "center": "{{ 'a'|center(10**9) }}",
    "ljust": "{{ 'x'.ljust(999999999) }}",
    "percent": "{{ '%999999999d'|format(1) }}",
    "percent operator": "{{ '%0999999999d' % 1 }}",
    "format": "{{ '{:>999999999}'.format(1) }}",
    "replace": "{{ ('ab' * 500000)|replace('a', 'aaaa') }}",
    "ranges": "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "output": "{% for i in range(1000) %}{{ 'a' * 1000000 }}{% endfor %}",
}


@pytest.mark.parametrize("case", sorted(GREEDY))
def test_a_template_asking_too_much_is_refused_at_once_naming_it(
    shop, cart, home: Path, case
) -> None:
    import os
    import subprocess
    import sys
    import time

    (home / "templates").mkdir(exist_ok=True)
    override = home / "templates" / "proposal.txt"
    override.write_text("Hello\n" + GREEDY[case] + "\n", encoding="utf-8")
    started = time.monotonic()
    # A process of its own with a deadline: before the limits, some of these ran for hours.
    done = subprocess.run(
        [sys.executable, "-m", "shopcli", "propose", "Spring", "--preview"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SHOP_HOME": str(home)},
    )
    assert time.monotonic() - started < 20
    assert done.returncode == 1, done.stderr
    assert f"template {override} asks for more than a template may compute" in done.stderr
    assert "Traceback" not in done.stderr
    import sqlite3

    conn = sqlite3.connect(home / "shop.db")
    assert conn.execute("SELECT count(*) FROM proposals").fetchone()[0] == 0
    conn.close()


def test_a_template_that_works_too_long_is_stopped(shop, cart, home: Path, monkeypatch) -> None:
    monkeypatch.setattr(render._Limits, "MAX_SECONDS", 1.0)
    (home / "templates").mkdir(exist_ok=True)
    override = home / "templates" / "proposal.txt"
    override.write_text(
        "{% set s = 'a' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    failed = shop.fails("propose", "Spring", "--preview", code=1)
    assert f"template {override} asks for more than a template may compute" in failed.stderr
    assert "seconds of work" in failed.stderr
    override.unlink()
    assert "Wooden train set" in shop("propose", "Spring", "--preview").stdout


def test_ordinary_arithmetic_and_padding_still_work(shop, cart, home: Path) -> None:
    (home / "templates").mkdir(exist_ok=True)
    (home / "templates" / "proposal.txt").write_text(
        "{{ '-' * 40 }}|{{ 2**10 }}|{{ 7 // 2 }}|{{ 'ab'|center(6) }}"
        "|{{ '%05.1f'|format(3.14159) }}|{{ '{:>4}'.format(7) }}"
        "|{% for i in range(3) %}{{ i }}{% endfor %}\n",
        encoding="utf-8",
    )
    out = shop("propose", "Spring", "--preview").stdout
    assert out.strip() == "-" * 40 + "|1024|3|  ab  |003.1|   7|012"
