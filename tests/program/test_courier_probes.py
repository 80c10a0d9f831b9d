"""Courier probes: chart 0.59.0 renders the courier without any, so a server-side apply patch
after the release adds TCP probes on its metrics port (test_chart_render.py checks the port and
container it names against the real chart)."""

from __future__ import annotations

from stack_settings import StackSettings
from stacks.chart import COURIER_CONTAINER, COURIER_METRICS_PORT_NAME, courier_name
from stacks.probes import startup_budget_seconds
from tests.program.harness import ProgramRun

PATCH = "kubernetes:apps/v1:StatefulSetPatch"


def test_the_courier_is_patched_with_tcp_probes_on_its_metrics_port(
    run: ProgramRun, settings: StackSettings
) -> None:
    patch = run.one(PATCH).inputs
    assert patch["metadata"] == {
        "name": courier_name(settings.release_name),
        "namespace": settings.namespace,
    }
    [container] = patch["spec"]["template"]["spec"]["containers"]
    # The container's merge key and the probes: the patch owns no other field.
    assert set(container) == {"name", "startupProbe", "readinessProbe", "livenessProbe"}
    assert container["name"] == COURIER_CONTAINER
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["tcpSocket"] == {"port": COURIER_METRICS_PORT_NAME}
        assert "httpGet" not in container[probe]  # no probe lines in the courier's request log
    startup = container["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] == startup_budget_seconds()
    assert set(patch["spec"]) == {"template"}


def test_the_patch_comes_after_the_release(run: ProgramRun) -> None:
    patch = run.one(PATCH)
    release = run.one("kubernetes:helm.sh/v3:Release")
    assert release.urn in patch.dependencies
    assert run.by_urn(patch.parent).type == "kratos-auth:stacks:CourierProbes"
