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
from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from shopcli.cli.app import app
from shopcli.core.money import to_text


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
    from shopcli.cli import command_reference

    written = command_reference.summaries_path().read_text(encoding="utf-8")
    assert written == command_reference.render_summaries(), (
        "src/shopcli/cli/summaries.py is stale: run `python -m shopcli.cli.command_reference`"
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


# -- the profile ----------------------------------------------------------------------------


def test_profile_checks_are_kept_and_a_bad_value_is_checked_every_time(
    shop, home, monkeypatch
) -> None:
    """An email address, a business id and an IBAN that passed their checks are not checked
    again (which imports email-validator and python-stdnum); one that failed always is."""
    from shopcli.people import profile

    monkeypatch.setattr(profile, "_CHECKED", {})  # this process has checked them for others
    monkeypatch.setattr(profile, "_KEPT", None)
    shop("init", "--name", "Ola Nowak", "--email", "ola@example.pl")
    shop("profile", "set", "iban", "FI21 1234 5600 0007 85")
    shop("profile", "set", "business_id", "2617416-4")
    shop("profile", "show")
    kept = home / ".cache" / "profile-checks.json"
    assert kept.stat().st_mode & 0o777 == 0o600
    loaded = _modules_after(["profile", "show"], home)
    assert not {"email_validator", "stdnum", "stdnum.iban"} & loaded
    profile = home / "profile.yaml"
    profile.write_text(profile.read_text().replace("2617416-4", "2617416-5"))
    for _ in range(2):
        result = CliRunner().invoke(app, ["profile", "show"])
        assert "Not valid: business_id" in result.stderr


# -- a new data folder ----------------------------------------------------------------------

READS = [
    ["client", "list"],
    ["item", "list", "--json"],
    ["job", "list"],
    ["recipient", "list"],
    ["invoice", "list"],
    ["rate", "list"],
    ["agenda"],
    ["agenda", "--json"],
    ["payment", "list"],
    ["report", "--year", "2026"],
]


def test_reading_a_new_data_folder_creates_no_database(shop, home) -> None:
    for args in READS:
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
        assert not home.exists() or not list(home.glob("shop.db*")), args
    shop("client", "add", "Greta Lind")  # the first write makes the file
    assert (home / "shop.db").stat().st_mode & 0o777 == 0o600
    assert [c["name"] for c in shop.json("client", "list")] == ["Greta Lind"]


def test_a_store_without_its_file_refuses_a_write_that_bypasses_it(home) -> None:
    """A store that has no file yet reads an empty database in memory; a write that went
    around `write` and `execute` (which make the file first) would be lost, so it fails."""
    import sqlite3

    import pytest

    from shopcli.storage import open_store

    store = open_store()
    assert store.absent and store.query("SELECT * FROM clients") == []
    with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
        store.conn.execute("INSERT INTO rates VALUES ('USD', 'EUR', '1', 'now')")
    assert not (home / "shop.db").exists()
    store.execute("INSERT INTO rates VALUES ('USD', 'EUR', '1', 'now')")
    assert not store.absent and (home / "shop.db").exists()
    store.close()


# -- backups --------------------------------------------------------------------------------


def test_a_backup_is_a_file_copy_under_the_write_lock(shop, home, tmp_path, monkeypatch) -> None:
    """The kernel copies the file (the backup API, ~3x the CPU, only while another command
    writes); every copy gets SQLite's quick check, the full integrity check runs with
    --verify only."""
    from shopcli.storage import maintenance

    shop("client", "add", "Greta Lind")

    def refused(*args):
        raise AssertionError("the backup API was used")

    checked: list[bool] = []
    real = maintenance.integrity
    monkeypatch.setattr(maintenance, "copy_to", refused)

    def integrity(conn, *, quick: bool = False) -> list[str]:
        checked.append(quick)
        return real(conn, quick=quick)

    monkeypatch.setattr(maintenance, "integrity", integrity)
    shop("backup", str(tmp_path / "fast.db"))
    assert checked == [True]
    shop("backup", str(tmp_path / "checked.db"), "--verify")
    assert checked == [True, False]
    for extra in ([], ["--verify"]):
        monkeypatch.setattr(maintenance, "integrity", lambda *a, **k: ["page 7 is broken"])
        failed = shop.fails("backup", str(tmp_path / "bad.db"), *extra)
        assert "integrity check" in failed.stderr and not (tmp_path / "bad.db").exists()


# -- budgets --------------------------------------------------------------------------------


_COUNTER = iter(range(10**9))


def _job_with(store, items: list[tuple]) -> dict:
    """A new job in EUR with these items: (recipient 0, 1 or None, price, qty, currency,
    status, shipping, customs), written as shopcli writes them; rates for USD and GBP."""
    from shopcli.core.money import to_text

    now = "2026-11-01T10:00:00+00:00"
    n = next(_COUNTER)
    with store.write():
        client = store.insert(
            "clients", {"name": f"Greta {n}", "created_at": now, "updated_at": now}
        )
        people = [
            store.insert(
                "recipients",
                {"client_id": client, "name": f"{name} {n}", "created_at": now, "updated_at": now},
            )
            for name in ("Aino", "Eero")
        ]
        job = store.insert(
            "jobs",
            {
                "client_id": client,
                "title": f"Joulu {n}",
                "currency": "EUR",
                "created_at": now,
                "updated_at": now,
            },
        )
        store.execute("INSERT OR REPLACE INTO rates VALUES ('USD', 'EUR', '0.92', ?)", [now])
        store.execute("INSERT OR REPLACE INTO rates VALUES ('EUR', 'GBP', '0.86', ?)", [now])
        for number, (who, price, qty, cur, status, ship, duty) in enumerate(items, start=1):
            store.insert(
                "items",
                {
                    "job_id": job,
                    "number": number,
                    "recipient_id": people[who] if who is not None else None,
                    "title": f"Item {number}",
                    "price": to_text(price),
                    "qty": qty,
                    "currency": cur,
                    "status": status,
                    "shipping": to_text(ship) if ship is not None else None,
                    "customs": to_text(duty) if duty is not None else None,
                    "created_at": now,
                    "updated_at": now,
                },
            )
    return store.get("jobs", job)


_AMOUNT = st.decimals(min_value=0, max_value=10**7, places=6, allow_nan=False)
_ITEM = st.tuples(
    st.sampled_from([0, 1, None]),
    _AMOUNT,
    st.integers(1, 99_999),
    st.sampled_from(["EUR", "USD", "GBP"]),
    st.sampled_from(["candidate", "proposed", "approved", "ordered", "delivered", "rejected"]),
    st.none() | _AMOUNT,
    st.none() | _AMOUNT,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_ITEM, max_size=25))
def test_budget_sums_made_by_sqlite_are_the_decimal_sums(store, items) -> None:
    """Summed in SQLite as integers of millionths, each sum converted once: the same as
    each item's cost in Decimal, converted and added one by one (as before)."""
    from unittest import mock

    from shopcli.storage import budgets as queries
    from shopcli.work import budgets

    job = _job_with(store, items)
    fast = budgets.report(store, job)
    with mock.patch.object(queries, "job_totals", return_value=None):
        slow = budgets.report(store, job)

    def seen(report) -> list:
        exact = Decimal("1e-12")
        return [
            (line.name, line.items, line.planned.quantize(exact), line.approved.quantize(exact))
            for line in [*report.lines, report.total]
        ]

    assert seen(fast) == seen(slow)


def test_budget_sums_read_one_index_in_order(store) -> None:
    """The budget report reads the covering index items_job_budget: no table, no sorting."""
    from shopcli.storage import budgets as queries

    job = _job_with(store, [(0, Decimal("10"), 2, "EUR", "approved", None, None)])
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    assert queries.job_totals(store, job["id"])[0]["cost"] == 20_000_000
    store.conn.set_trace_callback(None)
    sql = next(q for q in seen if "sum(" in q)
    plan = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    assert plan == ["SEARCH i USING COVERING INDEX items_job_budget (job_id=?)"], plan


def test_budget_sums_beyond_exact_integers_are_made_in_decimal(store) -> None:
    from shopcli.storage import budgets as queries
    from shopcli.work import budgets

    huge = Decimal("999999999999.999999")
    job = _job_with(store, [(0, huge, 99_999, "EUR", "approved", None, None)])
    assert queries.job_totals(store, job["id"]) is None
    assert budgets.report(store, job).total.approved == huge * 99_999


# -- lists as JSON --------------------------------------------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=12)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(_TEXT, st.none() | _TEXT, _AMOUNT, st.integers(1, 99_999), st.none() | _TEXT),
        min_size=1,
        max_size=12,
    )
)
def test_items_json_written_by_sqlite_is_what_json_writes(store, rows) -> None:
    """Any text (quotes, control characters, any script), NULLs, any amount: SQLite's
    json_object gives the text json.dumps gives for `items.public(row)`, compact."""
    from shopcli.work import items

    job = _job_with(
        store, [(0, price, qty, "EUR", "candidate", None, None) for _, _, price, qty, _ in rows]
    )
    with store.write():
        for number, (title, size, _price, _qty, notes) in enumerate(rows, start=1):
            store.conn.execute(  # as another program might: no checks of the text
                "UPDATE items SET title = ?, size = ?, notes = ? WHERE job_id = ? AND number = ?",
                [title, size, notes, job["id"], number],
            )
    written = [text for chunk in items.listing_json(store, job_id=job["id"]) for text in chunk]
    expected = [
        json.dumps(items.public(dict(row)), ensure_ascii=False, separators=(",", ":"))
        for row in items.iter_listing(store, job_id=job["id"])
    ]
    assert written == expected


def test_an_item_sqlite_cannot_write_exactly_is_written_by_python(store) -> None:
    from shopcli.work import items

    job = _job_with(store, [(0, Decimal("2.5"), 2, "EUR", "candidate", None, None)] * 2)
    with store.write():  # a quantity that is not a whole number, by another program
        store.conn.execute(
            "UPDATE items SET qty = 1.5 WHERE job_id = ? AND number = 2", [job["id"]]
        )
    first, second = [
        json.loads(text) for chunk in items.listing_json(store, job_id=job["id"]) for text in chunk
    ]
    assert first["total"] == "5"
    assert second["qty"] == 1.5 and second["total"] == "2.5"  # as public() has it, in Python


def test_item_list_json_is_one_item_a_line(shop, family) -> None:
    for title in ("Kredki", "Dzwonek"):
        shop("item", "add", "Imieniny", title, "--price", "9.90")
    out = shop("item", "list", "--json").stdout
    lines = out.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 4
    assert [json.loads(line.rstrip(","))["title"] for line in lines[1:-1]] == ["Kredki", "Dzwonek"]
    assert json.loads(out)[1]["total"] == "9.9"


@settings(max_examples=300)
@given(
    _AMOUNT | st.decimals(min_value=0, max_value=10**12, places=6, allow_nan=False),
    st.integers(1, 99_999),
)
def test_sqlite_writes_a_line_total_as_to_text_does(price, qty) -> None:
    import sqlite3

    from shopcli.core.money import to_text
    from shopcli.storage.amounts import product_too_big, times_text

    conn = sqlite3.connect(":memory:")
    big, text = conn.execute(
        f"SELECT {product_too_big('?1', '?2')}, {times_text('?1', '?2')}", [to_text(price), qty]
    ).fetchone()
    if not big:
        assert text == to_text(price * qty)


def test_the_whole_agenda_as_json_is_what_json_writes_of_each_entry(shop, family, store) -> None:
    """The sections SQLite writes (answers owed, items to order) and those made in Python
    come merged in the agenda's order, each entry's text what json.dumps writes of it."""
    import datetime as dt

    from shopcli.work import agenda, items, lifecycle

    for n in range(12):
        shop("item", "add", "Imieniny", f'Rzecz "{n}"', "--for", "Zosia", "--price", "10")
    for n, row in enumerate(items.listing(store)):
        status = (lifecycle.APPROVED, lifecycle.PROPOSED, lifecycle.CANDIDATE)[n % 3]
        if status != lifecycle.CANDIDATE:
            items.set_status(store, row, status)
    sections: set[str] = set()
    for today in (dt.date(2026, 12, 15), dt.date(2026, 5, 20), dt.date(2027, 1, 1)):
        expected = list(agenda.build(store, today, wait_days=0))
        chunks, counts = agenda.build_json(store, today, wait_days=0)
        written = [text for chunk in chunks for text in chunk]
        assert written == [
            json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in expected
        ]
        assert counts == {s: sum(e["section"] == s for e in expected) for s in agenda.SECTIONS}
        sections |= {e["section"] for e in expected}
    assert {"to_order", "awaiting", "deadline", "birthday"} <= sections


def test_the_invoices_sqlite_writes_in_the_agenda_are_what_json_writes_of_each(shop, store) -> None:
    """Overdue invoices: those with nothing paid are written by SQLite, the others (part
    paid, paid, credited) made in Python; both come out as the Python agenda has them."""
    import datetime as dt

    from billing_helpers import buyer, job, seller
    from shopcli.storage import agenda as queries
    from shopcli.work import agenda

    seller(shop)
    buyer(shop)
    for n, fee in enumerate(("flat:100", "flat:80.5", "flat:60", "flat:40", "flat:120")):
        title = f"Job {n}"
        job(shop, title, fee=fee)
        shop("invoice", title, "--issue", "--today", f"2026-06-0{n + 1}")
    shop("pay", "2026-0002", "20", "--today", "2026-06-10")  # part paid
    shop("pay", "2026-0003", "75.30", "--today", "2026-06-10")  # paid in full (60 + VAT)
    shop("invoice", "void", "2026-0004", "--reason", "wrong client", "--today", "2026-06-11")
    shop("invoice", "remind", "2026-0001", "--today", "2026-06-20")
    shop("invoice", "remind", "2026-0005", "--today", "2026-06-25")
    shop("invoice", "remind", "2026-0005", "--today", "2026-07-10")
    seen: list[set] = []
    for today in ("2026-06-16", "2026-06-21", "2026-07-06", "2026-07-30", "2027-01-01"):
        day = dt.date.fromisoformat(today)
        expected = list(agenda.build(store, day))
        chunks, counts = agenda.build_json(store, day)
        written = [text for chunk in chunks for text in chunk]
        assert written == [
            json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in expected
        ]
        assert counts == {s: sum(e["section"] == s for e in expected) for s in agenda.SECTIONS}
        seen.append({e["detail"]["invoice"] for e in expected if e["section"] == "invoice"})
    # Each kind was there: unpaid (with and without reminders) and part paid; never the paid
    # one nor the credited one.
    assert seen[-1] == {"2026-0001", "2026-0002", "2026-0005"}
    assert not any({"2026-0003", "2026-0004"} & found for found in seen)
    # The unpaid ones were written by SQLite (the part-paid one by Python).
    rows = queries.invoices_overdue_json(store, "2027-01-01", agenda.RANK["invoice"])
    assert {json.loads(text)["detail"]["invoice"] for _due, text, _id in rows if text} == {
        "2026-0001",
        "2026-0005",
    }


def test_invoices_stored_oddly_come_out_of_the_agenda_as_python_makes_them(
    shop, family, store
) -> None:
    """Invoices written by another program (an impossible due day, a due day with a time,
    totals Decimal writes otherwise): SQLite leaves each to Python, the agenda is the same."""
    import datetime as dt

    from shopcli.work import agenda

    job = store.one("SELECT * FROM jobs")
    odd = [
        ("2026-02-30", "100"),
        ("2026-04-31", "12.50"),
        ("2026-03-01", "0"),
        ("2026-03-02", "1e3"),
        ("2026-03-03", "1" * 29),
        ("2026-03-04", "007"),
        ("2026-03-05T10:00", "5"),
        ("2026-03-06", "0.0000001"),
        ("2026-03-07", "99.5"),
        ("2026-03-08", "12."),
    ]
    with store.write():
        for n, (due, total) in enumerate(odd, start=1):
            store.insert(
                "invoices",
                {
                    "number": f"2026-{n:04d}",
                    "series": "2026",
                    "seq": n,
                    "kind": "invoice",
                    "job_id": job["id"],
                    "client_id": job["client_id"],
                    "issued": "2026-01-01",
                    "due": due,
                    "currency": "PLN",
                    "total": total,
                    "document": "{}",
                    "created_at": "2026-01-01T10:00:00+00:00",
                },
            )
    day = dt.date(2026, 6, 1)
    expected = list(agenda.build(store, day))
    chunks, _counts = agenda.build_json(store, day)
    assert [text for chunk in chunks for text in chunk] == [
        json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in expected
    ]
    assert {e["detail"]["invoice"] for e in expected if e["section"] == "invoice"} >= {
        "2026-0001",
        "2026-0005",
        "2026-0009",
    }


@settings(max_examples=400)
@example("1E1000000")  # beyond Decimal's exponent range
@example("1" * 29)  # beyond its precision
@given(
    _AMOUNT.map(to_text)
    | st.from_regex(r"\A[0-9+\-.eE ]{0,12}\Z")
    | st.from_regex(r"\A[1-9][0-9]{20,35}(\.[0-9]{1,6})?\Z")
    | _AMOUNT.map(lambda amount: f"{amount:.2f}")
)
def test_sqlite_says_an_amount_is_written_back_by_decimal_only_when_it_is(text) -> None:
    """The test that lets SQLite write an unpaid invoice's owed amount as its stored total
    holds only for a text Decimal writes back the same, above zero."""
    import sqlite3

    from shopcli.storage.amounts import positive_as_decimal_writes

    conn = sqlite3.connect(":memory:")
    (same,) = conn.execute(f"SELECT {positive_as_decimal_writes('?1')}", [text]).fetchone()
    if same:
        owed = Decimal(text) - Decimal(0)
        assert str(owed) == text and owed > 0
    else:
        try:
            owed = Decimal(text) - Decimal(0)
        except ArithmeticError:  # not a number, or beyond Decimal (1E1000000): never "same"
            return
        # Refused though Decimal writes it back: only beyond six decimals or 28 characters.
        short = len(text.partition(".")[2]) <= 6 and len(text) <= 28
        assert not (str(owed) == text and owed > 0 and short)


# -- documents ------------------------------------------------------------------------------


def test_an_issued_invoice_pdf_is_kept_and_shown_without_weasyprint(shop, home) -> None:
    import os

    import pytest

    from billing_helpers import ready
    from shopcli.documents import pdf

    if not pdf.available():
        pytest.skip("WeasyPrint is not installed")
    ready(shop, fee="flat:100")
    shop("invoice", "Midsummer", "--issue")
    first = shop("invoice", "show", "2026-0001", "--format", "pdf").stdout_bytes
    folder = home / ".cache" / "memo" / "invoice-pdf"
    kept = list(folder.iterdir())
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    code = (
        "import sys\n"
        "from shopcli.cli.app import app\n"
        "try:\n"
        "    app(['invoice', 'show', '2026-0001', '--format', sys.argv[1]])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('weasyprint' in sys.modules, file=sys.stderr)\n"
    )
    env = {**os.environ, "SHOP_HOME": str(home)}
    for fmt in ("pdf", "eml"):
        done = subprocess.run(
            [sys.executable, "-c", code, fmt], capture_output=True, check=True, env=env
        )
        assert done.stderr.decode().strip().splitlines()[-1] == "False", fmt
        if fmt == "pdf":
            assert done.stdout == first
    # A kept file that does not match its digest is not used: the PDF is made again.
    kept[0].write_bytes(kept[0].read_bytes()[:-10])
    again = shop("invoice", "show", "2026-0001", "--format", "pdf").stdout_bytes
    assert again.startswith(b"%PDF-") and kept[0].read_bytes().endswith(again)


def _old_database(tmp_path, stop_before: str, stamp: str):
    """A database as an older shopcli left it (migrated up to `stop_before`), with client
    1 and its job 1; the path and an open connection (autocommit)."""
    import sqlite3

    from shopcli.storage.migrations import migrations

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    migrations.apply(conn, stop_before=stop_before)
    conn.execute(
        "INSERT INTO clients (name, created_at, updated_at) VALUES ('A', ?, ?)", [stamp, stamp]
    )
    conn.execute(
        "INSERT INTO jobs (client_id, title, currency, created_at, updated_at) "
        "VALUES (1, 'J', 'EUR', ?, ?)",
        [stamp, stamp],
    )
    return db, conn


def test_the_new_indexes_are_measured_where_the_others_are(tmp_path) -> None:
    """A measured database (ANALYZE) gets the new indexes measured as it upgrades: else the
    planner reads every query of items through items_job_budget."""
    import sqlite3

    from shopcli.storage import Store

    now = "2026-11-01"
    db, conn = _old_database(tmp_path, "m016_indexes_for_reads", now)
    conn.executemany(
        "INSERT INTO items (job_id, number, title, price, currency, created_at, updated_at) "
        "VALUES (1, ?, 'x', '1', 'EUR', ?, ?)",
        [(n, now, now) for n in range(1, 11)],
    )
    conn.execute(
        "INSERT INTO item_checks (item_id, checked_on, matched, created_at) VALUES (1, ?, 0, ?)",
        [now, now],
    )
    conn.execute("ANALYZE")
    conn.close()
    Store(db).close()
    conn = sqlite3.connect(db)
    measured = {row[0] for row in conn.execute("SELECT idx FROM sqlite_stat1")}
    assert {"items_job_budget", "item_checks_mismatched", "items_status_on"} <= measured
    conn.close()


def test_an_upgraded_database_keeps_the_day_each_item_entered_its_status(tmp_path) -> None:
    """m017 fills `status_on` from the event log (the latest event of the item entering the
    status it has), else from the item's last change; the agenda then reads it."""
    import sqlite3

    from shopcli.storage import Store

    stamp = "2026-11-20T09:00:00+00:00"
    db, conn = _old_database(tmp_path, "m017_item_status_day", stamp)
    conn.executemany(
        "INSERT INTO items (job_id, number, title, price, currency, status, created_at, "
        "updated_at) VALUES (1, ?, 'x', '1', 'EUR', ?, ?, ?)",
        [
            (1, "approved", stamp, stamp),
            (2, "proposed", stamp, stamp),
            (3, "candidate", stamp, stamp),
        ],
    )
    events = [
        (1, "item.proposed", "2026-10-01T10:00:00+00:00"),
        (1, "item.approved", "2026-10-03T23:59:59+00:00"),
        (1, "item.approved", "2026-10-02T08:00:00+00:00"),  # an earlier one, logged later
        (2, "item.proposed", "2026-10-05T12:00:00+00:00"),
        (2, "item.approved", "2026-10-09T12:00:00+00:00"),  # not the status it has
    ]
    conn.executemany(
        "INSERT INTO events (at, kind, summary, client_id, job_id, item_id) "
        "VALUES (?, ?, 's', 1, 1, ?)",
        [(at, kind, item) for item, kind, at in events],
    )
    conn.close()
    Store(db).close()
    conn = sqlite3.connect(db)
    days = dict(conn.execute("SELECT number, status_on FROM items"))
    conn.close()
    assert days == {1: "2026-10-03", 2: "2026-10-05", 3: "2026-11-20"}
