"""Environment variables through which Kratos receives its secrets.

Kratos maps env names onto config paths (SECRETS_COOKIE_0 -> secrets.cookie[0]), so the
secrets never appear in a rendered file. The ExternalSecret and the local runner both read
these names from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from stack_settings.model import StackSettings


@dataclass(frozen=True)
class SecretEnv:
    """One secret Kratos needs: its env name and the settings field naming its remote key."""

    env: str
    remote_key_field: str
    min_length: int = 16


DSN_SECRET = SecretEnv("DSN", "dsn_key", min_length=1)
COOKIE_SECRET = SecretEnv("SECRETS_COOKIE_0", "cookie_secret_key")
# xchacha20-poly1305 and aes both need exactly 32 characters.
CIPHER_SECRET = SecretEnv("SECRETS_CIPHER_0", "cipher_secret_key", min_length=32)
DEFAULT_SECRET = SecretEnv("SECRETS_DEFAULT_0", "default_secret_key")
SMTP_URI_SECRET = SecretEnv("COURIER_SMTP_CONNECTION_URI", "smtp_connection_uri_key", min_length=1)
CORE_SECRETS = (DSN_SECRET, COOKIE_SECRET, CIPHER_SECRET, DEFAULT_SECRET, SMTP_URI_SECRET)


def oidc_client_secret_env(index: int) -> str:
    """Env name of the client secret of the index-th OIDC provider in the rendered list."""
    return f"SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS_{index}_CLIENT_SECRET"


def secret_env_names(settings: StackSettings) -> list[str]:
    """Every env name a deployment of these settings must provide, in a stable order."""
    names = [secret.env for secret in CORE_SECRETS]
    names += [oidc_client_secret_env(i) for i in range(len(settings.oidc))]
    return names
