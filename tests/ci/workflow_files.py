"""Read the GitHub workflow and composite-action files the way the CI tests inspect them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONS = ROOT / ".github" / "actions"


@dataclass(frozen=True)
class YamlFile:
    path: Path
    text: str
    data: dict[Any, Any]

    @property
    def name(self) -> str:
        return str(self.path.relative_to(ROOT))


def _load(path: Path) -> YamlFile:
    text = path.read_text()
    data = yaml.safe_load(text)
    assert isinstance(data, dict), f"{path}: not a YAML mapping"
    return YamlFile(path, text, data)


def workflow_files() -> list[YamlFile]:
    return [_load(p) for p in sorted(WORKFLOWS.glob("*.y*ml"))]


def action_files() -> list[YamlFile]:
    return [_load(p) for p in sorted(ACTIONS.glob("*/action.y*ml"))]


def workflow(name: str) -> YamlFile:
    return _load(WORKFLOWS / name)


def triggers(doc: YamlFile) -> dict[str, Any]:
    """The `on:` block; YAML 1.1 reads the bare key `on` as the boolean True."""
    raw = doc.data.get("on", doc.data.get(True))
    if isinstance(raw, str):
        return {raw: None}
    if isinstance(raw, list):
        return {event: None for event in raw}
    assert isinstance(raw, dict), f"{doc.name}: no `on:` triggers"
    return raw


def jobs(doc: YamlFile) -> dict[str, dict[str, Any]]:
    found = doc.data.get("jobs", {})
    assert isinstance(found, dict)
    return found


def steps(block: dict[str, Any]) -> list[dict[str, Any]]:
    """Steps of a job, or of a composite action's `runs:`."""
    found = block.get("steps") or block.get("runs", {}).get("steps") or []
    assert isinstance(found, list)
    return found


def all_steps() -> Iterator[tuple[str, dict[str, Any]]]:
    """(file name, step) for every step in every workflow job and composite action."""
    for doc in workflow_files():
        for job in jobs(doc).values():
            for step in steps(job):
                yield doc.name, step
    for doc in action_files():
        for step in steps(doc.data):
            yield doc.name, step


def needs(job: dict[str, Any]) -> list[str]:
    raw = job.get("needs", [])
    return [raw] if isinstance(raw, str) else list(raw)


def transitive_needs(all_jobs: dict[str, dict[str, Any]], name: str) -> set[str]:
    seen: set[str] = set()
    pending = needs(all_jobs[name])
    while pending:
        current = pending.pop()
        if current not in seen:
            seen.add(current)
            pending.extend(needs(all_jobs[current]))
    return seen
