"""Where the real-deploy toolchain lives: built once by scripts/build-deploy-toolchain."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from local_cluster.errors import ClusterError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BUILD_SCRIPT = PROJECT_ROOT / "scripts" / "build-deploy-toolchain"


@dataclass(frozen=True)
class Toolchain:
    bin_dir: Path

    def tool(self, name: str) -> str:
        return str(self.bin_dir / name)

    @property
    def kwok_stages(self) -> Path:
        return self.bin_dir / "stages.yaml"

    @property
    def pulumi_root(self) -> Path:
        """The folder the Automation API's PulumiCommand expects (`<root>/bin/pulumi`)."""
        return self.bin_dir.parent


def find_toolchain() -> Toolchain:
    """The toolchain's bin folder; a warm machine answers at once, a cold one builds first."""
    result = subprocess.run([str(BUILD_SCRIPT)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise ClusterError(
            f"the real-deploy toolchain could not be built ({last}); "
            f"run {BUILD_SCRIPT.relative_to(PROJECT_ROOT)} to see the whole log"
        )
    return Toolchain(Path(result.stdout.strip()))
