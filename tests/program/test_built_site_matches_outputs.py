"""The UI `make site` builds for a stack carries the config that stack's program deploys."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from ci_tools.site_check import check
from stack_settings.ui_build import SITE_CONFIG_FILE, UI_BUILD_OUTPUT
from tests.program.conftest import RunWith
from tests.program.harness import ProgramRun
from tests.support.stack_config import ROOT

pytestmark = pytest.mark.skipif(
    not (ROOT / "frontend_site/node_modules/.bin/vite").exists(),
    reason="node packages not installed (scripts/setup.d/30-node)",
)


def build(stack: str, out: Path) -> Path:
    subprocess.run(
        [str(ROOT / "scripts/build-site"), "--stack", stack, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return out


def test_the_built_site_config_equals_the_deployed_ui_build_output(
    stack: str, run: ProgramRun, tmp_path: Path
) -> None:
    site = build(stack, tmp_path / "site")
    assert json.loads((site / SITE_CONFIG_FILE).read_text()) == run.outputs[UI_BUILD_OUTPUT]
    assert check(stack, run.outputs, site) == []


def test_a_stack_deployed_from_other_settings_fails_the_check(
    run_with: RunWith, tmp_path: Path
) -> None:
    site = build("prod", tmp_path / "site")
    drifted = run_with("prod", kratosHost="login.example.com")
    assert drifted.error is None
    problems = check("prod", drifted.outputs, site)
    assert len(problems) == 1 and "https://login.example.com/" in problems[0]
