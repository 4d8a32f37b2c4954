"""Two processes issuing invoices at the same time never share a number nor leave a gap."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from billing_helpers import job, ready

pytestmark = pytest.mark.slow

# A worker: wait for the start signal, then issue one invoice per job, each in a fresh
# connection, as fast as it can (the other worker does the same at the same time).
WORKER = """
import os, sys, time
from pathlib import Path
from shopcli.billing import invoices
from shopcli.billing import issuing
from shopcli.work import jobs
from shopcli.storage import open_store

go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.005)
for title in sys.argv[2:]:
    store = open_store()
    try:
        issuing.issue(store, jobs.get(store, title))
    finally:
        store.close()
"""


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "SHOP_HOME": str(home), "SHOP_TODAY": "2026-06-20"}


def _check(store, expected: int) -> None:
    rows = store.query("SELECT number, seq, job_id FROM invoices ORDER BY seq")
    numbers = [row["number"] for row in rows]
    assert len(numbers) == len(set(numbers)) == expected, numbers
    assert [row["seq"] for row in rows] == list(range(1, expected + 1))
    assert numbers == [f"2026-{n:04d}" for n in range(1, expected + 1)]
    assert len({row["job_id"] for row in rows}) == expected  # one invoice per job


def test_two_processes_issue_many_invoices_at_once(shop, store, home: Path, tmp_path: Path) -> None:
    rounds = 30
    ready(shop, fee="flat:10")
    titles = [f"Race {n:02d}" for n in range(2 * rounds)]
    for title in titles:
        job(shop, title, fee="flat:10")
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(go), *titles[side::2]],
            env=_env(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for side in (0, 1)
    ]
    time.sleep(0.3)
    go.touch()
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    _check(store, 2 * rounds + 0)


def test_two_cli_processes_issue_at_the_same_time(shop, store, home: Path) -> None:
    rounds = 6
    ready(shop, fee="flat:10")
    for n in range(2 * rounds):
        job(shop, f"Round {n:02d}", fee="flat:10")
    for n in range(rounds):
        pair = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "shopcli",
                    "invoice",
                    f"Round {2 * n + side:02d}",
                    "--issue",
                ],
                env=_env(home),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for side in (0, 1)
        ]
        for process in pair:
            _out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            assert "Issued invoice 2026-" in err
    _check(store, 2 * rounds)
