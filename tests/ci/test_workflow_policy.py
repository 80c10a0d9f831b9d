"""The workflows' security and deploy-order promises, read from the workflow files themselves."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

from stack_settings import stack_names
from tests.ci.workflow_files import (
    ROOT,
    action_files,
    all_steps,
    jobs,
    needs,
    steps,
    transitive_needs,
    triggers,
    workflow,
    workflow_files,
)

PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(.+?)\s*$", re.MULTILINE)
SECRETS = {
    "PULUMI_ACCESS_TOKEN",
    "PULUMI_BACKEND_URL",
    "PULUMI_CONFIG_PASSPHRASE",
    "CLOUDFLARE_API_TOKEN",
    "KUBECONFIG",
    "GITHUB_TOKEN",
}
VARIABLES = {"PULUMI_ORG", "PAGES_STACK"}
# The make targets the workflows rely on: the same entry points `.ci/run` and developers use.
MAKE_TARGETS = {"setup", "lint", "test-node", "test-unit", "test-e2e", "site"}
# Inputs of the pinned actions that the workflows use, as their action.yml at that pin declares.
KNOWN_INPUTS = {
    "actions/checkout": {"persist-credentials"},
    "actions/setup-python": {"python-version", "cache", "cache-dependency-path"},
    "actions/setup-node": {"node-version", "cache", "cache-dependency-path"},
    "actions/setup-go": {"go-version", "cache", "cache-dependency-path"},
    "actions/cache": {"path", "key", "restore-keys"},
    "actions/upload-artifact": {"name", "path", "if-no-files-found", "retention-days"},
    "actions/download-artifact": {"name", "path"},
    "actions/upload-pages-artifact": {"name", "path", "retention-days"},
    "actions/deploy-pages": {"artifact_name", "timeout"},
    "pulumi/actions": {
        "command",
        "stack-name",
        "pulumi-version",
        "cloud-url",
        "diff",
        "comment-on-pr",
        "comment-on-summary",
        "github-token",
        "suppress-progress",
    },
}


def run_scripts() -> list[str]:
    return [str(step["run"]) for _, step in all_steps() if "run" in step]


def test_no_workflow_uses_pull_request_target() -> None:
    for doc in workflow_files():
        assert "pull_request_target" not in triggers(doc), doc.name


def test_every_action_is_pinned_to_a_commit_with_its_version() -> None:
    for doc in [*workflow_files(), *action_files()]:
        for ref in USES_LINE.findall(doc.text):
            if ref.startswith("./"):
                continue
            assert PIN.match(ref), f"{doc.name}: `uses: {ref}` is not `owner/repo@<sha> # vX.Y.Z`"


def test_each_action_has_one_pin_across_files() -> None:
    pins: dict[str, set[str]] = {}
    for doc in [*workflow_files(), *action_files()]:
        for ref in USES_LINE.findall(doc.text):
            if not ref.startswith("./"):
                name, _, rest = ref.partition("@")
                pins.setdefault(name, set()).add(rest)
    drift = {name: refs for name, refs in pins.items() if len(refs) > 1}
    assert not drift, f"actions pinned to different commits: {drift}"


def test_pinned_actions_get_only_inputs_they_declare() -> None:
    """actionlint cannot check inputs of commit-pinned actions, so this does."""
    for file_name, step in all_steps():
        uses = step.get("uses", "")
        if not uses or uses.startswith("./"):
            continue
        action = uses.split("@")[0]
        assert action in KNOWN_INPUTS, f"{file_name}: add {action}'s inputs to KNOWN_INPUTS"
        unknown = set(step.get("with", {})) - KNOWN_INPUTS[action]
        assert not unknown, f"{file_name}: {action} has no input(s) {unknown}"


def test_container_images_carry_an_explicit_tag() -> None:
    for doc in workflow_files():
        for name, job in jobs(doc).items():
            container = job.get("container")
            if container is None:
                continue
            image = container["image"] if isinstance(container, dict) else container
            assert ":" in image and not image.endswith(":latest"), f"{doc.name}:{name}: {image}"


def test_permissions_default_to_read_only_and_grow_only_where_needed() -> None:
    for doc in workflow_files():
        assert doc.data.get("permissions") == {"contents": "read"}, doc.name
        for name, job in jobs(doc).items():
            granted = job.get("permissions", {})
            assert isinstance(granted, dict), f"{doc.name}:{name}: permissions must be a map"
            writes = {scope for scope, level in granted.items() if level == "write"}
            used = {str(step.get("uses", "")).split("@")[0]: step for step in steps(job)}
            allowed: set[str] = set()
            if "pulumi/actions" in used and used["pulumi/actions"]["with"].get("comment-on-pr"):
                allowed |= {"pull-requests"}
            if "actions/deploy-pages" in used:
                allowed |= {"pages", "id-token"}
            assert writes <= allowed, f"{doc.name}:{name}: needless write scopes {writes - allowed}"
            assert writes >= allowed, f"{doc.name}:{name}: missing write scopes {allowed - writes}"


def _deploy_workflows() -> list[str]:
    """Workflows that run `pulumi up`, and the workflows that call them."""
    running_up = {
        doc.path.name
        for doc in workflow_files()
        for job in jobs(doc).values()
        for step in steps(job)
        if str(step.get("uses", "")).startswith("pulumi/actions@")
        and step.get("with", {}).get("command") == "up"
    }
    callers = {
        doc.path.name
        for doc in workflow_files()
        for job in jobs(doc).values()
        if any(str(job.get("uses", "")).endswith(f"/{name}") for name in running_up)
    }
    return sorted(running_up | callers)


def test_nothing_ever_cancels_a_running_deploy() -> None:
    deploy_files = _deploy_workflows()
    assert "deploy-stack.yml" in deploy_files and "main.yml" in deploy_files
    for file_name in deploy_files:
        doc = workflow(file_name)
        blocks = [doc.data.get("concurrency")] + [j.get("concurrency") for j in jobs(doc).values()]
        for block in blocks:
            if block is not None:
                assert isinstance(block, dict), f"{file_name}: give concurrency as a map"
                assert block.get("cancel-in-progress") is False, f"{file_name}: {block}"
    up_job = jobs(workflow("deploy-stack.yml"))["up"]
    assert up_job["concurrency"]["group"] == "pulumi-up-${{ inputs.stack }}"
    assert workflow("main.yml").data["concurrency"]["cancel-in-progress"] is False


def test_each_deploy_runs_behind_the_environment_named_after_its_stack() -> None:
    up_job = jobs(workflow("deploy-stack.yml"))["up"]
    assert up_job["environment"]["name"] == "${{ inputs.stack }}"


def _deploying_job_per_stack() -> dict[str, str]:
    """Which main.yml job deploys each stack, from the matrix the repository's stack files make."""
    result = subprocess.run(
        [str(ROOT / "scripts" / "stack-matrix"), "--github-output"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    outputs = dict(line.split("=", 1) for line in result.stdout.splitlines())
    deployer: dict[str, str] = {}
    for name, job in jobs(workflow("main.yml")).items():
        if not str(job.get("uses", "")).endswith("/deploy-stack.yml"):
            continue
        found = re.fullmatch(
            r"\$\{\{ fromJSON\(needs\.stacks\.outputs\.([\w-]+)\) \}\}", job["strategy"]["matrix"]
        )
        assert found, f"main.yml:{name}: the deploy matrix must come from the stacks job"
        assert job["with"]["stack"] == "${{ matrix.stack }}"
        for entry in json.loads(outputs[found.group(1)])["include"]:
            assert entry["stack"] not in deployer, f"{entry['stack']} is deployed twice"
            deployer[entry["stack"]] = name
    return deployer


def test_the_prod_deploy_needs_the_dev_deploy() -> None:
    deployer = _deploying_job_per_stack()
    assert set(deployer) == set(stack_names()), "every stack file is deployed"
    all_jobs = jobs(workflow("main.yml"))
    prod_job, dev_job = deployer["prod"], deployer["dev"]
    assert prod_job != dev_job
    assert dev_job in transitive_needs(all_jobs, prod_job)
    # Runs after a skipped pre-production stage, never after a failed or cancelled one.
    condition = all_jobs[prod_job]["if"]
    assert "!failure()" in condition and "!cancelled()" in condition
    assert "always()" not in condition


def test_every_production_stack_waits_for_every_preproduction_stack() -> None:
    deployer = _deploying_job_per_stack()
    all_jobs = jobs(workflow("main.yml"))
    result = subprocess.run(
        [str(ROOT / "scripts" / "stack-matrix")], capture_output=True, text=True, check=True
    )
    entries: list[dict[str, Any]] = json.loads(result.stdout)["include"]
    for late in (e["stack"] for e in entries if e["production"]):
        for early in (e["stack"] for e in entries if not e["production"]):
            assert deployer[early] in transitive_needs(all_jobs, deployer[late])


def test_pages_publishes_after_every_ui_is_built_and_checked() -> None:
    all_jobs = jobs(workflow("main.yml"))
    pages = all_jobs["pages"]
    assert "site" in needs(pages)
    assert pages["environment"]["name"] == "github-pages"
    assert {"deploy-preproduction", "deploy-production"} <= transitive_needs(all_jobs, "pages")
    site_runs = "\n".join(str(step.get("run", "")) for step in steps(all_jobs["site"]))
    assert "make site" in site_runs and "ci_tools.site_check" in site_runs
    # The check reads the config the build wrote, never a second derivation from the stack file.
    assert "ui-build-config" not in site_runs


def test_no_workflow_names_a_stack() -> None:
    """Stacks reach the jobs only through the matrix, so a new stack needs no workflow edit."""
    for doc in [*workflow_files(), *action_files()]:
        for stack in stack_names():
            assert not re.search(rf"(?<![\w-]){re.escape(stack)}(?![\w-])", doc.text), (
                f"{doc.name} names the stack '{stack}'"
            )


def test_secrets_and_variables_are_the_documented_ones() -> None:
    for doc in [*workflow_files(), *action_files()]:
        used_secrets = set(re.findall(r"secrets\.([A-Za-z0-9_]+)", doc.text))
        used_vars = set(re.findall(r"vars\.([A-Za-z0-9_]+)", doc.text))
        assert used_secrets <= SECRETS, f"{doc.name}: undocumented {used_secrets - SECRETS}"
        assert used_vars <= VARIABLES, f"{doc.name}: undocumented {used_vars - VARIABLES}"


def test_secrets_never_reach_a_script_directly() -> None:
    for file_name, script in ((f, str(s["run"])) for f, s in all_steps() if "run" in s):
        assert "secrets." not in script, f"{file_name}: pass secrets through env:, not ${{{{ }}}}"


def test_pull_request_checks_hold_no_secrets() -> None:
    checks = workflow("checks.yml")
    assert "secrets." not in checks.text
    assert set(triggers(checks)) == {"workflow_call"}


def test_previews_use_read_only_environments_and_skip_forks() -> None:
    preview = jobs(workflow("pull-request.yml"))["preview"]
    assert preview["environment"] == "${{ matrix.stack }}-preview"
    assert "github.event.pull_request.head.repo.full_name == github.repository" in preview["if"]
    assert preview["strategy"]["matrix"] == "${{ fromJSON(needs.stacks.outputs.all) }}"
    assert {"checks", "stacks"} <= set(needs(preview))


def test_workflows_call_the_project_make_targets() -> None:
    called = set()
    for script in run_scripts():
        called |= set(re.findall(r"(?:^|\s)make\s+([\w-]+)", script))
    assert called >= MAKE_TARGETS, f"not called: {MAKE_TARGETS - called}"


def _make_rules() -> dict[str, set[str]]:
    """target -> prerequisites, from the Makefile's rule lines."""
    makefile = (ROOT / "Makefile").read_text()
    rules = re.findall(r"^([\w-]+)\s*:(?!=)([^\n]*)$", makefile, re.MULTILINE)
    return {target: set(prerequisites.split()) for target, prerequisites in rules}


def test_the_make_targets_exist_and_all_start_with_setup() -> None:
    rules = _make_rules()
    assert set(rules) >= MAKE_TARGETS, f"Makefile lacks {MAKE_TARGETS - set(rules)}"
    for target in MAKE_TARGETS - {"setup"}:
        assert "setup" in rules[target], f"`make {target}` does not run `make setup` first"


def test_ci_run_and_the_workflows_share_the_entry_points() -> None:
    """.ci/run runs `make test`; the workflows run the targets `make test` is made of."""
    assert any("make setup" in script for script in run_scripts())
    assert re.search(r"\bmake\s+test\b", (ROOT / ".ci" / "run").read_text())
    rules = _make_rules()
    assert {"setup", "lint", "test-node"} <= rules["test"]


def test_the_pulumi_cli_matches_the_pinned_sdk() -> None:
    sdk = re.search(r"^pulumi==([\d.]+)$", (ROOT / "requirements.txt").read_text(), re.M)
    assert sdk, "requirements.txt pins no pulumi version"
    action = next(d for d in action_files() if d.path.parent.name == "setup-pulumi")
    assert action.data["inputs"]["pulumi-version"]["default"] == sdk.group(1)
