"""Kratos's secrets for one run: random every start, handed over as env vars only.

Nothing here is written to disk, so sessions do not outlive a restart; identities do.
"""

from __future__ import annotations

import secrets

from kratos_config.secrets_env import CORE_SECRETS

CIPHER_LENGTH = 32  # xchacha20-poly1305 and aes both need exactly 32 characters


def generate_secrets() -> dict[str, str]:
    """SECRETS_COOKIE_0, SECRETS_CIPHER_0 and SECRETS_DEFAULT_0 with fresh random values."""
    values = {
        "SECRETS_COOKIE_0": secrets.token_urlsafe(32),
        "SECRETS_CIPHER_0": secrets.token_hex(CIPHER_LENGTH // 2),
        "SECRETS_DEFAULT_0": secrets.token_urlsafe(32),
    }
    known = {secret.env for secret in CORE_SECRETS}
    assert set(values) <= known, "secret names drifted from kratos_config.secrets_env"
    return values


def smtp_connection_uri(host: str, port: int) -> str:
    # The local mail sink speaks plain SMTP on loopback; Kratos insists on StartTLS otherwise.
    return f"smtp://{host}:{port}/?disable_starttls=true"
