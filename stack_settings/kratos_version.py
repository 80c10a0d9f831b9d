"""The pinned Kratos version, read from the one file that states it: the wrapper Go module.

`tools/kratos-build/go.mod` decides which Kratos the local stack builds; the image tag default,
the config `version` and the test helpers read it here, so a bump is a one-line go.mod change.
"""

from __future__ import annotations

from pathlib import Path

KRATOS_MODULE = "github.com/ory/kratos"
WRAPPER_GO_MOD = Path(__file__).resolve().parents[1] / "tools" / "kratos-build" / "go.mod"


def pinned_kratos_version(go_mod: Path = WRAPPER_GO_MOD) -> str:
    """The vX.Y.Z of go.mod's `require github.com/ory/kratos` line, as build-kratos reads it."""
    for line in go_mod.read_text().splitlines():
        words = line.split()
        if words[:2] == ["require", KRATOS_MODULE] and len(words) >= 3:
            return words[2]
    raise RuntimeError(f"{go_mod} has no `require {KRATOS_MODULE} <version>` line")


KRATOS_VERSION = pinned_kratos_version()
