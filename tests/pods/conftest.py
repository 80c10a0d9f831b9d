"""The real-pods tier: the local control plane with a real node (containerd, runc, kubelet,
kube-proxy), so the project's images really run. One such cluster at a time per host."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.pods)
