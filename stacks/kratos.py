"""The Kratos Helm release: rendered config and schemas in, one Secret for every secret env var."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from kratos_config import render
from kratos_config.secrets_env import DSN_SECRET
from stack_settings import ClusterSettings
from stack_settings.chart_source import ChartSource, chart_source
from stack_settings.model import CHART_NAME
from stacks.chart import (
    KRATOS_IMAGE_PULL_POLICY,
    KRATOS_IMAGE_REPOSITORY,
    SCHEMA_BASE_URL,
    WATCHED_SECRET_DIR,
    WATCHED_SECRET_VOLUME,
    courier_name,
    fullname,
    pod_selector,
    public_service_name,
    watcher_role_name,
    watcher_service_account_name,
    workload_service_account_name,
)
from stacks.courier_probes import CourierProbes, CourierProbesArgs
from stacks.labels import stack_labels
from stacks.migration import KratosMigration, KratosMigrationArgs
from stacks.options import child_options, output_of
from stacks.probes import health_probes
from stacks.rollout import graceful_stop, rolling_update

# Requests and limits per environment kind; memory limits only, so CPU bursts stay possible.
POD_RESOURCES: dict[bool, dict[str, Any]] = {
    False: {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"memory": "256Mi"}},
    True: {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "512Mi"}},
}
WATCHER_RESOURCES = {"requests": {"cpu": "10m", "memory": "32Mi"}, "limits": {"memory": "64Mi"}}
RELEASE_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class KratosReleaseArgs:
    namespace: pulumi.Input[str]
    release_name: str
    chart_source: ChartSource
    chart_version: str
    image_tag: str
    replicas: int
    production: bool
    dev_mode: bool
    log_level: str
    log_format: str
    config: dict[str, Any]
    identity_schemas: dict[str, str]  # file name -> JSON text, as the ConfigMap stores it
    env_secret_name: pulumi.Input[str]
    service_account_name: pulumi.Input[str]  # ours, created by KratosRelease before the chart

    @classmethod
    def from_settings(
        cls,
        settings: ClusterSettings,
        namespace: pulumi.Input[str],
        env_secret_name: pulumi.Input[str],
    ) -> KratosReleaseArgs:
        rendered = render(settings, SCHEMA_BASE_URL)
        return cls(
            namespace=namespace,
            release_name=settings.release_name,
            chart_source=chart_source(settings.chart_source),
            chart_version=settings.chart_version,
            image_tag=settings.image_tag,
            replicas=settings.resolved_replicas,
            production=settings.is_production,
            dev_mode=settings.dev_mode,
            log_level=settings.log_level,
            log_format=settings.log_format,
            config=rendered.config,
            identity_schemas={
                name: json.dumps(schema, indent=2, sort_keys=True)
                for name, schema in sorted(rendered.schemas.items())
            },
            env_secret_name=env_secret_name,
            service_account_name=workload_service_account_name(settings.release_name),
        )


def disruption_budget_max_unavailable(args: KratosReleaseArgs) -> int | None:
    """At most one Kratos pod down at a time during drains, once there is more than one."""
    return 1 if args.replicas >= 2 else None


def chart_location(args: KratosReleaseArgs) -> dict[str, Any]:
    """The Release inputs that say where Helm finds the chart."""
    source = args.chart_source
    if source.kind == "repository":
        return {
            "chart": CHART_NAME,
            "version": args.chart_version,
            "repository_opts": {"repo": source.location},
        }
    if source.kind == "oci":
        return {"chart": source.location, "version": args.chart_version}
    # A folder is one version already (checked against chartVersion before deploy).
    return {"chart": source.location}


def chart_values(args: KratosReleaseArgs) -> dict[str, Any]:
    """Helm values for chart 0.59.0; every path is one its templates read."""
    resources = POD_RESOURCES[args.production]
    values: dict[str, Any] = {
        "image": {
            "repository": KRATOS_IMAGE_REPOSITORY,
            "tag": args.image_tag,
            "pullPolicy": KRATOS_IMAGE_PULL_POLICY,
        },
        "replicaCount": args.replicas,
        "strategy": rolling_update(),
        "kratos": {
            "development": args.dev_mode,
            # Migrations are our own Job (stacks/migration.py), which the release waits for: the
            # chart's hook Job fails the release without its log, and an initContainer would
            # run once per replica, racing on first install.
            "automigration": {"enabled": False},
            "config": args.config,
            "identitySchemas": args.identity_schemas,
        },
        # The chart's Secret would add random SECRETS_* next to ours; with it off and the name
        # pointing at the ExternalSecret's Secret, every secretKeyRef the chart writes reads ours.
        "secret": {"enabled": False, "nameOverride": args.env_secret_name},
        # The config checksum annotation rolls the pods whenever kratos.yaml or a schema changes.
        "configmap": {"hashSumEnabled": True},
        "deployment": {
            "environmentSecretsName": args.env_secret_name,
            "resources": resources,
            # No usage telemetry from a self-hosted identity server.
            "extraArgs": ["--sqa-opt-out"],
            **health_probes(),
            "lifecycle": graceful_stop(),
            # Every pod (serve, courier, the migration Job) runs as our ServiceAccount, made
            # before the migration and the release.
            "serviceAccount": {"create": False, "name": args.service_account_name},
            **secret_watch_volume(args.env_secret_name),
        },
        # A changed Secret (rotation, new DSN) reaches running pods without a manual restart:
        # the chart's watcher rolls the Deployment and the courier when the mounted copy changes.
        "watcher": {
            "enabled": True,
            # Any key will do: the kubelet replaces every file of the volume on any change.
            "mountFile": f"{WATCHED_SECRET_DIR}/{DSN_SECRET.env}",
            "resources": WATCHER_RESOURCES,
        },
        # statefulset-mail.yaml sizes the courier with deployment.resources (statefulSet.resources
        # is read by no template), so the courier gets the same requests and limits as serve.
        "courier": {"enabled": True},
        "statefulSet": {
            "environmentSecretsName": args.env_secret_name,
            "log": {"level": args.log_level, "format": args.log_format},
        },
        # rbac-job.yaml makes the hook Job's account even with migrations off.
        "job": {"serviceAccount": {"create": False}},
        "cronjob": {"cleanup": {"serviceAccount": {"create": False}}},
        # Our own PDB below: pdb.yaml copies pdb.spec whole, both bounds default to "", and
        # Pulumi drops the null that would delete one, so the chart's PDB would carry both.
        "pdb": {"enabled": False},
    }
    if args.production:
        values["deployment"]["topologySpreadConstraints"] = [
            {
                "maxSkew": 1,
                "topologyKey": "kubernetes.io/hostname",
                "whenUnsatisfiable": "ScheduleAnyway",
                "labelSelector": {"matchLabels": pod_selector(args.release_name)},
            }
        ]
    return values


def secret_watch_volume(env_secret_name: pulumi.Input[str]) -> dict[str, Any]:
    """The env Secret mounted read-only where the watcher looks; Kratos never reads the files."""
    return {
        "extraVolumes": [
            {"name": WATCHED_SECRET_VOLUME, "secret": {"secretName": env_secret_name}}
        ],
        "extraVolumeMounts": [
            {"name": WATCHED_SECRET_VOLUME, "mountPath": WATCHED_SECRET_DIR, "readOnly": True}
        ],
    }


class KratosRelease(pulumi.ComponentResource):
    """Ory's kratos chart (serve, courier, Services, config), after our migration Job."""

    def __init__(
        self, name: str, args: KratosReleaseArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("kratos-auth:stacks:KratosRelease", name, None, opts)
        self.release_name = args.release_name
        self.fullname = fullname(args.release_name)
        # No token and no RBAC: Kratos never calls the Kubernetes API.
        account_name = workload_service_account_name(args.release_name)
        self.service_account = k8s.core.v1.ServiceAccount(
            f"{name}-service-account",
            metadata={
                "name": account_name,
                "namespace": args.namespace,
                "labels": stack_labels("kratos"),
            },
            automount_service_account_token=False,
            opts=child_options(self, opts),
        )
        # Handed on as an Output, so the migration and the release wait for the account.
        args = replace(args, service_account_name=output_of(self.service_account, account_name))
        # The database is migrated before the release changes; a failed run stops `up` here.
        self.migration = KratosMigration(
            f"{name}-migration",
            KratosMigrationArgs(
                namespace=args.namespace,
                release_name=args.release_name,
                image_tag=args.image_tag,
                env_secret_name=args.env_secret_name,
                service_account_name=args.service_account_name,
            ),
            opts=child_options(self, opts),
        )
        self.release = k8s.helm.v3.Release(
            f"{name}-release",
            name=args.release_name,
            namespace=args.namespace,
            **chart_location(args),
            values=chart_values(args),
            atomic=True,
            cleanup_on_fail=True,
            timeout=RELEASE_TIMEOUT_SECONDS,
            opts=child_options(self, opts, extra_depends_on=[self.migration.job]),
        )
        # The chart renders the courier without probes; they are patched in once it exists.
        self.courier_probes = CourierProbes(
            f"{name}-courier-probes",
            CourierProbesArgs(
                namespace=args.namespace,
                statefulset_name=output_of(self.release, courier_name(args.release_name)),
            ),
            opts=child_options(self, opts),
        )
        # The chart binds its watcher Role to an account its watcher does not run as (see
        # stacks/chart.py); without this binding a rotated Secret would never roll the pods.
        self.watcher_binding = k8s.rbac.v1.RoleBinding(
            f"{name}-watcher-binding",
            metadata={
                "name": watcher_service_account_name(args.release_name),
                "namespace": args.namespace,
                "labels": stack_labels("kratos"),
            },
            role_ref={
                "api_group": "rbac.authorization.k8s.io",
                "kind": "Role",
                "name": watcher_role_name(args.release_name),
            },
            subjects=[
                {
                    "kind": "ServiceAccount",
                    "name": watcher_service_account_name(args.release_name),
                    "namespace": args.namespace,
                }
            ],
            opts=child_options(self, opts),
        )
        max_unavailable = disruption_budget_max_unavailable(args)
        self.disruption_budget: k8s.policy.v1.PodDisruptionBudget | None = None
        if max_unavailable is not None:
            self.disruption_budget = k8s.policy.v1.PodDisruptionBudget(
                f"{name}-pdb",
                metadata=k8s.meta.v1.ObjectMetaArgs(
                    name=self.fullname, namespace=args.namespace, labels=stack_labels("kratos")
                ),
                spec=k8s.policy.v1.PodDisruptionBudgetSpecArgs(
                    max_unavailable=max_unavailable,
                    selector=k8s.meta.v1.LabelSelectorArgs(
                        match_labels=pod_selector(args.release_name)
                    ),
                ),
                opts=child_options(self, opts),
            )
        # The route's backend, handed on as an Output so the route waits for the release.
        self.public_service = output_of(self.release, public_service_name(args.release_name))
        self.register_outputs(
            {"releaseName": self.release_name, "publicService": self.public_service}
        )
