"""Kratos's secrets for one run: random every start, handed over as env vars only.

Nothing here is written to disk, so sessions do not outlive a restart; identities do.
"""

from __future__ import annotations

import secrets

from kratos_config.secrets_env import CIPHER_SECRET, COOKIE_SECRET, DEFAULT_SECRET


def generate_secrets() -> dict[str, str]:
    """The cookie, cipher and default secrets with fresh random values."""
    return {
        COOKIE_SECRET.env: secrets.token_urlsafe(32),
        CIPHER_SECRET.env: secrets.token_hex(CIPHER_SECRET.min_length // 2),
        DEFAULT_SECRET.env: secrets.token_urlsafe(32),
    }


def smtp_connection_uri(host: str, port: int) -> str:
    # The local mail sink speaks plain SMTP on loopback; Kratos insists on StartTLS otherwise.
    return f"smtp://{host}:{port}/?disable_starttls=true"
