"""Who may reach the Kratos pods: the public port from the Gateway's namespace only, the admin
port only from the namespaces the settings name (none by default)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from stack_settings import ClusterSettings
from stacks.chart import ADMIN_PORT_NAME, PUBLIC_PORT_NAME, fullname, pod_selector
from stacks.labels import stack_labels
from stacks.options import child_options

# The API server sets this label on every namespace to its name (Kubernetes 1.22+).
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"


@dataclass(frozen=True)
class KratosNetworkPolicyArgs:
    namespace: pulumi.Input[str]
    release_name: str
    gateway_namespace: str
    admin_namespaces: tuple[str, ...]

    @classmethod
    def from_settings(
        cls, settings: ClusterSettings, namespace: pulumi.Input[str]
    ) -> KratosNetworkPolicyArgs:
        return cls(
            namespace=namespace,
            release_name=settings.release_name,
            gateway_namespace=settings.gateway.namespace,
            admin_namespaces=settings.admin_namespaces,
        )


def _from_namespaces(names: tuple[str, ...]) -> dict[str, Any]:
    return {
        "namespaceSelector": {
            "matchExpressions": [
                {"key": NAMESPACE_NAME_LABEL, "operator": "In", "values": list(names)}
            ]
        }
    }


def network_policy_spec(args: KratosNetworkPolicyArgs) -> dict[str, Any]:
    """Ingress only: with the policy in place, anything not listed here is refused."""
    rules: list[dict[str, Any]] = [
        {
            "from": [_from_namespaces((args.gateway_namespace,))],
            "ports": [{"protocol": "TCP", "port": PUBLIC_PORT_NAME}],
        }
    ]
    if args.admin_namespaces:
        rules.append(
            {
                "from": [_from_namespaces(args.admin_namespaces)],
                "ports": [{"protocol": "TCP", "port": ADMIN_PORT_NAME}],
            }
        )
    return {
        "podSelector": {"matchLabels": pod_selector(args.release_name)},
        "policyTypes": ["Ingress"],
        "ingress": rules,
    }


class KratosNetworkPolicy(pulumi.ComponentResource):
    """One NetworkPolicy for the Kratos serve pods of this stack."""

    def __init__(
        self, name: str, args: KratosNetworkPolicyArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("kratos-auth:stacks:KratosNetworkPolicy", name, None, opts)
        self.policy = k8s.networking.v1.NetworkPolicy(
            f"{name}-policy",
            metadata={
                "name": fullname(args.release_name),
                "namespace": args.namespace,
                "labels": stack_labels("network-policy"),
            },
            spec=network_policy_spec(args),
            opts=child_options(self, opts),
        )
        self.register_outputs({})
