"""The watcher values, rendered by the real Ory chart: the watcher Deployment watches a file of
the env Secret and selects exactly the Kratos Deployment and the courier StatefulSet.

Runs when KRATOS_CHART_DIR holds the chart (0.59.0) and a helm binary is at hand (HELM_BIN or
`helm` on PATH); the mocked tests in test_kratos_release.py cover the values themselves.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.program.harness import ProgramRun


def rendered_chart(run: ProgramRun, tmp_path: Path) -> list[dict[str, Any]]:
    chart = os.environ.get("KRATOS_CHART_DIR")
    helm = os.environ.get("HELM_BIN") or shutil.which("helm")
    if not chart or not helm:
        pytest.skip("needs KRATOS_CHART_DIR (the Ory kratos chart) and helm (HELM_BIN or PATH)")
    values_file = tmp_path / "values.json"
    values_file.write_text(json.dumps(run.one("kubernetes:helm.sh/v3:Release").inputs["values"]))
    argv = [helm, "template", "kratos", chart, "--namespace", "auth", "-f", str(values_file)]
    result = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def test_the_watcher_rolls_serve_and_courier_when_the_env_secret_changes(
    run: ProgramRun, tmp_path: Path
) -> None:
    docs = rendered_chart(run, tmp_path)
    [external_secret] = run.kind("ExternalSecret")
    secret_name = external_secret.inputs["spec"]["target"]["name"]
    kinds = ("Deployment", "StatefulSet")
    workloads = {(d["kind"], d["metadata"]["name"]): d for d in docs if d["kind"] in kinds}
    watcher = workloads.pop(("Deployment", "kratos-watcher"))
    pod = watcher["spec"]["template"]["spec"]
    [container] = pod["containers"]
    env = {e["name"]: e["value"] for e in container["env"]}
    # The watched file lies in a mount of the env Secret itself.
    watched_dir = env["WATCH_FILE"].rsplit("/", 1)[0]
    [mount] = [m for m in container["volumeMounts"] if m["mountPath"] == watched_dir]
    [volume] = [v for v in pod["volumes"] if v["name"] == mount["name"]]
    assert volume["secret"]["secretName"] == secret_name
    # watch.sh rolls every Deployment and StatefulSet carrying this label.
    key, value = env["LABEL_SELECTOR"].split("=")
    selected = {
        name for name, doc in workloads.items() if doc["metadata"]["labels"].get(key) == value
    }
    assert selected == {("Deployment", "kratos"), ("StatefulSet", "kratos-courier")}


def test_the_watcher_runs_as_an_account_its_role_is_bound_to(
    run: ProgramRun, tmp_path: Path
) -> None:
    # The chart's own RoleBinding names `<fullname>-watcher`; the watcher runs as
    # `<serviceAccount.name>-watcher`. Found on real pods: without the stack's binding the
    # watcher was forbidden to list Deployments, so a rotated Secret never rolled anything.
    docs = rendered_chart(run, tmp_path)
    watcher = next(
        d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "kratos-watcher"
    )
    account = watcher["spec"]["template"]["spec"]["serviceAccountName"]
    [role] = [d for d in docs if d["kind"] == "Role" and d["metadata"]["name"].endswith("-watcher")]
    bindings = [d for d in docs if d["kind"] == "RoleBinding"] + [
        {"roleRef": b.inputs["roleRef"], "subjects": b.inputs["subjects"]}
        for b in run.kind("RoleBinding")
    ]
    granted = {
        subject["name"]
        for binding in bindings
        if binding["roleRef"]["name"] == role["metadata"]["name"]
        for subject in binding["subjects"]
        if subject["kind"] == "ServiceAccount"
    }
    assert account in granted
