"""The raw-Kratos-keys escape hatch, checked against the pinned Kratos's config schema.

A misspelt path would be rejected by Kratos at start-up (the pod crash-loops after deploy); a
value of the wrong type or below a minimum the same. Both are found here, before deploy.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from stack_settings.errors import Problem
from stack_settings.kratos_schema import ANY_KEY, config_facts
from stack_settings.kratos_version import KRATOS_VERSION
from stack_settings.model import CONFIG_NAMESPACE, StackSettings

NS = CONFIG_NAMESPACE
OVERRIDES = f"{NS}:kratosConfigOverrides"
JSON_TYPES: dict[type, tuple[str, ...]] = {
    bool: ("boolean",),
    int: ("integer", "number"),
    float: ("number",),
    str: ("string",),
    list: ("array",),
    dict: ("object",),
    type(None): ("null",),
}
TYPE_WORDS = {
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "array": "a list",
    "object": "a mapping of keys",
    "null": "null",
}


def _entries(
    tree: dict[str, Any], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    for key, value in tree.items():
        yield (*prefix, str(key)), value
        if isinstance(value, dict):
            yield from _entries(value, (*prefix, str(key)))


def _children(path: str) -> list[str]:
    prefix = f"{path}." if path else ""
    depth = prefix.count(".")
    return sorted(
        {k[len(prefix) :] for k in config_facts() if k.startswith(prefix) and k.count(".") == depth}
        - {ANY_KEY}
    )


def _schema_path(parts: tuple[str, ...]) -> tuple[str, str]:
    """("known", facts path), ("open", parent taking any key) or ("unknown", last known parent)."""
    facts = config_facts()
    current = ""
    for part in parts:
        named = f"{current}.{part}" if current else part
        wildcard = f"{current}.{ANY_KEY}" if current else ANY_KEY
        if named in facts:
            current = named
        elif wildcard in facts:
            current = wildcard
        elif facts.get(current, {}).get("open"):
            return "open", current
        else:
            return "unknown", current
    return "known", current


def _limit(low: object, high: object) -> str:
    if low is not None and high is not None:
        return f"a value from {low} to {high}"
    return f"at least {low}" if low is not None else f"at most {high}"


def _value_problem(key: str, value: Any, facts: dict[str, Any]) -> Problem | None:
    types = facts.get("types")
    kinds = JSON_TYPES.get(type(value), ())
    if types and not set(kinds) & set(types):
        wanted = " or ".join(TYPE_WORDS.get(t, t) for t in types)
        return Problem(
            key, value, f"Kratos {KRATOS_VERSION} expects {wanted} here", f"write {wanted}"
        )
    if "enum" in facts and value not in facts["enum"]:
        allowed = ", ".join(str(v) for v in facts["enum"])
        return Problem(key, value, "is not a value Kratos accepts here", f"use one of: {allowed}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        low, high = facts.get("minimum"), facts.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            limit = _limit(low, high)
            return Problem(
                key, value, f"Kratos {KRATOS_VERSION} accepts {limit} here", f"set {limit}"
            )
    return None


def _unknown_key(key: str, parts: tuple[str, ...], parent: str) -> Problem:
    known = _children(parent)
    close = difflib.get_close_matches(parts[-1], known, n=1)
    where = f"under {parent}" if parent else "at the top level"
    fix = f"did you mean '{close[0]}'?" if close else f"use a key {where}: {', '.join(known)}"
    return Problem(
        key, "<set>", f"Kratos {KRATOS_VERSION} has no config key {'.'.join(parts)}", fix
    )


def check_override_schema(s: StackSettings) -> Iterator[Problem]:
    """Every override path exists in the Kratos config schema and its value has the right type."""
    for parts, value in _entries(s.kratos_config_overrides):
        key = f"{OVERRIDES}.{'.'.join(parts)}"
        status, path = _schema_path(parts)
        # Only the first unknown key of a branch is named; its children are not checked.
        if status == "unknown" and _schema_path(parts[:-1])[0] != "unknown":
            yield _unknown_key(key, parts, path)
        elif status == "known":
            problem = _value_problem(key, value, config_facts()[path])
            if problem is not None:
                yield problem
