"""The local runner itself: its UI server, data kept across restarts, and the CLI's promises
(prints where everything is, stops cleanly on a signal, fails in one line)."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from local_stack import LocalPorts, LocalStack
from local_stack.ports import free_local_ports
from stack_settings.kratos_version import KRATOS_VERSION
from stack_settings.ui_build import SITE_CONFIG_FILE, ui_build_config
from tests.e2e.kratos_api import create_identity, unique_email

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture
def state_dir() -> Iterator[Path]:
    """A state folder the postgres user can enter (pytest's own temp root is private)."""
    path = Path(tempfile.mkdtemp(prefix="local-stack-test-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def test_ui_server_serves_the_site_with_pages_rules(local_stack: LocalStack) -> None:
    assert local_stack.site_root is not None
    home = httpx.get(local_stack.ui_url + "/")
    assert home.status_code == 200
    assert home.text == (local_stack.site_root / "index.html").read_text()
    missing = httpx.get(local_stack.ui_url + "/no/such/page")
    assert missing.status_code == 404
    assert missing.text == (local_stack.site_root / "404.html").read_text()


def test_kratos_runs_the_generated_config(local_stack: LocalStack) -> None:
    config = (local_stack.state_dir / "config" / "kratos.yaml").read_text()
    assert f"base_url: {local_stack.kratos_public_url}" in config
    version = httpx.get(f"{local_stack.kratos_admin_url}admin/version").json()["version"]
    assert version == KRATOS_VERSION


@pytest.mark.parametrize("database", DATABASES)
def test_data_survives_restart_and_reset_clears_it(state_dir: Path, database: str) -> None:
    postgres = database == "postgres"
    email = unique_email("kept")
    with LocalStack(state_dir, postgres=postgres, site_dir=None) as stack:
        identity_id = create_identity(stack, email)["id"]
    with LocalStack(state_dir, postgres=postgres, site_dir=None) as stack:
        url = f"{stack.kratos_admin_url}admin/identities/{identity_id}"
        assert httpx.get(url).json()["traits"]["email"] == email
    with LocalStack(state_dir, postgres=postgres, site_dir=None, reset=True) as stack:
        assert (
            httpx.get(f"{stack.kratos_admin_url}admin/identities/{identity_id}").status_code == 404
        )


# --- the CLI ------------------------------------------------------------------------------


def cli(
    state_dir: Path, ports: LocalPorts, *extra: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    argv = [
        sys.executable,
        "-m",
        "local_stack",
        "up",
        "--state-dir",
        str(state_dir),
        "--ui-port",
        str(ports.ui),
        "--kratos-port",
        str(ports.kratos_public),
        "--admin-port",
        str(ports.kratos_admin),
        "--smtp-port",
        str(ports.smtp),
        *extra,
    ]
    return subprocess.Popen(
        argv,
        cwd=ROOT,
        env=env or dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_until(process: subprocess.Popen[str], marker: str, timeout: float) -> list[str]:
    """Lines of stdout up to the one containing marker; fails at the deadline."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if marker in line:
            return seen
    process.kill()
    _, err = process.communicate()
    raise AssertionError(f"no {marker!r} within {timeout}s; stdout: {seen}; stderr: {err}")


def processes_mentioning(text: str) -> list[str]:
    """Command lines of live processes that contain text (our state folder)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in cmdline:
            found.append(cmdline)
    return found


@pytest.mark.parametrize(
    ("database", "stop_signal"),
    [
        pytest.param("sqlite", signal.SIGINT, id="sqlite-SIGINT"),
        pytest.param("postgres", signal.SIGTERM, marks=pytest.mark.postgres, id="postgres-SIGTERM"),
    ],
)
def test_cli_prints_urls_and_stops_everything_on_signal(
    state_dir: Path, database: str, stop_signal: signal.Signals
) -> None:
    ports = free_local_ports()
    extra = ["--postgres"] if database == "postgres" else []
    process = cli(state_dir, ports, *extra)
    try:
        output = "\n".join(read_until(process, "Press Ctrl-C", timeout=120))
        for url in (
            f"http://127.0.0.1:{ports.ui}/",
            f"http://127.0.0.1:{ports.kratos_public}/",
            f"http://127.0.0.1:{ports.kratos_admin}/",
            str(state_dir / "mail"),
        ):
            assert url in output
        assert "localhost" not in output
        assert httpx.get(f"http://127.0.0.1:{ports.kratos_public}/health/ready").status_code == 200
        assert processes_mentioning(str(state_dir))
    finally:
        process.send_signal(stop_signal)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert processes_mentioning(str(state_dir)) == []
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", ports.kratos_public)) != 0


def one_line_error(process: subprocess.Popen[str]) -> str:
    try:
        _, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 1, err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("local-stack: error:")]
    assert len(errors) == 1, err
    return errors[0]


def test_cli_busy_port_is_one_line(state_dir: Path) -> None:
    ports = free_local_ports()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", ports.kratos_public))
        squatter.listen()
        message = one_line_error(cli(state_dir, ports))
    assert f"port {ports.kratos_public}" in message
    assert "--kratos-port" in message


def test_cli_unusable_kratos_binary_is_one_line(state_dir: Path) -> None:
    env = dict(os.environ, KRATOS_BIN=str(state_dir / "no-such-kratos"))
    message = one_line_error(cli(state_dir, free_local_ports(), env=env))
    assert "KRATOS_BIN" in message


def test_cli_failed_migration_is_one_line(state_dir: Path) -> None:
    (state_dir / "kratos.sqlite").write_text("not a database")
    message = one_line_error(cli(state_dir, free_local_ports()))
    assert "migrate" in message and "--reset" in message


@pytest.mark.parametrize("database", DATABASES)
def test_killed_runner_takes_its_children_along(state_dir: Path, database: str) -> None:
    """Even SIGKILL (no clean-up code runs) leaves no Kratos or PostgreSQL behind."""
    extra = ["--postgres"] if database == "postgres" else []
    process = cli(state_dir, free_local_ports(), *extra)
    read_until(process, "Press Ctrl-C", timeout=120)
    assert processes_mentioning(str(state_dir))
    process.kill()
    process.communicate(timeout=30)
    deadline = time.monotonic() + 30
    while processes_mentioning(str(state_dir)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_mentioning(str(state_dir)) == []


def test_the_served_ui_was_built_with_the_config_kratos_runs(local_stack: LocalStack) -> None:
    assert local_stack.site_root is not None
    built = json.loads((local_stack.site_root / SITE_CONFIG_FILE).read_text())
    assert built == ui_build_config(local_stack.settings)
    config = (local_stack.state_dir / "config" / "kratos.yaml").read_text()
    assert f"base_url: {built['kratosPublicUrl']}" in config


def test_with_localhost_overrides_the_ui_and_kratos_still_agree(tmp_path: Path) -> None:
    overrides = {"domain": "localhost", "uiHost": "localhost", "kratosHost": "localhost"}
    with LocalStack(tmp_path, overrides=overrides) as stack:
        assert stack.site_root is not None
        built = json.loads((stack.site_root / SITE_CONFIG_FILE).read_text())
        assert built["kratosPublicUrl"] == stack.kratos_public_url
        assert built["kratosPublicUrl"].startswith("http://localhost:")
        assert built == ui_build_config(stack.settings)
        ready = httpx.get(f"http://127.0.0.1:{stack.ports.kratos_public}/health/ready")
        assert ready.status_code == 200
        # Kratos answers the UI origin baked into the site (CORS), so the SPA can call it.
        answer = httpx.get(
            built["kratosPublicUrl"].replace("localhost", "127.0.0.1") + "sessions/whoami",
            headers={"Origin": built["uiOrigin"]},
        )
        assert answer.headers.get("access-control-allow-origin") == built["uiOrigin"]
