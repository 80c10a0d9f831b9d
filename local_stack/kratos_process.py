"""Kratos's two commands for a local run: migrate the database, then serve."""

from __future__ import annotations

import re
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

from local_stack.errors import LocalStackError
from local_stack.processes import Child, error_summary

# Kratos retries an unusable database for minutes; the first failed ping is reason enough.
PING_FAILURE = re.compile(
    r"Unable to ping database.*?error=map\[message:(?P<reason>.*?) stack_trace"
)


def migrate(
    kratos: Path, config: Path, env: Mapping[str, str], log_file: Path, timeout: float = 120
) -> None:
    argv = [str(kratos), "migrate", "sql", "-e", "--yes", "-c", str(config)]
    log_file.unlink(missing_ok=True)
    child = Child("kratos migrate", argv, env, log_file)
    deadline = time.monotonic() + timeout
    try:
        while (code := child.exited()) is None:
            stuck = PING_FAILURE.search(log_file.read_text(errors="replace"))
            if stuck or time.monotonic() > deadline:
                reason = stuck.group("reason") if stuck else f"no result after {timeout:.0f}s"
                raise LocalStackError(
                    f"`kratos migrate sql` cannot use the database: {reason} (full log: "
                    f"{log_file}); use --reset to start from an empty database"
                )
            time.sleep(0.1)
    finally:
        child.stop()
    if code != 0:
        raise LocalStackError(
            f"`kratos migrate sql` failed: {error_summary(log_file)} (full log: {log_file}); "
            "use --reset to start from an empty database"
        )


def serve(kratos: Path, config: Path, env: Mapping[str, str], log_file: Path) -> Child:
    argv = [str(kratos), "serve", "-c", str(config), "--dev", "--watch-courier", "--sqa-opt-out"]
    return Child("kratos", argv, env, log_file, stop_signal=signal.SIGTERM)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_ready(child: Child, urls: list[str], timeout: float) -> None:
    """Poll each /health/ready until it answers 200; fail fast if Kratos exits."""
    deadline = time.monotonic() + timeout
    pending = list(urls)
    while pending:
        code = child.exited()
        if code is not None:
            detail = error_summary(child.log_file)
            raise LocalStackError(
                f"Kratos exited with status {code} while starting: {detail} "
                f"(full log: {child.log_file})"
            )
        pending = [url for url in pending if not _answers(url)]
        if not pending:
            return
        if time.monotonic() >= deadline:
            raise LocalStackError(
                f"Kratos did not become ready within {timeout:.0f}s ({pending[0]} never "
                f"answered 200); see {child.log_file}"
            )
        time.sleep(0.1)
