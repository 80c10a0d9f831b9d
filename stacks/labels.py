"""Labels every Kubernetes object of the stack carries, so `kubectl get -l` finds them."""

from __future__ import annotations


def stack_labels(component: str) -> dict[str, str]:
    return {
        "app.kubernetes.io/part-of": "kratos-auth",
        "app.kubernetes.io/managed-by": "pulumi",
        "app.kubernetes.io/component": component,
    }
