"""The value paths the Ory kratos chart 0.59.0 reads (keys of values.yaml plus every
`.Values` path in its templates), kept as test data beside the tests."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

PATHS_FILE = Path(__file__).with_name("kratos-chart-0.59.0-value-paths.txt")
# Free-form subtrees: the chart copies them whole (kratos.yaml, schema files), so any key goes.
FREE_FORM = ("kratos.config", "kratos.identitySchemas", "kratos.emailTemplates")


@cache
def chart_paths() -> frozenset[str]:
    lines = PATHS_FILE.read_text().splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def value_paths(values: Any, prefix: str = "") -> Iterator[str]:
    """Every dotted path we set, not descending where the chart takes a subtree as it is:
    the free-form subtrees above, and maps such as `resources` whose children it never names."""
    if not isinstance(values, dict) or prefix in FREE_FORM:
        return
    known = chart_paths()
    if prefix and not any(path.startswith(prefix + ".") for path in known):
        return
    for key, value in values.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        yield path
        yield from value_paths(value, path)


def unknown_value_paths(values: dict[str, Any]) -> list[str]:
    return sorted(path for path in value_paths(values) if path not in chart_paths())
