"""Kratos's own schemas judge what we render: every stack file and a matrix of toggles."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from kratos_config import render
from stack_settings import StackSettings, load_stack, stack_names
from stack_settings.local import local_settings
from stacks.chart import SCHEMA_BASE_URL
from tests.support import official_schemas
from tests.support.stack_config import settings_with

SCHEMA_BASE = SCHEMA_BASE_URL


def assert_valid(settings: StackSettings) -> None:
    rendered = render(settings, SCHEMA_BASE)
    config = official_schemas.with_stand_in_secrets(rendered.config)
    assert official_schemas.errors_in(official_schemas.config_validator(), config) == []
    meta = official_schemas.identity_meta_validator()
    for name, schema in rendered.schemas.items():
        assert official_schemas.errors_in(meta, schema) == [], name


@pytest.mark.parametrize("stack", stack_names())
def test_every_stack_file_renders_a_valid_config(stack: str) -> None:
    assert_valid(load_stack(stack))


def test_local_profile_renders_a_valid_config() -> None:
    assert_valid(local_settings())


METHOD_TOGGLES = ["password", "code", "totp", "lookupSecret", "webauthn", "passkey"]


FIRST_FACTORS = ("password", "code", "passkey")


def _method_matrix() -> list[dict[str, bool]]:
    # Every first factor alone, all on, and password paired with each second factor (a second
    # factor alone leaves no way to sign in, which the settings refuse).
    combos = [{m: m == only for m in METHOD_TOGGLES} for only in FIRST_FACTORS]
    combos.append(dict.fromkeys(METHOD_TOGGLES, True))
    for second in ("totp", "lookupSecret", "webauthn"):
        combos.append({m: m in ("password", second) for m in METHOD_TOGGLES})
    return combos


@pytest.mark.parametrize(
    "methods", _method_matrix(), ids=lambda m: "+".join(k for k, v in m.items() if v)
)
@pytest.mark.parametrize("flows_on", [True, False], ids=["mail-flows-on", "mail-flows-off"])
def test_method_and_flow_matrix_renders_valid_configs(
    methods: dict[str, bool], flows_on: bool
) -> None:
    flows = {"verification": flows_on, "recovery": flows_on, "registration": flows_on}
    assert_valid(settings_with("prod", methods=methods, flows=flows))


@pytest.mark.parametrize(
    ("verification", "recovery"), list(itertools.product(["code", "link"], repeat=2))
)
def test_code_and_link_mail_methods_render_valid_configs(verification: str, recovery: str) -> None:
    flows = {"verificationMethod": verification, "recoveryMethod": recovery}
    assert_valid(settings_with("prod", flows=flows))


def test_several_schemas_oidc_and_overrides_render_valid_configs() -> None:
    schemas: list[dict[str, Any]] = [
        {"id": "customer"},
        {
            "id": "admin",
            "traits": [
                {
                    "key": "email",
                    "type": "email",
                    "identifier": True,
                    "verification": True,
                    "recovery": True,
                    "required": True,
                },
                {"key": "username", "type": "text", "identifier": True},
                {"key": "phone", "type": "phone"},
                {"key": "newsletter", "type": "boolean"},
            ],
        },
    ]
    oidc = [
        {"id": "google", "provider": "google", "clientId": "abc", "clientSecretKey": "k/google"},
        {
            "id": "corp",
            "provider": "generic",
            "clientId": "def",
            "clientSecretKey": "k/corp",
            "issuerUrl": "https://id.example.com",
        },
    ]
    overrides = {
        "session": {"earliest_possible_extend": "1h"},
        "security": {"account_enumeration": {"mitigate": True}},
    }
    assert_valid(
        settings_with(
            "prod",
            identitySchemas=schemas,
            defaultIdentitySchema="admin",
            oidc=oidc,
            kratosConfigOverrides=overrides,
        )
    )


def test_the_referee_can_fail() -> None:
    # A schema that accepts anything proves nothing: a wrong type must be caught.
    rendered = render(load_stack("prod"), SCHEMA_BASE)
    broken = official_schemas.with_stand_in_secrets(rendered.config)
    broken["selfservice"]["flows"]["login"]["lifespan"] = "forever"
    errors = official_schemas.errors_in(official_schemas.config_validator(), broken)
    assert any("selfservice/flows/login/lifespan" in e for e in errors)
    schema = next(iter(rendered.schemas.values()))
    email = schema["properties"]["traits"]["properties"]["email"]
    email["ory.sh/kratos"]["credentials"]["password"]["identifier"] = "yes"
    assert official_schemas.errors_in(official_schemas.identity_meta_validator(), schema)
