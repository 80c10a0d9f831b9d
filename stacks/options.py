"""Resource options for a component's children."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi


def child_options(
    parent: pulumi.Resource,
    opts: pulumi.ResourceOptions | None,
    extra_depends_on: Sequence[pulumi.Resource] = (),
) -> pulumi.ResourceOptions:
    """Parented to the component and waiting for what the component waits for.

    The engine orders creates, updates and deletes by each resource's own dependencies, so the
    component's `depends_on` is repeated on every child (e.g. the release is uninstalled before
    its Secret goes away).
    """
    inherited = opts.depends_on if opts is not None else None
    depends: list[pulumi.Resource] = []
    if isinstance(inherited, pulumi.Resource):
        depends.append(inherited)
    elif isinstance(inherited, (list, tuple)):
        depends += [d for d in inherited if isinstance(d, pulumi.Resource)]
    depends += extra_depends_on
    return pulumi.ResourceOptions(parent=parent, depends_on=depends)


def output_of(resource: pulumi.Resource, value: str) -> pulumi.Output[str]:
    """`value` as an Output of `resource`, so every resource that takes it waits for that one.

    The URN is known even in a preview, so the value never turns unknown on the way.
    """
    return resource.urn.apply(lambda _urn: value)
