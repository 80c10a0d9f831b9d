"""The UI's origin may call Kratos with credentials; other origins may not."""

from __future__ import annotations

import httpx
import pytest

from local_stack import LocalStack

pytestmark = pytest.mark.e2e


def preflight(stack: LocalStack, origin: str) -> httpx.Response:
    return httpx.options(
        f"{stack.kratos_public_url}self-service/login",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-csrf-token",
        },
        timeout=15,
    )


def test_ui_origin_passes_preflight_with_credentials(stack: LocalStack) -> None:
    answer = preflight(stack, stack.ui_url)
    assert answer.status_code in (200, 204)
    assert answer.headers["access-control-allow-origin"] == stack.ui_url
    assert answer.headers["access-control-allow-credentials"] == "true"
    assert "POST" in answer.headers["access-control-allow-methods"]
    allowed = answer.headers["access-control-allow-headers"].lower()
    assert "content-type" in allowed and "x-csrf-token" in allowed


def test_other_origins_get_no_cors_grant(stack: LocalStack) -> None:
    for origin in ("http://evil.example.net", stack.ui_url.replace("127.0.0.1", "localhost")):
        answer = preflight(stack, origin)
        assert "access-control-allow-origin" not in answer.headers, origin


def test_simple_request_from_ui_is_granted(stack: LocalStack) -> None:
    answer = httpx.get(
        f"{stack.kratos_public_url}sessions/whoami",
        headers={"Origin": stack.ui_url, "Accept": "application/json"},
        timeout=15,
    )
    assert answer.status_code == 401
    assert answer.headers["access-control-allow-origin"] == stack.ui_url
