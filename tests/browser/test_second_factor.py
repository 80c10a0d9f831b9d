"""Second factors set up in settings and used at login, in chromium against the real Kratos."""

from __future__ import annotations

from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from local_stack import LocalStack
from tests.browser.axe import inject_axe, serious_violations
from tests.browser.screens import Shots
from tests.browser.user import (
    SAVED,
    expect_home_signed_in,
    log_in,
    path,
    query,
    section,
    sign_up_verified,
)

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_totp_set_up_in_settings_then_second_factor_at_login(
    page: Page, stack: LocalStack, shots: Shots, context: BrowserContext
) -> None:
    inject_axe(context)  # the second-factor pages are audited too
    email = sign_up_verified(page, stack, shots, "totp")
    page.goto("/settings")
    app = section(page, "Authenticator app")
    expect(app.get_by_role("img", name="Authenticator app QR code")).to_be_visible()
    secret = app.locator("[data-node=totp_secret_key] code").inner_text().strip()
    totp = pyotp.TOTP(secret)
    app.get_by_label("Verify code").fill(totp.now())
    shots.take(page, "totp-setup")
    app.get_by_role("button", name="Add authenticator").click()
    expect(page.get_by_text(SAVED)).to_be_visible()
    expect(page.get_by_role("button", name="Unlink TOTP Authenticator App")).to_be_visible()
    shots.take(page, "totp-linked")
    assert not serious_violations(page)

    context.clear_cookies()
    log_in(page, shots, email)
    # The password alone is not enough now: Kratos sends the browser to the aal2 login.
    expect(page.get_by_role("heading", name="Second step: verify it is you")).to_be_visible()
    assert path(page) == "/login" and query(page).get("aal") == "aal2"
    expect(page.get_by_label("Authentication code")).to_be_focused()
    page.get_by_label("Authentication code").fill("000000")
    page.get_by_role("button", name="Use Authenticator").click()
    expect(page.get_by_text("The provided authentication code is invalid")).to_be_visible()
    shots.take(page, "totp-invalid")
    assert not serious_violations(page)
    page.get_by_label("Authentication code").fill(totp.now())
    page.get_by_role("button", name="Use Authenticator").click()
    expect_home_signed_in(page)
    expect(page.get_by_text("aal2")).to_be_visible()
    shots.take(page, "home-aal2")


def test_lookup_recovery_code_saved_then_used_at_login(
    page: Page, stack: LocalStack, shots: Shots, context: BrowserContext
) -> None:
    inject_axe(context)
    email = sign_up_verified(page, stack, shots, "lookup")
    page.goto("/settings")
    page.get_by_role("button", name="Generate new backup recovery codes").click()
    codes_list = page.locator("[data-node=lookup_secret_codes] li code")
    expect(codes_list).to_have_count(12)
    codes = [c.strip() for c in codes_list.all_inner_texts()]
    # Focus stays in the section that was used, on its next step: keeping the codes.
    expect(page.get_by_role("button", name="Copy codes")).to_be_focused()
    shots.take(page, "lookup-codes")
    assert not serious_violations(page)
    # The codes can be saved elsewhere: as a text file, or through the clipboard.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download codes").click()
    assert download.value.suggested_filename == "backup-codes.txt"
    assert Path(download.value.path()).read_text().split("\n") == codes
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy codes").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()").split("\n") == codes
    page.get_by_role("button", name="Confirm backup recovery codes").click()
    expect(page.get_by_text(SAVED)).to_be_visible()
    expect(page.get_by_role("button", name="Reveal backup recovery codes")).to_be_visible()
    shots.take(page, "lookup-saved")

    context.clear_cookies()
    log_in(page, shots, email)
    expect(page.get_by_role("heading", name="Second step: verify it is you")).to_be_visible()
    page.get_by_label("Backup recovery code").fill(codes[0])
    shots.take(page, "lookup-login")
    page.get_by_role("button", name="Use backup recovery code").click()
    expect_home_signed_in(page)
    expect(page.get_by_text("lookup_secret")).to_be_visible()

    # A used code is spent: the next login needs another one.
    context.clear_cookies()
    log_in(page, shots, email)
    page.get_by_label("Backup recovery code").fill(codes[0])
    page.get_by_role("button", name="Use backup recovery code").click()
    expect(page.locator(".msg-error")).to_be_visible()
    shots.take(page, "lookup-reused")
    page.get_by_label("Backup recovery code").fill(codes[1])
    page.get_by_role("button", name="Use backup recovery code").click()
    expect_home_signed_in(page)
