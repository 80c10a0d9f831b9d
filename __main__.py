"""`pulumi up` for one environment: checked settings → one component per concern → outputs.

Every component lives in stacks/; settings come from this stack's Pulumi config only.
Components hand each other Outputs (namespace, Secret, Service and certificate names), so the
engine orders them by what they read rather than by hand-written `depends_on` lists.
"""

from pathlib import Path

import pulumi
import pulumi_kubernetes as k8s

from stack_settings import SettingsError, cluster_settings_from_config
from stack_settings.load import stack_file
from stack_settings.stack_file import check_stack_file_form
from stack_settings.ui_build import UI_BUILD_OUTPUT, ui_build_config
from stacks.config_source import pulumi_config
from stacks.dns import DnsRecords, DnsRecordsArgs
from stacks.gateway_namespace import gateway_namespace
from stacks.kratos import KratosRelease, KratosReleaseArgs
from stacks.labels import stack_labels
from stacks.options import output_of
from stacks.routing import KratosRouting, KratosRoutingArgs
from stacks.secrets import KratosSecrets, KratosSecretsArgs
from stacks.tls import KratosTls, KratosTlsArgs

# 1. Settings: every problem is reported at once, before a single resource is registered.
try:
    # The stack file's own form (BOM, tabs, YAML) is judged as `render` judges it.
    check_stack_file_form(stack_file(pulumi.get_stack(), Path(__file__).resolve().parent))
    config, secret_keys = pulumi_config()
    settings = cluster_settings_from_config(pulumi.get_stack(), config, secret_keys)
except SettingsError as error:
    raise pulumi.RunError(str(error)) from None

# 2. The namespace, then the Secret Kratos reads its secrets from (by reference to the store).
namespace = k8s.core.v1.Namespace(
    "auth-namespace",
    metadata={"name": settings.namespace, "labels": stack_labels("namespace")},
    # It was the child of an AuthNamespace component; the alias keeps deployed namespaces.
    opts=pulumi.ResourceOptions(
        aliases=[pulumi.Alias(parent=pulumi.create_urn("auth", "kratos-auth:stacks:AuthNamespace"))]
    ),
)
namespace_name = output_of(namespace, settings.namespace)
secrets = KratosSecrets("kratos-secrets", KratosSecretsArgs.from_settings(settings, namespace_name))

# 3. Kratos itself, started only once its Secret exists.
kratos = KratosRelease(
    "kratos", KratosReleaseArgs.from_settings(settings, namespace_name, secrets.secret_name)
)

# 4. TLS for the Kratos host in the Gateway's namespace, then the public route (and the Gateway,
#    when the stack owns it).
tls = KratosTls(
    "kratos-tls", KratosTlsArgs.from_settings(settings, gateway_namespace(settings, namespace))
)
routing = KratosRouting(
    "kratos-routing",
    KratosRoutingArgs.from_settings(
        settings, namespace_name, kratos.public_service, tls.secret_name
    ),
    # The route goes live only once its certificate is requested, even on a shared Gateway.
    opts=pulumi.ResourceOptions(depends_on=[tls]),
)

# 5. DNS, when this stack manages it: the UI host to GitHub Pages (and the Kratos host to the
#    Gateway when configured). Without `cloudflare`, no Cloudflare provider is ever loaded.
if settings.cloudflare is not None:
    DnsRecords("dns", DnsRecordsArgs.from_settings(settings, settings.cloudflare))

# 6. What a person (and the UI build) needs from this stack.
pulumi.export("kratosPublicUrl", settings.kratos_public_url)
pulumi.export("uiUrl", settings.ui_url(""))
pulumi.export(UI_BUILD_OUTPUT, ui_build_config(settings))  # what `make site` bakes into the UI
pulumi.export("namespace", settings.namespace)
pulumi.export("releaseName", kratos.release_name)
pulumi.export("kratosPublicService", routing.backend_service)
pulumi.export("certificateSecret", tls.secret_name)
