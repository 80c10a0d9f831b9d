"""Seconds from `LocalStack(...).start()` to Kratos ready, and to everything stopped.

Usage: .venv/bin/python benchmarks/local_stack_startup.py [--runs 3]

Each cold run uses a fresh state folder (so PostgreSQL runs initdb and Kratos migrates an empty
database: the cost a test session pays per stack) and the placeholder UI, so only Kratos,
the database and the servers are timed. The warm start is `make local`'s second start: same
state folder, the real UI already built for the same settings (goal: 2 s or less).
Prints figures; never fails on a time.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from local_stack import LocalStack  # noqa: E402
from local_stack.ports import free_local_ports  # noqa: E402


def one_run(postgres: bool) -> tuple[float, float]:
    state_dir = Path(tempfile.mkdtemp(prefix="local-stack-bench-"))
    state_dir.chmod(0o755)  # PostgreSQL runs as the postgres user when we are root
    try:
        stack = LocalStack(state_dir, postgres=postgres, site_dir=None)
        began = time.perf_counter()
        stack.start()
        ready = time.perf_counter()
        stack.stop()
        stopped = time.perf_counter()
        return ready - began, stopped - ready
    finally:
        shutil.rmtree(state_dir, ignore_errors=True)


def warm_starts(runs: int) -> list[float]:
    """Start→ready of a stack whose state folder and built UI are kept from a first start."""
    state_dir = Path(tempfile.mkdtemp(prefix="local-stack-bench-warm-"))
    try:
        ports = free_local_ports()
        with LocalStack(state_dir, ports):  # the cold start: migrates and builds the UI
            pass
        times = []
        for _ in range(runs):
            stack = LocalStack(state_dir, ports)
            began = time.perf_counter()
            stack.start()
            times.append(time.perf_counter() - began)
            stack.stop()
        return times
    finally:
        shutil.rmtree(state_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for database, postgres in (("sqlite", False), ("postgres", True)):
        runs = [one_run(postgres) for _ in range(args.runs)]
        start = statistics.median(r[0] for r in runs)
        stop = statistics.median(r[1] for r in runs)
        print(
            f"{database:9} start→ready {start:5.2f}s   stop {stop:5.2f}s   (median of {args.runs})"
        )
    warm = statistics.median(warm_starts(args.runs))
    print(f"warm start (sqlite, UI built) start→ready {warm:5.2f}s   (median of {args.runs})")


if __name__ == "__main__":
    main()
