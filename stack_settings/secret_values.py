"""Recognise values that are secrets, so they are refused and never echoed back.

The stack file holds the *names* of remote keys (`dsnKey`, `clientSecretKey`), never the secrets
themselves; a key that sounds like a secret, or a URL carrying a password, is a secret in plain
text.
"""

from __future__ import annotations

import re

# A key names a secret when its last word is a secret noun: `clientSecret`, `api_token`, `dsn`;
# `min_password_length` or `cookieSecretKey` describe or name a secret, they are not one.
SECRET_WORDS = frozenset(
    {"secret", "secrets", "token", "password", "passwd", "pwd", "dsn", "credential", "apikey"}
)
SECRET_PAIRS = frozenset({("api", "key"), ("private", "key"), ("connection", "uri")})
# `user:password@` inside a URL, e.g. postgres://kratos:hunter2@db/kratos.
URL_CREDENTIALS = re.compile(r"([a-z][a-z0-9+.-]*://)[^/@\s]*:[^/@\s]*@", re.IGNORECASE)


def _words(name: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)]


def names_a_secret(key: str) -> bool:
    """True for `clientSecret` or `api_token`; false for `dsnKey` or `min_password_length`."""
    words = _words(key.rsplit(":", 1)[-1].rsplit(".", 1)[-1].split("[", 1)[0])
    return bool(words) and (words[-1] in SECRET_WORDS or tuple(words[-2:]) in SECRET_PAIRS)


def is_switch(value: object) -> bool:
    """true/false (Pulumi hands them over as text) or empty: never a secret."""
    return value is None or isinstance(value, bool) or str(value).lower() in ("", "true", "false")


def carries_credentials(value: object) -> bool:
    return isinstance(value, str) and URL_CREDENTIALS.search(value) is not None


def _contains_secret(value: object) -> bool:
    if isinstance(value, dict):
        return any(
            (names_a_secret(str(k)) and isinstance(v, str) and v != "") or _contains_secret(v)
            for k, v in value.items()
        )
    if isinstance(value, (list, tuple)):
        return any(_contains_secret(item) for item in value)
    return carries_credentials(value)


def redacted(key: str, value: object) -> object:
    """The value as it may be shown: secrets become a placeholder that says what was hidden."""
    if isinstance(value, str) and carries_credentials(value):
        return URL_CREDENTIALS.sub(r"\1***:***@", value)
    if not is_switch(value) and (names_a_secret(key) or _contains_secret(value)):
        return RedactedValue(value)
    return value


class RedactedValue:
    """Stands in for a secret in messages: its kind and length, never its characters."""

    def __init__(self, value: object) -> None:
        if isinstance(value, str):
            self.description = f"{len(value)} characters"
        else:
            self.description = "a mapping" if isinstance(value, dict) else "a structured value"

    def __repr__(self) -> str:
        return f"<redacted secret, {self.description}>"
