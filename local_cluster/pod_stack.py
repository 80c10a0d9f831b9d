"""One stack deployed by the real engine onto real pods, with what the platform would provide:
PostgreSQL and an SMTP server on the node's bridge address, the External Secrets stand-in filling
the ExternalSecret's target from an in-memory store, and NodePorts on the bridge for this host
(never a ClusterIP from here: a packet to a virtual address would leave by the default route
if kube-proxy were not there).

The stack is a stack file (dev by default) with DNS left out, http, the Kratos public URL on the
NodePort and the UI on a loopback port. Its host names stay its own (auth/ui.dev.example.com,
cookie domain dev.example.com): the browser maps them to the bridge and loopback addresses.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kratos_config.secrets_env import DSN_SECRET, SMTP_URI_SECRET, store_env_keys
from local_cluster import LocalCluster
from local_cluster.engine import Deployment, deployment_into
from local_cluster.errors import ClusterError
from local_cluster.secret_store import SecretStoreSync
from local_cluster.stack_config import NS, cluster_stack_config
from local_stack.mail import Mailbox, MailSink
from local_stack.ports import free_port
from local_stack.postgres import Postgres
from local_stack.run_secrets import generate_secrets, smtp_connection_uri
from local_stack.site import build_site
from local_stack.static_site import StaticSite
from stack_settings import ClusterSettings
from stack_settings.load import settings_from_config
from stack_settings.model import LOOPBACK
from stacks.chart import pod_selector

# Where the API server allocates NodePorts; ours is picked before deploy (it is in the config).
NODE_PORT_RANGE = (30000, 32767)


@dataclass
class DeployedStack:
    cluster: LocalCluster
    deployment: Deployment
    settings: ClusterSettings
    config: dict[str, Any]
    store: SecretStoreSync
    database: Postgres  # the platform's PostgreSQL, for tests that make it misbehave
    mailbox: Mailbox
    public_url: str  # http://<bridge>:<nodePort>, what auth.dev.example.com resolves to
    admin_url: str
    ui_url: str  # http://ui.dev.example.com:<port>, served on loopback
    up_seconds: float  # the first `pulumi up`, pods really started

    @property
    def namespace(self) -> str:
        return self.settings.namespace

    def host_rules(self) -> str:
        """Chromium's resolver rules: the stack's two hosts here, every other name nowhere."""
        assert self.cluster.network is not None
        return (
            f"MAP {self.settings.resolved_ui_host} {LOOPBACK},"
            f"MAP {self.settings.resolved_kratos_host} {self.cluster.network.gateway},"
            "MAP * ~NOTFOUND"
        )

    def redeploy(self, **changes: Any) -> None:
        """Change stack-file keys (None removes one) and `pulumi up` again."""
        for key, value in changes.items():
            self.config.pop(f"{NS}:{key}", None)
            if value is not None:
                self.config[f"{NS}:{key}"] = value
        self.deployment.write_config(self.config)
        self.deployment.up()


def _settings(stack: str, config: dict[str, Any]) -> ClusterSettings:
    settings = settings_from_config(stack, config, set())
    assert isinstance(settings, ClusterSettings)
    return settings


def _store(settings: ClusterSettings, dsn: str, smtp_uri: str) -> dict[str, str]:
    """The secret store's content: a value for every remote key the stack names."""
    by_env = {**generate_secrets(), DSN_SECRET.env: dsn, SMTP_URI_SECRET.env: smtp_uri}
    return {remote: by_env[env] for env, remote in store_env_keys(settings.secret_store)}


@contextlib.contextmanager
def deployed_stack(
    chart_dir: Path,
    state_dir: Path,
    stack_name: str = "dev",
    log: Callable[[str], None] | None = None,
) -> Iterator[DeployedStack]:
    """Cluster, platform stand-ins, `pulumi up` of `Pulumi.<stack_name>.yaml`, NodePorts, UI."""
    say = log or (lambda _message: None)
    with contextlib.ExitStack() as stack:
        cluster = stack.enter_context(LocalCluster(state_dir / "cluster", real_pods=True, log=say))
        assert cluster.network is not None and cluster.toolchain is not None
        bridge = cluster.network.gateway
        # PostgreSQL runs as its own user, who must enter its folder: not under pytest's 0700 root.
        pg_root = Path(tempfile.mkdtemp(prefix="pods-postgres-"))
        pg_root.chmod(0o755)
        stack.callback(shutil.rmtree, pg_root, ignore_errors=True)
        database = Postgres(pg_root, free_port(), state_dir / "logs", also_listen_on=bridge)
        database.start()
        stack.callback(database.stop)
        password = secrets.token_urlsafe(18)
        database.admit_network(str(cluster.network.subnet), password)

        smtp_port = free_port()
        sink = MailSink(state_dir / "mail", bridge, smtp_port)
        sink.start()
        stack.callback(sink.stop)

        node_port = _free_node_port()
        ui_port = free_port()
        config = cluster_stack_config(stack_name, chart_dir)
        config.update(
            {
                # No TLS here; over http Kratos must run in dev mode, or browsers drop its
                # Secure-only cookies (the settings refuse http without it).
                f"{NS}:scheme": "http",
                f"{NS}:devMode": True,
                f"{NS}:kratosPort": node_port,
                f"{NS}:uiPort": ui_port,
                # Pods have no route off this machine.
                f"{NS}:passwordBreachCheck": False,
            }
        )
        settings = _settings(stack_name, config)
        store = SecretStoreSync(
            cluster,
            _store(
                settings,
                database.dsn_from(bridge, password),
                smtp_connection_uri(bridge, smtp_port),
            ),
        )
        stack.enter_context(store)
        deployment = deployment_into(cluster, stack_name, config, state_dir / "pulumi")
        say(f"`pulumi up` of {stack_name} onto real pods")
        began = time.monotonic()
        deployment.up(on_output=print if log else None)
        up_seconds = time.monotonic() - began
        selector = pod_selector(settings.release_name)
        public = expose(cluster, "local-public", settings.namespace, selector, "http-public",
                        node_port=node_port)  # fmt: skip
        admin = expose(cluster, "local-admin", settings.namespace, selector, "http-admin")
        # kube-proxy programs a new NodePort a moment after the Service exists.
        _wait_until_ready(f"{public}/health/ready", 60)

        site_dir = build_site(state_dir / "site", settings, state_dir / "logs" / "site.log", False)
        site = StaticSite(site_dir, LOOPBACK, ui_port)
        site.start()
        stack.callback(site.stop)
        deployed = DeployedStack(
            cluster=cluster,
            deployment=deployment,
            settings=settings,
            config=config,
            store=store,
            database=database,
            mailbox=Mailbox(state_dir / "mail"),
            public_url=public,
            admin_url=admin,
            ui_url=settings.ui_origin,
            up_seconds=up_seconds,
        )
        yield deployed


def expose(
    cluster: LocalCluster,
    name: str,
    namespace: str,
    selector: dict[str, str],
    target_port: int | str,
    node_port: int | None = None,
) -> str:
    """Create a NodePort Service to the selected pods (the API server picks the port); its URL
    on the node's bridge address."""
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "type": "NodePort",
            "selector": selector,
            "ports": [
                {"port": 80, "targetPort": target_port, "protocol": "TCP"}
                | ({"nodePort": node_port} if node_port else {})
            ],
        },
    }
    cluster.apply(json.dumps(service))
    service = cluster.get_json("service", "-n", namespace, name)
    port = service["spec"]["ports"][0]["nodePort"]
    assert cluster.network is not None
    return f"http://{cluster.network.gateway}:{port}"


def _wait_until_ready(url: str, timeout: float) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while True:
        try:
            with opener.open(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise ClusterError(f"{url} did not answer 200 within {timeout:.0f}s")
        time.sleep(0.25)


def _free_node_port() -> int:
    low, high = NODE_PORT_RANGE
    return low + secrets.randbelow(high - low)


def pods_of(
    cluster: LocalCluster, namespace: str, selector: dict[str, str]
) -> list[dict[str, Any]]:
    labels = ",".join(f"{k}={v}" for k, v in selector.items())
    select = ["-l", labels] if labels else []
    return list(cluster.get_json("pods", "-n", namespace, *select).get("items", []))
