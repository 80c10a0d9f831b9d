"""The UI the static server hands out: the real build, a prebuilt folder, or a placeholder."""

from __future__ import annotations

import html
import subprocess
from pathlib import Path

from local_stack.errors import LocalStackError
from stack_settings.load import PROJECT_ROOT
from stack_settings.local import LocalPorts
from stack_settings.model import StackSettings

BUILD_SCRIPT = PROJECT_ROOT / "scripts" / "build-site"


def can_build() -> bool:
    """The UI build script may not exist yet in a given checkout; then a placeholder is used."""
    return BUILD_SCRIPT.is_file()


def build_site(out_dir: Path, ports: LocalPorts, log_file: Path, show_progress: bool) -> Path:
    """Build the UI for the local stack's ports into out_dir with scripts/build-site."""
    command = [
        str(BUILD_SCRIPT),
        "--stack",
        "local",
        "--ui-port",
        str(ports.ui),
        "--kratos-port",
        str(ports.kratos_public),
        "--out",
        str(out_dir),
    ]
    with log_file.open("w") as log:
        result = subprocess.run(
            command,
            # stdout only echoes the folder; progress and errors come on stderr.
            stdout=subprocess.DEVNULL,
            stderr=None if show_progress else log,
            check=False,
        )
    if result.returncode != 0 or not (out_dir / "index.html").is_file():
        raise LocalStackError(
            f"building the UI failed (scripts/build-site exited {result.returncode}); "
            f"see {log_file}, or pass a prebuilt folder with --site-dir"
        )
    return out_dir


def write_placeholder(out_dir: Path, settings: StackSettings, admin_url: str) -> Path:
    """A two-page site that points at Kratos, for checkouts without the UI build."""
    out_dir.mkdir(parents=True, exist_ok=True)
    public = html.escape(settings.kratos_public_url)
    admin = html.escape(admin_url)
    body = (
        "<!doctype html><meta charset='utf-8'><title>Local stack</title>"
        "<h1>Local stack</h1><p>The UI is not built in this checkout "
        "(scripts/build-site is missing), so this placeholder stands in.</p>"
        f"<ul><li>Kratos public API: <a href='{public}'>{public}</a></li>"
        f"<li>Kratos admin API: <a href='{admin}'>{admin}</a></li>"
        f"<li>Start a login flow: <a href='{public}self-service/login/browser'>"
        f"{public}self-service/login/browser</a></li></ul>\n"
    )
    (out_dir / "index.html").write_text(body)
    (out_dir / "404.html").write_text(
        "<!doctype html><meta charset='utf-8'><title>Not found</title>"
        "<h1>Not found</h1><p><a href='/'>Back to the start page</a></p>\n"
    )
    return out_dir
