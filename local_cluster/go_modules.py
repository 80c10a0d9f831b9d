"""Files from published Go modules, through the Go module proxy (a registry every machine of
this project reaches): `go mod download -json` fetches a module once and names its folder."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from local_cluster.errors import ClusterError

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def module_dir(module: str, version: str) -> Path:
    """The read-only folder of module@version in Go's module cache."""
    listing = subprocess.run(
        ["go", "mod", "download", "-json", f"{module}@{version}"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )
    if listing.returncode != 0:
        raise ClusterError(
            f"could not download the Go module {module}@{version}: "
            f"{listing.stderr.strip()[:300]} (is Go installed and the module proxy reachable?)"
        )
    return Path(json.loads(listing.stdout)["Dir"])
