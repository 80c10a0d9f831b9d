"""`pulumi up` for one environment: checked settings → one component per concern → outputs.

Every component lives in stacks/; settings come from this stack's Pulumi config only.
"""

import pulumi

from stack_settings import SettingsError, settings_from_config
from stack_settings.ui_build import ui_build_config
from stacks.config_source import pulumi_config
from stacks.dns import DnsArgs, UiDns
from stacks.kratos import KratosRelease, KratosReleaseArgs
from stacks.namespace import AuthNamespace, AuthNamespaceArgs
from stacks.routing import KratosRouting, KratosRoutingArgs
from stacks.secrets import KratosSecrets, KratosSecretsArgs
from stacks.targets import cluster_targets
from stacks.tls import KratosTls, KratosTlsArgs

# 1. Settings: every problem is reported at once, before a single resource is registered.
try:
    config, secret_keys = pulumi_config()
    settings = settings_from_config(pulumi.get_stack(), config, secret_keys)
    targets = cluster_targets(pulumi.get_stack(), settings)
except SettingsError as error:
    raise pulumi.RunError(str(error)) from None

# 2. Namespace, then the Secret Kratos reads its secrets from (by reference to the store).
namespace = AuthNamespace("auth", AuthNamespaceArgs(name=settings.namespace))
secrets = KratosSecrets(
    "kratos-secrets",
    KratosSecretsArgs.from_settings(settings, targets.secret_store),
    opts=pulumi.ResourceOptions(depends_on=[namespace]),
)

# 3. Kratos itself, started only once its Secret exists.
kratos = KratosRelease(
    "kratos",
    KratosReleaseArgs.from_settings(settings, env_secret_name=secrets.secret_name),
    opts=pulumi.ResourceOptions(depends_on=[namespace, secrets]),
)

# 4. TLS for the Kratos host, then the public route (and the Gateway, when the stack owns it).
tls = KratosTls(
    "kratos-tls",
    KratosTlsArgs.from_settings(
        settings, targets.tls, targets.gateway.namespace, targets.cloudflare.zone_name
    ),
)
routing = KratosRouting(
    "kratos-routing",
    KratosRoutingArgs.from_settings(settings, targets.gateway, tls.secret_name),
    opts=pulumi.ResourceOptions(depends_on=[kratos, tls]),
)

# 5. DNS: the UI host to GitHub Pages (and the Kratos host to the Gateway when configured).
dns = UiDns("dns", DnsArgs.from_settings(settings, targets.cloudflare, targets.pages_target))

# 6. What a person (and the UI build) needs from this stack.
pulumi.export("kratosPublicUrl", settings.kratos_public_url)
pulumi.export("uiUrl", settings.ui_url(""))
pulumi.export("uiBuild", ui_build_config(settings))  # what `make site` bakes into the UI
pulumi.export("namespace", settings.namespace)
pulumi.export("releaseName", kratos.release_name)
pulumi.export("kratosPublicService", routing.backend_service)
pulumi.export("certificateSecret", tls.secret_name)
