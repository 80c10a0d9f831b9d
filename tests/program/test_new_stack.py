"""A new environment is one new `Pulumi.<env>.yaml`: no code change, a coherent stack."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from stack_settings import stack_names
from tests.program.crd_schemas import errors_in, node_errors
from tests.program.harness import PROJECT_ROOT, run_stack_file

STAGING = {
    "config": {
        "kratos-auth:environment": "prod",
        "kratos-auth:domain": "staging.example.org",
        "kratos-auth:namespace": "auth-staging",
        "kratos-auth:releaseName": "id",
        "kratos-auth:courier": {"fromAddress": "no-reply@staging.example.org"},
        "kratos-auth:secretStore": {
            "name": "aws-secrets",
            "kind": "SecretStore",
            "dsnKey": "staging/kratos/dsn",
            "cookieSecretKey": "staging/kratos/cookie",
            "cipherSecretKey": "staging/kratos/cipher",
            "defaultSecretKey": "staging/kratos/default",
            "smtpConnectionUriKey": "staging/kratos/smtp",
            "targetSecretName": "kratos-env",
        },
        "kratos-auth:gateway": {
            "name": "edge",
            "namespace": "edge-system",
            "create": True,
            "className": "cilium",
        },
        "kratos-auth:tls": {"issuerName": "zerossl", "issuerKind": "ClusterIssuer"},
        "kratos-auth:cloudflare": {"zoneId": "a" * 32, "kratosRecordTarget": "lb.example.net"},
        "kratos-auth:pages": {"owner": "Other-Org"},
    }
}


def project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml", "__main__.py"):
        shutil.copy(PROJECT_ROOT / name, root / name)
    (root / "Pulumi.staging.yaml").write_text(yaml.safe_dump(STAGING))
    return root


def test_a_new_stack_file_deploys_another_domain_without_code_changes(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    assert (root / "__main__.py").read_bytes() == (PROJECT_ROOT / "__main__.py").read_bytes()
    assert stack_names(root) == ["dev", "prod", "staging"]

    run = run_stack_file("staging", root)
    assert run.error is None, run.error

    assert run.outputs["kratosPublicUrl"] == "https://auth.staging.example.org/"
    assert run.outputs["uiUrl"] == "https://ui.staging.example.org/"
    assert run.outputs["namespace"] == "auth-staging"
    release = run.one("kubernetes:helm.sh/v3:Release").inputs
    assert (release["name"], release["namespace"]) == ("id", "auth-staging")
    values = release["values"]
    assert values["secret"] == {"enabled": False, "nameOverride": "kratos-env"}
    assert values["replicaCount"] == 3
    config = values["kratos"]["config"]
    assert config["serve"]["public"]["base_url"] == "https://auth.staging.example.org/"
    assert config["cookies"]["domain"] == "staging.example.org"

    [route] = run.kind("HTTPRoute")
    assert route.inputs["spec"]["hostnames"] == ["auth.staging.example.org"]
    # Release "id" lacks the chart name, so the chart calls its Services "id-kratos-*".
    assert route.inputs["spec"]["rules"][0]["backendRefs"][0]["name"] == "id-kratos-public"
    [certificate] = run.kind("Certificate")
    assert certificate.inputs["metadata"]["namespace"] == "edge-system"
    assert certificate.inputs["spec"]["dnsNames"] == ["auth.staging.example.org"]
    [gateway] = run.kind("Gateway")
    assert gateway.inputs["spec"]["gatewayClassName"] == "cilium"
    [external_secret] = run.kind("ExternalSecret")
    assert external_secret.inputs["spec"]["secretStoreRef"] == {
        "name": "aws-secrets",
        "kind": "SecretStore",
    }

    records = {
        r.inputs["name"]: r.inputs for r in run.of_type("cloudflare:index/dnsRecord:DnsRecord")
    }
    assert records["ui.staging.example.org"]["content"] == "other-org.github.io"
    assert records["auth.staging.example.org"]["type"] == "CNAME"
    assert records["auth.staging.example.org"]["content"] == "lb.example.net"

    documents = run.custom_documents()
    assert {d["kind"] for d in documents} == {
        "ExternalSecret",
        "Certificate",
        "Gateway",
        "HTTPRoute",
    }
    for document in documents:
        assert errors_in(document) == [], document["kind"]
    assert node_errors(documents) == [[] for _ in documents]
