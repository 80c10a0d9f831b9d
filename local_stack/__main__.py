"""CLI: `python -m local_stack up [--postgres] [--reset] [...]` runs the stack until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType

from local_stack.errors import LocalStackError
from local_stack.stack import LocalStack
from stack_settings import SettingsError
from stack_settings.load import PROJECT_ROOT
from stack_settings.local import LocalPorts

DEFAULTS = LocalPorts()


class _Stop(Exception):
    """Raised from the SIGTERM/SIGHUP handler so the normal clean-up path runs."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m local_stack", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start Kratos, the mail sink and the UI; Ctrl-C stops them")
    up.add_argument("--postgres", action="store_true", help="use a private PostgreSQL server")
    up.add_argument("--reset", action="store_true", help="delete the stored data first")
    up.add_argument(
        "--state-dir",
        type=Path,
        default=PROJECT_ROOT / ".local-stack",
        help="where config, data, mail and logs live (default: .local-stack/)",
    )
    up.add_argument(
        "--site-dir",
        type=Path,
        default=None,
        help="serve this prebuilt UI folder instead of building it",
    )
    up.add_argument("--ui-port", type=int, default=DEFAULTS.ui)
    up.add_argument("--kratos-port", type=int, default=DEFAULTS.kratos_public)
    up.add_argument("--admin-port", type=int, default=DEFAULTS.kratos_admin)
    up.add_argument("--smtp-port", type=int, default=DEFAULTS.smtp)
    up.add_argument(
        "--postgres-port", type=int, default=None, help="PostgreSQL port (default: a free one)"
    )
    up.add_argument(
        "--flow-lifespan",
        default=None,
        help="how long a started flow stays valid, e.g. 10m (kratos-auth:flowLifespan)",
    )
    return parser


def _say(message: str) -> None:
    print(f"local-stack: {message}", file=sys.stderr, flush=True)


def stack_from_args(args: argparse.Namespace) -> LocalStack:
    ports = LocalPorts(
        ui=args.ui_port,
        kratos_public=args.kratos_port,
        kratos_admin=args.admin_port,
        smtp=args.smtp_port,
    )
    return LocalStack(
        args.state_dir,
        ports,
        postgres=args.postgres,
        postgres_port=args.postgres_port,
        reset=args.reset,
        site_dir=args.site_dir or "auto",
        # Through the settings checks like any stack-file key, so a bad value names the key.
        overrides={"flowLifespan": args.flow_lifespan} if args.flow_lifespan else None,
        show_progress=True,
        log=_say,
    )


def up(args: argparse.Namespace) -> int:
    stack = stack_from_args(args)
    with stack:
        print(
            "\n".join(
                [
                    "",
                    "Local stack is up.",
                    f"  UI             {stack.ui_url}/",
                    f"  Kratos public  {stack.kratos_public_url}",
                    f"  Kratos admin   {stack.kratos_admin_url}",
                    f"  Mail           {stack.mail_dir}/ (one .eml file per message)",
                    f"  Database       {stack.database}",
                    f"  Logs           {stack.log_dir}/",
                    "Press Ctrl-C to stop (data is kept; --reset starts afresh).",
                ]
            ),
            flush=True,
        )
        status = stack.wait()
        raise LocalStackError(
            f"Kratos stopped unexpectedly with status {status}; see {stack.kratos_log}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.postgres_port is not None and not args.postgres:
        parser.error("--postgres-port only applies with --postgres")
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_stop)
    # A shell starting us in the background ignores SIGINT; Ctrl-C / kill -INT must still stop.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return up(args)
    except (KeyboardInterrupt, _Stop):
        _say("stopped")
        return 0
    except LocalStackError as error:
        _say(f"error: {error}")
        return 1
    except SettingsError as error:
        _say(f"error: {error}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
