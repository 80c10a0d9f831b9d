"""Account recovery by a mailed code, ending in the settings flow with a new password."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from local_stack import LocalStack
from tests.e2e.kratos_api import (
    Browser,
    code_in,
    create_identity,
    error_id,
    message_ids,
    node,
    unique_email,
)

pytestmark = pytest.mark.e2e

RECOVERY_MAIL_SENT = 1060003
INVALID_CREDENTIALS = 4000006
SETTINGS_SAVED = 1050001


def is_recovery(subject: str) -> bool:
    return "recover" in subject.lower()


def test_recover_with_code_then_set_new_password(browser: Browser, stack: LocalStack) -> None:
    email = unique_email("recover")
    create_identity(stack, email, password="the old password 1")

    flow = browser.new_flow("recovery")
    sent = browser.submit(flow, {"method": "code", "email": email})
    assert sent.status_code == 200, sent.text
    flow = sent.json()
    assert flow["state"] == "sent_email"
    assert RECOVERY_MAIL_SENT in message_ids(flow)
    assert node(flow, "code")["attributes"]["type"] == "text"

    mail = stack.mailbox.wait_for(to=email, predicate=lambda m: is_recovery(m.subject))
    answer = browser.submit(flow, {"method": "code", "code": code_in(mail)})
    # A correct code logs the browser in and sends it to the UI's settings page.
    assert answer.status_code == 422, answer.text
    assert error_id(answer) == "browser_location_change_required"
    target = answer.json()["redirect_browser_to"]
    assert target.startswith(f"{stack.ui_url}/settings?flow=")
    assert browser.whoami().status_code == 200

    settings_id = parse_qs(urlsplit(target).query)["flow"][0]
    settings = browser.fetch("settings", settings_id)
    assert settings.status_code == 200
    saved = browser.submit(
        settings.json(), {"method": "password", "password": "the new password 2"}
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["state"] == "success"
    assert SETTINGS_SAVED in message_ids(saved.json())

    with Browser(stack) as elsewhere:
        refused = elsewhere.login(email, password="the old password 1")
        assert refused.status_code == 400
        assert INVALID_CREDENTIALS in message_ids(refused.json())
    with Browser(stack) as elsewhere:
        assert elsewhere.login(email, password="the new password 2").status_code == 200


def test_wrong_recovery_code_is_refused(browser: Browser, stack: LocalStack) -> None:
    email = unique_email("badrecover")
    create_identity(stack, email)
    flow = browser.submit(browser.new_flow("recovery"), {"method": "code", "email": email}).json()
    stack.mailbox.wait_for(to=email, predicate=lambda m: is_recovery(m.subject))
    answer = browser.submit(flow, {"method": "code", "code": "000000"})
    assert answer.status_code == 200
    assert any(m["type"] == "error" for m in answer.json()["ui"]["messages"])
    assert browser.whoami().status_code == 401


def test_unknown_address_gets_no_hint(browser: Browser, stack: LocalStack) -> None:
    """Kratos answers as if it sent mail, so the form cannot probe for accounts."""
    email = unique_email("stranger")
    answer = browser.submit(browser.new_flow("recovery"), {"method": "code", "email": email})
    assert answer.status_code == 200
    assert answer.json()["state"] == "sent_email"
