"""Where the program's settings come from: the Pulumi runtime's config for the current stack."""

from __future__ import annotations

from typing import Any

from pulumi.runtime import config as runtime_config


def pulumi_config() -> tuple[dict[str, Any], list[str]]:
    """Every config key of the stack (namespaced, e.g. `kratos-auth:domain`) and the secret ones.

    The language host passes config in PULUMI_CONFIG; tests and the automation API set it in
    the runtime directly; explicitly set keys win.
    """
    config: dict[str, Any] = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    secret_keys = {
        *runtime_config.get_config_secret_keys_env(),
        *(key for key in config if runtime_config.is_config_secret(key)),
    }
    return config, sorted(secret_keys)
