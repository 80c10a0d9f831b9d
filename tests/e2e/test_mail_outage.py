"""No mail is lost while the SMTP server is down: the courier keeps retrying, then delivers.

The stack's courier retry budget (courier.retryWindow, 20 minutes by default) is what makes
this hold for a 15-minute outage (tests/settings/test_rendering.py checks the arithmetic);
here the SMTP server is down for 60 s during a verification request on the real Kratos.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from local_stack import LocalStack
from stack_settings.local import local_settings
from tests.e2e.kratos_api import Browser, create_identity, unique_email

pytestmark = pytest.mark.e2e

OUTAGE_SECONDS = 60
# What operators alert on (README: Mail that is never lost).
ABANDONED_LOG_LINE = "Message was abandoned because it did not deliver after"


@pytest.fixture(scope="module")
def outage_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    # Its own stack: the shared one's SMTP server must stay up for the other tests.
    with LocalStack(tmp_path_factory.mktemp("mail-outage-stack"), site_dir=None) as stack:
        yield stack


@pytest.fixture(scope="module")
def short_retry_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    # A 3 s retry window, so a mail is abandoned within the test, SMTP down from the start.
    courier = local_settings().courier.model_dump(mode="json", by_alias=True, exclude_none=True)
    with LocalStack(
        tmp_path_factory.mktemp("short-retry-stack"),
        overrides={"courier": {**courier, "retryWindow": "3s"}},
        site_dir=None,
    ) as stack:
        stack.stop_mail()
        yield stack


def courier_messages(stack: LocalStack, **query: str) -> list[dict[str, Any]]:
    """The admin API's courier messages, the query the README gives operators."""
    response = httpx.get(f"{stack.kratos_admin_url}admin/courier/messages", params=query)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def request_verification_mail(stack: LocalStack, email: str) -> None:
    with Browser(stack) as browser:
        flow = browser.new_flow("verification")
        sent = browser.submit(flow, {"method": "code", "email": email})
        assert sent.status_code == 200, sent.text
        assert sent.json()["state"] == "sent_email"


def test_a_mail_queued_during_an_smtp_outage_arrives_after_it(outage_stack: LocalStack) -> None:
    email = unique_email("outage")
    create_identity(outage_stack, email)
    outage_stack.stop_mail()
    try:
        request_verification_mail(outage_stack, email)
        ends = time.monotonic() + OUTAGE_SECONDS
        attempts = 0
        # Throughout the outage the mail stays queued (never abandoned) while Kratos retries.
        while time.monotonic() < ends:
            [message] = courier_messages(outage_stack, recipient=email)
            assert message["status"] in {"queued", "processing"}, message
            attempts = max(attempts, message["send_count"])
            assert outage_stack.mailbox.all() == []
            time.sleep(1)
        assert attempts >= 2, f"the courier tried only {attempts} time(s) during the outage"
    finally:
        outage_stack.start_mail()

    mail = outage_stack.mailbox.wait_for(to=email, timeout=30)
    assert "verify" in mail.subject.lower()
    [message] = courier_messages(outage_stack, recipient=email)
    assert message["status"] == "sent"
    assert courier_messages(outage_stack, status="abandoned") == []


def test_an_abandoned_mail_shows_in_the_admin_query_and_the_log(
    short_retry_stack: LocalStack,
) -> None:
    email = unique_email("abandoned")
    create_identity(short_retry_stack, email)
    request_verification_mail(short_retry_stack, email)
    deadline = time.monotonic() + 30
    while not (abandoned := courier_messages(short_retry_stack, status="abandoned")):
        assert time.monotonic() < deadline, courier_messages(short_retry_stack, recipient=email)
        time.sleep(0.5)
    assert [message["recipient"] for message in abandoned] == [email]
    # Kratos writes the log line when it marks the message, before answering the query.
    assert ABANDONED_LOG_LINE in short_retry_stack.kratos_log.read_text()
