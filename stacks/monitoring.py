"""Metrics and alerts for one stack's Kratos, as prometheus-operator objects: a ServiceMonitor
on the admin Service's metrics endpoint and a PrometheusRule.

Metric names: Kratos v1.3.1 records every public and admin request in `http_requests_total`
(ory/x prometheusx, labels code/method/endpoint) and exposes it on the admin port; Job and
StatefulSet state comes from kube-state-metrics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from stack_settings import ClusterSettings
from stack_settings.model import MonitoringSettings
from stacks.chart import (
    ADMIN_METRICS_PATH,
    ADMIN_SERVICE_PORT_NAME,
    admin_service_name,
    admin_service_selector,
    courier_name,
    fullname,
)
from stacks.labels import stack_labels
from stacks.migration import job_name_regex, migration_selector
from stacks.options import child_options

MONITORING_API = "monitoring.coreos.com/v1"
ERROR_RATIO_WINDOW = "10m"


@dataclass(frozen=True)
class KratosMonitoringArgs:
    namespace: pulumi.Input[str]
    namespace_name: str  # the same name as text, for PromQL label matchers
    release_name: str
    settings: MonitoringSettings

    @classmethod
    def from_settings(
        cls, settings: ClusterSettings, monitoring: MonitoringSettings, namespace: pulumi.Input[str]
    ) -> KratosMonitoringArgs:
        return cls(namespace, settings.namespace, settings.release_name, monitoring)


def service_monitor_spec(args: KratosMonitoringArgs) -> dict[str, Any]:
    return {
        "selector": {"matchLabels": admin_service_selector(args.release_name)},
        "namespaceSelector": {"matchNames": [args.namespace_name]},
        "endpoints": [
            {
                "port": ADMIN_SERVICE_PORT_NAME,
                "path": ADMIN_METRICS_PATH,
                "interval": args.settings.interval,
            }
        ],
    }


def alert_rules(args: KratosMonitoringArgs) -> list[dict[str, Any]]:
    """5xx share, a failed migration Job, and a courier that is not running."""
    ns = args.namespace_name
    requests = (
        f'http_requests_total{{namespace="{ns}",service="{admin_service_name(args.release_name)}"'
    )
    window = ERROR_RATIO_WINDOW
    ratio = args.settings.server_error_ratio
    migrations = ",".join(f"{k}={v}" for k, v in migration_selector(args.release_name).items())
    return [
        {
            "alert": "KratosServerErrors",
            "expr": (
                f'sum(rate({requests},code=~"5.."}}[{window}]))'
                f" / sum(rate({requests}}}[{window}])) > {ratio}"
            ),
            "for": "5m",
            "labels": {"severity": "critical"},
            "annotations": {
                "summary": f"More than {ratio:.0%} of Kratos responses in {ns} are 5xx.",
            },
        },
        {
            "alert": "KratosMigrationFailed",
            # The Job's Failed condition (retries used up), not a failed pod a retry mended.
            "expr": (
                f'kube_job_failed{{namespace="{ns}",'
                f'job_name=~"{job_name_regex(args.release_name)}",condition="true"}} > 0'
            ),
            "labels": {"severity": "critical"},
            "annotations": {
                "summary": (
                    f"The Kratos migration Job {{{{ $labels.job_name }}}} in {ns} failed; "
                    "the release was not changed."
                ),
                "description": (
                    f"kubectl logs -n {ns} job/{{{{ $labels.job_name }}}}; "
                    f"kubectl get jobs -n {ns} -l {migrations}"
                ),
            },
        },
        {
            "alert": "KratosCourierDown",
            "expr": (
                f'kube_statefulset_status_replicas_ready{{namespace="{ns}",'
                f'statefulset="{courier_name(args.release_name)}"}} < 1'
            ),
            "for": "10m",
            "labels": {"severity": "warning"},
            "annotations": {"summary": f"No Kratos courier runs in {ns}; no mail is sent."},
        },
    ]


class KratosMonitoring(pulumi.ComponentResource):
    """ServiceMonitor and PrometheusRule, labelled so the stack's Prometheus picks them up."""

    def __init__(
        self, name: str, args: KratosMonitoringArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("kratos-auth:stacks:KratosMonitoring", name, None, opts)
        labels = {**args.settings.labels, **stack_labels("monitoring")}
        metadata = {
            "name": fullname(args.release_name),
            "namespace": args.namespace,
            "labels": labels,
        }
        self.service_monitor = k8s.apiextensions.CustomResource(
            f"{name}-service-monitor",
            api_version=MONITORING_API,
            kind="ServiceMonitor",
            metadata=metadata,
            spec=service_monitor_spec(args),
            opts=child_options(self, opts),
        )
        self.rule = k8s.apiextensions.CustomResource(
            f"{name}-rule",
            api_version=MONITORING_API,
            kind="PrometheusRule",
            metadata=metadata,
            spec={"groups": [{"name": "kratos", "rules": alert_rules(args)}]},
            opts=child_options(self, opts),
        )
        self.register_outputs({})
