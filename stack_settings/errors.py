"""One error type for every bad setting, carrying all problems found at once."""

from __future__ import annotations

from dataclasses import dataclass

from stack_settings.secret_values import redacted

# A problem about the file itself (a line, not a setting) has no value to show.
NO_VALUE = object()


@dataclass(frozen=True)
class Problem:
    """A single bad setting: which key, what value, why it breaks, and how to fix it."""

    key: str
    value: object
    reason: str
    fix: str

    def __str__(self) -> str:
        fix = self.fix if self.fix.endswith((".", "?", "!")) else self.fix + "."
        if self.value is NO_VALUE:
            return f"{self.key}: {self.reason}. Fix: {fix}"
        value = redacted(self.key, self.value)
        shown = "<unset>" if value is None else repr(value)
        return f"{self.key} = {shown}: {self.reason}. Fix: {fix}"


class SettingsError(Exception):
    """Raised when a stack's settings cannot produce a working Kratos + UI pair."""

    def __init__(self, stack: str, problems: list[Problem]) -> None:
        self.stack = stack
        self.problems = tuple(problems)
        super().__init__(self.render())

    def render(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"stack '{self.stack}': {count} {noun} in the settings, nothing was deployed:"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)
