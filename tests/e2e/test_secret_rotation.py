"""Rotating the cookie secret keeps users signed in; dropping the old one ends their sessions.

Kratos signs session cookies with secrets.cookie[0] and accepts any listed secret, so the
runbook (README: Secret rotation) adds the new secret first, keeps the old one second until
every session it signed has expired, then drops it. Kratos is restarted with each new list on
the same database, as the cluster rolls its pods when the Secret changes.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from kratos_config.secrets_env import COOKIE_SECRET
from local_stack import LocalStack
from local_stack.run_secrets import generate_secrets, with_rotation
from tests.e2e.kratos_api import Browser, unique_email

pytestmark = pytest.mark.e2e

OLD_COOKIE = secrets.token_urlsafe(32)
NEW_COOKIE = secrets.token_urlsafe(32)
BASE = generate_secrets()


def cookie_secrets(*values: str) -> dict[str, str]:
    """SECRETS_COOKIE_0 (signs), _1, ... (still verify), the other secrets unchanged."""
    return with_rotation(BASE, COOKIE_SECRET, *values)


@pytest.fixture(scope="module")
def rotation_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    with LocalStack(
        tmp_path_factory.mktemp("rotation-stack"), secrets=cookie_secrets(OLD_COOKIE), site_dir=None
    ) as stack:
        yield stack


def signed_in(stack: LocalStack, label: str) -> Browser:
    browser = Browser(stack)
    browser.register(unique_email(label))
    assert browser.whoami().status_code == 200
    return browser


def test_sessions_survive_a_cookie_rotation_until_the_old_secret_is_dropped(
    rotation_stack: LocalStack,
) -> None:
    with signed_in(rotation_stack, "before-rotation") as before:
        old_session = before.whoami().json()["id"]

        # Step 1: the new secret signs, the old one still verifies.
        rotation_stack.restart_kratos(cookie_secrets(NEW_COOKIE, OLD_COOKIE))
        assert before.whoami().status_code == 200
        assert before.whoami().json()["id"] == old_session
        with signed_in(rotation_stack, "after-rotation") as after:
            # Step 2, after the session lifespan: the old secret goes.
            rotation_stack.restart_kratos(cookie_secrets(NEW_COOKIE))
            # The new session was signed with the new secret, so it outlives the old one ...
            assert after.whoami().status_code == 200
            # ... while the cookie only the old secret signed is refused.
            assert before.whoami().status_code == 401
