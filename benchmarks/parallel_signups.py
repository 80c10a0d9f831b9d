"""10 users signing up at the same instant on the local stack: server errors and latency.

Usage: .venv/bin/python benchmarks/parallel_signups.py [--postgres] [--users 10] [--rounds 3]

Each round releases `--users` two-step API sign-ups at once against a fresh local stack
(sqlite by default, PostgreSQL with --postgres). Prints figures; never fails on a time.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from local_stack import LocalStack  # noqa: E402
from local_stack.signup_probe import SignUp, parallel_sign_ups  # noqa: E402


def run(postgres: bool, users: int, rounds: int) -> list[list[SignUp]]:
    state_dir = Path(tempfile.mkdtemp(prefix="parallel-signups-"))
    state_dir.chmod(0o755)  # PostgreSQL runs as the postgres user when we are root
    try:
        with LocalStack(state_dir, postgres=postgres, site_dir=None) as stack:
            return [parallel_sign_ups(stack.kratos_public_url, users) for _ in range(rounds)]
    finally:
        shutil.rmtree(state_dir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of sqlite")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    database = "PostgreSQL" if args.postgres else "sqlite"
    results = run(args.postgres, args.users, args.rounds)
    for number, signups in enumerate(results, start=1):
        seconds = sorted(s.seconds for s in signups)
        errors = [status for s in signups for status in s.server_errors]
        print(
            f"{database} round {number}: {sum(s.succeeded for s in signups)}/{len(signups)} "
            f"signed up, {len(errors)} 5xx {sorted(set(errors)) or ''}, "
            f"median {statistics.median(seconds):.2f}s, slowest {seconds[-1]:.2f}s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
