"""The Kratos Helm release: chart, values the chart really reads, config, schemas, sizing."""

from __future__ import annotations

import json
from typing import Any

from kratos_config import render
from stack_settings import StackSettings
from stack_settings.model import DEFAULT_CHART_REPOSITORY
from stacks.chart import (
    KRATOS_IMAGE_PULL_POLICY,
    KRATOS_IMAGE_REPOSITORY,
    SCHEMA_BASE_URL,
    pod_selector,
    workload_service_account_name,
)
from tests.program.chart_paths import chart_paths, unknown_value_paths
from tests.program.conftest import RunWith
from tests.program.harness import ProgramRun, Registered

RELEASE = "kubernetes:helm.sh/v3:Release"


def values_of(run: ProgramRun) -> dict[str, Any]:
    values: dict[str, Any] = run.one(RELEASE).inputs["values"]
    return values


def strings_in(tree: Any) -> list[str]:
    if isinstance(tree, dict):
        return [s for value in tree.values() for s in strings_in(value)]
    if isinstance(tree, list):
        return [s for value in tree for s in strings_in(value)]
    return [tree] if isinstance(tree, str) else []


def test_release_is_the_ory_chart_at_the_pinned_version(
    run: ProgramRun, settings: StackSettings
) -> None:
    release = run.one(RELEASE).inputs
    assert release["chart"] == "kratos"
    assert release["version"] == settings.chart_version == "0.59.0"
    assert release["repositoryOpts"] == {"repo": DEFAULT_CHART_REPOSITORY}
    # A fixed release name: the chart derives every object name (and the Service the route
    # targets) from it, so Pulumi must not add a random suffix.
    assert release["name"] == settings.release_name
    assert release["namespace"] == settings.namespace
    assert values_of(run)["image"] == {
        "repository": KRATOS_IMAGE_REPOSITORY,
        "tag": settings.image_tag,
        "pullPolicy": KRATOS_IMAGE_PULL_POLICY,
    }


def test_every_value_path_is_one_the_chart_reads(run: ProgramRun) -> None:
    assert len(chart_paths()) > 250
    assert unknown_value_paths(values_of(run)) == []


def test_the_path_check_catches_a_misspelled_value() -> None:
    bad = {"deployment": {"environmentSecretName": "x"}, "secrets": {"enabled": False}}
    assert unknown_value_paths(bad) == ["deployment.environmentSecretName", "secrets"]


def test_values_carry_the_rendered_config_with_schemas_where_the_chart_mounts_them(
    run: ProgramRun, settings: StackSettings
) -> None:
    kratos = values_of(run)["kratos"]
    rendered = render(settings, SCHEMA_BASE_URL)
    assert kratos["config"] == rendered.config
    assert SCHEMA_BASE_URL == "file:///etc/config/"
    urls = [schema["url"] for schema in kratos["config"]["identity"]["schemas"]]
    assert urls and all(url.startswith(SCHEMA_BASE_URL) for url in urls)
    # Each URL names a file the chart writes into the mounted ConfigMap.
    assert sorted(url.removeprefix(SCHEMA_BASE_URL) for url in urls) == sorted(
        kratos["identitySchemas"]
    )
    for name, text in kratos["identitySchemas"].items():
        assert isinstance(text, str), "ConfigMap data must be text"
        assert json.loads(text) == rendered.schemas[name]


def test_config_survives_the_charts_tpl_pass(run: ProgramRun) -> None:
    # _helpers.tpl renders kratos.config through `tpl`; a `{{` would be read as a template.
    assert not [s for s in strings_in(values_of(run)["kratos"]["config"]) if "{{" in s]


def test_the_chart_migrates_nothing_and_dev_mode_follows_settings(
    run: ProgramRun, settings: StackSettings
) -> None:
    kratos = values_of(run)["kratos"]
    # Our own Job migrates (test_migration.py); the chart runs neither its hook Job nor an
    # initContainer per replica (test_chart_render.py proves what the chart makes of it).
    assert kratos["automigration"] == {"enabled": False}
    assert values_of(run)["job"] == {"serviceAccount": {"create": False}}
    assert kratos["development"] is settings.dev_mode
    assert kratos["config"]["dev"] is settings.dev_mode
    assert values_of(run)["deployment"]["extraArgs"] == ["--sqa-opt-out"]


def test_prod_never_runs_dev_mode(stack_runs: dict[str, ProgramRun]) -> None:
    assert values_of(stack_runs["prod"])["kratos"]["development"] is False


def test_replicas_resources_and_disruption_budget_follow_the_environment(
    stack_runs: dict[str, ProgramRun],
) -> None:
    dev, prod = values_of(stack_runs["dev"]), values_of(stack_runs["prod"])
    assert dev["replicaCount"] == 1
    assert prod["replicaCount"] == 3
    for values in (dev, prod):
        assert values["pdb"] == {"enabled": False}  # ours below, not the chart's
        resources = values["deployment"]["resources"]
        assert resources["requests"]["cpu"] and resources["limits"]["memory"]
        # The courier is sized by deployment.resources; statefulSet.resources is read by nothing.
        assert "resources" not in values["statefulSet"]
    assert prod["deployment"]["resources"] != dev["deployment"]["resources"]
    assert stack_runs["dev"].kind("PodDisruptionBudget") == []
    [budget] = stack_runs["prod"].kind("PodDisruptionBudget")
    assert budget.inputs["spec"] == {
        "maxUnavailable": 1,
        "selector": {"matchLabels": pod_selector("kratos")},
    }
    assert budget.inputs["metadata"]["namespace"] == "auth"
    spread = prod["deployment"]["topologySpreadConstraints"]
    assert spread[0]["labelSelector"]["matchLabels"] == pod_selector("kratos")


def test_a_config_change_rolls_the_pods(run_with: RunWith) -> None:
    # The chart annotates pods with a checksum of its config ConfigMap (kratos.yaml + schemas);
    # with hashSumEnabled on, any change to those values gives new pods.
    before, after = run_with("prod"), run_with("prod", sessionLifespan="12h")
    values_before, values_after = values_of(before), values_of(after)
    assert values_before["configmap"]["hashSumEnabled"] is True
    assert values_before["kratos"]["config"] != values_after["kratos"]["config"]
    assert values_after["kratos"]["config"]["session"]["lifespan"] == "12h"


def test_a_rollout_never_drops_a_ready_pod_and_drains_before_stopping(run: ProgramRun) -> None:
    # One surge pod at a time, none taken away before its replacement is ready; a stopping pod
    # keeps serving while its endpoint leaves kube-proxy and the Gateway (proven on real pods).
    values = values_of(run)
    assert values["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0},
    }
    sleep = values["deployment"]["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert 0 < sleep < values.get("deployment", {}).get("terminationGracePeriodSeconds", 60)


def test_a_secret_change_rolls_the_pods(run: ProgramRun) -> None:
    # The chart's watcher waits for the kubelet to replace the mounted copy of the env Secret,
    # then rolls every Deployment and StatefulSet carrying its label (serve and courier).
    values = values_of(run)
    [external_secret] = run.kind("ExternalSecret")
    spec = external_secret.inputs["spec"]
    watcher = values["watcher"]
    assert watcher["enabled"] is True
    watched_dir, watched_key = watcher["mountFile"].rsplit("/", 1)
    assert watched_key in {item["secretKey"] for item in spec["data"]}
    deployment = values["deployment"]
    [mount] = [m for m in deployment["extraVolumeMounts"] if m["mountPath"] == watched_dir]
    [volume] = [v for v in deployment["extraVolumes"] if v["name"] == mount["name"]]
    assert volume["secret"]["secretName"] == spec["target"]["name"]
    assert mount["readOnly"] is True
    assert watcher["resources"]["limits"]["memory"]


def test_release_waits_for_its_secret_and_namespace(run: ProgramRun) -> None:
    release = run.one(RELEASE)
    [external_secret] = run.kind("ExternalSecret")
    [namespace] = run.kind("Namespace")
    assert run.by_urn(release.parent).type == "kratos-auth:stacks:KratosRelease"
    # Recorded on the resources themselves, so the engine also orders updates and deletes:
    # the release is uninstalled before its Secret goes.
    assert {external_secret.urn, namespace.urn} <= set(release.dependencies)
    assert namespace.urn in external_secret.dependencies
    for budget in run.kind("PodDisruptionBudget"):
        assert namespace.urn in budget.dependencies


def test_every_resource_is_parented_to_a_component(
    run: ProgramRun, settings: StackSettings
) -> None:
    components = [r for r in run.resources if r.type.startswith("kratos-auth:stacks:")]
    assert {c.type.rsplit(":", 1)[1] for c in components} >= {
        "KratosSecrets",
        "KratosRelease",
        "KratosMigration",
        "KratosNetworkPolicy",
        "KratosTls",
        "KratosRouting",
        "DnsRecords",
    }
    monitored = any(c.type.endswith(":KratosMonitoring") for c in components)
    assert monitored == (settings.monitoring is not None)
    # The namespace is the program's own single resource; everything in it is in a component.
    managed: list[Registered] = [
        r for r in run.resources if r.custom and r not in run.kind("Namespace")
    ]
    assert managed
    component_urns = {c.urn for c in components}
    for resource in managed:
        assert resource.parent in component_urns, f"{resource.name} is not in a component"


def test_kratos_pods_run_as_our_tokenless_account_made_before_the_release(run: ProgramRun) -> None:
    [account] = run.kind("ServiceAccount")
    assert account.inputs["automountServiceAccountToken"] is False
    name = account.inputs["metadata"]["name"]
    assert name == workload_service_account_name("kratos")
    release = run.one(RELEASE)
    assert values_of(run)["deployment"]["serviceAccount"] == {"create": False, "name": name}
    # The migration Job runs before any chart object exists: the account must be there first.
    assert account.urn in release.dependencies
    [job] = run.kind("Job")
    assert account.urn in job.dependencies
