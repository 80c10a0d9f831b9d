"""`make local` runs only the product's set-up; `make test` (and so .ci/run) runs every step."""

from __future__ import annotations

import os
import subprocess

from tests.ci.workflow_files import ROOT

PRODUCT_MARK = "# setup: product"


def make_dry_run(*args: str) -> list[str]:
    # A clean make: under `make test` the parent's MAKEFLAGS would leak into this one.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.splitlines()


def product_steps() -> set[str]:
    steps = (ROOT / "scripts/setup.d").iterdir()
    return {s.name for s in steps if PRODUCT_MARK in s.read_text().splitlines()}


def test_test_only_steps_are_not_product_steps() -> None:
    assert product_steps() == {"05-system-packages", "10-python", "20-kratos", "30-node"}


def test_make_local_sets_up_the_product_only_and_takes_port_variables() -> None:
    lines = make_dry_run("local", "UI_PORT=5455", "KRATOS_PORT=5433", "FLOW_LIFESPAN=10m")
    assert "scripts/setup --product" in lines
    assert "scripts/setup" not in lines
    assert lines[-1].endswith(
        "-m local_stack up --ui-port 5455 --kratos-port 5433 --flow-lifespan 10m"
    )


def test_make_local_postgres_takes_the_postgres_port() -> None:
    lines = make_dry_run("local-postgres", "PG_PORT=5544")
    assert lines[-1].endswith("-m local_stack up --postgres --postgres-port 5544")


def test_make_test_sets_up_everything() -> None:
    assert "scripts/setup" in make_dry_run("test")
