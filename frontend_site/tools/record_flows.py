"""Record Kratos flow JSON from the real Kratos v1.3.1 binary as fixtures for the UI unit tests.

Usage: scripts/record-flows [--out frontend_site/test/fixtures]   (runs this file)

Starts the pinned Kratos (sqlite, temp dir, 127.0.0.1 only) with an SMTP sink, then walks
every self-service flow the way the SPA does (JSON, cookies, csrf_token in the body) and saves
each response as {"request": ..., "status": ..., "body": ...}. Two profiles:
  local        the local stack's exact settings (password, TOTP, recovery codes, mail by code)
  all-methods  also WebAuthn, passkeys and one-time codes, and a hostile trait title, so the
               renderer meets every node type Kratos sends (script, onclick triggers, ...)
Nothing here is a test: it only writes files, which the node tests then read.
"""

from __future__ import annotations

import argparse
import contextlib
import email
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pyotp
from aiosmtpd.controller import Controller

from kratos_config.build import render
from kratos_config.files import write_rendered
from stack_settings.local import LocalPorts, local_settings

ROOT = Path(__file__).resolve().parents[2]
KRATOS = ROOT / ".cache/kratos/v1.3.1/kratos"
HOSTILE = '<img src=x onerror=alert(1)>"><script>alert(2)</script>'
PASSWORD = "correct-horse-battery-staple-42"
NEW_PASSWORD = "another-horse-battery-staple-43"
DEADLINE = 30.0
KRATOS_TEST = "http://kratos.test/"
UI_TEST = "http://ui.test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MailSink:
    """aiosmtpd handler keeping every message Kratos sends."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def code_for(self, to: str, seen: int) -> str:
        """The six-digit code of the first mail to `to` after the first `seen` mails."""
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            for msg in self.messages[seen:]:
                if to in str(msg["To"]):
                    match = re.search(r"\b(\d{6})\b", _text(msg))
                    if match:
                        return match.group(1)
            time.sleep(0.1)
        raise SystemExit(f"no mail with a code reached {to} within {DEADLINE}s")


def _text(msg: Message) -> str:
    parts = msg.walk() if msg.is_multipart() else [msg]
    out = []
    for part in parts:
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                out.append(payload.decode(errors="replace"))
    return "\n".join(out)


def _patch_all_methods(config: dict[str, Any], schemas: dict[str, Any], ui_origin: str) -> None:
    """Turn on what the local profile cannot (WebAuthn needs a host name, not 127.0.0.1)."""
    methods = config["selfservice"]["methods"]
    rp = {"id": "localhost", "display_name": "Recorder", "origins": [ui_origin]}
    methods["webauthn"] = {"enabled": True, "config": {"rp": rp, "passwordless": False}}
    methods["passkey"] = {"enabled": True, "config": {"rp": rp}}
    methods["code"] = {**methods.get("code", {}), "enabled": True, "passwordless_enabled": True}
    for schema in schemas.values():
        email_trait = schema["properties"]["traits"]["properties"]["email"]
        creds = email_trait["ory.sh/kratos"]["credentials"]
        creds["webauthn"] = {"identifier": True}
        creds["passkey"] = {"display_name": True}
        # A hostile title reaches the UI as a node label.
        schema["properties"]["traits"]["properties"]["name"]["title"] = HOSTILE
        schema["properties"]["traits"]["properties"]["name"]["properties"]["first"]["title"] = (
            HOSTILE
        )


@contextlib.contextmanager
def kratos(profile: str) -> Iterator[tuple[str, str, MailSink, Path]]:
    """A running Kratos for a profile: (public URL, UI origin, mail sink, work dir)."""
    ports = LocalPorts(
        ui=free_port(), kratos_public=free_port(), kratos_admin=free_port(), smtp=free_port()
    )
    settings = local_settings(ports)
    with tempfile.TemporaryDirectory(prefix="record-flows-") as tmp:
        work = Path(tmp)
        rendered = render(settings, work.as_uri() + "/", f"http://127.0.0.1:{ports.kratos_admin}/")
        if profile == "all-methods":
            _patch_all_methods(rendered.config, rendered.schemas, settings.ui_origin)
        # Short enough that the recorder can observe the re-authentication prompt.
        rendered.config["selfservice"]["flows"]["settings"]["privileged_session_max_age"] = "8s"
        write_rendered(rendered, work)
        sink = MailSink()
        smtp = Controller(sink, hostname="127.0.0.1", port=ports.smtp)
        smtp.start()
        env = {
            **os.environ,
            "DSN": f"sqlite://{work}/db.sqlite?_fk=true&mode=rwc",
            "SECRETS_COOKIE_0": os.urandom(16).hex(),
            "SECRETS_CIPHER_0": os.urandom(16).hex(),
            "SECRETS_DEFAULT_0": os.urandom(16).hex(),
            "COURIER_SMTP_CONNECTION_URI": f"smtp://127.0.0.1:{ports.smtp}/?disable_starttls=true",
            "SERVE_PUBLIC_HOST": "127.0.0.1",
            "SERVE_PUBLIC_PORT": str(ports.kratos_public),
            "SERVE_ADMIN_HOST": "127.0.0.1",
            "SERVE_ADMIN_PORT": str(ports.kratos_admin),
        }
        config = str(work / "kratos.yaml")
        subprocess.run(
            [str(KRATOS), "migrate", "sql", "-e", "--yes", "-c", config],
            env=env,
            check=True,
            capture_output=True,
        )
        log = (work / "kratos.log").open("w")
        proc = subprocess.Popen(
            [str(KRATOS), "serve", "-c", config, "--dev", "--watch-courier", "--sqa-opt-out"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = settings.kratos_public_url
            _wait_ready(base, proc, work)
            yield base, settings.ui_origin, sink, work
        finally:
            proc.terminate()
            proc.wait(10)
            smtp.stop()
            log.close()


def _wait_ready(base: str, proc: subprocess.Popen[bytes], work: Path) -> None:
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit("kratos exited:\n" + (work / "kratos.log").read_text()[-3000:])
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(base + "health/ready").status_code == 200:
                return
        time.sleep(0.1)
    raise SystemExit(f"kratos not ready within {DEADLINE}s")


class Browser:
    """A cookie-keeping JSON client that talks to Kratos like the SPA does."""

    def __init__(self, base: str, ui_origin: str, out: Path) -> None:
        self.base = base
        self.ui_origin = ui_origin
        self.out = out
        self.client = httpx.Client(headers={"Accept": "application/json"}, follow_redirects=True)

    def save(self, name: str, request: dict[str, Any], res: httpx.Response) -> Any:
        body = res.json() if res.content else None
        record = {"request": request, "status": res.status_code, "body": body}
        text = json.dumps(record, indent=1, sort_keys=True)
        # Stable hosts: the tests serve the UI as http://ui.test and Kratos as http://kratos.test.
        text = text.replace(self.base, KRATOS_TEST).replace(self.ui_origin, UI_TEST)
        text = text.replace(quote(self.ui_origin, safe=""), quote(UI_TEST, safe=""))
        text = text.replace(quote(self.base, safe=""), quote(KRATOS_TEST, safe=""))
        (self.out / f"{name}.json").write_text(text + "\n")
        print(f"  {name}: {res.status_code}")
        return body

    def get(self, name: str, path: str, **params: str) -> Any:
        res = self.client.get(self.base + path, params=params)
        return self.save(name, {"method": "GET", "path": path, "query": params}, res)

    def submit(self, name: str, flow: dict[str, Any], **body: Any) -> Any:
        body = {"csrf_token": csrf(flow), **body}
        res = self.client.post(flow["ui"]["action"], json=body)
        shown = {k: ("<csrf>" if k == "csrf_token" else v) for k, v in body.items()}
        return self.save(name, {"method": "POST", "action": "ui.action", "body": shown}, res)


def csrf(flow: dict[str, Any]) -> str:
    return str(node_value(flow, "csrf_token"))


def node_value(flow: dict[str, Any], name: str) -> Any:
    for node in flow["ui"]["nodes"]:
        if node["attributes"].get("name") == name:
            return node["attributes"].get("value")
    raise SystemExit(f"flow {flow.get('id')} has no node named {name}")


def text_node(flow: dict[str, Any], node_id: str) -> dict[str, Any]:
    for node in flow["ui"]["nodes"]:
        if node["type"] == "text" and node["attributes"].get("id") == node_id:
            return dict(node["attributes"]["text"])
    raise SystemExit(f"flow {flow.get('id')} has no text node {node_id}")


def expire_flow(work: Path, table: str, flow_id: str) -> None:
    """Kratos has no API to age a flow; move its expiry into the past in the database."""
    with sqlite3.connect(work / "db.sqlite") as db:
        db.execute(
            f"UPDATE {table} SET expires_at = '2000-01-01 00:00:00' WHERE id = ?", (flow_id,)
        )


def wait_privileged_session_expired(b: Browser) -> Any:
    """Poll until Kratos answers a settings submit with the re-authentication prompt."""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        flow = b.client.get(b.base + "self-service/settings/browser").json()
        res = b.client.post(
            flow["ui"]["action"],
            json={"csrf_token": csrf(flow), "method": "password", "password": NEW_PASSWORD},
        )
        if res.status_code == 403:
            return flow
        time.sleep(0.5)
    raise SystemExit("the privileged session never expired")


def record_local(b: Browser, sink: MailSink, work: Path) -> None:
    address = "ada@example.com"
    reg = b.get("registration.browser", "self-service/registration/browser")
    b.submit(
        "registration.profile.invalid",
        reg,
        method="profile",
        traits={"email": HOSTILE, "name": {"first": HOSTILE}},
    )
    step2 = b.submit(
        "registration.profile",
        reg,
        method="profile",
        traits={"email": address, "name": {"first": HOSTILE, "last": "Lovelace"}},
    )
    b.submit(
        "registration.password.invalid",
        step2,
        method="password",
        password="short",
        traits={"email": address, "name": {"first": HOSTILE, "last": "Lovelace"}},
    )
    seen = len(sink.messages)
    done = b.submit(
        "registration.success",
        step2,
        method="password",
        password=PASSWORD,
        traits={"email": address, "name": {"first": HOSTILE, "last": "Lovelace"}},
    )
    ver_id = next(
        c["flow"]["id"] for c in done["continue_with"] if c["action"] == "show_verification_ui"
    )
    ver = b.get("verification.flow", "self-service/verification/flows", id=ver_id)
    b.submit("verification.code.invalid", ver, method="code", code="000000")
    ver = b.get("verification.flow.after-invalid", "self-service/verification/flows", id=ver_id)
    b.submit("verification.passed", ver, method="code", code=sink.code_for(address, seen))
    b.get("whoami.aal1", "sessions/whoami")
    b.get("login.browser.session-already-available", "self-service/login/browser")

    settings = b.get("settings.browser", "self-service/settings/browser")
    settings = b.submit(
        "settings.profile.success",
        settings,
        method="profile",
        traits={"email": address, "name": {"first": "Ada", "last": HOSTILE}},
    )
    b.submit(
        "settings.profile.invalid",
        settings,
        method="profile",
        traits={"email": "not-an-email", "name": {"first": "Ada"}},
    )
    settings = b.get("settings.browser.2", "self-service/settings/browser")
    revealed = b.submit(
        "settings.lookup.regenerate",
        settings,
        method="lookup_secret",
        lookup_secret_regenerate=True,
    )
    codes = text_node(revealed, "lookup_secret_codes")["context"]["secrets"]
    b.submit(
        "settings.lookup.confirm", revealed, method="lookup_secret", lookup_secret_confirm=True
    )
    settings = b.get("settings.browser.3", "self-service/settings/browser")
    b.submit("settings.totp.invalid", settings, method="totp", totp_code="000000")
    settings = b.get("settings.browser.4", "self-service/settings/browser")
    # Each settings flow carries a fresh TOTP secret; read it from the flow we submit to.
    secret = text_node(settings, "totp_secret_key")["text"]
    b.submit("settings.totp.success", settings, method="totp", totp_code=pyotp.TOTP(secret).now())
    b.get("settings.browser.with-2fa", "self-service/settings/browser")
    b.get("settings.browser.revealed", "self-service/settings/browser")

    settings = b.get("settings.browser.5", "self-service/settings/browser")
    b.submit("settings.password.success", settings, method="password", password=NEW_PASSWORD)
    stale = wait_privileged_session_expired(b)
    b.submit("settings.password.refresh-required", stale, method="password", password=NEW_PASSWORD)
    logout = b.get("logout.browser", "self-service/logout/browser")
    res = b.client.get(logout["logout_url"])
    b.save("logout.perform", {"method": "GET", "path": "logout_url"}, res)
    b.get("whoami.unauthenticated", "sessions/whoami")
    b.get("settings.browser.unauthenticated", "self-service/settings/browser")

    login = b.get("login.browser", "self-service/login/browser")
    b.submit(
        "login.password.invalid", login, method="password", identifier=HOSTILE, password="wrong"
    )
    b.submit(
        "login.password.success",
        login,
        method="password",
        identifier=address,
        password=NEW_PASSWORD,
    )
    b.get("whoami.aal2-required", "sessions/whoami")
    aal2 = b.get("login.browser.aal2", "self-service/login/browser", aal="aal2")
    b.submit("login.totp.invalid", aal2, method="totp", totp_code="000000")
    aal2 = b.get("login.flow.aal2", "self-service/login/flows", id=aal2["id"])
    b.submit("login.lookup.success", aal2, method="lookup_secret", lookup_secret=codes[0]["text"])
    b.get("whoami.aal2", "sessions/whoami")
    b.get("login.browser.refresh", "self-service/login/browser", refresh="true")
    b.get(
        "login.browser.return-to-forbidden",
        "self-service/login/browser",
        return_to="https://evil.example.net/",
    )

    b.client.cookies.clear()
    login = b.get("login.browser.2", "self-service/login/browser")
    expire_flow(work, "selfservice_login_flows", login["id"])
    b.submit("login.expired", login, method="password", identifier=address, password=NEW_PASSWORD)
    login = b.get("login.browser.3", "self-service/login/browser")
    b.client.cookies.clear()
    b.submit(
        "login.csrf-violation", login, method="password", identifier=address, password=NEW_PASSWORD
    )

    rec = b.get("recovery.browser", "self-service/recovery/browser")
    b.submit("recovery.email.invalid", rec, method="code", email=HOSTILE)
    rec = b.get("recovery.browser.2", "self-service/recovery/browser")
    seen = len(sink.messages)
    sent = b.submit("recovery.sent", rec, method="code", email=address)
    b.submit("recovery.code.invalid", sent, method="code", code="000000")
    sent = b.get("recovery.flow.after-invalid", "self-service/recovery/flows", id=sent["id"])
    done = b.submit("recovery.code.success", sent, method="code", code=sink.code_for(address, seen))
    flow_id = re.search(r"flow=([0-9a-f-]+)", done["redirect_browser_to"]).group(1)  # type: ignore[union-attr]
    b.get("settings.flow.after-recovery", "self-service/settings/flows", id=flow_id)

    b.client.cookies.clear()
    rec = b.get("recovery.browser.3", "self-service/recovery/browser")
    expire_flow(work, "selfservice_recovery_flows", rec["id"])
    b.submit("recovery.expired", rec, method="code", email=address)
    b.get("errors.stub", "self-service/errors", id="stub:500")
    res = b.client.get(
        b.base + "self-service/login/browser",
        params={"return_to": "https://evil.example.net/"},
        headers={"Accept": "text/html"},
        follow_redirects=False,
    )
    error_id = re.search(r"id=([0-9a-f-]+)", res.headers["location"]).group(1)  # type: ignore[union-attr]
    b.get("errors.return-to-forbidden", "self-service/errors", id=error_id)
    b.get("errors.unknown", "self-service/errors", id="00000000-0000-0000-0000-000000000000")


def record_all_methods(b: Browser, sink: MailSink, work: Path) -> None:
    b.get("login.browser", "self-service/login/browser")
    reg = b.get("registration.browser", "self-service/registration/browser")
    step2 = b.submit(
        "registration.profile",
        reg,
        method="profile",
        traits={"email": "grace@example.com", "name": {"first": HOSTILE}},
    )
    b.submit(
        "registration.success",
        step2,
        method="password",
        password=PASSWORD,
        traits={"email": "grace@example.com", "name": {"first": HOSTILE}},
    )
    b.get("settings.browser", "self-service/settings/browser")
    logout = b.get("logout.browser", "self-service/logout/browser")
    b.client.get(logout["logout_url"])
    login = b.get("login.browser.2", "self-service/login/browser")
    b.submit("login.code.sent", login, method="code", identifier="grace@example.com")
    login = b.get("login.browser.3", "self-service/login/browser")
    b.submit("login.webauthn.identifier", login, method="webauthn", identifier="grace@example.com")


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/record-flows",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", type=Path, default=ROOT / "frontend_site/test/fixtures")
    args = parser.parse_args()
    if not KRATOS.is_file():
        print(f"missing {KRATOS}: run scripts/setup first", file=sys.stderr)
        return 2
    for profile, record in (("local", record_local), ("all-methods", record_all_methods)):
        out = args.out / profile
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.json"):
            old.unlink()
        print(f"{profile} -> {out}")
        with kratos(profile) as (base, ui_origin, sink, work):
            record(Browser(base, ui_origin, out), sink, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
