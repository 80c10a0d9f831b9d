"""Kratos's public API driven the way the UI's JavaScript drives it from a browser.

A cookie jar (Kratos's CSRF and session cookies), `Accept: application/json` so Kratos
answers with JSON instead of redirects, the CSRF token read from the flow's nodes, and
submissions to the flow's `ui.action`.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from local_stack import LocalStack, Mail

Flow = dict[str, Any]
JSON = {"Accept": "application/json"}
PASSWORD = "correct horse battery 42"


def unique_email(label: str) -> str:
    """A fresh address per test, so tests can share one stack (and one inbox)."""
    return f"{label}-{uuid.uuid4().hex[:10]}@example.org"


class Browser:
    """One browser profile: its own cookies, talking to the stack's public API."""

    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        self.public = stack.kratos_public_url
        # Kratos must answer a JSON fetch with JSON, never with a redirect to follow.
        self.http = httpx.Client(headers=JSON, follow_redirects=False, timeout=15)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.http.close()

    def begin(self, flow: str, **params: str) -> httpx.Response:
        """GET /self-service/<flow>/browser, the call a UI page makes when it has no flow id."""
        return self.http.get(f"{self.public}self-service/{flow}/browser", params=params)

    def new_flow(self, flow: str, **params: str) -> Flow:
        response = self.begin(flow, **params)
        assert response.status_code == 200, response.text
        body: Flow = response.json()
        return body

    def fetch(self, flow: str, flow_id: str) -> httpx.Response:
        """GET /self-service/<flow>/flows?id=..., what a UI page does with ?flow= in its URL."""
        return self.http.get(f"{self.public}self-service/{flow}/flows", params={"id": flow_id})

    def submit(self, flow: Flow, payload: dict[str, Any], csrf: bool = True) -> httpx.Response:
        body = {"csrf_token": csrf_token(flow), **payload} if csrf else dict(payload)
        return self.http.post(flow["ui"]["action"], json=body)

    def whoami(self) -> httpx.Response:
        return self.http.get(f"{self.public}sessions/whoami")

    # --- whole journeys used by several tests -------------------------------------------

    def register(self, email: str, password: str = PASSWORD, first: str = "Ada") -> Flow:
        """Kratos v1.3.1's two-step sign-up: traits first (method=profile), then the password."""
        traits = {"email": email, "name": {"first": first, "last": "Lovelace"}}
        flow = self.new_flow("registration")
        step = self.submit(flow, {"method": "profile", "traits": traits})
        # The intermediate step answers 400 with the same flow, now asking for a credential.
        assert step.status_code == 400, step.text
        flow = step.json()
        done = self.submit(flow, {"method": "password", "password": password, "traits": traits})
        assert done.status_code == 200, done.text
        result: Flow = done.json()
        return result

    def login(self, email: str, password: str = PASSWORD, **params: str) -> httpx.Response:
        flow = self.new_flow("login", **params)
        return self.submit(flow, {"method": "password", "identifier": email, "password": password})


def csrf_token(flow: Flow) -> str:
    token: str = node(flow, "csrf_token")["attributes"]["value"]
    return token


def node(flow: Flow, name: str) -> dict[str, Any]:
    """The first node whose input is called `name`."""
    for candidate in flow["ui"]["nodes"]:
        if candidate["attributes"].get("name") == name:
            found: dict[str, Any] = candidate
            return found
    names = [n["attributes"].get("name") for n in flow["ui"]["nodes"]]
    raise AssertionError(f"no node named {name!r}; nodes: {names}")


def node_names(flow: Flow) -> list[str]:
    return [n["attributes"].get("name") for n in flow["ui"]["nodes"]]


def messages(flow: Flow) -> list[dict[str, Any]]:
    """Every message on the flow: the flow's own and each node's, as the UI shows them."""
    found = list(flow["ui"].get("messages") or [])
    for each in flow["ui"]["nodes"]:
        found += each["messages"]
    return found


def message_ids(flow: Flow) -> set[int]:
    return {message["id"] for message in messages(flow)}


def error_id(response: httpx.Response) -> str:
    """The `error.id` of a Kratos error answer (e.g. security_csrf_violation)."""
    error_id: str = response.json()["error"]["id"]
    return error_id


def code_in(mail: Mail) -> str:
    """The one-time code Kratos's templates put on a line of its own."""
    found = re.search(r"^\s*(\d{6})\s*$", mail.text, re.MULTILINE)
    assert found, f"no 6-digit code in mail {mail.subject!r}: {mail.text!r}"
    return found.group(1)


def admin_identity(stack: LocalStack, identity_id: str) -> dict[str, Any]:
    response = httpx.get(f"{stack.kratos_admin_url}admin/identities/{identity_id}", timeout=15)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def create_identity(stack: LocalStack, email: str, password: str = PASSWORD) -> dict[str, Any]:
    """An identity with a password, made through the admin API (when sign-up is not the test)."""
    response = httpx.post(
        f"{stack.kratos_admin_url}admin/identities",
        json={
            "schema_id": stack.settings.resolved_default_schema,
            "traits": {"email": email},
            "credentials": {"password": {"config": {"password": password}}},
        },
        timeout=15,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
