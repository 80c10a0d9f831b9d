"""The `local` profile: a stack's settings moved onto this machine's loopback address.

It starts from a real stack file (dev by default) so the local Kratos runs the same flows,
methods and identity schemas that environment deploys; only hosts, scheme and ports change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stack_settings import load
from stack_settings.load import read_stack_file, settings_from_config, stack_file
from stack_settings.model import CONFIG_NAMESPACE, LOOPBACK, StackSettings

# Keys that only make sense in a cluster; the local runner replaces what they provide.
CLUSTER_ONLY_KEYS = ("secretStore", "gateway", "tls", "cloudflare", "pages", "replicas")


@dataclass(frozen=True)
class LocalPorts:
    ui: int = 4455
    kratos_public: int = 4433
    kratos_admin: int = 4434
    smtp: int = 1025


def local_settings(
    ports: LocalPorts = LocalPorts(), base_stack: str = "dev", root: Path | None = None
) -> StackSettings:
    """Checked settings for the local stack, derived from `Pulumi.<base_stack>.yaml`."""
    config, secret_keys = read_stack_file(stack_file(base_stack, root or load.PROJECT_ROOT))
    ns = CONFIG_NAMESPACE
    local = {
        key: value
        for key, value in config.items()
        if key.startswith(ns + ":") and key.split(":", 1)[1] not in CLUSTER_ONLY_KEYS
    }
    local.update(
        {
            f"{ns}:environment": "local",
            f"{ns}:domain": LOOPBACK,
            f"{ns}:uiHost": LOOPBACK,
            f"{ns}:kratosHost": LOOPBACK,
            f"{ns}:scheme": "http",
            f"{ns}:uiPort": ports.ui,
            f"{ns}:kratosPort": ports.kratos_public,
            f"{ns}:sameSite": "Lax",
            f"{ns}:devMode": True,
            # This machine has no internet: Kratos must not try to reach HaveIBeenPwned.
            f"{ns}:passwordBreachCheck": False,
        }
    )
    local.pop(f"{ns}:cookieDomain", None)
    return settings_from_config("local", local, secret_keys)
