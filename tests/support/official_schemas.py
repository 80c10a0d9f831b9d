"""Kratos's own JSON schemas, taken from the pinned version's Go module and cached outside git.

The module proxy is the official source: `go mod download -json` prints the module folder,
whose embedx/ holds the config schema and the identity meta and extension schemas.
"""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.validators import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from kratos_config.build import deep_merge
from local_cluster.go_modules import module_dir
from stack_settings.kratos_version import KRATOS_MODULE, KRATOS_VERSION

CACHE = Path(__file__).resolve().parents[2] / ".cache" / "schemas" / f"kratos-{KRATOS_VERSION}"
FILES = ("config.schema.json", "identity_meta.schema.json", "identity_extension.schema.json")


def _fetch() -> Path:
    if all((CACHE / name).is_file() for name in FILES):
        return CACHE
    embedx = module_dir(KRATOS_MODULE, KRATOS_VERSION) / "embedx"
    CACHE.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(embedx / name, CACHE / name)
    return CACHE


@cache
def load(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((_fetch() / name).read_text())
    return result


def _registry() -> Registry:
    # Tracing is never configured by us, so its external schema may be any object.
    resources = {
        "ory://tracing-config": {"type": "object"},
        "ory://identity-extension": load("identity_extension.schema.json"),
        "ory://identity-meta": load("identity_meta.schema.json"),
    }
    # The meta schema extends draft-07 itself; give jsonschema its bundled copy.
    resources["http://json-schema.org/draft-07/schema#"] = Draft7Validator.META_SCHEMA
    resources["http://json-schema.org/draft-07/schema"] = Draft7Validator.META_SCHEMA
    return Registry().with_resources(
        (uri, Resource.from_contents(body, default_specification=DRAFT7))
        for uri, body in resources.items()
    )


def config_validator() -> jsonschema.protocols.Validator:
    return Draft7Validator(
        load("config.schema.json"),
        registry=_registry(),
        format_checker=Draft7Validator.FORMAT_CHECKER,
    )


def identity_meta_validator() -> jsonschema.protocols.Validator:
    return Draft7Validator(load("identity_meta.schema.json"), registry=_registry())


# Stand-ins for what Kratos reads from env; it merges them before validating, and so do we.
STAND_IN_SECRETS = {
    "dsn": "memory",
    "secrets": {
        "cookie": ["stand-in-cookie-secret-0123456789"],
        "cipher": ["stand-in-cipher-secret-0123456789"[:32]],
        "default": ["stand-in-default-secret-0123456789"],
    },
    "courier": {"smtp": {"connection_uri": "smtp://stand-in:stand-in@127.0.0.1:1025/"}},
}


def with_stand_in_secrets(config: dict[str, Any]) -> dict[str, Any]:
    """The config as Kratos sees it after merging env secrets, OIDC client secrets included."""
    merged = deep_merge(config, STAND_IN_SECRETS)
    providers = merged["selfservice"]["methods"]["oidc"]["config"].get("providers", [])
    for index, provider in enumerate(providers):
        provider["client_secret"] = f"stand-in-oidc-secret-{index}"
    return merged


def errors_in(validator: jsonschema.protocols.Validator, document: Any) -> list[str]:
    """Every schema violation, with its JSON path, sorted for stable assertions."""
    return sorted(
        f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator.iter_errors(document)
    )
