"""CLI: `python -m stack_settings ui-build-config --stack prod` prints what the UI build needs.

The SPA is static, so the Kratos public URL, its own origin and the GitHub Pages custom domain
are baked in at build time from the same settings the Pulumi program deploys. The local stack
does not come through here: it hands scripts/build-site the config of the settings it runs.
"""

from __future__ import annotations

import argparse
import json
import sys

from stack_settings.errors import SettingsError
from stack_settings.load import load_stack
from stack_settings.ui_build import ui_build_config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stack_settings", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("ui-build-config", help="print the UI build settings of a stack as JSON")
    cmd.add_argument("--stack", required=True, help="stack name (Pulumi.<stack>.yaml)")
    args = parser.parse_args(argv)
    try:
        settings = load_stack(args.stack)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    print(json.dumps(ui_build_config(settings)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
