"""actionlint (with shellcheck for `run:` scripts when installed) finds nothing in any workflow."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.ci.workflow_files import ROOT, WORKFLOWS

SETUP_STEP = "scripts/setup.d/50-actionlint"


def _actionlint() -> Path | None:
    built = ROOT / ".cache" / "bin" / "actionlint"
    if built.is_file() and os.access(built, os.X_OK):
        return built
    on_path = shutil.which("actionlint")
    return Path(on_path) if on_path else None


def test_every_workflow_passes_actionlint() -> None:
    binary = _actionlint()
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"actionlint is missing in CI: `scripts/setup` must run {SETUP_STEP}")
        pytest.skip(f"actionlint not installed here; run {SETUP_STEP} (CI always has it)")
    files = sorted(str(p.relative_to(ROOT)) for p in WORKFLOWS.glob("*.y*ml"))
    assert files, "no workflow files found"
    result = subprocess.run(
        [str(binary), "-no-color", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    findings = (result.stdout + result.stderr).strip()
    assert result.returncode == 0 and not findings, f"actionlint findings:\n{findings}"


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    """Guards the test above against a binary that passes everything."""
    binary = _actionlint()
    if binary is None:
        pytest.skip(f"actionlint not installed here; run {SETUP_STEP}")
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    steps:\n      - run: echo hi\n")
    result = subprocess.run(
        [str(binary), "-no-color", str(broken)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "runs-on" in result.stdout
