"""Cloudflare records: the UI host → GitHub Pages, optionally the Kratos host → the Gateway
(then, proxied, with a rate limit on its submit endpoints)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import pulumi
import pulumi_cloudflare as cloudflare

from stack_settings import ClusterSettings
from stack_settings.model import CloudflareSettings
from stacks.options import child_options
from stacks.rate_limit import RateLimitArgs, rate_limit_args, rate_limit_ruleset

RECORD_COMMENT = "managed by the kratos-auth Pulumi stack"


@dataclass(frozen=True)
class DnsRecordSpec:
    host: str
    type: str
    target: str


@dataclass(frozen=True)
class DnsRecordsArgs:
    zone_name: str | None
    zone_id: str | None
    proxied: bool
    ttl: int
    records: tuple[DnsRecordSpec, ...]
    rate_limit: RateLimitArgs | None = None

    @classmethod
    def from_settings(cls, settings: ClusterSettings, cf: CloudflareSettings) -> DnsRecordsArgs:
        records = [DnsRecordSpec(settings.resolved_ui_host, "CNAME", settings.pages_target)]
        if cf.kratos_record_target:
            records.append(
                DnsRecordSpec(
                    settings.resolved_kratos_host,
                    record_type(cf.kratos_record_target),
                    cf.kratos_record_target,
                )
            )
        return cls(
            cf.zone_name,
            cf.zone_id,
            cf.proxied,
            cf.ttl,
            tuple(records),
            rate_limit_args(settings),
        )


def record_type(target: str) -> str:
    """A for IPv4, AAAA for IPv6, CNAME for a host name (e.g. a load balancer's name)."""
    try:
        address = ipaddress.ip_address(target)
    except ValueError:
        return "CNAME"
    return "A" if address.version == 4 else "AAAA"


def _zone_id(args: DnsRecordsArgs, parent: pulumi.Resource) -> pulumi.Input[str]:
    if args.zone_id or not args.zone_name:  # settings require exactly one of them
        return args.zone_id or ""
    # v6's zone lookup refuses a filter without `match`.
    zone = cloudflare.get_zone_output(
        filter=cloudflare.GetZoneFilterArgs(match="all", name=args.zone_name),
        opts=pulumi.InvokeOutputOptions(parent=parent),
    )
    return zone.id


class DnsRecords(pulumi.ComponentResource):
    """The UI's CNAME to `<owner>.github.io` (and the Kratos host's record when asked for)."""

    def __init__(
        self, name: str, args: DnsRecordsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        # Stacks deployed before the rename keep their records instead of replacing them.
        alias = pulumi.Alias(type_="kratos-auth:stacks:UiDns")
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(aliases=[alias]))
        super().__init__("kratos-auth:stacks:DnsRecords", name, None, opts)
        zone_id = _zone_id(args, self)
        self.records = [
            cloudflare.DnsRecord(
                f"{name}-{spec.host}",
                zone_id=zone_id,
                name=spec.host,
                type=spec.type,
                content=spec.target,
                proxied=args.proxied,
                ttl=args.ttl,
                comment=RECORD_COMMENT,
                opts=child_options(self, opts),
            )
            for spec in args.records
        ]
        # Brute-force protection on Kratos's submits, when Cloudflare proxies its host.
        self.rate_limit: cloudflare.Ruleset | None = None
        if args.rate_limit is not None:
            self.rate_limit = rate_limit_ruleset(
                f"{name}-rate-limit", args.rate_limit, zone_id, child_options(self, opts)
            )
        self.register_outputs({"hosts": [spec.host for spec in args.records]})
