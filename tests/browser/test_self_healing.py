"""Failures a person should never have to understand: the UI recovers from them by itself."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from local_stack import LocalStack
from tests.browser.screens import Shots
from tests.browser.user import (
    PASSWORD,
    expect_home_signed_in,
    expire_flow,
    path,
    query,
    sign_up_verified,
)

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def _fill_login(page: Page, email: str) -> None:
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)


def test_expired_login_flow_continues_in_a_new_flow(
    page: Page, stack: LocalStack, shots: Shots, context: BrowserContext
) -> None:
    email = sign_up_verified(page, stack, shots, "expired")
    context.clear_cookies()
    page.goto("/login")
    expect(page.get_by_label("E-Mail")).to_be_visible()
    old_flow = query(page)["flow"]
    expire_flow(stack, "login", old_flow)
    _fill_login(page, email)
    page.get_by_role("button", name="Sign in with password").click()
    # Kratos answers 410 with use_flow_id; the new flow carries its own "expired" message.
    expect(page.get_by_text("expired")).to_be_visible()
    assert query(page)["flow"] != old_flow
    # What the user typed is still there, except the password, and they are told so.
    expect(page.get_by_label("E-Mail")).to_have_value(email)
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_text("We kept what you typed")).to_be_visible()
    shots.take(page, "expired-new-flow")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in with password").click()
    expect_home_signed_in(page)


def test_csrf_failure_starts_a_new_flow(
    page: Page, stack: LocalStack, shots: Shots, context: BrowserContext
) -> None:
    email = sign_up_verified(page, stack, shots, "csrf")
    context.clear_cookies()
    page.goto("/login")
    expect(page.get_by_label("E-Mail")).to_be_visible()
    old_flow = query(page)["flow"]
    # The anti-CSRF cookie disappears (another tab, a cleared cookie): Kratos answers 403.
    names = [c["name"] for c in context.cookies() if c["name"].startswith("csrf_token")]
    assert names, "Kratos set an anti-CSRF cookie"
    for name in names:
        context.clear_cookies(name=name)
    _fill_login(page, email)
    page.get_by_role("button", name="Sign in with password").click()
    expect(page.get_by_text("For your security this form was reset")).to_be_visible()
    assert query(page)["flow"] != old_flow
    expect(page.get_by_label("E-Mail")).to_have_value(email)
    expect(page.get_by_label("Password")).to_have_value("")
    shots.take(page, "csrf-new-flow")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in with password").click()
    expect_home_signed_in(page)


def test_github_pages_404_fallback_keeps_route_and_query(
    page: Page, stack: LocalStack, shots: Shots
) -> None:
    return_to = f"{stack.ui_url}/settings?tab=1&x=a%20b"
    target = f"/register?return_to={quote(return_to, safe='')}"
    statuses: list[int] = []
    first = stack.ui_url + "/register"
    page.on("response", lambda r: statuses.append(r.status) if r.url.startswith(first) else None)
    page.goto(target)
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    assert statuses == [404], "the static server answered /register with 404.html"
    assert path(page) == "/registration"
    assert query(page)["return_to"] == return_to
    assert query(page).get("flow")
    shots.take(page, "fallback-registration")


def test_route_pages_load_directly_with_their_query(page: Page, stack: LocalStack) -> None:
    response = page.goto("/recovery?return_to=" + quote(stack.ui_url + "/", safe=""))
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", name="Recover your account")).to_be_visible()
    assert query(page)["return_to"] == stack.ui_url + "/"


def test_kratos_down_shows_a_message_and_retry(page: Page, stack: LocalStack) -> None:
    kratos = stack.kratos_public_url
    page.route(f"{kratos}**", lambda route: route.abort("connectionrefused"))
    page.goto("/login")
    expect(page.get_by_role("heading", name="Cannot reach the sign-in service")).to_be_visible()
    page.unroute(f"{kratos}**")
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_error_page_shows_kratos_error_by_id(page: Page, stack: LocalStack) -> None:
    # A browser navigation with a forbidden return_to makes Kratos redirect to /error?id=.
    page.goto(
        f"{stack.kratos_public_url}self-service/login/browser?return_to=https://evil.example.net/"
    )
    expect(page.get_by_role("heading", name="Something went wrong")).to_be_visible()
    assert path(page) == "/error" and query(page).get("id")
    expect(page.get_by_text("evil.example.net")).to_be_visible()
