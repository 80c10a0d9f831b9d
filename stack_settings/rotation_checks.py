"""Checks on the day-two settings: secret rotation lists and the courier's retry window."""

from __future__ import annotations

from collections.abc import Iterator

from stack_settings.durations import duration_seconds
from stack_settings.errors import Problem
from stack_settings.model import CONFIG_NAMESPACE, COURIER_PULL_WAIT, StackSettings

NS = CONFIG_NAMESPACE
# (current remote key field, previous remote keys field), as camelCase stack-file keys.
ROTATED_KEYS = (
    ("cookieSecretKey", "previousCookieSecretKeys"),
    ("cipherSecretKey", "previousCipherSecretKeys"),
    ("defaultSecretKey", "previousDefaultSecretKeys"),
)


def check_secret_rotation(s: StackSettings) -> Iterator[Problem]:
    """A previous key that repeats the current one or another previous one is a slip in a
    rotation: Kratos would get the same value twice and the old one might already be gone."""
    store = s.secret_store
    if store is None:
        return
    fields = store.model_dump(by_alias=True)
    for current_key, previous_key in ROTATED_KEYS:
        current, previous = fields[current_key], list(fields[previous_key])
        seen: set[str] = set()
        for index, key in enumerate(previous):
            if key == current:
                yield Problem(
                    f"{NS}:secretStore.{previous_key}[{index}]",
                    key,
                    f"is also secretStore.{current_key}, the current key",
                    f"list only earlier keys in secretStore.{previous_key}; when rotating, put "
                    f"the new remote key in secretStore.{current_key} and the old one here",
                )
            elif key in seen:
                yield Problem(
                    f"{NS}:secretStore.{previous_key}[{index}]",
                    key,
                    "is listed twice",
                    f"keep one entry for it in secretStore.{previous_key}",
                )
            seen.add(key)


def check_retry_window(s: StackSettings) -> Iterator[Problem]:
    """Below one pull interval Kratos abandons a mail at its first failed attempt."""
    window = s.courier.retry_window
    if duration_seconds(window) < duration_seconds(COURIER_PULL_WAIT):
        yield Problem(
            f"{NS}:courier.retryWindow",
            window,
            f"shorter than the courier's {COURIER_PULL_WAIT} pull interval, so a mail is "
            "abandoned at its first failed attempt",
            "use at least 15m so a mail outlives an SMTP outage (default 20m)",
        )
