"""Typed, checked per-environment settings: the one source of truth every part reads."""

from stack_settings.errors import Problem, SettingsError
from stack_settings.load import (
    cluster_settings_from_config,
    load_stack,
    settings_from_config,
    stack_names,
)
from stack_settings.model import CONFIG_NAMESPACE, ClusterSettings, LocalSettings, StackSettings

__all__ = [
    "CONFIG_NAMESPACE",
    "ClusterSettings",
    "LocalSettings",
    "Problem",
    "SettingsError",
    "StackSettings",
    "cluster_settings_from_config",
    "load_stack",
    "settings_from_config",
    "stack_names",
]
