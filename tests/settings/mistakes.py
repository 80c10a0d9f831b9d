"""A catalogue of plausible stack-file mistakes and valid edge cases, shared by the tests and
the README's "Common mistakes" section (`python -m tests.settings.mistakes` rewrites it).

Each mistake bends `Pulumi.<stack>.yaml` in one place; the settings must refuse it naming
`key`, with every phrase in that problem, and never echo `secret`.
"""

from __future__ import annotations

import copy
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stack_settings import SettingsError
from stack_settings.load import as_pulumi_value, settings_from_config
from tests.support.stack_config import EMAIL_ALL, NS, ROOT, identity, stack_config

README = ROOT / "README.md"
BEGIN, END = "<!-- common-mistakes:begin -->", "<!-- common-mistakes:end -->"
OIDC = {"id": "google", "provider": "google", "clientId": "abc.apps", "clientSecretKey": "k/g"}
GENERIC = {"id": "corp", "provider": "generic", "clientId": "abc", "clientSecretKey": "k/corp"}
LONG = "a" * 64


@dataclass(frozen=True)
class Mistake:
    id: str
    # "key" or "key.nested" (or "ns:key") -> value; None removes it; ("a.b",) is a literal key
    changes: dict[Any, Any]
    key: str  # the key the message must blame, without the namespace unless it has its own
    phrases: tuple[str, ...]
    secret: str | None = None
    stack: str = "prod"
    readme: bool = False

    @property
    def full_key(self) -> str:
        return self.key if ":" in self.key else f"{NS}:{self.key}"


@dataclass(frozen=True)
class EdgeCase:
    id: str
    changes: dict[Any, Any]
    expect: dict[str, Any] = field(default_factory=dict)  # settings attribute -> value
    stack: str = "prod"


def apply(config: dict[str, Any], changes: dict[Any, Any]) -> dict[str, Any]:
    """The stack config with each change made; nested paths descend into mappings."""
    config = copy.deepcopy(config)
    for path, value in changes.items():
        if isinstance(path, tuple):  # a key written with a dot in it, as a user might
            config[f"{NS}:{path[0]}"] = value
            continue
        if ":" in path.split(".", 1)[0]:
            top, _, rest = path.partition(".")
        else:
            top, _, rest = f"{NS}:{path}".partition(".")
        if not rest:
            if value is None:
                config.pop(top, None)
            else:
                config[top] = value
            continue
        node = config.setdefault(top, {})
        *parents, last = rest.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return config


def config_for(case: Mistake | EdgeCase) -> dict[str, Any]:
    return apply(stack_config(case.stack), case.changes)


def as_program_config(config: dict[str, Any]) -> dict[str, str]:
    return {key: as_pulumi_value(value) for key, value in config.items()}


def overrides(tree: dict[str, Any]) -> dict[str, Any]:
    return {"kratosConfigOverrides": tree}


MISTAKES: list[Mistake] = [
    # Domains, cookies, origins: the Public Suffix List decides what a site is.
    Mistake("domain-public-suffix", {"domain": "co.uk"}, "domain", ("public suffix",), readme=True),
    Mistake("domain-github-io", {"domain": "github.io"}, "domain", ("public suffix", "example.")),
    Mistake(
        "cookie-domain-pages-dev",
        {"cookieDomain": "pages.dev"},
        "cookieDomain",
        ("public suffix",),
    ),
    Mistake("ui-host-herokuapp", {"uiHost": "herokuapp.com"}, "uiHost", ("public suffix",)),
    Mistake(
        "http-without-dev-mode",
        {"scheme": "http"},
        "scheme",
        ("Secure", "devMode to true"),
        stack="dev",
        readme=True,
    ),
    Mistake(
        "ui-on-github-pages-host",
        {"uiHost": "example-org.github.io"},
        "uiHost",
        ("not under the cookie domain", "ui.example.com"),
        readme=True,
    ),
    Mistake(
        "kratos-host-other-site-hint",
        {"kratosHost": "auth.example.net"},
        "kratosHost",
        ("auth.example.com",),
        readme=True,
    ),
    Mistake(
        "domain-an-ip-with-two-hosts",
        {"domain": "10.0.0.5"},
        "domain",
        ("no cookie domain can cover both", "example.com"),
    ),
    Mistake(
        "ui-host-other-multi-label-site",
        {"domain": "example.co.uk", "uiHost": "ui.other.co.uk"},
        "uiHost",
        ("example.co.uk",),
    ),
    Mistake(
        "return-url-other-site",
        {"extraReturnUrls": ["https://evil.example.net/"]},
        "extraReturnUrls[0]",
        ("not on the UI's site", "example.com"),
        readme=True,
    ),
    Mistake(
        "return-url-wildcard-public-suffix",
        {"extraReturnUrls": ["https://*.co.uk/"]},
        "extraReturnUrls[0]",
        ("public suffix", "*.example.com"),
    ),
    Mistake(
        "return-url-wildcard-github-io",
        {"extraReturnUrls": ["https://*.github.io/"]},
        "extraReturnUrls[0]",
        ("public suffix",),
    ),
    Mistake(
        "return-url-inner-wildcard",
        {"extraReturnUrls": ["https://ui.*.example.com/"]},
        "extraReturnUrls[0]",
        ("leading",),
    ),
    Mistake(
        "return-url-userinfo",
        {"extraReturnUrls": ["https://someone@ui.example.com/"]},
        "extraReturnUrls[0]",
        ("user name", "'@'"),
    ),
    Mistake(
        "return-url-javascript",
        {"extraReturnUrls": ["javascript:alert(1)"]},
        "extraReturnUrls[0]",
        ("absolute", "https://ui.example.com/"),
    ),
    Mistake(
        "zone-on-public-suffix",
        {"cloudflare.zoneName": "co.uk"},
        "cloudflare.zoneName",
        ("public suffix",),
    ),
    Mistake(
        "acme-email-not-an-address",
        {"tls.acme.email": "platform-team"},
        "tls.acme.email",
        ("email address", "platform@example.com"),
    ),
    Mistake(
        "template-in-override-key",
        overrides({"session": {"{{ .Values.x }}": "1h"}}),
        "kratosConfigOverrides.session.{{ .Values.x }}",
        ("template",),
    ),
    Mistake(
        "return-url-idn-host",
        {"extraReturnUrls": ["https://bücher.example.com/"]},
        "extraReturnUrls[0]",
        ("punycode", "xn--bcher-kva.example.com"),
    ),
    # Other URL settings: absolute, https in prod.
    Mistake(
        "oidc-issuer-http-in-prod",
        {"oidc": [{**GENERIC, "issuerUrl": "http://id.example.com"}]},
        "oidc[0].issuerUrl",
        ("refused in prod", "https"),
    ),
    Mistake(
        "oidc-issuer-not-a-url",
        {"oidc": [{**GENERIC, "issuerUrl": "id.example.com"}]},
        "oidc[0].issuerUrl",
        ("absolute", "https://id.example.com"),
    ),
    Mistake(
        "acme-server-http",
        {"tls.acme.server": "http://acme.example.com/directory"},
        "tls.acme.server",
        ("https",),
    ),
    # Hosts: one bare, lower-case, ASCII name.
    Mistake(
        "record-target-with-scheme",
        {"cloudflare.kratosRecordTarget": "https://lb.example.net"},
        "cloudflare.kratosRecordTarget",
        ("scheme", "write lb.example.net"),
    ),
    Mistake(
        "host-with-scheme",
        {"uiHost": "https://ui.example.com"},
        "uiHost",
        ("scheme", "write ui.example.com"),
        readme=True,
    ),
    Mistake("host-with-path", {"kratosHost": "auth.example.com/"}, "kratosHost", ("path '/'",)),
    Mistake(
        "host-with-port",
        {"kratosHost": "auth.example.com:8443"},
        "kratosHost",
        ("port ':8443'", "kratosPort"),
    ),
    Mistake("domain-trailing-dot", {"domain": "example.com."}, "domain", ("trailing dot",)),
    Mistake(
        "cookie-domain-leading-dot",
        {"cookieDomain": ".example.com"},
        "cookieDomain",
        ("leading dot", "write example.com"),
    ),
    Mistake(
        "idn-domain",
        {"domain": "bücher.de"},
        "domain",
        ("punycode", "xn--bcher-kva.de"),
    ),
    Mistake(
        "host-with-underscore",
        {"uiHost": "ui_app.example.com"},
        "uiHost",
        ("host name", "ui.example.com"),
    ),
    Mistake(
        "kratos-host-hint-uses-the-domain",
        {"domain": "corp.example.org", "kratosHost": "auth_corp.example.org"},
        "kratosHost",
        ("e.g. auth.corp.example.org",),
    ),
    Mistake(
        "dotted-key-in-yaml",
        {("methods.password",): False},
        "methods.password",
        ("indented under kratos-auth:methods", "pulumi config set --path"),
    ),
    # Values that must not be empty or malformed.
    Mistake(
        "empty-dsn-key",
        {"secretStore.dsnKey": ""},
        "secretStore.dsnKey",
        ("empty", "kratos/prod/dsn"),
        readme=True,
    ),
    Mistake(
        "blank-cookie-secret-key",
        {"secretStore.cookieSecretKey": "   "},
        "secretStore.cookieSecretKey",
        ("empty",),
    ),
    Mistake(
        "previous-cookie-key-is-the-current-one",
        {"secretStore.previousCookieSecretKeys": ["kratos/prod/cookie-secret"]},
        "secretStore.previousCookieSecretKeys[0]",
        ("secretStore.cookieSecretKey", "the current key", "list only earlier keys"),
    ),
    Mistake(
        "previous-cipher-key-twice",
        {"secretStore.previousCipherSecretKeys": ["kratos/prod/c-1", "kratos/prod/c-1"]},
        "secretStore.previousCipherSecretKeys[1]",
        ("listed twice",),
    ),
    Mistake(
        "courier-retry-window-below-a-pull",
        {"courier.retryWindow": "500ms"},
        "courier.retryWindow",
        ("abandoned at its first failed attempt", "15m"),
    ),
    Mistake(
        "empty-oidc-client-secret-key",
        {"oidc": [{**OIDC, "clientSecretKey": ""}]},
        "oidc[0].clientSecretKey",
        ("empty",),
    ),
    Mistake("chart-version-latest", {"chartVersion": "latest"}, "chartVersion", ("0.59.0",)),
    Mistake("chart-version-with-v", {"chartVersion": "v0.59.0"}, "chartVersion", ("semantic",)),
    Mistake("empty-image-tag", {"imageTag": ""}, "imageTag", ("image tag", "v1.3.1")),
    Mistake(
        "image-tag-other-kratos",
        {"imageTag": "latest"},
        "imageTag",
        ("generated for Kratos v1.3.1", "v1.3.1-distroless"),
        readme=True,
    ),
    Mistake(
        "namespace-not-dns-label",
        {"namespace": "Auth_NS"},
        "namespace",
        ("Kubernetes name", "auth"),
    ),
    Mistake("namespace-too-long", {"namespace": LONG}, "namespace", ("longer than 63",)),
    Mistake("release-name-too-long", {"releaseName": "r" * 54}, "releaseName", ("53",)),
    Mistake(
        "target-secret-underscore",
        {"secretStore.targetSecretName": "kratos_secrets"},
        "secretStore.targetSecretName",
        ("Kubernetes name",),
    ),
    Mistake(
        "no-way-to-sign-in",
        {"methods": {"password": False, "totp": True}},
        "methods",
        ("no way to sign in", "methods.password"),
        readme=True,
    ),
    # The brand: colours readable (WCAG AA), files that exist, links a browser can open.
    Mistake(
        "brand-colour-too-light",
        {"brand": {"primaryColor": "#7fb2ff"}},
        "brand.primaryColor",
        ("#7fb2ff", "4.5:1", "darker colour"),
        readme=True,
    ),
    Mistake(
        "brand-logo-not-in-repo",
        {"brand": {"logo": "brand/missing-logo.png"}},
        "brand.logo",
        ("brand/missing-logo.png", "https URL"),
    ),
    Mistake(
        "brand-link-not-https",
        {"brand": {"supportUrl": "http://example.com/help"}},
        "brand.supportUrl",
        ("http://example.com/help", "mailto:"),
    ),
    # The escape hatch: checked against the Kratos config schema and the typed settings.
    Mistake(
        "override-short-password",
        overrides(
            {"selfservice": {"methods": {"password": {"config": {"min_password_length": 4}}}}}
        ),
        "kratosConfigOverrides.selfservice.methods.password.config.min_password_length",
        ("at least 6",),
        readme=True,
    ),
    Mistake(
        "override-unknown-top-key",
        overrides({"sesion": {"lifespan": "1h"}}),
        "kratosConfigOverrides.sesion",
        ("no config key", "did you mean 'session'"),
        readme=True,
    ),
    Mistake(
        "override-unknown-nested-key",
        overrides({"selfservice": {"flows": {"login": {"lifespn": "2h"}}}}),
        "kratosConfigOverrides.selfservice.flows.login.lifespn",
        ("did you mean 'lifespan'",),
    ),
    Mistake(
        "override-wrong-type",
        overrides({"session": {"earliest_possible_extend": 5}}),
        "kratosConfigOverrides.session.earliest_possible_extend",
        ("expects text",),
    ),
    Mistake(
        "override-bad-enum",
        overrides({"hashers": {"algorithm": "md5"}}),
        "kratosConfigOverrides.hashers.algorithm",
        ("argon2", "bcrypt"),
    ),
    Mistake(
        "override-typed-bcrypt",
        overrides({"hashers": {"bcrypt": {"cost": 4}}}),
        "kratosConfigOverrides.hashers.bcrypt.cost",
        ("managed by the stack", "bcryptCost"),
    ),
    Mistake(
        "override-webauthn-rp",
        overrides({"selfservice": {"methods": {"webauthn": {"config": {"rp": {"id": "x.io"}}}}}}),
        "kratosConfigOverrides.selfservice.methods.webauthn.config.rp",
        ("managed by the stack", "domain"),
    ),
    # Cloudflare records.
    Mistake(
        "cloudflare-ttl-too-short",
        {"cloudflare.proxied": False, "cloudflare.ttl": 30},
        "cloudflare.ttl",
        ("60", "e.g. 300"),
    ),
    Mistake(
        "cloudflare-ttl-too-long",
        {"cloudflare.proxied": False, "cloudflare.ttl": 100000},
        "cloudflare.ttl",
        ("a TTL in seconds between 1 and 86400",),
    ),
    # Keys under a misspelt namespace are never read by Pulumi's program.
    Mistake(
        "namespace-underscore",
        {"kratos_auth:uiHost": "ui.example.com"},
        "kratos_auth:uiHost",
        ("kratos-auth:uiHost",),
        readme=True,
    ),
    Mistake(
        "namespace-no-dash",
        {"kratosauth:logLevel": "debug"},
        "kratosauth:logLevel",
        ("kratos-auth:logLevel",),
    ),
    Mistake(
        "namespace-typo",
        {"kratos-aut:replicas": 2},
        "kratos-aut:replicas",
        ("kratos-auth:replicas",),
    ),
    # Helm's tpl would run '{{' as template code.
    Mistake(
        "template-in-sender-name",
        {"courier.fromName": "{{ .Release.Name }}"},
        "courier.fromName",
        ("template", "'{{'"),
        readme=True,
    ),
    Mistake(
        "template-in-trait-title",
        {"identitySchemas": identity({**EMAIL_ALL, "title": "Mail {{"})},
        "identitySchemas[0].traits[0].title",
        ("template",),
    ),
    Mistake(
        "language-trait-twice",
        {
            "courier.languageTrait": True,
            "identitySchemas": identity(EMAIL_ALL, {"key": "language", "type": "text"}),
        },
        "identitySchemas[0].traits",
        ("courier.languageTrait adds a 'language' trait", "set kratos-auth:courier.languageTrait"),
    ),
    # Secrets: refused, never echoed.
    Mistake(
        "inline-oidc-client-secret",
        {"oidc": [{**OIDC, "clientSecret": "GOCSPX-inline-secret-123"}]},
        "oidc[0].clientSecret",
        ("secret", "clientSecretKey"),
        secret="GOCSPX-inline-secret-123",
        readme=True,
    ),
    Mistake(
        "inline-dsn",
        {"dsn": "postgres://kratos:pw-4711@db:5432/kratos"},
        "dsn",
        ("secret",),
        secret="pw-4711",
    ),
    Mistake(
        "override-smtp-uri-with-password",
        overrides({"courier": {"smtp": {"connection_uri": "smtps://mailer:hunter2@mail:465"}}}),
        "kratosConfigOverrides.courier.smtp.connection_uri",
        ("secret",),
        secret="hunter2",
    ),
    Mistake(
        "return-url-with-password",
        {"extraReturnUrls": ["https://me:pa55word@ui.example.com/"]},
        "extraReturnUrls[0]",
        ("password",),
        secret="pa55word",
    ),
    Mistake(
        "override-provider-client-secret",
        overrides(
            {
                "selfservice": {
                    "methods": {
                        "oidc": {
                            "config": {"providers": [{"id": "x", "client_secret": "s3cr3t-value"}]}
                        }
                    }
                }
            }
        ),
        "kratosConfigOverrides.selfservice.methods.oidc.config.providers[0].client_secret",
        ("secret",),
        secret="s3cr3t-value",
    ),
    Mistake(
        "api-token-under-cloudflare-settings",
        {"cloudflare.apiToken": "cf-token-abcdef"},
        "cloudflare.apiToken",
        ("secret",),
        secret="cf-token-abcdef",
    ),
    # Type and range errors in plain words, with an example.
    Mistake(
        "port-out-of-range",
        {"uiPort": 70000},
        "uiPort",
        ("a port between 1 and 65535, e.g. 4455",),
        readme=True,
    ),
    Mistake("replicas-not-a-number", {"replicas": "three"}, "replicas", ("whole number, e.g. 3",)),
    Mistake("dev-mode-not-bool", {"devMode": "yes please"}, "devMode", ("true or false",)),
    Mistake("methods-not-a-mapping", {"methods": "password"}, "methods", ("mapping",)),
    Mistake(
        "return-urls-not-a-list",
        {"extraReturnUrls": "https://ui.example.com/x"},
        "extraReturnUrls",
        ("not a list",),
    ),
    Mistake("bcrypt-cost-too-high", {"bcryptCost": 40}, "bcryptCost", ("between 4 and 31",)),
]

EDGE_CASES: list[EdgeCase] = [
    EdgeCase(
        "upper-case-hosts-are-lowered",
        {"uiHost": "UI.Example.COM", "kratosHost": "Auth.EXAMPLE.com"},
        {"resolved_ui_host": "ui.example.com", "resolved_kratos_host": "auth.example.com"},
    ),
    EdgeCase(
        "multi-label-public-suffix",
        {
            "domain": "eu.example.co.uk",
            "uiHost": "ui.eu.example.co.uk",
            "kratosHost": "auth.eu.example.co.uk",
            "cloudflare.zoneName": "example.co.uk",
            "extraReturnUrls": ["https://shop.example.co.uk/"],
        },
        {"resolved_cookie_domain": "eu.example.co.uk"},
    ),
    EdgeCase(
        "cookie-domain-the-registrable-parent",
        {
            "domain": "eu.example.co.uk",
            "cookieDomain": "example.co.uk",
            "uiHost": "ui.example.co.uk",
            "kratosHost": "auth.eu.example.co.uk",
        },
        {"resolved_cookie_domain": "example.co.uk"},
    ),
    EdgeCase(
        "punycode-domain",
        {"domain": "xn--bcher-kva.de", "cloudflare.zoneName": "xn--bcher-kva.de"},
        {"resolved_ui_host": "ui.xn--bcher-kva.de"},
    ),
    EdgeCase(
        "wildcard-return-url-on-own-site",
        {"extraReturnUrls": ["https://*.example.com/", "https://app.example.com:8443/after"]},
        {"extra_return_urls": ("https://*.example.com/", "https://app.example.com:8443/after")},
    ),
    EdgeCase(
        "oidc-only-sign-in",
        {"methods": {"password": False, "totp": False, "lookupSecret": False}, "oidc": [OIDC]},
    ),
    EdgeCase("passkey-only-sign-in", {"methods": {"password": False, "passkey": True}}),
    EdgeCase(
        "overrides-on-schema-paths",
        overrides(
            {
                "session": {"earliest_possible_extend": "1h"},
                "security": {"account_enumeration": {"mitigate": True}},
                "selfservice": {"methods": {"password": {"config": {"min_password_length": 12}}}},
                "courier": {
                    "templates": {
                        "verification_code": {"valid": {"email": {"subject": "base64://Q29kZQ=="}}}
                    }
                },
            }
        ),
    ),
    EdgeCase(
        "unproxied-record-with-ttl",
        {"cloudflare.proxied": False, "cloudflare.ttl": 60},
        {},
    ),
    EdgeCase(
        "distroless-image", {"imageTag": "v1.3.1-distroless"}, {"image_tag": "v1.3.1-distroless"}
    ),
    EdgeCase(
        "longest-names",
        {"releaseName": "r" * 53, "namespace": "n" * 63},
        {"release_name": "r" * 53},
    ),
    EdgeCase(
        "braces-that-are-not-template-code",
        {"courier.fromName": "Example {team} }}"},
        {},
    ),
    EdgeCase(
        "inline-mapper-and-ip-record-target",
        {
            "oidc": [
                {**GENERIC, "issuerUrl": "https://id.example.com", "mapperUrl": "base64://e30="}
            ],
            "cloudflare.kratosRecordTarget": "2001:db8::1",
        },
    ),
    EdgeCase(
        "other-provider-namespaces",
        {"kubernetes:context": "prod-cluster", "pulumi:template": "python"},
    ),
]


def problem_for(case: Mistake) -> str:
    """The one-line problem a mistake produces, as the user reads it."""
    try:
        settings_from_config(case.stack, as_program_config(config_for(case)))
    except SettingsError as error:
        return next(str(p) for p in error.problems if p.key == case.full_key)
    raise AssertionError(f"{case.id} was accepted")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def readme_section() -> str:
    rows = ["| mistake | what the settings say |", "| --- | --- |"]
    for case in (c for c in MISTAKES if c.readme):
        said = re.sub(r"^kratos-auth:", "", problem_for(case))
        rows.append(f"| {case.id.replace('-', ' ')} | `{_cell(said)}` |")
    return "\n".join([BEGIN, *rows, END])


def readme_block(text: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[start:end]


def write_readme(path: Path = README) -> None:
    text = path.read_text()
    path.write_text(text.replace(readme_block(text), readme_section()))


if __name__ == "__main__":
    write_readme()
    sys.exit(0)
