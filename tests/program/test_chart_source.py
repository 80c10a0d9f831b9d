"""`chartSource`: Ory's repository by default, a mirror, an OCI registry or a local folder —
what an air-gapped cluster needs — each reaching the Helm release as Helm expects it."""

from __future__ import annotations

from pathlib import Path

import pytest

from stack_settings.model import DEFAULT_CHART_REPOSITORY, DEFAULT_CHART_VERSION
from tests.program.conftest import RunWith
from tests.support.stack_config import NS

RELEASE = "kubernetes:helm.sh/v3:Release"


def _chart_folder(
    tmp_path: Path, name: str = "kratos", version: str = DEFAULT_CHART_VERSION
) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: {version}\n")
    return folder


def test_the_default_is_ory_s_repository(run_with: RunWith) -> None:
    release = run_with("dev").one(RELEASE).inputs
    assert release["chart"] == "kratos"
    assert release["repositoryOpts"] == {"repo": DEFAULT_CHART_REPOSITORY}
    assert release["version"] == DEFAULT_CHART_VERSION


def test_a_mirror_repository_is_used_as_given(run_with: RunWith) -> None:
    release = run_with("dev", chartSource="https://charts.mirror.internal/ory/").one(RELEASE).inputs
    assert release["repositoryOpts"] == {"repo": "https://charts.mirror.internal/ory"}


def test_an_oci_reference_is_the_chart_itself(run_with: RunWith) -> None:
    ref = "oci://registry.internal/charts/kratos"
    release = run_with("dev", chartSource=ref).one(RELEASE).inputs
    assert release["chart"] == ref
    assert release["version"] == DEFAULT_CHART_VERSION
    assert "repositoryOpts" not in release


def test_a_local_folder_is_installed_from_disk(run_with: RunWith, tmp_path: Path) -> None:
    folder = _chart_folder(tmp_path)
    release = run_with("dev", chartSource=str(folder)).one(RELEASE).inputs
    assert release["chart"] == str(folder)
    assert "repositoryOpts" not in release


@pytest.mark.parametrize(
    ("source", "reason", "fix"),
    [
        ("oci://registry.internal/charts", "end with the chart, /kratos", "e.g. oci://"),
        ("https://", "a repository URL needs a host", "e.g. https://k8s.ory.sh"),
        ("/nonexistent/kratos-chart", "holds no chart (no Chart.yaml)", "helm pull ory/kratos"),
    ],
)
def test_a_chart_source_that_cannot_work_is_refused_before_deploy(
    run_with: RunWith, source: str, reason: str, fix: str
) -> None:
    run = run_with("dev", chartSource=source)
    assert run.error is not None and run.resources == []
    message = str(run.error)
    assert f"{NS}:chartSource" in message and reason in message and fix in message


def test_a_folder_with_another_chart_is_refused(run_with: RunWith, tmp_path: Path) -> None:
    run = run_with("dev", chartSource=str(_chart_folder(tmp_path, name="hydra")))
    assert run.error is not None and run.resources == []
    assert "the chart there is 'hydra', not 'kratos'" in str(run.error)


def test_a_folder_with_another_version_names_both_versions(
    run_with: RunWith, tmp_path: Path
) -> None:
    run = run_with("dev", chartSource=str(_chart_folder(tmp_path, version="0.58.0")))
    assert run.error is not None and run.resources == []
    message = str(run.error)
    assert "version 0.58.0" in message and f"{NS}:chartVersion to 0.58.0" in message
