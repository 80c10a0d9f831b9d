"""A stack file that cannot be read is named with its line by every entry point, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kratos_config.__main__ as render_cli
import local_stack.__main__ as local_cli
import stack_settings.__main__ as ui_build_cli
from stack_settings import load as load_module
from tests.program.harness import pulumi_config_from_stack_file, run_program
from tests.support.stack_config import ROOT

# pulumi_cloudflare warns about its own renamed resources on import; none are used here.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_cloudflare")

GOOD = (ROOT / "Pulumi.prod.yaml").read_bytes()
BROKEN: dict[str, tuple[bytes, str, str]] = {
    # id: (file content, "line N" expected, phrase of the reason)
    "not-yaml": (
        b"config:\n  kratos-auth:domain example.com\n  kratos-auth:x: [\n",
        "line 3",
        "YAML",
    ),
    "byte-order-mark": (b"\xef\xbb\xbf" + GOOD, "line 1", "byte-order mark"),
    "tab-indent": (
        GOOD.replace(b"\n  kratos-auth:namespace", b"\n\tkratos-auth:namespace"),
        "line 5",
        "tab",
    ),
    "config-is-a-list": (b"# stack\nconfig:\n  - kratos-auth:domain\n", "line 2", "mapping"),
    "not-a-mapping": (b"just text\n", "line 1", "mapping"),
    "not-utf8": (GOOD.replace(b"Example", b"Ex\xe4mple", 1), "line", "UTF-8"),
}


def _assert_named(message: str, stack: str, case: str) -> None:
    _, line, phrase = BROKEN[case]
    assert f"Pulumi.{stack}.yaml, {line}" in message
    assert phrase in message and "Fix: " in message
    assert "Traceback" not in message and "yaml." not in message


@pytest.fixture(params=sorted(BROKEN))
def broken_root(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    case = str(request.param)
    for stack in ("prod", "dev"):  # the local profile starts from dev
        (tmp_path / f"Pulumi.{stack}.yaml").write_bytes(BROKEN[case][0])
    return tmp_path, case


@pytest.mark.parametrize("cli", ["render", "ui-build-config", "local"])
def test_every_cli_names_the_file_and_line(
    cli: str,
    broken_root: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root, case = broken_root
    monkeypatch.setattr(load_module, "PROJECT_ROOT", root)
    if cli == "render":
        code = render_cli.main(["render", "--stack", "prod", "--out", str(root / "out")])
    elif cli == "ui-build-config":
        code = ui_build_cli.main(["ui-build-config", "--stack", "prod"])
    else:
        # The runner installs signal handlers; keep them out of the test process.
        monkeypatch.setattr(local_cli.signal, "signal", lambda *_: None)
        code = local_cli.main(["up", "--state-dir", str(root / "state"), "--site-dir", str(root)])
    assert code == 2
    _assert_named(capsys.readouterr().err, "dev" if cli == "local" else "prod", case)


def test_the_program_names_its_own_stack_file(broken_root: tuple[Path, str]) -> None:
    root, case = broken_root
    shutil.copyfile(ROOT / "__main__.py", root / "__main__.py")
    config, secret_keys = pulumi_config_from_stack_file(ROOT / "Pulumi.prod.yaml")
    run = run_program("prod", config, secret_keys, main=root / "__main__.py")
    assert run.error is not None and run.resources == []
    _assert_named(str(run.error), "prod", case)
