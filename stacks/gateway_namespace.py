"""The Gateway's namespace, where the Kratos host's certificate goes.

The stack owns it when it creates the Gateway there; otherwise it belongs to the platform and is
only read, so a missing namespace stops `pulumi preview` by name instead of failing half-way
through `pulumi up`.
"""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from stack_settings import ClusterSettings
from stacks.labels import stack_labels
from stacks.options import output_of


def gateway_namespace(
    settings: ClusterSettings, stack_namespace: k8s.core.v1.Namespace
) -> pulumi.Output[str]:
    name = settings.gateway.namespace
    if name == settings.namespace:
        return output_of(stack_namespace, name)
    if settings.gateway.create:
        owned = k8s.core.v1.Namespace(
            "gateway-namespace", metadata={"name": name, "labels": stack_labels("gateway")}
        )
        return output_of(owned, name)
    platform = k8s.core.v1.Namespace.get("gateway-namespace", name)
    return output_of(platform, name)
