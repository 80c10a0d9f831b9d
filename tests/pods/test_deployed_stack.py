"""`pulumi up` by the real engine runs the real Kratos in real pods, and a person signs up and in
through it; then day two on those pods: a config change rolls them with no failed request, a
rotated secret rolls them and keeps sessions, and `destroy` removes everything.

Needs the Ory chart (KRATOS_CHART_DIR), which no registry here carries; skips without it.
Tests run in file order on one deployed stack (the last one destroys it).
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pulumi import automation as auto

from kratos_config.secrets_env import COOKIE_SECRET
from local_cluster.pod_stack import DeployedStack, deployed_stack, pods_of
from local_cluster.stack_config import NS
from local_stack.run_secrets import generate_secrets
from stack_settings.load import decode_config_value
from stack_settings.model import LOOPBACK
from stacks.chart import courier_name, fullname, pod_selector
from tests.browser.screens import Shots
from tests.browser.user import (
    expect_home_signed_in,
    log_in,
    log_out,
    new_email,
    register,
    verify_with_mail_code,
)
from tests.pods.cluster_calls import http_get, poll
from tests.support.chart_render import HOW_TO_ENABLE, ory_chart_dir
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "pods-screenshots"
ROLLOUT_TIMEOUT = 240


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeployedStack]:
    chart = ory_chart_dir()
    if chart is None:
        pytest.skip(HOW_TO_ENABLE)
    with deployed_stack(chart, tmp_path_factory.mktemp("pods-stack")) as stack:
        print(f"\n`pulumi up` onto real pods: {stack.up_seconds:.1f}s")
        yield stack


@pytest.fixture(scope="module")
def chromium(deployed: DeployedStack) -> Iterator[Browser]:
    with sync_playwright() as pw:
        args = [*CHROMIUM_ARGS, f"--host-resolver-rules={deployed.host_rules()}"]
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=args)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(chromium: Browser, deployed: DeployedStack) -> Iterator[Page]:
    """One browser profile for the module: the session made in the journey is the one the
    rotation test keeps."""
    context = chromium.new_context(base_url=deployed.ui_url, viewport={"width": 900, "height": 900})
    context.set_default_timeout(20_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return Shots(SCREENSHOTS, request.node.name)


def kratos_pods(deployed: DeployedStack) -> list[dict[str, Any]]:
    """The serve pods (the courier and migration pods carry other names)."""
    return [
        pod
        for pod in pods_of(
            deployed.cluster, deployed.namespace, pod_selector(deployed.settings.release_name)
        )
        if pod["metadata"]["name"].startswith(fullname(deployed.settings.release_name) + "-")
        and not pod["metadata"]["name"].startswith(courier_name(deployed.settings.release_name))
        and "automigrate" not in pod["metadata"]["name"]
        and pod.get("metadata", {}).get("deletionTimestamp") is None
    ]


def ready_and_running(pod: dict[str, Any]) -> bool:
    statuses = pod.get("status", {}).get("containerStatuses", [])
    return bool(statuses) and all(
        s.get("ready") and "running" in s.get("state", {}) for s in statuses
    )


def migration_runs(deployed: DeployedStack) -> Counter[str]:
    """Pods created per migration Job, from the Job controller's events (a succeeded hook Job
    is deleted with its pods; its events stay)."""
    events = deployed.cluster.get_json("events", "-n", deployed.namespace).get("items", [])
    return Counter(
        event["involvedObject"]["name"]
        for event in events
        if event["involvedObject"].get("kind") == "Job"
        and "migrat" in event["involvedObject"]["name"]
        and event.get("reason") == "SuccessfulCreate"
    )


def test_up_runs_kratos_its_courier_and_one_migration_in_real_pods(deployed: DeployedStack) -> None:
    serve = kratos_pods(deployed)
    assert len(serve) == deployed.settings.resolved_replicas
    assert all(ready_and_running(pod) for pod in serve), serve
    # The courier rolls once more right after the release, when its probes are patched in.
    poll(
        lambda: (
            deployed.cluster.get_json(
                "statefulset",
                "-n",
                deployed.namespace,
                courier_name(deployed.settings.release_name),
            )["status"].get("readyReplicas")
            == 1
        ),
        ROLLOUT_TIMEOUT,
        "the courier (with its probes) ready",
    )
    # Kratos answers on its database: the migrations really ran against PostgreSQL.
    status, _ = http_get(f"{deployed.public_url}/health/ready")
    assert status == 200
    runs = migration_runs(deployed)
    assert sum(runs.values()) == 1, runs
    spec = deployed.cluster.get_json(
        "deployment", "-n", deployed.namespace, fullname(deployed.settings.release_name)
    )["spec"]["template"]["spec"]
    assert not spec.get("initContainers"), "migrations must not run once per replica"


def test_a_person_signs_up_and_in_through_the_deployed_kratos(
    deployed: DeployedStack, page: Page, shots: Shots
) -> None:
    email = new_email("pods")
    register(page, shots, email)
    # The verification mail is sent by the courier pod to the SMTP server on the bridge.
    verify_with_mail_code(page, deployed, shots, email)  # type: ignore[arg-type]
    # Sign-up signs in (the registration's session hook).
    page.goto("/")
    expect_home_signed_in(page)
    shots.take(page, "home-after-sign-up")
    log_out(page)
    shots.take(page, "logged-out")
    log_in(page, shots, email)
    expect_home_signed_in(page)
    shots.take(page, "home-after-sign-in")


class Hammer:
    """GETs a URL in a loop from a thread, counting answers, until stopped."""

    def __init__(self, url: str, timeout: float = 10) -> None:
        self.url, self.timeout = url, timeout
        self.answers: Counter[int] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Hammer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            # Generous: 2 shared cores also run the engine and the pods; a refusal is instant.
            status, _ = http_get(self.url, timeout=self.timeout)
            self.answers[status] += 1
            self._stop.wait(0.05)

    @property
    def failed(self) -> int:
        return sum(n for status, n in self.answers.items() if status != 200)


def test_a_config_change_rolls_the_pods_with_no_failed_request(deployed: DeployedStack) -> None:
    before = {pod["metadata"]["name"] for pod in kratos_pods(deployed)}
    with Hammer(f"{deployed.public_url}/health/ready") as hammer:
        began = time.monotonic()
        deployed.redeploy(flowLifespan="45m")
        took = time.monotonic() - began
        after = poll(
            lambda: (
                (names := {p["metadata"]["name"] for p in kratos_pods(deployed)}).isdisjoint(before)
                and names
            ),
            ROLLOUT_TIMEOUT,
            "every Kratos pod replaced",
        )
    print(f"\nconfig change: `pulumi up` {took:.1f}s, {sum(hammer.answers.values())} requests "
          f"during it, answers {dict(hammer.answers)}")  # fmt: skip
    assert after and sum(hammer.answers.values()) > 20
    assert hammer.failed == 0, dict(hammer.answers)
    assert sum(migration_runs(deployed).values()) <= 2  # at most one per release revision


def _template_sync(deployed: DeployedStack) -> str | None:
    """The watcher's mark on the Deployment's pod template (it sets env `sync` to roll it)."""
    spec = deployed.cluster.get_json(
        "deployment", "-n", deployed.namespace, fullname(deployed.settings.release_name)
    )["spec"]["template"]["spec"]
    for container in spec["containers"]:
        for env in container.get("env", []):
            if env["name"] == "sync":
                return str(env.get("value"))
    return None


def _watcher_armings(deployed: DeployedStack) -> int:
    """How often the watcher has (re)started watching the Secret's file: it re-arms only after
    both its rollouts finished, and a change that lands before that goes unnoticed."""
    release = deployed.settings.release_name
    logs = deployed.cluster.kubectl(
        "logs", "-n", deployed.namespace, f"deployment/{fullname(release)}-watcher"
    )
    return logs.count("Watches established")


def _wait_for_watcher_roll(deployed: DeployedStack, previous: str | None) -> str:
    """The watcher's roll after a Secret change, through to the watcher watching again."""
    armed = _watcher_armings(deployed)

    def new_mark() -> str | None:
        sync = _template_sync(deployed)
        return sync if sync != previous else None

    mark = poll(
        new_mark,
        ROLLOUT_TIMEOUT,
        "the chart's watcher to roll the Deployment after the Secret changed",
    )
    release = deployed.settings.release_name
    for workload in (f"deployment/{fullname(release)}", f"statefulset/{courier_name(release)}"):
        deployed.cluster.kubectl(
            "rollout", "status", "-n", deployed.namespace, workload,
            f"--timeout={ROLLOUT_TIMEOUT}s",
        )  # fmt: skip
    poll(lambda: _watcher_armings(deployed) > armed, ROLLOUT_TIMEOUT, "the watcher re-armed")
    return mark


def test_a_changed_secret_in_the_store_rolls_the_pods_without_pulumi_up(
    deployed: DeployedStack,
) -> None:
    dsn_key = deployed.settings.secret_store.dsn_key
    mark = _template_sync(deployed)
    # A new value for the same remote key, as a DSN rotation at the source would look.
    deployed.store.set(dsn_key, deployed.store.value(dsn_key) + "&application_name=kratos")
    _wait_for_watcher_roll(deployed, mark)
    assert all(ready_and_running(pod) for pod in kratos_pods(deployed))
    assert http_get(f"{deployed.public_url}/health/ready")[0] == 200


def _signed_in(page: Page) -> bool:
    """Home says either; wait for one of them (the SPA asks Kratos's whoami first)."""
    page.goto("/")
    welcome = page.get_by_role("heading", name="Welcome back")
    expect(welcome.or_(page.get_by_text("You are not signed in."))).to_be_visible()
    return welcome.is_visible()


def test_rotating_the_cookie_secret_keeps_sessions_until_the_old_one_is_dropped(
    deployed: DeployedStack, page: Page, chromium: Browser, shots: Shots
) -> None:
    # The journey above left this browser signed in, its cookie signed by the first secret;
    # keep that cookie as it is now (Kratos may re-sign a cookie it sees later).
    assert _signed_in(page)
    cookies_before = page.context.storage_state()
    store = dict(decode_config_value(deployed.config[f"{NS}:secretStore"]))
    old_key = store["cookieSecretKey"]
    new_key = f"{old_key}-rotated"
    deployed.store.set(new_key, generate_secrets()[COOKIE_SECRET.env])
    # Runbook step 2: the new secret signs, the old one still verifies.
    mark = _template_sync(deployed)
    deployed.redeploy(secretStore={**store, "cookieSecretKey": new_key,
                                   "previousCookieSecretKeys": [old_key]})  # fmt: skip
    mark = _wait_for_watcher_roll(deployed, mark)
    assert _signed_in(page), "a session signed by the previous secret must still verify"
    shots.take(page, "signed-in-after-rotation")
    # Runbook step 4: the old secret dropped; a cookie it signed is refused.
    deployed.redeploy(secretStore={**store, "cookieSecretKey": new_key})
    _wait_for_watcher_roll(deployed, mark)
    old = chromium.new_context(base_url=deployed.ui_url, storage_state=cookies_before)
    try:
        old_page = old.new_page()
        assert not _signed_in(old_page), "once the old secret is dropped, its cookies are refused"
        shots.take(old_page, "old-cookie-refused-after-dropping-old-secret")
    finally:
        old.close()


@contextlib.contextmanager
def migrations_table_locked(deployed: DeployedStack) -> Iterator[None]:
    """A session holding Kratos's migration table, and the Kratos user's statements giving up
    on a lock after 2 s: `kratos migrate sql` then fails the way a real lock conflict does."""
    holder = deployed.database.psql(
        "ALTER ROLE kratos SET lock_timeout = '2s';\n"
        "BEGIN;\nLOCK TABLE schema_migration IN ACCESS EXCLUSIVE MODE;\n"
    )
    try:
        poll(lambda: _lock_held(deployed), 30, "the migration table locked")
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.write("ROLLBACK;\nALTER ROLE kratos RESET lock_timeout;\n")
        holder.communicate(timeout=30)


def _lock_held(deployed: DeployedStack) -> bool:
    database = deployed.database
    query = (
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE "
        "c.relname = 'schema_migration' AND l.granted AND l.mode = 'AccessExclusiveLock'"
    )
    result = subprocess.run(
        [str(database.bin / "psql"), "-h", LOOPBACK, "-p", str(database.port), "-U", "kratos",
         "-d", "kratos", "-tAc", query],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return result.stdout.strip() == "1"


def test_a_failed_migration_fails_up_with_its_log_while_the_old_pods_serve(
    deployed: DeployedStack,
) -> None:
    resources = deployed.deployment.export_state()["resources"]
    [job_urn] = [r["urn"] for r in resources if r["type"] == "kubernetes:batch/v1:Job"]
    with (
        migrations_table_locked(deployed),
        Hammer(f"{deployed.public_url}/health/ready") as hammer,
        pytest.raises(auto.CommandError) as failure,
    ):
        deployed.deployment.up(replace=[job_urn])
    error = str(failure.value)
    # The kubelet copied each failed run's log tail into its pod status; the engine shows it.
    assert "lock timeout" in error, error[-3000:]
    assert "BackoffLimitExceeded" in error
    print(f"\nfailed migration: {sum(hammer.answers.values())} requests meanwhile, "
          f"answers {dict(hammer.answers)}")  # fmt: skip
    assert hammer.failed == 0, dict(hammer.answers)
    # Cause gone: the next `up` replaces the failed Job (replaceUnready) and migrates.
    deployed.deployment.up()
    jobs = deployed.cluster.get_json("jobs", "-n", deployed.namespace)["items"]
    migrations = [j for j in jobs if "migrat" in j["metadata"]["name"]]
    assert [j["status"].get("succeeded") for j in migrations] == [1]


def test_destroy_removes_everything(deployed: DeployedStack) -> None:
    deployed.deployment.destroy()
    namespace = deployed.namespace
    poll(
        lambda: namespace not in deployed.cluster.kubectl("get", "namespaces", "-o", "name"),
        ROLLOUT_TIMEOUT,
        f"namespace {namespace} gone",
    )
    assert not pods_of(deployed.cluster, namespace, {})
    # Nothing of the stack is left in the Gateway's namespace either (its Certificate).
    gateway_ns = deployed.settings.gateway.namespace
    assert "certificate" not in deployed.cluster.kubectl(
        "get", "certificates.cert-manager.io", "-n", gateway_ns, "-o", "name"
    )
