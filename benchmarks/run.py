"""Time whole `shop` commands on a synthetic home at working scale; print a table, write JSON.

    python benchmarks/run.py [--runs 5] [--out benchmarks/results.json] [--home DIR]
                             [--src DIR] [--only TEXT ...]

Each command runs as a user runs it (a fresh process), several times; medians and spread
are shown beside the floor measured in the same run: `python -c pass`, and a bare
ten-command Typer app's `--help` and trivial command. Peak memory is the child's max RSS.

Peak memory below the first line's (`python -c pass`) is the harness's own size: Linux
reports a child's peak as at least that of the process it was started from.

Every case runs once unmeasured first (compiling bytecode as an installed package has it,
applying a pending migration, filling the template cache), then the measured runs go round
all the cases in turn, so a machine that gets busier or quieter affects every case alike.
`--src` runs another checkout's `src` (e.g. the code before a change) on the same home.
This is not a test and does not run in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

BARE_TYPER = """
import typer
app = typer.Typer()
for n in range(10):
    def cmd(name: str = "x") -> None:
        "A command."
        print(name)
    app.command(f"cmd{n}")(cmd)
app()
"""

# Budgets from the performance issue: (seconds, or a ratio to a floor).
BUDGETS = {
    "shop --help": ("ratio", "typer --help", 1.3),
    "client show": ("ratio", "typer command", 1.5),
    "client list (10k)": ("seconds", 0.5),
    "client list --limit 50": ("seconds", 0.5),
    "item list --job": ("seconds", 0.5),
    "item list (100k, plain)": ("seconds", None),
    "budget list": ("seconds", 0.5),
    "propose 500 items (text)": ("seconds", 0.3),
    "propose 500 items (html)": ("seconds", 0.3),
    "invoice show --format html": ("seconds", 0.3),
    "agenda": ("seconds", 0.3),
    "agenda --json (all)": ("seconds", None),
    "import 100k items CSV": ("seconds", 1.5),
    "export": ("seconds", 2.0),
    "export --format csv": ("seconds", None),
}
MEMORY_BUDGET_MB = 100


def run_once(argv: list[str], env: dict, setup=None) -> tuple[float, float, int]:
    """(seconds, peak MB, exit code) for one fresh process."""
    if setup:
        setup()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {err.strip()[:300]}")
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def measure(cases: list[tuple], runs: int) -> list[dict]:
    """Warm each case up once, then run the cases round-robin `runs` times."""
    times: dict[str, list[float]] = {case[0]: [] for case in cases}
    peaks: dict[str, list[float]] = {case[0]: [] for case in cases}
    for _name, argv, env, setup in cases:
        run_once(argv, env, setup)
    for round_number in range(runs):
        for name, argv, env, setup in cases:
            if setup and round_number >= max(3, runs // 2):
                continue  # the import copies a 60 MB database first: fewer runs
            seconds, peak, _ = run_once(argv, env, setup)
            times[name].append(seconds)
            peaks[name].append(peak)
        print(f"  round {round_number + 1} of {runs} done", flush=True)
    return [
        {
            "name": name,
            "median_s": statistics.median(times[name]),
            "min_s": min(times[name]),
            "max_s": max(times[name]),
            "peak_mb": max(peaks[name]),
            "runs": len(times[name]),
        }
        for name, *_ in cases
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--home", type=Path, help="Reuse (or build) the synthetic home here.")
    parser.add_argument("--src", type=Path, help="Run shopcli from this source folder instead.")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="Run only the commands whose name contains TEXT (and the floors); repeatable.",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="shop-bench-"))
    home = args.home or work / "home"
    names_file = home / "bench-names.json"
    if not names_file.exists():
        print(f"Building the synthetic home in {home} ...", flush=True)
        started = time.perf_counter()
        # In a process of its own: a child's peak memory as wait4 reports it is never below
        # this process's (Linux charges a child's exec with the memory it was forked from).
        code = (
            "import json, sys; from pathlib import Path; import synthetic; "
            "home = Path(sys.argv[1]); names = synthetic.build(home); "
            "(home / 'bench-names.json').write_text(json.dumps(names))"
        )
        subprocess.run([sys.executable, "-c", code, str(home)], cwd=HERE, check=True)
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    names = json.loads(names_file.read_text())
    import synthetic

    shop = [sys.executable, "-m", "shopcli"]
    shop_bin = shutil.which("shop", path=str(Path(sys.executable).parent)) or None
    if shop_bin:
        shop = [shop_bin]
    env = {**os.environ, "SHOP_HOME": str(home), "COLUMNS": "120"}
    # An installed package has its bytecode compiled; a source checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module on every run. Keep bytecode in the
    # work folder instead (for the floors too).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    if args.src:
        env["PYTHONPATH"] = str(args.src.resolve())
    bare = work / "bare_typer.py"
    bare.write_text(BARE_TYPER)

    csv_path = work / "items.csv"
    synthetic.write_items_csv(csv_path, 100_000, recipient=names.get("recipient", ""))
    import_home = work / "import-home"

    def fresh_import_home() -> None:
        """The home's database as it is (with its write-ahead log: nothing writes meanwhile)."""
        shutil.rmtree(import_home, ignore_errors=True)
        import_home.mkdir()
        for name in ("shop.db", "shop.db-wal", "profile.yaml"):
            if (home / name).exists():
                shutil.copy(home / name, import_home / name)
        os.sync()  # the copy written out now, not while the import runs

    import_env = {**env, "SHOP_HOME": str(import_home)}
    cases = [
        ("python -c pass", [sys.executable, "-c", "pass"], env, None),
        ("typer --help", [sys.executable, str(bare), "--help"], env, None),
        ("typer command", [sys.executable, str(bare), "cmd3", "--name", "y"], env, None),
        ("shop --help", [*shop, "--help"], env, None),
        ("client show", [*shop, "client", "show", names["client_name"]], env, None),
        ("client list (10k)", [*shop, "client", "list"], env, None),
        ("client list --limit 50", [*shop, "client", "list", "--limit", "50"], env, None),
        ("item list --job", [*shop, "item", "list", "--job", names["big_job"]], env, None),
        ("item list (100k, plain)", [*shop, "item", "list"], env, None),
        ("budget list", [*shop, "budget", "list", names["big_job"]], env, None),
        ("propose 500 items (text)", [*shop, "propose", names["big_job"], "--preview"], env, None),
        (
            "propose 500 items (html)",
            [*shop, "propose", names["big_job"], "--preview", "--format", "html"],
            env,
            None,
        ),
        ("agenda", [*shop, "agenda", "--today", "2026-12-01"], env, None),
        ("agenda --json (all)", [*shop, "agenda", "--json", "--today", "2026-12-01"], env, None),
        ("export", [*shop, "export", "-o", str(work / "export.json")], env, None),
        (
            "export --format csv",
            [*shop, "export", "--format", "csv", "-o", str(work / "export.zip")],
            env,
            None,
        ),
        (
            "import 100k items CSV",
            [*shop, "import", str(csv_path), "--job", names["job"]],
            import_env,
            fresh_import_home,
        ),
    ]
    if names.get("invoice"):
        cases.insert(
            11,
            (
                "invoice show --format html",
                [*shop, "invoice", "show", names["invoice"], "--format", "html"],
                env,
                None,
            ),
        )
    if args.only:
        floors = ("python -c pass", "typer --help", "typer command")
        cases = [c for c in cases if c[0] in floors or any(t in c[0] for t in args.only)]
    results = measure(cases, args.runs)

    floors = {r["name"]: r["median_s"] for r in results}
    print()
    print(f"{'command':<30} {'median':>9} {'min':>9} {'max':>9} {'peak MB':>8}  budget")
    for r in results:
        verdict = ""
        budget = BUDGETS.get(r["name"])
        if budget and budget[0] == "ratio":
            limit = floors[budget[1]] * budget[2]
            verdict = f"{'ok' if r['median_s'] <= limit else 'OVER'} (<= {budget[2]}x {budget[1]})"
        elif budget and budget[1] is not None:
            verdict = f"{'ok' if r['median_s'] <= budget[1] else 'OVER'} (< {budget[1]} s)"
        if r["peak_mb"] > MEMORY_BUDGET_MB:
            verdict += f" MEMORY OVER {MEMORY_BUDGET_MB} MB"
        r["verdict"] = verdict
        print(
            f"{r['name']:<30} {r['median_s'] * 1000:7.1f}ms {r['min_s'] * 1000:7.1f}ms "
            f"{r['max_s'] * 1000:7.1f}ms {r['peak_mb']:8.1f}  {verdict}"
        )
    args.out.write_text(
        json.dumps({"home": str(home), "src": str(args.src or ""), "results": results}, indent=2)
    )
    print(f"\nWrote {args.out}")
    if not args.home:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
