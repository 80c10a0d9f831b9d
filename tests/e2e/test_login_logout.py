"""Password login, the session it creates, and logout through the logout URL."""

from __future__ import annotations

import pytest

from local_stack import LocalStack
from tests.e2e.kratos_api import (
    PASSWORD,
    Browser,
    create_identity,
    error_id,
    message_ids,
    unique_email,
)

pytestmark = pytest.mark.e2e

INVALID_CREDENTIALS = 4000006


def test_login_whoami_logout(browser: Browser, stack: LocalStack) -> None:
    email = unique_email("login")
    identity = create_identity(stack, email)
    assert browser.whoami().status_code == 401

    answer = browser.login(email)
    assert answer.status_code == 200, answer.text
    session = answer.json()["session"]
    assert session["identity"]["id"] == identity["id"]
    assert session["authenticator_assurance_level"] == "aal1"
    assert [m["method"] for m in session["authentication_methods"]] == ["password"]
    assert "ory_kratos_session" in browser.http.cookies

    whoami = browser.whoami()
    assert whoami.status_code == 200
    assert whoami.json()["id"] == session["id"]
    assert whoami.json()["identity"]["traits"]["email"] == email

    logout = browser.http.get(f"{browser.public}self-service/logout/browser")
    assert logout.status_code == 200
    logout_url = logout.json()["logout_url"]
    assert logout_url.startswith(f"{browser.public}self-service/logout?token=")
    # With Accept: application/json Kratos ends the session with 204 instead of a redirect.
    assert browser.http.get(logout_url).status_code == 204
    assert browser.whoami().status_code == 401


def test_wrong_password_shows_message_on_flow(browser: Browser, stack: LocalStack) -> None:
    email = unique_email("wrongpw")
    create_identity(stack, email)
    answer = browser.login(email, password="not the password at all")
    assert answer.status_code == 400
    flow = answer.json()
    assert INVALID_CREDENTIALS in message_ids(flow)
    assert flow["ui"]["messages"][0]["type"] == "error"
    assert browser.whoami().status_code == 401


def test_unknown_account_gets_the_same_answer(browser: Browser) -> None:
    answer = browser.login(unique_email("nobody"), password=PASSWORD)
    assert answer.status_code == 400
    assert INVALID_CREDENTIALS in message_ids(answer.json())


def test_logged_in_browser_cannot_start_login_without_refresh(
    browser: Browser, stack: LocalStack
) -> None:
    email = unique_email("again")
    create_identity(stack, email)
    assert browser.login(email).status_code == 200
    again = browser.begin("login")
    assert again.status_code == 400
    assert error_id(again) == "session_already_available"
    assert browser.begin("login", refresh="true").status_code == 200


def test_logout_url_needs_a_session(browser: Browser) -> None:
    answer = browser.http.get(f"{browser.public}self-service/logout/browser")
    assert answer.status_code == 401
