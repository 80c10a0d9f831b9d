"""Find the pinned Kratos binary through scripts/build-kratos, which builds it when missing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from local_stack.errors import LocalStackError
from stack_settings.load import PROJECT_ROOT

BUILD_SCRIPT = PROJECT_ROOT / "scripts" / "build-kratos"


def find_kratos(show_progress: bool) -> Path:
    """Path of Kratos: $KRATOS_BIN, the cached build, `kratos` on PATH, or a fresh build.

    The script owns that order and the version check. Its messages are echoed live when
    show_progress is set; its last message explains a failure.
    """
    process = subprocess.Popen(
        [str(BUILD_SCRIPT)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None and process.stdout is not None
    messages = []
    for line in process.stderr:
        messages.append(line.rstrip())
        if show_progress:
            print(line, end="", file=sys.stderr, flush=True)
    output = process.stdout.read().strip()
    status = process.wait()
    path = Path(output.splitlines()[-1]) if output else None
    if status != 0 or path is None or not path.is_file():
        reason = next((m for m in reversed(messages) if m.strip()), f"exit status {status}")
        raise LocalStackError(f"no Kratos binary: {reason.removeprefix('build-kratos: ')}")
    return path
