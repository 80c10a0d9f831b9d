"""Where the Ory kratos chart comes from: a Helm repository, an OCI registry or a local folder.

A mirror or an air-gapped cluster cannot reach Ory's repository, so `chartSource` takes any of
the three; a local folder is checked before deploy (it must hold the kratos chart at
`chartVersion`), the remote ones when Helm fetches them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import yaml

from stack_settings.errors import Problem
from stack_settings.model import (
    CHART_NAME,
    CONFIG_NAMESPACE,
    DEFAULT_CHART_REPOSITORY,
    StackSettings,
)

# Relative folders are read from the project root, where Pulumi.yaml is.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
KEY = f"{CONFIG_NAMESPACE}:chartSource"


@dataclass(frozen=True)
class ChartSource:
    kind: Literal["repository", "oci", "directory"]
    location: str  # repository URL, full OCI reference, or absolute folder


def chart_source(value: str) -> ChartSource:
    if value.startswith("oci://"):
        return ChartSource("oci", value.rstrip("/"))
    if value.startswith(("https://", "http://")):
        return ChartSource("repository", value.rstrip("/"))
    folder = Path(value.removeprefix("file://")).expanduser()
    return ChartSource("directory", str(folder if folder.is_absolute() else PROJECT_ROOT / folder))


def check_chart_source(s: StackSettings) -> Iterator[Problem]:
    source = chart_source(s.chart_source)
    if source.kind == "oci":
        parts = urlsplit(source.location)
        if not parts.netloc or parts.path.rstrip("/").rsplit("/", 1)[-1] != CHART_NAME:
            yield Problem(
                KEY,
                s.chart_source,
                f"an OCI reference must name the registry and end with the chart, /{CHART_NAME}",
                f"e.g. oci://registry.example.com/charts/{CHART_NAME}",
            )
    elif source.kind == "repository":
        if not urlsplit(source.location).netloc:
            yield Problem(
                KEY,
                s.chart_source,
                "a repository URL needs a host",
                f"e.g. {DEFAULT_CHART_REPOSITORY}",
            )
    else:
        yield from _check_folder(Path(source.location), s)


def _check_folder(folder: Path, s: StackSettings) -> Iterator[Problem]:
    chart_file = folder / "Chart.yaml"
    if not chart_file.is_file():
        yield Problem(
            KEY,
            s.chart_source,
            f"{folder} holds no chart (no Chart.yaml)",
            f"point it at the unpacked {CHART_NAME} chart (`helm pull ory/{CHART_NAME} "
            f"--version {s.chart_version} --untar`), or at a repository URL or oci:// reference",
        )
        return
    try:
        meta = yaml.safe_load(chart_file.read_text()) or {}
    except yaml.YAMLError:
        meta = {}
    if not isinstance(meta, dict) or meta.get("name") != CHART_NAME:
        name = meta.get("name") if isinstance(meta, dict) else None
        yield Problem(
            KEY,
            s.chart_source,
            f"the chart there is {name!r}, not {CHART_NAME!r}",
            "use Ory's kratos chart",
        )
    elif str(meta.get("version")) != s.chart_version:
        yield Problem(
            KEY,
            s.chart_source,
            f"the chart there is version {meta.get('version')}, but "
            f"{CONFIG_NAMESPACE}:chartVersion is {s.chart_version}",
            f"use the {s.chart_version} chart, or set {CONFIG_NAMESPACE}:chartVersion to "
            f"{meta.get('version')} if you mean to deploy that one",
        )
