"""Small waits and calls the real-pods tests share: poll with a deadline, read a pod's phase,
GET a URL counting a refused connection as a failure."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import TypeVar

from local_cluster import LocalCluster

T = TypeVar("T")


def poll(check: Callable[[], T | None], timeout: float, what: str) -> T:
    """check() until it returns something truthy; fail naming what was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f}s")
        time.sleep(0.5)


def pod_phase(cluster: LocalCluster, namespace: str, name: str) -> str:
    pod = cluster.get_json("pod", "-n", namespace, name)
    return str(pod.get("status", {}).get("phase", ""))


def http_get(
    url: str, timeout: float = 5, headers: dict[str, str] | None = None
) -> tuple[int, str]:
    """Status and body; a refused or reset connection is status 0 (it counts as a failure)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as response:
            return int(response.status), response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode(errors="replace")
    except OSError:
        return 0, ""
