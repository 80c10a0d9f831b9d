"""No dead ends: slow or failing Kratos, reset flows, verification, signed-in users, framing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import BrowserContext, Page, Request, Route, expect

from local_stack import LocalStack
from tests.browser.screens import Shots
from tests.browser.user import (
    PASSWORD,
    code_in,
    expect_home_signed_in,
    log_out,
    new_email,
    path,
    register,
    sign_up_verified,
)

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@contextmanager
def other_site(html: str) -> Iterator[str]:
    """Another origin on loopback (chromium blocks public pages from framing loopback ones)."""
    body = html.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_request_without_an_answer_times_out_and_offers_retry(
    page: Page, stack: LocalStack, shots: Shots
) -> None:
    stalled: list[Route] = []
    flow_url = f"{stack.kratos_public_url}self-service/recovery/browser*"
    page.clock.install()
    # Held, never answered: the page must give up by itself.
    page.route(flow_url, lambda route: stalled.append(route))
    page.goto("/recovery")
    expect(page.get_by_text("Loading…")).to_be_visible()
    # The fake clock jumps past the 15 s limit; the request itself never answers.
    page.clock.fast_forward(16_000)
    expect(page.get_by_role("heading", name="The sign-in service is not answering")).to_be_visible()
    shots.take(page, "timed-out")
    # The page itself cancelled the held request when it gave up.
    assert len(stalled) == 1
    page.unroute(flow_url)
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", name="Recover your account")).to_be_visible()


def test_a_server_error_keeps_the_form_and_shows_only_a_reference(
    page: Page, stack: LocalStack, shots: Shots
) -> None:
    internal = "pq: password authentication failed for user kratos"
    body = {"error": {"code": 500, "id": "ref-7e1d", "status": "Internal Server Error"}}
    body["error"]["message"] = body["error"]["reason"] = internal
    page.route(
        f"{stack.kratos_public_url}self-service/login?flow=*",
        lambda route: route.fulfill(status=500, json=body),
    )
    page.goto("/login")
    page.get_by_label("E-Mail").fill("ada@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in with password").click()
    expect(page.get_by_text("The sign-in service had a problem")).to_be_visible()
    expect(page.get_by_text("Reference for support: ref-7e1d")).to_be_visible()
    expect(page.get_by_text(internal)).to_have_count(0)
    expect(page.get_by_label("E-Mail")).to_have_value("ada@example.com")
    expect(page.get_by_label("Password")).to_have_value(PASSWORD)
    shots.take(page, "server-error-kept-form")


def test_a_reset_sign_up_keeps_the_traits_and_says_why(
    page: Page, shots: Shots, context: BrowserContext
) -> None:
    email = new_email("reset")
    page.goto("/registration")
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    for cookie in context.cookies():
        if cookie["name"].startswith("csrf_token"):
            context.clear_cookies(name=cookie["name"])
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.get_by_text("For your security this form was reset")).to_be_visible()
    expect(page.get_by_text("We kept what you typed")).to_be_visible()
    expect(page.get_by_label("E-Mail")).to_have_value(email)
    expect(page.get_by_label("First name")).to_have_value("Grace")
    expect(page.get_by_label("Last name")).to_have_value("Hopper")
    shots.take(page, "registration-reset-kept")


def test_verification_names_the_address_and_sends_a_new_code(
    page: Page, stack: LocalStack, shots: Shots
) -> None:
    email = new_email("resend")
    register(page, shots, email)
    expect(page.get_by_text(f"We sent a code to {email}.")).to_be_visible()
    first = stack.mailbox.wait_for(to=email, predicate=lambda m: "verif" in m.subject.lower())
    page.get_by_role("button", name="Send a new code").click()
    second = stack.mailbox.wait_for(
        to=email, predicate=lambda m: "verif" in m.subject.lower() and m != first
    )
    # Kratos now offers its own resend button; the page still names the address, once.
    expect(page.get_by_role("button", name="Resend code")).to_be_visible()
    expect(page.get_by_role("button", name="Send a new code")).to_have_count(0)
    expect(page.get_by_text(f"We sent a code to {email}.")).to_be_visible()
    shots.take(page, "verification-new-code")
    page.get_by_label("Verification code").fill(code_in(second))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You successfully verified your email address.")).to_be_visible()


def test_signed_in_users_follow_return_to_and_cannot_sign_up_again(
    page: Page, stack: LocalStack, shots: Shots
) -> None:
    sign_up_verified(page, stack, shots, "signed-in")
    page.goto(f"/login?return_to={stack.ui_url}/settings")
    expect(page.get_by_role("heading", name="Account settings")).to_be_visible()
    assert path(page) == "/settings"
    page.goto("/registration")
    expect(page.get_by_role("heading", name="You are already signed in")).to_be_visible()
    shots.take(page, "registration-signed-in")
    log_out(page)


def test_logout_asks_first_and_only_then_calls_kratos(
    page: Page, stack: LocalStack, shots: Shots
) -> None:
    sign_up_verified(page, stack, shots, "logout")
    logout_calls: list[str] = []

    def record(request: Request) -> None:
        if "/self-service/logout" in request.url:
            logout_calls.append(request.url)

    page.on("request", record)
    page.goto("/logout")
    expect(page.get_by_role("heading", name="Log out?")).to_be_visible()
    shots.take(page, "logout-confirm")
    page.get_by_role("link", name="Cancel").click()
    expect_home_signed_in(page)
    assert logout_calls == []
    page.goto("/logout")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are not signed in.")).to_be_visible()
    assert len(logout_calls) == 2, logout_calls


def test_the_ui_refuses_to_work_inside_another_sites_frame(
    page: Page, stack: LocalStack, shots: Shots
) -> None:
    framing = f'<!doctype html><iframe width=600 height=400 src="{stack.ui_url}/login"></iframe>'
    kratos_calls: list[str] = []
    page.on(
        "request",
        lambda r: kratos_calls.append(r.url) if r.url.startswith(stack.kratos_public_url) else None,
    )
    with other_site(framing) as url:
        page.goto(url)
        frame = page.frame_locator("iframe")
        heading = frame.get_by_role("heading", name="cannot be shown inside another site")
        expect(heading).to_be_visible()
        expect(frame.locator("form")).to_have_count(0)
        link = frame.get_by_role("link", name="Open it on its own")
        expect(link).to_have_attribute("target", "_top")
        assert kratos_calls == [], "a framed page never starts a flow"
        shots.take(page, "framed-by-other-site")
    # The same page on its own works as usual.
    page.goto("/login")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_page_whose_script_cannot_be_fetched_offers_a_reload(page: Page, shots: Shots) -> None:
    # The home page's code is its own chunk; a deploy that replaced it, or a lost connection.
    page.route("**/assets/pages-*.js", lambda route: route.abort())
    page.goto("/login")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("link", name="Create an account").wait_for()
    # Moving to / inside the app (as its links do), not a fresh page load.
    page.evaluate("history.pushState(null, '', '/')")
    page.evaluate("dispatchEvent(new PopStateEvent('popstate'))")
    expect(page.get_by_role("heading", name="This page could not be loaded")).to_be_visible()
    shots.take(page, "chunk-failed")
    page.unroute("**/assets/pages-*.js")
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
