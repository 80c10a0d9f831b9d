"""The images a real-pods cluster loads before any pod starts, under the names the Ory chart
deploys: Kratos from the project's own build, the pod sandbox from tools/pause, and the chart's
watcher toolbox (bash, inotifywait, date and kubectl: what its watch script calls)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from local_cluster.errors import ClusterError
from local_cluster.images import ImageSpec
from local_cluster.node import SANDBOX_IMAGE
from local_cluster.toolchain import PROJECT_ROOT, Toolchain
from stack_settings.model import DEFAULT_IMAGE_TAG

# The chart's defaults (values.yaml `image.repository`, `watcher.image`), as containerd names them.
KRATOS_IMAGE = f"docker.io/oryd/kratos:{DEFAULT_IMAGE_TAG}"
WATCHER_IMAGE = "docker.io/oryd/k8s-toolbox:v0.0.7"
BUILD_KRATOS = PROJECT_ROOT / "scripts" / "build-kratos"


def kratos_binary() -> Path:
    """The project's own Kratos build (cached; a cold machine builds it first)."""
    result = subprocess.run([str(BUILD_KRATOS)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise ClusterError(f"Kratos could not be built for the image ({last})")
    return Path(result.stdout.strip())


def _host_program(name: str, package: str) -> Path:
    found = shutil.which(name, path="/usr/bin:/bin:/usr/sbin")
    if found is None:
        raise ClusterError(f"{name} not found for the watcher image: apt-get install {package}")
    return Path(found)


def workload_images(toolchain: Toolchain, kratos: Path) -> list[ImageSpec]:
    return [
        ImageSpec(
            SANDBOX_IMAGE, {"/pause": Path(toolchain.tool("pause"))}, ["/pause"], user="65535"
        ),
        ImageSpec(KRATOS_IMAGE, {"/usr/bin/kratos": kratos}, ["kratos"]),
        ImageSpec(
            WATCHER_IMAGE,
            {
                "/bin/bash": _host_program("bash", "bash"),
                "/usr/bin/inotifywait": _host_program("inotifywait", "inotify-tools"),
                "/bin/date": _host_program("date", "coreutils"),
                "/usr/bin/kubectl": Path(toolchain.tool("kubectl")),
            },
            ["/bin/bash"],
            user="65534",
        ),
    ]
