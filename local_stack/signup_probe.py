"""Many users signing up at once against a running stack: the load the local default must take.

Each sign-up is Kratos v1.3.1's two-step API registration (traits, then password), as a native
app would do it. Used by benchmarks/parallel_signups.py and the e2e test that no 5xx comes back.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

PROBE_PASSWORD = "correct horse battery 42"


def effective_status(response: httpx.Response) -> int:
    """The HTTP status, or the error code inside it: API flows wrap a server error (e.g.
    "database is locked", code 500) in a 400 answer."""
    try:
        code = response.json().get("error", {}).get("code")
    except ValueError:
        return response.status_code
    return int(code) if isinstance(code, int) else response.status_code


@dataclass(frozen=True)
class SignUp:
    """One sign-up: every (effective) status Kratos answered, in order, and how long it took."""

    statuses: tuple[int, ...]
    seconds: float

    @property
    def server_errors(self) -> tuple[int, ...]:
        return tuple(status for status in self.statuses if status >= 500)

    @property
    def succeeded(self) -> bool:
        return bool(self.statuses) and self.statuses[-1] == 200


def sign_up(public_url: str, email: str) -> SignUp:
    began = time.perf_counter()
    statuses: list[int] = []
    traits = {"email": email, "name": {"first": "Ada", "last": "Lovelace"}}
    with httpx.Client(headers={"Accept": "application/json"}, timeout=60) as http:
        flow = http.get(f"{public_url}self-service/registration/api")
        statuses.append(effective_status(flow))
        if flow.status_code == 200:
            step = http.post(
                flow.json()["ui"]["action"], json={"method": "profile", "traits": traits}
            )
            statuses.append(effective_status(step))
            # The traits step answers 400 with the same flow, now asking for a credential.
            if statuses[-1] == 400:
                payload = {"method": "password", "password": PROBE_PASSWORD, "traits": traits}
                done = http.post(step.json()["ui"]["action"], json=payload)
                statuses.append(effective_status(done))
    return SignUp(tuple(statuses), time.perf_counter() - began)


def parallel_sign_ups(public_url: str, users: int = 10) -> list[SignUp]:
    """`users` sign-ups released at the same instant, one thread each."""
    start = threading.Barrier(users)

    def one(_: int) -> SignUp:
        email = f"parallel-{uuid.uuid4().hex[:12]}@example.org"
        start.wait()
        return sign_up(public_url, email)

    with ThreadPoolExecutor(max_workers=users) as pool:
        return list(pool.map(one, range(users)))
