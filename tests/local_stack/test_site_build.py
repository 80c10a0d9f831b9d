"""The local stack's UI is built with the settings it runs, overrides included, and only once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from local_stack.config import stack_settings_for, write_kratos_config
from local_stack.site import build_site
from stack_settings.load import PROJECT_ROOT
from stack_settings.local import LocalPorts
from stack_settings.ui_build import SITE_CONFIG_FILE, ui_build_config

PORTS = LocalPorts(ui=5101, kratos_public=5102, kratos_admin=5103, smtp=5104)
LOCALHOST = {"domain": "localhost", "uiHost": "localhost", "kratosHost": "localhost"}

pytestmark = pytest.mark.skipif(
    not (PROJECT_ROOT / "frontend_site/node_modules/.bin/vite").exists(),
    reason="node packages not installed (scripts/setup.d/30-node)",
)


def test_the_built_config_is_the_one_kratos_runs_with_under_overrides(tmp_path: Path) -> None:
    settings = stack_settings_for(PORTS, LOCALHOST)
    site = build_site(tmp_path / "site", settings, tmp_path / "build.log", show_progress=False)

    built = json.loads((site / SITE_CONFIG_FILE).read_text())
    kratos = yaml.safe_load(write_kratos_config(settings, PORTS, tmp_path / "config").read_text())
    assert built == ui_build_config(settings)
    assert built["kratosPublicUrl"] == "http://localhost:5102/"
    assert built["kratosPublicUrl"] == kratos["serve"]["public"]["base_url"]
    assert built["uiOrigin"] in kratos["serve"]["public"]["cors"]["allowed_origins"]
    bundle = "".join(p.read_text() for p in (site / "assets").glob("*.js"))
    assert "http://localhost:5102/" in bundle and "127.0.0.1:5102" not in bundle


def test_an_unchanged_ui_is_not_rebuilt_and_new_settings_are(tmp_path: Path) -> None:
    out, log = tmp_path / "site", tmp_path / "build.log"
    build_site(out, stack_settings_for(PORTS), log, show_progress=False)
    index = out / "index.html"
    index.write_text(index.read_text() + "<!-- kept -->")

    build_site(out, stack_settings_for(PORTS), log, show_progress=False)
    assert index.read_text().endswith("<!-- kept -->")

    build_site(out, stack_settings_for(PORTS, LOCALHOST), log, show_progress=False)
    assert not index.read_text().endswith("<!-- kept -->")
    assert json.loads((out / SITE_CONFIG_FILE).read_text())["uiOrigin"] == "http://localhost:5101"
