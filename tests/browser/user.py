"""What a person does in the UI, step by step, for the browser tests to compose."""

from __future__ import annotations

import re
import sqlite3
import uuid
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Locator, Page, expect

from local_stack import LocalStack, Mail
from tests.browser.screens import Shots

PASSWORD = "correct-horse-battery-staple-42"
NEW_PASSWORD = "another-horse-battery-staple-43"
HOSTILE = '<img src=x onerror=alert(1)>"><script>alert(2)</script>'
SAVED = "Your changes have been saved!"


def new_email(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:10]}@example.com"


def code_in(mail: Mail) -> str:
    match = re.search(r"\b(\d{6})\b", mail.text)
    assert match, f"no six-digit code in mail {mail.subject!r}"
    return match.group(1)


def assert_branded(mail: Mail, product: str, subject: str) -> str:
    """The mail carries the product name in subject and both bodies, the code set large in HTML."""
    assert mail.subject == f"{product} · {subject}", mail.subject
    assert mail.text.splitlines()[0] == product, mail.text
    code = code_in(mail)
    assert (
        f'font:700 28px/1.2 ui-monospace,monospace;letter-spacing:4px;margin:16px 0">{code}</p>'
        in (mail.html)
    ), mail.html
    assert f">{product}</h1>" in mail.html, mail.html
    return code


def query(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def path(page: Page) -> str:
    return urlsplit(page.url).path


def section(page: Page, title: str) -> Locator:
    """A settings section: a fieldset named by its legend."""
    return page.get_by_role("group", name=title)


def register(page: Page, shots: Shots, email: str, first: str = "Ada") -> None:
    """Two-step sign-up: profile first, then the password; ends on the verification page."""
    page.goto("/registration")
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    expect(page.get_by_label("E-Mail")).to_be_focused()
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill("Lovelace")
    shots.take(page, "registration-profile")
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.get_by_label("Password")).to_be_visible()
    expect(page.get_by_text("Please choose a credential")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    shots.take(page, "registration-password")
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.get_by_role("heading", name="Verify your email address")).to_be_visible()
    assert path(page) == "/verification" and query(page).get("flow")


def verify_with_mail_code(page: Page, stack: LocalStack, shots: Shots, email: str) -> None:
    mail = stack.mailbox.wait_for(to=email, predicate=lambda m: "verif" in m.subject.lower())
    shots.take(page, "verification-code")
    page.get_by_label("Verification code").fill(code_in(mail))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You successfully verified your email address.")).to_be_visible()
    shots.take(page, "verification-passed")


def sign_up_verified(page: Page, stack: LocalStack, shots: Shots, tag: str) -> str:
    email = new_email(tag)
    register(page, shots, email)
    verify_with_mail_code(page, stack, shots, email)
    return email


def log_in(page: Page, shots: Shots, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("Password").fill(password)
    shots.take(page, "login")
    page.get_by_role("button", name="Sign in with password").click()


def expect_home_signed_in(page: Page) -> None:
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
    assert path(page) == "/"


def log_out(page: Page) -> None:
    page.get_by_role("link", name="Log out").click()
    expect(page.get_by_role("heading", name="Log out?")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are not signed in.")).to_be_visible()


def age_sessions(stack: LocalStack, email: str) -> None:
    """Make the user's login an hour old, so Kratos asks to re-authenticate for settings."""
    with sqlite3.connect(stack.sqlite_file) as db:
        changed = db.execute(
            "UPDATE sessions SET authenticated_at = datetime(authenticated_at, '-1 hour') "
            "WHERE identity_id IN "
            "(SELECT identity_id FROM identity_verifiable_addresses WHERE value = ?)",
            (email,),
        ).rowcount
    assert changed, f"no session for {email}"


def expire_flow(stack: LocalStack, kind: str, flow_id: str) -> None:
    """Kratos has no API to age a flow: move its expiry into the past."""
    with sqlite3.connect(stack.sqlite_file) as db:
        changed = db.execute(
            f"UPDATE selfservice_{kind}_flows SET expires_at = datetime('now', '-1 minute') "
            "WHERE id = ?",
            (flow_id,),
        ).rowcount
    assert changed == 1, f"no {kind} flow {flow_id}"
