"""A stand-in OpenID provider on loopback that records what Kratos sends to its token endpoint.

It publishes discovery metadata and its signing key. The authorize endpoint signs in whoever
`sign_in_as` named (at once, no login page) and sends the browser back with a code; the token
endpoint exchanges that code for an RS256 id_token and refuses any other code.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from local_stack.lifecycle import StartStop
from tests.e2e.rs256 import RsaKey

# How the local stack knows this provider; the secret reaches Kratos only as an env var.
PROVIDER_ID = "fake"
CLIENT_ID = "local-client"
CLIENT_SECRET = "secret-given-only-as-env-var"


class FakeOidcProvider(StartStop):
    def __init__(self) -> None:
        self.token_requests: list[dict[str, str]] = []
        self.key = RsaKey.generate()
        self._next_user: dict[str, Any] | None = None
        self._codes: dict[str, dict[str, Any]] = {}
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path == "/.well-known/openid-configuration":
                    self._json(200, provider.discovery())
                elif url.path == "/jwks":
                    self._json(200, {"keys": [provider.key.jwk()]})
                elif url.path == "/authorize":
                    self._authorize({k: v[0] for k, v in parse_qs(url.query).items()})
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode()
                provider.token_requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers.get("Authorization", ""),
                        "body": body,
                    }
                )
                code = parse_qs(body).get("code", [""])[0]
                grant = provider._codes.pop(code, None)
                if grant is None:
                    self._json(400, {"error": "invalid_grant"})
                    return
                self._json(200, provider.tokens(grant))

            def _authorize(self, query: dict[str, str]) -> None:
                user = provider._next_user
                if user is None:
                    self._json(400, {"error": "access_denied"})
                    return
                code = secrets.token_urlsafe(16)
                provider._codes[code] = {**query, "user": user}
                back = {"code": code, "state": query.get("state", "")}
                self.send_response(302)
                self.send_header("Location", f"{query['redirect_uri']}?{urlencode(back)}")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def sign_in_as(self, subject: str, email: str) -> None:
        """Who the next authorize request signs in, with a verified email."""
        self._next_user = {"sub": subject, "email": email, "email_verified": True}

    def tokens(self, grant: dict[str, Any]) -> dict[str, Any]:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": grant.get("client_id", ""), "iat": now}
        claims.update(exp=now + 300, **grant["user"])
        if grant.get("nonce"):
            claims["nonce"] = grant["nonce"]
        id_token = self.key.sign(claims)
        return {
            "access_token": secrets.token_urlsafe(16),
            "token_type": "Bearer",
            "id_token": id_token,
            "expires_in": 300,
        }

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def _start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()
