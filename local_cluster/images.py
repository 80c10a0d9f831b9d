"""Container images for the real-pods node, made here without a registry: what an air-gapped
cluster does with a mirrored image. Each image is a few host files (a program and the shared
libraries `ldd` names for it) in one layer, built as an OCI layout with umoci (Debian) and
imported into containerd under the name the workload asks for, so `IfNotPresent` finds it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from local_cluster.errors import ClusterError

UMOCI = "/usr/bin/umoci"
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
# The users the Ory images run as: 65534 (nobody) by the chart, 10000 (ory) by the image.
PASSWD = (
    "root:x:0:0:root:/root:/sbin/nologin\nory:x:10000:10000:ory:/home/ory:/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
)
GROUP = "root:x:0:\nory:x:10000:\nnogroup:x:65534:\n"
PATH_ENV = "PATH=/usr/local/bin:/usr/bin:/bin"


@dataclass(frozen=True)
class ImageSpec:
    """One image: its full name, the host programs it carries (path in image -> host path),
    and how it starts."""

    name: str  # e.g. docker.io/oryd/kratos:v1.3.1
    programs: Mapping[str, Path]
    entrypoint: Sequence[str]
    user: str = "10000"
    extra_files: Mapping[str, str] = field(default_factory=dict)  # path in image -> text

    @property
    def repository(self) -> str:
        return self.name.rsplit(":", 1)[0]

    @property
    def tag(self) -> str:
        return self.name.rsplit(":", 1)[1]


def _run(*argv: str) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ClusterError(f"{' '.join(argv[:3])}: {result.stderr.strip()[:300]}")
    return result.stdout


def shared_libraries(program: Path) -> list[Path]:
    """The libraries (and loader) a dynamically linked program needs; none for a static one."""
    result = subprocess.run(["ldd", str(program)], capture_output=True, text=True, check=False)
    if result.returncode != 0:  # "not a dynamic executable"
        return []
    return [Path(path) for path in re.findall(r"(/\S+) \(0x", result.stdout)]


def stage_rootfs(spec: ImageSpec, rootfs: Path) -> None:
    """Lay out the image's files: programs, their libraries, users, CA bundle, a /tmp."""
    for inside, host in spec.programs.items():
        if not host.is_file():
            raise ClusterError(f"image {spec.name}: {host} not found")
        _copy(host, rootfs / inside.lstrip("/"))
        for library in shared_libraries(host):
            _copy(library, rootfs / str(library).lstrip("/"))
    files = {"etc/passwd": PASSWD, "etc/group": GROUP, **spec.extra_files}
    for inside, text in files.items():
        target = rootfs / inside.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    if CA_BUNDLE.is_file():
        _copy(CA_BUNDLE, rootfs / str(CA_BUNDLE).lstrip("/"))
    (rootfs / "tmp").mkdir(mode=0o1777, exist_ok=True)
    (rootfs / "tmp").chmod(0o1777)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # Follow symlinks: the image holds the library itself under the name the loader asks for.
    shutil.copy2(source.resolve(), target)


def build_image_archive(spec: ImageSpec, work_dir: Path) -> Path:
    """An OCI image layout of spec, packed as the tar `ctr images import` reads."""
    layout = work_dir / "layout"
    image = f"{layout}:{spec.tag}"
    with tempfile.TemporaryDirectory(dir=work_dir) as staging:
        rootfs = Path(staging) / "rootfs"
        rootfs.mkdir()
        stage_rootfs(spec, rootfs)
        _run(UMOCI, "init", "--layout", str(layout))
        _run(UMOCI, "new", "--image", image)
        _run(UMOCI, "insert", "--image", image, f"{rootfs}/", "/")
    _run(
        UMOCI, "config", "--image", image, "--config.user", spec.user,
        "--config.env", PATH_ENV, "--config.workingdir", "/",
        *[arg for part in spec.entrypoint for arg in ("--config.entrypoint", part)],
    )  # fmt: skip
    archive = work_dir / "image.tar"
    with tarfile.open(archive, "w") as tar:
        for entry in sorted(layout.iterdir()):
            tar.add(entry, arcname=entry.name)
    return archive
