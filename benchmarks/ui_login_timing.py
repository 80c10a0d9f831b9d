"""Time from navigation to a visible, usable login form, against the local stack in chromium.

Usage: .venv/bin/python benchmarks/ui_login_timing.py [--runs 5]

Starts a LocalStack (real Kratos, the built UI on its own origin), then opens the login page in a
fresh headless chromium profile each run and prints: milliseconds from navigation start until
the identifier field is visible and enabled, the number of requests and the bytes transferred.
Two entry points: /login (a route page, served directly) and /register?… (an unknown path that
goes through GitHub Pages' 404.html fallback). Prints figures; never fails on a time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Request, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from local_stack import LocalStack  # noqa: E402
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

READY = "input[name=identifier]:not([disabled]), input[name='traits.email']:not([disabled])"


@dataclass
class Run:
    wall_ms: float  # driver's clock: navigation request until the form is usable
    page_ms: float  # the final document's own clock (performance.now())
    requests: list[tuple[str, int]]  # (method host/path, bytes)


def measure(browser: Browser, base: str, path: str) -> Run:
    context = browser.new_context(base_url=base)
    page = context.new_page()
    done: list[Request] = []
    page.on("requestfinished", lambda r: done.append(r))
    started = time.perf_counter()
    page.goto(path, wait_until="commit")
    page.locator(READY).first.wait_for(state="visible")
    wall_ms = (time.perf_counter() - started) * 1000
    page_ms = float(page.evaluate("performance.now()"))
    requests = []
    for r in done:
        sizes = r.sizes()
        url = urlsplit(r.url)
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        requests.append((f"{r.method} {url.netloc}{url.path}", size))
    context.close()
    return Run(wall_ms, page_ms, requests)


def report(title: str, runs: list[Run]) -> None:
    wall = [r.wall_ms for r in runs]
    own = [r.page_ms for r in runs]
    print(title)
    print(
        f"  navigation -> visible usable form: median {statistics.median(wall):.0f} ms "
        f"(min {min(wall):.0f}, max {max(wall):.0f}) over {len(runs)} cold profiles; "
        f"final document's own clock median {statistics.median(own):.0f} ms"
    )
    last = runs[-1]
    total = sum(size for _, size in last.requests)
    print(
        f"  requests: {len(last.requests)}, transferred: {total} B ({total / 1024:.1f} KB; "
        "the local server does not gzip, GitHub Pages does: see benchmarks/ui_size.py)"
    )
    for label, size in last.requests:
        print(f"    {size:>7} B  {label}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ui-timing-") as tmp, LocalStack(Path(tmp)) as stack:
        print(f"UI {stack.ui_url}  Kratos {stack.kratos_public_url}")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            measure(browser, stack.ui_url, "/login")  # warm-up: Kratos's first request
            report(
                "GET /login (route page):",
                [measure(browser, stack.ui_url, "/login") for _ in range(args.runs)],
            )
            report(
                "GET /register?return_to=… (404.html fallback, then the app):",
                [
                    measure(browser, stack.ui_url, "/register?return_to=%2F")
                    for _ in range(args.runs)
                ],
            )
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
