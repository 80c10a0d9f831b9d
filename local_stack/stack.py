"""LocalStack: the rendered config run for real on this machine.

Kratos (sqlite or a private PostgreSQL), an SMTP sink and the static UI, started in order,
checked for readiness, and stopped in reverse order, leaving no process behind.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

from kratos_config.secrets_env import DSN_SECRET, SMTP_URI_SECRET, oidc_client_secret_env
from local_stack import site as ui_site
from local_stack.config import SchemaEdit, admin_url, stack_settings_for, write_kratos_config
from local_stack.errors import LocalStackError
from local_stack.kratos_binary import find_kratos
from local_stack.kratos_process import migrate, serve, wait_ready
from local_stack.lifecycle import StartStop
from local_stack.mail import Mailbox, MailSink
from local_stack.ports import ensure_free, free_local_ports, free_port
from local_stack.postgres import Postgres, data_root
from local_stack.processes import Child
from local_stack.run_secrets import checked_secrets, generate_secrets, smtp_connection_uri
from local_stack.static_site import StaticSite
from stack_settings.local import LocalPorts
from stack_settings.model import LOOPBACK, StackSettings

SiteChoice = Path | None | Literal["auto"]

# Parallel writers on sqlite (10 sign-ups at once, benchmarks/parallel_signups.py): WAL lets
# readers run beside the one writer and busy_timeout (ms) makes a writer wait for the lock
# instead of failing with "database is locked" (a 500 from Kratos). _txlock=immediate and
# max_conns=1 hung rounds for a minute (README: Simultaneous users), so they stay off.
SQLITE_DSN_OPTIONS = "_fk=true&mode=rwc&_journal_mode=WAL&_busy_timeout=10000"


class LocalStack(StartStop):
    """Context manager: `with LocalStack(dir) as stack:` gives a ready stack, then stops it.

    state_dir holds config, database, mail (.eml files), the built UI and logs; data is
    kept between runs unless reset=True. ports=None picks free ports (what tests want).
    site_dir: "auto" builds the UI with scripts/build-site when it exists (skipped when the
    last build used the same sources and settings), else serves a placeholder; None always
    serves the placeholder; a path serves that prebuilt folder.
    postgres_port: where PostgreSQL listens with postgres=True; None picks a free port.
    overrides: stack-file keys (camelCase) replacing the local profile's values.
    edit_schemas: for fixture recorders, changes identity-schema text before Kratos reads it.
    secrets: Kratos's secrets by env name (SECRETS_COOKIE_0 signs, SECRETS_COOKIE_1 still
    verifies, ...) instead of fresh random ones; kept in memory only.
    """

    def __init__(
        self,
        state_dir: Path,
        ports: LocalPorts | None = None,
        *,
        postgres: bool = False,
        postgres_port: int | None = None,
        reset: bool = False,
        site_dir: SiteChoice = "auto",
        overrides: Mapping[str, Any] | None = None,
        oidc_client_secrets: Mapping[str, str] | None = None,
        secrets: Mapping[str, str] | None = None,
        edit_schemas: SchemaEdit | None = None,
        startup_timeout: float = 60,
        show_progress: bool = False,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.state_dir = state_dir.resolve()
        self.ports = ports or free_local_ports()
        self.use_postgres = postgres
        self.postgres_port = postgres_port
        self.reset = reset
        self.site_choice = site_dir
        self.startup_timeout = startup_timeout
        self.show_progress = show_progress
        self._log = log or (lambda _message: None)
        self._oidc_client_secrets = dict(oidc_client_secrets or {})
        self._secrets = checked_secrets(secrets) if secrets else generate_secrets()
        self._kratos_binary: Path | None = None
        self._kratos_config: Path | None = None
        self._env: dict[str, str] = {}
        self._edit_schemas = edit_schemas
        self.settings: StackSettings = stack_settings_for(self.ports, overrides)
        self.mail_dir = self.state_dir / "mail"
        self.log_dir = self.state_dir / "logs"
        self.mailbox = Mailbox(self.mail_dir)
        self.database = "sqlite"
        self.site_root: Path | None = None  # the folder the UI server serves, once started
        self._mail: MailSink | None = None
        self._site: StaticSite | None = None
        self._postgres: Postgres | None = None
        self._kratos: Child | None = None

    # --- what callers read -------------------------------------------------------------

    @property
    def ui_url(self) -> str:
        """The UI origin, without a trailing slash."""
        return self.settings.ui_origin

    @property
    def kratos_public_url(self) -> str:
        """Kratos's public API, with a trailing slash."""
        return self.settings.kratos_public_url

    @property
    def kratos_admin_url(self) -> str:
        """Kratos's admin API, with a trailing slash."""
        return admin_url(self.ports)

    @property
    def sqlite_file(self) -> Path:
        return self.state_dir / "kratos.sqlite"

    @functools.cached_property
    def postgres_root(self) -> Path:
        return data_root(self.state_dir)

    # --- lifecycle ---------------------------------------------------------------------

    def _start(self) -> None:
        self._check_ports()
        oidc_env = self._oidc_env()
        kratos = find_kratos(self.show_progress)
        if self.reset:
            self._remove_data()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        config = write_kratos_config(
            self.settings, self.ports, self.state_dir / "config", self._edit_schemas
        )

        self._mail = MailSink(self.mail_dir, LOOPBACK, self.ports.smtp)
        self._mail.start()

        env = {
            **_base_env(),
            **self._secrets,
            **oidc_env,
            DSN_SECRET.env: self._start_database(),
            SMTP_URI_SECRET.env: smtp_connection_uri(LOOPBACK, self.ports.smtp),
        }
        self._log("applying Kratos's database migrations")
        migrate(kratos, config, env, self.log_dir / "migrate.log")

        self.site_root = self._site_root()
        self._site = StaticSite(self.site_root, LOOPBACK, self.ports.ui)
        self._site.start()

        self._kratos_binary, self._kratos_config, self._env = kratos, config, env
        self._serve_kratos()

    def _serve_kratos(self) -> None:
        assert self._kratos_binary is not None and self._kratos_config is not None
        self._log("starting Kratos")
        self._kratos = serve(
            self._kratos_binary, self._kratos_config, self._env, self.log_dir / "kratos.log"
        )
        health = [
            f"{self.kratos_public_url}health/ready",
            f"{self.kratos_admin_url}admin/health/ready",
        ]
        wait_ready(self._kratos, health, self.startup_timeout)

    def restart_kratos(self, secrets: Mapping[str, str]) -> None:
        """A new Kratos process with these secrets on the same database, as a cluster rolls
        its pods after the Secret changed (e.g. a rotation: new cookie secret first)."""
        assert self._kratos is not None, "start() first"
        given = checked_secrets(secrets)
        self._kratos.stop()
        self._kratos = None
        unchanged = {k: v for k, v in self._env.items() if k not in self._secrets}
        self._secrets = given
        self._env = {**unchanged, **given}
        self._serve_kratos()

    def stop_mail(self) -> None:
        """Take the SMTP server down (an outage): Kratos's courier keeps the mail queued."""
        if self._mail is not None:
            self._mail.stop()
            self._mail = None

    def start_mail(self) -> None:
        """Bring the SMTP server back on the same port."""
        if self._mail is None:
            self._mail = MailSink(self.mail_dir, LOOPBACK, self.ports.smtp)
            self._mail.start()

    def stop(self) -> None:
        """Stop everything started, newest first; safe to call more than once."""
        if self._kratos is not None:
            self._kratos.stop()
            self._kratos = None
        if self._postgres is not None:
            self._postgres.stop()
            self._postgres = None
        if self._site is not None:
            self._site.stop()
            self._site = None
        if self._mail is not None:
            self._mail.stop()
            self._mail = None

    def wait(self) -> int:
        """Block until Kratos exits (a signal interrupts this); returns its exit status."""
        assert self._kratos is not None, "start() first"
        return self._kratos.process.wait()

    @property
    def kratos_log(self) -> Path:
        return self.log_dir / "kratos.log"

    # --- steps -------------------------------------------------------------------------

    def _check_ports(self) -> None:
        named = [
            ("the UI", self.ports.ui, "--ui-port"),
            ("Kratos public API", self.ports.kratos_public, "--kratos-port"),
            ("Kratos admin API", self.ports.kratos_admin, "--admin-port"),
            ("SMTP", self.ports.smtp, "--smtp-port"),
        ]
        if self.use_postgres and self.postgres_port is not None:
            named.append(("PostgreSQL", self.postgres_port, "--postgres-port"))
        ensure_free(named)

    def _oidc_env(self) -> dict[str, str]:
        env = {}
        for index, provider in enumerate(self.settings.oidc):
            name = oidc_client_secret_env(index)
            secret = self._oidc_client_secrets.get(provider.id) or os.environ.get(name)
            if not secret:
                raise LocalStackError(
                    f"OIDC provider '{provider.id}' needs its client secret: export {name}"
                )
            env[name] = secret
        return env

    def _start_database(self) -> str:
        if not self.use_postgres:
            self.database = f"sqlite ({self.sqlite_file})"
            return f"sqlite://{self.sqlite_file}?{SQLITE_DSN_OPTIONS}"
        self._log("starting PostgreSQL")
        port = self.postgres_port or free_port()
        self._postgres = Postgres(self.postgres_root, port, self.log_dir)
        self._postgres.start(self.startup_timeout)
        self.database = (
            f"PostgreSQL on {LOOPBACK}:{self._postgres.port} (data: {self.postgres_root})"
        )
        return self._postgres.dsn

    def _site_root(self) -> Path:
        choice = self.site_choice
        if isinstance(choice, Path):
            if not (choice / "index.html").is_file():
                raise LocalStackError(f"--site-dir {choice} has no index.html; build the UI first")
            return choice
        out = self.state_dir / "site"
        if choice == "auto" and ui_site.can_build():
            # The UI gets the Kratos URL of these settings, overrides included.
            self._log("building the UI (scripts/build-site), unless it is current")
            return ui_site.build_site(
                out, self.settings, self.log_dir / "build-site.log", self.show_progress
            )
        return ui_site.write_placeholder(out, self.settings, self.kratos_admin_url)

    def _remove_data(self) -> None:
        self._log(f"--reset: removing data under {self.state_dir}")
        for name in ("kratos.sqlite", "kratos.sqlite-wal", "kratos.sqlite-shm"):
            (self.state_dir / name).unlink(missing_ok=True)
        for folder in (self.mail_dir, self.state_dir / "site", self.state_dir / "config"):
            shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(self.postgres_root, ignore_errors=True)


def _base_env() -> dict[str, str]:
    # A clean environment: Kratos maps env names onto config keys (LOG_LEVEL, SERVE_...),
    # so stray variables from the caller's shell must not reconfigure it.
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "TMPDIR": os.environ.get("TMPDIR", "/tmp"),
    }
