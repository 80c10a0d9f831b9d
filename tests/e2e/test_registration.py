"""Sign-up with a password, then email verification with the code from the mail."""

from __future__ import annotations

import pytest

from local_stack import LocalStack
from tests.e2e.kratos_api import (
    Browser,
    admin_identity,
    code_in,
    message_ids,
    messages,
    node,
    node_names,
    unique_email,
)

pytestmark = pytest.mark.e2e

ACCOUNT_EXISTS = 4000007  # "An account with the same identifier ... exists already."
VERIFICATION_DONE = 1080002  # "You successfully verified your email address."


def is_verification(mail_subject: str) -> bool:
    return "verify" in mail_subject.lower()


def test_first_step_asks_for_traits_only(browser: Browser) -> None:
    flow = browser.new_flow("registration")
    assert flow["state"] == "choose_method"
    assert {"traits.email", "traits.name.first", "csrf_token", "method"} <= set(node_names(flow))
    assert "password" not in node_names(flow)
    assert node(flow, "method")["attributes"]["value"] == "profile"


def test_profile_step_answers_400_with_the_password_step(browser: Browser) -> None:
    email = unique_email("two-step")
    flow = browser.new_flow("registration")
    response = browser.submit(flow, {"method": "profile", "traits": {"email": email}})
    assert response.status_code == 400
    step = response.json()
    assert step["id"] == flow["id"]
    assert node(step, "password")["attributes"]["type"] == "password"
    # The traits travel on as hidden inputs, so the password step re-sends them.
    email_node = node(step, "traits.email")["attributes"]
    assert (email_node["type"], email_node["value"]) == ("hidden", email)


def test_sign_up_then_verify_with_mailed_code(browser: Browser, stack: LocalStack) -> None:
    email = unique_email("signup")
    result = browser.register(email)

    identity = result["identity"]
    assert identity["traits"]["email"] == email
    assert identity["schema_id"] == stack.settings.resolved_default_schema
    assert result["session"]["active"] is True
    assert browser.whoami().json()["identity"]["id"] == identity["id"]
    actions = {item["action"]: item for item in result["continue_with"]}
    verification = actions["show_verification_ui"]["flow"]
    assert verification["verifiable_address"] == email
    assert verification["url"].startswith(f"{stack.ui_url}/verification?flow=")

    mail = stack.mailbox.wait_for(to=email, predicate=lambda m: is_verification(m.subject))
    flow_response = browser.fetch("verification", verification["id"])
    assert flow_response.status_code == 200
    flow = flow_response.json()
    assert flow["state"] == "sent_email"

    answer = browser.submit(flow, {"method": "code", "code": code_in(mail)})
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "passed_challenge"
    assert VERIFICATION_DONE in message_ids(answer.json())

    stored = admin_identity(stack, identity["id"])
    address = stored["verifiable_addresses"][0]
    assert (address["value"], address["verified"], address["status"]) == (email, True, "completed")


def test_wrong_verification_code_is_refused(browser: Browser, stack: LocalStack) -> None:
    email = unique_email("badcode")
    result = browser.register(email)
    flow_id = next(
        item["flow"]["id"]
        for item in result["continue_with"]
        if item["action"] == "show_verification_ui"
    )
    stack.mailbox.wait_for(to=email, predicate=lambda m: is_verification(m.subject))
    flow = browser.fetch("verification", flow_id).json()
    answer = browser.submit(flow, {"method": "code", "code": "000000"})
    assert answer.status_code == 200
    assert answer.json()["state"] == "sent_email"
    assert any(m["type"] == "error" for m in messages(answer.json()))
    stored = admin_identity(stack, result["identity"]["id"])
    assert stored["verifiable_addresses"][0]["verified"] is False


def test_second_sign_up_with_same_email_is_refused(browser: Browser) -> None:
    email = unique_email("twice")
    browser.register(email)
    with Browser(browser.stack) as other:
        traits = {"email": email}
        flow = other.new_flow("registration")
        flow = other.submit(flow, {"method": "profile", "traits": traits}).json()
        answer = other.submit(
            flow, {"method": "password", "password": "another long pass 1", "traits": traits}
        )
        assert answer.status_code == 400
        assert ACCOUNT_EXISTS in message_ids(answer.json())
