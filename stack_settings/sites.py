"""What a browser counts as one site, decided by the Public Suffix List shipped offline.

Cookies can only be shared under a registrable domain (`example.co.uk`), never under a public
suffix (`co.uk`, `github.io`), and "same site" means "same registrable domain".
"""

from __future__ import annotations

from functools import cache

from publicsuffixlist import PublicSuffixList

from stack_settings.model import LOOPBACK, is_ip

# Names that are no site at all: the browser treats each loopback host as its own origin.
LOOPBACK_HOSTS = frozenset({"localhost", LOOPBACK, "::1"})


@cache
def _list() -> PublicSuffixList:
    # The package's bundled copy: no download, the same answer on every machine.
    return PublicSuffixList()


def is_public_suffix(host: str) -> bool:
    """True for `com`, `co.uk`, `github.io`: names browsers refuse to set cookies for."""
    if host in LOOPBACK_HOSTS or is_ip(host):
        return False
    return _list().privatesuffix(host) is None


def site_of(host: str) -> str:
    """The registrable domain a host belongs to (`example.co.uk` for `auth.eu.example.co.uk`)."""
    if host in LOOPBACK_HOSTS or is_ip(host):
        return host
    return _list().privatesuffix(host) or host


def same_site(first: str, second: str) -> bool:
    return site_of(first) == site_of(second)
