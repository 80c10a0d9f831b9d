"""Turn raw stack config (from Pulumi or a stack file) into checked StackSettings."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from stack_settings.checks import find_problems
from stack_settings.errors import Problem, SettingsError
from stack_settings.model import (
    CONFIG_NAMESPACE,
    ClusterSettings,
    EnvironmentSettings,
    LocalSettings,
    StackSettings,
    nested_model,
)

NS = CONFIG_NAMESPACE
_ENVIRONMENTS: TypeAdapter[LocalSettings | ClusterSettings] = TypeAdapter(EnvironmentSettings)
# Provider keys that must only ever be set with `pulumi config set --secret`.
SECRET_PROVIDER_KEYS = ("cloudflare:apiToken",)
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _decode(value: Any) -> Any:
    """Pulumi hands structured values over as JSON text; stack files give them natively."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _model_at(path: Iterable[str | int]) -> type[BaseModel] | None:
    """The settings model that owns the keys at a location, to suggest the right spelling."""
    model: type[BaseModel] | None = StackSettings
    for part in path:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        field = next((f for name, f in model.model_fields.items() if part in (name, f.alias)), None)
        model = nested_model(field.annotation)[0] if field else None
    return model


def _known_keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _key_name(loc: tuple[str | int, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return f"{NS}:{text}"


def _unknown_key_problem(key: str, known: list[str], value: Any) -> Problem:
    close = difflib.get_close_matches(key.rsplit(".", 1)[-1].split(":")[-1], known, n=1)
    fix = f"did you mean '{close[0]}'?" if close else f"remove it; known keys: {', '.join(known)}"
    return Problem(key, value, "unknown key", fix)


def _problems_from_validation(error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors():
        loc = tuple(item["loc"])
        key = _key_name(loc)
        kind = item["type"]
        if kind == "extra_forbidden":
            model = _model_at(loc[:-1])
            known = _known_keys(model) if model else []
            problems.append(_unknown_key_problem(key, known, item["input"]))
        elif kind == "missing":
            problems.append(
                Problem(key, None, "required but not set", f"set {key} in Pulumi.<stack>.yaml")
            )
        else:
            reason = item["msg"].rstrip(".")
            if kind == "string_pattern_mismatch":
                reason = "has the wrong form"
            problems.append(Problem(key, item.get("input"), reason, _fix(item)))
    return problems


# What a well-formed value looks like, for constraint errors whose message only shows a regex.
PATTERN_EXAMPLES = {
    "ns|us|ms|s|m|h": "a Go duration such as 15m, 1h or 24h",
    "[a-z0-9-]{0,61}[a-z0-9])?(\\.": "a lowercase host name such as ui.example.com",
    "[a-z0-9_-]{0,62}": "a lowercase id such as customer (letters, digits, - and _)",
    "[a-z0-9-]{0,61}[a-z0-9])?$": "a Kubernetes name such as kratos-secrets",
    "[0-9a-f]{32}": "a 32-character hex Cloudflare zone id",
}


def _fix(item: Any) -> str:
    ctx = item.get("ctx") or {}
    if item["type"] == "literal_error":
        return f"use one of {ctx.get('expected')}"
    if item["type"] == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        example = next((ex for part, ex in PATTERN_EXAMPLES.items() if part in pattern), None)
        return f"write {example}" if example else f"match the pattern {pattern}"
    if item["type"] in ("int_parsing", "int_type", "int_from_float"):
        return "write a whole number"
    if item["type"] in ("bool_parsing", "bool_type"):
        return "write true or false"
    return f"set a value that is valid here ({item['msg'].rstrip('.').lower()})"


def _namespace_problems(config: Mapping[str, Any], secret_keys: Iterable[str]) -> list[Problem]:
    problems = []
    secrets = set(secret_keys)
    for key in SECRET_PROVIDER_KEYS:
        if key in config and key not in secrets:
            problems.append(
                Problem(
                    key,
                    "<plain text>",
                    "the Cloudflare token is stored in plain text in the stack config",
                    f"run `pulumi config rm {key}` and `pulumi config set --secret {key}`",
                )
            )
    return problems


def settings_from_config(
    stack: str, config: Mapping[str, Any], secret_keys: Iterable[str] = ()
) -> LocalSettings | ClusterSettings:
    """Build and check settings from namespaced keys such as `kratos-auth:domain`.

    Raises SettingsError listing every problem; never returns unchecked settings. The flat model
    is read first so every problem is found at once; the checks then guarantee the narrowing
    to the environment's own type succeeds.
    """
    raw = {
        key.split(":", 1)[1]: _decode(value)
        for key, value in config.items()
        if key.startswith(NS + ":")
    }
    problems = _namespace_problems(config, secret_keys)
    try:
        settings = StackSettings.model_validate(raw)
    except ValidationError as error:
        raise SettingsError(stack, problems + _problems_from_validation(error)) from None
    problems += find_problems(settings)
    if problems:
        raise SettingsError(stack, problems)
    return _ENVIRONMENTS.validate_python(dict(settings))


def cluster_settings_from_config(
    stack: str, config: Mapping[str, Any], secret_keys: Iterable[str] = ()
) -> ClusterSettings:
    """Checked settings of a deployable stack; the local environment is refused by name."""
    settings = settings_from_config(stack, config, secret_keys)
    if isinstance(settings, LocalSettings):
        raise SettingsError(
            stack,
            [
                Problem(
                    f"{NS}:environment",
                    settings.environment,
                    "the local environment runs on this machine and has no cluster to deploy to",
                    f"run `make local` for it, or set {NS}:environment to dev or prod",
                )
            ],
        )
    return settings


def stack_file(stack: str, root: Path = PROJECT_ROOT) -> Path:
    return root / f"Pulumi.{stack}.yaml"


def read_stack_file(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The `config:` map of a stack file and which of its keys are encrypted secrets."""
    document = yaml.safe_load(path.read_text()) or {}
    config = document.get("config") or {}
    secret_keys = [k for k, v in config.items() if isinstance(v, dict) and "secure" in v]
    return config, secret_keys


def load_stack(stack: str, root: Path = PROJECT_ROOT) -> LocalSettings | ClusterSettings:
    """Settings for a stack from its `Pulumi.<stack>.yaml`, without the Pulumi CLI."""
    path = stack_file(stack, root)
    if not path.is_file():
        known = stack_names(root)
        raise SettingsError(
            stack,
            [
                Problem(
                    "stack",
                    stack,
                    f"no {path.name} next to Pulumi.yaml",
                    f"use one of: {', '.join(known)}, or create {path.name}",
                )
            ],
        )
    config, secret_keys = read_stack_file(path)
    return settings_from_config(stack, config, secret_keys)


def stack_names(root: Path = PROJECT_ROOT) -> list[str]:
    """Every environment that has a stack file, in a stable order."""
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in root.glob("Pulumi.*.yaml"))
