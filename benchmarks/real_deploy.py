"""How long the real engine takes on the local cluster: toolchain (warm), cluster start, the
dev stack's `up`, a no-change preview, a no-change `up` and `destroy`.

Goals: `up` ≤ 60 s, no-change preview ≤ 15 s, warm toolchain ≤ 60 s. Prints figures; never
fails on time. The chart is KRATOS_CHART_DIR when set, else the deploy tier's stand-in chart.

    .venv/bin/python benchmarks/real_deploy.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from local_cluster import LocalCluster  # noqa: E402
from local_cluster.engine import Deployment  # noqa: E402
from local_cluster.stack_config import cluster_stack_config, prepare_cluster  # noqa: E402
from local_cluster.toolchain import find_toolchain  # noqa: E402
from stack_settings.model import DEFAULT_CHART_VERSION, DEFAULT_IMAGE_TAG  # noqa: E402
from tests.deploy.stand_in_chart import write_stand_in_chart  # noqa: E402

GOALS = {"toolchain (warm)": 60.0, "up": 60.0, "no-change preview": 15.0}
T = TypeVar("T")


def timed(label: str, action: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - started
    goal = GOALS.get(label)
    verdict = (
        "" if goal is None else f" (goal ≤ {goal:.0f} s: {'met' if elapsed <= goal else 'missed'})"
    )
    print(f"{label:<20} {elapsed:6.1f} s{verdict}", flush=True)
    return result


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-deploy-") as scratch:
        chart = os.environ.get("KRATOS_CHART_DIR") or str(
            write_stand_in_chart(Path(scratch), DEFAULT_CHART_VERSION, DEFAULT_IMAGE_TAG)
        )
        print(f"chart: {chart}")
        toolchain = timed("toolchain (warm)", find_toolchain)
        cluster = LocalCluster(Path(scratch) / "cluster", toolchain=toolchain)
        try:
            timed("cluster start", cluster.start)
            config = cluster_stack_config("dev", chart)
            prepare_cluster(cluster, config)
            deployment = Deployment(
                "dev",
                config,
                kubeconfig=cluster.kubeconfig,
                toolchain=toolchain,
                state_dir=Path(scratch) / "state",
            )
            timed("up", deployment.up)
            timed("no-change preview", lambda: deployment.preview(expect_no_changes=True))
            timed("no-change up", deployment.up)
            timed("refresh", deployment.refresh)
            timed("destroy", deployment.destroy)
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
