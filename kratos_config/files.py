"""The edge where rendered dicts become files: kratos.yaml plus one JSON file per schema."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from kratos_config.build import RenderedKratos

CONFIG_FILE_NAME = "kratos.yaml"


def to_yaml(config: dict[str, object]) -> str:
    # sort_keys keeps the output byte-stable so GitOps diffs show only real changes.
    return yaml.safe_dump(config, sort_keys=True, default_flow_style=False)


def to_json(schema: dict[str, object]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write_rendered(rendered: RenderedKratos, out_dir: Path) -> list[Path]:
    """Write the config and schemas into out_dir; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / CONFIG_FILE_NAME]
    written[0].write_text(to_yaml(rendered.config))
    for name, schema in sorted(rendered.schemas.items()):
        path = out_dir / name
        path.write_text(to_json(schema))
        written.append(path)
    return written
