"""Brute-force protection at the edge: a Cloudflare rate-limiting rule on Kratos's submit
endpoints. Kratos has no password rate limit of its own; Ory's advice is to limit in front of it,
and only a proxied record puts Cloudflare in front."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_cloudflare as cloudflare

from stack_settings import ClusterSettings
from stack_settings.model import RateLimitSettings

RATE_LIMIT_PHASE = "http_ratelimit"
# Where a browser or app submits a flow (POST ?flow=<id>); GETs only fetch the form.
SUBMIT_PATHS = (
    "/self-service/login",
    "/self-service/registration",
    "/self-service/recovery",
    "/self-service/verification",
)
# Cloudflare counts per data centre; the client's IP is what we limit.
CHARACTERISTICS = ("cf.colo.id", "ip.src")


@dataclass(frozen=True)
class RateLimitArgs:
    host: str
    limit: RateLimitSettings


def rate_limit_args(settings: ClusterSettings) -> RateLimitArgs | None:
    """The rule's inputs when Cloudflare proxies the Kratos host and the rule is on; else None."""
    cf = settings.cloudflare
    if cf is None or not cf.kratos_record_target or not cf.proxied or not cf.rate_limit.enabled:
        return None
    return RateLimitArgs(settings.resolved_kratos_host, cf.rate_limit)


def submit_expression(host: str) -> str:
    """Cloudflare's rules language: POSTs to a submit path on the Kratos host."""
    paths = " ".join(f'"{path}"' for path in SUBMIT_PATHS)
    return (
        f'(http.host eq "{host}" and http.request.method eq "POST"'
        f" and http.request.uri.path in {{{paths}}})"
    )


def rate_limit_rule(args: RateLimitArgs) -> cloudflare.RulesetRuleArgs:
    return cloudflare.RulesetRuleArgs(
        action="block",
        description=f"kratos-auth: submits to {args.host}",
        enabled=True,
        expression=submit_expression(args.host),
        ratelimit=cloudflare.RulesetRuleRatelimitArgs(
            characteristics=list(CHARACTERISTICS),
            period=args.limit.period_seconds,
            requests_per_period=args.limit.requests_per_period,
            mitigation_timeout=args.limit.mitigation_timeout_seconds,
        ),
    )


def rate_limit_ruleset(
    name: str, args: RateLimitArgs, zone_id: pulumi.Input[str], opts: pulumi.ResourceOptions
) -> cloudflare.Ruleset:
    """The zone's rate-limit entry point ruleset (a zone has one per phase)."""
    return cloudflare.Ruleset(
        name,
        kind="zone",
        name="kratos-auth rate limits",
        phase=RATE_LIMIT_PHASE,
        zone_id=zone_id,
        rules=[rate_limit_rule(args)],
        opts=opts,
    )
