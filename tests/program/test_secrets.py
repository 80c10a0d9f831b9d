"""Secrets travel by reference: the ExternalSecret maps remote keys to the env Kratos reads,
and that one Secret is the only source of every secret env var in the Kratos pods."""

from __future__ import annotations

from typing import Any

from kratos_config.secrets_env import (
    CORE_SECRETS,
    DSN_SECRET,
    oidc_client_secret_env,
    secret_env_names,
)
from stack_settings import StackSettings
from stacks.chart import CHART_DSN_KEY, CHART_OPTIONAL_SECRET_KEYS
from tests.program.conftest import RunWith
from tests.program.harness import ProgramRun
from tests.support.stack_config import NS, stack_config

OIDC_PROVIDER = {
    "id": "github",
    "provider": "github",
    "clientId": "public-client-id",
    "clientSecretKey": "kratos/prod/github-client-secret",
    "scope": ["user:email"],
}


def external_secret(run: ProgramRun) -> dict[str, Any]:
    [resource] = run.kind("ExternalSecret")
    return resource.inputs


def target_keys(run: ProgramRun) -> dict[str, str]:
    """Key of the target Secret -> remote key in the store."""
    data = external_secret(run)["spec"]["data"]
    return {item["secretKey"]: item["remoteRef"]["key"] for item in data}


def chart_values(run: ProgramRun) -> dict[str, Any]:
    values: dict[str, Any] = run.one("kubernetes:helm.sh/v3:Release").inputs["values"]
    return values


def test_external_secret_maps_each_remote_key_to_the_env_name_kratos_reads(
    run: ProgramRun, settings: StackSettings
) -> None:
    store = settings.secret_store
    assert store is not None
    resource = external_secret(run)
    assert resource["apiVersion"] == store.api_version == "external-secrets.io/v1"
    assert resource["metadata"]["namespace"] == settings.namespace
    spec = resource["spec"]
    assert spec["secretStoreRef"] == {"name": store.name, "kind": store.kind}
    assert spec["refreshInterval"] == store.refresh_interval
    assert spec["target"] == {
        "name": store.target_secret_name,
        "creationPolicy": "Owner",
        "deletionPolicy": "Retain",
    }
    keys = target_keys(run)
    for secret in CORE_SECRETS:
        assert keys[secret.env] == getattr(store, secret.remote_key_field)
    assert set(keys) == {*secret_env_names(settings), CHART_DSN_KEY}


def test_oidc_client_secrets_come_from_the_store_too(run_with: RunWith) -> None:
    run = run_with("prod", oidc=[OIDC_PROVIDER])
    assert run.error is None, run.error
    keys = target_keys(run)
    assert keys[oidc_client_secret_env(0)] == OIDC_PROVIDER["clientSecretKey"]
    providers = chart_values(run)["kratos"]["config"]["selfservice"]["methods"]["oidc"]
    assert "client_secret" not in providers["config"]["providers"][0]


def test_previous_secrets_follow_the_current_one_in_kratos_list_order(run_with: RunWith) -> None:
    store = {
        **stack_config("prod")[f"{NS}:secretStore"],
        "cookieSecretKey": "kratos/prod/cookie-2",
        "previousCookieSecretKeys": ["kratos/prod/cookie-1", "kratos/prod/cookie-0"],
        "previousCipherSecretKeys": ["kratos/prod/cipher-1"],
    }
    run = run_with("prod", secretStore=store)
    assert run.error is None, run.error
    keys = target_keys(run)
    # Index 0 signs new cookies; 1 and 2 still verify the cookies they signed.
    assert keys["SECRETS_COOKIE_0"] == "kratos/prod/cookie-2"
    assert keys["SECRETS_COOKIE_1"] == "kratos/prod/cookie-1"
    assert keys["SECRETS_COOKIE_2"] == "kratos/prod/cookie-0"
    assert keys["SECRETS_CIPHER_1"] == "kratos/prod/cipher-1"
    assert not {"SECRETS_COOKIE_3", "SECRETS_CIPHER_2", "SECRETS_DEFAULT_1"} & set(keys)


def test_the_chart_reads_only_the_external_secrets_secret(run: ProgramRun) -> None:
    values = chart_values(run)
    secret_name = external_secret(run)["spec"]["target"]["name"]
    # The chart's own Secret (random SECRETS_*) is off, and every secretKeyRef the chart still
    # writes (kratos.secretname) is pointed at our Secret.
    assert values["secret"] == {"enabled": False, "nameOverride": secret_name}
    assert values["deployment"]["environmentSecretsName"] == secret_name
    assert values["statefulSet"]["environmentSecretsName"] == secret_name


def pod_secret_env(values: dict[str, Any], container: str) -> dict[str, tuple[str, str | None]]:
    """Env var -> (Secret, key) for the secret-bearing env of a Kratos container, as chart
    0.59.0 writes it (deployment-kratos.yaml: `kratos serve`; statefulset-mail.yaml: the
    courier). `(secret, None)` is an envFrom of the whole Secret."""
    secret = values.get("secret", {})
    enabled = secret.get("enabled", True)
    secret_name = secret.get("nameOverride") or "<fullname>"
    config = values["kratos"]["config"]
    env: dict[str, tuple[str, str | None]] = {}
    # _helpers.tpl kratos.dsn: non-empty when the override is set with the chart's Secret off,
    # or when kratos.config.dsn is given; then DSN comes from key `dsn` of kratos.secretname.
    if (secret.get("nameOverride") and not enabled) or config.get("dsn"):
        env["DSN"] = (secret_name, "dsn")
    for name, key in (
        ("SECRETS_DEFAULT", "secretsDefault"),
        ("SECRETS_COOKIE", "secretsCookie"),
        ("SECRETS_CIPHER", "secretsCipher"),
    ):
        env[name] = (secret_name, key)  # optional: true
    if config.get("courier", {}).get("smtp", {}).get("connection_uri"):
        env["COURIER_SMTP_CONNECTION_URI"] = (secret_name, "smtpConnectionURI")
    section = "statefulSet" if container == "courier" else "deployment"
    from_secret = values.get(section, {}).get("environmentSecretsName") or values.get(
        "deployment", {}
    ).get("environmentSecretsName")
    if from_secret:
        env["<envFrom>"] = (from_secret, None)
    for extra in values.get(section, {}).get("extraEnv", []):
        env[extra["name"]] = ("<extraEnv>", None)
    return env


def test_every_secret_env_var_in_the_pods_comes_from_the_external_secrets_secret(
    run: ProgramRun, settings: StackSettings
) -> None:
    values = chart_values(run)
    secret_name = external_secret(run)["spec"]["target"]["name"]
    keys = target_keys(run)
    for container in ("kratos", "courier"):
        env = pod_secret_env(values, container)
        assert {source for source, _ in env.values()} == {secret_name}, (container, env)
        # Keys the chart reads as optional refs are absent from our Secret, so those env vars
        # (SECRETS_DEFAULT/COOKIE/CIPHER, non-indexed) are never set beside our indexed ones.
        for name, (_, key) in env.items():
            if key in CHART_OPTIONAL_SECRET_KEYS:
                assert key not in keys, (container, name)
        # The explicit DSN ref reads the same remote key as the DSN the envFrom provides.
        if "DSN" in env:
            assert keys[CHART_DSN_KEY] == keys["DSN"]
    # Nothing else hands the pods secrets: no extra env, no volume but the watcher's copy of
    # this same Secret (deployment.extraVolumes, which the courier inherits), no chart values.
    for section in ("deployment", "statefulSet", "job", "cronjob"):
        assert "extraEnv" not in values.get(section, {})
        for volume in values.get(section, {}).get("extraVolumes", []):
            assert volume["secret"] == {"secretName": secret_name}, (section, volume)
    assert values["kratos"]["automigration"] == {"enabled": False}
    config = values["kratos"]["config"]
    assert "dsn" not in config and "secrets" not in config
    assert "connection_uri" not in config.get("courier", {}).get("smtp", {})
    assert set(secret_env_names(settings)) <= set(keys)


def test_the_migration_job_reads_only_the_dsn_from_the_external_secrets_secret(
    run: ProgramRun,
) -> None:
    [job] = run.kind("Job")
    [container] = job.inputs["spec"]["template"]["spec"]["containers"]
    secret_name = external_secret(run)["spec"]["target"]["name"]
    assert "envFrom" not in container
    assert container["env"] == [
        {
            "name": DSN_SECRET.env,
            "valueFrom": {"secretKeyRef": {"name": secret_name, "key": DSN_SECRET.env}},
        }
    ]
    assert DSN_SECRET.env in target_keys(run)
    assert not job.inputs["spec"]["template"]["spec"].get("volumes")


def test_the_env_model_flags_a_second_source(run: ProgramRun) -> None:
    values = chart_values(run)
    leaky = {**values, "secret": {"enabled": True}}
    sources = {source for source, _ in pod_secret_env(leaky, "kratos").values()}
    assert "<fullname>" in sources
    extra = {**values, "deployment": {**values["deployment"], "extraEnv": [{"name": "DSN"}]}}
    assert "<extraEnv>" in {source for source, _ in pod_secret_env(extra, "kratos").values()}
