"""Checks on the stack file's raw keys and values, before they are typed.

These catch what typing would hide: a key under a misspelt namespace is never read, a secret
written in plain text must not be echoed, and `{{` would be run as Helm template code.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from typing import Any

from stack_settings.errors import Problem
from stack_settings.model import CONFIG_NAMESPACE
from stack_settings.secret_values import carries_credentials, is_switch, names_a_secret

NS = CONFIG_NAMESPACE
# Namespaces the program or its providers read; anything else close to ours is a typo.
OTHER_NAMESPACES = ("cloudflare", "kubernetes", "pulumi")
TEMPLATE_OPENER = "{{"


def _normalised(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def check_namespaces(config: Mapping[str, Any]) -> Iterator[Problem]:
    """`kratos_auth:uiHost` or `kratosauth:uiHost` is silently ignored by Pulumi: say so."""
    for key, value in config.items():
        namespace, sep, name = key.partition(":")
        if namespace == NS or namespace in OTHER_NAMESPACES:
            continue
        close = _normalised(namespace) == _normalised(NS) or difflib.get_close_matches(
            namespace, [NS], n=1, cutoff=0.75
        )
        if close or not sep:
            shown = name if sep else key
            yield Problem(
                key,
                value,
                f"the namespace '{namespace}' is not read by this program, so the setting "
                "would be ignored"
                if sep
                else "a key without a namespace is not read by this program",
                f"write it as {NS}:{shown}",
            )


def leaves(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair under a setting, keys written as the user reads them."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path + "." + str(key), item
            yield from leaves(item, path + "." + str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield f"{path}[{index}]", item
            yield from leaves(item, f"{path}[{index}]")


def _all_values(config: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    for key, value in config.items():
        if key.startswith(NS + ":"):
            yield key, value
            yield from leaves(value, key)


def check_plain_secrets(config: Mapping[str, Any]) -> Iterator[Problem]:
    """A secret in the stack file ends up in git and in Helm values; refuse it unread."""
    for key, value in _all_values(config):
        # Secrets are text (or digits); a switch such as methods.password is not one.
        if isinstance(value, (str, int)) and not is_switch(value) and names_a_secret(key):
            yield Problem(
                key,
                value,
                "this looks like a secret written in plain text in the stack file",
                "store it in your secret store and set the remote key's name instead "
                f"(e.g. {NS}:oidc[].clientSecretKey or {NS}:secretStore.*Key)",
            )
        elif carries_credentials(value):
            yield Problem(
                key,
                value,
                "this URL carries a user name and password",
                "remove the credentials from the URL; secrets live in the secret store",
            )


def check_template_code(config: Mapping[str, Any]) -> Iterator[Problem]:
    """The chart runs Helm's `tpl` over the Kratos config and identity schemas."""
    for key, value in _all_values(config):
        # toYaml renders keys too: a key with '{{' is template code as well (named at its leaves).
        in_key = TEMPLATE_OPENER in key and not isinstance(value, (dict, list))
        if (isinstance(value, str) and TEMPLATE_OPENER in value) or in_key:
            yield Problem(
                key,
                value,
                "the chart passes the Kratos config through Helm's template engine, so '{{' "
                "would run as template code instead of reaching Kratos",
                "remove the '{{' from the value (a courier template body goes in as a "
                "base64:// or file:// URL, which Helm leaves alone)",
            )


def raw_problems(config: Mapping[str, Any]) -> list[Problem]:
    problems = [
        *check_namespaces(config),
        *check_plain_secrets(config),
        *check_template_code(config),
    ]
    return problems
