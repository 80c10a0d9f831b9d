"""CRD schemas of the custom resources the program registers, made strict for tests.

Source: the CustomResourceDefinition files the local cluster installs (local_cluster.crds).
The API server prunes or rejects unknown fields, so every object schema that lists properties
and does not preserve unknown fields gets `additionalProperties: false` here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from typing import Any

import yaml
from jsonschema.protocols import Validator
from jsonschema.validators import Draft4Validator

from local_cluster.crds import PROJECT_ROOT, SOURCES, crd_file

NODE_TOOL = PROJECT_ROOT / "tools" / "crd-schemas"

# The part of ObjectMeta the program writes; anything else in metadata is a mistake.
OBJECT_META = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$"},
        "namespace": {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")


def strict(schema: Any) -> Any:
    """A structural schema with unknown fields refused and `nullable` spelled as JSON Schema."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "properties":
            out[key] = {name: strict(sub) for name, sub in value.items()}
        elif key in ("items", "not") or (key == "additionalProperties" and isinstance(value, dict)):
            out[key] = strict(value)
        elif key in SCHEMA_LISTS:
            out[key] = [strict(sub) for sub in value]
        else:
            out[key] = value
    preserves = schema.get("x-kubernetes-preserve-unknown-fields") is True
    if "properties" in schema and "additionalProperties" not in schema and not preserves:
        out["additionalProperties"] = False
    if schema.get("nullable") is True and isinstance(schema.get("type"), str):
        out["type"] = [schema["type"], "null"]
    return out


@cache
def crd_schema(api_version: str, kind: str) -> dict[str, Any]:
    """The strict JSON schema for one apiVersion/kind, from its CRD's served version."""
    source = SOURCES[(api_version, kind)]
    crd = yaml.safe_load(crd_file(source).read_text())
    version = api_version.split("/")[1]
    entry = next(v for v in crd["spec"]["versions"] if v["name"] == version)
    assert entry["served"], f"{api_version} {kind} is not served by {source.module}"
    schema: dict[str, Any] = strict(entry["schema"]["openAPIV3Schema"])
    schema["properties"]["metadata"] = OBJECT_META
    schema["properties"]["apiVersion"] = {"enum": [api_version]}
    schema["properties"]["kind"] = {"enum": [kind]}
    schema["required"] = sorted({*schema.get("required", ()), "apiVersion", "kind", "metadata"})
    return schema


def validator(api_version: str, kind: str) -> Validator:
    return Draft4Validator(crd_schema(api_version, kind))


def errors_in(document: dict[str, Any]) -> list[str]:
    """Every violation of the strict CRD schema, with its JSON path, sorted."""
    check = validator(document["apiVersion"], document["kind"])
    return sorted(
        f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in check.iter_errors(document)
    )


def node_errors(documents: list[dict[str, Any]]) -> list[list[str]]:
    """Errors per document from the @kubernetes-models validators (tools/crd-schemas)."""
    assert (NODE_TOOL / "node_modules" / "@kubernetes-models").is_dir(), (
        "CRD validators missing: run scripts/setup.d/40-crd-schemas"
    )
    result = subprocess.run(
        ["node", str(NODE_TOOL / "validate.mjs")],
        input=json.dumps(documents),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return [item["errors"] for item in json.loads(result.stdout)]


def main() -> None:
    """Fetch every CRD into the cache (the set-up step runs this)."""
    for (api_version, kind), source in sorted(SOURCES.items()):
        path = crd_file(source)
        crd_schema(api_version, kind)
        print(f"{api_version} {kind}: {path.relative_to(PROJECT_ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
