"""How long the real-pods tier takes: the cluster with its real node (containerd, images,
kubelet, kube-proxy) from a warm toolchain, its clean stop, and with KRATOS_CHART_DIR the dev
stack's `up` onto real pods plus a config change measured by a client polling throughout.

Prints figures; never fails on time. Needs root (the node adds a bridge, chains and cgroups).

    .venv/bin/python benchmarks/real_pods.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from local_cluster import LocalCluster  # noqa: E402
from local_cluster.pod_stack import deployed_stack  # noqa: E402
from local_cluster.toolchain import find_toolchain  # noqa: E402


def seconds_since(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"


def status_of(url: str) -> int:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=5) as response:
            return int(response.status)
    except OSError:
        return 0


def node_only() -> None:
    started = time.perf_counter()
    toolchain = find_toolchain()
    print(f"toolchain (warm): {seconds_since(started)}")
    cluster = LocalCluster(toolchain=toolchain, real_pods=True)
    started = time.perf_counter()
    cluster.start()
    print(f"cluster with a real node (images built and imported): {seconds_since(started)}")
    started = time.perf_counter()
    cluster.stop()
    print(f"stop, host cleaned: {seconds_since(started)}")


def with_chart(chart: Path) -> None:
    state = Path(tempfile.mkdtemp(prefix="bench-pods-"))
    state.chmod(0o755)
    started = time.perf_counter()
    with deployed_stack(chart, state) as stack:
        print(f"cluster + platform + `up` onto real pods: {seconds_since(started)}")
        print(f"`up` onto real pods: {stack.up_seconds:.1f} s")
        answers: Counter[int] = Counter()
        stop = threading.Event()

        def poll() -> None:
            while not stop.is_set():
                answers[status_of(f"{stack.public_url}/health/ready")] += 1
                stop.wait(0.05)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        started = time.perf_counter()
        stack.redeploy(flowLifespan="50m")
        print(f"config change `up` (pods rolled): {seconds_since(started)}")
        stop.set()
        poller.join()
        failed = sum(n for status, n in answers.items() if status != 200)
        print(f"requests during the change: {sum(answers.values())}, failed: {failed}")
        started = time.perf_counter()
        stack.deployment.destroy()
        print(f"destroy: {seconds_since(started)}")


if __name__ == "__main__":
    node_only()
    chart_dir = os.environ.get("KRATOS_CHART_DIR")
    if chart_dir:
        with_chart(Path(chart_dir))
    else:
        print("KRATOS_CHART_DIR not set: no `up` onto real pods measured")
