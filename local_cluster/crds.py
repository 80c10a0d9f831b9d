"""The CustomResourceDefinitions the program writes, from their projects' Go modules.

One table says which module and version each custom resource's CRD comes from; the cluster
installs those files and the program tests validate against the same files. They are fetched
with `go mod download -json` (the Go module proxy is a registry this project's machines reach)
and cached under .cache/crd-schemas, never committed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from local_cluster.go_modules import PROJECT_ROOT, module_dir

if TYPE_CHECKING:
    from local_cluster.control_plane import LocalCluster

CACHE = PROJECT_ROOT / ".cache" / "crd-schemas"


@dataclass(frozen=True)
class CrdSource:
    module: str
    version: str
    path: str  # CRD file inside the module


GATEWAY_API = ("sigs.k8s.io/gateway-api", "v1.6.3")
EXTERNAL_SECRETS = ("github.com/external-secrets/external-secrets", "v0.16.2")
CERT_MANAGER = ("github.com/cert-manager/cert-manager", "v1.21.2")
PROMETHEUS_OPERATOR = ("github.com/prometheus-operator/prometheus-operator", "v0.85.0")
PROMETHEUS_OPERATOR_CRDS = "example/prometheus-operator-crd/monitoring.coreos.com"

# (apiVersion, kind) -> where its CRD lives; pinned, newest releases with these API versions.
SOURCES: dict[tuple[str, str], CrdSource] = {
    ("gateway.networking.k8s.io/v1", "HTTPRoute"): CrdSource(
        *GATEWAY_API, "config/crd/standard/gateway.networking.k8s.io_httproutes.yaml"
    ),
    ("gateway.networking.k8s.io/v1", "Gateway"): CrdSource(
        *GATEWAY_API, "config/crd/standard/gateway.networking.k8s.io_gateways.yaml"
    ),
    ("external-secrets.io/v1", "ExternalSecret"): CrdSource(
        *EXTERNAL_SECRETS, "config/crds/bases/external-secrets.io_externalsecrets.yaml"
    ),
    ("cert-manager.io/v1", "Certificate"): CrdSource(
        *CERT_MANAGER, "deploy/crds/cert-manager.io_certificates.yaml"
    ),
    ("cert-manager.io/v1", "ClusterIssuer"): CrdSource(
        *CERT_MANAGER, "deploy/crds/cert-manager.io_clusterissuers.yaml"
    ),
    ("monitoring.coreos.com/v1", "ServiceMonitor"): CrdSource(
        *PROMETHEUS_OPERATOR,
        f"{PROMETHEUS_OPERATOR_CRDS}_servicemonitors.yaml",
    ),
    ("monitoring.coreos.com/v1", "PrometheusRule"): CrdSource(
        *PROMETHEUS_OPERATOR,
        f"{PROMETHEUS_OPERATOR_CRDS}_prometheusrules.yaml",
    ),
}


def crd_file(source: CrdSource) -> Path:
    """The cached CRD file, downloaded through the Go module proxy on first use."""
    target = CACHE / f"{source.module.replace('/', '_')}@{source.version}" / Path(source.path).name
    if target.is_file():
        return target
    source_file = module_dir(source.module, source.version) / source.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source_file.read_text())
    return target


def installable(text: str) -> str:
    """A CRD file as the API server takes it: Helm template lines (labels) dropped."""
    return "\n".join(line for line in text.splitlines() if "{{" not in line) + "\n"


def install_crds(cluster: LocalCluster, timeout: float = 60) -> None:
    """Apply every CRD server-side (some exceed the client-side annotation limit), then wait
    until each is Established, so custom resources can be created right away."""
    names: list[str] = []
    for source in sorted(set(SOURCES.values()), key=lambda s: s.path):
        manifest = installable(crd_file(source).read_text())
        applied = cluster.kubectl(
            "apply", "--server-side", "-o", "name", "-f", "-", input_text=manifest
        )
        names.append(applied.strip())
    deadline = time.monotonic() + timeout
    for name in names:
        remaining = max(1, int(deadline - time.monotonic()))
        cluster.kubectl("wait", "--for=condition=Established", f"--timeout={remaining}s", name)
