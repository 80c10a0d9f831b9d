"""How Kratos pods are replaced (a config change, a rotation, a drain) without a failed request.

A new pod takes traffic only once ready (on the database: stacks/probes.py), and an old one
leaves only after its replacement is ready. A stopping pod is still sent requests for a moment
(until its endpoint is gone from every Service, kube-proxy and Gateway), so it keeps serving
that long before Kratos is told to shut down.
"""

from __future__ import annotations

from typing import Any

# Long enough for endpoint removal to reach kube-proxy and the Gateway on a busy cluster.
PRE_STOP_SLEEP_SECONDS = 5


def rolling_update() -> dict[str, Any]:
    """The chart's top-level `strategy`: one extra pod at a time, never one fewer ready."""
    return {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}


def graceful_stop() -> dict[str, Any]:
    """`deployment.lifecycle`: the kubelet's own sleep action (Kubernetes 1.30+), since the
    Kratos image need not ship a `sleep` program."""
    return {"preStop": {"sleep": {"seconds": PRE_STOP_SLEEP_SECONDS}}}
