"""Shared fixtures: real local stacks (Kratos, SMTP sink, UI server) on free loopback ports.

Every stack is session-scoped and starts only when a test asks for it. `local_stack` is the
one everybody uses (sqlite, real UI build); the others change one thing each.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from local_stack import LocalStack
from tests.e2e.fake_oidc import CLIENT_ID, CLIENT_SECRET, PROVIDER_ID, FakeOidcProvider
from tests.support.profiles import generic_oidc


def _run_stack(
    state_dir: Path, *, overrides: Mapping[str, Any] | None = None, **options: Any
) -> Iterator[LocalStack]:
    with LocalStack(state_dir, overrides=overrides, **options) as stack:
        yield stack


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """The local stack as `make local` runs it: sqlite, the built UI, default settings."""
    yield from _run_stack(tmp_path_factory.mktemp("local-stack"))


@pytest.fixture(scope="session")
def postgres_local_stack() -> Iterator[LocalStack]:
    """The same stack on a private PostgreSQL server (what production runs on)."""
    # Not under pytest's private 0700 temp root: PostgreSQL runs as the postgres user when we
    # are root, and must be able to enter the folder holding its data.
    state_dir = Path(tempfile.mkdtemp(prefix="local-stack-pg-"))
    state_dir.chmod(0o755)
    try:
        yield from _run_stack(state_dir, postgres=True, site_dir=None)
    finally:
        shutil.rmtree(state_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def stale_session_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """Sessions are never privileged: every sensitive settings change demands re-login."""
    yield from _run_stack(
        tmp_path_factory.mktemp("stale-session-stack"),
        overrides={"privilegedSessionMaxAge": "1ms"},
        site_dir=None,
    )


@pytest.fixture(scope="session")
def expired_flow_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """Every self-service flow has expired by the time it is submitted."""
    yield from _run_stack(
        tmp_path_factory.mktemp("expired-flow-stack"),
        overrides={"flowLifespan": "1ms"},
        site_dir=None,
    )


@pytest.fixture(scope="session")
def fake_oidc() -> Iterator[FakeOidcProvider]:
    """A stand-in OpenID provider on loopback."""
    with FakeOidcProvider() as provider:
        yield provider


@pytest.fixture(scope="session")
def oidc_local_stack(
    tmp_path_factory: pytest.TempPathFactory, fake_oidc: FakeOidcProvider
) -> Iterator[LocalStack]:
    """The local stack with the fake provider as its one social sign-in."""
    yield from _run_stack(
        tmp_path_factory.mktemp("oidc-stack"),
        overrides=generic_oidc(fake_oidc.issuer, CLIENT_ID, PROVIDER_ID),
        oidc_client_secrets={PROVIDER_ID: CLIENT_SECRET},
    )
