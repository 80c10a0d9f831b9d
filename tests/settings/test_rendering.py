"""What the rendered Kratos config says, and what it must never say."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from kratos_config import render, secret_env_names
from kratos_config.__main__ import main as cli
from kratos_config.files import to_yaml
from stack_settings import load_stack
from stack_settings.durations import duration_seconds
from stack_settings.local import LocalPorts, local_settings
from stack_settings.routes import FLOW_UI_PATHS
from stacks.chart import SCHEMA_BASE_URL
from tests.support.stack_config import settings_with

BASE = SCHEMA_BASE_URL
SECRET_KEYS = {"dsn", "secrets", "connection_uri", "client_secret", "password"}


def walk_keys(tree: object) -> set[str]:
    if isinstance(tree, dict):
        return set(tree) | {k for v in tree.values() for k in walk_keys(v)}
    if isinstance(tree, list):
        return {k for v in tree for k in walk_keys(v)}
    return set()


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_no_secret_value_or_secret_key_reaches_rendered_output(
    stack: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_stack(stack)
    planted = {}
    for index, name in enumerate(secret_env_names(settings)):
        planted[name] = f"planted-secret-{index}-{os.urandom(8).hex()}"
        monkeypatch.setenv(name, planted[name])
    rendered = render(settings, BASE)
    text = to_yaml(rendered.config) + json.dumps(rendered.schemas)
    for value in planted.values():
        assert value not in text
    # "password" is a method name, not a secret, in selfservice.methods.
    assert walk_keys(rendered.config) & SECRET_KEYS <= {"password"}
    assert "dsn" not in rendered.config and "secrets" not in rendered.config
    assert "connection_uri" not in rendered.config["courier"]["smtp"]


def test_kratos_v131_defaults_we_rely_on_are_explicit() -> None:
    config = render(load_stack("prod"), BASE).config
    flows = config["selfservice"]["flows"]
    assert flows["registration"]["enable_legacy_one_step"] is False
    assert flows["verification"] | {"enabled": True, "use": "code"} == flows["verification"]
    assert flows["recovery"]["enabled"] is True and flows["recovery"]["use"] == "code"
    assert config["ciphers"]["algorithm"] == "xchacha20-poly1305"
    assert config["log"]["leak_sensitive_values"] is False
    assert config["dev"] is False
    cors = config["serve"]["public"]["cors"]
    assert cors["enabled"] is True and cors["allow_credentials"] is True
    assert cors["allowed_origins"] == ["https://ui.example.com"]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_every_flow_and_return_url_is_on_the_ui_origin(stack: str) -> None:
    settings = load_stack(stack)
    config = render(settings, BASE).config
    origin = settings.ui_origin
    flows = config["selfservice"]["flows"]
    for name in FLOW_UI_PATHS:
        assert flows[name]["ui_url"] == f"{origin}/{name}"
    assert origin in config["selfservice"]["allowed_return_urls"]
    assert config["selfservice"]["default_browser_return_url"] == f"{origin}/"
    assert config["serve"]["public"]["base_url"] == settings.kratos_public_url
    assert config["session"]["cookie"]["domain"] == settings.resolved_cookie_domain
    assert config["cookies"]["domain"] == settings.resolved_cookie_domain


def test_local_profile_is_loopback_on_two_ports_without_a_cookie_domain() -> None:
    settings = local_settings(LocalPorts(ui=5001, kratos_public=5002))
    config = render(settings, "file:///tmp/x/").config
    assert settings.ui_origin == "http://127.0.0.1:5001"
    assert config["serve"]["public"]["base_url"] == "http://127.0.0.1:5002/"
    assert "domain" not in config["session"]["cookie"]
    assert config["dev"] is True
    assert config["selfservice"]["methods"]["password"]["config"]["haveibeenpwned_enabled"] is False


def test_dev_stack_renders_two_identity_schemas_with_email_roles() -> None:
    rendered = render(load_stack("dev"), BASE)
    assert set(rendered.schemas) == {"identity.customer.schema.json", "identity.admin.schema.json"}
    assert rendered.config["identity"]["default_schema_id"] == "customer"
    urls = {s["id"]: s["url"] for s in rendered.config["identity"]["schemas"]}
    assert urls["admin"] == BASE + "identity.admin.schema.json"
    email = rendered.schemas["identity.admin.schema.json"]["properties"]["traits"]["properties"][
        "email"
    ]["ory.sh/kratos"]
    assert email["credentials"]["password"] == {"identifier": True}
    assert email["credentials"]["totp"] == {"account_name": True}
    assert email["verification"] == {"via": "email"} and email["recovery"] == {"via": "email"}


def test_overrides_are_merged_last_without_dropping_siblings() -> None:
    settings = settings_with(
        "prod", kratosConfigOverrides={"session": {"earliest_possible_extend": "2h"}}
    )
    config = render(settings, BASE).config
    assert config["session"]["earliest_possible_extend"] == "2h"
    assert config["session"]["lifespan"] == "24h"


def test_rendering_is_byte_stable() -> None:
    first = render(load_stack("dev"), BASE)
    second = render(load_stack("dev"), BASE)
    assert to_yaml(first.config) == to_yaml(second.config)
    assert json.dumps(first.schemas, sort_keys=True) == json.dumps(second.schemas, sort_keys=True)


def test_cli_writes_config_and_schemas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["render", "--stack", "dev", "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["identity.admin.schema.json", "identity.customer.schema.json", "kratos.yaml"]
    config = yaml.safe_load((tmp_path / "kratos.yaml").read_text())
    assert config["identity"]["schemas"][0]["url"].startswith(SCHEMA_BASE_URL)


def test_cli_reports_bad_stack_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["render", "--stack", "nope", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Pulumi.nope.yaml" in err and "Traceback" not in err


@pytest.mark.parametrize("stack", ["local", "dev", "prod"])
def test_the_courier_keeps_retrying_a_mail_through_a_15_minute_smtp_outage(stack: str) -> None:
    settings = local_settings() if stack == "local" else load_stack(stack)
    courier = render(settings, BASE).config["courier"]
    # v1.3.1 tries a queued mail once per pull_wait and abandons it after message_retries
    # failures, so its attempts span message_retries x pull_wait.
    budget = courier["message_retries"] * duration_seconds(courier["worker"]["pull_wait"])
    assert budget >= 15 * 60, courier


def test_a_shorter_retry_window_gives_fewer_retries() -> None:
    courier = {"fromAddress": "no-reply@example.com", "retryWindow": "90s"}
    settings = settings_with("prod", courier=courier)
    assert render(settings, BASE).config["courier"]["message_retries"] == 90


@pytest.mark.parametrize(
    ("duration", "seconds"), [("1s", 1), ("15m", 900), ("1h30m", 5400), ("250ms", 0.25)]
)
def test_durations_read_as_go_writes_them(duration: str, seconds: float) -> None:
    assert duration_seconds(duration) == seconds


@pytest.mark.parametrize("bad", ["", "15", "m", "1x", "1m junk"])
def test_a_bad_duration_names_itself(bad: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        duration_seconds(bad)
