"""What the real Ory chart 0.59.0 renders from our values (`helm template`, $KRATOS_CHART_DIR):
every value we set is read by a template, no migration of the chart's own (ours runs what its
Job would), probes on the right endpoints, the courier sized by the value the chart reads, no
hook ServiceAccounts."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from stack_settings import ClusterSettings, load_stack
from stacks.chart import (
    ADMIN_PORT_NAME,
    COURIER_CONTAINER,
    COURIER_METRICS_PORT_NAME,
    PUBLIC_PORT_NAME,
    courier_name,
    fullname,
    pod_selector,
    workload_service_account_name,
)
from stacks.kratos import KratosReleaseArgs, chart_values
from stacks.migration import MIGRATE_COMMAND, KratosMigrationArgs, job_spec
from stacks.probes import ALIVE_PATH, READY_PATH, startup_budget_seconds
from tests.program.chart_paths import FREE_FORM
from tests.support.chart_render import (
    HOW_TO_ENABLE,
    Rendered,
    RenderError,
    ory_chart_dir,
    render,
    render_text,
)

SENTINEL = "sentinel-value-no-template-reads"
KeyPath = tuple[str, ...]


@pytest.fixture(scope="module")
def chart() -> Path:
    path = ory_chart_dir()
    if path is None:
        pytest.skip(HOW_TO_ENABLE)
    return path


def values_for(stack: str) -> dict[str, Any]:
    settings = load_stack(stack)
    assert isinstance(settings, ClusterSettings)
    args = KratosReleaseArgs.from_settings(
        settings, settings.namespace, settings.secret_store.target_secret_name
    )
    return chart_values(args)


@pytest.fixture(scope="module", params=("dev", "prod"))
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def rendered(chart: Path, stack: str) -> Rendered:
    return render(chart, values_for(stack))


def leaf_paths(values: Any, prefix: KeyPath = ()) -> Iterator[KeyPath]:
    """Every value we set, as a path of keys; a list or a free-form subtree counts as one value."""
    if isinstance(values, dict) and ".".join(prefix) not in FREE_FORM and values:
        for key, value in values.items():
            yield from leaf_paths(value, (*prefix, key))
    elif prefix:
        yield prefix


def with_changed(values: dict[str, Any], path: KeyPath) -> dict[str, Any]:
    """The values with the one at `path` replaced by another value a template would show."""
    changed = copy.deepcopy(values)
    parent = changed
    for key in path[:-1]:
        parent = parent[key]
    old = parent[path[-1]]
    if isinstance(old, bool):
        new: Any = not old
    elif isinstance(old, int):
        new = old + 7
    elif isinstance(old, list):
        new = [] if old else [SENTINEL]
    elif isinstance(old, dict):
        new = {SENTINEL: SENTINEL} if not old else {**old, SENTINEL: SENTINEL}
    else:
        new = SENTINEL
    parent[path[-1]] = new
    return changed


def is_read(chart: Path, values: dict[str, Any], baseline: str, path: KeyPath) -> bool:
    """A value is read when changing it changes the manifests (or makes Helm refuse them)."""
    try:
        return render_text(chart, with_changed(values, path)) != baseline
    except RenderError:
        return True


def test_every_value_we_set_is_read_by_a_template(chart: Path, stack: str) -> None:
    values = values_for(stack)
    baseline = render_text(chart, values)
    paths = list(leaf_paths(values))
    assert len(paths) > 15
    dead = [".".join(p) for p in paths if not is_read(chart, values, baseline, p)]
    assert dead == [], f"no template of the chart reads {dead}"


def test_the_dead_path_check_catches_a_value_no_template_reads(chart: Path) -> None:
    # statefulSet.resources is in values.yaml, yet statefulset-mail.yaml reads deployment.resources.
    values = values_for("prod")
    values["statefulSet"]["resources"] = {"limits": {"memory": "1Gi"}}
    baseline = render_text(chart, values)
    assert not is_read(chart, values, baseline, ("statefulSet", "resources", "limits", "memory"))
    assert is_read(chart, values, baseline, ("deployment", "resources", "limits", "memory"))


def test_the_chart_migrates_nothing_itself(rendered: Rendered) -> None:
    # Neither its hook Job (with its ConfigMap) nor an initContainer per replica: ours migrates.
    assert rendered.kind("Job") == []
    assert f"{fullname('kratos')}-migrate" not in [
        c["metadata"]["name"] for c in rendered.kind("ConfigMap")
    ]
    for kind in ("Deployment", "StatefulSet"):
        for workload in rendered.kind(kind):
            assert not workload["spec"]["template"]["spec"].get("initContainers"), kind


def test_our_migration_runs_what_the_charts_own_job_would(chart: Path, stack: str) -> None:
    """The chart's Job, rendered with its migration on, against ours: image, command, DSN."""
    values = values_for(stack)
    values["kratos"]["automigration"] = {"enabled": True, "type": "job"}
    [theirs] = render(chart, values).kind("Job")
    their_container = theirs["spec"]["template"]["spec"]["containers"][0]
    settings = load_stack(stack)
    assert isinstance(settings, ClusterSettings)
    secret = settings.secret_store.target_secret_name
    account = workload_service_account_name(settings.release_name)
    ours = job_spec(
        KratosMigrationArgs(
            settings.namespace, settings.release_name, settings.image_tag, secret, account
        )
    )
    our_container = ours["template"]["spec"]["containers"][0]
    assert our_container["image"] == their_container["image"]
    assert our_container["imagePullPolicy"] == their_container["imagePullPolicy"]
    their_command = [*their_container["command"], *their_container["args"]]
    # Theirs adds `--config`: with `-e` the DSN comes from the environment, and nothing else
    # of the config is needed to migrate.
    assert their_command[: len(MIGRATE_COMMAND)] == list(MIGRATE_COMMAND)
    assert their_command[len(MIGRATE_COMMAND) :][0] == "--config"
    [their_dsn] = [e for e in their_container["env"] if e["name"] == "DSN"]
    [our_dsn] = our_container["env"]
    assert our_dsn["name"] == "DSN"
    assert (
        our_dsn["valueFrom"]["secretKeyRef"]["name"]
        == their_dsn["valueFrom"]["secretKeyRef"]["name"]
    )
    their_pod = theirs["spec"]["template"]["spec"]
    assert ours["template"]["spec"]["serviceAccountName"] == their_pod["serviceAccountName"]
    assert ours["template"]["spec"]["restartPolicy"] == their_pod["restartPolicy"]


def test_kratos_is_ready_on_its_database_and_alive_on_its_process(rendered: Rendered) -> None:
    deployment = rendered.one("Deployment", fullname("kratos"))
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == READY_PATH
    assert container["livenessProbe"]["httpGet"]["path"] == ALIVE_PATH
    startup = container["startupProbe"]
    assert startup["httpGet"]["path"] == READY_PATH
    budget = startup["periodSeconds"] * startup["failureThreshold"]
    assert budget == startup_budget_seconds() >= 300
    ports = {p["name"] for p in container["ports"]}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["port"] in ports | {
            p["containerPort"] for p in container["ports"]
        }


def test_the_courier_is_sized_like_kratos(rendered: Rendered, stack: str) -> None:
    [courier] = rendered.kind("StatefulSet")
    resources = courier["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert resources == values_for(stack)["deployment"]["resources"]
    assert resources["requests"]["cpu"] and resources["limits"]["memory"]


def test_the_courier_patch_names_the_charts_courier_container_and_metrics_port(
    rendered: Rendered,
) -> None:
    [courier] = rendered.kind("StatefulSet")
    assert courier["metadata"]["name"] == courier_name("kratos")
    containers = courier["spec"]["template"]["spec"]["containers"]
    [container] = [c for c in containers if c["name"] == COURIER_CONTAINER]
    [port] = [p for p in container["ports"] if p["name"] == COURIER_METRICS_PORT_NAME]
    # The courier serves metrics on that port, so a TCP probe of it sees the process serve.
    flag = container["args"].index("--expose-metrics-port")
    assert container["args"][flag + 1] == str(port["containerPort"])
    # The chart still sets no probe of its own: ours (stacks/courier_probes.py) are the only ones.
    assert not {"livenessProbe", "readinessProbe", "startupProbe"} & set(container)


def test_kratos_pods_run_as_our_account_and_the_chart_makes_no_hook_account(
    rendered: Rendered,
) -> None:
    # Ours is made by Pulumi before the migration Job and the chart; a hook account of the
    # chart's would outlive a rolled-back install.
    hooks = [
        a["metadata"]["name"]
        for a in rendered.kind("ServiceAccount")
        if "helm.sh/hook" in a["metadata"].get("annotations", {})
    ]
    assert hooks == []
    ours = workload_service_account_name("kratos")
    # The only account the chart makes is the watcher's (it may roll the Deployment).
    accounts = [a["metadata"]["name"] for a in rendered.kind("ServiceAccount")]
    assert accounts == [f"{ours}-watcher"]
    pods = [rendered.one("Deployment", fullname("kratos")), *rendered.kind("StatefulSet")]
    assert [p["kind"] for p in pods] == ["Deployment", "StatefulSet"]
    for workload in pods:
        assert workload["spec"]["template"]["spec"]["serviceAccountName"] == ours, workload["kind"]


def test_the_network_policy_selects_the_kratos_pods_and_names_their_ports(
    rendered: Rendered,
) -> None:
    deployment = rendered.one("Deployment", fullname("kratos"))
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert pod_selector("kratos").items() <= labels.items()
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert {PUBLIC_PORT_NAME, ADMIN_PORT_NAME} <= {p["name"] for p in container["ports"]}
    # The courier and the migration Job are not Kratos serve pods: the policy leaves them be.
    for other in (*rendered.kind("StatefulSet"), *rendered.kind("Job")):
        other_labels = other["spec"]["template"]["metadata"]["labels"]
        assert not pod_selector("kratos").items() <= other_labels.items()
