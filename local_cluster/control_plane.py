"""LocalCluster: a real Kubernetes control plane on 127.0.0.1, with kwok or a real node.

etcd (Debian), kube-apiserver, kube-controller-manager and kube-scheduler, each a child process
on free ports with throwaway certificates and an admin token, and then one node:
- kwok (default): it makes pods on its Node Running and Ready without running them, so
  Deployments, StatefulSets, Jobs and Helm's waits complete;
- real_pods=True: containerd, the kubelet and kube-proxy on a bridge of our own (local_cluster/
  node.py), with the project's images loaded, so pods really run. The API server then listens on
  the bridge's host address, the one address both this host and the pods reach.
"""

from __future__ import annotations

import ipaddress
import json
import shutil
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from local_cluster.crds import install_crds
from local_cluster.errors import ClusterError
from local_cluster.node import NODE_NAME as REAL_NODE_NAME
from local_cluster.node import RealNode, node_env
from local_cluster.pki import ClusterPki, make_pki
from local_cluster.pod_network import PodNetwork
from local_cluster.toolchain import Toolchain, find_toolchain
from local_cluster.waiting import wait_for
from local_cluster.workload_images import kratos_binary, workload_images
from local_stack.lifecycle import StartStop
from local_stack.ports import free_port
from local_stack.processes import Child
from stack_settings.model import LOOPBACK

ETCD = "/usr/bin/etcd"
NODE_NAME = "kwok-node-0"
# kwok manages only Nodes carrying this annotation, so a real kubelet could join beside it.
KWOK_ANNOTATION = "kwok.x-k8s.io/node"
SERVICE_CIDR = "10.96.0.0/16"
# The `kubernetes` Service's address (the range's first), which in-cluster clients dial.
KUBERNETES_SERVICE_IP = str(ipaddress.ip_network(SERVICE_CIDR).network_address + 1)


class LocalCluster(StartStop):
    """Context manager: `with LocalCluster() as cluster:` gives a ready cluster, then stops it.

    state_dir (default: a temp folder, removed on stop) holds etcd's data, keys and logs.
    extra_stages: kwok Stage documents (YAML) added to the toolchain's set, e.g. one that fails
    the pods a test picks by label.
    """

    def __init__(
        self,
        state_dir: Path | None = None,
        *,
        toolchain: Toolchain | None = None,
        log: Callable[[str], None] | None = None,
        real_pods: bool = False,
        extra_stages: Sequence[str] = (),
    ) -> None:
        self._own_dir = state_dir is None
        self.state_dir = Path(state_dir or tempfile.mkdtemp(prefix="kratos-auth-cluster-"))
        self.toolchain = toolchain
        self.log_dir = self.state_dir / "logs"
        self.kubeconfig = self.state_dir / "kubeconfig"
        self._say = log or (lambda _message: None)
        self._extra_stages = tuple(extra_stages)
        self._children: list[Child] = []
        self.api_port = 0
        self.api_address = LOOPBACK
        self.pki: ClusterPki | None = None
        self.real_pods = real_pods
        self.network: PodNetwork | None = None
        self.node: RealNode | None = None

    # --- what callers use --------------------------------------------------------------------

    @property
    def admin_token(self) -> str:
        assert self.pki is not None
        return self.pki.admin_token

    @property
    def server(self) -> str:
        return f"https://{self.api_address}:{self.api_port}"

    @property
    def node_name(self) -> str:
        return REAL_NODE_NAME if self.real_pods else NODE_NAME

    def kubectl(self, *args: str, input_text: str | None = None, check: bool = True) -> str:
        """Run kubectl against this cluster; a failure raises with kubectl's own message."""
        assert self.toolchain is not None
        result = subprocess.run(
            [self.toolchain.tool("kubectl"), "--kubeconfig", str(self.kubeconfig), *args],
            input=input_text,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if check and result.returncode != 0:
            raise ClusterError(f"kubectl {' '.join(args)}: {result.stderr.strip()[:500]}")
        return result.stdout

    def get_json(self, *args: str) -> Any:
        return json.loads(self.kubectl("get", "-o", "json", *args))

    def apply(self, manifest: str) -> None:
        self.kubectl("apply", "--server-side", "--force-conflicts", "-f", "-", input_text=manifest)

    # --- lifecycle ---------------------------------------------------------------------------

    def _start(self) -> None:
        began = time.monotonic()
        if self.toolchain is None:
            self._say("finding the real-deploy toolchain (a cold machine builds it first)")
            self.toolchain = find_toolchain()
        if not Path(ETCD).is_file():
            raise ClusterError(f"{ETCD} not found: apt-get install etcd-server")
        if self.real_pods:
            self.network = PodNetwork.create()
            self.api_address = self.network.gateway
        self.pki = make_pki(self.state_dir / "pki", self.api_address, KUBERNETES_SERVICE_IP)
        self._start_etcd()
        self._start_apiserver()
        self._write_kubeconfig()
        self._spawn("kube-controller-manager", self._controller_manager_args())
        self._spawn("kube-scheduler", self._scheduler_args())
        if self.real_pods:
            self._start_real_node()
        else:
            self._start_kwok()
            self._add_node()
        install_crds(self)
        self._say(f"cluster ready at {self.server} in {time.monotonic() - began:.1f}s")

    def stop(self) -> None:
        """Stop in reverse order of start; remove the state folder when we made it."""
        if self.node is not None:
            self._stop_real_node(self.node)
        for child in reversed(self._children):
            child.stop()
        self._children.clear()
        if self.network is not None:
            self.network.delete()
            self.network = None
        if self._own_dir:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    # --- the parts ---------------------------------------------------------------------------

    def _spawn(self, name: str, argv: Sequence[str]) -> Child:
        env = node_env() if self.real_pods else _env()
        child = Child(name, argv, env, self.log_dir / f"{name}.log")
        self._children.append(child)
        return child

    def _start_etcd(self) -> None:
        client, peer = free_port(), free_port()
        self.etcd_url = f"http://{LOOPBACK}:{client}"
        etcd = self._spawn(
            "etcd",
            [
                ETCD,
                "--name=kratos-auth",
                f"--data-dir={self.state_dir / 'etcd'}",
                f"--listen-client-urls={self.etcd_url}",
                f"--advertise-client-urls={self.etcd_url}",
                f"--listen-peer-urls=http://{LOOPBACK}:{peer}",
                f"--initial-advertise-peer-urls=http://{LOOPBACK}:{peer}",
                f"--initial-cluster=kratos-auth=http://{LOOPBACK}:{peer}",
                "--log-level=warn",
            ],
        )
        wait_for(lambda: _http_ok(f"{self.etcd_url}/health"), 30, "etcd start", etcd)

    def _start_apiserver(self) -> None:
        assert self.toolchain and self.pki
        self.api_port = free_port()
        pki = self.pki
        apiserver = self._spawn(
            "kube-apiserver",
            [
                self.toolchain.tool("kube-apiserver"),
                f"--etcd-servers={self.etcd_url}",
                f"--bind-address={self.api_address}",
                f"--advertise-address={self.api_address}",
                f"--secure-port={self.api_port}",
                f"--tls-cert-file={pki.server_cert}",
                f"--tls-private-key-file={pki.server_key}",
                f"--client-ca-file={pki.ca_cert}",
                f"--token-auth-file={pki.token_file}",
                "--authorization-mode=RBAC",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                f"--service-account-key-file={pki.service_account_pub}",
                f"--service-account-signing-key-file={pki.service_account_key}",
                f"--service-cluster-ip-range={SERVICE_CIDR}",
                f"--cert-dir={self.state_dir / 'apiserver-certs'}",
                "--allow-privileged=true",
                "--profiling=false",
                "--enable-priority-and-fairness=false",
                # Reach a kubelet (logs, exec, port-forward) at its address, never by host name.
                "--kubelet-preferred-address-types=InternalIP",
            ],
        )
        wait_for(self._api_ready, 90, "kube-apiserver start", apiserver)

    def _api_ready(self) -> bool:
        assert self.pki
        context = ssl.create_default_context(cafile=str(self.pki.ca_cert))
        headers = {"Authorization": f"Bearer {self.pki.admin_token}"}
        return _http_ok(f"{self.server}/readyz", headers, context)

    def _write_kubeconfig(self) -> None:
        assert self.pki
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {
                    "name": "local",
                    "cluster": {
                        "server": self.server,
                        "certificate-authority": str(self.pki.ca_cert),
                    },
                }
            ],
            "users": [{"name": "admin", "user": {"token": self.pki.admin_token}}],
            "contexts": [{"name": "local", "context": {"cluster": "local", "user": "admin"}}],
            "current-context": "local",
        }
        self.kubeconfig.write_text(json.dumps(config, indent=2))
        self.kubeconfig.chmod(0o600)

    def _controller_manager_args(self) -> list[str]:
        assert self.toolchain and self.pki
        return [
            self.toolchain.tool("kube-controller-manager"),
            f"--kubeconfig={self.kubeconfig}",
            f"--bind-address={LOOPBACK}",
            f"--secure-port={free_port()}",
            f"--cert-dir={self.state_dir / 'controller-manager-certs'}",
            # Without per-controller service accounts, Deployments are never reconciled.
            "--use-service-account-credentials=true",
            f"--service-account-private-key-file={self.pki.service_account_key}",
            f"--root-ca-file={self.pki.ca_cert}",
            f"--service-cluster-ip-range={SERVICE_CIDR}",
            "--leader-elect=false",
            "--profiling=false",
            # kwok's node heartbeat can lag on a loaded machine; a node marked NotReady for it
            # leaves its pods NotReady for good (kwok only readies Pending pods) and Helm waits.
            "--node-monitor-grace-period=1h",
        ]

    def _scheduler_args(self) -> list[str]:
        assert self.toolchain
        return [
            self.toolchain.tool("kube-scheduler"),
            f"--kubeconfig={self.kubeconfig}",
            f"--bind-address={LOOPBACK}",
            f"--secure-port={free_port()}",
            "--leader-elect=false",
            "--profiling=false",
        ]

    def _kwok_stages(self) -> Path:
        """The toolchain's stage set, plus the extra stages when there are any."""
        assert self.toolchain
        if not self._extra_stages:
            return self.toolchain.kwok_stages
        combined = self.state_dir / "kwok-stages.yaml"
        documents = [self.toolchain.kwok_stages.read_text(), *self._extra_stages]
        combined.write_text("\n---\n".join(documents))
        return combined

    def _start_kwok(self) -> None:
        assert self.toolchain
        self._spawn(
            "kwok",
            [
                self.toolchain.tool("kwok"),
                f"--kubeconfig={self.kubeconfig}",
                "--manage-all-nodes=false",
                f"--manage-nodes-with-annotation-selector={KWOK_ANNOTATION}=fake",
                f"--config={self._kwok_stages()}",
                f"--server-address={LOOPBACK}:{free_port()}",
                "--node-lease-duration-seconds=40",
            ],
        )

    def _add_node(self) -> None:
        node = {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "name": NODE_NAME,
                "annotations": {KWOK_ANNOTATION: "fake"},
                "labels": {"kubernetes.io/hostname": NODE_NAME, "type": "kwok"},
            },
            "status": {
                "allocatable": {"cpu": "32", "memory": "256Gi", "pods": "110"},
                "capacity": {"cpu": "32", "memory": "256Gi", "pods": "110"},
            },
        }
        self.kubectl("create", "-f", "-", input_text=json.dumps(node))
        kwok = next(child for child in self._children if child.name == "kwok")
        wait_for(self._node_ready, 60, f"node {NODE_NAME} Ready (kwok)", kwok)

    def _start_real_node(self) -> None:
        assert self.toolchain and self.network
        self._say("starting containerd, loading images, starting the kubelet and kube-proxy")
        self.node = RealNode(
            self.state_dir, self.network, self.toolchain, self.kubeconfig, self._spawn
        )
        self.node.start_runtime()
        self.node.import_images(workload_images(self.toolchain, kratos_binary()))
        kubelet = self.node.start_kubelet()
        self.node.start_kube_proxy()
        wait_for(self._node_ready, 120, f"node {REAL_NODE_NAME} Ready", kubelet)

    def _stop_real_node(self, node: RealNode) -> None:
        """The kubelet first (or it restarts pods), then every pod through the CRI, then
        containerd; then what they left on the host."""
        for name in ("kube-proxy", "kubelet"):
            self._stop_child(name)
        node.remove_pods()
        self._stop_child("containerd")
        node.clean_host()
        self.node = None

    def _stop_child(self, name: str) -> None:
        for child in [c for c in self._children if c.name == name]:
            child.stop()
            self._children.remove(child)

    def _node_ready(self) -> bool:
        try:
            node = self.get_json("node", self.node_name)
        except ClusterError:
            return False  # not registered yet
        conditions = node.get("status", {}).get("conditions", [])
        return any(c["type"] == "Ready" and c["status"] == "True" for c in conditions)


def _http_ok(
    url: str, headers: dict[str, str] | None = None, context: ssl.SSLContext | None = None
) -> bool:
    request = urllib.request.Request(url, headers=headers or {})
    # Loopback only: never through a proxy from the environment.
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context)
    )
    try:
        with opener.open(request, timeout=2) as response:
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def _env() -> dict[str, str]:
    # Children get a minimal environment: no proxy variables, no inherited KUBECONFIG.
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(Path.home())}
