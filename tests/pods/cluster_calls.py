"""Small waits and calls the real-pods tests share: poll the API server with a deadline, and
reach a Service through a NodePort on the node's bridge address (never a ClusterIP from here:
a packet to a virtual address must not leave by the default route if kube-proxy is not there)."""

from __future__ import annotations

import json
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


def expose(cluster: LocalCluster, name: str, namespace: str, selector: dict[str, str],
           target_port: int) -> str:  # fmt: skip
    """Create a NodePort Service to the selected pods (the API server picks the port); its URL
    on the node's bridge address."""
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "type": "NodePort",
            "selector": selector,
            "ports": [{"port": 80, "targetPort": target_port, "protocol": "TCP"}],
        },
    }
    cluster.apply(json.dumps(service))
    service = cluster.get_json("service", "-n", namespace, name)
    port = service["spec"]["ports"][0]["nodePort"]
    assert cluster.network is not None
    return f"http://{cluster.network.gateway}:{port}"
