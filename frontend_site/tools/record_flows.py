"""Record Kratos flow JSON from the real Kratos v1.3.1 binary as fixtures for the UI unit tests.

Usage: scripts/record-flows [--out frontend_site/test/fixtures]   (runs this file)

Runs the local stack (LocalStack: the pinned Kratos on sqlite in a temp dir, its SMTP inbox,
loopback only) and walks every self-service flow with the e2e tests' browser client (JSON,
cookies, csrf_token in the body), saving each answer as {"request", "status", "body"}.
Two profiles, both plain setting overrides that pass the settings checks:
  local        the local stack's exact settings (password, TOTP, recovery codes, mail by code)
  all-methods  also WebAuthn, passkeys and one-time codes on localhost (the local relying
               party), and a hostile trait title, so the renderer meets every node type Kratos
               sends (script, onclick triggers, ...)
Nothing here is a test: it only writes files, which the node tests then read.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pyotp

from local_stack import LocalStack, LocalStackError
from stack_settings import SettingsError
from tests.e2e.kratos_api import Browser, code_in, csrf_token
from tests.support.profiles import LOCALHOST, with_methods

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '<img src=x onerror=alert(1)>"><script>alert(2)</script>'
PASSWORD = "correct-horse-battery-staple-42"
NEW_PASSWORD = "another-horse-battery-staple-43"
DEADLINE = 30.0
KRATOS_TEST = "http://kratos.test/"
UI_TEST = "http://ui.test"
# Short enough that the recorder can observe the re-authentication prompt.
LOCAL = {"privilegedSessionMaxAge": "8s"}


def all_methods() -> dict[str, Any]:
    """The local profile with every credential method on, on localhost (a WebAuthn RP)."""
    return {**LOCAL, **LOCALHOST, **with_methods(code=True, webauthn=True, passkey=True)}


def hostile_titles(schemas: dict[str, dict[str, Any]]) -> None:
    """A hostile title reaches the UI as a node label (test data the settings do not model)."""
    for schema in schemas.values():
        name = schema["properties"]["traits"]["properties"]["name"]
        name["title"] = HOSTILE
        name["properties"]["first"]["title"] = HOSTILE


class Recorder:
    """The e2e tests' browser client against a running LocalStack, saving every answer."""

    def __init__(self, stack: LocalStack, out: Path) -> None:
        self.stack = stack
        # The e2e client's cookie jar and JSON headers, as the SPA sends them.
        self.http = Browser(stack).http
        self.base = stack.kratos_public_url
        self.ui_origin = stack.ui_url
        self.out = out

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

    # Both follow redirects, as the SPA's fetch does (the e2e client checks them instead).
    def get(self, name: str, path: str, **params: str) -> Any:
        res = self.http.get(self.base + path, params=params, follow_redirects=True)
        return self.save(name, {"method": "GET", "path": path, "query": params}, res)

    def submit(self, name: str, flow: dict[str, Any], **body: Any) -> Any:
        sent = {"csrf_token": csrf_token(flow), **body}
        res = self.http.post(flow["ui"]["action"], json=sent, follow_redirects=True)
        shown = {"csrf_token": "<csrf>", **body}
        return self.save(name, {"method": "POST", "action": "ui.action", "body": shown}, res)

    def mail_seen(self) -> set[Path]:
        return {mail.path for mail in self.stack.mailbox.all()}

    def code_for(self, to: str, seen: set[Path]) -> str:
        """The one-time code of the newest mail to `to` that was not in `seen`."""
        return code_in(
            self.stack.mailbox.wait_for(to, lambda mail: mail.path not in seen, DEADLINE)
        )

    def expire_flow(self, table: str, flow_id: str) -> None:
        """Kratos has no API to age a flow; move its expiry into the past in the database."""
        with sqlite3.connect(self.stack.sqlite_file) as db:
            db.execute(
                f"UPDATE {table} SET expires_at = '2000-01-01 00:00:00' WHERE id = ?", (flow_id,)
            )


def text_node(flow: dict[str, Any], node_id: str) -> dict[str, Any]:
    for candidate in flow["ui"]["nodes"]:
        if candidate["type"] == "text" and candidate["attributes"].get("id") == node_id:
            return dict(candidate["attributes"]["text"])
    raise SystemExit(f"flow {flow.get('id')} has no text node {node_id}")


def wait_privileged_session_expired(b: Recorder) -> Any:
    """Poll until Kratos answers a settings submit with the re-authentication prompt."""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        flow = b.http.get(b.base + "self-service/settings/browser").json()
        res = b.http.post(
            flow["ui"]["action"],
            json={"csrf_token": csrf_token(flow), "method": "password", "password": NEW_PASSWORD},
        )
        if res.status_code == 403:
            return flow
        time.sleep(0.5)
    raise SystemExit("the privileged session never expired")


def record_local(b: Recorder) -> None:
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
    seen = b.mail_seen()
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
    b.submit("verification.passed", ver, method="code", code=b.code_for(address, seen))
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
    res = b.http.get(logout["logout_url"], follow_redirects=True)
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

    b.http.cookies.clear()
    login = b.get("login.browser.2", "self-service/login/browser")
    b.expire_flow("selfservice_login_flows", login["id"])
    b.submit("login.expired", login, method="password", identifier=address, password=NEW_PASSWORD)
    login = b.get("login.browser.3", "self-service/login/browser")
    b.http.cookies.clear()
    b.submit(
        "login.csrf-violation", login, method="password", identifier=address, password=NEW_PASSWORD
    )

    rec = b.get("recovery.browser", "self-service/recovery/browser")
    b.submit("recovery.email.invalid", rec, method="code", email=HOSTILE)
    rec = b.get("recovery.browser.2", "self-service/recovery/browser")
    seen = b.mail_seen()
    sent = b.submit("recovery.sent", rec, method="code", email=address)
    b.submit("recovery.code.invalid", sent, method="code", code="000000")
    sent = b.get("recovery.flow.after-invalid", "self-service/recovery/flows", id=sent["id"])
    done = b.submit("recovery.code.success", sent, method="code", code=b.code_for(address, seen))
    flow_id = re.search(r"flow=([0-9a-f-]+)", done["redirect_browser_to"]).group(1)  # type: ignore[union-attr]
    b.get("settings.flow.after-recovery", "self-service/settings/flows", id=flow_id)

    b.http.cookies.clear()
    rec = b.get("recovery.browser.3", "self-service/recovery/browser")
    b.expire_flow("selfservice_recovery_flows", rec["id"])
    b.submit("recovery.expired", rec, method="code", email=address)
    b.get("errors.stub", "self-service/errors", id="stub:500")
    res = b.http.get(
        b.base + "self-service/login/browser",
        params={"return_to": "https://evil.example.net/"},
        headers={"Accept": "text/html"},
        follow_redirects=False,
    )
    error_id = re.search(r"id=([0-9a-f-]+)", res.headers["location"]).group(1)  # type: ignore[union-attr]
    b.get("errors.return-to-forbidden", "self-service/errors", id=error_id)
    b.get("errors.unknown", "self-service/errors", id="00000000-0000-0000-0000-000000000000")


def record_all_methods(b: Recorder) -> None:
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
    b.http.get(logout["logout_url"], follow_redirects=True)
    login = b.get("login.browser.2", "self-service/login/browser")
    b.submit("login.code.sent", login, method="code", identifier="grace@example.com")
    login = b.get("login.browser.3", "self-service/login/browser")
    b.submit("login.webauthn.identifier", login, method="webauthn", identifier="grace@example.com")


Profile = tuple[str, dict[str, Any], Callable[[Recorder], None]]
PROFILES: tuple[Profile, ...] = (
    ("local", LOCAL, record_local),
    ("all-methods", all_methods(), record_all_methods),
)


def record(
    name: str, overrides: dict[str, Any], walk: Callable[[Recorder], None], out: Path
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.json"):
        old.unlink()
    print(f"{name} -> {out}")
    edit = hostile_titles if name == "all-methods" else None
    with (
        tempfile.TemporaryDirectory(prefix="record-flows-") as tmp,
        LocalStack(Path(tmp), overrides=overrides, site_dir=None, edit_schemas=edit) as stack,
    ):
        walk(Recorder(stack, out))


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/record-flows",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", type=Path, default=ROOT / "frontend_site/test/fixtures")
    args = parser.parse_args()
    try:
        for name, overrides, walk in PROFILES:
            record(name, overrides, walk, args.out / name)
    except (LocalStackError, SettingsError) as error:
        print(f"record-flows: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
