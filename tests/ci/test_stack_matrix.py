"""The CI matrix comes from the Pulumi.<stack>.yaml files: a new file is a new environment."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ci_tools.errors import CiError
from ci_tools.stack_matrix import environments, pages_stack
from tests.ci.workflow_files import ROOT

SCRIPT = ROOT / "scripts" / "stack-matrix"


def run_matrix(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=60, check=False
    )


def stacks_in(matrix: dict[str, Any]) -> list[str]:
    return [entry["stack"] for entry in matrix["include"]]


def github_output(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines())


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """The repository's Pulumi*.yaml files in a temp folder, to add stacks without touching ours."""
    for path in ROOT.glob("Pulumi*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def add_staging(root: Path) -> None:
    """A third environment, made from the dev stack file as a team would."""
    text = (root / "Pulumi.dev.yaml").read_text()
    text = text.replace("dev.example.com", "staging.example.com").replace("auth-dev", "auth-stg")
    (root / "Pulumi.staging.yaml").write_text(text.replace("kratos/dev/", "kratos/staging/"))


def test_matrix_lists_the_repository_stacks_dev_before_prod() -> None:
    result = run_matrix()
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)["include"]
    names = [entry["stack"] for entry in entries]
    production = [entry["production"] for entry in entries]
    assert production == sorted(production), "every production stack comes last"
    assert {"dev", "prod"} <= set(names)
    assert names.index("dev") < names.index("prod")


def test_a_new_stack_file_appears_in_the_matrix_before_production(project_copy: Path) -> None:
    before = stacks_in(json.loads(run_matrix("--root", str(project_copy)).stdout))
    assert "staging" not in before
    add_staging(project_copy)

    result = run_matrix("--root", str(project_copy), "--github-output")

    assert result.returncode == 0, result.stderr
    out = github_output(result.stdout)
    assert stacks_in(json.loads(out["all"])) == ["dev", "staging", "prod"]
    assert stacks_in(json.loads(out["preproduction"])) == ["dev", "staging"]
    assert stacks_in(json.loads(out["production"])) == ["prod"]
    assert out["has-preproduction"] == out["has-production"] == "true"


def test_matrix_entries_carry_what_the_jobs_use(project_copy: Path) -> None:
    out = github_output(run_matrix("--root", str(project_copy), "--github-output").stdout)
    prod = json.loads(out["production"])["include"][0]
    assert prod == {
        "stack": "prod",
        "production": True,
        "uiHost": "ui.example.com",
        "uiOrigin": "https://ui.example.com",
        "pages": True,
    }
    assert out["pages-stack"] == "prod"


def test_removing_production_leaves_an_empty_stage_flagged(project_copy: Path) -> None:
    (project_copy / "Pulumi.prod.yaml").unlink()
    out = github_output(run_matrix("--root", str(project_copy), "--github-output").stdout)
    assert json.loads(out["production"]) == {"include": []}
    assert out["has-production"] == "false"
    assert out["pages-stack"] == ""


def test_a_bad_stack_file_fails_the_matrix_naming_the_key(project_copy: Path) -> None:
    text = (project_copy / "Pulumi.dev.yaml").read_text()
    (project_copy / "Pulumi.dev.yaml").write_text(text.replace("logLevel:", "logLevl:"))

    result = run_matrix("--root", str(project_copy))

    assert result.returncode == 1
    assert "kratos-auth:logLevl" in result.stderr and "logLevel" in result.stderr
    assert "Traceback" not in result.stderr


def test_pages_stack_defaults_to_the_only_production_stack(project_copy: Path) -> None:
    envs = environments(project_copy)
    assert pages_stack(envs) == "prod"
    assert pages_stack(envs, requested="dev") == "dev"


def test_unknown_pages_stack_is_refused(project_copy: Path) -> None:
    with pytest.raises(CiError, match=r"PAGES_STACK = 'qa'.*dev, prod"):
        pages_stack(environments(project_copy), requested="qa")


def test_pages_stack_must_belong_to_the_repository_owner(project_copy: Path) -> None:
    envs = environments(project_copy)
    assert pages_stack(envs, repository_owner="Example-Org") == "prod"
    with pytest.raises(CiError, match=r"pages\.owner = 'example-org'.*'someone-else'"):
        pages_stack(envs, repository_owner="someone-else")


def test_two_production_stacks_need_an_explicit_pages_stack(project_copy: Path) -> None:
    shutil.copy(project_copy / "Pulumi.prod.yaml", project_copy / "Pulumi.prod-eu.yaml")
    envs = environments(project_copy)
    with pytest.raises(CiError, match="several production stacks"):
        pages_stack(envs)
    assert pages_stack(envs, requested="prod-eu") == "prod-eu"
