"""CRD schemas of the custom resources the program registers, made strict for tests.

Source: the CustomResourceDefinition files inside each project's Go module (the files the
cluster installs), fetched with `go mod download -json` and cached under .cache/ (never in git).
The API server prunes or rejects unknown fields, so every object schema that lists properties
and does not preserve unknown fields gets `additionalProperties: false` here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema.protocols import Validator
from jsonschema.validators import Draft4Validator

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CACHE = PROJECT_ROOT / ".cache" / "crd-schemas"
NODE_TOOL = PROJECT_ROOT / "tools" / "crd-schemas"


@dataclass(frozen=True)
class CrdSource:
    module: str
    version: str
    path: str  # CRD file inside the module


# (apiVersion, kind) -> where its CRD lives; pinned, newest releases with these API versions.
SOURCES: dict[tuple[str, str], CrdSource] = {
    ("gateway.networking.k8s.io/v1", "HTTPRoute"): CrdSource(
        "sigs.k8s.io/gateway-api",
        "v1.6.3",
        "config/crd/standard/gateway.networking.k8s.io_httproutes.yaml",
    ),
    ("gateway.networking.k8s.io/v1", "Gateway"): CrdSource(
        "sigs.k8s.io/gateway-api",
        "v1.6.3",
        "config/crd/standard/gateway.networking.k8s.io_gateways.yaml",
    ),
    ("external-secrets.io/v1", "ExternalSecret"): CrdSource(
        "github.com/external-secrets/external-secrets",
        "v0.16.2",
        "config/crds/bases/external-secrets.io_externalsecrets.yaml",
    ),
    ("cert-manager.io/v1", "Certificate"): CrdSource(
        "github.com/cert-manager/cert-manager",
        "v1.21.2",
        "deploy/crds/cert-manager.io_certificates.yaml",
    ),
    ("cert-manager.io/v1", "ClusterIssuer"): CrdSource(
        "github.com/cert-manager/cert-manager",
        "v1.21.2",
        "deploy/crds/cert-manager.io_clusterissuers.yaml",
    ),
}

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


def _cached_file(source: CrdSource) -> Path:
    return CACHE / f"{source.module.replace('/', '_')}@{source.version}" / Path(source.path).name


def _fetch(source: CrdSource) -> Path:
    target = _cached_file(source)
    if target.is_file():
        return target
    listing = subprocess.run(
        ["go", "mod", "download", "-json", f"{source.module}@{source.version}"],
        check=True,
        capture_output=True,
        text=True,
        cwd=CACHE.parent if CACHE.parent.is_dir() else PROJECT_ROOT,
    )
    module_dir = Path(json.loads(listing.stdout)["Dir"])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((module_dir / source.path).read_text())
    return target


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
    crd = yaml.safe_load(_fetch(source).read_text())
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
        path = _fetch(source)
        crd_schema(api_version, kind)
        print(f"{api_version} {kind}: {path.relative_to(PROJECT_ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
