"""The Kratos version is written once, in the wrapper module's go.mod; everything else agrees."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from kratos_config.models import KratosConfig
from local_cluster.crds import SOURCES as CRD_SOURCES
from local_cluster.workload_images import KRATOS_IMAGE, WATCHER_IMAGE
from stack_settings.kratos_version import KRATOS_VERSION, WRAPPER_GO_MOD, pinned_kratos_version
from stack_settings.model import StackSettings

ROOT = Path(__file__).resolve().parents[2]


def test_the_image_tag_default_is_the_wrapper_modules_kratos() -> None:
    assert StackSettings.model_fields["image_tag"].default == KRATOS_VERSION


def test_the_rendered_config_version_is_the_wrapper_modules_kratos() -> None:
    assert KratosConfig.model_fields["version"].default == KRATOS_VERSION


def test_build_kratos_reads_the_same_line() -> None:
    # The script's own parser (awk on go.mod), not a copy of it.
    script = (ROOT / "scripts" / "build-kratos").read_text()
    awk_line = next(line for line in script.splitlines() if line.startswith("version=$(awk"))
    shell = f"cd {ROOT} && module_dir=tools/kratos-build && {awk_line} && echo $version"
    out = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == KRATOS_VERSION


def _toolchain_pins() -> set[str]:
    """Versions the deploy toolchain's wrapper modules, the CRD table and the real node's
    images pin."""
    pins = {source.version for source in CRD_SOURCES.values()}
    pins |= {image.rsplit(":", 1)[1] for image in (KRATOS_IMAGE, WATCHER_IMAGE)}
    for go_mod in (ROOT / "tools" / "deploy-toolchain").glob("*/go.mod"):
        pins |= set(re.findall(r"^require \S+ (v\d+\.\d+\.\d+)$", go_mod.read_text(), re.M))
    return pins


def test_readme_names_only_pinned_versions() -> None:
    # Every vX.Y.Z in the README is pinned somewhere (the chart's is written without the v).
    versions = set(re.findall(r"\bv\d+\.\d+\.\d+\b", (ROOT / "README.md").read_text()))
    assert KRATOS_VERSION in versions
    assert versions <= {KRATOS_VERSION} | _toolchain_pins(), (
        "README prose must name pinned versions"
    )


def test_the_reader_refuses_a_go_mod_without_kratos(tmp_path: Path) -> None:
    go_mod = tmp_path / "go.mod"
    go_mod.write_text("module x\n\nrequire github.com/ory/x v0.0.1\n")
    with pytest.raises(RuntimeError, match=re.escape("no `require github.com/ory/kratos")):
        pinned_kratos_version(go_mod)


def test_the_version_comes_from_the_wrapper_module() -> None:
    assert WRAPPER_GO_MOD.relative_to(ROOT) == Path("tools/kratos-build/go.mod")
    assert f"require github.com/ory/kratos {KRATOS_VERSION}" in WRAPPER_GO_MOD.read_text()
