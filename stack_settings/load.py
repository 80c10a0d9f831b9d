"""Turn raw stack config (from Pulumi or a stack file) into checked StackSettings."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from stack_settings.checks import find_problems
from stack_settings.errors import Problem, SettingsError
from stack_settings.model import (
    CONFIG_NAMESPACE,
    ClusterSettings,
    EnvironmentSettings,
    LocalSettings,
    StackSettings,
)
from stack_settings.plain_words import plain_problem
from stack_settings.raw_checks import raw_problems
from stack_settings.stack_file import parse_stack_file

NS = CONFIG_NAMESPACE
_ENVIRONMENTS: TypeAdapter[LocalSettings | ClusterSettings] = TypeAdapter(EnvironmentSettings)
# Provider keys that must only ever be set with `pulumi config set --secret`.
SECRET_PROVIDER_KEYS = ("cloudflare:apiToken",)
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def decode_config_value(value: Any) -> Any:
    """Pulumi hands structured values over as JSON text; stack files give them natively."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _problems_from_validation(error: ValidationError, domain: object) -> list[Problem]:
    # Host examples use the stack's own domain, e.g. auth.<domain> for kratosHost.
    stack_domain = domain.strip().lower() if isinstance(domain, str) else None
    return [plain_problem(item, stack_domain) for item in error.errors()]


def _not_yet_named(problems: list[Problem], named: list[Problem]) -> list[Problem]:
    """Drop problems for keys a raw check already explained (a secret before 'unknown')."""
    keys = {problem.key for problem in named}
    return [problem for problem in problems if problem.key not in keys]


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
    decoded = {key: decode_config_value(value) for key, value in config.items()}
    raw = {
        key.split(":", 1)[1]: value for key, value in decoded.items() if key.startswith(NS + ":")
    }
    problems = _namespace_problems(config, secret_keys) + raw_problems(decoded)
    try:
        settings = StackSettings.model_validate(raw)
    except ValidationError as error:
        problems += _not_yet_named(_problems_from_validation(error, raw.get("domain")), problems)
        raise SettingsError(stack, problems) from None
    problems += _not_yet_named(find_problems(settings), problems)
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
    config = parse_stack_file(path)
    secret_keys = [k for k, v in config.items() if isinstance(v, dict) and "secure" in v]
    return config, secret_keys


def as_pulumi_value(value: Any) -> str:
    """How the Pulumi CLI hands one config value to the program: text, JSON for structures."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def load_stack(stack: str, root: Path | None = None) -> LocalSettings | ClusterSettings:
    """Settings for a stack from its `Pulumi.<stack>.yaml`, without the Pulumi CLI.

    Values go through the same text form the CLI gives the program, so `render` and
    `pulumi preview` read a stack file alike and word their problems alike.
    """
    root = root or PROJECT_ROOT
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
    as_given = {key: as_pulumi_value(value) for key, value in config.items()}
    return settings_from_config(stack, as_given, secret_keys)


def stack_names(root: Path = PROJECT_ROOT) -> list[str]:
    """Every environment that has a stack file, in a stable order."""
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in root.glob("Pulumi.*.yaml"))
