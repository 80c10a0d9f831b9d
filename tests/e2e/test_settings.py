"""The settings flow: profile traits, password change, and the privileged-session rule."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from local_stack import LocalStack
from tests.e2e.kratos_api import (
    PASSWORD,
    Browser,
    admin_identity,
    create_identity,
    error_id,
    message_ids,
    node,
    unique_email,
)

pytestmark = pytest.mark.e2e

SETTINGS_SAVED = 1050001
INVALID_CREDENTIALS = 4000006


def test_profile_trait_update(browser: Browser, stack: LocalStack) -> None:
    email = unique_email("profile")
    identity = create_identity(stack, email)
    assert browser.login(email).status_code == 200

    flow = browser.new_flow("settings")
    assert node(flow, "traits.email")["attributes"]["value"] == email
    answer = browser.submit(
        flow,
        {"method": "profile", "traits": {"email": email, "name": {"first": "Grace"}}},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "success"
    assert SETTINGS_SAVED in message_ids(answer.json())
    assert admin_identity(stack, identity["id"])["traits"]["name"] == {"first": "Grace"}
    assert browser.whoami().json()["identity"]["traits"]["name"] == {"first": "Grace"}


def test_password_change(browser: Browser, stack: LocalStack) -> None:
    email = unique_email("pwchange")
    create_identity(stack, email, password="the first password 1")
    assert browser.login(email, password="the first password 1").status_code == 200

    flow = browser.new_flow("settings")
    answer = browser.submit(flow, {"method": "password", "password": "the second password 2"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "success"

    with Browser(stack) as other:
        assert other.login(email, password="the first password 1").status_code == 400
    with Browser(stack) as other:
        assert other.login(email, password="the second password 2").status_code == 200


def test_too_short_password_is_refused_with_message(browser: Browser, stack: LocalStack) -> None:
    email = unique_email("shortpw")
    create_identity(stack, email)
    assert browser.login(email).status_code == 200
    answer = browser.submit(browser.new_flow("settings"), {"method": "password", "password": "abc"})
    assert answer.status_code == 400
    password_messages = node(answer.json(), "password")["messages"]
    assert password_messages and password_messages[0]["type"] == "error"


def test_settings_need_a_session(browser: Browser) -> None:
    answer = browser.begin("settings")
    assert answer.status_code == 401
    assert error_id(answer) == "session_inactive"


def test_stale_session_must_log_in_again(stale_session_stack: LocalStack) -> None:
    stack = stale_session_stack
    email = unique_email("stale")
    create_identity(stack, email)
    with Browser(stack) as browser:
        first = browser.login(email).json()["session"]
        flow = browser.new_flow("settings")

        refused = browser.submit(flow, {"method": "password", "password": "a brand new secret 3"})
        assert refused.status_code == 403, refused.text
        assert error_id(refused) == "session_refresh_required"
        relogin = refused.json()["redirect_browser_to"]
        assert relogin.startswith(f"{stack.kratos_public_url}self-service/login/browser?")
        query = parse_qs(urlsplit(relogin).query)
        assert query["refresh"] == ["true"]
        assert query["return_to"] == [
            f"{stack.kratos_public_url}self-service/settings?flow={flow['id']}"
        ]

        # Changing the login identifier is privileged too; other traits are not.
        moved = browser.submit(
            flow, {"method": "profile", "traits": {"email": unique_email("moved")}}
        )
        assert moved.status_code == 403
        assert error_id(moved) == "session_refresh_required"

        refresh = browser.http.get(relogin)
        assert refresh.status_code == 200
        refresh_flow = refresh.json()
        assert refresh_flow["refresh"] is True
        assert node(refresh_flow, "identifier")["attributes"]["value"] == email
        wrong = browser.submit(
            refresh_flow, {"method": "password", "identifier": email, "password": "nope nope 1"}
        )
        assert wrong.status_code == 400
        assert INVALID_CREDENTIALS in message_ids(wrong.json())
        again = browser.submit(
            refresh_flow, {"method": "password", "identifier": email, "password": PASSWORD}
        )
        assert again.status_code == 200, again.text
        renewed = again.json()["session"]
        assert renewed["id"] == first["id"]
        assert moment(renewed["authenticated_at"]) > moment(first["authenticated_at"])
        assert {"action": "redirect_browser_to", "redirect_browser_to": query["return_to"][0]} in (
            again.json()["continue_with"]
        )


def moment(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp)
