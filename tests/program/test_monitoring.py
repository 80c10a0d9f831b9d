"""Metrics and alerts: a ServiceMonitor on the admin Service's metrics path and a PrometheusRule
(both validated against the prometheus-operator CRDs in test_crd_schemas.py)."""

from __future__ import annotations

import re
from typing import Any

from stack_settings import StackSettings, load_stack
from stacks.chart import (
    ADMIN_METRICS_PATH,
    ADMIN_SERVICE_PORT_NAME,
    admin_service_selector,
    courier_name,
)
from stacks.migration import job_name_regex, migration_selector
from tests.program.conftest import RunWith
from tests.program.harness import ProgramRun


def custom(run: ProgramRun, kind: str) -> dict[str, Any]:
    [document] = [d for d in run.custom_documents() if d["kind"] == kind]
    return document


def test_monitoring_is_off_unless_settings_ask(stack_runs: dict[str, ProgramRun]) -> None:
    assert load_stack("dev").monitoring is None
    kinds = {d["kind"] for d in stack_runs["dev"].custom_documents()}
    assert not kinds & {"ServiceMonitor", "PrometheusRule"}


def test_the_service_monitor_scrapes_the_admin_metrics_path(
    stack_runs: dict[str, ProgramRun],
) -> None:
    settings: StackSettings = load_stack("prod")
    assert settings.monitoring is not None
    monitor = custom(stack_runs["prod"], "ServiceMonitor")
    assert monitor["metadata"]["namespace"] == settings.namespace
    assert settings.monitoring.labels.items() <= monitor["metadata"]["labels"].items()
    spec = monitor["spec"]
    assert spec["selector"] == {"matchLabels": admin_service_selector(settings.release_name)}
    assert spec["namespaceSelector"] == {"matchNames": [settings.namespace]}
    [endpoint] = spec["endpoints"]
    assert endpoint["port"] == ADMIN_SERVICE_PORT_NAME
    assert endpoint["path"] == ADMIN_METRICS_PATH
    assert endpoint["interval"] == settings.monitoring.interval
    # Prometheus can only scrape the admin port from a namespace the NetworkPolicy admits.
    assert settings.admin_namespaces


def rules_by_name(run: ProgramRun) -> dict[str, dict[str, Any]]:
    [group] = custom(run, "PrometheusRule")["spec"]["groups"]
    return {rule["alert"]: rule for rule in group["rules"]}


def test_alerts_on_server_errors_failed_migrations_and_a_stopped_courier(
    stack_runs: dict[str, ProgramRun],
) -> None:
    rules = rules_by_name(stack_runs["prod"])
    assert set(rules) == {"KratosServerErrors", "KratosMigrationFailed", "KratosCourierDown"}
    errors = rules["KratosServerErrors"]["expr"]
    assert 'code=~"5.."' in errors and errors.endswith("> 0.05")
    assert errors.count("http_requests_total") == 2
    migration = rules["KratosMigrationFailed"]
    assert f'job_name=~"{job_name_regex("kratos")}"' in migration["expr"]
    assert (
        migration["expr"].startswith("kube_job_failed{") and 'condition="true"' in migration["expr"]
    )
    for label, value in migration_selector("kratos").items():
        assert f"{label}={value}" in migration["annotations"]["description"]
    assert f'statefulset="{courier_name("kratos")}"' in rules["KratosCourierDown"]["expr"]
    for rule in rules.values():
        assert 'namespace="auth"' in rule["expr"]


def test_the_migration_alert_matches_every_migration_job_of_the_release_and_no_other(
    stack_runs: dict[str, ProgramRun],
) -> None:
    [job] = stack_runs["prod"].kind("Job")
    pattern = re.compile(job_name_regex("kratos"))
    # The provider's autoname: the resource's name and 8 hex digits.
    assert pattern.fullmatch(f"{job.name}-0123abcd")
    # Another release's Jobs in the same namespace are not this release's.
    assert not pattern.fullmatch("kratos-b-migrate-0123abcd")


def test_the_error_threshold_follows_settings(run_with: RunWith) -> None:
    run = run_with("prod", monitoring={"serverErrorRatio": 0.2})
    assert rules_by_name(run)["KratosServerErrors"]["expr"].endswith("> 0.2")


def test_a_bad_scrape_interval_is_refused_by_name(run_with: RunWith) -> None:
    run = run_with("prod", monitoring={"interval": "30sec"})
    assert run.error is not None and "monitoring.interval" in str(run.error)
