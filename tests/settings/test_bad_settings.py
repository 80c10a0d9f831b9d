"""Bad settings fail before deploy, every problem at once, each naming key, value and fix."""

from __future__ import annotations

from typing import Any

import pytest

from stack_settings import SettingsError, settings_from_config
from tests.support.stack_config import EMAIL_ALL, NS, identity, stack_config, with_changes


def problems_for(config: dict[str, Any], stack: str = "prod") -> SettingsError:
    with pytest.raises(SettingsError) as caught:
        settings_from_config(stack, config)
    return caught.value


def assert_names(error: SettingsError, key: str, *phrases: str) -> None:
    matching = [p for p in error.problems if p.key == key]
    assert matching, f"no problem for {key}; got {[p.key for p in error.problems]}"
    text = str(matching[0])
    assert "Fix:" in text
    for phrase in phrases:
        assert phrase in text, f"{phrase!r} not in {text!r}"
    assert key in str(error)


CASES: list[tuple[str, dict[str, Any], str, tuple[str, ...]]] = [
    # id, changes to Pulumi.prod.yaml, key named, phrases in that problem
    ("ui-host-other-site", {"uiHost": "ui.something-else.com"}, "uiHost", ("not under",)),
    (
        "kratos-host-other-site",
        {"kratosHost": "auth.something.org"},
        "kratosHost",
        ("example.com",),
    ),
    (
        "cookie-domain-not-parent",
        {"cookieDomain": "other.example.com"},
        "cookieDomain",
        ("other.example.com",),
    ),
    ("cookie-domain-tld", {"cookieDomain": "com"}, "cookieDomain", ("public suffix",)),
    ("http-in-prod", {"scheme": "http"}, "scheme", ("https",)),
    ("dev-mode-in-prod", {"devMode": True}, "devMode", ("false",)),
    ("leak-in-prod", {"leakSensitiveValues": True}, "leakSensitiveValues", ("logs",)),
    ("noop-cipher-in-prod", {"cipherAlgorithm": "noop"}, "cipherAlgorithm", ("xchacha20",)),
    ("same-origin", {"uiHost": "auth.example.com"}, "uiHost", ("different hosts",)),
    (
        "password-without-identifier",
        {
            "identitySchemas": identity(
                {"key": "email", "type": "email", "verification": True, "recovery": True}
            )
        },
        "identitySchemas[0].traits",
        ("identifier",),
    ),
    (
        "verification-without-email",
        {
            "identitySchemas": identity(
                {"key": "email", "type": "email", "identifier": True, "recovery": True}
            )
        },
        "identitySchemas[0].traits",
        ("verification",),
    ),
    (
        "recovery-without-email",
        {
            "identitySchemas": identity(
                {"key": "email", "type": "email", "identifier": True, "verification": True}
            )
        },
        "identitySchemas[0].traits",
        ("recovery",),
    ),
    (
        "verification-on-phone",
        {
            "identitySchemas": identity(
                EMAIL_ALL, {"key": "phone", "type": "phone", "verification": True}
            )
        },
        "identitySchemas[0].traits",
        ("phone",),
    ),
    (
        "name-as-identifier",
        {
            "identitySchemas": identity(
                EMAIL_ALL, {"key": "name", "type": "name", "identifier": True}
            )
        },
        "identitySchemas[0].traits",
        ("cannot be a login identifier",),
    ),
    (
        "duplicate-trait",
        {"identitySchemas": identity(EMAIL_ALL, EMAIL_ALL)},
        "identitySchemas[0].traits",
        ("twice",),
    ),
    (
        "duplicate-schema",
        {"identitySchemas": [{"id": "a"}, {"id": "a"}]},
        "identitySchemas",
        ("unique",),
    ),
    (
        "default-schema-missing",
        {"defaultIdentitySchema": "staff"},
        "defaultIdentitySchema",
        ("customer",),
    ),
    ("no-courier-sender", {"courier": {}}, "courier.fromAddress", ("sender",)),
    (
        "bad-courier-sender",
        {"courier": {"fromAddress": "nobody"}},
        "courier.fromAddress",
        ("email address",),
    ),
    ("relative-return-url", {"extraReturnUrls": ["/after"]}, "extraReturnUrls[0]", ("absolute",)),
    (
        "http-return-url-in-prod",
        {"extraReturnUrls": ["http://app.example.com/"]},
        "extraReturnUrls[0]",
        ("https",),
    ),
    (
        "samesite-none-on-http",
        {"environment": "dev", "scheme": "http", "sameSite": "None"},
        "sameSite",
        ("Secure",),
    ),
    ("unknown-top-level-key", {"domian": "example.com"}, "domian", ("did you mean 'domain'",)),
    (
        "unknown-nested-key",
        {"gateway": {"name": "public", "namespace": "gw", "sectionNme": "x"}},
        "gateway.sectionNme",
        ("did you mean 'sectionName'",),
    ),
    ("bad-log-level", {"logLevel": "verbose"}, "logLevel", ("verbose",)),
    ("bad-environment", {"environment": "staging"}, "environment", ("staging",)),
    ("bad-duration", {"sessionLifespan": "1 day"}, "sessionLifespan", ("1 day",)),
    ("missing-domain", {"domain": None}, "domain", ("required",)),
    ("missing-gateway", {"gateway": None}, "gateway", ("required",)),
    ("missing-secret-store", {"secretStore": None}, "secretStore", ("required",)),
    ("missing-pages", {"pages": None}, "pages", ("required",)),
    (
        "zone-name-and-id",
        {"cloudflare": {"zoneName": "example.com", "zoneId": "0123456789abcdef0123456789abcdef"}},
        "cloudflare.zoneName",
        ("exactly one",),
    ),
    (
        "proxied-with-ttl",
        {"cloudflare": {"zoneName": "example.com", "ttl": 300}},
        "cloudflare.ttl",
        ("automatic",),
    ),
    (
        "gateway-create-without-class",
        {"gateway": {"name": "g", "namespace": "n", "create": True}},
        "gateway.className",
        ("GatewayClass",),
    ),
    (
        "override-secret",
        {"kratosConfigOverrides": {"secrets": {"cookie": ["x"]}}},
        "kratosConfigOverrides.secrets",
        ("secret store",),
    ),
    (
        "override-cors",
        {"kratosConfigOverrides": {"serve": {"public": {"cors": {"allowed_origins": ["*"]}}}}},
        "kratosConfigOverrides.serve.public.cors",
        ("uiHost",),
    ),
    (
        "override-ui-url",
        {
            "kratosConfigOverrides": {
                "selfservice": {"flows": {"login": {"ui_url": "https://evil.example.net/login"}}}
            }
        },
        "kratosConfigOverrides.selfservice.flows.login.ui_url",
        ("UI origin",),
    ),
    (
        "webauthn-on-ip",
        {
            "environment": "dev",
            "scheme": "http",
            "domain": "10.0.0.5",
            "uiHost": "10.0.0.5",
            "kratosHost": "10.0.0.5",
            "uiPort": 8080,
            "cloudflare": None,
            "methods": {"webauthn": True},
        },
        "methods.webauthn",
        ("IP address",),
    ),
    (
        "mixed-loopback-names",
        {
            "environment": "dev",
            "scheme": "http",
            "domain": "localhost",
            "uiHost": "localhost",
            "kratosHost": "127.0.0.1",
        },
        "uiHost",
        ("different sites",),
    ),
    (
        "generic-oidc-without-issuer",
        {
            "oidc": [
                {
                    "id": "corp",
                    "provider": "generic",
                    "clientId": "abc",
                    "clientSecretKey": "kratos/oidc",
                }
            ]
        },
        "oidc[0].issuerUrl",
        ("issuer",),
    ),
    (
        "code-without-email-identifier",
        {
            "methods": {"code": True},
            "identitySchemas": identity(
                {"key": "username", "type": "text", "identifier": True},
                {"key": "email", "type": "email", "verification": True, "recovery": True},
            ),
        },
        "identitySchemas[0].traits",
        ("one-time code",),
    ),
]


@pytest.mark.parametrize(
    ("changes", "key", "phrases"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_setting_is_refused_with_its_key(
    changes: dict[str, Any], key: str, phrases: tuple[str, ...]
) -> None:
    error = problems_for(with_changes("prod", **changes))
    assert_names(error, f"{NS}:{key}", *phrases)


def test_every_problem_is_reported_at_once() -> None:
    error = problems_for(with_changes("prod", scheme="http", devMode=True, logLevel="loud"))
    # Type errors stop before cross-checks, so fix the type error and count again.
    assert [p.key for p in error.problems] == [f"{NS}:logLevel"]
    error = problems_for(
        with_changes("prod", scheme="http", devMode=True, uiHost="ui.elsewhere.net")
    )
    keys = {p.key for p in error.problems}
    assert {f"{NS}:scheme", f"{NS}:devMode", f"{NS}:uiHost"} <= keys
    assert str(error).startswith("stack 'prod': ")
    assert "Traceback" not in str(error)


def test_plain_text_cloudflare_token_is_refused() -> None:
    config = stack_config("prod")
    config["cloudflare:apiToken"] = "plain-token-value"
    error = problems_for(config)
    assert_names(error, "cloudflare:apiToken", "--secret")
    assert "plain-token-value" not in str(error)


def test_encrypted_cloudflare_token_is_accepted() -> None:
    config = stack_config("prod")
    config["cloudflare:apiToken"] = {"secure": "v1:abc"}
    settings = settings_from_config("prod", config, secret_keys=["cloudflare:apiToken"])
    assert settings.environment == "prod"


def test_unknown_stack_names_the_known_ones() -> None:
    from stack_settings import load_stack

    with pytest.raises(SettingsError) as caught:
        load_stack("staging")
    assert "Pulumi.staging.yaml" in str(caught.value)
    assert "dev" in str(caught.value) and "prod" in str(caught.value)
