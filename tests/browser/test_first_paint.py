"""/login and /registration can be typed into before the flow exists; what was typed moves into
Kratos's form."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route, expect

from local_stack import LocalStack
from tests.browser.screens import Shots

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def open_with_the_flow_held(page: Page, stack: LocalStack, kind: str) -> Callable[[], None]:
    """Open /<kind> with Kratos's answer to the flow request held; returns what lets it through."""
    held: list[Route] = []
    flow_url = f"{stack.kratos_public_url}self-service/{kind}/browser*"
    page.route(flow_url, lambda route: held.append(route))
    page.goto(f"/{kind}")

    def release() -> None:
        assert page.locator("form").count() == 0, "nothing can be submitted before the flow exists"
        page.unroute(flow_url)
        for route in held:
            route.fallback()
        expect(page.locator("[data-skeleton]")).to_have_count(0)

    return release


def test_typing_before_the_flow_arrives_is_kept(
    page: Page, stack: LocalStack, shots: Shots
) -> None:
    release = open_with_the_flow_held(page, stack, "login")
    early = page.locator("[data-skeleton] input[name=identifier]")
    # Styled by the inline stylesheet (admitted by its CSP hash) and focused by the HTML alone.
    expect(early).to_be_focused()
    assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") == "448px"
    page.keyboard.type("ada@example.com")
    shots.take(page, "typed-before-the-flow")
    release()
    expect(page.get_by_label("E-Mail")).to_have_value("ada@example.com")
    expect(page.get_by_label("E-Mail")).to_be_focused()
    shots.take(page, "kratos-form-with-what-was-typed")


def test_pages_carry_the_brand_and_a_real_favicon(page: Page, shots: Shots) -> None:
    page.goto("/login")
    expect(page.get_by_role("banner").locator("span")).to_have_text("Account")
    assert page.title() == "Sign in · Account"
    favicon = page.locator("link[rel=icon]").get_attribute("href")
    assert favicon and not favicon.startswith("data:"), favicon
    answer = page.request.get(favicon)
    assert answer.ok and answer.body().startswith(b"<svg"), favicon
    shots.take(page, "branded-login")


def test_sign_up_fields_typed_before_the_flow_arrives_are_kept(
    page: Page, stack: LocalStack, shots: Shots
) -> None:
    release = open_with_the_flow_held(page, stack, "registration")
    early = page.locator("[data-skeleton=registration]")
    # The default schema's traits, from the stack settings at build time; the password is
    # Kratos's second step, so there is none here.
    expect(early.locator("input[name='traits.email']")).to_be_focused()
    assert early.locator("input[type=password]").count() == 0
    page.keyboard.type("grace@example.com")
    early.get_by_label("First name").fill("Grace")
    early.get_by_label("Last name").click()
    page.keyboard.type("Hopper")
    shots.take(page, "sign-up-typed-before-the-flow")
    release()
    expect(page.get_by_label("E-Mail")).to_have_value("grace@example.com")
    expect(page.get_by_label("First name")).to_have_value("Grace")
    expect(page.get_by_label("Last name")).to_have_value("Hopper")
    expect(page.get_by_label("Last name")).to_be_focused()
    shots.take(page, "kratos-sign-up-form-with-what-was-typed")
    # Kratos takes the adopted values; its second step asks for the password, empty.
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("input[name=password]")).to_be_visible()
    expect(page.locator("input[name=password]")).to_have_value("")
