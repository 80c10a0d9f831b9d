"""`destroy` removes everything the stack created and leaves the cluster as it found it; `up`
works again afterwards."""

from __future__ import annotations

from local_cluster import LocalCluster
from tests.deploy.conftest import DeployStack, changed

PART_OF = "app.kubernetes.io/part-of=kratos-auth"
ISOLATION = {"namespace": "auth-destroy", "domain": "destroy.example.com"}
# Everything a stack can create, cluster-wide (Helm's release records are Secrets).
KINDS = "namespaces,secrets,configmaps,deployments,statefulsets,jobs,services,serviceaccounts,"
KINDS += "poddisruptionbudgets,externalsecrets,httproutes,gateways,certificates,clusterissuers"


def _snapshot(cluster: LocalCluster) -> set[str]:
    listing = cluster.get_json(KINDS, "-A")
    return {
        f"{item['kind']}/{item['metadata'].get('namespace', '')}/{item['metadata']['name']}"
        for item in listing["items"]
        # Objects the control plane makes by itself in every namespace.
        if item["metadata"]["name"] not in ("kube-root-ca.crt", "default")
    }


def test_destroy_leaves_the_cluster_as_it_found_it_and_up_works_again(
    deploy_stack: DeployStack, cluster: LocalCluster
) -> None:
    deployment = deploy_stack("dev", "destroy", **ISOLATION)
    before = _snapshot(cluster)
    deployment.up()
    during = _snapshot(cluster)
    assert any(name.startswith("Namespace//auth-destroy") for name in during - before)
    deployment.destroy()
    assert _snapshot(cluster) == before
    again = deployment.up()
    assert changed(again).get("create", 0) >= 8
    deployment.destroy()
    assert _snapshot(cluster) == before
