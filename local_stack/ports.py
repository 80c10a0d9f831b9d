"""Loopback ports: pick free ones for tests, and refuse busy ones before anything starts."""

from __future__ import annotations

import socket
from collections.abc import Iterable

from local_stack.errors import LocalStackError
from stack_settings.local import LocalPorts
from stack_settings.model import LOOPBACK


def free_port() -> int:
    """A port the kernel just handed out on the loopback address, so nothing is using it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


def free_local_ports() -> LocalPorts:
    """Four distinct free ports for the UI, Kratos public and admin, and SMTP."""
    chosen: set[int] = set()
    while len(chosen) < 4:
        chosen.add(free_port())
    ui, public, admin, smtp = sorted(chosen)
    return LocalPorts(ui=ui, kratos_public=public, kratos_admin=admin, smtp=smtp)


def is_busy(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the servers themselves do: closed connections lingering in TIME_WAIT are no owner.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return True
    return False


def ensure_free(named_ports: Iterable[tuple[str, int, str]]) -> None:
    """Raise for the first busy port, naming what wanted it and the option that moves it."""
    for what, port, option in named_ports:
        if is_busy(port):
            raise LocalStackError(
                f"port {port} on {LOOPBACK} ({what}) is already in use: stop the program using "
                f"it (`ss -ltnp 'sport = :{port}'` shows which) or pick another with {option}"
            )
