"""Fail before deploy, no secret in any input, the same inputs every run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from tests.program.conftest import RunWith
from tests.program.harness import (
    CLOUDFLARE_TOKEN_KEY,
    STAND_IN_CLOUDFLARE_TOKEN,
    ProgramRun,
    pulumi_config_from_stack_file,
    run_program,
    run_stack_file,
)
from tests.support.official_schemas import STAND_IN_SECRETS
from tests.support.stack_config import NS, ROOT

# Shapes a secret value would have if one slipped into an input.
SECRET_SHAPES = (
    "postgres://",
    "postgresql://",
    "mysql://",
    "cockroach://",
    "sqlite://",
    "smtp://",
    "smtps://",
)


def stand_in_values(tree: Any) -> list[str]:
    if isinstance(tree, dict):
        return [v for value in tree.values() for v in stand_in_values(value)]
    if isinstance(tree, list):
        return [v for value in tree for v in stand_in_values(value)]
    return [tree] if isinstance(tree, str) else []


def all_inputs_text(run: ProgramRun) -> str:
    return json.dumps([r.inputs for r in run.resources] + [run.outputs])


def test_a_bad_setting_registers_nothing_and_names_every_problem(run_with: RunWith) -> None:
    run = run_with("prod", scheme="http", devMode=True, uiHost="ui.elsewhere.org")
    assert run.error is not None
    message = str(run.error)
    assert run.resources == []
    assert "nothing was deployed" in message
    for key in (f"{NS}:scheme", f"{NS}:devMode", f"{NS}:uiHost"):
        assert key in message
    assert message.count("Fix:") >= 3
    assert "Traceback" not in message


def test_a_typo_is_reported_with_the_right_spelling(run_with: RunWith) -> None:
    run = run_with("dev", relaseName="kratos")
    assert run.error is not None and run.resources == []
    assert f"{NS}:relaseName" in str(run.error) and "releaseName" in str(run.error)


def test_the_local_environment_is_never_deployed(run_with: RunWith) -> None:
    run = run_with("dev", environment="local")
    assert run.error is not None and run.resources == []
    assert f"{NS}:environment" in str(run.error)
    assert "make local" in str(run.error)


def test_a_plain_text_cloudflare_token_stops_the_program() -> None:
    config, secret_keys = pulumi_config_from_stack_file(ROOT / "Pulumi.prod.yaml")
    plain = [key for key in secret_keys if key != CLOUDFLARE_TOKEN_KEY]
    run = run_program("prod", config, plain)
    assert run.error is not None and run.resources == []
    assert CLOUDFLARE_TOKEN_KEY in str(run.error)
    assert "--secret" in str(run.error)
    assert STAND_IN_CLOUDFLARE_TOKEN not in str(run.error)


def test_no_secret_value_reaches_any_input_or_output(run: ProgramRun) -> None:
    text = all_inputs_text(run)
    assert STAND_IN_CLOUDFLARE_TOKEN not in text
    for value in stand_in_values(STAND_IN_SECRETS):
        if len(value) > 8:
            assert value not in text
    for shape in SECRET_SHAPES:
        assert shape not in text, shape
    # The only secrets the program holds are Pulumi secrets; none is in an input.
    assert "1b47061264138c4ac30d75fd1eb44270" not in text


def snapshot(run: ProgramRun) -> list[str]:
    # Map keys travel as a protobuf Struct, whose order means nothing to the engine's diff;
    # values and list order do, so a list built from a set would show up here.
    return sorted(
        json.dumps([r.urn, r.parent, sorted(r.dependencies), r.inputs], sort_keys=True)
        for r in run.resources
    )


SNAPSHOT_SCRIPT = """
import json, sys
from tests.program.harness import run_stack_file
from tests.program.test_safety import snapshot
print(json.dumps(snapshot(run_stack_file(sys.argv[1]))))
"""


def test_running_twice_registers_identical_inputs() -> None:
    first, second = run_stack_file("prod"), run_stack_file("prod")
    assert snapshot(first) == snapshot(second)
    assert first.outputs == second.outputs
    names = [r.urn for r in first.resources]
    assert len(names) == len(set(names))


def test_separate_processes_register_identical_inputs() -> None:
    # Different hash seeds reorder sets and dict-of-set iteration between `pulumi up` runs.
    def in_process(seed: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-W", "ignore", "-c", SNAPSHOT_SCRIPT, "dev"],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            text=True,
        )

    runs = [in_process("1"), in_process("2")]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert json.loads(outputs[0]) == json.loads(outputs[1]) == snapshot(run_stack_file("dev"))
