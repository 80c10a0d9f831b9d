"""Public traffic to Kratos: an HTTPRoute for the public API only, optionally its own Gateway."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from stack_settings import ClusterSettings
from stacks.chart import PUBLIC_SERVICE_PORT, public_service_name
from stacks.labels import stack_labels
from stacks.options import child_options

GATEWAY_API = "gateway.networking.k8s.io/v1"
GATEWAY_GROUP = "gateway.networking.k8s.io"
# Two years, the preload list's minimum; subdomains of the Kratos host are covered too.
HSTS_VALUE = "max-age=63072000; includeSubDomains"
DEFAULT_LISTENER = "https"


@dataclass(frozen=True)
class GatewayToCreate:
    class_name: str
    certificate_secret_name: pulumi.Input[str]


@dataclass(frozen=True)
class KratosRoutingArgs:
    host: str
    namespace: pulumi.Input[str]
    release_name: str
    backend_service: pulumi.Input[str]
    gateway_name: str
    gateway_namespace: str
    section_name: str | None
    https: bool
    create_gateway: GatewayToCreate | None

    @classmethod
    def from_settings(
        cls,
        settings: ClusterSettings,
        namespace: pulumi.Input[str],
        backend_service: pulumi.Input[str],
        certificate_secret_name: pulumi.Input[str],
    ) -> KratosRoutingArgs:
        gateway = settings.gateway
        create = (
            GatewayToCreate(gateway.class_name, certificate_secret_name)
            if gateway.create and gateway.class_name
            else None
        )
        return cls(
            host=settings.resolved_kratos_host,
            namespace=namespace,
            release_name=settings.release_name,
            backend_service=backend_service,
            gateway_name=gateway.name,
            gateway_namespace=gateway.namespace,
            section_name=gateway.section_name,
            https=settings.scheme == "https",
            create_gateway=create,
        )


def http_route_spec(args: KratosRoutingArgs) -> dict[str, Any]:
    parent: dict[str, Any] = {
        "group": GATEWAY_GROUP,
        "kind": "Gateway",
        "name": args.gateway_name,
        "namespace": args.gateway_namespace,
    }
    section = args.section_name or (DEFAULT_LISTENER if args.create_gateway else None)
    if section:
        parent["sectionName"] = section
    rule: dict[str, Any] = {
        "matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
        "backendRefs": [
            {
                "group": "",
                "kind": "Service",
                "name": args.backend_service,
                "port": PUBLIC_SERVICE_PORT,
            }
        ],
    }
    if args.https:
        rule["filters"] = [
            {
                "type": "ResponseHeaderModifier",
                "responseHeaderModifier": {
                    "set": [{"name": "Strict-Transport-Security", "value": HSTS_VALUE}]
                },
            }
        ]
    return {"parentRefs": [parent], "hostnames": [args.host], "rules": [rule]}


def gateway_spec(args: KratosRoutingArgs, create: GatewayToCreate) -> dict[str, Any]:
    return {
        "gatewayClassName": create.class_name,
        "listeners": [
            {
                "name": args.section_name or DEFAULT_LISTENER,
                "hostname": args.host,
                "port": 443,
                "protocol": "HTTPS",
                "tls": {
                    "mode": "Terminate",
                    "certificateRefs": [
                        {"group": "", "kind": "Secret", "name": create.certificate_secret_name}
                    ],
                },
                # Only routes from the stack's own namespace may attach.
                "allowedRoutes": {
                    "namespaces": {
                        "from": "Selector",
                        "selector": {
                            "matchLabels": {"kubernetes.io/metadata.name": args.namespace}
                        },
                    }
                },
            }
        ],
    }


class KratosRouting(pulumi.ComponentResource):
    """Routes the Kratos host to the chart's public Service; the admin Service stays internal."""

    def __init__(
        self, name: str, args: KratosRoutingArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("kratos-auth:stacks:KratosRouting", name, None, opts)
        depends: list[pulumi.Resource] = []
        self.gateway: k8s.apiextensions.CustomResource | None = None
        if args.create_gateway is not None:
            self.gateway = k8s.apiextensions.CustomResource(
                f"{name}-gateway",
                api_version=GATEWAY_API,
                kind="Gateway",
                metadata={
                    "name": args.gateway_name,
                    "namespace": args.gateway_namespace,
                    "labels": stack_labels("routing"),
                },
                spec=gateway_spec(args, args.create_gateway),
                opts=child_options(self, opts),
            )
            depends.append(self.gateway)
        self.route = k8s.apiextensions.CustomResource(
            f"{name}-http-route",
            api_version=GATEWAY_API,
            kind="HTTPRoute",
            metadata={
                "name": public_service_name(args.release_name),
                "namespace": args.namespace,
                "labels": stack_labels("routing"),
            },
            spec=http_route_spec(args),
            opts=child_options(self, opts, depends),
        )
        self.backend_service = args.backend_service
        self.register_outputs({"backendService": self.backend_service})
