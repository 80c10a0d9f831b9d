"""Kratos's WebAuthn helper script loads under the UI's CSP, with its integrity hash checked.

The local stack runs on 127.0.0.1, where WebAuthn cannot be enabled (a relying party must be
a domain name), so this test adds the helper's script node, recorded from a WebAuthn-enabled
Kratos of the same version, to the real login flow Kratos returns.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from local_stack import LocalStack
from tests.browser.user import query

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

FIXTURE = (
    Path(__file__).resolve().parents[2]
    / "frontend_site/test/fixtures/all-methods/login.browser.json"
)


def recorded_nodes(kratos_url: str) -> list[dict[str, object]]:
    body = json.loads(FIXTURE.read_text())["body"]
    nodes = [n for n in body["ui"]["nodes"] if n["group"] in ("webauthn", "passkey")]
    moved: list[dict[str, object]] = json.loads(
        json.dumps(nodes).replace("http://kratos.test/", kratos_url)
    )
    return moved


def test_helper_script_loads_with_integrity_and_defines_triggers(
    page: Page, stack: LocalStack
) -> None:
    extra = recorded_nodes(stack.kratos_public_url)

    def add_helper(route: Route) -> None:
        response = route.fetch()
        flow = response.json()
        flow["ui"]["nodes"].extend(extra)
        route.fulfill(response=response, json=flow)

    page.route(f"{stack.kratos_public_url}self-service/login/browser*", add_helper)
    page.goto("/login")
    expect(page.get_by_role("button", name="Sign in with passkey")).to_be_visible()
    script = page.locator("head script[src$='/.well-known/ory/webauthn.js']")
    expect(script).to_have_count(1)
    assert (script.get_attribute("integrity", timeout=1000) or "").startswith("sha512-")
    # Loaded, integrity accepted, not blocked by the CSP: the helper defined its triggers.
    page.wait_for_function("typeof window.oryPasskeyLogin === 'function'")
    assert page.evaluate("typeof window.oryWebAuthnLogin") == "function"
    # The trigger button sits in the real form Kratos's helper submits natively.
    form = page.evaluate(
        "() => { const f = document.querySelector('[name=passkey_login_trigger]').closest('form');"
        " return f && [f.getAttribute('method'), f.getAttribute('action'),"
        " !!f.querySelector('[name=csrf_token]')]; }"
    )
    assert form == [
        "POST",
        f"{stack.kratos_public_url}self-service/login?flow={query(page)['flow']}",
        True,
    ]
