"""The real-pods node's network: a Linux bridge of our own, the CNI config that puts pods on it,
and the undo of everything the node's programs add to the host (iptables chains, the bridge).

Pods get addresses on a private /24 whose first address is the host's side of the bridge: the
API server, PostgreSQL and the SMTP server of the tests listen there, so pods reach them without
any route off this machine. No masquerade and no forwarding: pods reach only the host's bridge
address and each other.
"""

from __future__ import annotations

import ipaddress
import json
import secrets
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from local_cluster.errors import ClusterError

CNI_BIN_DIR = Path("/usr/lib/cni")  # Debian's containernetworking-plugins
# Candidate pod subnets: 10.233.N.0/24, one not routed on this host is taken at random.
SUBNET_PREFIX = "10.233"
# Chains the kubelet and kube-proxy create; removed on stop with every rule that jumps to them.
OWNED_CHAIN_PREFIX = "KUBE-"
IPTABLES_TABLES = ("filter", "nat", "mangle")


def _run(*argv: str, check: bool = True) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise ClusterError(f"{' '.join(argv)}: {result.stderr.strip()[:300]}")
    return result.stdout


@dataclass(frozen=True)
class PodNetwork:
    bridge: str
    subnet: ipaddress.IPv4Network

    @property
    def gateway(self) -> str:
        """The host's address on the bridge: where pods find the host's servers."""
        return str(self.subnet.network_address + 1)

    @classmethod
    def create(cls) -> PodNetwork:
        """A new bridge on an unused subnet, up, with the gateway address on the host's side."""
        network = cls(f"kab{secrets.token_hex(3)}", _unused_subnet())
        _run("ip", "link", "add", network.bridge, "type", "bridge")
        try:
            _run("ip", "addr", "add", f"{network.gateway}/{network.subnet.prefixlen}", "dev",
                 network.bridge)  # fmt: skip
            _run("ip", "link", "set", network.bridge, "up")
        except ClusterError:
            network.delete()
            raise
        return network

    def delete(self) -> None:
        _run("ip", "link", "del", self.bridge, check=False)

    def write_cni_config(self, conf_dir: Path, ipam_dir: Path) -> None:
        """The bridge plugin with host-local addresses; the CRI plugin adds loopback itself."""
        conf_dir.mkdir(parents=True, exist_ok=True)
        config = {
            "cniVersion": "0.4.0",
            "name": "kratos-auth-pods",
            "plugins": [
                {
                    "type": "bridge",
                    "bridge": self.bridge,
                    "isGateway": True,
                    # No NAT to the outside: pods talk only to this host and each other.
                    "ipMasq": False,
                    # A pod reaching its own Service comes back through the bridge port it left.
                    "hairpinMode": True,
                    "ipam": {
                        "type": "host-local",
                        "ranges": [[{"subnet": str(self.subnet), "gateway": self.gateway}]],
                        "routes": [{"dst": "0.0.0.0/0"}],
                        "dataDir": str(ipam_dir),
                    },
                }
            ],
        }
        (conf_dir / "10-kratos-auth.conflist").write_text(json.dumps(config, indent=2))


def _unused_subnet() -> ipaddress.IPv4Network:
    routed = [
        ipaddress.ip_network(line.split()[0], strict=False)
        for line in _run("ip", "-4", "route", "show", "table", "all").splitlines()
        if line and line.split()[0][0].isdigit()
    ]
    for _attempt in range(50):
        candidate = ipaddress.IPv4Network(f"{SUBNET_PREFIX}.{secrets.randbelow(250) + 1}.0/24")
        if not any(candidate.overlaps(net) for net in routed):
            return candidate
    raise ClusterError(f"no free pod subnet under {SUBNET_PREFIX}.0.0/16 on this host")


def remove_owned_chains(before: dict[str, set[str]]) -> None:
    """Delete the KUBE-* chains that were not there before the node started, and every rule
    that jumps to them (kube-proxy --cleanup leaves the kubelet's own chains behind)."""
    for binary in ("iptables", "ip6tables"):
        for table in IPTABLES_TABLES:
            listing = _run(binary, "-w", "-t", table, "-S", check=False)
            ours = {
                chain
                for chain in chains_in(listing)
                if chain.startswith(OWNED_CHAIN_PREFIX)
                and chain not in before.get(f"{binary}/{table}", set())
            }
            if not ours:
                continue
            for line in listing.splitlines():
                words = shlex.split(line)  # rules carry quoted comments
                if words[:1] == ["-A"] and ours & set(words[2:]) and words[1] not in ours:
                    _run(binary, "-w", "-t", table, "-D", *words[1:], check=False)
            for chain in ours:
                _run(binary, "-w", "-t", table, "-F", chain, check=False)
            for chain in ours:
                _run(binary, "-w", "-t", table, "-X", chain, check=False)


def owned_chains_snapshot() -> dict[str, set[str]]:
    """The KUBE-* chains present now, per binary and table (normally none)."""
    return {
        f"{binary}/{table}": {
            chain
            for chain in chains_in(_run(binary, "-w", "-t", table, "-S", check=False))
            if chain.startswith(OWNED_CHAIN_PREFIX)
        }
        for binary in ("iptables", "ip6tables")
        for table in IPTABLES_TABLES
    }


def chains_in(listing: str) -> set[str]:
    """Chain names declared in an `iptables -S` listing (`-N NAME`)."""
    return {line.split()[1] for line in listing.splitlines() if line.startswith("-N ")}
