"""Go-style durations ("1h30m", "500ms") as the settings and Kratos write them, in seconds."""

from __future__ import annotations

import re

_PART = re.compile(r"([0-9]+)(ns|us|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def duration_seconds(duration: str) -> float:
    """Seconds in a duration matching the settings' Duration pattern."""
    parts = _PART.findall(duration)
    if not parts or "".join(n + u for n, u in parts) != duration:
        raise ValueError(f"{duration!r} is not a duration such as 90s, 15m or 1h30m")
    return sum(int(number) * _UNIT_SECONDS[unit] for number, unit in parts)
