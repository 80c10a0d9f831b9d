"""CLI: `python -m kratos_config render --stack dev --out DIR` for GitOps users and local runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kratos_config.build import render
from kratos_config.files import write_rendered
from stack_settings import SettingsError, load_stack
from stack_settings.local import local_settings
from stacks.chart import SCHEMA_BASE_URL


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kratos_config", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("render", help="write kratos.yaml and identity schemas for a stack")
    cmd.add_argument("--stack", required=True, help="stack name (Pulumi.<stack>.yaml), or local")
    cmd.add_argument("--out", required=True, type=Path, help="output folder")
    cmd.add_argument(
        "--schema-base",
        default=None,
        help="URL prefix of the schema files in the config (default: where the chart mounts "
        "them; the output folder for --stack local)",
    )
    args = parser.parse_args(argv)
    try:
        settings = local_settings() if args.stack == "local" else load_stack(args.stack)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    out: Path = args.out.resolve()
    base = args.schema_base or (out.as_uri() + "/" if args.stack == "local" else SCHEMA_BASE_URL)
    for path in write_rendered(render(settings, base), out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
