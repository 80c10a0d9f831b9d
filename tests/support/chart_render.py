"""`helm template` of the real Ory kratos chart with our values, for tests that judge the
manifests the chart really renders. The chart is not in any registry here: it comes from
$KRATOS_CHART_DIR, and tests skip with HOW_TO_ENABLE without it."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from local_cluster.toolchain import find_toolchain
from stack_settings.model import CHART_NAME, DEFAULT_CHART_VERSION

CHART_ENV = "KRATOS_CHART_DIR"
HOW_TO_ENABLE = (
    f"needs the Ory kratos chart {DEFAULT_CHART_VERSION}, which no registry here carries: set "
    f"{CHART_ENV} to a directory holding it (e.g. from `helm pull ory/kratos --version "
    f"{DEFAULT_CHART_VERSION} --untar` on a machine that reaches k8s.ory.sh)"
)


class RenderError(Exception):
    """helm template refused the values; the message is Helm's."""


def ory_chart_dir() -> Path | None:
    """The Ory chart named by $KRATOS_CHART_DIR, checked to be the kratos chart; None if unset."""
    given = os.environ.get(CHART_ENV)
    if not given:
        return None
    path = Path(given).resolve()
    chart_file = path / "Chart.yaml"
    assert chart_file.is_file(), f"{CHART_ENV}={given} has no Chart.yaml"
    meta = yaml.safe_load(chart_file.read_text())
    assert meta.get("name") == CHART_NAME, f"{CHART_ENV}={given} is not the {CHART_NAME} chart"
    return path


@cache
def helm() -> str:
    return find_toolchain().tool("helm")


@dataclass(frozen=True)
class Rendered:
    """The manifests of one render, by kind and name."""

    text: str
    objects: tuple[dict[str, Any], ...]

    def kind(self, kind: str) -> list[dict[str, Any]]:
        return [o for o in self.objects if o.get("kind") == kind]

    def one(self, kind: str, name: str) -> dict[str, Any]:
        [found] = [o for o in self.kind(kind) if o["metadata"]["name"] == name]
        return found


def render_text(
    chart: Path, values: dict[str, Any], release: str = "kratos", namespace: str = "auth"
) -> str:
    """The chart's manifests as Helm prints them; RenderError when Helm refuses."""
    with tempfile.NamedTemporaryFile("w", suffix=".json") as values_file:
        json.dump(values, values_file)  # JSON is YAML, and keeps every type as we built it
        values_file.flush()
        result = subprocess.run(
            [helm(), "template", release, str(chart), "-n", namespace, "-f", values_file.name],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise RenderError(result.stderr.strip())
    return result.stdout


def render(
    chart: Path, values: dict[str, Any], release: str = "kratos", namespace: str = "auth"
) -> Rendered:
    text = render_text(chart, values, release, namespace)
    objects = tuple(doc for doc in yaml.safe_load_all(text) if isinstance(doc, dict))
    return Rendered(text, objects)
