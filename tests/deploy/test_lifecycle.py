"""`pulumi up` for real: the dev stack deployed, read back from the API server, redeployed
unchanged, changed, and destroyed, by the real engine and kubernetes provider."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
import yaml
from pulumi import automation as auto

from local_cluster import ClusterError, LocalCluster
from local_cluster.engine import Deployment
from stack_settings import StackSettings, settings_from_config
from stacks.chart import (
    ADMIN_METRICS_PATH,
    ADMIN_PORT_NAME,
    COURIER_CONTAINER,
    PUBLIC_PORT_NAME,
    courier_name,
    fullname,
    pod_selector,
    public_service_name,
)
from stacks.courier_probes import courier_probes
from stacks.migration import job_name_regex
from stacks.probes import ALIVE_PATH, READY_PATH
from tests.deploy.conftest import ChartUnderTest, DeployStack, changed, stack_config_for

PART_OF = "app.kubernetes.io/part-of=kratos-auth"
PLANTED_TOKEN = "planted-" + "x7Qk" * 10


class Deployed:
    """One stack deployed once for the module; tests read it and must leave it as they found it."""

    def __init__(self, deployment: Deployment, settings: StackSettings, up: auto.UpResult):
        self.deployment = deployment
        self.settings = settings
        self.up = up


@pytest.fixture(scope="module")
def dev(
    deploy_stack: DeployStack, cluster: LocalCluster, chart: ChartUnderTest
) -> Iterator[Deployed]:
    deployment = deploy_stack("dev")
    config = stack_config_for("dev", chart)
    # A Pulumi-held secret, as CI sets the Cloudflare token: it must stay encrypted everywhere.
    deployment.set_secret("cloudflare:apiToken", PLANTED_TOKEN)
    result = deployment.up()
    yield Deployed(deployment, settings_from_config("dev", config), result)
    deployment.destroy()


def test_up_creates_every_resource(dev: Deployed) -> None:
    changes = changed(dev.up)
    assert set(changes) == {"create"}, changes
    assert changes["create"] >= 8, changes


def test_namespace_secret_store_and_release_objects(dev: Deployed, cluster: LocalCluster) -> None:
    s = dev.settings
    assert s.secret_store is not None
    namespace = cluster.get_json("namespace", s.namespace)
    assert namespace["metadata"]["labels"]["app.kubernetes.io/part-of"] == "kratos-auth"

    external = cluster.get_json(
        "externalsecret", s.secret_store.target_secret_name, "-n", s.namespace
    )
    assert external["apiVersion"] == "external-secrets.io/v1"
    assert external["spec"]["target"]["name"] == s.secret_store.target_secret_name
    assert external["spec"]["secretStoreRef"] == {
        "name": s.secret_store.name,
        "kind": s.secret_store.kind,
    }
    keys = {item["secretKey"]: item["remoteRef"]["key"] for item in external["spec"]["data"]}
    assert keys["DSN"] == s.secret_store.dsn_key
    assert keys["SECRETS_COOKIE_0"] == s.secret_store.cookie_secret_key
    assert keys["COURIER_SMTP_CONNECTION_URI"] == s.secret_store.smtp_connection_uri_key


def test_release_is_deployed_with_integer_replicas(dev: Deployed, cluster: LocalCluster) -> None:
    s = dev.settings
    releases = cluster.get_json(
        "secret", "-n", s.namespace, "-l", f"owner=helm,name={s.release_name}"
    )
    statuses = [item["metadata"]["labels"]["status"] for item in releases["items"]]
    assert statuses and statuses[-1] == "deployed", statuses
    deployment = cluster.get_json("deployment", fullname(s.release_name), "-n", s.namespace)
    # A whole number must reach the API server as one (the engine sends doubles in values).
    assert deployment["spec"]["replicas"] == s.resolved_replicas
    assert deployment["status"].get("readyReplicas") == s.resolved_replicas
    env_from = deployment["spec"]["template"]["spec"]["containers"][0]["envFrom"]
    assert {"secretRef": {"name": s.secret_store.target_secret_name}} in env_from  # type: ignore[union-attr]


def test_route_attaches_to_the_gateway_and_reaches_only_the_public_service(
    dev: Deployed, cluster: LocalCluster
) -> None:
    s = dev.settings
    assert s.gateway is not None
    routes = cluster.get_json("httproute", "-n", s.namespace)["items"]
    assert len(routes) == 1
    spec = routes[0]["spec"]
    assert spec["hostnames"] == [s.resolved_kratos_host]
    parent = spec["parentRefs"][0]
    assert (parent["name"], parent["namespace"]) == (s.gateway.name, s.gateway.namespace)
    backends = {ref["name"] for rule in spec["rules"] for ref in rule["backendRefs"]}
    assert backends == {public_service_name(s.release_name)}


def test_the_network_policy_admits_only_the_gateway_to_the_public_port(
    dev: Deployed, cluster: LocalCluster
) -> None:
    s = dev.settings
    assert s.gateway is not None
    policy = cluster.get_json("networkpolicy", fullname(s.release_name), "-n", s.namespace)
    spec = policy["spec"]
    assert spec["podSelector"]["matchLabels"] == pod_selector(s.release_name)
    [public] = spec["ingress"]  # no admin namespaces in dev: nothing reaches the admin port
    assert [port["port"] for port in public["ports"]] == [PUBLIC_PORT_NAME]
    [peer] = public["from"]
    [expression] = peer["namespaceSelector"]["matchExpressions"]
    assert expression["values"] == [s.gateway.namespace]


def test_certificate_is_in_the_gateway_namespace_for_the_kratos_host(
    dev: Deployed, cluster: LocalCluster
) -> None:
    s = dev.settings
    assert s.gateway is not None and s.tls is not None
    certificates = cluster.get_json("certificate", "-n", s.gateway.namespace, "-l", PART_OF)
    assert [c["spec"]["dnsNames"] for c in certificates["items"]] == [[s.resolved_kratos_host]]
    assert certificates["items"][0]["spec"]["issuerRef"]["name"] == s.tls.issuer_name


def test_the_courier_runs_with_our_probes(dev: Deployed, cluster: LocalCluster) -> None:
    s = dev.settings
    courier = cluster.get_json("statefulset", courier_name(s.release_name), "-n", s.namespace)
    [container] = [
        c
        for c in courier["spec"]["template"]["spec"]["containers"]
        if c["name"] == COURIER_CONTAINER
    ]
    for probe, expected in courier_probes().items():
        assert {k: container[probe][k] for k in expected} == expected, probe
    assert courier["status"].get("readyReplicas") == 1


def test_outputs_name_what_was_deployed(dev: Deployed) -> None:
    outputs = dev.deployment.outputs()
    s = dev.settings
    assert outputs["kratosPublicUrl"].value == s.kratos_public_url
    assert outputs["namespace"].value == s.namespace
    assert outputs["releaseName"].value == s.release_name
    assert outputs["kratosPublicService"].value == public_service_name(s.release_name)


def test_a_second_up_changes_nothing(dev: Deployed) -> None:
    dev.deployment.preview(expect_no_changes=True)
    assert changed(dev.deployment.up()) == {}


def test_the_state_and_stack_file_hold_no_secret_in_plaintext(
    dev: Deployed, cluster: LocalCluster
) -> None:
    state = json.dumps(dev.deployment.export_state())
    stack_file = dev.deployment.stack_file.read_text()
    for planted in (PLANTED_TOKEN, cluster.admin_token):
        assert planted not in state
        assert planted not in stack_file


def test_a_prod_like_stack_runs_beside_dev(
    dev: Deployed, deploy_stack: DeployStack, cluster: LocalCluster, chart: ChartUnderTest
) -> None:
    prod = deploy_stack("prod")
    settings = settings_from_config("prod", stack_config_for("prod", chart))
    name = fullname(settings.release_name)
    try:
        prod.up()
        deployment = cluster.get_json("deployment", name, "-n", settings.namespace)
        assert deployment["spec"]["replicas"] == 3
        assert deployment["status"].get("readyReplicas") == 3
        budget = cluster.get_json("poddisruptionbudget", name, "-n", settings.namespace)
        assert budget["spec"]["maxUnavailable"] == 1
        # The API server took the monitoring objects under the prometheus-operator's CRDs.
        assert settings.monitoring is not None
        monitor = cluster.get_json("servicemonitor", name, "-n", settings.namespace)
        assert monitor["spec"]["endpoints"][0]["path"] == ADMIN_METRICS_PATH
        rule = cluster.get_json("prometheusrule", name, "-n", settings.namespace)
        alerts = {r["alert"] for g in rule["spec"]["groups"] for r in g["rules"]}
        assert "KratosMigrationFailed" in alerts
        policy = cluster.get_json("networkpolicy", name, "-n", settings.namespace)
        admin = policy["spec"]["ingress"][1]
        assert [p["port"] for p in admin["ports"]] == [ADMIN_PORT_NAME]
        # dev is untouched by its neighbour.
        dev.deployment.preview(expect_no_changes=True)
    finally:
        prod.destroy()


def test_the_api_server_validates_routes_with_the_gateway_api_cel_rules(
    dev: Deployed, cluster: LocalCluster
) -> None:
    """The referee can fail: a route the Gateway API forbids is refused by this API server."""
    route = cluster.get_json("httproute", "-n", dev.settings.namespace)["items"][0]
    broken = {
        "apiVersion": route["apiVersion"],
        "kind": "HTTPRoute",
        "metadata": {"name": "broken", "namespace": dev.settings.namespace},
        "spec": {
            **route["spec"],
            "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "no-slash"}}]}],
        },
    }
    with pytest.raises(ClusterError) as refused:
        cluster.kubectl("create", "--dry-run=server", "-f", "-", input_text=json.dumps(broken))
    assert "value must be an absolute path" in str(refused.value) or "Invalid value" in str(
        refused.value
    )


def test_the_ory_chart_runs_our_config_with_the_courier_and_no_hook_accounts(
    dev: Deployed, cluster: LocalCluster, ory_chart: ChartUnderTest
) -> None:
    s = dev.settings
    name = fullname(s.release_name)
    config_map = cluster.get_json("configmap", f"{name}-config", "-n", s.namespace)
    kratos_yaml = yaml.safe_load(config_map["data"]["kratos.yaml"])
    assert kratos_yaml["serve"]["public"]["base_url"] == s.kratos_public_url
    assert "dsn" not in kratos_yaml and "secrets" not in kratos_yaml  # they come from the Secret
    # The engine hands Helm numbers as doubles; whole ones must still reach Kratos whole.
    cost = kratos_yaml["hashers"]["bcrypt"]["cost"]
    assert cost == s.resolved_bcrypt_cost and isinstance(cost, int)
    courier = cluster.get_json("statefulset", f"{name}-courier", "-n", s.namespace)
    assert courier["status"].get("readyReplicas") == 1
    deployment = cluster.get_json("deployment", name, "-n", s.namespace)
    kratos = deployment["spec"]["template"]["spec"]
    # Migrated once by our Job (test_migration.py), never by the chart: no hook Job, no init
    # container per pod.
    assert not kratos.get("initContainers")
    jobs = [j["metadata"]["name"] for j in cluster.get_json("job", "-n", s.namespace)["items"]]
    assert len(jobs) == 1 and re.fullmatch(job_name_regex(s.release_name), jobs[0]), jobs
    container = kratos["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == READY_PATH
    assert container["livenessProbe"]["httpGet"]["path"] == ALIVE_PATH
    courier_container = courier["spec"]["template"]["spec"]["containers"][0]
    assert courier_container["resources"] == container["resources"]
    # The NetworkPolicy's selector and port names are those of the pods the chart runs.
    selector = ",".join(f"{k}={v}" for k, v in pod_selector(s.release_name).items())
    pods = cluster.get_json("pods", "-n", s.namespace, "-l", selector)["items"]
    assert len(pods) == s.resolved_replicas
    names = {p["name"] for c in pods[0]["spec"]["containers"] for p in c.get("ports", [])}
    assert {PUBLIC_PORT_NAME, ADMIN_PORT_NAME} <= names
    accounts = cluster.get_json("serviceaccount", "-n", s.namespace)["items"]
    hooks = [
        a["metadata"]["name"]
        for a in accounts
        if "helm.sh/hook" in a["metadata"].get("annotations", {})
    ]
    assert hooks == []
