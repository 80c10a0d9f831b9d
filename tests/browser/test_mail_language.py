"""Mail in the user's language: with courier.languageTrait the UI sends the page's language as the
identity's `language` trait at sign-up, and Kratos writes the verification and recovery mails in
it (kratos_config/mail_templates.py); read from the real mail."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from local_stack import LocalStack
from tests.browser.screens import Shots
from tests.browser.user import PASSWORD, code_in, new_email
from tests.support.profiles import with_language_trait

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

PRODUCT = "Account"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """This module's own stack, with the language trait on."""
    with LocalStack(
        tmp_path_factory.mktemp("mail-language"), overrides=with_language_trait()
    ) as own:
        yield own


@pytest.fixture
def context(chromium: Browser, stack: LocalStack) -> Iterator[BrowserContext]:
    """A browser that prefers German; Arabic is chosen with the switcher."""
    ctx = chromium.new_context(
        base_url=stack.ui_url, viewport={"width": 900, "height": 900}, locale="de-DE"
    )
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


def sign_up(page: Page, shots: Shots, email: str, sign_up_label: str) -> None:
    page.goto("/registration")
    page.get_by_label("E-Mail").fill(email)
    # The language trait is sent unseen: no field for it on the page.
    assert page.locator("input[name='traits.language']").get_attribute("type") == "hidden"
    page.get_by_label("First name").fill("Ada")
    page.get_by_role("button", name=sign_up_label, exact=True).click()
    page.locator("input[type=password]").fill(PASSWORD)
    shots.take(page, "sign-up-password")
    page.get_by_role("button", name=sign_up_label, exact=True).click()


def test_verification_mail_in_german(page: Page, stack: LocalStack, shots: Shots) -> None:
    email = new_email("mail-de")
    sign_up(page, shots, email, "Registrieren")
    expect(page.get_by_role("heading", name="E-Mail-Adresse bestätigen")).to_be_visible()
    mail = stack.mailbox.wait_for(to=email)
    assert mail.subject == f"{PRODUCT} · dein Code, um deine E-Mail-Adresse zu bestätigen", (
        mail.subject
    )
    assert "Nutze diesen Code, um deine E-Mail-Adresse zu bestätigen:" in mail.text, mail.text
    assert '<html lang="de">' in mail.html, mail.html
    page.get_by_label("Bestätigungscode").fill(code_in(mail))
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_text("Deine E-Mail-Adresse ist bestätigt.")).to_be_visible()
    shots.take(page, "verified-in-german")


def test_recovery_mail_in_arabic_right_to_left(page: Page, stack: LocalStack, shots: Shots) -> None:
    email = new_email("mail-ar")
    page.goto("/login")
    page.get_by_role("combobox", name="Sprache").select_option("ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    sign_up(page, shots, email, "إنشاء حساب")
    expect(page.get_by_role("heading", name="تأكيد عنوان بريدك الإلكتروني")).to_be_visible()
    verification = stack.mailbox.wait_for(to=email)
    assert verification.subject == f"{PRODUCT} · رمزك من أجل تأكيد عنوان بريدك الإلكتروني"

    page.context.clear_cookies()
    page.goto("/recovery")
    expect(page.get_by_role("heading", name="استعادة حسابك")).to_be_visible()
    page.get_by_label("البريد الإلكتروني").fill(email)
    page.locator("button[type=submit]").first.click()
    mail = stack.mailbox.wait_for(to=email, predicate=lambda m: m.path != verification.path)
    assert mail.subject == f"{PRODUCT} · رمزك من أجل استعادة حسابك", mail.subject
    assert "استخدم هذا الرمز من أجل استعادة حسابك:" in mail.text, mail.text
    assert '<html lang="ar" dir="rtl">' in mail.html, mail.html
    shots.take(page, "recovery-code-sent-in-arabic")
