"""The mail sink: an SMTP server on loopback that files every message as an .eml file.

A person reads the folder with any mail client; tests read it through Mailbox.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import itertools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from local_stack.errors import LocalStackError


@dataclass(frozen=True)
class Mail:
    """One received message, already decoded."""

    path: Path
    to: tuple[str, ...]
    subject: str
    text: str
    html: str

    @classmethod
    def read(cls, path: Path) -> Mail:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        to = tuple(addr.lower() for _, addr in getaddresses(message.get_all("To", [])))
        return cls(
            path=path,
            to=to,
            subject=str(message.get("Subject", "")),
            text=_body(message, "plain"),
            html=_body(message, "html"),
        )


def _body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return ""
    content: str = part.get_content()
    return content


class _FileHandler:
    """aiosmtpd handler: accept every recipient, store each message under a sortable name."""

    def __init__(self, mail_dir: Path) -> None:
        self.mail_dir = mail_dir
        self._counter = itertools.count()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content
        data = content.encode() if isinstance(content, str) else bytes(content or b"")
        name = f"{time.time_ns()}-{next(self._counter):04d}.eml"
        partial = self.mail_dir / f".{name}.part"
        partial.write_bytes(data)
        # Rename last so a reader never sees half a message.
        os.replace(partial, self.mail_dir / name)
        return "250 Message accepted for delivery"


class MailSink:
    """Start/stop wrapper around the SMTP server thread."""

    def __init__(self, mail_dir: Path, host: str, port: int) -> None:
        mail_dir.mkdir(parents=True, exist_ok=True)
        self.mail_dir = mail_dir
        self._controller = Controller(_FileHandler(mail_dir), hostname=host, port=port)

    def start(self) -> None:
        try:
            self._controller.start()
        except Exception as error:  # aiosmtpd surfaces bind errors from its thread
            raise LocalStackError(
                f"the SMTP server could not listen on {self._controller.hostname}:"
                f"{self._controller.port} ({error}); free the port or pick another"
            ) from None

    def stop(self) -> None:
        # aiosmtpd asserts when stop() comes before a successful start().
        with contextlib.suppress(AssertionError):
            self._controller.stop()


class MailTimeout(AssertionError):
    """No matching mail arrived in time; lists what did arrive to make the failure readable."""


class Mailbox:
    """Read access to the mail folder for tests."""

    def __init__(self, mail_dir: Path) -> None:
        self.mail_dir = mail_dir

    def all(self) -> list[Mail]:
        """Every message so far, oldest first."""
        return [Mail.read(path) for path in sorted(self.mail_dir.glob("*.eml"))]

    def wait_for(
        self,
        to: str,
        predicate: Callable[[Mail], bool] | None = None,
        timeout: float = 30,
        poll: float = 0.1,
    ) -> Mail:
        """The newest message to `to` matching predicate; polls until one arrives or timeout."""
        deadline = time.monotonic() + timeout
        wanted = to.lower()
        while True:
            matches = [
                mail
                for mail in self.all()
                if wanted in mail.to and (predicate is None or predicate(mail))
            ]
            if matches:
                return matches[-1]
            if time.monotonic() >= deadline:
                seen = [f"{', '.join(m.to)}: {m.subject!r}" for m in self.all()] or ["nothing"]
                raise MailTimeout(
                    f"no matching mail to {to} within {timeout}s; the inbox holds: "
                    + "; ".join(seen)
                )
            time.sleep(poll)
