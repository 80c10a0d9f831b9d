"""The migration Job through the real engine: one run before the release, and a failed run that
fails `pulumi up` with the migration's log while the old release keeps serving.

The failing run is made by the cluster's extra kwok stage (tests/deploy/failing_migration.py):
it ends this namespace's migration pods for the -distroless image as a kubelet ends a container
that exited 1, its log tail as the termination message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from pulumi import automation as auto

from local_cluster import LocalCluster
from local_cluster.engine import Deployment
from local_cluster.stack_config import NS
from stack_settings import StackSettings, settings_from_config
from stacks.chart import KRATOS_IMAGE_REPOSITORY, fullname
from stacks.migration import MIGRATION_BACKOFF_LIMIT, job_name_regex, migration_selector
from tests.deploy.conftest import ChartUnderTest, DeployStack, changed, stack_config_for
from tests.deploy.failing_migration import FAILING_IMAGE_TAG, LOG_MARKER, NAMESPACE, RELEASE_NAME

STACK = "migration"
ISOLATION = {"namespace": NAMESPACE, "domain": "migration.example.com"}


class Migrated:
    def __init__(self, deployment: Deployment, settings: StackSettings, config: dict[str, Any]):
        self.deployment = deployment
        self.settings = settings
        self.config = config


@pytest.fixture(scope="module")
def stack(deploy_stack: DeployStack, chart: ChartUnderTest) -> Iterator[Migrated]:
    config = stack_config_for("dev", chart, **ISOLATION)
    settings = settings_from_config(STACK, config)
    assert settings.release_name == RELEASE_NAME
    assert settings.image_tag != FAILING_IMAGE_TAG
    deployment = deploy_stack("dev", STACK, **ISOLATION)
    deployment.up()
    yield Migrated(deployment, settings, config)
    deployment.destroy()


def migration_jobs(cluster: LocalCluster, s: StackSettings) -> dict[str, dict[str, Any]]:
    selector = ",".join(f"{k}={v}" for k, v in migration_selector(s.release_name).items())
    items = cluster.get_json("jobs", "-n", s.namespace, "-l", selector)["items"]
    return {job["metadata"]["name"]: job for job in items}


def condition(job: dict[str, Any], kind: str) -> bool:
    conditions = job.get("status", {}).get("conditions", [])
    return any(c["type"] == kind and c["status"] == "True" for c in conditions)


def job_pods(cluster: LocalCluster, s: StackSettings, job: str) -> list[dict[str, Any]]:
    pods = cluster.get_json("pods", "-n", s.namespace, "-l", f"job-name={job}")["items"]
    return list(pods)


def release_revisions(cluster: LocalCluster, s: StackSettings) -> list[tuple[str, str]]:
    """(revision, status) of each Helm release record, oldest first."""
    records = cluster.get_json(
        "secrets", "-n", s.namespace, "-l", f"owner=helm,name={s.release_name}"
    )["items"]
    labels = sorted((r["metadata"]["labels"] for r in records), key=lambda x: int(x["version"]))
    return [(label["version"], label["status"]) for label in labels]


def kratos_serving(cluster: LocalCluster, s: StackSettings) -> tuple[str, int]:
    """The image the Kratos Deployment runs and how many of its pods are ready."""
    deployment = cluster.get_json("deployment", fullname(s.release_name), "-n", s.namespace)
    image = deployment["spec"]["template"]["spec"]["containers"][0]["image"]
    return image, int(deployment["status"].get("readyReplicas", 0))


def test_up_migrates_once_and_before_the_release(stack: Migrated, cluster: LocalCluster) -> None:
    s = stack.settings
    [(name, job)] = migration_jobs(cluster, s).items()
    assert re.fullmatch(job_name_regex(s.release_name), name)
    assert condition(job, "Complete")
    assert len(job_pods(cluster, s, name)) == 1  # one run, no retry
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == f"{KRATOS_IMAGE_REPOSITORY}:{s.image_tag}"
    assert container["terminationMessagePolicy"] == "FallbackToLogsOnError"
    # The Kratos pods exist only after the migration finished (RFC 3339 UTC sorts as text).
    deployment = cluster.get_json("deployment", fullname(s.release_name), "-n", s.namespace)
    assert job["status"]["completionTime"] <= deployment["metadata"]["creationTimestamp"]
    assert release_revisions(cluster, s) == [("1", "deployed")]
    # A second `up` starts no second run; nor does a refresh (the finished Job is kept, so it
    # is found as it was; the courier's probe patch does read back changed, see the README).
    stack.deployment.preview(expect_no_changes=True)
    assert changed(stack.deployment.up()) == {}
    stack.deployment.refresh()
    assert "batch/v1:Job" not in stack.deployment.preview().stdout
    assert changed(stack.deployment.up()).keys() <= {"update"}
    stack.deployment.preview(expect_no_changes=True)
    assert list(migration_jobs(cluster, s)) == [name]


def _failing_up(stack: Migrated) -> str:
    stack.deployment.write_config({**stack.config, f"{NS}:imageTag": FAILING_IMAGE_TAG})
    with pytest.raises(auto.CommandError) as failure:
        stack.deployment.up()
    return str(failure.value)


def test_a_failed_migration_fails_up_with_its_log_and_the_old_release_keeps_serving(
    stack: Migrated, cluster: LocalCluster
) -> None:
    s = stack.settings
    [good] = migration_jobs(cluster, s)
    serving_before = kratos_serving(cluster, s)
    revisions_before = release_revisions(cluster, s)

    output = _failing_up(stack)

    jobs = migration_jobs(cluster, s)
    [failed] = [name for name in jobs if name != good]
    assert condition(jobs[failed], "Failed")
    assert len(job_pods(cluster, s, failed)) == MIGRATION_BACKOFF_LIMIT + 1
    # The error names the Job, why it stopped, and carries the migration's own log lines.
    assert failed in output
    assert "BackoffLimitExceeded" in output
    assert LOG_MARKER in output
    assert "Unable to ping database" in output
    assert "Traceback" not in output
    # The release was never touched: same revisions, same image, every pod still ready.
    assert release_revisions(cluster, s) == revisions_before
    assert kratos_serving(cluster, s) == serving_before
    assert serving_before[1] == s.resolved_replicas
    # The last good migration stays beside the failed one until a new one succeeds.
    assert condition(jobs[good], "Complete")


def test_the_next_up_runs_the_failed_migration_again(
    stack: Migrated, cluster: LocalCluster
) -> None:
    s = stack.settings
    failed_before = {n for n, job in migration_jobs(cluster, s).items() if condition(job, "Failed")}

    output = _failing_up(stack)

    jobs = migration_jobs(cluster, s)
    # Replaced by a new Job (replaceUnready), so a fixed database would be migrated by this run.
    [rerun] = {n for n, job in jobs.items() if condition(job, "Failed")} - failed_before
    assert len(job_pods(cluster, s, rerun)) == MIGRATION_BACKOFF_LIMIT + 1
    assert rerun in output
    assert LOG_MARKER in output


def test_back_on_the_old_image_up_succeeds_and_keeps_one_migration(
    stack: Migrated, cluster: LocalCluster
) -> None:
    s = stack.settings
    revisions = release_revisions(cluster, s)
    stack.deployment.write_config(stack.config)
    stack.deployment.up()
    stack.deployment.preview(expect_no_changes=True)
    # The failed Jobs are gone; the one left is a new, completed run for the old image.
    [job] = migration_jobs(cluster, s).values()
    assert condition(job, "Complete")
    assert job["spec"]["template"]["spec"]["containers"][0]["image"].endswith(f":{s.image_tag}")
    assert release_revisions(cluster, s) == revisions
    assert kratos_serving(cluster, s) == (
        f"{KRATOS_IMAGE_REPOSITORY}:{s.image_tag}",
        s.resolved_replicas,
    )
