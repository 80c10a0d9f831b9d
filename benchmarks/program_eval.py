"""How long one evaluation of the Pulumi program takes per stack, under mocks, next to a bare
`import pulumi_kubernetes, pulumi_cloudflare` (the floor any program with these providers pays).

Each figure is the median of fresh subprocesses, so imports are counted the way `pulumi up`
pays them. Target: program ≤ 1.5× the bare imports. Prints figures; never fails on time.

    .venv/bin/python benchmarks/program_eval.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.5
BARE_IMPORTS = "import pulumi, pulumi_kubernetes, pulumi_cloudflare"
PROGRAM = (
    "from tests.program.harness import run_stack_file\n"
    "run = run_stack_file({stack!r})\n"
    "assert run.error is None, run.error\n"
    "assert run.resources\n"
)


def seconds(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-W", "ignore", "-c", code], cwd=ROOT, check=True)
    return time.perf_counter() - started


def median_seconds(code: str, runs: int) -> float:
    seconds(code)  # warm the OS file cache so the first run does not skew the median
    return statistics.median(seconds(code) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="subprocesses per figure")
    parser.add_argument("--stacks", nargs="*", default=None, help="default: every stack file")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from stack_settings import stack_names

    stacks = args.stacks or stack_names(ROOT)
    bare = median_seconds(BARE_IMPORTS, args.runs)
    print(f"bare imports (pulumi, pulumi_kubernetes, pulumi_cloudflare): {bare:.2f} s")
    worst = 0.0
    for stack in stacks:
        program = median_seconds(PROGRAM.format(stack=stack), args.runs)
        ratio = program / bare
        worst = max(worst, ratio)
        print(
            f"program evaluation, stack {stack}: {program:.2f} s "
            f"(+{program - bare:.2f} s, {ratio:.2f}x the bare imports)"
        )
    verdict = "within" if worst <= TARGET_RATIO else "OVER"
    print(f"worst ratio {worst:.2f}x, {verdict} the {TARGET_RATIO}x target (median of {args.runs})")


if __name__ == "__main__":
    main()
