"""Check a built UI against the deployed stack before it is published.

`scripts/build-site` writes the config it baked in next to the site (site-config.json);
`pulumi up` exports the config the deployed stack serves as its `uiBuild` output. This compares
the two, key by key, and fails on any difference, then makes sure the site carries its domain.

    python -m ci_tools.site_check --stack prod --outputs outputs.json --site build/site/prod
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ci_tools.errors import CiError
from stack_settings.ui_build import SITE_CONFIG_FILE, UI_BUILD_OUTPUT


def _same(output: Any, built: Any) -> bool:
    """URLs compare without a trailing slash: `https://auth.x/` and `https://auth.x` are one."""
    if isinstance(output, str) and isinstance(built, str):
        return output.rstrip("/") == built.rstrip("/")
    return bool(output == built)


def output_problems(stack: str, outputs: Mapping[str, Any], built: Mapping[str, Any]) -> list[str]:
    """Every difference between the deployed uiBuild output and the config the UI was built with."""
    deployed = outputs.get(UI_BUILD_OUTPUT)
    if not isinstance(deployed, Mapping):
        return [
            f"stack '{stack}' exports no {UI_BUILD_OUTPUT} output, so the built UI cannot be "
            f"checked against the deployed Kratos. Fix: export {UI_BUILD_OUTPUT} from "
            "__main__.py and run `pulumi up`."
        ]
    return [
        f"stack '{stack}': output {UI_BUILD_OUTPUT}.{key} = {deployed.get(key)!r}, but the UI "
        f"was built with {built.get(key)!r} ({SITE_CONFIG_FILE}). Fix: run `pulumi up` for "
        f"'{stack}' from this commit so the stack matches its file, then rebuild the UI."
        for key in sorted({*deployed, *built})
        if not _same(deployed.get(key), built.get(key))
    ]


def built_config(site: Path) -> Mapping[str, Any]:
    """The config the UI in `site` was built with, as scripts/build-site wrote it."""
    if not (site / "index.html").is_file():
        raise CiError([f"{site}: no index.html. Fix: check the output of `make site`."])
    return read_json(site / SITE_CONFIG_FILE, "UI build config")


def ensure_cname(site: Path, domain: str | None) -> str | None:
    """Write the CNAME file GitHub Pages reads the custom domain from; a wrong one is an error."""
    if not domain:
        return None
    cname = site / "CNAME"
    if cname.is_file():
        written = cname.read_text().strip()
        if written != domain:
            return (
                f"{cname} names {written!r} but the stack's UI host is {domain!r}. "
                "Fix: let the build write the host from the stack settings."
            )
        return None
    cname.write_text(domain + "\n")
    return None


def check(stack: str, outputs: Mapping[str, Any], site: Path) -> list[str]:
    try:
        built = built_config(site)
    except CiError as error:
        return error.problems
    problems = output_problems(stack, outputs, built)
    if not problems:
        cname_problem = ensure_cname(site, built.get("customDomain"))
        problems += [cname_problem] if cname_problem else []
    return problems


def read_json(path: Path, what: str) -> Mapping[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise CiError([f"{path}: cannot read the {what} as JSON ({error})."]) from None
    if not isinstance(data, dict):
        raise CiError([f"{path}: the {what} is not a JSON object."])
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check a built UI against the deployed stack.")
    parser.add_argument("--stack", required=True)
    parser.add_argument("--outputs", type=Path, required=True, help="pulumi stack output --json")
    parser.add_argument(
        "--site", type=Path, required=True, help=f"the built site folder (with {SITE_CONFIG_FILE})"
    )
    args = parser.parse_args(argv)
    try:
        problems = check(args.stack, read_json(args.outputs, "stack outputs"), args.site)
    except CiError as error:
        problems = error.problems
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"stack '{args.stack}': the built UI matches the deployed stack outputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
