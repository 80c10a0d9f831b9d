"""Custom resources validate against their CRDs: the projects' own CRD files (made strict,
so unknown fields fail) and the @kubernetes-models validators as a second referee."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.program.crd_schemas import SOURCES, crd_schema, errors_in, node_errors, strict
from tests.program.harness import PROJECT_ROOT, ProgramRun


def all_documents(stack_runs: dict[str, ProgramRun]) -> list[dict[str, Any]]:
    return [doc for run in stack_runs.values() for doc in run.custom_documents()]


def test_every_custom_resource_kind_is_covered(stack_runs: dict[str, ProgramRun]) -> None:
    kinds = {(d["apiVersion"], d["kind"]) for d in all_documents(stack_runs)}
    assert kinds == set(SOURCES) - {("gateway.networking.k8s.io/v1", "Gateway")}


def test_custom_resources_match_the_strict_crd_schemas(run: ProgramRun) -> None:
    documents = run.custom_documents()
    assert documents
    for document in documents:
        assert errors_in(document) == [], f"{document['kind']} {document['metadata']['name']}"


def test_custom_resources_pass_the_kubernetes_models_validators(
    stack_runs: dict[str, ProgramRun],
) -> None:
    documents = all_documents(stack_runs)
    assert node_errors(documents) == [[] for _ in documents]


def first(stack_runs: dict[str, ProgramRun], kind: str) -> dict[str, Any]:
    document = next(d for d in all_documents(stack_runs) if d["kind"] == kind)
    return copy.deepcopy(document)


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("HTTPRoute", ["spec", "rules", 0, "backendRefs", 0]),
        ("ExternalSecret", ["spec", "target"]),
        ("Certificate", ["spec"]),
        ("ClusterIssuer", ["spec", "acme", "solvers", 0, "dns01", "cloudflare"]),
        ("ExternalSecret", ["metadata"]),
    ],
)
def test_an_unknown_field_fails(
    stack_runs: dict[str, ProgramRun], kind: str, path: list[str | int]
) -> None:
    document = first(stack_runs, kind)
    node: Any = document
    for part in path:
        node = node[part]
    node["sneakyField"] = "x"
    assert any("sneakyField" in error for error in errors_in(document))


def test_wrong_values_fail_both_referees(stack_runs: dict[str, ProgramRun]) -> None:
    route = first(stack_runs, "HTTPRoute")
    route["spec"]["rules"][0]["backendRefs"][0]["port"] = "80"
    certificate = first(stack_runs, "Certificate")
    del certificate["spec"]["issuerRef"]["name"]
    secret = first(stack_runs, "ExternalSecret")
    secret["spec"]["target"]["creationPolicy"] = "Sometimes"
    for document in (route, certificate, secret):
        assert errors_in(document), document["kind"]
    assert all(node_errors([route, certificate, secret]))


def test_strict_keeps_open_maps_open() -> None:
    schema = {
        "type": "object",
        "properties": {
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "free": {
                "type": "object",
                "x-kubernetes-preserve-unknown-fields": True,
                "properties": {"a": {"type": "string"}},
            },
            "properties": {"type": "object", "properties": {"x": {"type": "integer"}}},
            "maybe": {"type": "string", "nullable": True},
        },
    }
    result = strict(schema)
    assert result["additionalProperties"] is False
    assert result["properties"]["labels"]["additionalProperties"] == {"type": "string"}
    assert "additionalProperties" not in result["properties"]["free"]
    assert result["properties"]["properties"]["additionalProperties"] is False
    assert result["properties"]["maybe"]["type"] == ["string", "null"]


def test_crd_files_are_cached_outside_git() -> None:
    crd_schema("cert-manager.io/v1", "Certificate")
    cache = PROJECT_ROOT / ".cache" / "crd-schemas"
    assert cache.is_dir()
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", str(cache)], cwd=PROJECT_ROOT, check=False
    )
    assert ignored.returncode == 0
    assert not (Path(__file__).parent / "node_modules").exists()
