"""The UI's build settings come from the stack files: CLI output, errors, and the built site."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from stack_settings.__main__ import main
from stack_settings.brand import text_colour_on
from stack_settings.load import load_stack
from stack_settings.local import LocalPorts, local_settings
from stack_settings.model import IdentitySchemaSettings, TraitSettings
from stack_settings.routes import FLOW_ROUTES, PAGE_ROUTES
from stack_settings.ui_build import SITE_CONFIG_FILE, ui_build_config

ROOT = Path(__file__).resolve().parents[2]
# Kratos's first registration step for the default traits (email, name): registration.html's
# fields before the flow arrives.
DEFAULT_FIELDS = [
    {"name": "traits.email", "type": "email", "label": "E-Mail", "required": True},
    {"name": "traits.name.first", "type": "text", "label": "First name", "required": False},
    {"name": "traits.name.last", "type": "text", "label": "Last name", "required": False},
]


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object], str]:
    code = main(["ui-build-config", *args])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else {}), err


def test_prod_has_https_urls_and_the_pages_custom_domain(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, config, _ = run_cli(capsys, "--stack", "prod")
    assert code == 0
    assert config == {
        "kratosPublicUrl": "https://auth.example.com/",
        "uiOrigin": "https://ui.example.com",
        "customDomain": "ui.example.com",
        "registrationFields": DEFAULT_FIELDS,
        "passwordMinLength": 8,
        "brand": {
            "productName": "Account",
            "logo": None,
            "favicon": "frontend_site/brand/favicon.svg",
            "primaryColor": "#0b5cad",
            "onPrimaryColor": "#ffffff",
            "supportUrl": None,
            "termsUrl": None,
            "privacyUrl": None,
        },
    }


def test_local_uses_the_given_ports_and_no_custom_domain() -> None:
    # The local stack builds its UI from the settings it runs (tests/local_stack), not the CLI.
    config = ui_build_config(local_settings(LocalPorts(ui=5000, kratos_public=5001)))
    where = ("kratosPublicUrl", "uiOrigin", "customDomain", "registrationFields")
    assert {k: config[k] for k in where} == {
        "kratosPublicUrl": "http://127.0.0.1:5001/",
        "uiOrigin": "http://127.0.0.1:5000",
        "customDomain": None,
        "registrationFields": DEFAULT_FIELDS,
    }


def test_password_rule_follows_the_rendered_kratos_config() -> None:
    # An override of Kratos's minimum is what the UI shows, not the model's default.
    override = {"selfservice": {"methods": {"password": {"config": {"min_password_length": 12}}}}}
    settings = local_settings(LocalPorts(ui=5000, kratos_public=5001)).model_copy(
        update={"kratos_config_overrides": override}
    )
    assert ui_build_config(settings)["passwordMinLength"] == 12


def test_text_on_the_brand_colour_is_whichever_of_white_and_ink_reads_better() -> None:
    assert text_colour_on("#0b5cad") == "#ffffff"
    assert text_colour_on("#ffd33d") == "#0d1117"


def test_registration_fields_follow_the_default_schema_and_the_flow_switch() -> None:
    base = local_settings(LocalPorts(ui=5000, kratos_public=5001))
    extra = IdentitySchemaSettings(
        id="staff",
        traits=(
            TraitSettings(key="work_mail", type="email", required=True, identifier=True),
            TraitSettings(key="phone", type="phone", title="Phone"),
            TraitSettings(key="newsletter", type="boolean", title="News"),
        ),
    )
    schemas = (*base.identity_schemas, extra)
    staff = base.model_copy(
        update={"identity_schemas": schemas, "default_identity_schema": "staff"}
    )
    assert ui_build_config(staff)["registrationFields"] == [
        {"name": "traits.work_mail", "type": "email", "label": "Work Mail", "required": True},
        {"name": "traits.phone", "type": "tel", "label": "Phone", "required": False},
        {"name": "traits.newsletter", "type": "checkbox", "label": "News", "required": False},
    ]
    no_sign_up = base.flows.model_copy(update={"registration": False})
    closed = base.model_copy(update={"flows": no_sign_up})
    assert ui_build_config(closed)["registrationFields"] is None


def test_local_is_not_a_stack_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "--stack", "local")
    assert code == 2 and "Pulumi.local.yaml" in err


def test_unknown_stack_prints_the_settings_error_and_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run_cli(capsys, "--stack", "nope")
    assert code == 2
    assert "Pulumi.nope.yaml" in err and "Fix:" in err
    assert "Traceback" not in err


def test_ports_are_refused_outside_the_local_stack() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ui-build-config", "--stack", "prod", "--ui-port", "1"])
    assert exit_info.value.code == 2


@pytest.mark.skipif(
    not (ROOT / "frontend_site/node_modules/.bin/vite").exists(),
    reason="node packages not installed (scripts/setup.d/30-node)",
)
def test_build_site_writes_a_pages_site_from_the_stack(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = subprocess.run(
        [str(ROOT / "scripts/build-site"), "--stack", "prod", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (out / "CNAME").read_text().strip() == "ui.example.com"
    index = (out / "index.html").read_text()
    assert "connect-src 'self' https://auth.example.com" in index
    # Each page's pre-paint script (its own words) is admitted by its own hash.
    script_hash = re.compile(r" 'sha256-[\w+/=]+'(?=;)")
    head = script_hash.sub("", index.split("<body>")[0], count=1)
    assert (out / "404.html").is_file()
    for page in (*FLOW_ROUTES, *PAGE_ROUTES):  # each route in routes.json is served with 200
        # index.html's head; login's and registration's bodies also hold the fields typed into
        # before the flow.
        page_head = (out / f"{page}.html").read_text().split("<body>")[0]
        assert script_hash.sub("", page_head, count=1) == head
    bundle = "".join(p.read_text() for p in (out / "assets").glob("*.js"))
    assert "https://auth.example.com/" in bundle
    assert json.loads((out / SITE_CONFIG_FILE).read_text()) == ui_build_config(load_stack("prod"))
    assert ui_build_config(load_stack("prod"))["registrationFields"] == DEFAULT_FIELDS
    # The default brand: its name in the title, a real favicon (not a blank data: URL).
    assert "<title>Account</title>" in head and 'href="/brand/favicon.svg"' in head
    assert (out / "brand/favicon.svg").read_text().startswith("<svg")


@pytest.mark.skipif(
    not (ROOT / "frontend_site/node_modules/.bin/vite").exists(),
    reason="node packages not installed (scripts/setup.d/30-node)",
)
def test_build_site_takes_the_config_as_a_file_and_writes_it_back(tmp_path: Path) -> None:
    given = {
        **ui_build_config(local_settings(LocalPorts(ui=7000, kratos_public=7001))),
        "kratosPublicUrl": "http://localhost:7001/",
        "uiOrigin": "http://localhost:7000",
    }
    config = tmp_path / "config.json"
    config.write_text(json.dumps(given))
    out = tmp_path / "site"
    result = subprocess.run(
        [str(ROOT / "scripts/build-site"), "--config", str(config), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads((out / SITE_CONFIG_FILE).read_text()) == given
    assert not (out / "CNAME").exists()


def test_build_site_stops_on_bad_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(ROOT / "scripts/build-site"), "--stack", "nope", "--out", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Pulumi.nope.yaml" in result.stderr
    assert not (tmp_path / "x").exists()


def test_cli_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "stack_settings", "ui-build-config", "--stack", "dev"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout)["kratosPublicUrl"] == "https://auth.dev.example.com/"
