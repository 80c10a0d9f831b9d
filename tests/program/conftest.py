"""Program runs shared by the tests: one evaluation per stack file, reused read-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from stack_settings import StackSettings, load_stack
from tests.program.harness import (
    ProgramRun,
    pulumi_config_from_stack_file,
    run_program,
    run_stack_file,
)
from tests.support.stack_config import NS, ROOT

STACKS = ("dev", "prod")


@pytest.fixture(scope="session")
def stack_runs() -> dict[str, ProgramRun]:
    runs = {stack: run_stack_file(stack) for stack in STACKS}
    for stack, run in runs.items():
        assert run.error is None, f"{stack}: {run.error}"
    return runs


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def run(stack: str, stack_runs: dict[str, ProgramRun]) -> ProgramRun:
    return stack_runs[stack]


@pytest.fixture
def settings(stack: str) -> StackSettings:
    return load_stack(stack)


RunWith = Callable[..., ProgramRun]


@pytest.fixture
def run_with() -> RunWith:
    """Run a stack file with top-level settings replaced (None removes a key)."""

    def _run(stack: str = "prod", **changes: Any) -> ProgramRun:
        config, secret_keys = pulumi_config_from_stack_file(ROOT / f"Pulumi.{stack}.yaml")
        for key, value in changes.items():
            config.pop(f"{NS}:{key}", None)
            if value is not None:
                config[f"{NS}:{key}"] = value
        return run_program(stack, config, secret_keys)

    return _run


def pytest_configure(config: pytest.Config) -> None:
    # pulumi_cloudflare warns about its own renamed resources on import; none are used here.
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:pulumi_cloudflare")
