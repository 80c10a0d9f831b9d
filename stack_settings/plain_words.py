"""Type and range errors from the settings model, said in plain words with a concrete example.

No regular expression, class name or validation-library phrase reaches the user: each error
kind has its own sentence, and the example comes from the field's `examples` in the model.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from annotated_types import Ge, Gt, Le, Lt, MaxLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from stack_settings.errors import Problem
from stack_settings.host_form import SETTINGS_ERROR
from stack_settings.model import CONFIG_NAMESPACE, StackSettings, nested_model

NS = CONFIG_NAMESPACE

# What a well-formed value looks like, by a fragment of the pattern it failed (never shown).
PATTERN_FORMS = {
    "ns|us|ms|s|m|h": ("a Go duration", "15m, 1h or 24h"),
    "[a-z0-9-]{0,61}[a-z0-9])?(\\.": ("a lowercase host name", "example.com"),
    "[a-z0-9_-]{0,62}": ("a lowercase id of letters, digits, - and _", "customer"),
    "[a-z0-9-]*[a-z0-9])?$": ("a Kubernetes name of lowercase letters, digits and -", "kratos"),
    "[0-9a-f]{32}": ("the 32-character hex Cloudflare zone id", "0123456789abcdef0123456789abcdef"),
    "(0|[1-9][0-9]*)\\.": ("a semantic version", "0.59.0"),
    "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}": ("an image tag", "v1.3.1"),
    "[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})": ("a GitHub user or organisation name", "my-org"),
    "([0-9]+h)?([0-9]+m)?": ("a Prometheus interval in h, m and s", "30s or 1m30s"),
    "#[0-9A-Fa-f]{6}": ("a colour as #rrggbb", "#0b5cad"),
}
# Words for a number, by key, so a range error reads "a port between 1 and 65535".
NUMBER_NOUNS = {
    "uiPort": "a port",
    "kratosPort": "a port",
    "replicas": "a replica count",
    "bcryptCost": "a bcrypt cost",
    "ttl": "a TTL in seconds",
}


def key_name(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return f"{NS}:{text}"


def _field(model: type[BaseModel], part: str) -> FieldInfo | None:
    return next((f for name, f in model.model_fields.items() if part in (name, f.alias)), None)


def model_at(path: Iterable[str | int]) -> type[BaseModel] | None:
    """The settings model that owns the keys at a location, to suggest the right spelling."""
    model: type[BaseModel] | None = StackSettings
    for part in path:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        field = _field(model, part)
        model = nested_model(field.annotation)[0] if field else None
    return model


def field_at(loc: tuple[str | int, ...]) -> FieldInfo | None:
    # A list item's error sits under the list's own field.
    while loc and isinstance(loc[-1], int):
        loc = loc[:-1]
    owner = model_at(loc[:-1])
    if owner is None or not loc:
        return None
    return _field(owner, str(loc[-1]))


def known_keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


# The stack's own domain, when it reads as one, so a host example is one the user can paste.
_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
EXAMPLE_DOMAIN = "example.com"


def _example(field: FieldInfo | None, fallback: str, domain: str | None = None) -> str:
    example = str(field.examples[0]) if field is not None and field.examples else fallback
    if domain and _DOMAIN.match(domain) and example.endswith(EXAMPLE_DOMAIN):
        return example.removesuffix(EXAMPLE_DOMAIN) + domain
    return example


def _bounds(field: FieldInfo | None) -> tuple[int | None, int | None]:
    low = high = None
    for item in field.metadata if field else ():
        if isinstance(item, Ge):
            low = int(item.ge)  # type: ignore[call-overload]
        elif isinstance(item, Gt):
            low = int(item.gt) + 1  # type: ignore[call-overload]
        elif isinstance(item, Le):
            high = int(item.le)  # type: ignore[call-overload]
        elif isinstance(item, Lt):
            high = int(item.lt) - 1  # type: ignore[call-overload]
    return low, high


def _max_length(field: FieldInfo | None, ctx: dict[str, Any]) -> object:
    if "max_length" in ctx:
        return ctx["max_length"]
    found = [m.max_length for m in (field.metadata if field else ()) if isinstance(m, MaxLen)]
    return found[0] if found else "the allowed number of"


def _shape(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping of keys"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return "text"


def _range_words(key: str, field: FieldInfo | None) -> tuple[str, str]:
    noun = NUMBER_NOUNS.get(key.rsplit(".", 1)[-1].split(":")[-1], "a whole number")
    low, high = _bounds(field)
    example = _example(field, str(low if low is not None else 1))
    if low is not None and high is not None:
        span = f"between {low} and {high}"
    elif low is not None:
        span = f"of at least {low}"
    else:
        span = f"of at most {high}"
    return f"is not {noun} {span}", f"write {noun} {span}, e.g. {example}"


def _pattern_words(
    ctx: dict[str, Any], field: FieldInfo | None, domain: str | None
) -> tuple[str, str]:
    pattern = str(ctx.get("pattern", ""))
    form, example = next(
        (f for part, f in PATTERN_FORMS.items() if part in pattern), ("a value", "")
    )
    example = _example(field, example, domain)
    return f"is not {form}", f"write {form}" + (f", e.g. {example}" if example else "")


def plain_problem(item: Any, domain: str | None = None) -> Problem:
    """One validation error as a Problem: key, value, reason and fix in plain words."""
    loc = tuple(item["loc"])
    key = key_name(loc)
    kind: str = item["type"]
    ctx: dict[str, Any] = item.get("ctx") or {}
    value = item.get("input")
    field = field_at(loc)
    if kind == SETTINGS_ERROR:
        return Problem(key, value, ctx["reason"], ctx["fix"])
    if kind == "extra_forbidden":
        return unknown_key_problem(key, loc, value)
    if kind == "missing":
        return Problem(key, None, "required but not set", f"set {key} in Pulumi.<stack>.yaml")
    if kind == "literal_error":
        return Problem(key, value, "is not one of the allowed values", f"use {ctx['expected']}")
    if kind == "string_pattern_mismatch":
        reason, fix = _pattern_words(ctx, field, domain)
        return Problem(key, value, reason, fix)
    if kind == "string_too_short":
        example = _example(field, "")
        fix = f"set it, e.g. {example}" if example else "set it to a non-empty value"
        return Problem(key, value, "must not be empty", fix)
    if kind == "string_too_long":
        limit = _max_length(field, ctx)
        example = _example(field, "")
        fix = f"shorten it to {limit} characters or fewer" + (
            f", e.g. {example}" if example else ""
        )
        return Problem(key, value, f"is longer than {limit} characters", fix)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        reason, fix = _range_words(key, field)
        return Problem(key, value, reason, fix)
    if kind in ("int_parsing", "int_type", "int_from_float"):
        example = _example(field, "3")
        return Problem(key, value, "is not a whole number", f"write a whole number, e.g. {example}")
    if kind in ("bool_parsing", "bool_type"):
        return Problem(key, value, "is not true or false", "write true or false")
    if kind in ("string_type", "string_unicode"):
        example = _example(field, "a value in quotes")
        return Problem(key, value, f"is {_shape(value)}, not text", f"write text, e.g. {example}")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return Problem(
            key, value, f"is {_shape(value)}, not a mapping of keys", f"write keys under {key}"
        )
    if kind in ("tuple_type", "list_type"):
        return Problem(key, value, f"is {_shape(value)}, not a list", f"write a list under {key}")
    return Problem(
        key, value, "is not valid here", f"see {key} in the settings reference of README.md"
    )


def unknown_key_problem(key: str, loc: tuple[str | int, ...], value: object) -> Problem:
    model = model_at(loc[:-1])
    known = known_keys(model) if model else []
    parent, dot, child = str(loc[-1]).partition(".")
    if dot and parent in known:
        # `kratos-auth:methods.password: false` is `pulumi config set --path` syntax, not YAML.
        return Problem(
            key,
            value,
            "a dotted key is not nested in a stack file",
            f"write `{child}` indented under {key_name((*loc[:-1], parent))}, or run "
            f"`pulumi config set --path {key_name((*loc[:-1], parent))}.{child} <value>`",
        )
    close = difflib.get_close_matches(str(loc[-1]), known, n=1)
    fix = f"did you mean '{close[0]}'?" if close else f"remove it; known keys: {', '.join(known)}"
    return Problem(key, value, "unknown key", fix)
