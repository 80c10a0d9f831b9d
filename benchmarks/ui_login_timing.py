"""Time to a usable login/registration form, ours next to the smallest possible page, in chromium.

Usage: .venv/bin/python benchmarks/ui_login_timing.py [--runs 7] [--rtt 100] [--cpu 4]

Starts a LocalStack (real Kratos, the built UI on its own origin) and, next to the built UI, a
baseline page: one static HTML file whose few inline lines fetch the flow and render its inputs.
Each run is a fresh chromium profile. Prints, per page:
  - time to a usable form: from navigation start until the identifier (or email) field is on the
    page and enabled, by the page's own clock, with chromium's network emulation adding --rtt ms
    to every request; ours next to the baseline, and their ratio (goal: ours <= 0.8x). login.html
    and registration.html carry their first fields themselves, styled, before any script runs;
    the app moves what was typed into Kratos's form, whose arrival is printed too;
  - render: flow JSON in hand -> form on the page (the app's `flow-render` measure), without and
    with --cpu x CPU throttling (a machine under load); goal: median <= 8 ms;
  - requests and bytes of the last run (the local server does not gzip; see ui_size.py).
Prints figures; never fails on a time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Request, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from local_stack import LocalStack  # noqa: E402
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

READY = "input[name=identifier]:not([disabled]), input[name='traits.email']:not([disabled])"
FLOW_FORM = "form input[name=csrf_token]"
# Records, by the page's clock, when a usable identifier field first appears (login.html and
# registration.html have one before the flow exists) and when Kratos's form is on the page.
WATCH_READY = f"""
new MutationObserver((_, observer) => {{
  const now = performance.now();
  if (window.__usableAt === undefined && document.querySelector({json.dumps(READY)})) {{
    window.__usableAt = now;
  }}
  if (document.querySelector({json.dumps(FLOW_FORM)})) {{
    window.__formAt = now;
    observer.disconnect();
  }}
}}).observe(document, {{ childList: true, subtree: true }});
"""
# The smallest page that shows a Kratos flow: fetch it, one <input> per input node.
BASELINE = """<!doctype html>
<meta charset="utf-8"><title>baseline</title><main id="app"></main>
<script>
const headers = {Accept: "application/json"};
fetch("%(kratos)sself-service/%(kind)s/browser", {credentials: "include", headers})
  .then((res) => res.json())
  .then((flow) => {
    const form = document.createElement("form");
    for (const node of flow.ui.nodes) {
      if (node.type !== "input") continue;
      const input = document.createElement("input");
      input.name = node.attributes.name;
      input.type = node.attributes.type;
      if (node.attributes.value != null) input.value = node.attributes.value;
      form.append(input);
    }
    document.getElementById("app").append(form);
  });
</script>
"""


@dataclass
class Run:
    usable_ms: float  # navigation start -> usable form, page clock
    form_ms: float  # navigation start -> Kratos's form on the page
    render_ms: float | None  # the app's flow-render measure (None for the baseline)
    requests: list[tuple[str, int]]  # (method host/path, bytes)


def measure(browser: Browser, base: str, path: str, rtt: int, cpu: float) -> Run:
    context = browser.new_context(base_url=base)
    context.add_init_script(WATCH_READY)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    conditions = {
        "offline": False,
        "latency": rtt,
        "downloadThroughput": -1,
        "uploadThroughput": -1,
    }
    cdp.send("Network.emulateNetworkConditions", conditions)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    done: list[Request] = []
    page.on("requestfinished", lambda r: done.append(r))
    page.goto(path, wait_until="commit")
    page.locator(FLOW_FORM).first.wait_for(state="attached")
    usable, form = page.evaluate("[window.__usableAt, window.__formAt]")
    render = page.evaluate(
        "(performance.getEntriesByName('flow-render')[0] || {duration: null}).duration"
    )
    requests = []
    for r in done:
        sizes = r.sizes()
        url = urlsplit(r.url)
        requests.append(
            (
                f"{r.method} {url.netloc}{url.path}",
                sizes["responseBodySize"] + sizes["responseHeadersSize"],
            )
        )
    context.close()
    return Run(float(usable), float(form), render, requests)


def median(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):.1f} ms (min {min(values):.1f}, max {max(values):.1f})"
    )


def compare(browser: Browser, stack: LocalStack, kind: str, args: argparse.Namespace) -> None:
    ours_path, baseline_path = f"/{kind}", f"/baseline-{kind}.html"
    runs = {
        name: [measure(browser, stack.ui_url, path, args.rtt, 1) for _ in range(args.runs)]
        for name, path in (("ours", ours_path), ("baseline", baseline_path))
    }
    ours = statistics.median(r.usable_ms for r in runs["ours"])
    base = statistics.median(r.usable_ms for r in runs["baseline"])
    print(f"{kind}: time to a usable form at {args.rtt} ms RTT, {args.runs} cold profiles each")
    print(f"  ours     {ours_path:<24} {median([r.usable_ms for r in runs['ours']])}")
    print(f"  baseline {baseline_path:<24} {median([r.usable_ms for r in runs['baseline']])}")
    print(f"  ours / baseline = {ours / base:.2f} (goal <= 0.80)")
    print(
        f"  Kratos's form on the page: ours {median([r.form_ms for r in runs['ours']])}, "
        f"baseline {median([r.form_ms for r in runs['baseline']])}"
    )
    for label, size in runs["ours"][-1].requests:
        print(f"    {size:>7} B  {label}")
    idle = [r.render_ms for r in runs["ours"] if r.render_ms is not None]
    loaded = [measure(browser, stack.ui_url, ours_path, 0, args.cpu) for _ in range(args.runs)]
    busy = [r.render_ms for r in loaded if r.render_ms is not None]
    print(f"  render, flow JSON -> form: {median(idle)}; at {args.cpu:g}x CPU {median(busy)}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rtt", type=int, default=100, help="added latency per request, ms")
    parser.add_argument("--cpu", type=float, default=4, help="CPU slow-down for 'under load'")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ui-timing-") as tmp, LocalStack(Path(tmp)) as stack:
        assert stack.site_root is not None
        for kind in ("login", "registration"):
            page = BASELINE % {"kratos": stack.kratos_public_url, "kind": kind}
            (stack.site_root / f"baseline-{kind}.html").write_text(page)
        print(f"UI {stack.ui_url}  Kratos {stack.kratos_public_url}")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            measure(browser, stack.ui_url, "/login", 0, 1)  # warm-up: Kratos's first request
            for kind in ("login", "registration"):
                compare(browser, stack, kind, args)
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
