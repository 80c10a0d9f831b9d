"""The cluster and cloud targets a deployable stack must name, narrowed from optional settings."""

from __future__ import annotations

from dataclasses import dataclass

from stack_settings import CONFIG_NAMESPACE, Problem, SettingsError, StackSettings
from stack_settings.model import (
    CloudflareSettings,
    GatewaySettings,
    PagesSettings,
    SecretStoreSettings,
    TlsSettings,
)


@dataclass(frozen=True)
class ClusterTargets:
    secret_store: SecretStoreSettings
    gateway: GatewaySettings
    tls: TlsSettings
    cloudflare: CloudflareSettings
    pages: PagesSettings
    pages_target: str  # `<owner>.github.io`, what the UI host's CNAME points at


def cluster_targets(stack: str, settings: StackSettings) -> ClusterTargets:
    """The deploy targets, or a SettingsError: `local` runs on one machine and is never deployed."""
    s = settings
    if (
        s.environment == "local"
        or s.secret_store is None
        or s.gateway is None
        or s.tls is None
        or s.cloudflare is None
        or s.pages is None
        or s.pages_target is None
    ):
        raise SettingsError(
            stack,
            [
                Problem(
                    f"{CONFIG_NAMESPACE}:environment",
                    s.environment,
                    "the local environment runs on this machine and has no cluster to deploy to",
                    "run `make local` for it, or set environment to dev or prod in this stack",
                )
            ],
        )
    return ClusterTargets(s.secret_store, s.gateway, s.tls, s.cloudflare, s.pages, s.pages_target)
