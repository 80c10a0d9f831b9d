"""Waiting for a child process's service to come up: poll with a deadline, fail early if the
child died, and say why in one line."""

from __future__ import annotations

import time
from collections.abc import Callable

from local_cluster.errors import ClusterError
from local_stack.processes import Child, error_summary


def wait_for(check: Callable[[], bool], timeout: float, what: str, child: Child | None) -> None:
    """Poll until check() holds; fail early, with the child's last error, if it died."""
    deadline = time.monotonic() + timeout
    while not check():
        if child is not None and child.exited() is not None:
            raise ClusterError(f"{what}: {child.name} exited ({error_summary(child.log_file)})")
        if time.monotonic() > deadline:
            detail = f" (last log line: {error_summary(child.log_file)})" if child else ""
            raise ClusterError(f"{what}: not done after {timeout:.0f}s{detail}")
        time.sleep(0.2)
