"""Settings and Kratos config for one local run, written into the state folder."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kratos_config.build import deep_merge, render
from kratos_config.files import CONFIG_FILE_NAME, write_rendered
from stack_settings import CONFIG_NAMESPACE, StackSettings, settings_from_config
from stack_settings.local import LocalPorts, local_settings
from stack_settings.model import LOOPBACK


def stack_settings_for(
    ports: LocalPorts, overrides: Mapping[str, Any] | None = None
) -> StackSettings:
    """The local profile on these ports, with stack-file keys (camelCase) replaced.

    Overrides go back through settings_from_config, so every pre-deploy check still runs:
    e.g. {"privilegedSessionMaxAge": "1ms"} for a test that needs stale sessions.
    """
    settings = local_settings(ports)
    if not overrides:
        return settings
    keys = settings.model_dump(mode="json", by_alias=True, exclude_none=True)
    keys.update(overrides)
    return settings_from_config(
        "local",
        {f"{CONFIG_NAMESPACE}:{key}": _as_config_value(value) for key, value in keys.items()},
    )


def _as_config_value(value: Any) -> Any:
    # Pulumi hands structured values over as JSON text; settings_from_config decodes them.
    return json.dumps(value) if isinstance(value, dict | list) else value


def admin_url(ports: LocalPorts) -> str:
    return f"http://{LOOPBACK}:{ports.kratos_admin}/"


SchemaEdit = Callable[[dict[str, dict[str, Any]]], None]


def write_kratos_config(
    settings: StackSettings,
    ports: LocalPorts,
    config_dir: Path,
    edit_schemas: SchemaEdit | None = None,
) -> Path:
    """Render the stack's config, bind Kratos to loopback on our ports, and write the files.

    edit_schemas (fixture recorders only) may change identity-schema text, e.g. a hostile
    title; the settings and so every settings check stay as they are.
    """
    config_dir = config_dir.resolve()
    rendered = render(settings, config_dir.as_uri() + "/", admin_base_url=admin_url(ports))
    if edit_schemas is not None:
        edit_schemas(rendered.schemas)
    listen = {
        "serve": {
            "public": {"host": LOOPBACK, "port": ports.kratos_public},
            "admin": {"host": LOOPBACK, "port": ports.kratos_admin},
        }
    }
    rendered = type(rendered)(config=deep_merge(rendered.config, listen), schemas=rendered.schemas)
    write_rendered(rendered, config_dir)
    return config_dir / CONFIG_FILE_NAME
