"""A settings change reaches exactly the resources it should, through the real engine; a bad
setting stops the real CLI before anything is registered."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pulumi import automation as auto

from local_cluster import LocalCluster
from local_cluster.engine import Deployment
from local_cluster.stack_config import NS
from stack_settings import settings_from_config
from stacks.chart import COURIER_CONTAINER, courier_name, fullname
from stacks.courier_probes import courier_probes
from tests.deploy.conftest import ChartUnderTest, DeployStack, changed, stack_config_for

STACK = "changes"
# Its own namespace and hosts, so it can live beside the other stacks of this session.
ISOLATION = {"namespace": "auth-changes", "domain": "changes.example.com"}


def _config(chart: ChartUnderTest, **changes: Any) -> dict[str, Any]:
    return stack_config_for("dev", chart, **ISOLATION, **changes)


@pytest.fixture(scope="module")
def stack(deploy_stack: DeployStack) -> Iterator[Deployment]:
    deployment = deploy_stack("dev", STACK, **ISOLATION)
    deployment.up()
    yield deployment
    deployment.destroy()


def _pod_template_annotations(cluster: LocalCluster, chart: ChartUnderTest) -> dict[str, str]:
    settings = settings_from_config(STACK, _config(chart))
    deployment = cluster.get_json(
        "deployment", fullname(settings.release_name), "-n", settings.namespace
    )
    return dict(deployment["spec"]["template"]["metadata"].get("annotations", {}))


def _courier(cluster: LocalCluster, chart: ChartUnderTest) -> dict[str, Any]:
    settings = settings_from_config(STACK, _config(chart))
    courier: dict[str, Any] = cluster.get_json(
        "statefulset", courier_name(settings.release_name), "-n", settings.namespace
    )
    return courier


def test_a_lifespan_change_updates_only_the_release_and_rolls_the_pods(
    stack: Deployment, cluster: LocalCluster, chart: ChartUnderTest
) -> None:
    before = _pod_template_annotations(cluster, chart)
    courier_before = _courier(cluster, chart)["spec"]["template"]
    stack.write_config(_config(chart, flowLifespan="2h"))
    preview = stack.preview()
    assert changed(preview) == {"update": 1}
    up = stack.up()
    assert changed(up) == {"update": 1}
    after = _pod_template_annotations(cluster, chart)
    assert after["checksum/kratos-config"] != before["checksum/kratos-config"]
    # Helm rewrote the courier's pod template too, and its three-way merge kept our probes.
    courier_after = _courier(cluster, chart)["spec"]["template"]
    assert courier_after["metadata"]["annotations"] != courier_before["metadata"]["annotations"]
    [container] = [c for c in courier_after["spec"]["containers"] if c["name"] == COURIER_CONTAINER]
    for probe, expected in courier_probes().items():
        assert container[probe]["tcpSocket"] == expected["tcpSocket"], probe


def test_a_remote_key_change_updates_only_the_external_secret(
    stack: Deployment, cluster: LocalCluster, chart: ChartUnderTest
) -> None:
    config = _config(chart, flowLifespan="2h")
    store = dict(config[f"{NS}:secretStore"])
    store["dsnKey"] = "kratos/changes/dsn-v2"
    config[f"{NS}:secretStore"] = store
    stack.write_config(config)
    up = stack.up()
    assert changed(up) == {"update": 1}
    settings = settings_from_config(STACK, config)
    assert settings.secret_store is not None
    external = cluster.get_json(
        "externalsecret", settings.secret_store.target_secret_name, "-n", settings.namespace
    )
    remote = {d["secretKey"]: d["remoteRef"]["key"] for d in external["spec"]["data"]}
    assert remote["DSN"] == "kratos/changes/dsn-v2"


def test_a_bad_setting_fails_preview_with_the_settings_message_and_registers_nothing(
    deploy_stack: DeployStack,
) -> None:
    deployment = deploy_stack(
        "dev", "bad-settings", namespace="auth-bad", uiHost="ui.something-else.com"
    )
    with pytest.raises(auto.CommandError) as failure:
        deployment.up()
    output = str(failure.value)
    assert f"{NS}:uiHost" in output
    assert "ui.something-else.com" in output
    assert "Fix:" in output or "fix" in output.lower()
    assert "Traceback" not in output
    resources = deployment.export_state().get("resources") or []
    assert [r["type"] for r in resources if not r["type"].startswith("pulumi:")] == []
