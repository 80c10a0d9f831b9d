"""The sessions page: one person signed in on several devices ends one session, then the rest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from local_stack import LocalStack
from tests.browser.screens import Shots
from tests.browser.user import expect_home_signed_in, log_in, sign_up_verified

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@pytest.fixture
def devices(chromium: Browser, stack: LocalStack) -> Iterator[list[BrowserContext]]:
    """Two more browser profiles with their own user agents: the user's other devices."""
    contexts = [
        chromium.new_context(base_url=stack.ui_url, user_agent=f"Device-{n} Browser/1.0")
        for n in (1, 2)
    ]
    yield contexts
    for ctx in contexts:
        ctx.close()


def _sign_in_on(device: BrowserContext, shots: Shots, email: str) -> Page:
    tab = device.new_page()
    log_in(tab, shots, email)
    expect_home_signed_in(tab)
    return tab


def _signed_out(tab: Page) -> None:
    tab.goto("/")
    expect(tab.get_by_text("You are not signed in.")).to_be_visible()


def test_list_end_one_and_end_all_other_sessions(
    page: Page, stack: LocalStack, shots: Shots, devices: list[BrowserContext]
) -> None:
    email = sign_up_verified(page, stack, shots, "sessions")
    first, second = (_sign_in_on(device, shots, email) for device in devices)
    page.goto("/")
    page.get_by_role("link", name="Your sessions").click()
    expect(page.get_by_role("heading", name="Your sessions")).to_be_visible()
    rows = page.locator("li.session")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="(this device)")).to_have_count(1)
    expect(rows.filter(has_text="Device-1 Browser/1.0")).to_have_count(1)
    expect(rows.filter(has_text="Signed in")).to_have_count(3)
    shots.take(page, "three-sessions")

    rows.filter(has_text="Device-1").get_by_role("button", name="End this session").click()
    expect(page.get_by_text("The session was ended.")).to_be_visible()
    expect(rows).to_have_count(2)
    _signed_out(first)
    second.goto("/")
    expect_home_signed_in(second)
    shots.take(page, "one-ended")

    page.get_by_role("button", name="End all other sessions").click()
    expect(page.get_by_text("All other sessions were ended.")).to_be_visible()
    expect(rows).to_have_count(1)
    expect(page.get_by_text("You are not signed in anywhere else.")).to_be_visible()
    _signed_out(second)
    page.goto("/")
    expect_home_signed_in(page)
    shots.take(page, "only-this-one")


def test_sessions_page_asks_to_sign_in_first(page: Page, stack: LocalStack) -> None:
    page.goto("/sessions")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert f"return_to={stack.ui_url.replace(':', '%3A').replace('/', '%2F')}" in page.url
