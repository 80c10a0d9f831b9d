"""The Cloudflare rate limit on Kratos's submit endpoints (pulumi-cloudflare Ruleset, phase
http_ratelimit), checked under mocks: only when Cloudflare proxies the Kratos host."""

from __future__ import annotations

import re
from typing import Any

from stacks.rate_limit import CHARACTERISTICS, SUBMIT_PATHS
from tests.program.conftest import RunWith
from tests.program.harness import ProgramRun

RULESET = "cloudflare:index/ruleset:Ruleset"
ZONE_ID = "f" * 32
PROXIED_KRATOS = {"zoneId": ZONE_ID, "kratosRecordTarget": "203.0.113.10"}
# Cloudflare's accepted periods and timeouts (the API refuses any other value).
PERIODS = {10, 60, 120, 300, 600, 3600}
TIMEOUTS = {0, 10, 60, 120, 300, 600, 3600, 86400}


def rulesets(run: ProgramRun) -> list[dict[str, Any]]:
    assert run.error is None, run.error
    return [r.inputs for r in run.of_type(RULESET)]


def test_a_proxied_kratos_host_gets_one_rate_limit_rule_on_its_submits(
    run_with: RunWith,
) -> None:
    [ruleset] = rulesets(run_with("prod", cloudflare=PROXIED_KRATOS))
    assert (ruleset["kind"], ruleset["phase"], ruleset["zoneId"]) == (
        "zone",
        "http_ratelimit",
        ZONE_ID,
    )
    [rule] = ruleset["rules"]
    assert rule["action"] == "block" and rule["enabled"] is True
    expression = rule["expression"]
    assert 'http.host eq "auth.example.com"' in expression
    assert 'http.request.method eq "POST"' in expression
    listed = re.search(r"http\.request\.uri\.path in \{([^}]*)\}", expression)
    assert listed is not None
    assert sorted(re.findall(r'"([^"]+)"', listed.group(1))) == sorted(SUBMIT_PATHS)
    assert expression.count("(") == expression.count(")")
    limit = rule["ratelimit"]
    assert limit["characteristics"] == list(CHARACTERISTICS)
    assert "cf.colo.id" in limit["characteristics"]  # Cloudflare requires it
    assert (limit["period"], limit["requestsPerPeriod"], limit["mitigationTimeout"]) == (
        60,
        10,
        600,
    )
    assert limit["period"] in PERIODS and limit["mitigationTimeout"] in TIMEOUTS


def test_thresholds_come_from_settings(run_with: RunWith) -> None:
    cloudflare = {
        **PROXIED_KRATOS,
        "rateLimit": {"requestsPerPeriod": 5, "periodSeconds": 10, "mitigationTimeoutSeconds": 60},
    }
    [ruleset] = rulesets(run_with("prod", cloudflare=cloudflare))
    limit = ruleset["rules"][0]["ratelimit"]
    assert (limit["period"], limit["requestsPerPeriod"], limit["mitigationTimeout"]) == (10, 5, 60)


def test_no_rule_unless_cloudflare_proxies_kratos(
    run_with: RunWith, stack_runs: dict[str, ProgramRun]
) -> None:
    for run in stack_runs.values():  # the example stacks do not route Kratos through Cloudflare
        assert rulesets(run) == []
    assert rulesets(run_with("prod", cloudflare={**PROXIED_KRATOS, "proxied": False})) == []
    off = {**PROXIED_KRATOS, "rateLimit": {"enabled": False}}
    assert rulesets(run_with("prod", cloudflare=off)) == []


def test_a_period_cloudflare_refuses_is_refused_by_name(run_with: RunWith) -> None:
    run = run_with("prod", cloudflare={**PROXIED_KRATOS, "rateLimit": {"periodSeconds": 30}})
    assert run.error is not None and "cloudflare.rateLimit.periodSeconds" in str(run.error)
