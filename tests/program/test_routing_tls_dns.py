"""The public route, the certificate and the DNS records, per stack and with optional parts."""

from __future__ import annotations

import json

from stack_settings import StackSettings
from stack_settings.ui_build import registration_fields, ui_build_config
from stacks.chart import admin_service_name, public_service_name
from tests.program.conftest import RunWith
from tests.program.harness import MOCK_ZONE_ID, ProgramRun

DNS_RECORD = "cloudflare:index/dnsRecord:DnsRecord"


def test_route_sends_the_kratos_host_to_the_public_service_only(
    run: ProgramRun, settings: StackSettings
) -> None:
    gateway = settings.gateway
    assert gateway is not None
    [route] = run.kind("HTTPRoute")
    spec = route.inputs["spec"]
    assert route.inputs["apiVersion"] == "gateway.networking.k8s.io/v1"
    assert route.inputs["metadata"]["namespace"] == settings.namespace
    assert spec["hostnames"] == [settings.resolved_kratos_host]
    assert spec["parentRefs"] == [
        {
            "group": "gateway.networking.k8s.io",
            "kind": "Gateway",
            "name": gateway.name,
            "namespace": gateway.namespace,
            "sectionName": gateway.section_name,
        }
    ]
    backends = [ref for rule in spec["rules"] for ref in rule["backendRefs"]]
    assert backends == [
        {"group": "", "kind": "Service", "name": "kratos-public", "port": 80},
    ]
    assert public_service_name(settings.release_name) == "kratos-public"
    assert admin_service_name(settings.release_name) not in json.dumps(route.inputs)
    assert "admin" not in json.dumps(spec)


def test_route_adds_hsts(run: ProgramRun) -> None:
    [route] = run.kind("HTTPRoute")
    [rule] = route.inputs["spec"]["rules"]
    [header_filter] = rule["filters"]
    assert header_filter["type"] == "ResponseHeaderModifier"
    [header] = header_filter["responseHeaderModifier"]["set"]
    assert header["name"] == "Strict-Transport-Security"
    max_age = int(header["value"].split(";")[0].removeprefix("max-age="))
    assert max_age >= 31536000


def test_plain_http_dev_gets_no_hsts(run_with: RunWith) -> None:
    # http needs dev mode: outside it Kratos's cookies are Secure-only (see the settings checks).
    run = run_with("dev", scheme="http", devMode=True)
    assert run.error is None, run.error
    [route] = run.kind("HTTPRoute")
    assert "filters" not in route.inputs["spec"]["rules"][0]


def test_route_waits_for_the_release_and_certificate(run: ProgramRun) -> None:
    [route] = run.kind("HTTPRoute")
    release = run.one("kubernetes:helm.sh/v3:Release")
    [certificate] = run.kind("Certificate")
    assert {release.urn, certificate.urn} <= set(route.dependencies)


def test_certificate_covers_the_kratos_host_in_the_gateway_namespace(
    run: ProgramRun, settings: StackSettings
) -> None:
    assert settings.tls is not None and settings.gateway is not None
    [certificate] = run.kind("Certificate")
    assert certificate.inputs["metadata"]["namespace"] == settings.gateway.namespace
    spec = certificate.inputs["spec"]
    assert spec["dnsNames"] == [settings.resolved_kratos_host]
    assert spec["issuerRef"] == {
        "name": settings.tls.issuer_name,
        "kind": settings.tls.issuer_kind,
        "group": "cert-manager.io",
    }
    assert spec["secretName"] == run.outputs["certificateSecret"]


def test_prod_creates_its_acme_issuer_with_cloudflare_dns01(
    stack_runs: dict[str, ProgramRun],
) -> None:
    assert stack_runs["dev"].kind("ClusterIssuer") == []
    prod = stack_runs["prod"]
    [issuer] = prod.kind("ClusterIssuer")
    acme = issuer.inputs["spec"]["acme"]
    assert issuer.inputs["metadata"]["name"] == "letsencrypt"
    assert acme["email"] == "platform@example.com"
    [solver] = acme["solvers"]
    assert solver["dns01"]["cloudflare"] == {
        "apiTokenSecretRef": {"name": "cloudflare-api-token", "key": "api-token"}
    }
    assert solver["selector"] == {"dnsZones": ["example.com"]}
    [certificate] = prod.kind("Certificate")
    assert issuer.urn in certificate.dependencies


def test_ui_cname_points_at_github_pages(run: ProgramRun, settings: StackSettings) -> None:
    [record] = run.of_type(DNS_RECORD)
    assert record.inputs["name"] == settings.resolved_ui_host
    assert record.inputs["type"] == "CNAME"
    assert record.inputs["content"] == settings.pages_target == "example-org.github.io"
    assert record.inputs["proxied"] is True
    assert record.inputs["ttl"] == 1
    assert record.inputs["zoneId"] == MOCK_ZONE_ID
    [lookup] = run.invokes
    assert lookup.token == "cloudflare:index/getZone:getZone"
    assert lookup.args == {"filter": {"match": "all", "name": "example.com"}}


def test_zone_by_id_and_a_record_for_the_kratos_host(run_with: RunWith) -> None:
    zone_id = "f" * 32
    run = run_with(
        "prod",
        cloudflare={"zoneId": zone_id, "kratosRecordTarget": "203.0.113.10", "proxied": False},
    )
    assert run.error is None, run.error
    assert run.invokes == []
    records = {r.inputs["name"]: r.inputs for r in run.of_type(DNS_RECORD)}
    assert records["ui.example.com"]["zoneId"] == zone_id
    assert records["ui.example.com"]["proxied"] is False
    kratos = records["auth.example.com"]
    assert (kratos["type"], kratos["content"], kratos["zoneId"]) == ("A", "203.0.113.10", zone_id)


def test_the_stack_can_own_its_gateway(run_with: RunWith) -> None:
    run = run_with(
        "prod",
        gateway={
            "name": "kratos",
            "namespace": "gateway-system",
            "create": True,
            "className": "eg",
        },
    )
    assert run.error is None, run.error
    [gateway] = run.kind("Gateway")
    [listener] = gateway.inputs["spec"]["listeners"]
    assert gateway.inputs["spec"]["gatewayClassName"] == "eg"
    assert (listener["protocol"], listener["port"], listener["hostname"]) == (
        "HTTPS",
        443,
        "auth.example.com",
    )
    assert listener["tls"]["certificateRefs"] == [
        {"group": "", "kind": "Secret", "name": "auth-example-com-tls"}
    ]
    selector = listener["allowedRoutes"]["namespaces"]["selector"]["matchLabels"]
    assert selector == {"kubernetes.io/metadata.name": "auth"}
    [route] = run.kind("HTTPRoute")
    assert route.inputs["spec"]["parentRefs"][0]["sectionName"] == listener["name"]
    assert gateway.urn in route.dependencies


def test_outputs_name_the_urls_the_ui_build_and_the_release(
    run: ProgramRun, settings: StackSettings
) -> None:
    assert run.outputs["kratosPublicUrl"] == settings.kratos_public_url
    assert run.outputs["uiUrl"] == settings.ui_url("")
    assert run.outputs["uiBuild"] == ui_build_config(settings)
    where = ("kratosPublicUrl", "uiOrigin", "customDomain", "registrationFields")
    assert {k: run.outputs["uiBuild"][k] for k in where} == {
        "kratosPublicUrl": settings.kratos_public_url,
        "uiOrigin": settings.ui_origin,
        "customDomain": settings.resolved_ui_host,
        "registrationFields": registration_fields(settings),
    }
    assert run.outputs["namespace"] == settings.namespace
    assert run.outputs["releaseName"] == settings.release_name
    assert run.secret_outputs == set()
