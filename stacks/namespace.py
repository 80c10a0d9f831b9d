"""The namespace Kratos, its Secret and its route live in."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from stacks.labels import stack_labels
from stacks.options import child_options


@dataclass(frozen=True)
class AuthNamespaceArgs:
    name: str


class AuthNamespace(pulumi.ComponentResource):
    """Owns the stack's namespace; everything namespaced depends on it."""

    def __init__(
        self, name: str, args: AuthNamespaceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("kratos-auth:stacks:AuthNamespace", name, None, opts)
        self.name = args.name
        self.namespace = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata={"name": args.name, "labels": stack_labels("namespace")},
            opts=child_options(self, opts),
        )
        self.register_outputs({"name": self.name})
