"""The built UI is published only when it matches the deployed stack's outputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stack_settings.site_check import check
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
    return folder


def test_matching_outputs_pass_and_the_custom_domain_is_written(site: Path) -> None:
    outputs = {"kratosPublicUrl": "https://auth.example.com", "uiOrigin": "https://ui.example.com"}
    assert check("prod", outputs, BUILT, site) == []
    assert (site / "CNAME").read_text() == "ui.example.com\n"


def test_a_different_kratos_url_fails_naming_both_values(site: Path) -> None:
    outputs = {"kratosPublicUrl": "https://auth.old.example.com/"}
    problems = check("prod", outputs, BUILT, site)
    assert len(problems) == 1
    assert "kratosPublicUrl" in problems[0]
    assert "https://auth.old.example.com/" in problems[0]
    assert "https://auth.example.com/" in problems[0]
    assert not (site / "CNAME").exists()


def test_the_ui_build_output_is_compared_too(site: Path) -> None:
    outputs = {
        "kratosPublicUrl": BUILT["kratosPublicUrl"],
        "uiBuild": {**BUILT, "uiOrigin": "https://login.example.com"},
    }
    problems = check("prod", outputs, BUILT, site)
    assert len(problems) == 1
    assert "uiBuild.uiOrigin" in problems[0] and "https://login.example.com" in problems[0]


def test_the_nested_kratos_url_alone_is_enough(site: Path) -> None:
    assert check("prod", {"uiBuild": dict(BUILT)}, BUILT, site) == []


def test_a_stack_without_the_kratos_output_fails(site: Path) -> None:
    problems = check("prod", {"uiOrigin": "https://ui.example.com"}, BUILT, site)
    assert any("exports no kratosPublicUrl" in p for p in problems)


def test_a_wrong_cname_from_the_build_fails(site: Path) -> None:
    (site / "CNAME").write_text("ui.dev.example.com\n")
    problems = check("prod", {"kratosPublicUrl": BUILT["kratosPublicUrl"]}, BUILT, site)
    assert problems and "ui.dev.example.com" in problems[0]


def test_an_empty_build_fails(tmp_path: Path) -> None:
    problems = check("prod", {"kratosPublicUrl": BUILT["kratosPublicUrl"]}, BUILT, tmp_path)
    assert problems and "index.html" in problems[0]


def test_cli_exits_non_zero_with_the_message_on_mismatch(site: Path, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"kratosPublicUrl": "https://elsewhere.example.com/"}))
    built = tmp_path / "build-config.json"
    built.write_text(json.dumps(BUILT))
    args = ["--stack", "prod", "--outputs", str(outputs), "--build-config", str(built)]

    result = subprocess.run(
        [sys.executable, "-m", "stack_settings.site_check", *args, "--site", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 1
    assert "elsewhere.example.com" in result.stderr
    assert "Traceback" not in result.stderr
