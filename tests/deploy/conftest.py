"""The real-deploy tier: the real Pulumi engine and kubernetes provider deploying the program to
a real control plane on 127.0.0.1 (kwok as its node), started once per test session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from local_cluster import LocalCluster
from local_cluster.engine import Deployment, deployment_into
from local_cluster.stack_config import NS, cluster_stack_config
from stack_settings.model import DEFAULT_CHART_VERSION, DEFAULT_IMAGE_TAG
from tests.deploy.failing_migration import failing_migration_stage
from tests.deploy.stand_in_chart import write_stand_in_chart
from tests.support.chart_render import HOW_TO_ENABLE, ory_chart_dir


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.deploy)


@dataclass(frozen=True)
class ChartUnderTest:
    path: Path
    is_ory_chart: bool  # False: our stand-in, which proves nothing about the Ory chart


@pytest.fixture(scope="session")
def chart(tmp_path_factory: pytest.TempPathFactory) -> ChartUnderTest:
    path = ory_chart_dir()
    if path is not None:
        return ChartUnderTest(path, is_ory_chart=True)
    folder = tmp_path_factory.mktemp("stand-in-chart")
    return ChartUnderTest(
        write_stand_in_chart(folder, DEFAULT_CHART_VERSION, DEFAULT_IMAGE_TAG), is_ory_chart=False
    )


@pytest.fixture
def ory_chart(chart: ChartUnderTest) -> ChartUnderTest:
    """For tests about what the Ory chart itself renders: they skip without it."""
    if not chart.is_ory_chart:
        pytest.skip(HOW_TO_ENABLE)
    return chart


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    # One extra kwok stage fails the migration pods of test_migration.py's failing upgrade.
    with LocalCluster(
        tmp_path_factory.mktemp("cluster"), extra_stages=[failing_migration_stage()]
    ) as running:
        yield running


DeployStack = Callable[..., Deployment]


def changes_of(result: auto.UpResult | auto.PreviewResult | auto.DestroyResult) -> dict[str, int]:
    """What an operation did, by kind ("create", "update", "same", …)."""
    summary = (
        result.change_summary
        if isinstance(result, auto.PreviewResult)
        else result.summary.resource_changes
    )
    return {str(getattr(kind, "value", kind)): count for kind, count in (summary or {}).items()}


def changed(result: auto.UpResult | auto.PreviewResult) -> dict[str, int]:
    """The same without what stayed as it was (a read of the platform's namespace is no change)."""
    return {kind: n for kind, n in changes_of(result).items() if kind not in ("same", "read")}


@pytest.fixture(scope="session")
def deploy_stack(
    cluster: LocalCluster, chart: ChartUnderTest, tmp_path_factory: pytest.TempPathFactory
) -> DeployStack:
    """A Deployment of a real stack file with some keys replaced (None removes a key)."""

    def _deployment(stack: str, name: str | None = None, **changes: Any) -> Deployment:
        config = stack_config_for(stack, chart, **changes)
        state_dir = tmp_path_factory.mktemp(f"deploy-{name or stack}")
        return deployment_into(cluster, name or stack, config, state_dir)

    return _deployment


def stack_config_for(stack: str, chart: ChartUnderTest, **changes: Any) -> dict[str, Any]:
    config = cluster_stack_config(stack, chart.path)
    for key, value in changes.items():
        config.pop(f"{NS}:{key}", None)
        if value is not None:
            config[f"{NS}:{key}"] = value
    return config
