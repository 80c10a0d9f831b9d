"""A person's account, clicked through in chromium against the real Kratos on another origin."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Dialog, Page, expect

from local_stack import LocalStack
from tests.browser.screens import Shots
from tests.browser.user import (
    HOSTILE,
    NEW_PASSWORD,
    PASSWORD,
    SAVED,
    age_sessions,
    assert_branded,
    code_in,
    expect_home_signed_in,
    log_in,
    log_out,
    new_email,
    path,
    query,
    register,
    section,
    sign_up_verified,
    verify_with_mail_code,
)

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_register_read_mail_and_verify(page: Page, stack: LocalStack, shots: Shots) -> None:
    email = new_email("register")
    register(page, shots, email)
    # Kratos sends the stack's branded template (kratos_config/mail_templates.py).
    mail = stack.mailbox.wait_for(to=email, predicate=lambda m: "verif" in m.subject.lower())
    product = stack.settings.brand.product_name
    assert_branded(mail, product, "your code to verify your email address")
    assert mail.text.count(stack.kratos_public_url) == 1, "the link that fills the code in"
    verify_with_mail_code(page, stack, shots, email)
    page.get_by_role("link", name="Continue").click()
    expect_home_signed_in(page)
    expect(page.get_by_text(email)).to_be_visible()
    expect(page.get_by_text("Not verified yet")).to_have_count(0)
    # Traits under the identity schema's titles, in its order.
    terms = page.locator(".traits").first.locator("dt").all_inner_texts()
    assert terms == ["E-Mail", "First name", "Last name"], terms
    shots.take(page, "home")


def test_log_in_and_log_out(
    page: Page, stack: LocalStack, shots: Shots, context: BrowserContext
) -> None:
    email = sign_up_verified(page, stack, shots, "login")
    context.clear_cookies()
    log_in(page, shots, email, "wrong-password-123")
    expect(page.get_by_text("The provided credentials are invalid")).to_be_visible()
    shots.take(page, "login-invalid")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect_home_signed_in(page)
    shots.take(page, "home")
    log_out(page)
    shots.take(page, "logged-out")
    page.goto("/settings")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert query(page)["return_to"].endswith("/settings")


def test_hostile_first_name_shows_as_text(page: Page, stack: LocalStack, shots: Shots) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    email = new_email("hostile")
    register(page, shots, email, first=HOSTILE)
    verify_with_mail_code(page, stack, shots, email)
    page.goto("/")
    expect_home_signed_in(page)
    # User text sits in a <bdi>: a right-to-left override in it cannot reorder the page.
    expect(page.locator("dd > bdi", has_text=HOSTILE)).to_have_count(1)
    assert page.locator("main img, main script").count() == 0
    shots.take(page, "home-hostile")
    page.goto("/settings")
    expect(page.get_by_label("First name")).to_have_value(HOSTILE)
    shots.take(page, "settings-hostile")
    assert dialogs == []


def test_recover_password_from_mail(
    page: Page, stack: LocalStack, shots: Shots, context: BrowserContext
) -> None:
    email = sign_up_verified(page, stack, shots, "recovery")
    context.clear_cookies()
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Recover your account")).to_be_visible()
    page.get_by_label("Email").fill(email)
    shots.take(page, "recovery-email")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("An email containing a recovery code has been sent")).to_be_visible()
    mail = stack.mailbox.wait_for(to=email, predicate=lambda m: "recover" in m.subject.lower())
    product = stack.settings.brand.product_name
    code = assert_branded(mail, product, "your code to recover your account")
    page.get_by_label("Recovery code").fill(code)
    shots.take(page, "recovery-code")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Account settings")).to_be_visible()
    assert path(page) == "/settings" and query(page).get("flow")
    section(page, "Password").get_by_label("Password").fill(NEW_PASSWORD)
    section(page, "Password").get_by_role("button", name="Change password").click()
    expect(page.get_by_text(SAVED)).to_be_visible()
    shots.take(page, "recovery-new-password")
    context.clear_cookies()
    log_in(page, shots, email, NEW_PASSWORD)
    expect_home_signed_in(page)


def test_settings_profile_and_password_with_reauthentication(
    page: Page, stack: LocalStack, shots: Shots, context: BrowserContext
) -> None:
    email = sign_up_verified(page, stack, shots, "settings")
    page.goto("/settings")
    expect(page.get_by_role("heading", name="Account settings")).to_be_visible()
    profile = section(page, "Profile")
    profile.get_by_label("First name").fill("Augusta")
    profile.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text(SAVED)).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value("Augusta")
    shots.take(page, "settings-profile-saved")

    # An hour later the login is too old to change the password: Kratos asks to sign in again.
    age_sessions(stack, email)
    page.goto("/settings")
    section(page, "Password").get_by_label("Password").fill(NEW_PASSWORD)
    section(page, "Password").get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert query(page).get("refresh") == "true"
    shots.take(page, "reauthenticate")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Kratos finishes the pending change and returns to the settings page.
    expect(page.get_by_text(SAVED)).to_be_visible()
    assert path(page) == "/settings"
    shots.take(page, "settings-password-saved")

    context.clear_cookies()
    log_in(page, shots, email, NEW_PASSWORD)
    expect_home_signed_in(page)
    expect(page.get_by_text("Augusta")).to_be_visible()


def test_keyboard_only_sign_in(
    page: Page, stack: LocalStack, shots: Shots, context: BrowserContext
) -> None:
    email = sign_up_verified(page, stack, shots, "keyboard")
    context.clear_cookies()
    page.goto("/login")
    # The first field has focus; Tab moves through the form; Enter submits.
    expect(page.get_by_label("E-Mail")).to_be_focused()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    # The show-password toggle sits between the field and the button, and works by keyboard.
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_label("Password")).to_have_attribute("type", "text")
    expect(page.get_by_label("Password")).to_have_value(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in with password")).to_be_focused()
    shots.take(page, "keyboard-focus-on-button")
    page.keyboard.press("Enter")
    expect_home_signed_in(page)
    # Links are reachable by keyboard too.
    page.get_by_role("link", name="Account settings").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Account settings")).to_be_visible()


def test_verify_by_clicking_the_mail_link(page: Page, stack: LocalStack, shots: Shots) -> None:
    email = new_email("verifylink")
    register(page, shots, email)
    mail = stack.mailbox.wait_for(to=email, predicate=lambda m: "verif" in m.subject.lower())
    links = re.findall(r"https?://\S+", mail.text)
    link = next(u for u in links if u.startswith(stack.kratos_public_url))
    # Kratos sends the browser to the UI's verification page with the code filled in.
    page.goto(link)
    expect(page.get_by_label("Verification code")).to_have_value(code_in(mail))
    assert path(page) == "/verification"
    shots.take(page, "verification-link")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You successfully verified your email address.")).to_be_visible()
