"""Kratos's secrets by reference: an ExternalSecret that turns remote keys into the env Secret.

The store holds the values; the program only ever sees key names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from kratos_config.secrets_env import oidc_client_secret_env, store_env_keys
from stack_settings import ClusterSettings
from stack_settings.model import SecretStoreSettings
from stacks.chart import CHART_DSN_KEY
from stacks.labels import stack_labels
from stacks.options import child_options, output_of


@dataclass(frozen=True)
class SecretMapping:
    """One key of the target Secret and the remote key it is fetched from."""

    secret_key: str
    remote_key: str


@dataclass(frozen=True)
class KratosSecretsArgs:
    namespace: pulumi.Input[str]
    api_version: str
    store_name: str
    store_kind: str
    refresh_interval: str
    target_secret_name: str
    mappings: tuple[SecretMapping, ...]

    @classmethod
    def from_settings(
        cls, settings: ClusterSettings, namespace: pulumi.Input[str]
    ) -> KratosSecretsArgs:
        store = settings.secret_store
        return cls(
            namespace=namespace,
            api_version=store.api_version,
            store_name=store.name,
            store_kind=store.kind,
            refresh_interval=store.refresh_interval,
            target_secret_name=store.target_secret_name,
            mappings=secret_mappings(settings, store),
        )


def secret_mappings(
    settings: ClusterSettings, store: SecretStoreSettings
) -> tuple[SecretMapping, ...]:
    """Env name → remote key for every secret Kratos reads, in a stable order.

    Rotatable secrets map their previous remote keys to SECRETS_<NAME>_1, _2, ... after the
    current one at _0. The DSN is also stored under the chart's own key `dsn`: with
    `secret.nameOverride` pointing here, the chart's templates read it from that key (see
    stacks/chart.py).
    """
    mappings = [SecretMapping(env, remote_key) for env, remote_key in store_env_keys(store)]
    mappings.append(SecretMapping(CHART_DSN_KEY, store.dsn_key))
    mappings += [
        SecretMapping(oidc_client_secret_env(index), provider.client_secret_key)
        for index, provider in enumerate(settings.oidc)
    ]
    return tuple(mappings)


def external_secret_spec(args: KratosSecretsArgs) -> dict[str, Any]:
    return {
        "refreshInterval": args.refresh_interval,
        "secretStoreRef": {"name": args.store_name, "kind": args.store_kind},
        "target": {
            "name": args.target_secret_name,
            # The Secret lives and dies with the ExternalSecret; a value deleted in the store
            # keeps its last copy rather than emptying Kratos's env.
            "creationPolicy": "Owner",
            "deletionPolicy": "Retain",
        },
        "data": [
            {"secretKey": m.secret_key, "remoteRef": {"key": m.remote_key}} for m in args.mappings
        ],
    }


class KratosSecrets(pulumi.ComponentResource):
    """The ExternalSecret whose target Secret is the only source of Kratos's secret env."""

    def __init__(
        self, name: str, args: KratosSecretsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("kratos-auth:stacks:KratosSecrets", name, None, opts)
        self.external_secret = k8s.apiextensions.CustomResource(
            f"{name}-external-secret",
            api_version=args.api_version,
            kind="ExternalSecret",
            metadata={
                "name": args.target_secret_name,
                "namespace": args.namespace,
                "labels": stack_labels("secrets"),
            },
            spec=external_secret_spec(args),
            opts=child_options(self, opts),
        )
        # The Secret is created by the operator; readers wait for the ExternalSecret behind it.
        self.secret_name = output_of(self.external_secret, args.target_secret_name)
        self.register_outputs({"secretName": self.secret_name})
