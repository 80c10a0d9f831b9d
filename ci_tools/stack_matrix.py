"""The environments CI deploys, read from the Pulumi.<stack>.yaml files.

Pre-production stacks come first and production stacks last, so a workflow that deploys the
two groups as two jobs (production `needs` pre-production) deploys dev before prod, and a new
stack file joins its group with no workflow edit.

    python -m ci_tools.stack_matrix                  # {"include": [...]} for every stack
    python -m ci_tools.stack_matrix --stage production
    python -m ci_tools.stack_matrix --github-output --pages-stack "$PAGES_STACK"
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ci_tools.errors import CiError
from stack_settings.errors import SettingsError
from stack_settings.load import PROJECT_ROOT, load_stack, stack_names
from stack_settings.model import StackSettings

Stage = Literal["all", "preproduction", "production"]
STAGES: tuple[Stage, ...] = ("all", "preproduction", "production")


@dataclass(frozen=True)
class Environment:
    """One matrix entry: what a job needs to know about the stack it deploys."""

    stack: str
    settings: StackSettings

    def entry(self, pages_stack: str | None) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "production": self.settings.is_production,
            "uiHost": self.settings.resolved_ui_host,
            "uiOrigin": self.settings.ui_origin,
            "pages": self.stack == pages_stack,
        }


def environments(root: Path = PROJECT_ROOT) -> list[Environment]:
    """Every stack, pre-production first; all bad stack files are reported at once."""
    found: list[Environment] = []
    problems: list[str] = []
    for stack in stack_names(root):
        try:
            found.append(Environment(stack, load_stack(stack, root)))
        except SettingsError as error:
            problems.append(str(error))
    if problems:
        raise CiError(problems)
    # sorted() is stable: alphabetical order is kept inside each group.
    return sorted(found, key=lambda env: env.settings.is_production)


def in_stage(envs: Sequence[Environment], stage: Stage) -> list[Environment]:
    if stage == "all":
        return list(envs)
    want_production = stage == "production"
    return [env for env in envs if env.settings.is_production == want_production]


def pages_stack(
    envs: Sequence[Environment], requested: str = "", repository_owner: str = ""
) -> str | None:
    """The one stack whose UI this repository's GitHub Pages site serves.

    GitHub Pages gives a repository one site with one custom domain, so one stack owns it:
    the PAGES_STACK variable when set, else the only production stack.
    """
    names = [env.stack for env in envs]
    if requested:
        if requested not in names:
            raise CiError(
                [
                    f"PAGES_STACK = {requested!r}: no Pulumi.{requested}.yaml. "
                    f"Fix: set the PAGES_STACK repository variable to one of: {', '.join(names)}."
                ]
            )
        chosen = requested
    else:
        production = [env.stack for env in envs if env.settings.is_production]
        if not production:
            return None
        if len(production) > 1:
            raise CiError(
                [
                    f"several production stacks ({', '.join(production)}) and PAGES_STACK is "
                    "unset. Fix: set the PAGES_STACK repository variable to the stack whose UI "
                    "this repository's GitHub Pages site serves."
                ]
            )
        chosen = production[0]
    if repository_owner:
        _check_pages_owner(next(env for env in envs if env.stack == chosen), repository_owner)
    return chosen


def _check_pages_owner(env: Environment, repository_owner: str) -> None:
    """The UI's DNS record points at <pages.owner>.github.io, which must be this repository's."""
    pages = env.settings.pages
    owner = pages.owner if pages else None
    if owner is None or owner.lower() != repository_owner.lower():
        raise CiError(
            [
                f"Pulumi.{env.stack}.yaml: kratos-auth:pages.owner = {owner!r}, but this "
                f"repository belongs to {repository_owner!r}, so its GitHub Pages site is "
                f"{repository_owner.lower()}.github.io and the UI's DNS record would point "
                f"elsewhere. Fix: set kratos-auth:pages.owner to {repository_owner!r}."
            ]
        )


def matrix(envs: Sequence[Environment], pages: str | None = None) -> dict[str, Any]:
    return {"include": [env.entry(pages) for env in envs]}


def github_output(envs: Sequence[Environment], pages: str | None) -> str:
    """`name=value` lines for $GITHUB_OUTPUT: a matrix and a flag per stage, and the Pages stack."""
    lines = []
    for stage in STAGES:
        chosen = in_stage(envs, stage)
        lines.append(f"{stage}={json.dumps(matrix(chosen, pages), separators=(',', ':'))}")
        lines.append(f"has-{stage}={'true' if chosen else 'false'}")
    lines.append(f"pages-stack={pages or ''}")
    return "\n".join(lines) + "\n"


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/stack-matrix",
        description="The CI matrix of environments from the stack files.",
    )
    parser.add_argument("--stage", choices=STAGES, default="all")
    parser.add_argument(
        "--github-output", action="store_true", help="print every stage as $GITHUB_OUTPUT lines"
    )
    parser.add_argument("--pages-stack", default="", help="stack published to GitHub Pages")
    parser.add_argument(
        "--repository-owner", default="", help="check the Pages stack's pages.owner against it"
    )
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="folder of Pulumi.yaml")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    try:
        envs = environments(args.root)
        pages = pages_stack(envs, args.pages_stack, args.repository_owner)
    except CiError as error:
        print(error, file=sys.stderr)
        return 1
    if args.github_output:
        sys.stdout.write(github_output(envs, pages))
    else:
        print(json.dumps(matrix(in_stage(envs, args.stage), pages), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
