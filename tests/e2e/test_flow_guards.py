"""What Kratos refuses: forged submissions, expired flows, foreign return URLs."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from local_stack import LocalStack
from tests.e2e.kratos_api import PASSWORD, Browser, csrf_token, error_id, unique_email

pytestmark = pytest.mark.e2e


def login_payload(email: str) -> dict[str, str]:
    return {"method": "password", "identifier": email, "password": PASSWORD}


def test_missing_csrf_token_is_refused(browser: Browser) -> None:
    flow = browser.new_flow("login")
    answer = browser.submit(flow, login_payload(unique_email("nocsrf")), csrf=False)
    assert answer.status_code == 403
    assert error_id(answer) == "security_csrf_violation"


def test_wrong_csrf_token_is_refused(browser: Browser) -> None:
    flow = browser.new_flow("login")
    forged = {"csrf_token": "A" * len(csrf_token(flow)), **login_payload(unique_email("bad"))}
    answer = browser.submit(flow, forged, csrf=False)
    assert answer.status_code == 403
    assert error_id(answer) == "security_csrf_violation"


def test_token_without_its_cookie_is_refused(browser: Browser, stack: LocalStack) -> None:
    """Another browser (no CSRF cookie) cannot replay a flow and token it saw."""
    flow = browser.new_flow("registration")
    with Browser(stack) as attacker:
        answer = attacker.http.post(
            flow["ui"]["action"],
            json={
                "csrf_token": csrf_token(flow),
                "method": "profile",
                "traits": {"email": "x@y.z"},
            },
        )
    assert answer.status_code == 403
    assert error_id(answer) == "security_csrf_violation"


@pytest.mark.parametrize("flow_name", ["login", "registration", "recovery", "verification"])
def test_expired_flow_is_gone(expired_flow_stack: LocalStack, flow_name: str) -> None:
    with Browser(expired_flow_stack) as browser:
        flow = browser.new_flow(flow_name)
        fetched = browser.fetch(flow_name, flow["id"])
    assert fetched.status_code == 410
    error = fetched.json()["error"]
    # Only login and registration name the error; every flow says where to start again.
    assert error.get("id", "self_service_flow_expired") == "self_service_flow_expired"
    restart = f"{expired_flow_stack.kratos_public_url}self-service/{flow_name}/browser"
    assert error["details"]["redirect_to"] == restart


@pytest.mark.parametrize("flow_name", ["login", "registration"])
def test_submitting_expired_flow_offers_a_new_one(
    expired_flow_stack: LocalStack, flow_name: str
) -> None:
    with Browser(expired_flow_stack) as browser:
        flow = browser.new_flow(flow_name)
        submitted = browser.submit(flow, {"method": "password"})
    assert submitted.status_code == 410
    assert error_id(submitted) == "self_service_flow_expired"
    assert submitted.json()["use_flow_id"] != flow["id"]


@pytest.mark.parametrize("flow_name", ["recovery", "verification"])
def test_submitting_expired_mail_flow_redirects_to_a_new_one(
    expired_flow_stack: LocalStack, flow_name: str
) -> None:
    """Recovery and verification answer a JSON submit with a 303 to the new flow's JSON."""
    with Browser(expired_flow_stack) as browser:
        flow = browser.new_flow(flow_name)
        submitted = browser.submit(flow, {"method": "code", "email": unique_email("late")})
    assert submitted.status_code == 303
    location = urlsplit(submitted.headers["location"])
    public = urlsplit(expired_flow_stack.kratos_public_url)
    assert (location.netloc, location.path) == (public.netloc, f"/self-service/{flow_name}/flows")
    assert parse_qs(location.query)["id"] != [flow["id"]]


@pytest.mark.parametrize("flow_name", ["login", "registration", "recovery"])
def test_return_to_outside_allowed_urls_is_refused(
    browser: Browser, stack: LocalStack, flow_name: str
) -> None:
    answer = browser.begin(flow_name, return_to="https://evil.example.net/")
    assert answer.status_code == 400
    assert error_id(answer) == "self_service_flow_return_to_forbidden"


def test_return_to_on_the_ui_origin_is_kept(browser: Browser, stack: LocalStack) -> None:
    target = f"{stack.ui_url}/settings"
    flow = browser.new_flow("login", return_to=target)
    assert flow["return_to"] == target
