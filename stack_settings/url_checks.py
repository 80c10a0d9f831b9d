"""URL settings a browser or the cluster follows: return URLs, issuers, mappers, ACME.

Each is absolute, carries no credentials, is https outside local and dev, and names its host in
ASCII; return URLs also stay on the UI's site, as the Public Suffix List defines it.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from stack_settings.errors import Problem
from stack_settings.model import CONFIG_NAMESPACE, RELAXED_ENVIRONMENTS, StackSettings
from stack_settings.sites import is_public_suffix, same_site, site_of

NS = CONFIG_NAMESPACE


def _web_url_problem(s: StackSettings, url: str, example: str) -> tuple[str, str] | None:
    """Why a URL setting cannot be used from a browser or a cluster safely, and the fix."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not an absolute http(s) URL", f"write it with scheme and host, e.g. {example}"
    if parts.username is not None or parts.password is not None:
        return "a URL here must not carry a user name or password", "remove the part before '@'"
    if parts.scheme == "http" and s.environment not in RELAXED_ENVIRONMENTS:
        return f"plain http URLs are refused in {s.environment}", "use https"
    if not parts.hostname.isascii():
        try:
            ascii_host = parts.hostname.encode("idna").decode("ascii")
        except UnicodeError:
            return "this international host name is not a valid DNS name", "check its spelling"
        return (
            "international host names must be written in their ASCII (punycode) form",
            f"write the host as {ascii_host}",
        )
    return None


def _return_url_problem(s: StackSettings, url: str) -> tuple[str, str] | None:
    """Why Kratos must not redirect a browser to this URL after a flow, and the fix."""
    found = _web_url_problem(s, url, s.ui_url("after-login"))
    if found is not None:
        return found
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    ui_site = site_of(s.resolved_ui_host)
    base = host[2:] if host.startswith("*.") else host
    if "*" in base:
        return (
            "only a leading '*.' wildcard is understood, and only over a domain you own",
            f"write https://*.{ui_site}/ or list each host",
        )
    if host.startswith("*.") and is_public_suffix(base):
        return (
            f"*.{base} covers every site under the public suffix {base}, so a "
            "phishing site could receive the browser after login",
            f"narrow it to your own domain, e.g. https://*.{ui_site}/",
        )
    if not same_site(base, s.resolved_ui_host):
        return (
            f"{host} is not on the UI's site {ui_site}; Kratos would send users (and login "
            "state in the URL) to another site",
            f"use a URL under {ui_site}, e.g. {s.ui_url('')}",
        )
    return None


def check_return_urls(s: StackSettings) -> Iterator[Problem]:
    """Return URLs stay on the UI's site, over https in prod, without wildcards that widen."""
    for index, url in enumerate(s.extra_return_urls):
        found = _return_url_problem(s, url)
        if found is not None:
            yield Problem(f"{NS}:extraReturnUrls[{index}]", url, *found)


def check_urls(s: StackSettings) -> Iterator[Problem]:
    """Issuer, claims mapper and ACME directory URLs: absolute, https in prod, no credentials."""
    urls: list[tuple[str, str | None]] = []
    if s.tls and s.tls.acme:
        urls.append((f"{NS}:tls.acme.server", s.tls.acme.server))
    for index, provider in enumerate(s.oidc):
        urls.append((f"{NS}:oidc[{index}].issuerUrl", provider.issuer_url))
        # Kratos also reads mappers from files and inline base64; only web URLs are judged.
        if provider.mapper_url and provider.mapper_url.startswith(("http:", "https:")):
            urls.append((f"{NS}:oidc[{index}].mapperUrl", provider.mapper_url))
    for key, url in urls:
        found = _web_url_problem(s, url, "https://id.example.com") if url else None
        if found is not None:
            yield Problem(key, url, *found)
