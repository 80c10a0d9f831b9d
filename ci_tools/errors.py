"""The one error CI helpers raise: every problem at once, each naming what to change."""

from __future__ import annotations

from collections.abc import Sequence


class CiError(Exception):
    """Something CI cannot go on with; str() is the message for the person who fixes it."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n\n".join(self.problems))
