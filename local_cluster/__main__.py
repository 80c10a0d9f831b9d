"""CLI: a real control plane on 127.0.0.1, and `pulumi up` of a stack into it.

`python -m local_cluster up` starts the cluster and prints how to reach it;
`python -m local_cluster deploy --stack dev [--chart-dir DIR]` also deploys that stack with the
real Pulumi engine. Ctrl-C stops everything; the cluster and its state are thrown away.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType

from local_cluster.control_plane import LocalCluster
from local_cluster.errors import ClusterError
from stack_settings import SettingsError


class _Stop(Exception):
    """Raised from the SIGTERM/SIGHUP handler so the normal clean-up path runs."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def _say(message: str) -> None:
    print(f"local-cluster: {message}", file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m local_cluster", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="start the control plane and kwok; Ctrl-C stops them")
    deploy = sub.add_parser("deploy", help="start the cluster, then `pulumi up` a stack into it")
    deploy.add_argument("--stack", default="dev", help="the Pulumi.<stack>.yaml to deploy")
    deploy.add_argument(
        "--chart-dir",
        type=Path,
        default=None,
        help="a local copy of the Ory kratos chart (default: the stack's chart source)",
    )
    return parser


def _wait_forever(cluster: LocalCluster) -> None:
    assert cluster.toolchain is not None
    print(
        "\n".join(
            [
                "",
                f"Cluster is up: {cluster.server}",
                f"  export KUBECONFIG={cluster.kubeconfig}",
                f"  {cluster.toolchain.tool('kubectl')} get all -A",
                "Press Ctrl-C to stop (the cluster is thrown away).",
            ]
        ),
        flush=True,
    )
    signal.pause()


def _deploy(cluster: LocalCluster, stack: str, chart_dir: Path | None) -> None:
    # Imported here: `up` alone needs neither the Pulumi SDK nor the program.
    from pulumi import automation as auto

    from local_cluster.engine import Deployment
    from local_cluster.stack_config import cluster_stack_config, prepare_cluster

    assert cluster.toolchain is not None
    config = cluster_stack_config(stack, chart_dir)
    prepare_cluster(cluster, config)
    deployment = Deployment(
        stack,
        config,
        kubeconfig=cluster.kubeconfig,
        toolchain=cluster.toolchain,
        state_dir=cluster.state_dir / "pulumi",  # thrown away with the cluster
    )
    try:
        deployment.up(on_output=print)
    except auto.CommandError:
        # The engine already printed its diagnostics above; no Python traceback on top.
        raise ClusterError(f"`pulumi up` of {stack} failed (see the diagnostics above)") from None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_stop)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with LocalCluster(log=_say) as cluster:
            if args.command == "deploy":
                _deploy(cluster, args.stack, args.chart_dir)
            _wait_forever(cluster)
    except (KeyboardInterrupt, _Stop):
        _say("stopped")
        return 0
    except (ClusterError, SettingsError) as error:
        _say(f"error: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
