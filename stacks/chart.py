"""Facts about the Ory `kratos` Helm chart 0.59.0 that the other components rely on.

Each fact was read from the chart's templates; the template file is named next to it.
"""

from __future__ import annotations

from stack_settings.model import CHART_NAME

# values.yaml `image`: where the chart's pods get Kratos; the migration Job runs the same image.
KRATOS_IMAGE_REPOSITORY = "oryd/kratos"
KRATOS_IMAGE_PULL_POLICY = "IfNotPresent"

# configmap-config.yaml writes kratos.yaml and every `kratos.identitySchemas` entry into the
# `<fullname>-config` ConfigMap; deployment-kratos.yaml and statefulset-mail.yaml mount it here.
CONFIG_MOUNT_DIR = "/etc/config"
SCHEMA_BASE_URL = f"file://{CONFIG_MOUNT_DIR}/"

# service-public.yaml: `service.public.port` (default 80) forwards to the container's public port.
PUBLIC_SERVICE_PORT = 80

# deployment-kratos.yaml names the Kratos container's ports; a NetworkPolicy can name them too.
PUBLIC_PORT_NAME = "http-public"
ADMIN_PORT_NAME = "http-admin"

# deployment-kratos.yaml reads the DSN with secretKeyRef key `dsn` from `kratos.secretname`
# (= secret.nameOverride) whenever the chart's own Secret is disabled and the override is set.
CHART_DSN_KEY = "dsn"
# Keys the chart reads (optional secretKeyRefs) as SECRETS_DEFAULT/COOKIE/CIPHER and, with an SMTP
# URI in the config, COURIER_SMTP_CONNECTION_URI; our Secret must never carry them.
CHART_OPTIONAL_SECRET_KEYS = (
    "secretsDefault",
    "secretsCookie",
    "secretsCipher",
    "smtpConnectionURI",
)


# deployment-watcher.yaml runs files/watch.sh: `inotifywait --event DELETE_SELF` on
# `watcher.mountFile`, mounted from `deployment.extraVolumes`/`extraVolumeMounts` (which the
# Kratos and courier pods mount too); on an event it sets a `sync` env var on every Deployment
# and StatefulSet labelled `ory.sh/watcher=kratos` (kratos.labels, with the watcher on), which
# rolls them. The kubelet swaps a Secret volume's files whenever any key changes.
WATCHED_SECRET_VOLUME = "kratos-secrets-watched"
WATCHED_SECRET_DIR = "/etc/kratos-secrets-watched"


def fullname(release_name: str) -> str:
    """_helpers.tpl `kratos.fullname`: the release name when it contains the chart name."""
    name = release_name if CHART_NAME in release_name else f"{release_name}-{CHART_NAME}"
    return name[:63].rstrip("-")


def public_service_name(release_name: str) -> str:
    """service-public.yaml: `<fullname>-public`, the only Service the route may reach."""
    return f"{fullname(release_name)}-public"


def admin_service_name(release_name: str) -> str:
    """service-admin.yaml: `<fullname>-admin`; never routed from outside the cluster."""
    return f"{fullname(release_name)}-admin"


# service-admin.yaml: the admin Service's port is named `service.admin.name` (default "http") and
# carries `app.kubernetes.io/component: admin`; Kratos serves its metrics under this path there.
ADMIN_SERVICE_PORT_NAME = "http"
ADMIN_METRICS_PATH = "/admin/metrics/prometheus"


def admin_service_selector(release_name: str) -> dict[str, str]:
    """Labels that pick the admin Service out of the release's Services."""
    return {**pod_selector(release_name), "app.kubernetes.io/component": "admin"}


def workload_service_account_name(release_name: str) -> str:
    """Our ServiceAccount for every Kratos pod; not `<fullname>`, which the chart once owned."""
    return f"{fullname(release_name)}-workload"


def watcher_role_name(release_name: str) -> str:
    """rbac-watcher.yaml: the Role that may roll the Deployment and the courier."""
    return f"{fullname(release_name)}-watcher"


def watcher_service_account_name(release_name: str) -> str:
    """deployment-watcher.yaml runs the watcher as `<deployment.serviceAccount.name>-watcher`,
    while rbac-watcher.yaml binds its Role to `<fullname>-watcher`: with our account name the
    two differ, so the stack binds the Role to this one itself."""
    return f"{workload_service_account_name(release_name)}-watcher"


def courier_name(release_name: str) -> str:
    """statefulset-mail.yaml: the courier StatefulSet."""
    return f"{fullname(release_name)}-courier"


# statefulset-mail.yaml: the courier's container (`<kratos.name>-courier`) and the port it serves
# metrics on (`--expose-metrics-port`, service.courier.containerPort); it has no probes.
COURIER_CONTAINER = f"{CHART_NAME}-courier"
COURIER_METRICS_PORT_NAME = "http-metrics"


def pod_selector(release_name: str) -> dict[str, str]:
    """Labels the chart puts on the Kratos pods (deployment-kratos.yaml selector)."""
    return {"app.kubernetes.io/name": CHART_NAME, "app.kubernetes.io/instance": release_name}
