"""Typed models of the pinned Kratos version's configuration this package manages.

Field names are the YAML keys Kratos reads, so a model dumps straight to its config file.
Secrets (dsn, secrets.*, courier.smtp.connection_uri, OIDC client secrets) have no field
here on purpose: Kratos reads them from environment variables.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from stack_settings.kratos_version import KRATOS_VERSION

Duration = str
SameSite = Literal["Strict", "Lax", "None"]


class KratosModel(BaseModel):
    """Base: frozen, no unknown keys, dumps by Kratos's key names without unset parts."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


# --- serve -------------------------------------------------------------------------------


class Cors(KratosModel):
    enabled: bool = True
    allowed_origins: tuple[str, ...]
    allowed_methods: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE")
    allowed_headers: tuple[str, ...] = (
        "Accept",
        "Authorization",
        "Content-Type",
        "Cookie",
        "X-CSRF-Token",
        "X-Session-Token",
    )
    exposed_headers: tuple[str, ...] = ("Content-Type", "Set-Cookie")
    allow_credentials: bool = True
    max_age: int = 600


class ServePublic(KratosModel):
    base_url: str
    cors: Cors
    host: str | None = None
    port: int | None = None


class ServeAdmin(KratosModel):
    base_url: str | None = None
    host: str | None = None
    port: int | None = None


class Serve(KratosModel):
    public: ServePublic
    admin: ServeAdmin = ServeAdmin()


# --- selfservice -------------------------------------------------------------------------


class Hook(KratosModel):
    hook: Literal[
        "session", "show_verification_ui", "require_verified_address", "revoke_active_sessions"
    ]


class AfterMethod(KratosModel):
    default_browser_return_url: str | None = None
    hooks: tuple[Hook, ...] | None = None


class AfterRegistration(KratosModel):
    default_browser_return_url: str | None = None
    password: AfterMethod | None = None
    code: AfterMethod | None = None
    webauthn: AfterMethod | None = None
    passkey: AfterMethod | None = None
    oidc: AfterMethod | None = None


class AfterLogin(KratosModel):
    default_browser_return_url: str | None = None
    hooks: tuple[Hook, ...] | None = None


class AfterDefault(KratosModel):
    default_browser_return_url: str | None = None


class LoginFlow(KratosModel):
    ui_url: str
    lifespan: Duration = "1h"
    style: Literal["unified", "identifier_first"] | None = None
    after: AfterLogin | None = None


class RegistrationFlow(KratosModel):
    enabled: bool = True
    ui_url: str
    lifespan: Duration = "1h"
    login_hints: bool = False
    enable_legacy_one_step: bool = False
    after: AfterRegistration | None = None


class VerificationFlow(KratosModel):
    enabled: bool = False
    ui_url: str
    use: Literal["code", "link"] = "code"
    lifespan: Duration = "1h"
    after: AfterDefault | None = None


class RecoveryFlow(KratosModel):
    enabled: bool = False
    ui_url: str
    use: Literal["code", "link"] = "code"
    lifespan: Duration = "1h"
    after: AfterDefault | None = None


class SettingsFlow(KratosModel):
    ui_url: str
    lifespan: Duration = "1h"
    privileged_session_max_age: Duration = "15m"
    required_aal: Literal["aal1", "highest_available"] = "highest_available"


class LogoutAfter(KratosModel):
    default_browser_return_url: str


class LogoutFlow(KratosModel):
    after: LogoutAfter


class ErrorFlow(KratosModel):
    ui_url: str


class Flows(KratosModel):
    login: LoginFlow
    registration: RegistrationFlow
    verification: VerificationFlow
    recovery: RecoveryFlow
    settings: SettingsFlow
    logout: LogoutFlow
    error: ErrorFlow


class PasswordConfig(KratosModel):
    haveibeenpwned_enabled: bool = True
    min_password_length: int = 8
    identifier_similarity_check_enabled: bool = True


class PasswordMethod(KratosModel):
    enabled: bool
    config: PasswordConfig = PasswordConfig()


class CodeConfig(KratosModel):
    lifespan: Duration = "15m"


class CodeMethod(KratosModel):
    enabled: bool
    passwordless_enabled: bool = False
    config: CodeConfig = CodeConfig()


class LinkConfig(KratosModel):
    lifespan: Duration = "1h"
    base_url: str | None = None


class LinkMethod(KratosModel):
    enabled: bool
    config: LinkConfig = LinkConfig()


class Toggle(KratosModel):
    enabled: bool


class TotpConfig(KratosModel):
    issuer: str


class TotpMethod(KratosModel):
    enabled: bool
    config: TotpConfig


class RelyingParty(KratosModel):
    id: str
    display_name: str
    origins: tuple[str, ...]


class WebauthnConfig(KratosModel):
    passwordless: bool = False
    rp: RelyingParty


class WebauthnMethod(KratosModel):
    enabled: bool
    config: WebauthnConfig | None = None


class PasskeyConfig(KratosModel):
    rp: RelyingParty


class PasskeyMethod(KratosModel):
    enabled: bool
    config: PasskeyConfig | None = None


class OidcProviderConfig(KratosModel):
    """One provider; its client_secret is injected from env, never rendered here."""

    id: str
    provider: str
    client_id: str
    mapper_url: str
    issuer_url: str | None = None
    scope: tuple[str, ...] = ()
    label: str | None = None


class OidcConfig(KratosModel):
    providers: tuple[OidcProviderConfig, ...] = ()


class OidcMethod(KratosModel):
    enabled: bool
    config: OidcConfig = OidcConfig()


class Methods(KratosModel):
    password: PasswordMethod
    code: CodeMethod
    link: LinkMethod
    profile: Toggle = Toggle(enabled=True)
    totp: TotpMethod
    lookup_secret: Toggle
    webauthn: WebauthnMethod
    passkey: PasskeyMethod
    oidc: OidcMethod


class Selfservice(KratosModel):
    default_browser_return_url: str
    allowed_return_urls: tuple[str, ...]
    flows: Flows
    methods: Methods


# --- everything else ---------------------------------------------------------------------


class SessionCookie(KratosModel):
    domain: str | None = None
    same_site: SameSite = "Lax"
    persistent: bool = True
    path: str = "/"


class Session(KratosModel):
    lifespan: Duration = "24h"
    cookie: SessionCookie = SessionCookie()


class Cookies(KratosModel):
    domain: str | None = None
    same_site: SameSite = "Lax"
    path: str = "/"


class SmtpSender(KratosModel):
    from_address: str | None = None
    from_name: str | None = None


class CourierWorker(KratosModel):
    pull_wait: Duration = "1s"


class Courier(KratosModel):
    smtp: SmtpSender = SmtpSender()
    # Kratos abandons a message once it has failed more than this many times.
    message_retries: int = Field(5, ge=0)
    worker: CourierWorker = CourierWorker()
    templates: dict[str, Any] | None = None  # kratos_config/mail_templates.py


class Bcrypt(KratosModel):
    cost: int = Field(12, ge=4, le=31)


class Hashers(KratosModel):
    algorithm: Literal["bcrypt", "argon2"] = "bcrypt"
    bcrypt: Bcrypt = Bcrypt()


class Ciphers(KratosModel):
    algorithm: Literal["noop", "aes", "xchacha20-poly1305"] = "xchacha20-poly1305"


class Log(KratosModel):
    level: Literal["trace", "debug", "info", "warning", "error", "fatal", "panic"] = "info"
    format: Literal["json", "text"] = "json"
    leak_sensitive_values: bool = False


class IdentitySchemaRef(KratosModel):
    id: str
    url: str


class Identity(KratosModel):
    default_schema_id: str
    schemas: tuple[IdentitySchemaRef, ...]


class KratosConfig(KratosModel):
    """The whole managed config file; `extra` is the escape hatch, deep-merged last."""

    version: str = KRATOS_VERSION
    dev: bool = False
    serve: Serve
    selfservice: Selfservice
    identity: Identity
    session: Session
    cookies: Cookies
    courier: Courier
    hashers: Hashers
    ciphers: Ciphers
    log: Log
    extra: dict[str, Any] = Field(default_factory=dict, exclude=True)
