"""Child processes in their own process groups, logged to files, stopped without orphans."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

PR_SET_PDEATHSIG = 1
ERROR_WORDS = ("error", "fatal", "failed", "panic", "could not")


def _die_with_parent(sig: signal.Signals) -> Callable[[], None]:
    """Ask the kernel to signal the child if we die without cleaning up (e.g. SIGKILL)."""

    def set_death_signal() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)

    return set_death_signal


class Child:
    """One long-running program; stop() signals its whole group and waits."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        env: Mapping[str, str],
        log_file: Path,
        stop_signal: signal.Signals = signal.SIGTERM,
        cwd: Path | None = None,
    ) -> None:
        self.name = name
        self.log_file = log_file
        self.stop_signal = stop_signal
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("ab") as log:
            self.process = subprocess.Popen(
                list(argv),
                env=dict(env),
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Own group: the terminal's Ctrl-C reaches only us, and we stop children in order.
                start_new_session=True,
                preexec_fn=_die_with_parent(stop_signal),
            )

    def exited(self) -> int | None:
        return self.process.poll()

    def stop(self, timeout: float = 15) -> None:
        if self.process.poll() is None:
            self._signal_group(self.stop_signal)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.process.wait()
        # Anything the child left in its group (helpers, workers) goes too.
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)


def run_logged(argv: Sequence[str], env: Mapping[str, str], log_file: Path) -> int:
    """Run a short command to completion, appending its output to log_file."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        return subprocess.run(
            list(argv),
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        ).returncode


def last_lines(log_file: Path, count: int = 3) -> list[str]:
    try:
        text = log_file.read_text(errors="replace")
    except FileNotFoundError:
        return []
    return [line for line in text.splitlines() if line.strip()][-count:]


def error_summary(log_file: Path) -> str:
    """The most telling line of a failed run: its last error line, else its last line."""
    lines = last_lines(log_file, 50)
    errors = [line for line in lines if any(w in line.lower() for w in ERROR_WORDS)]
    chosen = errors[-1] if errors else (lines[-1] if lines else "no output")
    return chosen.strip()[:300]
