"""Check a built UI against the deployed stack before it is published.

The UI is built from the stack file (`make site STACK=x`), the Kratos it talks to from the same
file by `pulumi up`; this compares the deployed stack's outputs with the build config the UI was
built from and fails on any difference, then makes sure the site carries its custom domain.

    python -m stack_settings.site_check --stack prod --outputs outputs.json \
        --build-config build-config.json --site build/site/prod
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

# Values the UI is built with; the stack exports them top-level and/or inside `uiBuild`.
COMPARED_KEYS = ("kratosPublicUrl", "uiOrigin", "customDomain")
REQUIRED_KEY = "kratosPublicUrl"
UI_BUILD_OUTPUT = "uiBuild"


def _same(output: Any, built: Any) -> bool:
    """URLs compare without a trailing slash: `https://auth.x/` and `https://auth.x` are one."""
    if isinstance(output, str) and isinstance(built, str):
        return output.rstrip("/") == built.rstrip("/")
    return bool(output == built)


def deployed_values(outputs: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """(output name, build key, value) for every compared value the stack exports."""
    found = [(key, key, outputs[key]) for key in COMPARED_KEYS if key in outputs]
    nested = outputs.get(UI_BUILD_OUTPUT)
    if isinstance(nested, Mapping):
        found += [
            (f"{UI_BUILD_OUTPUT}.{key}", key, nested[key]) for key in COMPARED_KEYS if key in nested
        ]
    return found


def output_problems(
    stack: str, outputs: Mapping[str, Any], build_config: Mapping[str, Any]
) -> list[str]:
    """Every difference between the deployed stack and the config the UI was built from."""
    values = deployed_values(outputs)
    problems = []
    if not any(key == REQUIRED_KEY for _, key, _ in values):
        problems.append(
            f"stack '{stack}' exports no {REQUIRED_KEY} output, so the built UI cannot be "
            f"checked against the deployed Kratos. Fix: export {REQUIRED_KEY} from "
            "__main__.py and run `pulumi up`."
        )
    for name, key, value in values:
        if not _same(value, build_config.get(key)):
            problems.append(
                f"stack '{stack}': output {name} = {value!r}, but the UI was built with "
                f"{build_config.get(key)!r} from Pulumi.{stack}.yaml. Fix: run `pulumi up` for "
                f"'{stack}' from this commit so the stack matches its file, then rebuild the UI."
            )
    return problems


def site_problems(site: Path) -> list[str]:
    if not (site / "index.html").is_file():
        return [f"{site}: no index.html. Fix: check the output of `make site`."]
    return []


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


def check(
    stack: str, outputs: Mapping[str, Any], build_config: Mapping[str, Any], site: Path
) -> list[str]:
    problems = output_problems(stack, outputs, build_config) + site_problems(site)
    if not problems:
        cname_problem = ensure_cname(site, build_config.get("customDomain"))
        problems += [cname_problem] if cname_problem else []
    return problems


def _read_json(path: Path, what: str) -> Mapping[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise SystemExit(f"{path}: cannot read the {what} as JSON ({error}).") from None
    if not isinstance(data, dict):
        raise SystemExit(f"{path}: the {what} is not a JSON object.")
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check a built UI against the deployed stack.")
    parser.add_argument("--stack", required=True)
    parser.add_argument("--outputs", type=Path, required=True, help="pulumi stack output --json")
    parser.add_argument(
        "--build-config", type=Path, required=True, help="python -m stack_settings ui-build-config"
    )
    parser.add_argument("--site", type=Path, required=True, help="the built site folder")
    args = parser.parse_args(argv)
    problems = check(
        args.stack,
        _read_json(args.outputs, "stack outputs"),
        _read_json(args.build_config, "UI build config"),
        args.site,
    )
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"stack '{args.stack}': the built UI matches the deployed stack outputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
