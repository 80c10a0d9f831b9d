"""The OIDC client secret reaches Kratos only through its env var, never the config file.

The deployment (ExternalSecret) and the local stack both rely on Kratos reading
SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS_<i>_CLIENT_SECRET into the i-th provider while
keeping the rest of that provider from the file; a fake provider sees what Kratos sends.
"""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from kratos_config.secrets_env import oidc_client_secret_env
from local_stack import LocalStack
from tests.e2e.fake_oidc import CLIENT_ID, CLIENT_SECRET, FakeOidcProvider
from tests.e2e.kratos_api import Browser, error_id, node

pytestmark = pytest.mark.e2e


def test_secret_is_not_in_the_config_file(oidc_local_stack: LocalStack) -> None:
    config = Path(oidc_local_stack.state_dir, "config", "kratos.yaml").read_text()
    assert CLIENT_ID in config
    assert CLIENT_SECRET not in config
    assert "client_secret" not in config
    assert oidc_client_secret_env(0) == "SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS_0_CLIENT_SECRET"


def test_kratos_sends_the_env_secret_to_the_token_endpoint(
    oidc_local_stack: LocalStack, fake_oidc: FakeOidcProvider
) -> None:
    with Browser(oidc_local_stack) as browser:
        flow = browser.new_flow("login")
        assert node(flow, "provider")["attributes"]["value"] == "fake"

        started = browser.submit(flow, {"method": "oidc", "provider": "fake"})
        assert started.status_code == 422
        assert error_id(started) == "browser_location_change_required"
        authorize = urlsplit(started.json()["redirect_browser_to"])
        assert f"{authorize.scheme}://{authorize.netloc}" == fake_oidc.issuer
        query = parse_qs(authorize.query)
        assert query["client_id"] == [CLIENT_ID]

        # Play the provider's redirect back to Kratos; Kratos then exchanges the code.
        browser.http.get(
            f"{oidc_local_stack.kratos_public_url}self-service/methods/oidc/callback/fake",
            params={"code": "any-code", "state": query["state"][0]},
        )

    assert fake_oidc.token_requests, "Kratos never called the token endpoint"
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    sent = fake_oidc.token_requests[0]
    assert (
        sent["authorization"] == f"Basic {basic}"
        or f"client_secret={CLIENT_SECRET}" in sent["body"]
    )
