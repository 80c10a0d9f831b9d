"""A real stack file, bent to deploy into the local cluster: what changes, and what the cluster
must already have (what a platform team provides before any auth stack is deployed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stack_settings.load import decode_config_value, read_stack_file, stack_file
from stack_settings.model import CONFIG_NAMESPACE

if TYPE_CHECKING:
    from local_cluster.control_plane import LocalCluster

NS = CONFIG_NAMESPACE


def cluster_stack_config(stack: str, chart_source: Path | str | None = None) -> dict[str, Any]:
    """`Pulumi.<stack>.yaml`'s config with DNS left out (the Cloudflare provider cannot be built
    here, and the local cluster has no zone) and, when given, the chart from chart_source."""
    config, _ = read_stack_file(stack_file(stack))
    config.pop(f"{NS}:cloudflare", None)
    if chart_source is not None:
        config[f"{NS}:chartSource"] = str(chart_source)
    return config


def prepare_cluster(cluster: LocalCluster, config: dict[str, Any]) -> None:
    """Create what the stack expects the platform to own: the shared Gateway's namespace.

    Read from the raw config, not checked settings: a stack with bad settings must still reach
    `pulumi preview`, which is where its problems are reported.
    """
    gateway = decode_config_value(config.get(f"{NS}:gateway"))
    if not isinstance(gateway, dict) or gateway.get("create") or "namespace" not in gateway:
        return
    namespace = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": gateway["namespace"], "labels": {"kratos-auth/platform": "true"}},
    }
    cluster.apply(json.dumps(namespace))
