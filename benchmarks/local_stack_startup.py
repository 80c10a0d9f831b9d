"""Seconds from `LocalStack(...).start()` to Kratos ready, and to everything stopped.

Usage: .venv/bin/python benchmarks/local_stack_startup.py [--runs 3]

Each run uses a fresh state folder (so PostgreSQL runs initdb and Kratos migrates an empty
database: the cost a test session pays per stack) and the placeholder UI, so only Kratos,
the database and the servers are timed. Prints figures; never fails on a time.
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


if __name__ == "__main__":
    main()
