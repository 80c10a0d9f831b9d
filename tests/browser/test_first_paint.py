"""/login can be typed into before the flow exists; what was typed moves into Kratos's form."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route, expect

from local_stack import LocalStack
from tests.browser.screens import Shots

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_typing_before_the_flow_arrives_is_kept(
    page: Page, stack: LocalStack, shots: Shots
) -> None:
    held: list[Route] = []
    flow_url = f"{stack.kratos_public_url}self-service/login/browser*"
    page.route(flow_url, lambda route: held.append(route))
    page.goto("/login")
    early = page.locator("[data-skeleton] input[name=identifier]")
    # Styled by the inline stylesheet (admitted by its CSP hash) and focused by the HTML alone.
    expect(early).to_be_focused()
    assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") == "448px"
    page.keyboard.type("ada@example.com")
    shots.take(page, "typed-before-the-flow")
    assert page.locator("form").count() == 0, "nothing can be submitted before the flow exists"
    page.unroute(flow_url)
    for route in held:
        route.fallback()
    expect(page.get_by_label("E-Mail")).to_have_value("ada@example.com")
    expect(page.get_by_label("E-Mail")).to_be_focused()
    expect(page.locator("[data-skeleton]")).to_have_count(0)
    shots.take(page, "kratos-form-with-what-was-typed")
