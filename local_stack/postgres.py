"""A private PostgreSQL server from Debian's packages, owned by the local stack.

Runs `postgres` itself as our child (not via pg_ctl's daemon) so stopping the stack stops it.
As root, PostgreSQL refuses to run, so it runs as the `postgres` system user.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from local_stack.errors import LocalStackError
from local_stack.processes import Child, error_summary, run_logged
from stack_settings.model import LOOPBACK

SERVICE_USER = "postgres"
DB_USER = "kratos"
DB_NAME = "kratos"
DSN_OPTIONS = "?sslmode=disable&max_conns=20&max_idle_conns=4"
INSTALL_HINT = "run scripts/setup.d/05-system-packages (apt-get install postgresql)"


def server_bin_dir() -> Path:
    """The newest /usr/lib/postgresql/<major>/bin that has initdb."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not candidates:
        raise LocalStackError(f"PostgreSQL server programs not found: {INSTALL_HINT}")
    return candidates[-1].parent


def _as_root() -> bool:
    return os.geteuid() == 0


def _as_service_user(argv: list[str]) -> list[str]:
    """Run argv as the postgres user when we are root, else as ourselves."""
    if not _as_root():
        return argv
    return [
        "setpriv",
        f"--reuid={SERVICE_USER}",
        f"--regid={SERVICE_USER}",
        "--init-groups",
        # Changing user clears the parent-death signal; ask for it again after the switch.
        "--pdeathsig=INT",
        *argv,
    ]


def _service_user_can_enter(path: Path) -> bool:
    if not _as_root():
        return True
    result = subprocess.run(
        _as_service_user(["test", "-x", str(path)]), check=False, capture_output=True
    )
    return result.returncode == 0


def data_root(state_dir: Path) -> Path:
    """Where the cluster lives: in the state folder, unless the postgres user cannot reach it
    (a checkout under /root, say); then in a folder of its own under the system temp dir."""
    inside = state_dir / "postgres"
    state_dir.mkdir(parents=True, exist_ok=True)
    if _service_user_can_enter(state_dir):
        return inside
    digest = hashlib.sha256(str(state_dir.resolve()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"local-stack-postgres-{digest}"


class Postgres:
    """initdb once, then start, wait for it, and make sure the Kratos database exists."""

    def __init__(
        self, root: Path, port: int, log_dir: Path, also_listen_on: str | None = None
    ) -> None:
        """also_listen_on: one more address to serve (a real-pods cluster's bridge)."""
        self.root = root
        self.port = port
        self.log_dir = log_dir
        self.listen_addresses = ",".join(filter(None, [LOOPBACK, also_listen_on]))
        self.data_dir = root / "data"
        self.socket_dir = root / "run"
        self.bin = server_bin_dir()
        self._child: Child | None = None

    @property
    def dsn(self) -> str:
        # No password: the cluster listens on loopback only and trusts local connections.
        return f"postgres://{DB_USER}@{LOOPBACK}:{self.port}/{DB_NAME}{DSN_OPTIONS}"

    def start(self, timeout: float = 60) -> None:
        self._prepare_dirs()
        if not (self.data_dir / "PG_VERSION").is_file():
            self._initdb()
        argv = [
            str(self.bin / "postgres"),
            "-D",
            str(self.data_dir),
            "-p",
            str(self.port),
            "-k",
            str(self.socket_dir),
            "-c",
            f"listen_addresses={self.listen_addresses}",
            # A development database: speed over durability of the last second of writes.
            "-c",
            "synchronous_commit=off",
        ]
        self._child = Child(
            "postgres",
            _as_service_user(argv),
            env=_base_env(),
            log_file=self.log_dir / "postgres.log",
            # SIGINT is PostgreSQL's "fast shutdown": end sessions, checkpoint, exit.
            stop_signal=signal.SIGINT,
        )
        self._wait_ready(timeout)
        self._ensure_database()

    def admit_network(self, cidr: str, password: str) -> None:
        """Let clients from cidr in with the Kratos user's password (set here, over stdin)."""
        hba = self.data_dir / "pg_hba.conf"
        line = f"host {DB_NAME} {DB_USER} {cidr} scram-sha-256\n"
        if line not in hba.read_text():
            with hba.open("a") as out:
                out.write(line)
        # The password travels on psql's standard input, never on a command line.
        statements = f"ALTER USER {DB_USER} PASSWORD '{password}';\nSELECT pg_reload_conf();\n"
        result = subprocess.run(
            [str(self.bin / "psql"), "-h", LOOPBACK, "-p", str(self.port), "-U", DB_USER,
             "-d", "postgres", "-q", "-v", "ON_ERROR_STOP=1"],
            input=statements, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise LocalStackError(f"could not admit {cidr} to PostgreSQL: {result.stderr.strip()}")

    def psql(self, statements: str) -> subprocess.Popen[str]:
        """A psql session as the Kratos user reading statements from stdin, kept open: the
        caller ends it (and so any transaction it holds) by closing stdin and waiting."""
        session = subprocess.Popen(
            [str(self.bin / "psql"), "-h", LOOPBACK, "-p", str(self.port), "-U", DB_USER,
             "-d", DB_NAME, "-q", "-v", "ON_ERROR_STOP=1"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert session.stdin is not None
        session.stdin.write(statements)
        session.stdin.flush()
        return session

    def dsn_from(self, host: str, password: str) -> str:
        """The DSN a client on an admitted network uses."""
        return f"postgres://{DB_USER}:{password}@{host}:{self.port}/{DB_NAME}{DSN_OPTIONS}"

    def stop(self) -> None:
        if self._child is not None:
            self._child.stop(timeout=30)
            self._child = None

    def _prepare_dirs(self) -> None:
        for path in (self.root, self.data_dir, self.socket_dir):
            path.mkdir(parents=True, exist_ok=True)
        os.chmod(self.data_dir, 0o700)
        if _as_root():
            user = pwd.getpwnam(SERVICE_USER)
            for path in (self.root, self.data_dir, self.socket_dir):
                os.chown(path, user.pw_uid, user.pw_gid)

    def _initdb(self) -> None:
        log = self.log_dir / "initdb.log"
        argv = [
            str(self.bin / "initdb"),
            "-D",
            str(self.data_dir),
            f"--username={DB_USER}",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
        ]
        if run_logged(_as_service_user(argv), _base_env(), log) != 0:
            detail = error_summary(log)
            raise LocalStackError(
                f"initdb failed in {self.data_dir}: {detail}; remove that folder or use --reset"
            )

    def _wait_ready(self, timeout: float) -> None:
        assert self._child is not None
        deadline = time.monotonic() + timeout
        probe = [str(self.bin / "pg_isready"), "-q", "-h", LOOPBACK, "-p", str(self.port)]
        while time.monotonic() < deadline:
            if self._child.exited() is not None:
                detail = error_summary(self._child.log_file)
                raise LocalStackError(
                    f"PostgreSQL exited at start: {detail} (log: {self._child.log_file})"
                )
            if subprocess.run(probe, check=False).returncode == 0:
                return
            time.sleep(0.1)
        raise LocalStackError(
            f"PostgreSQL did not accept connections within {timeout:.0f}s "
            f"(log: {self._child.log_file})"
        )

    def _ensure_database(self) -> None:
        psql = [str(self.bin / "psql"), "-h", LOOPBACK, "-p", str(self.port)]
        exists = subprocess.run(
            [
                *psql,
                "-U",
                DB_USER,
                "-d",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if exists.returncode == 0 and exists.stdout.strip() == "1":
            return
        created = subprocess.run(
            [*psql, "-U", DB_USER, "-d", "postgres", "-c", f"CREATE DATABASE {DB_NAME}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if created.returncode != 0:
            raise LocalStackError(f"could not create database {DB_NAME}: {created.stderr.strip()}")


def _base_env() -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
