"""CLI: `python -m stack_settings ui-build-config --stack prod` prints what the UI build needs.

The SPA is static, so the Kratos public URL, its own origin and the GitHub Pages custom domain
are baked in at build time from the same settings the Pulumi program deploys.
"""

from __future__ import annotations

import argparse
import json
import sys

from stack_settings.errors import SettingsError
from stack_settings.load import load_stack
from stack_settings.local import LocalPorts, local_settings
from stack_settings.model import StackSettings
from stack_settings.ui_build import ui_build_config


def _settings(stack: str, ui_port: int | None, kratos_port: int | None) -> StackSettings:
    if stack != "local":
        return load_stack(stack)
    default = LocalPorts()
    ui = ui_port or default.ui
    return local_settings(LocalPorts(ui=ui, kratos_public=kratos_port or default.kratos_public))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stack_settings", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("ui-build-config", help="print the UI build settings of a stack as JSON")
    cmd.add_argument("--stack", required=True, help="stack name (Pulumi.<stack>.yaml), or local")
    cmd.add_argument("--ui-port", type=int, default=None, help="UI port (--stack local only)")
    cmd.add_argument("--kratos-port", type=int, default=None, help="Kratos public port (local)")
    args = parser.parse_args(argv)
    if args.stack != "local" and (args.ui_port or args.kratos_port):
        parser.error("--ui-port and --kratos-port only apply to --stack local")
    try:
        settings = _settings(args.stack, args.ui_port, args.kratos_port)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    print(json.dumps(ui_build_config(settings)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
