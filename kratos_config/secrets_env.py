"""Environment variables through which Kratos receives its secrets.

Kratos maps env names onto config paths (SECRETS_COOKIE_0 -> secrets.cookie[0]), so the
secrets never appear in a rendered file. The ExternalSecret and the local runner both read
these names from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from stack_settings.model import SecretStoreSettings, StackSettings


@dataclass(frozen=True)
class SecretEnv:
    """One secret Kratos needs: its env name and the settings field naming its remote key.

    A rotatable secret is a list in Kratos (index 0 signs or encrypts, later ones only verify
    or decrypt); previous_keys_field names the settings field listing the earlier remote keys.
    """

    env: str
    remote_key_field: str
    min_length: int = 16
    previous_keys_field: str | None = None

    def env_at(self, index: int) -> str:
        """Env name of the index-th value of a rotatable secret (0 is the current one)."""
        if self.previous_keys_field is None:
            raise ValueError(f"{self.env} is a single value, not a rotatable list")
        return f"{self.env.removesuffix('_0')}_{index}"


DSN_SECRET = SecretEnv("DSN", "dsn_key", min_length=1)
COOKIE_SECRET = SecretEnv(
    "SECRETS_COOKIE_0", "cookie_secret_key", previous_keys_field="previous_cookie_secret_keys"
)
# xchacha20-poly1305 and aes both need exactly 32 characters.
CIPHER_SECRET = SecretEnv(
    "SECRETS_CIPHER_0",
    "cipher_secret_key",
    min_length=32,
    previous_keys_field="previous_cipher_secret_keys",
)
DEFAULT_SECRET = SecretEnv(
    "SECRETS_DEFAULT_0", "default_secret_key", previous_keys_field="previous_default_secret_keys"
)
SMTP_URI_SECRET = SecretEnv("COURIER_SMTP_CONNECTION_URI", "smtp_connection_uri_key", min_length=1)
CORE_SECRETS = (DSN_SECRET, COOKIE_SECRET, CIPHER_SECRET, DEFAULT_SECRET, SMTP_URI_SECRET)


def oidc_client_secret_env(index: int) -> str:
    """Env name of the client secret of the index-th OIDC provider in the rendered list."""
    return f"SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS_{index}_CLIENT_SECRET"


def store_env_keys(store: SecretStoreSettings) -> list[tuple[str, str]]:
    """(env name, remote key) for every core secret, current values before previous ones."""
    pairs = []
    for secret in CORE_SECRETS:
        pairs.append((secret.env, getattr(store, secret.remote_key_field)))
        if secret.previous_keys_field is not None:
            previous = getattr(store, secret.previous_keys_field)
            pairs += [(secret.env_at(i), key) for i, key in enumerate(previous, start=1)]
    return pairs


def secret_env_names(settings: StackSettings) -> list[str]:
    """Every env name a deployment of these settings must provide, in a stable order."""
    if settings.secret_store is not None:
        names = [env for env, _ in store_env_keys(settings.secret_store)]
    else:
        names = [secret.env for secret in CORE_SECRETS]
    names += [oidc_client_secret_env(i) for i in range(len(settings.oidc))]
    return names
