"""The Kratos host's certificate from cert-manager, optionally with its own ACME ClusterIssuer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from stack_settings import ClusterSettings
from stacks.labels import stack_labels
from stacks.options import child_options, output_of

CERT_MANAGER_API = "cert-manager.io/v1"


def certificate_secret_name(host: str) -> str:
    """One TLS Secret per host, so stacks sharing a Gateway namespace never collide."""
    return f"{host.replace('.', '-')}-tls"


@dataclass(frozen=True)
class AcmeIssuerArgs:
    name: str
    email: str
    server: str
    token_secret_name: str
    token_secret_key: str
    dns_zone: str | None


@dataclass(frozen=True)
class KratosTlsArgs:
    host: str
    namespace: pulumi.Input[str]  # where the Gateway listener reads its certificate Secret
    issuer_name: str
    issuer_kind: str
    acme: AcmeIssuerArgs | None

    @classmethod
    def from_settings(
        cls, settings: ClusterSettings, gateway_namespace: pulumi.Input[str]
    ) -> KratosTlsArgs:
        tls, acme = settings.tls, settings.tls.acme
        return cls(
            host=settings.resolved_kratos_host,
            namespace=gateway_namespace,
            issuer_name=tls.issuer_name,
            issuer_kind=tls.issuer_kind,
            acme=AcmeIssuerArgs(
                name=tls.issuer_name,
                email=acme.email,
                server=acme.server,
                token_secret_name=acme.cloudflare_token_secret_name,
                token_secret_key=acme.cloudflare_token_secret_key,
                dns_zone=settings.cloudflare.zone_name if settings.cloudflare else None,
            )
            if acme
            else None,
        )


def cluster_issuer_spec(acme: AcmeIssuerArgs) -> dict[str, Any]:
    solver: dict[str, Any] = {
        "dns01": {
            "cloudflare": {
                # The token stays in a cluster Secret; only its name and key are written here.
                "apiTokenSecretRef": {"name": acme.token_secret_name, "key": acme.token_secret_key}
            }
        }
    }
    if acme.dns_zone:
        solver["selector"] = {"dnsZones": [acme.dns_zone]}
    return {
        "acme": {
            "email": acme.email,
            "server": acme.server,
            "privateKeySecretRef": {"name": f"{acme.name}-account-key"},
            "solvers": [solver],
        }
    }


def certificate_spec(args: KratosTlsArgs) -> dict[str, Any]:
    return {
        "secretName": certificate_secret_name(args.host),
        "dnsNames": [args.host],
        "issuerRef": {
            "name": args.issuer_name,
            "kind": args.issuer_kind,
            "group": "cert-manager.io",
        },
        "privateKey": {"algorithm": "ECDSA", "size": 256, "rotationPolicy": "Always"},
    }


class KratosTls(pulumi.ComponentResource):
    """A Certificate for the Kratos host in the Gateway's namespace (+ the ACME issuer)."""

    def __init__(
        self, name: str, args: KratosTlsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("kratos-auth:stacks:KratosTls", name, None, opts)
        depends: list[pulumi.Resource] = []
        self.cluster_issuer: k8s.apiextensions.CustomResource | None = None
        if args.acme is not None:
            self.cluster_issuer = k8s.apiextensions.CustomResource(
                f"{name}-cluster-issuer",
                api_version=CERT_MANAGER_API,
                kind="ClusterIssuer",
                metadata={"name": args.acme.name, "labels": stack_labels("tls")},
                spec=cluster_issuer_spec(args.acme),
                opts=child_options(self, opts),
            )
            depends.append(self.cluster_issuer)
        self.certificate = k8s.apiextensions.CustomResource(
            f"{name}-certificate",
            api_version=CERT_MANAGER_API,
            kind="Certificate",
            metadata={
                "name": certificate_secret_name(args.host),
                "namespace": args.namespace,
                "labels": stack_labels("tls"),
            },
            spec=certificate_spec(args),
            opts=child_options(self, opts, depends),
        )
        self.secret_name = output_of(self.certificate, certificate_secret_name(args.host))
        self.register_outputs({"secretName": self.secret_name})
