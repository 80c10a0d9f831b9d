"""The SMTP sink files each message as .eml; the mailbox finds and decodes them."""

from __future__ import annotations

import re
import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from local_stack.mail import Mailbox, MailSink, MailTimeout
from local_stack.ports import free_port


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[tuple[int, Mailbox]]:
    port = free_port()
    server = MailSink(tmp_path / "mail", "127.0.0.1", port)
    server.start()
    try:
        yield port, Mailbox(tmp_path / "mail")
    finally:
        server.stop()


def send(port: int, to: str, subject: str, text: str, html: str | None = None) -> None:
    message = EmailMessage()
    message["From"] = "no-reply@example.org"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    with smtplib.SMTP("127.0.0.1", port) as client:
        client.send_message(message)


def test_message_is_stored_and_decoded(sink: tuple[int, Mailbox]) -> None:
    port, mailbox = sink
    send(port, "Ada <Ada@Example.org>", "Größe prüfen", "code:\n\n123456\n", "<p>123456</p>")
    mail = mailbox.wait_for(to="ada@example.org", timeout=5)
    assert mail.to == ("ada@example.org",)
    assert mail.subject == "Größe prüfen"
    assert "123456" in mail.text
    assert mail.html.strip() == "<p>123456</p>"
    assert mail.path.suffix == ".eml" and mail.path.parent == mailbox.mail_dir
    assert [m.path for m in mailbox.all()] == [mail.path]


def test_predicate_picks_the_newest_match(sink: tuple[int, Mailbox]) -> None:
    port, mailbox = sink
    send(port, "bo@example.org", "Please verify", "first")
    send(port, "bo@example.org", "Recover access", "second")
    send(port, "bo@example.org", "Please verify", "third")
    assert mailbox.wait_for(to="bo@example.org", timeout=5).text.strip() == "third"
    recover = mailbox.wait_for(
        to="bo@example.org", predicate=lambda m: "Recover" in m.subject, timeout=5
    )
    assert recover.text.strip() == "second"


def test_timeout_lists_what_arrived(sink: tuple[int, Mailbox]) -> None:
    port, mailbox = sink
    send(port, "someone@example.org", "Hello", "hi")
    mailbox.wait_for(to="someone@example.org", timeout=5)
    with pytest.raises(MailTimeout, match=re.escape("someone@example.org: 'Hello'")):
        mailbox.wait_for(to="nobody@example.org", timeout=0.3)
