"""The UI the static server hands out: the real build, a prebuilt folder, or a placeholder."""

from __future__ import annotations

import hashlib
import html
import json
import subprocess
from pathlib import Path

from local_stack.errors import LocalStackError
from stack_settings.load import PROJECT_ROOT
from stack_settings.model import StackSettings
from stack_settings.ui_build import SITE_CONFIG_FILE, ui_build_config

BUILD_SCRIPT = PROJECT_ROOT / "scripts" / "build-site"
FRONTEND = PROJECT_ROOT / "frontend_site"
# What a UI build reads; tests, tools and node_modules do not change the built files.
BUILD_INPUTS = ("index.html", "404.html", "vite.config.js", "package-lock.json", "build", "src")


def can_build() -> bool:
    """The UI build script may not exist yet in a given checkout; then a placeholder is used."""
    return BUILD_SCRIPT.is_file()


def build_fingerprint(settings: StackSettings) -> str:
    """One hash of the UI build config and every build input, so an unchanged UI is not rebuilt."""
    digest = hashlib.sha256(json.dumps(ui_build_config(settings), sort_keys=True).encode())
    for name in BUILD_INPUTS:
        top = FRONTEND / name
        for path in sorted([top] if top.is_file() else top.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(FRONTEND)).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _stamp(out_dir: Path) -> Path:
    # Beside the site, not in it: the UI server must not hand it out.
    return out_dir.with_name(out_dir.name + ".sha256")


def is_built(out_dir: Path, fingerprint: str) -> bool:
    stamp = _stamp(out_dir)
    return (
        (out_dir / "index.html").is_file()
        and stamp.is_file()
        and stamp.read_text().strip() == fingerprint
    )


def build_site(out_dir: Path, settings: StackSettings, log_file: Path, show_progress: bool) -> Path:
    """Build the UI with the config of the settings this stack runs, unless already built."""
    fingerprint = build_fingerprint(settings)
    if is_built(out_dir, fingerprint):
        return out_dir
    _stamp(out_dir).unlink(missing_ok=True)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    config_file = out_dir.with_name("ui-build-config.json")
    config_file.write_text(json.dumps(ui_build_config(settings)))
    command = [str(BUILD_SCRIPT), "--config", str(config_file), "--out", str(out_dir)]
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
    _stamp(out_dir).write_text(fingerprint + "\n")
    return out_dir


def write_placeholder(out_dir: Path, settings: StackSettings, admin_url: str) -> Path:
    """A two-page site that points at Kratos, for checkouts without the UI build."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _stamp(out_dir).unlink(missing_ok=True)
    (out_dir / SITE_CONFIG_FILE).unlink(missing_ok=True)
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
