"""Read a `Pulumi.<stack>.yaml` or say, by file and line, why it cannot be read.

YAML errors, a byte-order mark, tab indentation and a `config:` that is not a mapping each
become one Problem naming the file and the line, never a parser traceback.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from stack_settings.errors import NO_VALUE, Problem, SettingsError

BOM = "\ufeff"


def stack_of(path: Path) -> str:
    return path.name.removeprefix("Pulumi.").removesuffix(".yaml")


def _at(path: Path, line: int, reason: str, fix: str) -> Problem:
    return Problem(f"{path.name}, line {line}", NO_VALUE, reason, fix)


def _text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SettingsError(
            stack_of(path),
            [_at(path, line, "the file is not UTF-8 text", "save it as UTF-8")],
        ) from None


def form_problems(path: Path, text: str) -> list[Problem]:
    """What stops a stack file from being read the same way by Pulumi, YAML tools and us."""
    if text.startswith(BOM):
        return [
            _at(
                path,
                1,
                "the file starts with a byte-order mark, which YAML tools read differently",
                "save it as UTF-8 without BOM",
            )
        ]
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return [
                _at(
                    path,
                    number,
                    "this line is indented with a tab; YAML forbids tabs there",
                    "indent with spaces",
                )
            ]
    return []


def _config_line(text: str) -> int:
    match = re.search(r"^config\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def parse_stack_file(path: Path) -> dict[str, Any]:
    """The `config:` map of a stack file; SettingsError naming file and line when unreadable."""
    text = _text(path)
    problems = form_problems(path, text)
    if not problems:
        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            what = getattr(error, "problem", None) or "unreadable"
            problems = [
                _at(
                    path,
                    line,
                    f"the file is not valid YAML ({what})",
                    "check the indentation and the ':' after each key here and on the line before",
                )
            ]
    if problems:
        raise SettingsError(stack_of(path), problems)
    document = {} if document is None else document
    if not isinstance(document, dict):
        raise SettingsError(
            stack_of(path),
            [
                _at(
                    path,
                    1,
                    "the file must be a mapping with a config: key",
                    "start the file with `config:` and indent the settings under it",
                )
            ],
        )
    config = document.get("config") or {}
    if not isinstance(config, dict):
        raise SettingsError(
            stack_of(path),
            [
                _at(
                    path,
                    _config_line(text),
                    "config: must hold a mapping of keys",
                    "write one `kratos-auth:<key>: <value>` per line, indented under config:",
                )
            ],
        )
    return config


def check_stack_file_form(path: Path) -> None:
    """Raise SettingsError when a stack file that exists cannot be read; a missing one is fine."""
    if path.is_file():
        parse_stack_file(path)
