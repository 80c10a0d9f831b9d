"""Local-stack setting overrides shared by the fixture recorder and the browser tests."""

from __future__ import annotations

from typing import Any

from stack_settings.local import local_settings

# localhost is a secure context and a valid WebAuthn relying party id; 127.0.0.1 is neither.
LOCALHOST = {"domain": "localhost", "uiHost": "localhost", "kratosHost": "localhost"}


def with_methods(**enabled: bool) -> dict[str, Any]:
    """The local profile's credential methods, some switched on or off."""
    methods = local_settings().methods.model_dump(mode="json", by_alias=True)
    methods.update(enabled)
    return {"methods": methods}


def passkeys_on_localhost() -> dict[str, Any]:
    """The local profile on localhost with security keys and passkeys on."""
    return {**LOCALHOST, **with_methods(webauthn=True, passkey=True)}


def generic_oidc(issuer: str, client_id: str, provider_id: str = "fake") -> dict[str, Any]:
    """One generic OpenID provider (its client secret is handed to LocalStack separately)."""
    provider = {
        "id": provider_id,
        "provider": "generic",
        "clientId": client_id,
        "clientSecretKey": "unused/remote-key",
        "issuerUrl": issuer,
    }
    return {"oidc": [provider]}


def with_language_trait() -> dict[str, Any]:
    """The local profile with the identity's language trait on (mails in the user's language)."""
    courier = local_settings().courier.model_dump(mode="json", by_alias=True)
    return {"courier": {**courier, "languageTrait": True}}
