"""Local settings, overrides, per-run secrets and the written Kratos config."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from local_stack.config import admin_url, stack_settings_for, write_kratos_config
from local_stack.run_secrets import generate_secrets, smtp_connection_uri
from stack_settings import SettingsError
from stack_settings.local import LocalPorts, local_settings
from tests.support.stack_config import settings_with

PORTS = LocalPorts(ui=5001, kratos_public=5002, kratos_admin=5003, smtp=5004)


def test_no_overrides_is_the_local_profile() -> None:
    assert stack_settings_for(PORTS) == local_settings(PORTS)
    assert stack_settings_for(PORTS, {}) == local_settings(PORTS)


def test_override_changes_only_that_key() -> None:
    changed = stack_settings_for(PORTS, {"privilegedSessionMaxAge": "1ms"})
    assert changed.privileged_session_max_age == "1ms"
    assert changed.model_copy(update={"privileged_session_max_age": "15m"}) == local_settings(PORTS)


def test_overrides_still_pass_the_settings_checks() -> None:
    with pytest.raises(SettingsError) as raised:
        stack_settings_for(PORTS, {"flowLifespan": "soon", "oidc": [{"id": "x"}]})
    keys = {problem.key for problem in raised.value.problems}
    assert "kratos-auth:flowLifespan" in keys
    assert any(key.startswith("kratos-auth:oidc[0]") for key in keys)


def test_secrets_are_fresh_and_the_cipher_has_32_characters() -> None:
    first, second = generate_secrets(), generate_secrets()
    assert set(first) == {"SECRETS_COOKIE_0", "SECRETS_CIPHER_0", "SECRETS_DEFAULT_0"}
    assert len(first["SECRETS_CIPHER_0"]) == 32
    assert all(first[key] != second[key] for key in first)
    assert all(len(value) >= 32 for value in first.values())


def test_written_config_binds_loopback_ports_and_holds_no_secret(tmp_path: Path) -> None:
    settings = local_settings(PORTS)
    path = write_kratos_config(settings, PORTS, tmp_path)
    config = yaml.safe_load(path.read_text())
    public = config["serve"]["public"]
    assert (public["host"], public["port"]) == ("127.0.0.1", 5002)
    assert config["serve"]["public"]["base_url"] == "http://127.0.0.1:5002/"
    assert config["serve"]["admin"] == {
        "host": "127.0.0.1",
        "port": 5003,
        "base_url": admin_url(PORTS),
    }
    assert "dsn" not in config and "secrets" not in config
    assert "connection_uri" not in config["courier"]["smtp"]
    for schema in config["identity"]["schemas"]:
        assert Path(schema["url"].removeprefix("file://")).is_file()
    assert "localhost" not in path.read_text()


def test_smtp_uri_is_plain_loopback() -> None:
    assert smtp_connection_uri("127.0.0.1", 1025) == "smtp://127.0.0.1:1025/?disable_starttls=true"


LOCALHOST = {"domain": "localhost", "uiHost": "localhost", "kratosHost": "localhost"}
SECURITY_KEYS = {"password": True, "webauthn": True, "passkey": True}


def test_the_local_profile_may_use_localhost_as_webauthn_relying_party(tmp_path: Path) -> None:
    settings = stack_settings_for(PORTS, {**LOCALHOST, "methods": SECURITY_KEYS})
    config = yaml.safe_load(write_kratos_config(settings, PORTS, tmp_path).read_text())
    methods = config["selfservice"]["methods"]
    for method in ("webauthn", "passkey"):
        assert methods[method]["enabled"] is True
        rp = methods[method]["config"]["rp"]
        assert rp["id"] == "localhost" and rp["origins"] == ["http://localhost:5001"]


def test_webauthn_on_the_loopback_ip_is_still_refused() -> None:
    with pytest.raises(SettingsError) as raised:
        stack_settings_for(PORTS, {"methods": SECURITY_KEYS})
    assert [p.key for p in raised.value.problems] == ["kratos-auth:methods.webauthn"]


def test_localhost_as_relying_party_is_for_the_local_profile_only() -> None:
    with pytest.raises(SettingsError) as raised:
        settings_with(
            "dev",
            **LOCALHOST,
            scheme="http",
            uiPort=8080,
            cloudflare=None,
            methods={"webauthn": True},
        )
    assert any(p.key == "kratos-auth:methods.webauthn" for p in raised.value.problems)


def test_schema_edits_change_the_written_schema_text_only(tmp_path: Path) -> None:
    def retitle(schemas: dict[str, dict[str, Any]]) -> None:
        for schema in schemas.values():
            schema["properties"]["traits"]["properties"]["name"]["title"] = "<b>x</b>"

    settings = local_settings(PORTS)
    path = write_kratos_config(settings, PORTS, tmp_path, edit_schemas=retitle)
    plain = write_kratos_config(settings, PORTS, tmp_path / "plain")
    assert (
        yaml.safe_load(path.read_text())["selfservice"]
        == yaml.safe_load(plain.read_text())["selfservice"]
    )
    for schema in yaml.safe_load(path.read_text())["identity"]["schemas"]:
        written = json.loads(Path(schema["url"].removeprefix("file://")).read_text())
        assert written["properties"]["traits"]["properties"]["name"]["title"] == "<b>x</b>"
