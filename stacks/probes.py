"""Kratos's health probes, as the Ory chart 0.59.0 takes them (deployment-kratos.yaml).

The chart's own readiness probe asks `/admin/health/alive`, which never looks at the database,
and it sets no liveness probe; both are replaced here. Its startup probe already asks
`/admin/health/ready`, so only its budget is set.
"""

from __future__ import annotations

from typing import Any

from stacks.chart import ADMIN_PORT_NAME

READY_PATH = "/admin/health/ready"  # answers 200 only once the database answers
ALIVE_PATH = "/admin/health/alive"  # the process serves; restarting would not fix a database
# How long a pod may take to reach its database before it is restarted: 60 x 5 s = 5 minutes.
STARTUP_PERIOD_SECONDS = 5
STARTUP_FAILURE_THRESHOLD = 60


def _http_get(path: str) -> dict[str, Any]:
    # The chart's probes send Host 127.0.0.1 too; kept, so the admin API sees the same request.
    return {
        "path": path,
        "port": ADMIN_PORT_NAME,
        "httpHeaders": [{"name": "Host", "value": "127.0.0.1"}],
    }


def startup_budget_seconds() -> int:
    return STARTUP_PERIOD_SECONDS * STARTUP_FAILURE_THRESHOLD


def health_probes() -> dict[str, Any]:
    """The `deployment.*Probe` values: ready on the database, alive on the process."""
    return {
        "customReadinessProbe": {
            "httpGet": _http_get(READY_PATH),
            "periodSeconds": 10,
            "timeoutSeconds": 2,
            "failureThreshold": 3,
        },
        "customLivenessProbe": {
            "httpGet": _http_get(ALIVE_PATH),
            "periodSeconds": 10,
            "timeoutSeconds": 2,
            "failureThreshold": 5,
        },
        # Merged by the chart under its own httpGet on /admin/health/ready.
        "startupProbe": {
            "initialDelaySeconds": 1,
            "periodSeconds": STARTUP_PERIOD_SECONDS,
            "timeoutSeconds": 2,
            "failureThreshold": STARTUP_FAILURE_THRESHOLD,
            "successThreshold": 1,
        },
    }
