"""Build stack config mappings for tests from the real stack files, then bend one key."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from stack_settings.load import read_stack_file, settings_from_config
from stack_settings.model import CONFIG_NAMESPACE, StackSettings

ROOT = Path(__file__).resolve().parents[2]
NS = CONFIG_NAMESPACE


def stack_config(stack: str = "prod") -> dict[str, Any]:
    """The `config:` map of Pulumi.<stack>.yaml, deep-copied so tests may change it."""
    config, _ = read_stack_file(ROOT / f"Pulumi.{stack}.yaml")
    return copy.deepcopy(config)


def with_changes(stack: str = "prod", **changes: Any) -> dict[str, Any]:
    """Stack config with top-level settings replaced; a value of None removes the key."""
    config = stack_config(stack)
    for key, value in changes.items():
        if value is None:
            config.pop(f"{NS}:{key}", None)
        else:
            config[f"{NS}:{key}"] = value
    return config


def settings_with(stack: str = "prod", **changes: Any) -> StackSettings:
    return settings_from_config(stack, with_changes(stack, **changes))


def identity(*traits: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"id": "customer", "traits": list(traits)}]


EMAIL_ALL = {
    "key": "email",
    "type": "email",
    "identifier": True,
    "verification": True,
    "recovery": True,
}
