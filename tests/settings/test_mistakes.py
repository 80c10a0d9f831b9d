"""Every mistake in the catalogue is refused before deploy, the same way by every entry point.

For each: the blamed key is the one the user wrote, a fix is given, there is no traceback, no
validation-library wording, no secret value, and the program registers nothing under mocks.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

import kratos_config.__main__ as render_cli
import stack_settings.__main__ as ui_build_cli
from stack_settings import SettingsError, settings_from_config
from stack_settings import load as load_module
from tests.program.harness import (
    CLOUDFLARE_TOKEN_KEY,
    STAND_IN_CLOUDFLARE_TOKEN,
    run_program,
)
from tests.settings.mistakes import (
    EDGE_CASES,
    MISTAKES,
    EdgeCase,
    Mistake,
    as_program_config,
    config_for,
    readme_block,
    readme_section,
)
from tests.support.stack_config import ROOT

# pulumi_cloudflare warns about its own renamed resources on import; none are used here.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_cloudflare")

# Words that belong to the code, not to a message for a person.
NOT_FOR_PEOPLE = (
    "Traceback",
    "Input should",
    "pydantic",
    "validation error",
    "type=",
    "Settings(",
    "{0,",
    "[a-z",
    "^",
    "$'",
)


def refusal(case: Mistake) -> SettingsError:
    with pytest.raises(SettingsError) as caught:
        settings_from_config(case.stack, as_program_config(config_for(case)))
    return caught.value


def assert_readable(message: str, case: Mistake) -> None:
    for words in NOT_FOR_PEOPLE:
        assert words not in message, f"{words!r} in {message!r}"
    if case.secret is not None:
        assert case.secret not in message


@pytest.mark.parametrize("case", MISTAKES, ids=[c.id for c in MISTAKES])
def test_mistake_is_refused_naming_the_key_and_the_fix(case: Mistake) -> None:
    error = refusal(case)
    named = [p for p in error.problems if p.key == case.full_key]
    assert named, f"{case.full_key} not blamed; got {[p.key for p in error.problems]}"
    text = str(named[0])
    assert "Fix: " in text and len(text.split("Fix: ", 1)[1]) > 5
    for phrase in case.phrases:
        assert phrase in text, f"{phrase!r} not in {text!r}"
    assert_readable(str(error), case)


@pytest.mark.parametrize("case", MISTAKES, ids=[c.id for c in MISTAKES])
def test_mistake_stops_the_program_before_any_resource(case: Mistake) -> None:
    config = as_program_config(config_for(case))
    config[CLOUDFLARE_TOKEN_KEY] = STAND_IN_CLOUDFLARE_TOKEN
    run = run_program(case.stack, config, [CLOUDFLARE_TOKEN_KEY])
    assert run.error is not None and run.resources == []
    message = str(run.error)
    assert_readable(message, case)
    assert STAND_IN_CLOUDFLARE_TOKEN not in message
    # `pulumi preview` says exactly what the settings say.
    assert str(refusal(case)) in message


def _write_stack(root: Path, case: Mistake) -> str:
    name = f"case-{case.id}"
    (root / f"Pulumi.{name}.yaml").write_text(yaml.safe_dump({"config": config_for(case)}))
    return name


def _messages_of(cli: Any, argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


@pytest.mark.parametrize("case", MISTAKES, ids=[c.id for c in MISTAKES])
def test_render_and_ui_build_say_the_same(
    case: Mistake,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(load_module, "PROJECT_ROOT", tmp_path)
    stack = _write_stack(tmp_path, case)
    expected = str(refusal(case)).replace(f"stack '{case.stack}'", f"stack '{stack}'")
    render = _messages_of(render_cli, ["render", "--stack", stack, "--out", str(tmp_path)], capsys)
    ui_build = _messages_of(ui_build_cli, ["ui-build-config", "--stack", stack], capsys)
    assert render == ui_build == expected + "\n"


@pytest.mark.parametrize("case", EDGE_CASES, ids=[c.id for c in EDGE_CASES])
def test_valid_edge_case_is_accepted(case: EdgeCase) -> None:
    settings = settings_from_config(case.stack, as_program_config(config_for(case)))
    for attribute, value in case.expect.items():
        assert getattr(settings, attribute) == value


@pytest.mark.parametrize("case", EDGE_CASES, ids=[c.id for c in EDGE_CASES])
def test_valid_edge_case_deploys_under_mocks(case: EdgeCase) -> None:
    config = as_program_config(config_for(case))
    config[CLOUDFLARE_TOKEN_KEY] = STAND_IN_CLOUDFLARE_TOKEN
    run = run_program(case.stack, config, [CLOUDFLARE_TOKEN_KEY])
    assert run.error is None, str(run.error)
    # The chart runs `tpl` over these values: nothing accepted may hand it template code.
    values = json.dumps(run.one("kubernetes:helm.sh/v3:Release").inputs["values"])
    assert "{{" not in values


def test_the_chart_runs_tpl_over_config_and_schemas() -> None:
    # Why '{{' is refused: proven on the real chart when one is at hand.
    chart = os.environ.get("KRATOS_CHART_DIR")
    if not chart:
        pytest.skip("KRATOS_CHART_DIR is not set (a folder holding the Ory kratos chart)")
    helpers = (Path(chart) / "templates" / "_helpers.tpl").read_text()
    configmap = (Path(chart) / "templates" / "configmap-config.yaml").read_text()
    assert "tpl (toYaml $config)" in helpers
    assert "tpl $value" in configmap


def test_the_catalogue_is_large_enough() -> None:
    assert len(MISTAKES) >= 40 and len(EDGE_CASES) >= 10
    assert len({c.id for c in MISTAKES}) == len(MISTAKES)


def test_readme_common_mistakes_come_from_the_catalogue() -> None:
    text = (ROOT / "README.md").read_text()
    assert readme_block(text) == readme_section(), (
        "README's common mistakes are stale: run `.venv/bin/python -m tests.settings.mistakes`"
    )
