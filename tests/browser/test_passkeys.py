"""Passkeys and security keys, registered and used in chromium with a virtual authenticator.

The stack runs on localhost (a secure context and a valid relying party id); the DevTools
protocol's WebAuthn domain stands in for the user's authenticator and touches it at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from local_stack import LocalStack
from tests.browser.screens import Shots
from tests.browser.user import (
    SAVED,
    expect_home_signed_in,
    log_in,
    new_email,
    section,
    sign_up_verified,
)
from tests.support.profiles import passkeys_on_localhost

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """This module's own stack: localhost, with security keys and passkeys on."""
    with LocalStack(
        tmp_path_factory.mktemp("passkey-stack"), overrides=passkeys_on_localhost()
    ) as own:
        yield own


def add_authenticator(page: Page, transport: str = "internal") -> dict[str, Any]:
    """A platform authenticator (or a USB key) that holds passkeys and says yes at once."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": transport,
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    answer = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})
    return {"cdp": cdp, "id": answer["authenticatorId"]}


def credentials(authenticator: dict[str, Any]) -> list[dict[str, Any]]:
    answer = authenticator["cdp"].send(
        "WebAuthn.getCredentials", {"authenticatorId": authenticator["id"]}
    )
    found: list[dict[str, Any]] = answer["credentials"]
    return found


# A browser without passkey autofill (conditional mediation): the button is the only way in.
NO_AUTOFILL = "PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);"


def sign_up_with_passkey(page: Page, shots: Shots, authenticator: dict[str, Any]) -> str:
    email = new_email("passkey")
    page.goto("/registration")
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_role("button", name="Sign up", exact=True).click()
    shots.take(page, "choose-credential")
    page.get_by_role("button", name="Sign up with passkey").click()
    expect(page.get_by_role("heading", name="Verify your email address")).to_be_visible()
    shots.take(page, "passkey-registered")
    found = credentials(authenticator)
    assert len(found) == 1 and found[0]["isResidentCredential"], found
    assert found[0]["rpId"] == "localhost"
    return email


def expect_signed_in_with(page: Page, email: str, method: str) -> None:
    expect_home_signed_in(page)
    expect(page.get_by_role("definition").filter(has_text=email)).to_be_visible()  # the trait
    methods = page.locator("dt", has_text="Methods").locator("xpath=following-sibling::dd[1]")
    expect(methods).to_have_text(method)


def test_passkey_sign_up_then_sign_in_with_the_button(
    page: Page, stack: LocalStack, shots: Shots
) -> None:
    page.add_init_script(NO_AUTOFILL)
    authenticator = add_authenticator(page)
    email = sign_up_with_passkey(page, shots, authenticator)
    page.context.clear_cookies()
    page.goto("/login")
    shots.take(page, "login-with-passkey-button")
    page.get_by_role("button", name="Sign in with passkey").click()
    expect_signed_in_with(page, email, "passkey")
    shots.take(page, "signed-in-with-passkey")


def test_passkey_autofill_signs_in_on_the_login_page(
    page: Page, stack: LocalStack, shots: Shots
) -> None:
    authenticator = add_authenticator(page)
    email = sign_up_with_passkey(page, shots, authenticator)
    page.context.clear_cookies()
    # Kratos's helper asks for a passkey as soon as the form is shown (conditional mediation);
    # the virtual authenticator picks the only one, so the user is signed in without a click.
    page.goto("/login")
    expect_signed_in_with(page, email, "passkey")
    shots.take(page, "signed-in-by-autofill")


def test_security_key_added_in_settings_then_second_factor_at_login(
    page: Page, stack: LocalStack, shots: Shots
) -> None:
    add_authenticator(page, transport="usb")
    email = sign_up_verified(page, stack, shots, "security-key")
    page.goto("/settings")
    keys = section(page, "Security keys")
    keys.get_by_label("Name of the security key").fill("Blue key")
    shots.take(page, "security-key-name")
    keys.get_by_role("button", name="Add security key").click()
    expect(page.get_by_text(SAVED)).to_be_visible()
    expect(page.get_by_text("Blue key")).to_be_visible()
    shots.take(page, "security-key-added")

    page.context.clear_cookies()
    log_in(page, shots, email)
    expect(page.get_by_role("heading", name="Second step: verify it is you")).to_be_visible()
    shots.take(page, "security-key-second-step")
    page.get_by_role("button", name="Sign in with hardware key").click()
    expect_home_signed_in(page)
    expect(page.get_by_text("aal2")).to_be_visible()
    shots.take(page, "home-aal2-security-key")
