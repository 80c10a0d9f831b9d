"""The real Pulumi engine running this project's program, through the Automation API.

The program runs inline (the Python SDK serves `__main__.py` to the engine itself), so no
`pulumi-language-python` plugin is needed: the registries here cannot build one. The engine,
the kubernetes provider and the state (a file backend) are all local; nothing leaves the machine.
"""

from __future__ import annotations

import os
import runpy
import secrets
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pulumi import automation as auto

from local_cluster.stack_config import prepare_cluster
from local_cluster.toolchain import PROJECT_ROOT, Toolchain
from stack_settings.model import CONFIG_NAMESPACE

if TYPE_CHECKING:
    from local_cluster.control_plane import LocalCluster

PROGRAM = PROJECT_ROOT / "__main__.py"


def run_program() -> None:
    """The project's own `__main__.py`, unchanged: what `pulumi up` runs in CI."""
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    runpy.run_path(str(PROGRAM), run_name="__main__")


class Deployment:
    """One stack of this project, deployed by the real engine into the cluster of `kubeconfig`.

    config is the stack file's `config:` mapping (keys with their namespace, as in
    `Pulumi.<stack>.yaml`). State, plugins and the work folder live under state_dir, which the
    caller owns and removes; the passphrase that encrypts the state's secrets exists only in
    memory.
    """

    def __init__(
        self,
        stack: str,
        config: Mapping[str, Any],
        *,
        kubeconfig: Path,
        toolchain: Toolchain,
        state_dir: Path,
    ) -> None:
        self.stack_name = stack
        self.state_dir = state_dir
        self.work_dir = self.state_dir / "project"
        self.work_dir.mkdir(parents=True, exist_ok=True)
        (self.state_dir / "backend").mkdir(exist_ok=True)
        self.write_config(config)
        env = {
            "PULUMI_BACKEND_URL": f"file://{self.state_dir / 'backend'}",
            "PULUMI_HOME": str(self.state_dir / "pulumi-home"),
            "PULUMI_CONFIG_PASSPHRASE": secrets.token_urlsafe(24),
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            # Never download a plugin: the kubernetes provider comes from the toolchain's PATH.
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "KUBECONFIG": str(kubeconfig),
            "PATH": f"{toolchain.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        workspace = auto.LocalWorkspace(
            work_dir=str(self.work_dir),
            pulumi_home=env["PULUMI_HOME"],
            env_vars=env,
            pulumi_command=auto.PulumiCommand(str(toolchain.pulumi_root), skip_version_check=True),
            project_settings=auto.ProjectSettings(name=CONFIG_NAMESPACE, runtime="python"),
            program=run_program,
        )
        self.stack = auto.Stack.create_or_select(stack, workspace)

    @property
    def stack_file(self) -> Path:
        return self.work_dir / f"Pulumi.{self.stack_name}.yaml"

    def write_config(self, config: Mapping[str, Any]) -> None:
        """Replace the stack file's plain settings, as a person editing `Pulumi.<stack>.yaml`
        would; encrypted values and the file's encryption salt stay."""
        current: dict[str, Any] = {}
        if self.stack_file.is_file():
            current = yaml.safe_load(self.stack_file.read_text()) or {}
        secure = {
            key: value
            for key, value in (current.get("config") or {}).items()
            if isinstance(value, dict) and "secure" in value
        }
        current["config"] = {**config, **secure}
        self.stack_file.write_text(yaml.safe_dump(current, sort_keys=False))

    def set_secret(self, key: str, value: str) -> None:
        """`pulumi config set --secret`: stored encrypted in the stack file."""
        self.stack.set_config(key, auto.ConfigValue(value=value, secret=True))

    def up(
        self, on_output: Callable[[str], None] | None = None, replace: list[str] | None = None
    ) -> auto.UpResult:
        """`pulumi up`; replace: URNs to replace whether or not they changed (`--replace`)."""
        return self.stack.up(on_output=on_output, color="never", replace=replace)

    def preview(
        self, *, expect_no_changes: bool = False, on_output: Callable[[str], None] | None = None
    ) -> auto.PreviewResult:
        return self.stack.preview(
            on_output=on_output, color="never", expect_no_changes=expect_no_changes
        )

    def refresh(self) -> auto.RefreshResult:
        return self.stack.refresh(color="never")

    def destroy(self, on_output: Callable[[str], None] | None = None) -> auto.DestroyResult:
        return self.stack.destroy(on_output=on_output, color="never")

    def export_state(self) -> dict[str, Any]:
        deployment = self.stack.export_stack()
        return dict(deployment.deployment or {})

    def outputs(self) -> dict[str, auto.OutputValue]:
        return dict(self.stack.outputs())


def deployment_into(
    cluster: LocalCluster, stack: str, config: Mapping[str, Any], state_dir: Path
) -> Deployment:
    """What the platform provides for the stack, then the stack's Deployment into the cluster."""
    assert cluster.toolchain is not None
    prepare_cluster(cluster, dict(config))
    return Deployment(
        stack, config, kubeconfig=cluster.kubeconfig, toolchain=cluster.toolchain,
        state_dir=state_dir,
    )  # fmt: skip
