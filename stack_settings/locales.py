"""The UI's locales and the identity trait that names a user's language, read from the one file
the UI build, the app and its tests read too (frontend_site/locales.json)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

LOCALES_FILE = Path(__file__).resolve().parent.parent / "frontend_site" / "locales.json"


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(LOCALES_FILE.read_text(encoding="utf-8"))
    return data


def locale_codes() -> tuple[str, ...]:
    """Supported locales, the default first."""
    codes = list(_data()["locales"])
    default = default_locale()
    return (default, *(c for c in codes if c != default))


def default_locale() -> str:
    return str(_data()["default"])


def language_trait() -> str:
    """Key of the optional trait under identity.traits (courier.languageTrait)."""
    return str(_data()["trait"])


def is_rtl(code: str) -> bool:
    return bool(_data()["locales"][code]["dir"] == "rtl")
