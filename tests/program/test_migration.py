"""The database migration: one Job of ours per Kratos image, which the release waits for, with
the migration's log tail routed into the pod status (and so into a failed `pulumi up`)."""

from __future__ import annotations

import re
from typing import Any

from stack_settings import StackSettings
from stacks.chart import workload_service_account_name
from stacks.migration import (
    MIGRATE_COMMAND,
    MIGRATION_BACKOFF_LIMIT,
    MIGRATION_RESOURCES,
    NAME_LIMIT,
    REPLACE_UNREADY,
    job_name_regex,
    migration_selector,
    name_prefix,
)
from tests.program.conftest import RunWith
from tests.program.harness import ProgramRun, Registered

RELEASE = "kubernetes:helm.sh/v3:Release"


def job_of(run: ProgramRun) -> Registered:
    assert run.error is None, run.error
    [job] = run.kind("Job")
    return job


def container_of(job: Registered) -> dict[str, Any]:
    [container] = job.inputs["spec"]["template"]["spec"]["containers"]
    return dict(container)


def test_one_job_runs_the_releases_kratos_image_with_migrate_sql(
    run: ProgramRun, settings: StackSettings
) -> None:
    job = job_of(run)
    container = container_of(job)
    image = run.one(RELEASE).inputs["values"]["image"]
    assert container["image"] == f"{image['repository']}:{image['tag']}"
    assert image["tag"] == settings.image_tag
    assert container["imagePullPolicy"] == image["pullPolicy"]
    assert [*container["command"], *container["args"]] == list(MIGRATE_COMMAND)
    assert MIGRATE_COMMAND[1:4] == ("migrate", "sql", "-e")
    assert container["resources"] == MIGRATION_RESOURCES
    assert job.inputs["metadata"]["namespace"] == settings.namespace


def test_a_failed_run_is_retried_then_fails_with_its_log_in_the_pod_status(
    run: ProgramRun,
) -> None:
    job = job_of(run)
    spec = job.inputs["spec"]
    assert spec["backoffLimit"] == MIGRATION_BACKOFF_LIMIT == 2
    pod = spec["template"]["spec"]
    assert pod["restartPolicy"] == "Never"  # each retry is a new pod, each failure recorded
    # The kubelet copies the log tail into the termination message only with this policy.
    assert container_of(job)["terminationMessagePolicy"] == "FallbackToLogsOnError"
    # The next `up` replaces a Job that did not complete instead of waiting on it again.
    assert job.inputs["metadata"]["annotations"] == {REPLACE_UNREADY: "true"}
    # Kept when finished, so a refresh finds it and the failed one keeps its log.
    assert "ttlSecondsAfterFinished" not in spec


def test_the_job_runs_tokenless_as_our_account_without_privileges(run: ProgramRun) -> None:
    pod = job_of(run).inputs["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == workload_service_account_name("kratos")
    assert pod["automountServiceAccountToken"] is False
    assert pod["securityContext"]["runAsNonRoot"] is True
    security = container_of(job_of(run))["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"] == {"drop": ["ALL"]}


def test_the_release_waits_for_the_job_and_the_job_for_its_secret_and_account(
    run: ProgramRun,
) -> None:
    job = job_of(run)
    release = run.one(RELEASE)
    assert job.urn in release.dependencies
    [external_secret] = run.kind("ExternalSecret")
    [account] = run.kind("ServiceAccount")
    [namespace] = run.kind("Namespace")
    assert {external_secret.urn, account.urn, namespace.urn} <= set(job.dependencies)
    assert run.by_urn(job.parent).type == "kratos-auth:stacks:KratosMigration"


def test_the_job_and_its_pods_carry_the_migration_labels_not_the_kratos_pods(
    run: ProgramRun, settings: StackSettings
) -> None:
    job = job_of(run)
    selector = migration_selector(settings.release_name)
    labels = job.inputs["spec"]["template"]["metadata"]["labels"]
    assert selector.items() <= labels.items()
    assert labels["app.kubernetes.io/version"] == settings.image_tag
    assert selector.items() <= job.inputs["metadata"]["labels"].items()
    # Kratos's NetworkPolicy, PDB and Services select app.kubernetes.io/name; the Job has none.
    assert "app.kubernetes.io/name" not in labels


def test_a_new_image_changes_the_pod_template_and_nothing_else_does(run_with: RunWith) -> None:
    # The provider replaces a Job whose pod template changes (it cannot be updated): a new image
    # is a new Job, one more run; the same settings or a config change leave the Job alone.
    base = job_of(run_with("prod")).inputs["spec"]
    assert job_of(run_with("prod")).inputs["spec"] == base
    assert job_of(run_with("prod", sessionLifespan="12h")).inputs["spec"] == base
    other = job_of(run_with("prod", imageTag="v1.3.1-distroless")).inputs["spec"]
    assert other["template"] != base["template"]


def test_the_job_is_autonamed_from_the_release_within_a_label_value(run_with: RunWith) -> None:
    job = job_of(run_with("prod"))
    # No name of ours: the provider names it `<resource name>-<8 hex>`, a new one per Job.
    assert "name" not in job.inputs["metadata"]
    assert job.name == name_prefix("kratos") == "kratos-migrate"
    assert re.fullmatch(job_name_regex("kratos"), f"{job.name}-0a1b2c3d")
    release = "r" * 53
    longest = job_of(run_with("prod", releaseName=release))
    assert longest.name == name_prefix(release)
    assert len(f"{longest.name}-0a1b2c3d") <= NAME_LIMIT
