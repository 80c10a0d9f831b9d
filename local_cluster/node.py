"""A real node for the local control plane: containerd and runc (Debian) with the CNI bridge,
the kubelet and kube-proxy (built with the control plane), so pods really run.

Everything lives under the cluster's state folder (containerd's root, state and socket, the
kubelet's root, the CNI config and address leases). stop() undoes what the node did to the host:
pod sandboxes are removed through the CRI (so CNI releases their network namespaces), leftover
shims are stopped by PID, mounts under the state folder are unmounted, kube-proxy's and the
kubelet's iptables chains are deleted and the kubelet's cgroups removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path

from local_cluster.errors import ClusterError
from local_cluster.images import ImageSpec, build_image_archive
from local_cluster.pod_network import (
    CNI_BIN_DIR,
    PodNetwork,
    owned_chains_snapshot,
    remove_owned_chains,
)
from local_cluster.toolchain import Toolchain
from local_cluster.waiting import wait_for
from local_stack.ports import free_port
from local_stack.processes import Child
from stack_settings.model import LOOPBACK

NODE_NAME = "node-0"
# One real node per host: kubelets share the host's cgroup tree and kube-proxies its KUBE-* chains.
HOST_LOCK = Path("/run/lock/kratos-auth-real-node.lock")
# The sandbox image the CRI plugin asks for; ours is built from tools/pause.
SANDBOX_IMAGE = "registry.k8s.io/pause:3.10"
CGROUP_ROOT = Path("/sys/fs/cgroup")
KUBEPODS = "kubepods"
# Host programs the node needs; all from Debian (scripts/setup.d/05-system-packages).
REQUIRED_PROGRAMS = {
    "/usr/bin/containerd": "containerd",
    "/usr/sbin/runc": "runc",
    "/usr/lib/cni/bridge": "containernetworking-plugins",
    "/usr/bin/umoci": "umoci",
    "/usr/sbin/conntrack": "conntrack",
    "/usr/sbin/iptables": "iptables",
}


def node_env() -> dict[str, str]:
    # sbin for iptables, conntrack and runc; no proxy variables, no inherited KUBECONFIG.
    return {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": str(Path.home())}  # fmt: skip


def missing_host_programs() -> list[str]:
    """Debian packages the node needs that this host lacks (empty when all are there)."""
    return sorted(
        {package for path, package in REQUIRED_PROGRAMS.items() if not Path(path).exists()}
    )


class RealNode:
    """containerd + kubelet + kube-proxy, registered as Node `node-0` of the cluster."""

    def __init__(
        self,
        state_dir: Path,
        network: PodNetwork,
        toolchain: Toolchain,
        kubeconfig: Path,
        spawn: Callable[[str, list[str]], Child],
    ) -> None:
        self.dir = state_dir / "node"
        self.network = network
        self.toolchain = toolchain
        self.kubeconfig = kubeconfig
        self._spawn = spawn
        self.socket = self.dir / "containerd" / "containerd.sock"
        self._chains_before: dict[str, set[str]] = {}
        self._lock: int | None = None
        self.kubelet_port = 0

    # --- start -----------------------------------------------------------------------------

    def start_runtime(self) -> Child:
        missing = missing_host_programs()
        if missing:
            raise ClusterError(f"the real-pods node needs: apt-get install {' '.join(missing)}")
        self._take_host_lock()
        self._chains_before = owned_chains_snapshot()
        config = self.dir / "containerd" / "config.toml"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(containerd_config(config.parent, self.socket, self.dir / "cni" / "net.d"))
        self.network.write_cni_config(self.dir / "cni" / "net.d", self.dir / "cni" / "ipam")
        child = self._spawn("containerd", ["/usr/bin/containerd", "--config", str(config)])
        wait_for(self._ctr_ok, 30, "containerd start", child)
        return child

    def import_images(self, images: Iterable[ImageSpec]) -> None:
        """Build each image from host files and load it under its name into the CRI namespace."""
        for spec in images:
            work = self.dir / "images" / spec.repository.replace("/", "_")
            work.mkdir(parents=True, exist_ok=True)
            archive = build_image_archive(spec, work)
            self.ctr("images", "import", "--base-name", spec.repository, str(archive))

    def start_kubelet(self) -> Child:
        self.kubelet_port = free_port()
        config = {
            "apiVersion": "kubelet.config.k8s.io/v1beta1",
            "kind": "KubeletConfiguration",
            "address": self.network.gateway,
            "port": self.kubelet_port,
            "readOnlyPort": 0,
            "healthzBindAddress": LOOPBACK,
            "healthzPort": free_port(),
            # A throwaway node reached only from this host: the API server calls it unauthenticated.
            "authentication": {"anonymous": {"enabled": True}, "webhook": {"enabled": False}},
            "authorization": {"mode": "AlwaysAllow"},
            # This VM mounts cgroup v1 controllers; the kubelet accepts them (maintenance mode).
            "cgroupDriver": "cgroupfs",
            "containerRuntimeEndpoint": f"unix://{self.socket}",
            "failSwapOn": False,
            "resolvConf": "",
            "serializeImagePulls": False,
            # Never evict on a busy test machine: these pods are the test.
            "evictionHard": {
                "memory.available": "1Mi",
                "nodefs.available": "1%",
                "imagefs.available": "1%",
            },
            "imageGCHighThresholdPercent": 100,
            "imageGCLowThresholdPercent": 99,
            "registerNode": True,
            "syncFrequency": "5s",
            "fileCheckFrequency": "5s",
        }
        path = self.dir / "kubelet" / "config.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(config, indent=2))
        return self._spawn(
            "kubelet",
            [
                self.toolchain.tool("kubelet"),
                f"--config={path}",
                f"--kubeconfig={self.kubeconfig}",
                f"--root-dir={self.dir / 'kubelet' / 'root'}",
                f"--cert-dir={self.dir / 'kubelet' / 'pki'}",
                f"--hostname-override={NODE_NAME}",
                f"--node-ip={self.network.gateway}",
                "--v=1",
            ],
        )

    def start_kube_proxy(self) -> Child:
        config = {
            "apiVersion": "kubeproxy.config.k8s.io/v1alpha1",
            "kind": "KubeProxyConfiguration",
            "mode": "iptables",
            "clientConnection": {"kubeconfig": str(self.kubeconfig)},
            "hostnameOverride": NODE_NAME,
            "bindAddress": self.network.gateway,
            "healthzBindAddress": f"{LOOPBACK}:{free_port()}",
            "metricsBindAddress": f"{LOOPBACK}:{free_port()}",
            "clusterCIDR": str(self.network.subnet),
            # Leave the host's sysctls alone: no localhost NodePorts (route_localnet), no
            # conntrack table resizing.
            "iptables": {"localhostNodePorts": False},
            "nodePortAddresses": [str(self.network.subnet)],
            "conntrack": {
                "maxPerCore": 0,
                "min": 0,
                "tcpEstablishedTimeout": "0s",
                "tcpCloseWaitTimeout": "0s",
            },
        }
        path = self.dir / "kube-proxy.json"
        path.write_text(json.dumps(config, indent=2))
        return self._spawn("kube-proxy", [self.toolchain.tool("kube-proxy"), f"--config={path}"])

    def _take_host_lock(self) -> None:  # released by clean_host()
        HOST_LOCK.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(HOST_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            holder = HOST_LOCK.read_text().strip() or "another process"
            raise ClusterError(
                f"a real-pods cluster already runs on this host (PID {holder}); stop it first: "
                "two kubelets would share the host's cgroups and iptables chains"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._lock = fd

    # --- tools -----------------------------------------------------------------------------

    def ctr(self, *args: str) -> str:
        result = subprocess.run(
            ["/usr/bin/ctr", "--address", str(self.socket), "--namespace", "k8s.io", *args],
            capture_output=True, text=True, check=False, timeout=120, env=node_env(),
        )  # fmt: skip
        if result.returncode != 0:
            raise ClusterError(f"ctr {' '.join(args[:2])}: {result.stderr.strip()[:300]}")
        return result.stdout

    def crictl(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            [self.toolchain.tool("crictl"), "--runtime-endpoint", f"unix://{self.socket}",
             "--timeout", "60s", *args],
            capture_output=True, text=True, check=False, timeout=180, env=node_env(),
        )  # fmt: skip
        if check and result.returncode != 0:
            raise ClusterError(f"crictl {' '.join(args[:2])}: {result.stderr.strip()[:300]}")
        return result.stdout

    def _ctr_ok(self) -> bool:
        if not self.socket.exists():
            return False
        try:
            self.ctr("version")
        except ClusterError:
            return False
        return True

    # --- stop ------------------------------------------------------------------------------

    def remove_pods(self) -> None:
        """Stop and remove every pod sandbox through the CRI, so CNI releases its address and
        network namespace and the shims exit (the kubelet must already be stopped)."""
        if not self.socket.exists():
            return
        with contextlib.suppress(ClusterError, subprocess.TimeoutExpired):
            self.crictl("rmp", "--all", "--force", check=False)

    def clean_host(self) -> None:
        """After containerd stopped: leftover shims, mounts, iptables chains, cgroups."""
        if self._lock is None:
            return  # never started: nothing of ours is on the host
        self._stop_leftover_shims()
        unmount_under(self.dir)
        remove_owned_chains(self._chains_before)
        remove_kubepods_cgroups()
        os.close(self._lock)
        self._lock = None

    def _stop_leftover_shims(self) -> None:
        # A shim leaves containerd's process group; ours name our socket on their command line.
        marker = str(self.socket).encode()
        for pid in _pids():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"containerd-shim" in cmdline and marker in cmdline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def _pids() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


def mounts_under(folder: Path) -> list[str]:
    """Mount points below folder, deepest first (the order they can be unmounted in)."""
    prefix = str(folder.resolve())
    points = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        point = line.split()[4].replace("\\040", " ")
        if point == prefix or point.startswith(prefix + "/"):
            points.append(point)
    return sorted(points, key=len, reverse=True)


def unmount_under(folder: Path) -> None:
    for point in mounts_under(folder):
        subprocess.run(["umount", "-l", point], capture_output=True, check=False)


def remove_kubepods_cgroups() -> None:
    """The kubelet's cgroups in every v1 controller, deepest first (empty once pods are gone)."""
    for controller in CGROUP_ROOT.iterdir() if CGROUP_ROOT.is_dir() else []:
        top = controller / KUBEPODS
        if not top.is_dir():
            continue
        for path in sorted(top.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            if path.is_dir():
                with contextlib.suppress(OSError):
                    path.rmdir()
        with contextlib.suppress(OSError):
            top.rmdir()


def containerd_config(root: Path, socket: Path, cni_conf_dir: Path) -> str:
    """containerd 1.6's config (version 2): private root, state and socket; the CRI plugin."""
    return f"""version = 2
root = "{root / "root"}"
state = "{root / "state"}"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "{socket}"

[ttrpc]
  address = "{socket}.ttrpc"

[debug]
  address = ""

[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "{root / "opt"}"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "{SANDBOX_IMAGE}"
  # This VM gives no CAP_SYS_RESOURCE: without this every pod fails in runc create.
  restrict_oom_score_adj = true
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "/usr/sbin/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "{CNI_BIN_DIR}"
    conf_dir = "{cni_conf_dir}"
"""


def host_lock_free() -> bool:
    """Whether no real node holds the host lock now."""
    if not HOST_LOCK.exists():
        return True
    fd = os.open(HOST_LOCK, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True
