"""The typed shape of one stack's settings, as written under the `kratos-auth:` namespace.

Field names are snake_case here and camelCase in `Pulumi.<stack>.yaml`; every model refuses
unknown keys so a typo never silently falls back to a default.
"""

from __future__ import annotations

import ipaddress
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel

from stack_settings.brand import DEFAULT_FAVICON, Asset, Colour, Link, ProductName
from stack_settings.host_form import plain_host
from stack_settings.kratos_version import KRATOS_VERSION
from stack_settings.locales import language_trait, locale_codes

# Defaults the chart and image are pinned to; one constant each, read by settings and docs.
CHART_NAME = "kratos"
DEFAULT_CHART_REPOSITORY = "https://k8s.ory.sh/helm/charts"
DEFAULT_CHART_VERSION = "0.59.0"
DEFAULT_IMAGE_TAG = KRATOS_VERSION  # the image runs the Kratos the local stack builds
CONFIG_NAMESPACE = "kratos-auth"
LOOPBACK = "127.0.0.1"  # the one address local runs bind and serve on
# Kratos's default courier.worker.pull_wait: a queued mail is tried once per this interval.
COURIER_PULL_WAIT = "1s"
RELAXED_ENVIRONMENTS = ("local", "dev")  # where http and debug switches are allowed

EnvironmentKind = Literal["local", "dev", "prod"]
Duration = Annotated[str, StringConstraints(pattern=r"^([0-9]+(ns|us|ms|s|m|h))+$")]
HostName = Annotated[
    str,
    BeforeValidator(plain_host),
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        max_length=253,
        pattern=r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$",
    ),
]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]([a-z0-9_-]{0,62})$")]
# DNS-1123 label: the length is its own constraint so a long name is told "too long", not "wrong".
K8sName = Annotated[
    str, StringConstraints(max_length=63, pattern=r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
]
# Helm stores a release in a Secret named after it, which caps release names at 53 characters.
ReleaseName = Annotated[
    str, StringConstraints(max_length=53, pattern=r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
]
# A name in the external secret store; empty would make the operator fetch nothing.
RemoteKey = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
SemVer = Annotated[
    str,
    StringConstraints(
        pattern=r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
        r"(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"
    ),
]
# An OCI image tag: a word character first, then up to 127 word characters, dots and dashes.
ImageTag = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
]


class SettingsModel(BaseModel):
    """Base for every settings object: frozen, camelCase keys, unknown keys refused."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", alias_generator=to_camel, populate_by_name=True
    )


class CourierSettings(SettingsModel):
    """Who Kratos's mail comes from; the SMTP connection URI is a secret and lives elsewhere."""

    from_address: str | None = Field(None, description="Sender address of Kratos mail.")
    from_name: str | None = Field(None, description="Sender display name.")
    retry_window: Duration = Field(
        "20m",
        description="How long Kratos retries a mail before abandoning it; outlasts SMTP outages.",
    )
    language_trait: bool = Field(
        False,
        description=(
            f"Adds an optional `{language_trait()}` trait ({', '.join(locale_codes())}: the UI's "
            "locales) to every identity schema; the UI sends the page's language as it at sign-up "
            "and with each profile save, and verification and recovery mails are written in it "
            "(English for identities without it)."
        ),
    )


class FlowSettings(SettingsModel):
    """Which optional self-service flows are on; login, settings, logout and error always are."""

    registration: bool = Field(True, description="Allow self-service sign-up.")
    verification: bool = Field(True, description="Verify email addresses by mail.")
    recovery: bool = Field(True, description="Recover accounts by mail.")
    verification_method: Literal["code", "link"] = Field(
        "code", description="How verification mail proves ownership."
    )
    recovery_method: Literal["code", "link"] = Field(
        "code", description="How recovery mail proves ownership."
    )
    login_hints: bool = Field(
        False, description="Tell users which methods an existing account has on sign-up."
    )


class MethodSettings(SettingsModel):
    """Which credential methods Kratos offers."""

    password: bool = Field(True, description="Password login and registration.")
    code: bool = Field(False, description="Passwordless one-time code by email.")
    totp: bool = Field(True, description="TOTP apps as a second factor.")
    lookup_secret: bool = Field(True, description="Recovery codes as a second factor.")
    webauthn: bool = Field(False, description="Security keys as a second factor.")
    passkey: bool = Field(False, description="Passkeys as a first factor.")


class OidcProvider(SettingsModel):
    """One social sign-in provider; its client secret is a remote key in the secret store."""

    id: Identifier = Field(description="Provider id shown in the callback URL.")
    provider: Literal["generic", "google", "github", "gitlab", "microsoft", "apple", "discord"] = (
        Field(description="Kratos provider type.")
    )
    client_id: str = Field(description="OAuth2 client id (not secret).")
    client_secret_key: RemoteKey = Field(
        description="Remote key of the client secret.",
        examples=["kratos/prod/google-client-secret"],
    )
    issuer_url: str | None = Field(None, description="OIDC issuer; required for generic.")
    scope: tuple[str, ...] = Field(("openid", "email", "profile"), description="Scopes to request.")
    mapper_url: str | None = Field(
        None, description="Jsonnet claims mapper URL; a built-in email mapper when unset."
    )


TraitType = Literal["email", "phone", "text", "name", "boolean"]


class TraitSettings(SettingsModel):
    """One identity trait and the roles Kratos gives it."""

    key: Identifier = Field(description="Trait name under identity.traits.")
    type: TraitType = Field(description="email, phone, text, name (first/last) or boolean.")
    title: str | None = Field(None, description="Label shown in the UI.")
    required: bool = Field(False, description="Must be filled in at sign-up.")
    identifier: bool = Field(False, description="Log in with this trait.")
    verification: bool = Field(False, description="Verify this address by mail.")
    recovery: bool = Field(False, description="Recover the account through this address.")


def _default_traits() -> tuple[TraitSettings, ...]:
    return (
        TraitSettings(
            key="email",
            type="email",
            title="E-Mail",
            required=True,
            identifier=True,
            verification=True,
            recovery=True,
        ),
        TraitSettings(key="name", type="name", title="Name"),
    )


class IdentitySchemaSettings(SettingsModel):
    """One identity schema (e.g. customer, admin) and its traits."""

    id: Identifier = Field(description="Schema id, e.g. customer.")
    title: str | None = Field(None, description="Schema title.")
    traits: tuple[TraitSettings, ...] = Field(
        default_factory=_default_traits, description="Default: email (all roles) and name."
    )


def _default_schemas() -> tuple[IdentitySchemaSettings, ...]:
    return (IdentitySchemaSettings(id="default", title="Person"),)


class SecretStoreSettings(SettingsModel):
    """Where the External Secrets operator fetches Kratos's secrets from."""

    name: K8sName = Field(description="SecretStore / ClusterSecretStore name.")
    kind: Literal["SecretStore", "ClusterSecretStore"] = Field(
        "ClusterSecretStore", description="Kind of the store."
    )
    api_version: Literal["external-secrets.io/v1", "external-secrets.io/v1beta1"] = Field(
        "external-secrets.io/v1", description="ExternalSecret API version your operator serves."
    )
    refresh_interval: Duration = Field("1h", description="How often secrets are re-read.")
    target_secret_name: K8sName = Field(
        "kratos-secrets", description="Secret Kratos reads as env.", examples=["kratos-secrets"]
    )
    dsn_key: RemoteKey = Field(
        description="Remote key of the database DSN.", examples=["kratos/prod/dsn"]
    )
    cookie_secret_key: RemoteKey = Field(
        description="Remote key of the cookie secret.", examples=["kratos/prod/cookie-secret"]
    )
    cipher_secret_key: RemoteKey = Field(
        description="Remote key of the 32-character cipher secret.",
        examples=["kratos/prod/cipher-secret"],
    )
    default_secret_key: RemoteKey = Field(
        description="Remote key of the default secret.", examples=["kratos/prod/default-secret"]
    )
    smtp_connection_uri_key: RemoteKey = Field(
        description="Remote key of the SMTP connection URI.",
        examples=["kratos/prod/smtp-connection-uri"],
    )
    # Rotation: the current key signs or encrypts, previous keys still verify or decrypt.
    previous_cookie_secret_keys: tuple[RemoteKey, ...] = Field(
        (),
        description="Remote keys of earlier cookie secrets; sessions they signed stay valid.",
        examples=[["kratos/prod/cookie-secret-2025-01"]],
    )
    previous_cipher_secret_keys: tuple[RemoteKey, ...] = Field(
        (),
        description="Remote keys of earlier cipher secrets; what they encrypted stays readable.",
        examples=[["kratos/prod/cipher-secret-2025-01"]],
    )
    previous_default_secret_keys: tuple[RemoteKey, ...] = Field(
        (),
        description="Remote keys of earlier default secrets, still accepted.",
        examples=[["kratos/prod/default-secret-2025-01"]],
    )


class GatewaySettings(SettingsModel):
    """The Gateway API Gateway the Kratos public route attaches to."""

    name: K8sName = Field(description="Gateway name.")
    namespace: K8sName = Field(description="Gateway namespace (the certificate goes here too).")
    section_name: str | None = Field(None, description="Listener name on the Gateway.")
    create: bool = Field(False, description="Create the Gateway with an HTTPS listener.")
    class_name: str | None = Field(None, description="GatewayClass, when create is true.")


class AcmeIssuerSettings(SettingsModel):
    """A ClusterIssuer for ACME with a Cloudflare DNS-01 solver, created by the stack."""

    email: str = Field(description="ACME account email.")
    server: str = Field(
        "https://acme-v02.api.letsencrypt.org/directory", description="ACME directory URL."
    )
    cloudflare_token_secret_name: K8sName = Field(
        "cloudflare-api-token", description="Secret holding the DNS-01 Cloudflare token."
    )
    cloudflare_token_secret_key: str = Field("api-token", description="Key in that Secret.")


class TlsSettings(SettingsModel):
    """The cert-manager issuer that signs the Kratos host's certificate."""

    issuer_name: K8sName = Field(description="cert-manager issuer that signs the certificate.")
    issuer_kind: Literal["Issuer", "ClusterIssuer"] = Field(
        "ClusterIssuer", description="Kind of that issuer."
    )
    acme: AcmeIssuerSettings | None = Field(None, description="Create this ClusterIssuer.")


class RateLimitSettings(SettingsModel):
    """Cloudflare's rate limit on Kratos's login, registration, recovery and verification submits.

    Kratos has no password rate limit of its own; Ory's answer is to limit at the edge.
    """

    enabled: bool = Field(
        True,
        description="Create the rule; a zone has one rate-limit ruleset, so one stack owns it.",
    )
    requests_per_period: int = Field(
        10,
        ge=1,
        le=10000,
        description="Submits per client IP and period before blocking.",
        examples=[10],
    )
    period_seconds: Literal[10, 60, 120, 300, 600, 3600] = Field(
        60, description="Counting period (the values Cloudflare accepts)."
    )
    mitigation_timeout_seconds: Literal[0, 10, 60, 120, 300, 600, 3600, 86400] = Field(
        600, description="How long a client stays blocked."
    )


class CloudflareSettings(SettingsModel):
    """The Cloudflare zone holding the UI's CNAME."""

    zone_name: HostName | None = Field(None, description="Zone name (looked up); or zoneId.")
    zone_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")] | None = Field(
        None, description="Zone id; or zoneName."
    )
    proxied: bool = Field(True, description="Proxy the UI record through Cloudflare.")
    ttl: int = Field(
        1,
        ge=1,
        le=86400,
        description="1 means automatic; else 60 to 86400 seconds.",
        examples=[300],
    )
    kratos_record_target: Annotated[str, BeforeValidator(plain_host)] | None = Field(
        None, description="Also point the Kratos host at this Gateway address."
    )
    rate_limit: RateLimitSettings = Field(
        RateLimitSettings(),
        description="Rate limit on Kratos's submit endpoints, when its record is proxied.",
    )


# A Prometheus duration as the operator's CRDs accept it, e.g. 30s or 1m30s.
ScrapeInterval = Annotated[
    str, StringConstraints(pattern=r"^([0-9]+h)?([0-9]+m)?([0-9]+s)?$", min_length=2)
]


class MonitoringSettings(SettingsModel):
    """A prometheus-operator ServiceMonitor and PrometheusRule for this stack's Kratos."""

    labels: dict[str, str] = Field(
        default_factory=dict,
        description="Labels your Prometheus selects monitors and rules by.",
        examples=[{"release": "kube-prometheus-stack"}],
    )
    interval: ScrapeInterval = Field("30s", description="How often Kratos's metrics are scraped.")
    server_error_ratio: float = Field(
        0.05, gt=0, lt=1, description="Share of 5xx responses over 10 minutes that alerts."
    )


class PagesSettings(SettingsModel):
    """The GitHub Pages site that serves the UI."""

    owner: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")] = (
        Field(description="GitHub user or org; the UI CNAME points at <owner>.github.io.")
    )


class BrandSettings(SettingsModel):
    """What the UI and the mails are branded with; built into the static site."""

    product_name: ProductName = Field(
        "Account", description="Name in the UI and mails.", examples=["Example"]
    )
    logo: Asset | None = Field(None, description="Logo: a repository file or an https URL.")
    favicon: Asset = Field(DEFAULT_FAVICON, description="Favicon: a repository file or URL.")
    primary_color: Colour = Field(
        "#0b5cad", description="Buttons and links: AA on white; text on it derived."
    )
    support_url: Link | None = Field(None, description="Support or contact link.")
    terms_url: Link | None = Field(None, description="Terms of service link.")
    privacy_url: Link | None = Field(None, description="Privacy policy link.")


def nested_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The settings model inside a field's annotation, and whether the field is a list of them."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    for arg in typing.get_args(annotation):
        model, _ = nested_model(arg)
        if model is not None:
            return model, typing.get_origin(annotation) is tuple
    return None, False


def is_ip(host: str) -> bool:
    """True for literal IP hosts, where cookie domains and WebAuthn relying parties do not apply."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class StackSettings(SettingsModel):
    """Everything one environment needs; built once, then only read."""

    environment: EnvironmentKind = Field(description="local, dev or prod; prod is https only.")
    domain: HostName = Field(
        description="Parent domain shared by the UI and Kratos.", examples=["example.com"]
    )
    scheme: Literal["https", "http"] = Field("https", description="http only outside prod.")
    ui_host: HostName | None = Field(
        None, description="UI host; default ui.<domain>.", examples=["ui.example.com"]
    )
    kratos_host: HostName | None = Field(
        None, description="Kratos public host; auth.<domain>.", examples=["auth.example.com"]
    )
    ui_port: int | None = Field(
        None, ge=1, le=65535, description="UI port when not default.", examples=[4455]
    )
    kratos_port: int | None = Field(
        None, ge=1, le=65535, description="Kratos public port.", examples=[4433]
    )
    cookie_domain: HostName | None = Field(
        None,
        description="Cookie domain; default the domain (none for IP hosts).",
        examples=["example.com"],
    )
    same_site: Literal["Strict", "Lax", "None"] = Field("Lax", description="Cookie SameSite.")
    session_lifespan: Duration = Field("24h", description="How long a session lasts.")
    privileged_session_max_age: Duration = Field(
        "15m", description="How long a login counts as fresh for settings changes."
    )
    flow_lifespan: Duration = Field("1h", description="How long a started flow stays valid.")
    extra_return_urls: tuple[str, ...] = Field(
        (), description="Allowed return URLs beyond the UI origin."
    )
    namespace: K8sName = Field(
        "auth", description="Kubernetes namespace of the release.", examples=["auth"]
    )
    release_name: ReleaseName = Field(
        "kratos", description="Helm release name (at most 53 characters)."
    )
    chart_source: str = Field(
        DEFAULT_CHART_REPOSITORY,
        description="Chart repository URL, oci:// reference or local chart folder.",
    )
    chart_version: SemVer = Field(
        DEFAULT_CHART_VERSION, description="Ory kratos chart version.", examples=["0.59.0"]
    )
    image_tag: ImageTag = Field(
        DEFAULT_IMAGE_TAG,
        description="Kratos image tag: the pinned version or its -distroless variant.",
        examples=[DEFAULT_IMAGE_TAG],
    )
    replicas: int | None = Field(
        None, ge=1, le=50, description="Default 1 (dev), 3 (prod).", examples=[3]
    )
    dev_mode: bool = Field(False, description="Kratos --dev; refused outside local and dev.")
    log_level: Literal["trace", "debug", "info", "warning", "error", "fatal", "panic"] = Field(
        "info", description="Kratos log level."
    )
    log_format: Literal["json", "text"] = Field("json", description="Kratos log format.")
    leak_sensitive_values: bool = Field(False, description="Refused outside local and dev.")
    password_breach_check: bool = Field(
        True, description="Check new passwords against HaveIBeenPwned (needs internet)."
    )
    cipher_algorithm: Literal["xchacha20-poly1305", "aes", "noop"] = Field(
        "xchacha20-poly1305", description="Encrypts stored tokens; noop refused in prod."
    )
    bcrypt_cost: int | None = Field(
        None, ge=4, le=31, description="Default 12 (prod), 10, 4 (local).", examples=[12]
    )
    courier: CourierSettings = Field(CourierSettings(), description="Mail sender.")
    brand: BrandSettings = Field(BrandSettings(), description="Product name, logo, colours, links.")
    flows: FlowSettings = Field(FlowSettings(), description="Optional flows.")
    methods: MethodSettings = Field(MethodSettings(), description="Credential methods.")
    oidc: tuple[OidcProvider, ...] = Field((), description="Social sign-in providers.")
    identity_schemas: tuple[IdentitySchemaSettings, ...] = Field(
        default_factory=_default_schemas, description="Identity schemas; default one `default`."
    )
    default_identity_schema: Identifier | None = Field(
        None, description="Default schema id; the first schema when unset."
    )
    secret_store: SecretStoreSettings | None = Field(None, description="Required outside local.")
    gateway: GatewaySettings | None = Field(None, description="Required outside local.")
    tls: TlsSettings | None = Field(None, description="Required outside local.")
    cloudflare: CloudflareSettings | None = Field(
        None, description="Cloudflare DNS records; optional, leave out to manage DNS elsewhere."
    )
    pages: PagesSettings | None = Field(None, description="Required outside local.")
    admin_namespaces: tuple[K8sName, ...] = Field(
        (),
        description="Namespaces whose pods may reach Kratos's admin port; none by default.",
        examples=["monitoring"],
    )
    monitoring: MonitoringSettings | None = Field(
        None, description="ServiceMonitor and alerts; needs the prometheus-operator CRDs."
    )
    kratos_config_overrides: dict[str, Any] = Field(
        default_factory=dict,
        description="Kratos config keys we do not model, merged last; checked against its schema.",
    )

    # Derived values: computed here once so no other file retypes a host or URL.

    @property
    def is_production(self) -> bool:
        return self.environment == "prod"

    @property
    def resolved_ui_host(self) -> str:
        return self.ui_host or f"ui.{self.domain}"

    @property
    def resolved_kratos_host(self) -> str:
        return self.kratos_host or f"auth.{self.domain}"

    @property
    def resolved_cookie_domain(self) -> str | None:
        if self.cookie_domain:
            return self.cookie_domain
        return None if is_ip(self.domain) or self.domain == "localhost" else self.domain

    @property
    def ui_origin(self) -> str:
        return _origin(self.scheme, self.resolved_ui_host, self.ui_port)

    @property
    def kratos_public_url(self) -> str:
        return _origin(self.scheme, self.resolved_kratos_host, self.kratos_port) + "/"

    @property
    def resolved_replicas(self) -> int:
        return self.replicas or (3 if self.is_production else 1)

    @property
    def resolved_bcrypt_cost(self) -> int:
        if self.bcrypt_cost:
            return self.bcrypt_cost
        return {"prod": 12, "dev": 10, "local": 4}[self.environment]

    @property
    def resolved_default_schema(self) -> str:
        return self.default_identity_schema or self.identity_schemas[0].id

    def ui_url(self, path: str) -> str:
        """Absolute URL of a UI route, e.g. ui_url('login')."""
        return f"{self.ui_origin}/{path.lstrip('/')}"


class LocalSettings(StackSettings):
    """The `local` environment: runs on this machine, never deployed, needs no cluster targets."""

    environment: Literal["local"]


class ClusterSettings(StackSettings):
    """A deployed environment: every cluster and cloud target is required by type."""

    environment: Literal["dev", "prod"]
    secret_store: SecretStoreSettings
    gateway: GatewaySettings
    tls: TlsSettings
    cloudflare: CloudflareSettings | None = Field(
        None, description="Cloudflare DNS records; optional, leave out to manage DNS elsewhere."
    )
    pages: PagesSettings

    @property
    def pages_target(self) -> str:
        """`<owner>.github.io`, what the UI host's CNAME points at."""
        return f"{self.pages.owner.lower()}.github.io"


# Checked settings are one of these, told apart by `environment`.
EnvironmentSettings = Annotated[LocalSettings | ClusterSettings, Field(discriminator="environment")]


def _origin(scheme: str, host: str, port: int | None) -> str:
    default_port = {"https": 443, "http": 80}[scheme]
    return f"{scheme}://{host}" if port in (None, default_port) else f"{scheme}://{host}:{port}"
