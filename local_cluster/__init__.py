"""A real Kubernetes control plane on 127.0.0.1 (kwok as its node), and the real Pulumi engine
deploying this project's program to it: `pulumi up` without a cloud account."""

from local_cluster.control_plane import LocalCluster
from local_cluster.errors import ClusterError

__all__ = ["ClusterError", "LocalCluster"]
