"""Time whole `shop` commands on a synthetic home at working scale, check what each printed,
and judge each against a floor measured in the same run.

    python benchmarks/run.py [--runs 5] [--out benchmarks/results.json] [--home DIR]
                             [--src DIR] [--only TEXT ...] [--clock cpu|wall]
                             [--markdown FILE]

Each command runs as a user runs it (a fresh process, output to a file), several times;
every run's output is checked (checks.py: rows listed, rows an import added, every item of a
proposal, an invoice's totals, against the database) and a wrong result fails the benchmark
however fast it was: the case is named and the exit status is 1. A budget not met gives 2.

Budgets are ratios, not seconds, to floors measured in the same run, round-robin with the
commands so that a busier or quieter machine moves both alike:
- `typer --help` and `typer command`: a bare Typer app with as many top-level commands as
  `shop`, three options each, plain help (`rich_markup_mode=None`) and the garbage collector
  paused while it starts, as cli/app.py sets both; its `--help`, and one of its commands run
  with its three options;
- `sqlite executemany`: the import's rows inserted by `executemany` in one transaction into
  the same indexed table of the same database; `sqlite backup API`: `Connection.backup` of
  the same database;
- per row: (median - `typer command`) / rows, against `export`'s per row;
- above start, for the bare-Python floors (backup, import): `shop`'s median less `typer
  command`'s against the floor's less `python -c pass`'s: the work alone on both sides;
- `invoice show --format text` for the PDF and .eml of the same (frozen) invoice.
Medians are of CPU time (user + system, the child's own: what the code costs, which other
work on the machine disturbs least) unless `--clock wall`; the table shows both. Peak memory
is the child's max RSS; commands are started by a small process of their own, since Linux
charges a child with the peak of the process it was forked from.

Every case runs once unmeasured first (compiling bytecode as an installed package has it,
filling the caches a shopper's folder has), then the measured runs go round all the cases.
Commands that write run on a fresh copy of their home each time (made untimed).
`--src` runs another checkout's `src` (e.g. the code before a change) on the same homes.
This is not a test and does not run in CI.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import checks  # noqa: E402
from checks import Output, Wrong  # noqa: E402

MEMORY_BUDGET_MB = 100
TODAY = "2026-12-01"

# The like-for-like Typer app: as many top-level commands as `shop`, three options each,
# plain help (`shop` sets rich_markup_mode=None), the same help option names, and the cyclic
# garbage collector paused while it starts, as cli/app.py pauses it (worth ~25 ms to both).
BARE_TYPER = '''
import gc

gc.disable()

from typing import Annotated

import typer

app = typer.Typer(
    rich_markup_mode=None, context_settings={{"help_option_names": ["-h", "--help"]}}
)


def make():
    def command(
        name: Annotated[str, typer.Option(help="A name to print.")] = "x",
        count: Annotated[int, typer.Option(help="How many to print.")] = 1,
        flag: Annotated[bool, typer.Option(help="Whether to print the flag.")] = False,
    ) -> None:
        """Print a name, a count and a flag."""
        gc.freeze()
        gc.enable()
        print(name, count, flag)

    return command


for n in range({commands}):
    app.command(f"command{{n}}")(make())
app()
'''

# The floor of an import: the CSV read by the csv module and its rows inserted with one
# executemany in one transaction into the same table of the same database (its indexes,
# foreign keys on, synchronous=NORMAL as shopcli opens it).
EXECUTEMANY = """
import csv, sqlite3, sys
db, path, title = sys.argv[1:4]
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("PRAGMA foreign_keys = ON")
conn.execute("PRAGMA synchronous = NORMAL")
job, client = conn.execute("SELECT id, client_id FROM jobs WHERE title = ?", [title]).fetchone()
start = conn.execute("SELECT max(number) FROM items WHERE job_id = ?", [job]).fetchone()[0]
people = dict(conn.execute("SELECT name, id FROM recipients WHERE client_id = ?", [client]))
now = "2026-12-01T10:00:00+00:00"
with open(path, newline="", encoding="utf-8") as handle:
    rows = csv.reader(handle)
    next(rows)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO items (job_id, number, recipient_id, title, store, url, price, currency, "
        "qty, size, colour, notes, status, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'candidate', ?, ?)",
        (
            (job, start + n, people[r[5]], r[0], r[1], r[2], r[3], r[4], int(r[8]),
             r[6] or None, r[7] or None, r[9] or None, now, now)
            for n, r in enumerate(rows, start=1)
        ),
    )
    conn.execute("COMMIT")
"""

BACKUP_API = """
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
source.backup(target)
target.close()
source.close()
"""

# Started first, while this process is small: it starts each command and reports its times
# and peak memory (a child forked from a big process is charged with the parent's peak).
SPAWNER = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    job = json.loads(line)
    with open(job["stdout"], "wb") as out, open(job["stderr"], "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(job["argv"], env=job["env"], cwd=job["cwd"],
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                      "peak_mb": usage.ru_maxrss / 1024, "code": proc.returncode}), flush=True)
"""


@dataclass
class Case:
    """One command as a shopper runs it, and what it must print or do."""

    name: str
    argv: list[str]
    home: Path
    check: Callable[[Output], dict | None]
    setup: Callable[[], None] | None = None
    runs: int | None = None  # at most this many measured runs (the slow setups)
    floor: bool = False
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    rows: int | None = None
    wrong: str | None = None


@dataclass(frozen=True)
class Budget:
    """`case` costs at most `ratio` times `floor` (per row when `per_row`)."""

    case: str
    floor: str
    ratio: float
    per_row: bool = False
    # The work alone: each side less the start of its own kind of process (`shop` less
    # `typer command`, a bare-Python floor less `python -c pass`), so Typer's start, budgeted
    # on its own, is not counted against SQLite's backup or insert.
    above_start: bool = False


class Spawner:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SPAWNER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, argv: list[str], env: dict, stdout: Path, stderr: Path) -> dict:
        job = {"argv": argv, "env": env, "cwd": str(HERE), "stdout": str(stdout)}
        job["stderr"] = str(stderr)
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        assert self.proc.stdin
        self.proc.stdin.close()
        self.proc.wait()


def run_case(case: Case, spawner: Spawner, env: dict, work: Path, measured: bool) -> None:
    """Run the case once and check what it did; a wrong result marks the case."""
    if case.setup:
        case.setup()
    out, err = work / "stdout", work / "stderr"
    done = spawner.run(case.argv, {**env, "SHOP_HOME": str(case.home)}, out, err)
    result = Output(out.read_bytes(), err.read_bytes(), case.home)
    try:
        if done["code"] != 0:
            raise Wrong(f"exit status {done['code']}: {result.err.strip()[:300]}")
        found = case.check(result) or {}
    except Wrong as exc:
        case.wrong = str(exc)
        return
    except Exception as exc:  # a check that cannot read the output: the output is wrong
        case.wrong = f"{type(exc).__name__}: {exc}"
        return
    case.rows = found.get("rows", case.rows)
    if measured:
        case.walls.append(done["wall"])
        case.cpus.append(done["cpu"])
        case.peaks.append(done["peak_mb"])


def measure(cases: list[Case], runs: int, spawner: Spawner, env: dict, work: Path) -> None:
    """Each case once unmeasured, then all of them round-robin `runs` times."""
    for case in cases:
        run_case(case, spawner, env, work, measured=False)
        if case.wrong:
            print(f"  WRONG {case.name}: {case.wrong}", flush=True)
    for number in range(runs):
        for case in cases:
            if case.wrong or (case.runs is not None and len(case.cpus) >= case.runs):
                continue
            run_case(case, spawner, env, work, measured=True)
            if case.wrong:
                print(f"  WRONG {case.name}: {case.wrong}", flush=True)
        print(f"  round {number + 1} of {runs} done", flush=True)


def fresh_copy(source: Path, target: Path) -> Callable[[], None]:
    """A setup: `target` becomes a copy of the home `source` (its database, write-ahead log
    and profile: nothing writes to the source meanwhile), written out before the timing."""

    def setup() -> None:
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(mode=0o700)
        for name in ("shop.db", "shop.db-wal", "profile.yaml"):
            if (source / name).exists():
                shutil.copy(source / name, target / name)
        os.sync()

    return setup


def derived_home(home: Path, target: Path, make: Callable[[Path], str]) -> str:
    """A copy of the synthetic home changed by `make` (built once, kept with --home)."""
    marker = target / "bench-title.txt"
    if marker.exists():
        return marker.read_text(encoding="utf-8")
    fresh_copy(home, target)()
    title = make(target / "shop.db")
    marker.write_text(title, encoding="utf-8")
    return title


def main() -> None:
    spawner = Spawner()  # first, while this process is small
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--home", type=Path, help="Reuse (or build) the synthetic homes here.")
    parser.add_argument("--src", type=Path, help="Run shopcli from this source folder instead.")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    parser.add_argument("--markdown", type=Path, help="Also write the table as Markdown here.")
    parser.add_argument(
        "--before", type=Path, help="An earlier run's JSON (--out): its ratios go in the table."
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="Run only the commands whose name contains TEXT (and the floors); repeatable.",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="shop-bench-"))
    base = args.home or work / "homes"
    home = base / "home"
    names_file = home / "bench-names.json"
    env = {**os.environ, "COLUMNS": "120"}
    # An installed package has its bytecode compiled; a source checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module on every run. Keep bytecode in the
    # work folder instead (for the floors too).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    for name in ("SHOP_PAGER", "PAGER", "SHOP_DEBUG"):
        env.pop(name, None)
    if args.src:
        env["PYTHONPATH"] = str(args.src.resolve())
        shop = [sys.executable, "-m", "shopcli"]
    else:
        found = shutil.which("shop", path=str(Path(sys.executable).parent))
        shop = [found] if found else [sys.executable, "-m", "shopcli"]

    def in_process(code: str, *argv: str) -> str:
        """Run Python code with the shopcli being measured (its output, stripped)."""
        done = subprocess.run(
            [sys.executable, "-c", code, *argv],
            cwd=HERE,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout.strip()

    if not names_file.exists():
        print(f"Building the synthetic home in {home} ...", flush=True)
        started = time.perf_counter()
        # In a process of its own, with the shopcli being measured.
        in_process(
            "import json, sys; from pathlib import Path; import synthetic; "
            "home = Path(sys.argv[1]); names = synthetic.build(home); "
            "(home / 'bench-names.json').write_text(json.dumps(names))",
            str(home),
        )
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    names = json.loads(names_file.read_text())
    import synthetic

    db = home / "shop.db"
    bulk = base / "bulk"
    bulk_job = derived_home(home, bulk, synthetic.add_bulk_job)
    billing = base / "billing"
    invoice_job = derived_home(home, billing, synthetic.add_invoice_job)
    replies = base / "replies"
    reply_job = derived_home(home, replies, synthetic.add_reply_job)
    reply = replies / "reply.eml"
    decisions = synthetic.reply_decisions(100)
    if not reply.exists():
        # The proposal is recorded by the shopcli being measured; the reply quotes it.
        renv = {**env, "SHOP_HOME": str(replies)}
        text = subprocess.run(
            [*shop, "propose", reply_job], env=renv, capture_output=True, check=True
        ).stdout.decode()
        page = subprocess.run(
            [*shop, "propose", reply_job, "--preview", "--format", "html"],
            env=renv,
            capture_output=True,
            check=True,
        ).stdout.decode()
        client = checks.one(
            replies / "shop.db",
            "SELECT c.name FROM jobs j JOIN clients c ON c.id = j.client_id WHERE j.title = ?",
            [reply_job],
        )
        synthetic.write_reply(reply, decisions, text, page, client=client, shopper="Bench Shopper")

    # Every home as a shopper's folder is: migrated to this shopcli's schema (a copy made for
    # a timed run must not upgrade itself while it is timed).
    for folder in (home, bulk, billing, replies):
        subprocess.run(
            [*shop, "client", "list", "--limit", "1"],
            env={**env, "SHOP_HOME": str(folder)},
            capture_output=True,
            check=True,
        )

    commands = int(
        in_process(
            "from typer.main import get_command; from shopcli.cli.app import app; "
            "print(len(get_command(app).list_commands(None)))"
        )
    )
    top_level = in_process(
        "from typer.main import get_command; from shopcli.cli.app import app; "
        "print(' '.join(get_command(app).list_commands(None)))"
    ).split()
    bare = work / "bare_typer.py"
    bare.write_text(BARE_TYPER.format(commands=commands))
    floor_scripts = {"executemany": EXECUTEMANY, "backup": BACKUP_API}
    for name, code in floor_scripts.items():
        (work / f"{name}.py").write_text(code)

    csv_path = work / "items.csv"
    synthetic.write_items_csv(csv_path, 100_000, recipient=names.get("recipient", ""))
    scratch = work / "scratch"
    scratch.mkdir()
    importing = scratch / "import"
    floor_home = scratch / "executemany"
    before_import = checks.one(
        db,
        "SELECT max(i.number) FROM items i JOIN jobs j ON j.id = i.job_id WHERE j.title = ?",
        [names["job"]],
    )
    items_before = checks.one(db, "SELECT count(*) FROM items")
    proposing = scratch / "propose"
    issuing = scratch / "issue"
    deciding = scratch / "decide"
    empty = scratch / "empty"
    backup_file = scratch / "backup.db"
    api_file = scratch / "backup-api.db"
    export_file = scratch / "export.json"
    export_zip = scratch / "export.zip"
    invoice = names["invoice"]
    today = dt.date.fromisoformat(TODAY)

    def removing(*paths: Path) -> Callable[[], None]:
        def setup() -> None:
            for path in paths:
                if path.is_dir():
                    shutil.rmtree(path)
                elif path.exists():
                    path.unlink()

        return setup

    def empty_folder() -> None:
        shutil.rmtree(empty, ignore_errors=True)
        empty.mkdir(mode=0o700)

    def cold_documents() -> None:
        """The invoice's kept answers and documents gone (its QR code, its PDF): the first
        showing after issuing. Compiled templates and the profile's checks stay, as any
        earlier command leaves them."""
        for kept in (home / ".cache").glob("*"):
            if kept.is_dir() and not kept.name.startswith("templates-"):
                shutil.rmtree(kept, ignore_errors=True)

    py = sys.executable
    cases = [
        Case("python -c pass", [py, "-c", "pass"], home, checks.python_pass, floor=True),
        Case(
            "typer --help", [py, str(bare), "--help"], home, checks.typer_help(commands), floor=True
        ),
        Case(
            "typer command",
            [py, str(bare), "command3", "--name", "y", "--count", "2", "--flag"],
            home,
            checks.typer_command,
            floor=True,
        ),
        Case(
            "sqlite executemany",
            [
                py,
                str(work / "executemany.py"),
                str(floor_home / "shop.db"),
                str(csv_path),
                names["job"],
            ],
            floor_home,
            checks.executemany_floor(floor_home / "shop.db", items_before, 100_000),
            setup=fresh_copy(home, floor_home),
            runs=3,
            floor=True,
        ),
        Case(
            "sqlite backup API",
            [py, str(work / "backup.py"), str(db), str(api_file)],
            home,
            checks.backup_floor(api_file, db),
            setup=removing(api_file),
            floor=True,
        ),
        Case("shop --help", [*shop, "--help"], home, checks.shop_help(top_level)),
        Case("path", [*shop, "path"], home, checks.path_show),
        Case("profile show", [*shop, "profile", "show"], home, checks.profile_show),
        Case(
            "client show",
            [*shop, "client", "show", names["client_name"]],
            home,
            checks.client_show(db, 1),
        ),
        Case(
            "recipient show",
            [*shop, "recipient", "show", names["recipient"]],
            home,
            checks.recipient_show(db, names["recipient"]),
        ),
        Case(
            "job show",
            [*shop, "job", "show", names["job"]],
            home,
            checks.job_show(db, names["job"]),
        ),
        Case(
            "item show",
            [*shop, "item", "show", f"{names['job']}/1"],
            home,
            checks.item_show(db, names["job"], 1),
        ),
        Case(
            "client list --limit 50",
            [*shop, "client", "list", "--limit", "50"],
            home,
            checks.client_list(db, 50),
        ),
        Case(
            "client list (empty folder)",
            [*shop, "client", "list"],
            empty,
            checks.nothing_created,
            setup=empty_folder,
        ),
        Case("client list (10k)", [*shop, "client", "list"], home, checks.client_list(db)),
        Case(
            "item list --job (500)",
            [*shop, "item", "list", "--job", names["big_job"]],
            home,
            checks.item_list_plain(db, names["big_job"]),
        ),
        Case("item list (100k)", [*shop, "item", "list"], home, checks.item_list_plain(db)),
        Case(
            "item list --json (100k)",
            [*shop, "item", "list", "--json"],
            home,
            checks.item_list_json(db),
        ),
        Case(
            "budget list (100k-item job)",
            [*shop, "budget", "list", bulk_job],
            bulk,
            checks.budget_list(bulk / "shop.db", bulk_job),
        ),
        Case(
            "propose --preview 500 items (text)",
            [*shop, "propose", names["big_job"], "--preview"],
            home,
            checks.proposal_text(checks.proposal_items(db, names["big_job"])),
        ),
        Case(
            "propose --preview 500 items (html)",
            [*shop, "propose", names["big_job"], "--preview", "--format", "html"],
            home,
            checks.proposal_html(checks.proposal_items(db, names["big_job"])),
        ),
        Case(
            "propose 500 items (recorded)",
            [*shop, "propose", names["big_job"]],
            proposing,
            checks.proposal_recorded(
                lambda out: out.home / "shop.db",
                names["big_job"],
                checks.proposal_items(db, names["big_job"]),
            ),
            setup=fresh_copy(home, proposing),
        ),
        Case(
            "decide 100 items (long reply)",
            [*shop, "decide", reply_job, "--reply", str(reply), "--yes"],
            deciding,
            checks.decided(lambda out: out.home / "shop.db", reply_job, decisions),
            setup=fresh_copy(replies, deciding),
        ),
        Case(
            "invoice --issue",
            [*shop, "invoice", invoice_job, "--issue", "--today", "2026-12-01"],
            issuing,
            checks.invoice_issued(
                lambda out: out.home / "shop.db",
                invoice_job,
                checks.percent_fee(billing / "shop.db", invoice_job),
            ),
            setup=fresh_copy(billing, issuing),
        ),
        Case(
            "invoice show --format text",
            [*shop, "invoice", "show", invoice],
            home,
            checks.invoice_text(db, invoice),
        ),
        Case(
            "invoice show --format html",
            [*shop, "invoice", "show", invoice, "--format", "html"],
            home,
            checks.invoice_html(db, invoice),
        ),
        Case(
            "invoice show --format pdf",
            [*shop, "invoice", "show", invoice, "--format", "pdf"],
            home,
            checks.invoice_pdf(db, invoice),
        ),
        Case(
            "invoice show --format eml",
            [*shop, "invoice", "show", invoice, "--format", "eml"],
            home,
            checks.invoice_eml(db, invoice),
        ),
        Case(
            "invoice show --format pdf (first)",
            [*shop, "invoice", "show", invoice, "--format", "pdf"],
            home,
            checks.invoice_pdf(db, invoice),
            setup=cold_documents,
            runs=3,
        ),
        Case(
            "invoice show --format eml (first)",
            [*shop, "invoice", "show", invoice, "--format", "eml"],
            home,
            checks.invoice_eml(db, invoice),
            setup=cold_documents,
            runs=3,
        ),
        Case(
            "agenda",
            [*shop, "agenda", "--today", TODAY],
            home,
            checks.agenda_screen(db, today),
        ),
        Case(
            "agenda --all --json",
            [*shop, "agenda", "--all", "--json", "--today", TODAY],
            home,
            checks.agenda_json(db, today),
        ),
        Case(
            "export",
            [*shop, "export", "-o", str(export_file)],
            home,
            checks.exported_json(db, export_file),
            setup=removing(export_file),
        ),
        Case(
            "export --format csv",
            [*shop, "export", "--format", "csv", "-o", str(export_zip)],
            home,
            checks.exported_csv(db, export_zip),
            setup=removing(export_zip),
        ),
        Case(
            "backup",
            [*shop, "backup", str(backup_file)],
            home,
            checks.backed_up(db),
            setup=removing(backup_file),
        ),
        Case(
            "import 100k items CSV",
            [*shop, "import", str(csv_path), "--job", names["job"]],
            importing,
            checks.imported(
                lambda out: out.home / "shop.db", csv_path, names["job"], before_import
            ),
            setup=fresh_copy(home, importing),
            runs=3,
        ),
    ]
    budgets = [
        Budget("shop --help", "typer --help", 1.3),
        *(
            Budget(name, "typer command", 1.1)
            for name in (
                "path",
                "profile show",
                "client show",
                "recipient show",
                "job show",
                "item show",
                "client list --limit 50",
            )
        ),
        Budget("item list --json (100k)", "export", 1.5, per_row=True),
        Budget("agenda --all --json", "export", 1.5, per_row=True),
        Budget("backup", "sqlite backup API", 2.0, above_start=True),
        Budget("budget list (100k-item job)", "typer command", 1.5),
        Budget("invoice show --format pdf", "invoice show --format text", 1.5),
        Budget("invoice show --format eml", "invoice show --format text", 1.5),
        Budget("import 100k items CSV", "sqlite executemany", 1.2, above_start=True),
    ]
    if args.only:
        needed = {b.floor for b in budgets for c in args.only if c in b.case}
        cases = [
            c for c in cases if c.floor or c.name in needed or any(t in c.name for t in args.only)
        ]

    print(f"Measuring {len(cases)} cases, {args.runs} rounds ({args.clock} time) ...", flush=True)
    measure(cases, args.runs, spawner, env, work)
    spawner.close()
    status = report(cases, budgets, args)
    # The scratch folder (copies for the floors, exports; the homes too unless --home): ~600 MB.
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(status)


def report(cases: list[Case], budgets: list[Budget], args: argparse.Namespace) -> int:
    """Print the table and the verdicts, write the JSON (and Markdown); the exit status."""
    by_name = {case.name: case for case in cases}
    clock = args.clock

    def median(case: Case, kind: str = clock) -> float:
        return statistics.median(case.cpus if kind == "cpu" else case.walls)

    def cost(case: Case, budget: Budget) -> float:
        """Seconds (per row: above the bare command's start, per row; above start: less the
        start of the case's own kind of process)."""
        if budget.above_start:
            start = "python -c pass" if case.floor else "typer command"
            return median(case) - median(by_name[start])
        if not budget.per_row:
            return median(case)
        start = median(by_name["typer command"])
        return (median(case) - start) / (case.rows or 1)

    verdicts: dict[str, dict] = {}
    over = []
    for budget in budgets:
        case, floor = by_name.get(budget.case), by_name.get(budget.floor)
        if not case or not floor or not case.cpus or not floor.cpus:
            continue
        ratio = cost(case, budget) / cost(floor, budget)
        verdicts[budget.case] = {
            "floor": budget.floor,
            "floor_s": median(floor),
            "ratio": ratio,
            "limit": budget.ratio,
            "per_row": budget.per_row,
            "above_start": budget.above_start,
            "ok": ratio <= budget.ratio,
        }
        if ratio > budget.ratio:
            over.append(budget.case)

    print()
    print(
        f"{'command':<36} {'cpu':>8} {'wall':>8} {'spread':>8} {'MB':>6} {'rows':>7}  "
        f"budget ({clock})"
    )
    results = []
    wrong = []
    for case in cases:
        if case.wrong:
            wrong.append(case.name)
            print(f"{case.name:<36} WRONG: {case.wrong}")
            results.append({"name": case.name, "wrong": case.wrong})
            continue
        if not case.cpus:
            continue
        values = case.cpus if clock == "cpu" else case.walls
        spread = max(values) - min(values)
        verdict = verdicts.get(case.name)
        text = ""
        if verdict:
            unit = " per row" if verdict["per_row"] else ""
            text = (
                f"{'ok' if verdict['ok'] else 'OVER'} {verdict['ratio']:.2f}x{unit} "
                f"(<= {verdict['limit']}x {verdict['floor']})"
            )
        peak = max(case.peaks)
        if peak > MEMORY_BUDGET_MB:
            text += f" MEMORY OVER {MEMORY_BUDGET_MB} MB"
            over.append(case.name)
        print(
            f"{case.name:<36} {median(case, 'cpu') * 1000:6.0f}ms "
            f"{median(case, 'wall') * 1000:6.0f}ms {spread * 1000:6.0f}ms {peak:6.1f} "
            f"{case.rows or '':>7}  {text}"
        )
        results.append(
            {
                "name": case.name,
                "cpu_s": median(case, "cpu"),
                "wall_s": median(case, "wall"),
                "min_s": min(values),
                "max_s": max(values),
                "peak_mb": peak,
                "rows": case.rows,
                "runs": len(values),
                "budget": verdict,
            }
        )
    load = os.getloadavg()
    args.out.write_text(
        json.dumps(
            {
                "src": str(args.src or ""),
                "clock": clock,
                "load": load,
                "results": results,
            },
            indent=2,
        )
    )
    print(f"\nLoad average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"Wrote {args.out}")
    if args.markdown:
        before = json.loads(args.before.read_text())["results"] if args.before else []
        args.markdown.write_text(markdown(cases, verdicts, median, by_name, before))
        print(f"Wrote {args.markdown}")
    if wrong:
        print(f"\nWRONG RESULTS (the benchmark fails): {', '.join(wrong)}")
        return 1
    if over:
        print(f"\nOver budget: {', '.join(over)}")
        return 2
    return 0


def markdown(cases: list[Case], verdicts: dict, median, by_name: dict, before: list) -> str:
    """The README's table: per command our median, the floor's and the ratio (and, given an
    earlier run, its ratio)."""
    earlier = {r["name"]: r for r in before if "wrong" not in r}
    lines = [
        "| command | ours | floor | floor's | ratio | budget | before | peak |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for case in cases:
        if case.wrong or not case.cpus:
            continue
        verdict = verdicts.get(case.name)
        ours = _ms(median(case))
        old = earlier.get(case.name)
        peak = f"{max(case.peaks):.0f} MB"
        if verdict is None:
            was = _ms(old["cpu_s"]) if old else ""
            lines.append(f"| `{case.name}` | {ours} | | | | | {was} | {peak} |")
            continue
        floor = by_name[verdict["floor"]]
        unit = " a row" if verdict["per_row"] else ""
        floor_value = _ms(median(floor))
        if verdict.get("above_start"):
            ours = f"{ours} ({_ms(median(case) - median(by_name['typer command']))} above start)"
            start = median(by_name["python -c pass"])
            floor_value = f"{floor_value} ({_ms(median(floor) - start)} above start)"
        if verdict["per_row"]:
            start = median(by_name["typer command"])
            ours = f"{(median(case) - start) / case.rows * 1e6:.1f} µs a row"
            floor_value = f"{(median(floor) - start) / floor.rows * 1e6:.1f} µs a row"
        was = f"{old['budget']['ratio']:.2f}x" if old and old.get("budget") else ""
        lines.append(
            f"| `{case.name}` | {ours} | `{verdict['floor']}` | {floor_value} | "
            f"{verdict['ratio']:.2f}x{unit} | ≤ {verdict['limit']}x | {was} | {peak} |"
        )
    return "\n".join(lines) + "\n"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


if __name__ == "__main__":
    main()
