"""Typed Kratos configuration and identity schemas, rendered from stack settings."""

from kratos_config.build import RenderedKratos, render
from kratos_config.secrets_env import CORE_SECRETS, secret_env_names

__all__ = ["CORE_SECRETS", "RenderedKratos", "render", "secret_env_names"]
