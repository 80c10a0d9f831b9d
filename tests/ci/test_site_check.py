"""The built UI is published only when the config it was built with matches the deployed stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ci_tools.site_check import check
from stack_settings.ui_build import SITE_CONFIG_FILE
from tests.ci.workflow_files import ROOT

BUILT = {
    "kratosPublicUrl": "https://auth.example.com/",
    "uiOrigin": "https://ui.example.com",
    "customDomain": "ui.example.com",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("<!doctype html>")
    (folder / SITE_CONFIG_FILE).write_text(json.dumps(BUILT))
    return folder


def test_matching_outputs_pass_and_the_custom_domain_is_written(site: Path) -> None:
    outputs = {"uiBuild": {**BUILT, "kratosPublicUrl": "https://auth.example.com"}}
    assert check("prod", outputs, site) == []
    assert (site / "CNAME").read_text() == "ui.example.com\n"


def test_a_different_kratos_url_fails_naming_both_values(site: Path) -> None:
    outputs = {"uiBuild": {**BUILT, "kratosPublicUrl": "https://auth.old.example.com/"}}
    problems = check("prod", outputs, site)
    assert len(problems) == 1
    assert "kratosPublicUrl" in problems[0]
    assert "https://auth.old.example.com/" in problems[0]
    assert "https://auth.example.com/" in problems[0]
    assert not (site / "CNAME").exists()


def test_every_key_of_the_ui_build_output_is_compared(site: Path) -> None:
    outputs = {"uiBuild": {**BUILT, "uiOrigin": "https://login.example.com"}}
    problems = check("prod", outputs, site)
    assert len(problems) == 1
    assert "uiBuild.uiOrigin" in problems[0] and "https://login.example.com" in problems[0]


def test_a_key_only_one_side_has_is_a_difference(site: Path) -> None:
    deployed = {key: value for key, value in BUILT.items() if key != "customDomain"}
    problems = check("prod", {"uiBuild": deployed}, site)
    assert len(problems) == 1 and "uiBuild.customDomain" in problems[0]


def test_top_level_outputs_are_not_a_second_shape(site: Path) -> None:
    """One output shape: the stack's uiBuild; a bare kratosPublicUrl output is not read."""
    problems = check("prod", {"kratosPublicUrl": BUILT["kratosPublicUrl"]}, site)
    assert any("exports no uiBuild" in p for p in problems)


def test_a_wrong_cname_from_the_build_fails(site: Path) -> None:
    (site / "CNAME").write_text("ui.dev.example.com\n")
    problems = check("prod", {"uiBuild": dict(BUILT)}, site)
    assert problems and "ui.dev.example.com" in problems[0]


def test_an_empty_build_fails(tmp_path: Path) -> None:
    problems = check("prod", {"uiBuild": dict(BUILT)}, tmp_path)
    assert problems and "index.html" in problems[0]


def test_a_site_without_its_build_config_fails(site: Path) -> None:
    (site / SITE_CONFIG_FILE).unlink()
    problems = check("prod", {"uiBuild": dict(BUILT)}, site)
    assert problems and SITE_CONFIG_FILE in problems[0]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ci_tools.site_check", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_exits_non_zero_with_the_message_on_mismatch(site: Path, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs.json"
    outputs.write_text(
        json.dumps({"uiBuild": {**BUILT, "kratosPublicUrl": "https://elsewhere.example.com/"}})
    )

    result = run_cli("--stack", "prod", "--outputs", str(outputs), "--site", str(site))

    assert result.returncode == 1
    assert "elsewhere.example.com" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_reports_unreadable_outputs_without_a_traceback(site: Path, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs.json"
    outputs.write_text("not json")

    result = run_cli("--stack", "prod", "--outputs", str(outputs), "--site", str(site))

    assert result.returncode == 1
    assert "outputs.json" in result.stderr and "Traceback" not in result.stderr
