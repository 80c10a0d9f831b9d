"""`python -m local_stack up` options reach the stack: ports, flow lifespan, PostgreSQL port."""

from __future__ import annotations

from pathlib import Path

import pytest

from local_stack.__main__ import _parser, main, stack_from_args


def test_flow_lifespan_and_postgres_port_reach_the_stack(tmp_path: Path) -> None:
    options = ["--ui-port", "5201", "--postgres", "--postgres-port", "5299"]
    args = _parser().parse_args(
        ["up", "--state-dir", str(tmp_path), *options, "--flow-lifespan", "10m"]
    )
    stack = stack_from_args(args)
    assert stack.settings.flow_lifespan == "10m"
    assert stack.postgres_port == 5299 and stack.use_postgres
    assert stack.ui_url == "http://127.0.0.1:5201"


def test_a_bad_flow_lifespan_names_the_key_and_starts_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["up", "--state-dir", str(tmp_path / "state"), "--flow-lifespan", "soon"])
    err = capsys.readouterr().err
    assert code == 2
    assert "kratos-auth:flowLifespan = 'soon'" in err and "Traceback" not in err
    assert not (tmp_path / "state").exists()


def test_the_postgres_port_needs_postgres(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["up", "--state-dir", str(tmp_path), "--postgres-port", "5299"])
    assert exit_info.value.code == 2
