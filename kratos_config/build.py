"""Settings in, Kratos config and identity schemas out: a pure function, no I/O."""

from __future__ import annotations

import base64
import copy
import math
from dataclasses import dataclass
from typing import Any

from kratos_config import models as m
from kratos_config.identity import build_identity_schema, schema_file_name
from kratos_config.mail_templates import mail_templates
from stack_settings.durations import duration_seconds
from stack_settings.model import COURIER_PULL_WAIT, StackSettings

# Maps an OIDC provider's verified email claim onto the email trait when no mapper is given.
DEFAULT_OIDC_MAPPER = """local claims = std.extVar('claims');
{
  identity: {
    traits: {
      [if 'email' in claims && claims.email_verified then 'email' else null]: claims.email,
    },
  },
}
"""


@dataclass(frozen=True)
class RenderedKratos:
    """What Kratos needs on disk: the config and one JSON schema per identity schema."""

    config: dict[str, Any]
    schemas: dict[str, dict[str, Any]]  # file name -> schema


def _mapper_url(mapper_url: str | None) -> str:
    if mapper_url:
        return mapper_url
    return "base64://" + base64.b64encode(DEFAULT_OIDC_MAPPER.encode()).decode()


def _flows(s: StackSettings) -> m.Flows:
    lifespan = s.flow_lifespan
    after_registration = m.AfterMethod(
        hooks=(m.Hook(hook="session"), m.Hook(hook="show_verification_ui"))
        if s.flows.verification
        else (m.Hook(hook="session"),)
    )
    return m.Flows(
        login=m.LoginFlow(ui_url=s.ui_url("login"), lifespan=lifespan),
        registration=m.RegistrationFlow(
            enabled=s.flows.registration,
            ui_url=s.ui_url("registration"),
            lifespan=lifespan,
            login_hints=s.flows.login_hints,
            after=m.AfterRegistration(
                password=after_registration,
                code=after_registration,
                webauthn=after_registration,
                passkey=after_registration,
                oidc=m.AfterMethod(hooks=(m.Hook(hook="session"),)),
            ),
        ),
        verification=m.VerificationFlow(
            enabled=s.flows.verification,
            ui_url=s.ui_url("verification"),
            use=s.flows.verification_method,
            lifespan=lifespan,
            after=m.AfterDefault(default_browser_return_url=s.ui_url("")),
        ),
        recovery=m.RecoveryFlow(
            enabled=s.flows.recovery,
            ui_url=s.ui_url("recovery"),
            use=s.flows.recovery_method,
            lifespan=lifespan,
        ),
        settings=m.SettingsFlow(
            ui_url=s.ui_url("settings"),
            lifespan=lifespan,
            privileged_session_max_age=s.privileged_session_max_age,
        ),
        logout=m.LogoutFlow(after=m.LogoutAfter(default_browser_return_url=s.ui_url("login"))),
        error=m.ErrorFlow(ui_url=s.ui_url("error")),
    )


def _methods(s: StackSettings) -> m.Methods:
    rp_id = s.resolved_cookie_domain or s.domain
    relying_party = m.RelyingParty(id=rp_id, display_name=rp_id, origins=(s.ui_origin,))
    uses_code = (
        s.methods.code
        or (s.flows.verification and s.flows.verification_method == "code")
        or (s.flows.recovery and s.flows.recovery_method == "code")
    )
    uses_link = (s.flows.verification and s.flows.verification_method == "link") or (
        s.flows.recovery and s.flows.recovery_method == "link"
    )
    return m.Methods(
        password=m.PasswordMethod(
            enabled=s.methods.password,
            config=m.PasswordConfig(haveibeenpwned_enabled=s.password_breach_check),
        ),
        code=m.CodeMethod(enabled=uses_code, passwordless_enabled=s.methods.code),
        link=m.LinkMethod(enabled=uses_link),
        totp=m.TotpMethod(enabled=s.methods.totp, config=m.TotpConfig(issuer=rp_id)),
        lookup_secret=m.Toggle(enabled=s.methods.lookup_secret),
        webauthn=m.WebauthnMethod(
            enabled=s.methods.webauthn,
            config=m.WebauthnConfig(rp=relying_party) if s.methods.webauthn else None,
        ),
        passkey=m.PasskeyMethod(
            enabled=s.methods.passkey,
            config=m.PasskeyConfig(rp=relying_party) if s.methods.passkey else None,
        ),
        oidc=m.OidcMethod(
            enabled=bool(s.oidc),
            config=m.OidcConfig(
                providers=tuple(
                    m.OidcProviderConfig(
                        id=p.id,
                        provider=p.provider,
                        client_id=p.client_id,
                        issuer_url=p.issuer_url,
                        scope=p.scope,
                        mapper_url=_mapper_url(p.mapper_url),
                    )
                    for p in s.oidc
                )
            ),
        ),
    )


def courier_message_retries(retry_window: str, pull_wait: str = COURIER_PULL_WAIT) -> int:
    """Retries that keep a failing mail queued for at least retry_window.

    Kratos v1.3.1's courier tries each queued message once per pull_wait and abandons it when
    it has failed more than message_retries times, so the attempts span retries x pull_wait.
    """
    return math.ceil(duration_seconds(retry_window) / duration_seconds(pull_wait))


def _courier(s: StackSettings) -> m.Courier:
    return m.Courier(
        smtp=m.SmtpSender(from_address=s.courier.from_address, from_name=s.courier.from_name),
        message_retries=courier_message_retries(s.courier.retry_window),
        worker=m.CourierWorker(pull_wait=COURIER_PULL_WAIT),
        templates=mail_templates(s.brand.product_name, by_language=s.courier.language_trait),
    )


def build_config(
    s: StackSettings, schema_base_url: str, admin_base_url: str | None = None
) -> m.KratosConfig:
    """The typed Kratos config for a stack; schema URLs are `<schema_base_url><file name>`."""
    return m.KratosConfig(
        dev=s.dev_mode,
        serve=m.Serve(
            public=m.ServePublic(
                base_url=s.kratos_public_url,
                cors=m.Cors(allowed_origins=(s.ui_origin,)),
            ),
            admin=m.ServeAdmin(base_url=admin_base_url),
        ),
        selfservice=m.Selfservice(
            default_browser_return_url=s.ui_url(""),
            allowed_return_urls=(s.ui_origin, *s.extra_return_urls),
            flows=_flows(s),
            methods=_methods(s),
        ),
        identity=m.Identity(
            default_schema_id=s.resolved_default_schema,
            schemas=tuple(
                m.IdentitySchemaRef(id=i.id, url=schema_base_url + schema_file_name(i.id))
                for i in s.identity_schemas
            ),
        ),
        session=m.Session(
            lifespan=s.session_lifespan,
            cookie=m.SessionCookie(domain=s.resolved_cookie_domain, same_site=s.same_site),
        ),
        cookies=m.Cookies(domain=s.resolved_cookie_domain, same_site=s.same_site),
        courier=_courier(s),
        hashers=m.Hashers(bcrypt=m.Bcrypt(cost=s.resolved_bcrypt_cost)),
        ciphers=m.Ciphers(algorithm=s.cipher_algorithm),
        log=m.Log(
            level=s.log_level,
            format=s.log_format,
            leak_sensitive_values=s.leak_sensitive_values,
        ),
        extra=s.kratos_config_overrides,
    )


def deep_merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Overlay wins; nested mappings merge, everything else is replaced."""
    merged = copy.deepcopy(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def render(
    s: StackSettings, schema_base_url: str, admin_base_url: str | None = None
) -> RenderedKratos:
    """Plain dicts for the config file and the identity schema files."""
    config = build_config(s, schema_base_url, admin_base_url)
    schemas = {
        schema_file_name(spec.id): build_identity_schema(
            spec,
            s.methods,
            schema_base_url + schema_file_name(spec.id),
            with_language=s.courier.language_trait,
        )
        for spec in s.identity_schemas
    }
    return RenderedKratos(config=deep_merge(config.to_dict(), config.extra), schemas=schemas)
