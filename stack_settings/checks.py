"""Cross-setting checks: what we know breaks Kratos and its UI, found before anything deploys.

Each check returns problems instead of raising, so one run reports every mistake at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from stack_settings.chart_source import check_chart_source
from stack_settings.errors import Problem
from stack_settings.kratos_version import KRATOS_VERSION
from stack_settings.locales import language_trait
from stack_settings.model import CONFIG_NAMESPACE, RELAXED_ENVIRONMENTS, StackSettings, is_ip
from stack_settings.override_schema import check_override_schema
from stack_settings.rotation_checks import check_retry_window, check_secret_rotation
from stack_settings.routes import FLOW_UI_PATHS
from stack_settings.sites import LOOPBACK_HOSTS, is_public_suffix
from stack_settings.url_checks import check_return_urls, check_urls

NS = CONFIG_NAMESPACE
CLOUDFLARE_MIN_TTL = 60
# One @, something on each side, a dot in the domain and no spaces: what a CA will accept.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Ory publishes each Kratos version as vX.Y.Z and a distroless variant of it.
KRATOS_IMAGE_TAGS = (KRATOS_VERSION, f"{KRATOS_VERSION}-distroless")

# Kratos config paths the settings model owns; overriding them would bypass the checks below.
OWNED_CONFIG_PATHS = {
    "dsn": "the secret store (secretStore.dsnKey)",
    "secrets": "the secret store (secretStore.*SecretKey)",
    "courier.smtp.connection_uri": "the secret store (secretStore.smtpConnectionUriKey)",
    "serve.public.base_url": f"{NS}:kratosHost",
    "serve.public.cors": f"{NS}:uiHost (CORS always admits the UI origin)",
    "selfservice.allowed_return_urls": f"{NS}:extraReturnUrls",
    "selfservice.default_browser_return_url": f"{NS}:uiHost",
    "cookies.domain": f"{NS}:cookieDomain",
    "session.cookie.domain": f"{NS}:cookieDomain",
    "cookies.same_site": f"{NS}:sameSite",
    "session.cookie.same_site": f"{NS}:sameSite",
    "dev": f"{NS}:devMode",
    "log.leak_sensitive_values": f"{NS}:leakSensitiveValues",
    "ciphers.algorithm": f"{NS}:cipherAlgorithm",
    "identity": f"{NS}:identitySchemas",
    # Typed settings with their own checks; an override would skip those checks.
    "selfservice.methods.password.enabled": f"{NS}:methods.password",
    "selfservice.methods.code.enabled": f"{NS}:methods.code",
    "selfservice.methods.totp.enabled": f"{NS}:methods.totp",
    "selfservice.methods.lookup_secret.enabled": f"{NS}:methods.lookupSecret",
    "selfservice.methods.webauthn.enabled": f"{NS}:methods.webauthn",
    "selfservice.methods.webauthn.config.rp": f"{NS}:domain (the relying party is derived)",
    "selfservice.methods.passkey.enabled": f"{NS}:methods.passkey",
    "selfservice.methods.passkey.config.rp": f"{NS}:domain (the relying party is derived)",
    "selfservice.methods.oidc": f"{NS}:oidc",
    "selfservice.methods.password.config.haveibeenpwned_enabled": f"{NS}:passwordBreachCheck",
    "selfservice.flows.registration.enabled": f"{NS}:flows.registration",
    "selfservice.flows.verification.enabled": f"{NS}:flows.verification",
    "selfservice.flows.recovery.enabled": f"{NS}:flows.recovery",
    "selfservice.flows.verification.use": f"{NS}:flows.verificationMethod",
    "selfservice.flows.recovery.use": f"{NS}:flows.recoveryMethod",
    "selfservice.flows.settings.privileged_session_max_age": f"{NS}:privilegedSessionMaxAge",
    "session.lifespan": f"{NS}:sessionLifespan",
    "hashers.bcrypt.cost": f"{NS}:bcryptCost",
    "log.level": f"{NS}:logLevel",
    "log.format": f"{NS}:logFormat",
    "courier.smtp.from_address": f"{NS}:courier.fromAddress",
    "courier.smtp.from_name": f"{NS}:courier.fromName",
}


def _covered(host: str, cookie_domain: str) -> bool:
    return host == cookie_domain or host.endswith("." + cookie_domain)


def _host_key(s: StackSettings, which: str) -> str:
    """The key the user wrote for a host: its own key when set, else the domain it derives from."""
    written = s.ui_host if which == "ui" else s.kratos_host
    return f"{NS}:{which}Host" if written else f"{NS}:domain"


def _cookie_key(s: StackSettings) -> str:
    return f"{NS}:cookieDomain" if s.cookie_domain else f"{NS}:domain"


def check_public_suffixes(s: StackSettings) -> Iterator[Problem]:
    """`co.uk` or `github.io` is a site of its own: no cookie can be shared under it."""
    written = (
        (f"{NS}:domain", s.domain),
        (f"{NS}:cookieDomain", s.cookie_domain),
        (f"{NS}:uiHost", s.ui_host),
        (f"{NS}:kratosHost", s.kratos_host),
        (f"{NS}:cloudflare.zoneName", s.cloudflare.zone_name if s.cloudflare else None),
    )
    for key, host in written:
        if host and is_public_suffix(host):
            yield Problem(
                key,
                host,
                f"{host} is a public suffix (like co.uk or github.io): every name under it is a "
                "separate site, so browsers refuse cookies for it and Kratos's session cannot "
                "reach the UI",
                f"use a domain you own under it, e.g. example.{host}",
            )


def check_site(s: StackSettings) -> Iterator[Problem]:
    """UI and Kratos must share one site, or the browser never sends Kratos's cookies."""
    ui, kratos, cookie = s.resolved_ui_host, s.resolved_kratos_host, s.resolved_cookie_domain
    if {ui, kratos} <= LOOPBACK_HOSTS and ui != kratos:
        yield Problem(
            _host_key(s, "ui"),
            ui,
            f"the UI is on {ui} but Kratos on {kratos}; browsers treat them as different sites",
            f"use the same loopback name for both (e.g. 127.0.0.1 for {NS}:uiHost and "
            f"{NS}:kratosHost)",
        )
        return
    if cookie is None:
        # No cookie domain is derived from an IP or localhost domain: that is what was written.
        if ui != kratos:
            yield Problem(
                f"{NS}:domain",
                s.domain,
                f"no cookie domain can cover both {ui} and {kratos}",
                f"set {NS}:domain to a domain name both hosts share, e.g. example.com, or give "
                f"{NS}:uiHost and {NS}:kratosHost the same address",
            )
        return
    if is_ip(ui) or is_ip(kratos):
        yield Problem(
            _cookie_key(s),
            cookie,
            "a cookie domain cannot apply to IP-address hosts",
            f"remove {NS}:cookieDomain or use host names for {NS}:uiHost and {NS}:kratosHost",
        )
        return
    if is_public_suffix(cookie):
        return  # check_public_suffixes names the key the user wrote
    for which, host, label in (("ui", ui, "ui"), ("kratos", kratos, "auth")):
        if not _covered(host, cookie):
            written = _host_key(s, which)
            blamed = written if written != f"{NS}:domain" else _cookie_key(s)
            yield Problem(
                blamed,
                host if blamed == written else cookie,
                f"{host} is not under the cookie domain {cookie}, so the browser will not send "
                "Kratos's session and CSRF cookies between the UI and Kratos",
                f"use a host under {cookie} (e.g. {label}.{cookie}) or set "
                f"{NS}:cookieDomain to a parent of both hosts",
            )
    if ui == kratos and s.ui_port == s.kratos_port:
        yield Problem(
            _host_key(s, "ui"),
            ui,
            "the UI and Kratos cannot share one origin: GitHub Pages serves the UI and the "
            "cluster serves Kratos",
            f"give them different hosts, e.g. ui.{s.domain} and auth.{s.domain}",
        )


def check_transport(s: StackSettings) -> Iterator[Problem]:
    """Production cookies are Secure-only; anything but https loses the session."""
    if s.scheme != "https" and s.environment not in RELAXED_ENVIRONMENTS:
        yield Problem(
            f"{NS}:scheme",
            s.scheme,
            f"{s.environment} must serve Kratos and the UI over https",
            f"set {NS}:scheme to https (http is for local and dev only)",
        )
    elif s.scheme == "http" and not s.dev_mode:
        # Kratos v1.3.1 sets `Secure` on its CSRF and session cookies unless in dev mode.
        yield Problem(
            f"{NS}:scheme",
            s.scheme,
            "outside dev mode Kratos marks its CSRF and session cookies Secure, which browsers "
            "do not keep over http, so every form would fail with a security error",
            f"serve over https, or set {NS}:devMode to true (allowed in dev only)",
        )
    if s.same_site == "None" and s.scheme != "https":
        yield Problem(
            f"{NS}:sameSite",
            s.same_site,
            "browsers drop SameSite=None cookies that are not Secure, and http cannot set Secure",
            f"use {NS}:sameSite Lax, or serve over https",
        )


def check_environment_guards(s: StackSettings) -> Iterator[Problem]:
    """Debug switches that leak data or weaken crypto stay out of production."""
    if s.environment in RELAXED_ENVIRONMENTS:
        return
    if s.dev_mode:
        yield Problem(
            f"{NS}:devMode",
            True,
            "dev mode disables secure cookies and other protections",
            f"set {NS}:devMode to false in {s.environment}",
        )
    if s.leak_sensitive_values:
        yield Problem(
            f"{NS}:leakSensitiveValues",
            True,
            "Kratos would write passwords, tokens and addresses to its logs",
            f"set {NS}:leakSensitiveValues to false in {s.environment}",
        )
    if s.cipher_algorithm == "noop":
        yield Problem(
            f"{NS}:cipherAlgorithm",
            "noop",
            "noop stores OIDC tokens unencrypted and leaves the cipher secret unused",
            f"set {NS}:cipherAlgorithm to xchacha20-poly1305",
        )


def check_identity(s: StackSettings) -> Iterator[Problem]:
    """Each enabled method needs a trait to find the identity by; mail flows need an address."""
    ids = [schema.id for schema in s.identity_schemas]
    if not ids:
        yield Problem(
            f"{NS}:identitySchemas",
            [],
            "Kratos needs at least one identity schema",
            f"remove {NS}:identitySchemas to get the default schema, or list one",
        )
        return
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        yield Problem(
            f"{NS}:identitySchemas",
            dup,
            "schema ids must be unique",
            "rename one of the schemas",
        )
    if s.resolved_default_schema not in ids:
        yield Problem(
            f"{NS}:defaultIdentitySchema",
            s.default_identity_schema,
            f"no identity schema has that id (schemas: {', '.join(ids)})",
            f"set {NS}:defaultIdentitySchema to one of: {', '.join(ids)}",
        )
    needs_identifier = [
        name
        for name, on in (
            ("password", s.methods.password),
            ("code", s.methods.code),
            ("webauthn", s.methods.webauthn),
            ("passkey", s.methods.passkey),
        )
        if on
    ]
    mail_flows = [
        (flow, attr)
        for flow, attr, on in (
            ("verification", "verification", s.flows.verification),
            ("recovery", "recovery", s.flows.recovery),
        )
        if on
    ]
    for index, schema in enumerate(s.identity_schemas):
        key = f"{NS}:identitySchemas[{index}].traits"
        keys = [trait.key for trait in schema.traits]
        for dup in sorted({k for k in keys if keys.count(k) > 1}):
            yield Problem(key, dup, f"schema '{schema.id}' lists trait '{dup}' twice", "keep one")
        if s.courier.language_trait and language_trait() in keys:
            yield Problem(
                key,
                language_trait(),
                f"{NS}:courier.languageTrait adds a '{language_trait()}' trait of its own to "
                f"schema '{schema.id}'",
                f"rename this trait, or set {NS}:courier.languageTrait to false",
            )
        identifiers = [t for t in schema.traits if t.identifier]
        for trait in identifiers:
            if trait.type not in ("email", "phone", "text"):
                yield Problem(
                    key,
                    trait.key,
                    f"a {trait.type} trait cannot be a login identifier",
                    "mark an email, phone or text trait as identifier instead",
                )
        if needs_identifier and not identifiers:
            yield Problem(
                key,
                schema.id,
                f"methods {', '.join(needs_identifier)} are on but schema '{schema.id}' has no "
                "identifier trait to log in with",
                "set identifier: true on its email trait",
            )
        if s.methods.code and not any(t.type == "email" for t in identifiers):
            yield Problem(
                key,
                schema.id,
                f"the code method mails a one-time code, but schema '{schema.id}' has no email "
                "identifier",
                f"mark an email trait identifier: true or set {NS}:methods.code to false",
            )
        for flow, attr in mail_flows:
            if not any(t.type == "email" and getattr(t, attr) for t in schema.traits):
                yield Problem(
                    key,
                    schema.id,
                    f"{flow} is on but schema '{schema.id}' has no email trait with {attr}: true",
                    f"set {attr}: true on its email trait or {NS}:flows.{flow} to false",
                )
        for trait in schema.traits:
            for attr in ("verification", "recovery"):
                if getattr(trait, attr) and trait.type != "email":
                    yield Problem(
                        key,
                        trait.key,
                        f"{attr} mail can only go to an email trait, not a {trait.type}",
                        f"set {attr}: false on '{trait.key}'",
                    )


def check_courier(s: StackSettings) -> Iterator[Problem]:
    """Every mail flow needs a sender, or Kratos's courier fails at send time."""
    mail_users = [
        name
        for name, on in (
            ("flows.verification", s.flows.verification),
            ("flows.recovery", s.flows.recovery),
            ("methods.code", s.methods.code),
        )
        if on
    ]
    if mail_users and not s.courier.from_address:
        yield Problem(
            f"{NS}:courier.fromAddress",
            None,
            f"{', '.join(mail_users)} send mail but no sender address is set",
            f"set {NS}:courier.fromAddress, e.g. no-reply@{s.domain}",
        )
    if s.courier.from_address and "@" not in s.courier.from_address:
        yield Problem(
            f"{NS}:courier.fromAddress",
            s.courier.from_address,
            "not an email address",
            "use an address like no-reply@example.com",
        )


def check_acme_email(s: StackSettings) -> Iterator[Problem]:
    """The ACME account is registered with this address; a bad one fails at the CA."""
    email = s.tls.acme.email if s.tls and s.tls.acme else None
    if email is not None and not EMAIL.match(email):
        yield Problem(
            f"{NS}:tls.acme.email",
            email,
            "not an email address",
            f"use an address the CA can write to, e.g. platform@{s.domain}",
        )


def check_sign_in(s: StackSettings) -> Iterator[Problem]:
    """Login is always on, so at least one first factor must be offered."""
    first_factors = (s.methods.password, s.methods.code, s.methods.passkey, bool(s.oidc))
    if not any(first_factors):
        yield Problem(
            f"{NS}:methods",
            {"password": False, "code": False, "passkey": False},
            "no way to sign in: password, code and passkey are off and no oidc provider is set",
            f"set {NS}:methods.password to true, or add a provider under {NS}:oidc",
        )


def check_webauthn(s: StackSettings) -> Iterator[Problem]:
    """WebAuthn relying parties are domain names and need a secure context."""
    if not (s.methods.webauthn or s.methods.passkey):
        return
    # Browsers treat http://localhost as a secure context, so it may be the local RP.
    local_rp = s.environment == "local" and s.domain == "localhost"
    if s.resolved_cookie_domain is None and not local_rp:
        yield Problem(
            f"{NS}:methods.webauthn" if s.methods.webauthn else f"{NS}:methods.passkey",
            True,
            "WebAuthn needs a domain name as relying party, not an IP address",
            f"use host names under {NS}:domain or turn the method off",
        )


def check_oidc(s: StackSettings) -> Iterator[Problem]:
    ids = [p.id for p in s.oidc]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        yield Problem(f"{NS}:oidc", dup, "provider ids must be unique", "rename one provider")
    for index, provider in enumerate(s.oidc):
        if provider.provider == "generic" and not provider.issuer_url:
            yield Problem(
                f"{NS}:oidc[{index}].issuerUrl",
                None,
                "a generic OIDC provider needs its issuer URL",
                "set issuerUrl to the provider's issuer, e.g. https://id.example.com",
            )


def check_deploy_targets(s: StackSettings) -> Iterator[Problem]:
    """A cluster environment needs every deploy target (DNS is optional); local needs none."""
    if s.environment == "local":
        return
    examples = {
        "secretStore": "{name: vault, dsnKey: kratos/dsn, cookieSecretKey: ..., ...}",
        "gateway": "{name: public, namespace: gateway-system}",
        "tls": "{issuerName: letsencrypt}",
        "pages": "{owner: my-org}",
    }
    values = {
        "secretStore": s.secret_store,
        "gateway": s.gateway,
        "tls": s.tls,
        "pages": s.pages,
    }
    for key, value in values.items():
        if value is None:
            yield Problem(
                f"{NS}:{key}",
                None,
                f"required for a {s.environment} stack",
                f"set {NS}:{key}, e.g. {examples[key]}",
            )
    cf = s.cloudflare
    if cf is not None and (cf.zone_name is None) == (cf.zone_id is None):
        yield Problem(
            f"{NS}:cloudflare.zoneName",
            cf.zone_name,
            "give the zone by name or by id, exactly one of them",
            f"set {NS}:cloudflare.zoneName (e.g. {s.domain}) or zoneId, not both",
        )
    if cf is not None and cf.proxied and cf.ttl != 1:
        yield Problem(
            f"{NS}:cloudflare.ttl",
            cf.ttl,
            "proxied records always have automatic TTL",
            "set ttl to 1 or proxied to false",
        )
    if s.gateway is not None and s.gateway.create and not s.gateway.class_name:
        yield Problem(
            f"{NS}:gateway.className",
            None,
            "creating a Gateway needs its GatewayClass",
            f"set {NS}:gateway.className or gateway.create to false",
        )
    if s.tls is not None and s.tls.acme is not None and s.tls.issuer_kind != "ClusterIssuer":
        yield Problem(
            f"{NS}:tls.issuerKind",
            s.tls.issuer_kind,
            "the stack creates its ACME issuer as a ClusterIssuer",
            "set issuerKind to ClusterIssuer or remove tls.acme",
        )


def _paths(tree: object, prefix: str = "") -> Iterator[str]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            yield path
            yield from _paths(value, path)


def check_overrides(s: StackSettings) -> Iterator[Problem]:
    """The escape hatch may add keys, never replace the ones our checks guard or secrets."""
    reported: list[str] = []
    for path in _paths(s.kratos_config_overrides):
        owner = next(
            (o for p, o in OWNED_CONFIG_PATHS.items() if path == p or path.startswith(p + ".")),
            None,
        )
        # One problem per owned branch: its children are covered by it.
        if owner is not None and not any(path.startswith(r + ".") for r in reported):
            reported.append(path)
            yield Problem(
                f"{NS}:kratosConfigOverrides.{path}",
                "<set>",
                "this Kratos key is managed by the stack and checked before deploy",
                f"remove it from kratosConfigOverrides and use {owner}",
            )
    flows = s.kratos_config_overrides.get("selfservice", {})
    flows = flows.get("flows", {}) if isinstance(flows, dict) else {}
    for flow in FLOW_UI_PATHS:
        entry = flows.get(flow) if isinstance(flows, dict) else None
        if isinstance(entry, dict) and "ui_url" in entry:
            yield Problem(
                f"{NS}:kratosConfigOverrides.selfservice.flows.{flow}.ui_url",
                entry["ui_url"],
                "flow UI URLs are derived from the UI host so they stay on the UI origin",
                f"remove it; set {NS}:uiHost instead",
            )


def check_cloudflare_ttl(s: StackSettings) -> Iterator[Problem]:
    """Cloudflare takes 1 (automatic) or 60 to 86400 seconds; anything between fails at deploy."""
    cf = s.cloudflare
    if cf is not None and 1 < cf.ttl < CLOUDFLARE_MIN_TTL:
        yield Problem(
            f"{NS}:cloudflare.ttl",
            cf.ttl,
            f"Cloudflare accepts a TTL of 1 (automatic) or {CLOUDFLARE_MIN_TTL} to 86400 seconds",
            f"set ttl to 1 or to at least {CLOUDFLARE_MIN_TTL}, e.g. 300",
        )


def check_image(s: StackSettings) -> Iterator[Problem]:
    """The config is generated for one Kratos version; another image would read it differently."""
    if s.image_tag not in KRATOS_IMAGE_TAGS:
        yield Problem(
            f"{NS}:imageTag",
            s.image_tag,
            f"the Kratos config and identity schemas are generated for Kratos {KRATOS_VERSION}, "
            f"the version chart {s.chart_version} ships",
            f"use {' or '.join(KRATOS_IMAGE_TAGS)}, or remove {NS}:imageTag",
        )


ALL_CHECKS: tuple[Callable[[StackSettings], Iterator[Problem]], ...] = (
    check_public_suffixes,
    check_site,
    check_transport,
    check_environment_guards,
    check_identity,
    check_courier,
    check_retry_window,
    check_secret_rotation,
    check_return_urls,
    check_sign_in,
    check_urls,
    check_acme_email,
    check_webauthn,
    check_oidc,
    check_deploy_targets,
    check_overrides,
    check_override_schema,
    check_cloudflare_ttl,
    check_image,
    check_chart_source,
)


def find_problems(settings: StackSettings) -> list[Problem]:
    """Run every check and return all problems, in a stable order."""
    return [problem for check in ALL_CHECKS for problem in check(settings)]
