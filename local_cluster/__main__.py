"""CLI: a real control plane on this machine, and `pulumi up` of a stack into it.

`python -m local_cluster up [--real-pods]` starts the cluster and prints how to reach it;
`python -m local_cluster deploy --stack dev [--chart-dir DIR]` also deploys that stack with the
real Pulumi engine (kwok: simulated pods);
`python -m local_cluster deploy --real-pods --chart-dir DIR` deploys it onto real pods with
PostgreSQL, SMTP and a secret store beside the cluster, and prints how to sign in through it.
Ctrl-C stops everything; the cluster and its state are thrown away.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
from pathlib import Path
from types import FrameType

from local_cluster.control_plane import LocalCluster
from local_cluster.errors import ClusterError
from local_stack.errors import LocalStackError
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
    up = sub.add_parser("up", help="start the control plane and a node; Ctrl-C stops them")
    deploy = sub.add_parser("deploy", help="start the cluster, then `pulumi up` a stack into it")
    for command in (up, deploy):
        command.add_argument(
            "--real-pods",
            action="store_true",
            help="a real node (containerd, kubelet, kube-proxy; root) instead of kwok",
        )
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

    from local_cluster.engine import deployment_into
    from local_cluster.stack_config import cluster_stack_config

    config = cluster_stack_config(stack, chart_dir)
    # State lives in the cluster's folder: thrown away with the cluster.
    deployment = deployment_into(cluster, stack, config, cluster.state_dir / "pulumi")
    try:
        deployment.up(on_output=print)
    except auto.CommandError:
        # The engine already printed its diagnostics above; no Python traceback on top.
        raise ClusterError(f"`pulumi up` of {stack} failed (see the diagnostics above)") from None


def _deploy_on_real_pods(stack: str, chart_dir: Path | None) -> None:
    from local_cluster.pod_stack import deployed_stack

    if chart_dir is None:
        raise ClusterError("--real-pods needs --chart-dir: a local copy of the Ory kratos chart")
    with tempfile.TemporaryDirectory(prefix="kratos-auth-pods-") as state:
        Path(state).chmod(0o755)
        with deployed_stack(chart_dir, Path(state), stack, log=_say) as deployed:
            rules, ui = deployed.host_rules(), deployed.ui_url
            print(
                "\n".join(
                    [
                        "",
                        f"{stack} runs on real pods. Sign in with a browser that maps its hosts:",
                        f"  chromium --host-resolver-rules='{rules}' {ui}/",
                        f"Kratos public {deployed.public_url}, admin {deployed.admin_url}/admin/",
                        f"Mail lands in {deployed.mailbox.mail_dir}",
                        f"  export KUBECONFIG={deployed.cluster.kubeconfig}",
                        "Press Ctrl-C to stop (everything is thrown away).",
                    ]
                ),
                flush=True,
            )
            signal.pause()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_stop)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if args.command == "deploy" and args.real_pods:
            _deploy_on_real_pods(args.stack, args.chart_dir)
            return 0
        with LocalCluster(log=_say, real_pods=args.real_pods) as cluster:
            if args.command == "deploy":
                _deploy(cluster, args.stack, args.chart_dir)
            _wait_forever(cluster)
    except (KeyboardInterrupt, _Stop):
        _say("stopped")
        return 0
    except (ClusterError, SettingsError, LocalStackError) as error:
        _say(f"error: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
