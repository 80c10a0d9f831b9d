"""Social sign-in in chromium: sign up, sign in, link and unlink with the fake OpenID provider."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from local_stack import LocalStack
from tests.browser.screens import Shots
from tests.browser.user import SAVED, expect_home_signed_in, new_email, section, sign_up_verified
from tests.e2e.fake_oidc import FakeOidcProvider

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@pytest.fixture(scope="module")
def stack(oidc_local_stack: LocalStack) -> LocalStack:
    """The local stack with the fake provider as its one social sign-in."""
    return oidc_local_stack


@pytest.fixture
def provider(fake_oidc: FakeOidcProvider) -> FakeOidcProvider:
    return fake_oidc


def methods(page: Page) -> str:
    return (
        page.locator("dt", has_text="Methods")
        .locator("xpath=following-sibling::dd[1]")
        .inner_text()
    )


def test_sign_up_then_sign_in_with_the_provider(
    page: Page, provider: FakeOidcProvider, shots: Shots
) -> None:
    email = new_email("social")
    provider.sign_in_as(str(uuid.uuid4()), email)
    page.goto("/registration")
    shots.take(page, "registration-with-provider")
    page.get_by_role("button", name="fake").click()
    expect_home_signed_in(page)
    expect(page.get_by_role("definition").filter(has_text=email)).to_be_visible()  # the trait
    assert methods(page) == "oidc"
    shots.take(page, "signed-up-with-provider")

    page.context.clear_cookies()
    page.goto("/login")
    shots.take(page, "login-with-provider")
    page.get_by_role("button", name="fake").click()
    expect_home_signed_in(page)
    expect(page.get_by_role("definition").filter(has_text=email)).to_be_visible()  # the trait
    shots.take(page, "signed-in-with-provider")


def test_link_and_unlink_the_provider_in_settings(
    page: Page, stack: LocalStack, provider: FakeOidcProvider, shots: Shots
) -> None:
    email = sign_up_verified(page, stack, shots, "link")
    provider.sign_in_as(str(uuid.uuid4()), email)
    page.goto("/settings")
    social = section(page, "Sign in with another account")
    shots.take(page, "settings-link")
    social.get_by_role("button", name="fake").click()
    expect(page.get_by_text(SAVED)).to_be_visible()
    unlink = section(page, "Sign in with another account").get_by_role("button", name="Unlink")
    expect(unlink).to_be_visible()
    shots.take(page, "settings-linked")
    unlink.click()
    expect(page.get_by_text(SAVED)).to_be_visible()
    expect(
        section(page, "Sign in with another account").get_by_role("button", name="Link")
    ).to_be_visible()
    shots.take(page, "settings-unlinked")
