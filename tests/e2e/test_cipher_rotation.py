"""Rotating the cipher secret keeps stored OIDC tokens readable until the old secret is dropped.

Kratos v1.3.1 encrypts a social sign-in's tokens with secrets.cipher[0] and decrypts with any
listed secret; the admin API decrypts them for `include_credential=oidc`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from kratos_config.secrets_env import CIPHER_SECRET
from local_stack import LocalStack
from local_stack.run_secrets import generate_secrets, with_rotation
from tests.e2e.fake_oidc import CLIENT_ID, CLIENT_SECRET, PROVIDER_ID, FakeOidcProvider
from tests.e2e.kratos_api import Browser, error_id, unique_email
from tests.support.profiles import generic_oidc

pytestmark = pytest.mark.e2e

START = generate_secrets()
OLD_CIPHER = START[CIPHER_SECRET.env]
NEW_CIPHER = secrets.token_hex(16)


@pytest.fixture(scope="module")
def cipher_stack(
    tmp_path_factory: pytest.TempPathFactory, fake_oidc: FakeOidcProvider
) -> Iterator[LocalStack]:
    with LocalStack(
        tmp_path_factory.mktemp("cipher-rotation-stack"),
        overrides=generic_oidc(fake_oidc.issuer, CLIENT_ID, PROVIDER_ID),
        oidc_client_secrets={PROVIDER_ID: CLIENT_SECRET},
        secrets=START,
        site_dir=None,
    ) as stack:
        yield stack


def sign_in_with_provider(stack: LocalStack, provider: FakeOidcProvider, email: str) -> str:
    """A social sign-up played by hand; returns the new identity's id."""
    provider.sign_in_as(f"subject-{email}", email)
    with Browser(stack) as browser:
        flow = browser.new_flow("registration")
        started = browser.submit(flow, {"method": "oidc", "provider": PROVIDER_ID})
        assert error_id(started) == "browser_location_change_required", started.text
        authorize = httpx.get(started.json()["redirect_browser_to"], follow_redirects=False)
        callback = authorize.headers["location"]
        assert urlsplit(callback).path.endswith(f"/callback/{PROVIDER_ID}")
        browser.http.get(callback)
        whoami = browser.whoami()
        assert whoami.status_code == 200, whoami.text
        identity_id: str = whoami.json()["identity"]["id"]
        return identity_id


def stored_tokens(stack: LocalStack, identity_id: str) -> httpx.Response:
    return httpx.get(
        f"{stack.kratos_admin_url}admin/identities/{identity_id}",
        params={"include_credential": "oidc"},
        timeout=15,
    )


def access_token(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    [provider] = response.json()["credentials"]["oidc"]["config"]["providers"]
    return provider["initial_access_token"]


def test_tokens_stay_readable_across_a_cipher_rotation(
    cipher_stack: LocalStack, fake_oidc: FakeOidcProvider
) -> None:
    identity_id = sign_in_with_provider(cipher_stack, fake_oidc, unique_email("cipher"))
    token = access_token(stored_tokens(cipher_stack, identity_id))
    assert token

    cipher_stack.restart_kratos(with_rotation(START, CIPHER_SECRET, NEW_CIPHER, OLD_CIPHER))
    assert access_token(stored_tokens(cipher_stack, identity_id)) == token

    cipher_stack.restart_kratos(with_rotation(START, CIPHER_SECRET, NEW_CIPHER))
    # Ciphertext only the dropped secret can open is lost (Kratos answers it as empty): why
    # the runbook keeps a previous cipher secret while anything it encrypted is still needed.
    assert access_token(stored_tokens(cipher_stack, identity_id)) == ""
