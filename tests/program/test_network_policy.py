"""The stack's NetworkPolicy: the public port from the Gateway's namespace only, the admin port
only from namespaces the settings name (none by default)."""

from __future__ import annotations

from typing import Any

from stack_settings import StackSettings
from stacks.chart import ADMIN_PORT_NAME, PUBLIC_PORT_NAME, pod_selector
from stacks.network_policy import NAMESPACE_NAME_LABEL
from tests.program.conftest import RunWith
from tests.program.harness import ProgramRun


def policy_spec(run: ProgramRun) -> dict[str, Any]:
    [policy] = run.kind("NetworkPolicy")
    spec: dict[str, Any] = policy.inputs["spec"]
    return spec


def sources(rule: dict[str, Any]) -> list[str]:
    [peer] = rule["from"]
    [expression] = peer["namespaceSelector"]["matchExpressions"]
    assert (expression["key"], expression["operator"]) == (NAMESPACE_NAME_LABEL, "In")
    return list(expression["values"])


def ports(rule: dict[str, Any]) -> list[str]:
    return [port["port"] for port in rule["ports"]]


def test_only_the_gateway_reaches_the_public_port(run: ProgramRun, settings: StackSettings) -> None:
    assert settings.gateway is not None
    spec = policy_spec(run)
    assert spec["podSelector"] == {"matchLabels": pod_selector(settings.release_name)}
    assert spec["policyTypes"] == ["Ingress"]
    public = spec["ingress"][0]
    assert ports(public) == [PUBLIC_PORT_NAME]
    assert sources(public) == [settings.gateway.namespace]
    [policy] = run.kind("NetworkPolicy")
    assert policy.inputs["metadata"]["namespace"] == settings.namespace


def test_nothing_reaches_the_admin_port_by_default(run_with: RunWith) -> None:
    [public] = policy_spec(run_with("prod", adminNamespaces=None))["ingress"]
    assert ports(public) == [PUBLIC_PORT_NAME]


def test_the_admin_port_opens_to_the_namespaces_settings_name(run_with: RunWith) -> None:
    spec = policy_spec(run_with("prod", adminNamespaces=["monitoring", "ops"]))
    public, admin = spec["ingress"]
    assert ports(public) == [PUBLIC_PORT_NAME]
    assert ports(admin) == [ADMIN_PORT_NAME]
    assert sources(admin) == ["monitoring", "ops"]


def test_a_bad_admin_namespace_is_refused_by_name(run_with: RunWith) -> None:
    run = run_with("prod", adminNamespaces=["Not_A_Namespace"])
    assert run.error is not None
    assert "adminNamespaces" in str(run.error) and "Not_A_Namespace" in str(run.error)
