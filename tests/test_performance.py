"""What keeps `shop` fast at scale: indexed list queries, streamed output, cached formatting.

The timings themselves live in `benchmarks/run.py` (not a test); these check the mechanisms.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sqlite3
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopcli import storage

# Every command that lists records, as a shopper types it on the `family` shop below.
LIST_COMMANDS = [
    ("client", "list"),
    ("client", "list", "--limit", "1", "--page", "2"),
    ("client", "show", "Jan Kowalski"),
    ("client", "list", "--references"),
    ("recipient", "list"),
    ("recipient", "show", "Zosia"),
    ("recipient", "list", "Jan Kowalski"),
    ("job", "list"),
    ("job", "list", "--client", "Jan Kowalski"),
    ("job", "list", "--status", "open"),
    ("job", "show", "Imieniny 2026"),
    ("item", "list"),
    ("item", "list", "--limit", "1", "--page", "2"),
    ("item", "list", "--job", "Imieniny 2026"),
    ("item", "list", "--for", "Zosia"),
    ("item", "list", "--status", "candidate"),
    ("item", "list", "--job", "Imieniny 2026", "--for", "Zosia", "--status", "approved"),
    ("budget", "list", "Imieniny 2026"),
    ("rate", "list"),
    ("invoice", "list"),
    ("time", "list", "Imieniny 2026"),
    ("cost", "list", "Imieniny 2026"),
    ("log", "Jan Kowalski"),
    ("log", "Imieniny 2026"),
    ("proposal", "show", "Imieniny 2026"),
    ("agenda", "--today", "2026-12-15"),
    ("agenda", "--today", "2026-12-15", "--all"),
]
# The lists that can run to thousands of rows come out in index order, with no sort first.
LONG_LISTS = [
    ("client", "list"),
    ("item", "list"),
    ("item", "list", "--job", "Imieniny 2026"),
]

_TABLE_STEP = re.compile(r"^(SCAN|SEARCH) (\S+)")


@pytest.fixture
def listed(shop, family, monkeypatch):
    """The `family` shop with items, a proposal, time and a cost; records each command's SQL."""
    shop("item", "add", "Imieniny", "Kredki", "--for", "Zosia", "--price", "20")
    shop(
        "item", "add", "Imieniny", "Dzwonek", "--for", "Piotr", "--price", "9", "--currency", "EUR"
    )
    shop("propose", "Imieniny", "-o", "-")
    shop("time", "log", "Imieniny", "1h30m")
    shop("cost", "add", "Imieniny", "shipping", "15")
    statements: list[str] = []
    opened = storage.Store.__init__

    def tracing(self, *args, **kwargs) -> None:
        opened(self, *args, **kwargs)
        self.conn.set_trace_callback(statements.append)

    monkeypatch.setattr(storage.Store, "__init__", tracing)
    return statements


def _queries(shop, statements: list[str], args: tuple[str, ...]) -> list[str]:
    statements.clear()
    shop(*args)
    return [
        sql
        for sql in statements
        if sql.lstrip().upper().startswith(("SELECT", "WITH"))
        and "sqlite_master" not in sql
        and "_sqlite_migrations" not in sql
    ]


def _plan(home, sql: str) -> list[str]:
    conn = sqlite3.connect(home / "shop.db")
    try:
        return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    finally:
        conn.close()


def _unindexed(plan: list[str]) -> list[str]:
    """Plan steps that read a table without an index (subqueries and json_each aside)."""
    derived = {step.split()[-1] for step in plan if step.startswith(("CO-ROUTINE", "MATERIALIZE"))}
    bad = []
    for step in plan:
        found = _TABLE_STEP.match(step)
        if not found or found.group(2) in derived or found.group(2) == "CONSTANT":
            continue
        if (
            not any(
                how in step
                for how in ("USING INDEX", "USING COVERING INDEX", "USING INTEGER PRIMARY KEY")
            )
            and "VIRTUAL TABLE" not in step
        ):
            bad.append(step)
    return bad


@pytest.mark.parametrize("args", LIST_COMMANDS, ids=" ".join)
def test_every_list_query_uses_an_index(shop, listed, home, args) -> None:
    queries = _queries(shop, listed, args)
    assert queries, f"shop {' '.join(args)} ran no query"
    for sql in queries:
        plan = _plan(home, sql)
        assert not _unindexed(plan), f"{sql}\n  reads a table without an index: {plan}"


@pytest.mark.parametrize("args", LONG_LISTS, ids=" ".join)
def test_long_lists_come_in_index_order(shop, listed, home, args) -> None:
    for sql in _queries(shop, listed, args):
        plan = _plan(home, sql)
        assert not [step for step in plan if "TEMP B-TREE" in step], f"{sql}\n  sorts: {plan}"


def test_the_agenda_queries_resist_misleading_statistics(shop, listed, home) -> None:
    """`ANALYZE` on a log whose item_id is mostly NULL once made the planner read the whole
    event log for every item (47 s on 100,000 items); the partial indexes keep it on one."""
    conn = sqlite3.connect(home / "shop.db")
    with conn:
        conn.executemany(
            "INSERT INTO events (at, kind, summary) VALUES ('2026-11-01', 'client.added', 'x')",
            [()] * 300,
        )
        conn.execute("ANALYZE")
    conn.close()
    queries = _queries(shop, listed, ("agenda", "--today", "2026-12-15", "--all"))
    for sql in queries:
        for step in _plan(home, sql):
            # e: the event log in the "since when" subqueries; n: credit notes of an invoice.
            if re.match(r"(SCAN|SEARCH) (e|n)\b", step):
                assert "USING" in step and "INDEX" in step, f"{sql}\n  {step}"


# -- output ----------------------------------------------------------------------------------


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.decimals(allow_nan=False, allow_infinity=False),
)


@given(
    st.lists(
        st.dictionaries(
            st.text(max_size=5),
            st.one_of(_VALUES, st.lists(st.integers()), st.dictionaries(st.text(), _VALUES)),
            max_size=4,
        ),
        max_size=4,
    )
)
def test_streamed_json_is_the_same_text_as_json_dumps(rows) -> None:
    from shopcli.cli import common

    expected = json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n"
    for given_as in (iter(rows), rows, {"rows": rows}):
        out = io.StringIO()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(common.sys, "stdout", out)
            common.print_json(given_as)
        if isinstance(given_as, dict):
            expected = json.dumps(given_as, ensure_ascii=False, indent=2, default=str) + "\n"
        assert out.getvalue() == expected


_JSON = st.recursive(
    _VALUES | st.none() | st.booleans(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=4) | st.integers() | st.booleans(), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(st.lists(st.tuples(st.text(max_size=4), _JSON), max_size=4), st.lists(_JSON, max_size=4))
def test_json_members_stream_as_json_dumps_writes_them(members, streamed) -> None:
    """Any nesting, empty containers and odd values: the fast writer's text is json.dumps's,
    with an iterator member streamed as the array it stands for."""
    from shopcli.cli import common

    members = [*members, ("entries", streamed)]
    expected = dict(members)
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(common.sys, "stdout", out)
        common.print_json_members(
            [(key, iter(value) if key == "entries" else value) for key, value in expected.items()]
        )
    assert out.getvalue() == json.dumps(expected, ensure_ascii=False, indent=2, default=str) + "\n"


def test_a_long_json_list_is_written_in_pieces(monkeypatch) -> None:
    from shopcli.cli import common

    out = io.StringIO()
    monkeypatch.setattr(common.sys, "stdout", out)
    rows = [{"id": n, "name": f"n{n}", "price": Decimal("1.5")} for n in range(2500)]
    common.print_json(iter(rows))
    assert out.getvalue() == json.dumps(rows, indent=2, default=str) + "\n"


def test_a_long_table_is_plain_aligned_text_from_a_generator(monkeypatch) -> None:
    from shopcli.cli import common

    out = io.StringIO()
    monkeypatch.setattr(common.sys, "stdout", out)
    rows = ([n, f"name {n}" if n != 3 else "x" * 80, None] for n in range(1, 1001))
    common.print_table(["id", "name", "note"], rows, right=["id"])
    lines = out.getvalue().splitlines()
    assert lines[0] == "  id  " + "name".ljust(60) + "  note".rstrip()
    assert lines[1] == "----  " + "-" * 60 + "  ----"
    assert lines[2] == "   1  name 1"
    assert lines[4] == "   3  " + "x" * 59 + "…"
    assert len(lines) == 1002


def test_client_and_item_lists_page_and_stream(shop, family) -> None:
    for title in ("A", "B", "C"):
        shop("item", "add", "Imieniny", title, "--price", "1")
    assert [i["title"] for i in shop.json("item", "list", "--limit", "2", "--page", "2")] == ["C"]
    shop("client", "add", "Zenon Adamski")
    assert [c["name"] for c in shop.json("client", "list", "--limit", "1", "--page", "2")] == [
        "Zenon Adamski"
    ]
    assert shop.json("client", "list", "--limit", "1", "--page", "3") == []


def test_the_item_listing_filters_by_one_status_or_several_in_the_query(
    shop, family, store
) -> None:
    from shopcli.work import items, lifecycle

    for n in range(4):
        shop("item", "add", "Imieniny", f"Rzecz {n}", "--price", "10")
    first, second = items.listing(store, limit=2)
    items.set_status(store, first, lifecycle.APPROVED)
    items.set_status(store, second, lifecycle.REJECTED)

    def titles(rows) -> list[str]:
        return [row["title"] for row in rows]

    assert titles(items.listing(store, status=lifecycle.APPROVED)) == ["Rzecz 0"]
    both = (lifecycle.REJECTED, lifecycle.APPROVED)
    assert titles(items.listing(store, status=both)) == ["Rzecz 0", "Rzecz 1"]
    assert titles(items.iter_brief(store, status=[lifecycle.CANDIDATE])) == ["Rzecz 2", "Rzecz 3"]
    assert titles(items.iter_listing(store, status=())) == []


# -- the agenda ----------------------------------------------------------------------------


def test_the_short_agenda_is_the_head_of_the_full_one(shop, family, store) -> None:
    from shopcli.work import agenda, items, lifecycle

    for n in range(12):
        shop("item", "add", "Imieniny", f"Rzecz {n}", "--for", "Zosia", "--price", "10")
    for n, row in enumerate(items.listing(store)):
        status = (lifecycle.APPROVED, lifecycle.PROPOSED, lifecycle.CANDIDATE)[n % 3]
        if status != lifecycle.CANDIDATE:
            items.set_status(store, row, status)
    for today in (dt.date(2026, 12, 15), dt.date(2026, 5, 20), dt.date(2027, 1, 1)):
        everything = list(agenda.build(store, today, wait_days=0))
        # The sections stream merged: each must come in the agenda's own order.
        assert everything == sorted(everything, key=agenda._order(today))
        for limit in (1, 3, 5, 50):
            shown, counts = agenda.most_urgent(store, today, limit=limit, wait_days=0)
            assert shown == everything[:limit]
            assert sum(counts.values()) == len(everything)
            for section, count in counts.items():
                assert count == sum(1 for e in everything if e["section"] == section)


def test_the_agenda_text_says_what_it_leaves_out(shop, family, store) -> None:
    from shopcli.work import items, lifecycle

    for n in range(5):
        shop("item", "add", "Imieniny", f"Rzecz {n}", "--price", "10")
    for row in items.listing(store):
        items.set_status(store, row, lifecycle.APPROVED)
    text = shop("agenda", "--today", "2026-12-15", "--limit", "2").stdout
    assert "… and 4 more (approved, not ordered 3, job deadline 1)" in text
    full = shop("agenda", "--today", "2026-12-15", "--all").stdout
    assert "more" not in full and full.count("approved, not ordered") == 5
    data = shop.json("agenda", "--today", "2026-12-15")
    assert len(data["entries"]) == 6 and data["counts"]["to_order"] == 5


# -- documents -----------------------------------------------------------------------------

CURRENCIES = ["EUR", "PLN", "HUF", "JPY", "CNY", "UAH", "RUB", "GBP", "USD", "KWD", "CHF"]


@settings(max_examples=300)
@given(
    st.sampled_from(sorted({"en_GB", "fi_FI", "pl_PL", "hu_HU", "ru_RU", "uk_UA", "zh_Hans_CN"})),
    st.sampled_from(CURRENCIES),
    st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False),
)
def test_cached_money_format_is_babels(locale, currency, value) -> None:
    from babel.core import Locale
    from babel.numbers import format_currency

    from shopcli.core.money import minor_units, round_money
    from shopcli.documents.render import format_money, with_digits

    pattern = with_digits(Locale.parse(locale).currency_formats["standard"], minor_units(currency))
    expected = format_currency(
        round_money(value, currency), currency, format=pattern, locale=locale, currency_digits=False
    )
    assert format_money(value, currency, locale) == expected
    assert format_money(str(value), currency, locale) == expected


def test_templates_compile_once_and_notice_an_edited_override(shop, home) -> None:
    from shopcli.documents import render

    shop("init", "--name", "Ola Nowak")
    first = render.render("proposal_subject.txt", _subject_context(), language="en")
    cached = list((home / ".cache").glob("templates-*/*.cache"))
    assert cached, "compiled templates are kept in the data folder"
    render.environment.cache_clear()
    assert render.render("proposal_subject.txt", _subject_context(), language="en") == first
    override = home / "templates" / "proposal_subject.txt"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text("Changed {{ job.title }}\n", encoding="utf-8")
    render.environment.cache_clear()
    assert render.render("proposal_subject.txt", _subject_context(), language="en") == (
        "Changed Imieniny\n"
    )


def test_an_unwritable_template_cache_is_no_error(shop, home) -> None:
    from shopcli.documents import render

    shop("init", "--name", "Ola Nowak")
    (home / ".cache").write_text("not a folder", encoding="utf-8")
    render.environment.cache_clear()
    assert "Imieniny" in render.render("proposal_subject.txt", _subject_context(), language="en")


def _subject_context() -> dict:
    return {
        "job": {"title": "Imieniny", "deadline": None},
        "version": 1,
        "shopper": {"name": "Ola", "business_name": None},
        "client": {"name": "Jan"},
        "preview": False,
    }


def test_the_profile_is_parsed_again_only_when_it_changes(shop, home, monkeypatch) -> None:
    from shopcli.people import profile

    shop("init", "--name", "Ola Nowak", "--currency", "PLN")
    assert profile.load().get("currency") == "PLN"
    parsed = []
    real = profile._parse
    monkeypatch.setattr(profile, "_parse", lambda *a: parsed.append(1) or real(*a))
    assert profile.load().get("currency") == "PLN" and not parsed
    loaded = profile.load()
    loaded.values["currency"] = "EUR"  # a caller's copy, not the cache
    assert profile.load().get("currency") == "PLN"
    shop("profile", "set", "currency", "HUF")
    assert profile.load().get("currency") == "HUF" and parsed == [1]


def test_a_timestamp_does_not_load_the_card_checker(shop) -> None:
    """`import stdnum` costs ~30 ms; a date or time in a record is no card number."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from shopcli.core.cards import refuse_card_numbers\n"
        "refuse_card_numbers({'at': '2026-11-23T06:01:02+00:00', 'n': '12 items'})\n"
        "print('stdnum' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_money_values_round_like_before() -> None:
    from shopcli.core.money import plain, round_money

    assert round_money(Decimal("0.125"), "EUR") == Decimal("0.13")
    assert plain(Decimal("1234.5"), "JPY") == "1235"
    assert plain(Decimal("1.0005"), "KWD") == "1.001"


# -- export ----------------------------------------------------------------------------------


@pytest.mark.parametrize("reveal", [False, True])
def test_streamed_export_is_the_document_as_text(shop, family, store, monkeypatch, reveal) -> None:
    """SQLite writes the rows (json_object); the text is what `to_json` gives for the rows as
    Python reads them, also for values SQLite writes differently (a REAL, a BLOB), which
    Python writes."""
    from shopcli.data import exporting
    from shopcli.work import items

    shop("item", "add", "Imieniny", 'Kredki "Bambino" \\ 24', "--for", "Zosia", "--price", "20")
    shop(
        "item",
        "add",
        "Imieniny",
        "Dzwonek 🔔",
        "--notes",
        "line one\nline\ttwo\u2028",
        "--price",
        "9",
    )
    shop("item", "add", "Imieniny", "E-book", "--price", "30")
    row = items.get(store, "E-book")
    with store.write():
        store.execute(
            "INSERT INTO digital_goods (item_id, code, link, delivered_on, created_at) "
            "VALUES (?, 'ABCD-1234-EFGH-5678', 'https://x.example/r', '2026-12-01', 't')",
            [row["id"]],
        )
        store.execute("UPDATE items SET qty = 1.5 WHERE title LIKE 'Kredki%'")  # a REAL
        store.execute("UPDATE items SET notes = x'00ff10' WHERE title = 'E-book'")  # a BLOB
        store.execute("UPDATE clients SET notes = 'it''s \x01 \x1f \x7f ä' WHERE id = 1")
    monkeypatch.setattr(exporting, "dt", _FixedClock)
    out = io.StringIO()
    counts, masked = exporting.write_json(store, out, reveal=reveal)
    document = json.loads(out.getvalue())
    tables = document["tables"]
    for table in tables:
        names, _, rows = exporting.table_rows(store, table, reveal=reveal)
        read = [dict(zip(names, map(exporting.json_value, row), strict=True)) for row in rows]
        assert tables[table] == read, table
    assert out.getvalue() == exporting.to_json(document)
    assert counts == {table: len(rows) for table, rows in tables.items()}
    assert masked == document["masked"]
    assert json.loads(out.getvalue())["tables"]["items"][0]["qty"] == 1.5
    assert masked == ([] if reveal else ["digital_goods.code", "digital_goods.link"])


class _FixedClock:
    timezone = dt.timezone

    class datetime:  # noqa: N801 - stands in for the module's `dt.datetime`
        @staticmethod
        def now(tz=None):
            return dt.datetime(2026, 12, 1, 12, 0, tzinfo=tz)


def test_export_to_a_file_is_whole_or_nothing(shop, family, tmp_path, monkeypatch) -> None:
    from shopcli.data import exporting

    target = tmp_path / "exports" / "out.json"
    target.parent.mkdir()
    shop("export", "-o", str(target))
    first = target.read_text(encoding="utf-8")
    assert json.loads(first)["tables"]["clients"][0]["name"] == "Jan Kowalski"
    assert oct(target.stat().st_mode & 0o777) == "0o600"

    def broken(store, out, **kwargs):
        out.write('{"format": "half')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exporting, "write_json", broken)
    shop.fails("export", "-o", str(target))
    assert target.read_text(encoding="utf-8") == first
    assert [p.name for p in target.parent.iterdir()] == ["out.json"]


def test_a_profile_read_before_is_not_parsed_again(shop, home) -> None:
    """The parsed profile is kept by the hash of its text: no `import yaml` (~12 ms) until
    the file changes, and a hand edit is read at once."""
    import subprocess
    import sys

    shop("init", "--name", "Ola Nowak", "--currency", "PLN")
    code = (
        "import sys\n"
        "from shopcli.people import profile\n"
        "print(profile.load().get('currency'), 'yaml' in sys.modules)\n"
    )

    def read() -> str:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    read()
    assert read() == "PLN False"
    assert oct((home / ".cache" / "profile.json").stat().st_mode & 0o777) == "0o600"
    path = home / "profile.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("PLN", "HUF"), encoding="utf-8")
    assert read() == "HUF True"
    assert read() == "HUF False"
