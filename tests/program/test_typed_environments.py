"""Local and cluster environments are different types; only a cluster stack is deployed."""

from __future__ import annotations

import pytest

from stack_settings import ClusterSettings, LocalSettings, load_stack
from stack_settings.local import local_settings
from tests.program.conftest import RunWith
from tests.support.stack_config import NS

CLUSTER_TARGETS = ("secretStore", "gateway", "tls", "pages")


def test_stack_files_are_cluster_settings_and_the_local_profile_is_local() -> None:
    assert isinstance(load_stack("dev"), ClusterSettings)
    assert isinstance(load_stack("prod"), ClusterSettings)
    assert isinstance(local_settings(), LocalSettings)


def test_cluster_settings_require_every_target_by_type() -> None:
    required = {f.alias for f in ClusterSettings.model_fields.values() if f.is_required()}
    assert set(CLUSTER_TARGETS) <= required
    assert LocalSettings.model_fields["secret_store"].is_required() is False


@pytest.mark.parametrize("missing", CLUSTER_TARGETS)
def test_a_cluster_stack_without_a_target_is_refused_before_any_resource(
    run_with: RunWith, missing: str
) -> None:
    run = run_with("dev", **{missing: None})
    assert run.error is not None and run.resources == []
    message = str(run.error)
    assert message.startswith("stack 'dev': 1 problem in the settings, nothing was deployed:")
    assert f"{NS}:{missing} = <unset>: required for a dev stack" in message
    assert f"Fix: set {NS}:{missing}, e.g." in message
    assert "Traceback" not in message


def test_the_refusal_of_local_names_the_key_and_the_fix(run_with: RunWith) -> None:
    run = run_with("dev", environment="local")
    assert run.error is not None and run.resources == []
    assert str(run.error).splitlines()[1:] == [
        f"  - {NS}:environment = 'local': the local environment runs on this machine and has no "
        f"cluster to deploy to. Fix: run `make local` for it, or set {NS}:environment to dev "
        "or prod."
    ]


def test_dns_is_optional_and_without_it_no_cloudflare_resource_is_registered(
    run_with: RunWith,
) -> None:
    """An internal environment manages DNS elsewhere; the Cloudflare provider is never loaded."""
    run = run_with("dev", cloudflare=None)
    assert run.error is None
    types = {resource.type for resource in run.resources}
    assert not [t for t in types if "cloudflare" in t]
    assert "kubernetes:helm.sh/v3:Release" in types
