"""The real node, proven without the Ory chart (so CI proves it on every run): the project's
own Kratos image runs as a pod, a Kratos Deployment on sqlite turns Ready on its health check and
answers through a Service, and stopping the cluster leaves nothing on the host."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kratos_config.build import render
from kratos_config.files import CONFIG_FILE_NAME, write_rendered
from local_cluster import LocalCluster
from local_cluster.node import host_lock_free, mounts_under
from local_cluster.pod_network import OWNED_CHAIN_PREFIX, chains_in
from local_cluster.pod_stack import expose
from local_cluster.workload_images import KRATOS_IMAGE
from local_stack.run_secrets import generate_secrets, smtp_connection_uri
from stack_settings.local import LocalPorts, local_settings
from stack_settings.model import DEFAULT_IMAGE_TAG, LOOPBACK
from tests.pods.cluster_calls import http_get, pod_phase, poll

NAMESPACE = "node-check"
PORTS = LocalPorts()  # inside the pod: Kratos's own ports, never bound on this host
SQLITE_DSN = "sqlite:///var/lib/kratos/db.sqlite?_fk=true&mode=rwc"
CONFIG_MOUNT = "/etc/kratos"


@pytest.fixture(scope="module")
def node_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    with LocalCluster(tmp_path_factory.mktemp("node-cluster"), real_pods=True) as cluster:
        cluster.kubectl("create", "namespace", NAMESPACE)
        yield cluster


def test_the_project_image_runs_kratos(node_cluster: LocalCluster) -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "kratos-version", "namespace": NAMESPACE},
        "spec": {
            "restartPolicy": "Never",
            "containers": [
                {
                    "name": "kratos",
                    "image": KRATOS_IMAGE,
                    "imagePullPolicy": "IfNotPresent",  # loaded into containerd, no registry
                    "args": ["version"],
                }
            ],
        },
    }
    node_cluster.apply(json.dumps(pod))
    phase = poll(
        lambda: (
            pod_phase(node_cluster, NAMESPACE, "kratos-version") in ("Succeeded", "Failed")
            and pod_phase(node_cluster, NAMESPACE, "kratos-version")
        ),
        120,
        "the kratos version pod to finish",
    )
    logs = node_cluster.kubectl("logs", "-n", NAMESPACE, "kratos-version")
    assert phase == "Succeeded", logs
    assert DEFAULT_IMAGE_TAG in logs


def test_kratos_on_sqlite_turns_ready_and_answers_through_a_service(
    node_cluster: LocalCluster, tmp_path: Path
) -> None:
    # The local profile's config; no serve host, so Kratos listens on the pod's addresses.
    rendered = render(local_settings(PORTS), f"file://{CONFIG_MOUNT}/")
    files = write_rendered(rendered, tmp_path / "config")
    node_cluster.kubectl(
        "create", "configmap", "kratos-config", "-n", NAMESPACE,
        *[f"--from-file={path.name}={path}" for path in files],
    )  # fmt: skip
    # Created the way the ExternalSecret's target would be: env names as keys, never in a file.
    env = {
        **generate_secrets(),
        "DSN": SQLITE_DSN,
        "COURIER_SMTP_CONNECTION_URI": smtp_connection_uri(LOOPBACK, PORTS.smtp),  # never used
    }
    node_cluster.kubectl(
        "create", "secret", "generic", "kratos-env", "-n", NAMESPACE,
        *[f"--from-literal={key}={value}" for key, value in env.items()],
    )  # fmt: skip
    node_cluster.apply(json.dumps(_kratos_deployment()))
    poll(
        lambda: _available(node_cluster, "kratos"),
        180,
        "the Kratos Deployment to become Available (readiness: /admin/health/ready)",
    )
    url = expose(node_cluster, "kratos-public", NAMESPACE, {"app": "kratos"}, PORTS.kratos_public)
    body = poll(
        lambda: _body_if_ok(f"{url}/health/ready"), 60, "Kratos's /health/ready through the Service"
    )
    assert json.loads(body) == {"status": "ok"}


def _body_if_ok(url: str) -> str | None:
    status, body = http_get(url)
    return body if status == 200 else None


def _kratos_deployment() -> dict[str, object]:
    kratos = {
        "image": KRATOS_IMAGE,
        "imagePullPolicy": "IfNotPresent",
        "envFrom": [{"secretRef": {"name": "kratos-env"}}],
        "volumeMounts": [
            {"name": "config", "mountPath": CONFIG_MOUNT, "readOnly": True},
            {"name": "data", "mountPath": "/var/lib/kratos"},
        ],
    }
    config_flag = f"--config={CONFIG_MOUNT}/{CONFIG_FILE_NAME}"
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "kratos", "namespace": NAMESPACE},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "kratos"}},
            "template": {
                "metadata": {"labels": {"app": "kratos"}},
                "spec": {
                    "initContainers": [
                        {
                            **kratos,
                            "name": "migrate",
                            "args": ["migrate", "sql", "-e", "--yes", config_flag],
                        }
                    ],
                    "containers": [
                        {
                            **kratos,
                            "name": "kratos",
                            "args": ["serve", "all", config_flag, "--sqa-opt-out"],
                            "readinessProbe": {
                                "httpGet": {
                                    "path": "/admin/health/ready",
                                    "port": PORTS.kratos_admin,
                                },
                                "periodSeconds": 2,
                            },
                        }
                    ],
                    "volumes": [
                        {"name": "config", "configMap": {"name": "kratos-config"}},
                        {"name": "data", "emptyDir": {}},
                    ],
                },
            },
        },
    }


def _available(cluster: LocalCluster, name: str) -> bool:
    deployment = cluster.get_json("deployment", "-n", NAMESPACE, name)
    conditions = deployment.get("status", {}).get("conditions", [])
    return any(c["type"] == "Available" and c["status"] == "True" for c in conditions)


def test_stopping_the_cluster_leaves_nothing_on_the_host(node_cluster: LocalCluster) -> None:
    """Runs last in this module: it stops the cluster the tests above used."""
    assert node_cluster.node is not None and node_cluster.network is not None
    bridge, state_dir = node_cluster.network.bridge, node_cluster.state_dir
    socket = str(node_cluster.node.socket)
    netns_before = _netns()
    node_cluster.stop()
    assert mounts_under(state_dir) == []
    assert bridge not in subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout
    for binary in ("iptables", "ip6tables"):
        for table in ("filter", "nat", "mangle"):
            listing = subprocess.run(
                [binary, "-w", "-t", table, "-S"], capture_output=True, text=True
            ).stdout
            assert not {c for c in chains_in(listing) if c.startswith(OWNED_CHAIN_PREFIX)}, (
                binary,
                table,
            )
    leftovers = [
        cmdline for cmdline in _cmdlines() if socket in cmdline or str(state_dir) in cmdline
    ]
    assert leftovers == []
    assert not (Path("/sys/fs/cgroup/memory/kubepods")).exists()
    assert _netns() <= netns_before
    assert host_lock_free()


def _netns() -> set[str]:
    folder = Path("/var/run/netns")
    return {entry.name for entry in folder.iterdir()} if folder.is_dir() else set()


def _cmdlines() -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found.append(
                    (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                )
            except OSError:
                continue
    return found
