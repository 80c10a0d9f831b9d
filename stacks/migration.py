"""The database migration: one Job per Kratos image, run by Pulumi before the release changes.

A Job's pod template cannot change, so the kubernetes provider replaces the Job whenever it
would differ (a new image): it creates the new one, waits for it to complete, and only then
touches the release. An unchanged Job is left alone: no second run. The Job is autonamed
(`<prefix>-<8 hex>`), so every replacement has a name of its own: one the engine still has to
delete after a failed `up` can never be taken for the new one. When the Job fails, `pulumi up`
fails before the release, so the old pods keep serving, and the error carries the migration's
last log lines: the kubelet copies them into the container's termination message
(FallbackToLogsOnError) and the provider's Job awaiter reports the pods' container states.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from kratos_config.secrets_env import DSN_SECRET
from stacks.chart import KRATOS_IMAGE_PULL_POLICY, KRATOS_IMAGE_REPOSITORY, fullname
from stacks.labels import stack_labels
from stacks.options import child_options

COMPONENT = "migration"
CONTAINER = "migrate"
# `-e`: the DSN comes from the environment; no config file is needed to migrate.
MIGRATE_COMMAND = ("kratos", "migrate", "sql", "-e", "--yes")
MIGRATION_RESOURCES = {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"memory": "256Mi"}}
# A failed run is retried this often (a database that is still starting) before the deploy fails.
MIGRATION_BACKOFF_LIMIT = 2
# Provider annotation: a Job that did not complete is replaced by the next `up`, not re-awaited.
REPLACE_UNREADY = "pulumi.com/replaceUnready"
# The provider's autoname: the resource's name, a dash and this many hex digits.
AUTONAME_SUFFIX_LENGTH = 8
# A Job's name is a pod label value too, so at most 63 characters.
NAME_LIMIT = 63
NAME_SUFFIX = "-migrate"
# Kratos's own hardening from the chart's defaults: no root, no writes, no privileges.
POD_SECURITY = {
    "runAsNonRoot": True,
    "runAsUser": 65534,
    "runAsGroup": 65534,
    "fsGroup": 65534,
    "seccompProfile": {"type": "RuntimeDefault"},
}
CONTAINER_SECURITY = {
    "allowPrivilegeEscalation": False,
    "privileged": False,
    "readOnlyRootFilesystem": True,
    "capabilities": {"drop": ["ALL"]},
}


@dataclass(frozen=True)
class KratosMigrationArgs:
    namespace: pulumi.Input[str]
    release_name: str
    image_tag: str
    env_secret_name: pulumi.Input[str]  # the ExternalSecret's target Secret, with the DSN
    service_account_name: pulumi.Input[str]


def migration_selector(release_name: str) -> dict[str, str]:
    """Labels that pick out a release's migration Jobs and their pods."""
    return {**stack_labels(COMPONENT), "app.kubernetes.io/instance": release_name}


def migration_labels(args: KratosMigrationArgs) -> dict[str, str]:
    """On the Job and its pods: the selector's labels and the Kratos version."""
    return {**migration_selector(args.release_name), "app.kubernetes.io/version": args.image_tag}


def job_spec(args: KratosMigrationArgs) -> dict[str, Any]:
    command, *arguments = MIGRATE_COMMAND
    return {
        "backoffLimit": MIGRATION_BACKOFF_LIMIT,
        "template": {
            "metadata": {"labels": migration_labels(args)},
            "spec": {
                "serviceAccountName": args.service_account_name,
                "automountServiceAccountToken": False,
                "restartPolicy": "Never",
                "securityContext": POD_SECURITY,
                "containers": [
                    {
                        "name": CONTAINER,
                        "image": f"{KRATOS_IMAGE_REPOSITORY}:{args.image_tag}",
                        "imagePullPolicy": KRATOS_IMAGE_PULL_POLICY,
                        "command": [command],
                        "args": arguments,
                        # Only the DSN: the migration needs no other secret.
                        "env": [
                            {
                                "name": DSN_SECRET.env,
                                "valueFrom": {
                                    "secretKeyRef": {
                                        "name": args.env_secret_name,
                                        "key": DSN_SECRET.env,
                                    }
                                },
                            }
                        ],
                        "resources": MIGRATION_RESOURCES,
                        "securityContext": CONTAINER_SECURITY,
                        # A failed run's log tail becomes its termination message, so it
                        # reaches the pod status, the provider and the `pulumi up` error.
                        "terminationMessagePolicy": "FallbackToLogsOnError",
                    }
                ],
            },
        },
    }


def name_prefix(release_name: str) -> str:
    """The Job's resource name; the provider names the Job `<prefix>-<8 hex>`."""
    room = NAME_LIMIT - len(NAME_SUFFIX) - 1 - AUTONAME_SUFFIX_LENGTH
    return f"{fullname(release_name)[:room].rstrip('-')}{NAME_SUFFIX}"


def job_name_regex(release_name: str) -> str:
    """Matches the name of any migration Job of the release (for PromQL's `=~`)."""
    return f"{name_prefix(release_name)}-[0-9a-f]{{{AUTONAME_SUFFIX_LENGTH}}}"


class KratosMigration(pulumi.ComponentResource):
    """The migration Job; whatever must wait for a migrated database depends on `job`."""

    def __init__(
        self, name: str, args: KratosMigrationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("kratos-auth:stacks:KratosMigration", name, None, opts)
        self.job = k8s.batch.v1.Job(
            name_prefix(args.release_name),
            # No name: autonamed, so a replacement never reuses the name of the Job it replaces.
            metadata={
                "namespace": args.namespace,
                "labels": migration_labels(args),
                "annotations": {REPLACE_UNREADY: "true"},
            },
            # No ttlSecondsAfterFinished: a finished Job stays, with its log, until the next
            # one replaces it, so a refresh still finds it and changes nothing.
            # The Secret's and the account's names are Outputs: the Job waits for both.
            spec=job_spec(args),
            opts=child_options(self, opts),
        )
        self.job_name = self.job.metadata.apply(lambda metadata: metadata.name)
        self.register_outputs({"jobName": self.job_name})
