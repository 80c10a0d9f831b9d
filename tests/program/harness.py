"""Run the real `__main__.py` under Pulumi mocks and record every registration it makes.

The Pulumi CLI hands a program its stack's config as strings (JSON text for structured
values); `pulumi_config_from_stack_file` does the same from a `Pulumi.<stack>.yaml`.
"""

from __future__ import annotations

import runpy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs
from pulumi.runtime.settings import ROOT as ROOT_RESOURCE
from pulumi.runtime.settings import get_root_resource
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from stack_settings.load import as_pulumi_value, read_stack_file

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROJECT = "kratos-auth"
MOCK_ZONE_ID = "0123456789abcdef0123456789abcdef"
# Stand-in for `pulumi config set --secret cloudflare:apiToken`; it must never show up in inputs.
STAND_IN_CLOUDFLARE_TOKEN = "stand-in-cloudflare-token-6f1d0c9a"
CLOUDFLARE_TOKEN_KEY = "cloudflare:apiToken"
CUSTOM_GROUPS = ("gateway.networking.k8s.io", "external-secrets.io", "cert-manager.io")


@dataclass(frozen=True)
class Registered:
    """One RegisterResource call as the engine would receive it."""

    type: str
    name: str
    urn: str
    custom: bool
    parent: str
    dependencies: tuple[str, ...]
    inputs: dict[str, Any]


@dataclass(frozen=True)
class Invoked:
    token: str
    args: dict[str, Any]


@dataclass
class ProgramRun:
    resources: list[Registered] = field(default_factory=list)
    invokes: list[Invoked] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    secret_outputs: set[str] = field(default_factory=set)
    error: pulumi.RunError | None = None

    def of_type(self, type_: str) -> list[Registered]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str, kind: str | None = None) -> Registered:
        found = [r for r in self.of_type(type_) if kind is None or r.inputs.get("kind") == kind]
        assert len(found) == 1, f"expected one {type_} {kind or ''}, got {[r.name for r in found]}"
        return found[0]

    def kind(self, kind: str) -> list[Registered]:
        """Kubernetes objects of a kind (built-in or custom), in registration order."""
        return [
            r
            for r in self.resources
            if r.type.startswith("kubernetes:") and r.type.endswith(f":{kind}")
        ]

    def custom_documents(self) -> list[dict[str, Any]]:
        """Every custom resource as the manifest the cluster receives."""
        return [
            {key: r.inputs[key] for key in ("apiVersion", "kind", "metadata", "spec")}
            for r in sorted(self.resources, key=lambda r: r.urn)
            if r.type.startswith("kubernetes:")
            and r.type.split(":")[1].split("/")[0] in CUSTOM_GROUPS
        ]

    def by_urn(self, urn: str) -> Registered:
        return next(r for r in self.resources if r.urn == urn)


class Mocks(pulumi.runtime.Mocks):
    """Resources echo their inputs; the Cloudflare zone lookup answers with a fixed zone."""

    def new_resource(self, args: MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        if args.token == "cloudflare:index/getZone:getZone":
            return {"id": MOCK_ZONE_ID, "zoneId": MOCK_ZONE_ID}, []
        return {}, []


class RecordingMonitor(MockMonitor):
    """The stock mock monitor, plus a record of parents, dependencies and invokes."""

    def __init__(self, mocks: Mocks) -> None:
        super().__init__(mocks)
        self.registered: list[Registered] = []
        self.invoked: list[Invoked] = []

    def RegisterResource(self, request: Any) -> Any:  # the monitor's gRPC method name
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type != "pulumi:pulumi:Stack":
            self.registered.append(
                Registered(
                    type=request.type,
                    name=request.name,
                    urn=response.urn,
                    custom=bool(request.custom),
                    parent=request.parent,
                    dependencies=tuple(request.dependencies),
                    inputs=json_numbers(rpc.deserialize_properties(request.object)),
                )
            )
        return response

    def Invoke(self, request: Any) -> Any:
        response = super().Invoke(request)  # type: ignore[no-untyped-call]
        self.invoked.append(
            Invoked(request.tok, json_numbers(rpc.deserialize_properties(request.args)))
        )
        return response


def json_numbers(value: Any) -> Any:
    """The wire format has one number type; give integral numbers back their int form."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: json_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_numbers(item) for item in value]
    return value


def pulumi_config_from_stack_file(path: Path) -> tuple[dict[str, str], list[str]]:
    """A stack file's config as the program receives it, plus the stand-in Cloudflare token."""
    config, secret_keys = read_stack_file(path)
    flat = {key: as_pulumi_value(value) for key, value in config.items()}
    flat[CLOUDFLARE_TOKEN_KEY] = STAND_IN_CLOUDFLARE_TOKEN
    return flat, sorted({*secret_keys, CLOUDFLARE_TOKEN_KEY})


def _run_main(main: Path) -> None:
    runpy.run_path(str(main), run_name="__main__")


def run_program(
    stack: str,
    config: Mapping[str, Any],
    secret_keys: Iterable[str] = (),
    main: Path = PROJECT_ROOT / "__main__.py",
) -> ProgramRun:
    """One evaluation of the program for a stack, as `pulumi up` would run it, under mocks."""
    ROOT_RESOURCE.set(None)
    mocks = Mocks()
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, preview=False, monitor=monitor)
    pulumi.runtime.set_all_config(
        {key: as_pulumi_value(value) for key, value in config.items()}, list(secret_keys)
    )
    run = ProgramRun()
    try:
        _sync_await(run_pulumi_func(lambda: _run_main(main)))
    except pulumi.RunError as error:
        run.error = error
    run.resources = list(monitor.registered)
    run.invokes = list(monitor.invoked)
    root = get_root_resource()
    for name, value in getattr(root, "outputs", {}).items():
        output = pulumi.Output.from_input(value)
        run.outputs[name] = json_numbers(_sync_await(output.future()))
        if _sync_await(output.is_secret()):
            run.secret_outputs.add(name)
    return run


def run_stack_file(stack: str, root: Path = PROJECT_ROOT) -> ProgramRun:
    config, secret_keys = pulumi_config_from_stack_file(root / f"Pulumi.{stack}.yaml")
    return run_program(stack, config, secret_keys, main=root / "__main__.py")
