"""Probes for the courier StatefulSet, which chart 0.59.0 renders without any.

`kratos courier watch --expose-metrics-port` opens its metrics port only once Kratos has loaded
its config and reached the database, and the process exits when the worker stops; the port is
all the courier serves (no health path). So the probes are TCP checks of that port: ready once
started, restarted when it stops accepting, with the same start-up budget as Kratos serve. A TCP
check also keeps the courier's request log free of probe lines.

They are added by a server-side apply patch that the release comes before: Helm's three-way
merge leaves fields it never rendered alone, so upgrades and rollbacks keep them. The patch owns
only the probe fields of the courier container.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from stacks.chart import COURIER_CONTAINER, COURIER_METRICS_PORT_NAME
from stacks.options import child_options
from stacks.probes import STARTUP_FAILURE_THRESHOLD, STARTUP_PERIOD_SECONDS


@dataclass(frozen=True)
class CourierProbesArgs:
    namespace: pulumi.Input[str]
    # The courier's name, as an Output of the release, so the patch waits for the release.
    statefulset_name: pulumi.Input[str]


def courier_probes() -> dict[str, Any]:
    """The courier container's probes, as the pod spec takes them."""
    port = {"tcpSocket": {"port": COURIER_METRICS_PORT_NAME}}
    return {
        "startupProbe": {
            **port,
            "periodSeconds": STARTUP_PERIOD_SECONDS,
            "failureThreshold": STARTUP_FAILURE_THRESHOLD,
        },
        "readinessProbe": {**port, "periodSeconds": 10, "failureThreshold": 3},
        "livenessProbe": {**port, "periodSeconds": 10, "failureThreshold": 5},
    }


def courier_patch_spec() -> dict[str, Any]:
    """Only the courier container's name (its merge key) and its probes."""
    return {"template": {"spec": {"containers": [{"name": COURIER_CONTAINER, **courier_probes()}]}}}


class CourierProbes(pulumi.ComponentResource):
    """The server-side apply patch that gives the chart's courier its probes."""

    def __init__(
        self, name: str, args: CourierProbesArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("kratos-auth:stacks:CourierProbes", name, None, opts)
        self.patch = k8s.apps.v1.StatefulSetPatch(
            f"{name}-patch",
            metadata={"name": args.statefulset_name, "namespace": args.namespace},
            spec=courier_patch_spec(),
            opts=child_options(self, opts),
        )
        self.register_outputs({})
