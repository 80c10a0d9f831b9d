"""What the pinned Kratos's config schema allows at each path, vendored as a small facts file.

Only the facts the override check needs are kept: which keys exist, which maps take any key,
and each value's types, bounds and allowed values. `python -m stack_settings.kratos_schema
SCHEMA.json` regenerates the file from the official schema; a test checks it is current.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

from stack_settings.kratos_version import KRATOS_VERSION

FACTS_FILE = Path(__file__).with_name("kratos-config-facts.json")
ANY_KEY = "*"
Facts = dict[str, dict[str, Any]]


def _resolve(node: dict[str, Any], schema: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node, None
    if not ref.startswith("#/definitions/"):
        return {}, ref  # an external schema (tracing): any object is accepted
    return schema["definitions"][ref.removeprefix("#/definitions/")], ref


def _record(facts: Facts, path: str, node: dict[str, Any], is_open: bool) -> None:
    entry = facts.setdefault(path, {})
    if is_open:
        entry["open"] = True
    kinds = node.get("type")
    if kinds is None and "enum" not in node and "const" not in node:
        return
    first = "types" not in entry
    types = set(entry.get("types", [])) | set([kinds] if isinstance(kinds, str) else kinds or [])
    entry["types"] = sorted(types)
    # Where branches disagree, keep the least restrictive bound so valid values stay valid.
    for bound, pick in (("minimum", min), ("maximum", max)):
        if bound in node and (first or bound in entry):
            entry[bound] = node[bound] if first else pick(entry[bound], node[bound])
        elif not first:
            entry.pop(bound, None)
    allowed = node.get("enum", [node["const"]] if "const" in node else None)
    if allowed is not None and (first or "enum" in entry):
        entry["enum"] = sorted({*entry.get("enum", []), *allowed}, key=str)
    elif not first:
        entry.pop("enum", None)


def _walk(
    node: dict[str, Any] | bool,
    path: str,
    schema: dict[str, Any],
    facts: Facts,
    refs: tuple[str, ...],
) -> None:
    if isinstance(node, bool):  # `true` accepts anything, `false` nothing
        if node:
            _record(facts, path, {}, is_open=True)
        return
    node, ref = _resolve(node, schema)
    if ref is not None and ref in refs:
        return
    refs = (*refs, ref) if ref else refs
    if ref is not None and not node:
        _record(facts, path, {}, is_open=True)
        return
    extra = node.get("additionalProperties")
    children = node.get("properties", {})
    pattern_children = list(node.get("patternProperties", {}).values())
    if isinstance(extra, dict):
        pattern_children.append(extra)
    # Only a node that describes an object decides openness; if/then branches do not.
    is_object = node.get("type") == "object" or "properties" in node
    _record(facts, path, node, is_open=is_object and extra is not False and not pattern_children)
    for branch in ("allOf", "anyOf", "oneOf"):
        for sub in node.get(branch, []):
            _walk(sub, path, schema, facts, refs)
    for name, child in children.items():
        _walk(child, f"{path}.{name}" if path else name, schema, facts, refs)
    for child in pattern_children:
        _walk(child, f"{path}.{ANY_KEY}" if path else ANY_KEY, schema, facts, refs)


def facts_from_schema(schema: dict[str, Any]) -> Facts:
    """Every config path of a Kratos config schema with the facts the override check needs."""
    facts: Facts = {}
    _walk(schema, "", schema, facts, ())
    return dict(sorted(facts.items()))


@cache
def config_facts() -> Facts:
    document: dict[str, Any] = json.loads(FACTS_FILE.read_text())
    facts: Facts = document["paths"]
    return facts


def write_facts(schema_file: Path) -> None:
    schema = json.loads(schema_file.read_text())
    document = {"kratos": KRATOS_VERSION, "paths": facts_from_schema(schema)}
    FACTS_FILE.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    write_facts(Path(sys.argv[1]))
