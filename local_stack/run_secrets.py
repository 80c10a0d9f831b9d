"""Kratos's secrets for one run: random every start unless given, handed over as env vars only.

Nothing here is written to disk, so sessions do not outlive a restart with fresh secrets;
identities do. Given secrets (rotation tests) stay in memory too.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping

from kratos_config.secrets_env import (
    CIPHER_SECRET,
    COOKIE_SECRET,
    CORE_SECRETS,
    DEFAULT_SECRET,
    SecretEnv,
)
from local_stack.errors import LocalStackError

ROTATABLE_SECRETS = tuple(s for s in CORE_SECRETS if s.previous_keys_field is not None)


def generate_secrets() -> dict[str, str]:
    """The cookie, cipher and default secrets with fresh random values."""
    return {
        COOKIE_SECRET.env: secrets.token_urlsafe(32),
        CIPHER_SECRET.env: secrets.token_hex(CIPHER_SECRET.min_length // 2),
        DEFAULT_SECRET.env: secrets.token_urlsafe(32),
    }


def with_rotation(base: Mapping[str, str], secret: SecretEnv, *values: str) -> dict[str, str]:
    """base with `secret` replaced by the list `values` (the current one first), e.g. a cookie
    rotation: with_rotation(base, COOKIE_SECRET, new, old)."""
    prefix = secret.env_at(0).removesuffix("0")
    kept = {name: value for name, value in base.items() if not name.startswith(prefix)}
    return {**kept, **{secret.env_at(i): value for i, value in enumerate(values)}}


def checked_secrets(given: Mapping[str, str]) -> dict[str, str]:
    """Given secrets by env name (SECRETS_COOKIE_0, SECRETS_COOKIE_1, ...), refused when a name
    is not a rotatable Kratos secret or a current (index 0) value is missing."""
    names = "|".join(re.escape(s.env.removesuffix("_0")) for s in ROTATABLE_SECRETS)
    pattern = re.compile(rf"^(?:{names})_[0-9]+$")
    for name in given:
        if not pattern.match(name):
            raise LocalStackError(
                f"secrets: {name!r} is not a Kratos secret env name; use "
                + ", ".join(f"{s.env.removesuffix('_0')}_<i>" for s in ROTATABLE_SECRETS)
            )
    for secret in ROTATABLE_SECRETS:
        if not given.get(secret.env):
            raise LocalStackError(
                f"secrets: {secret.env} (the current value) is missing; give it first"
            )
    return dict(given)


def smtp_connection_uri(host: str, port: int) -> str:
    # The local mail sink speaks plain SMTP on loopback; Kratos insists on StartTLS otherwise.
    return f"smtp://{host}:{port}/?disable_starttls=true"
