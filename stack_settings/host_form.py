"""A host field holds a bare host name: anything around it is named so the user can remove it.

Upper case is only spelling and is lowered; a scheme, path, port, user, trailing or leading dot
and non-ASCII letters change what the browser and Kratos see, so they are refused with the
exact value to write instead.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic_core import PydanticCustomError

# The error type the settings loader turns into a Problem with this reason and fix.
SETTINGS_ERROR = "settings_value"


def settings_error(reason: str, fix: str) -> PydanticCustomError:
    return PydanticCustomError(SETTINGS_ERROR, "{reason}", {"reason": reason, "fix": fix})


def _extras(text: str) -> tuple[str, list[str]]:
    """The bare host inside `text` and the parts around it that do not belong in a host field."""
    parts: list[str] = []
    if "://" in text:
        scheme, _, rest = text.partition("://")
        parts.append(f"the scheme '{scheme}://'")
        text = rest
    split = urlsplit("//" + text)
    if split.username is not None or split.password is not None:
        parts.append("the user part before '@'")
    rest = text.split("@", 1)[-1]
    for cut, name in (("/", "path"), ("?", "query"), ("#", "fragment")):
        if cut in rest:
            rest, _, tail = rest.partition(cut)
            parts.append(f"the {name} '{cut}{tail}'")
    host = rest
    if host.count(":") == 1:
        host, _, port = host.partition(":")
        parts.append(f"the port ':{port}'")
    if host.endswith(".") and host != ".":
        parts.append("the trailing dot")
        host = host.rstrip(".")
    if host.startswith("."):
        parts.append("the leading dot (cookie domains are written without it)")
        host = host.lstrip(".")
    return host, parts


def plain_host(value: object) -> object:
    """Lower-case a host and refuse anything that is not a bare ASCII host name."""
    if not isinstance(value, str):
        return value
    host, parts = _extras(value.strip())
    if parts:
        # A port has a home of its own; say where, so removing it loses nothing.
        has_port = any(part.startswith("the port") for part in parts)
        port_hint = " and set the port in uiPort or kratosPort" if has_port else ""
        raise settings_error(
            f"a host field holds only the host name, not {' or '.join(parts)}",
            f"remove {', '.join(parts)}: write {host.lower() or 'a host such as example.com'}"
            + port_hint,
        )
    if not host.isascii():
        try:
            ascii_form = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise settings_error(
                "this international name cannot be written as a DNS name",
                "check the spelling of each label",
            ) from None
        raise settings_error(
            "international host names must be written in their ASCII (punycode) form, "
            "which is what DNS, TLS and cookies use",
            f"write {ascii_form}",
        )
    return host.lower()
