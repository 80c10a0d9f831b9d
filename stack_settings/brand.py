"""The brand a stack's UI and mails carry: colours checked for WCAG AA contrast, files that exist.

The UI build bakes it in (stack_settings/ui_build.py); values are checked here, when the settings
load, so a bad colour or a missing logo is named before anything is built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from stack_settings.host_form import settings_error

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FAVICON = "frontend_site/brand/favicon.svg"
WHITE, INK = "#ffffff", "#0d1117"
AA_TEXT = 4.5  # WCAG AA for normal text


def luminance(colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour_on(background: str) -> str:
    """White or near-black, whichever reads better on the background."""
    return WHITE if contrast(WHITE, background) >= contrast(INK, background) else INK


def _readable_on_white(colour: str) -> str:
    # The primary colour is also the link colour on the white card of the light theme.
    ratio = contrast(colour, WHITE)
    if ratio < AA_TEXT:
        raise settings_error(
            f"{colour} has a contrast of {ratio:.2f}:1 on white; links need {AA_TEXT}:1 (WCAG AA)",
            "choose a darker colour, e.g. #0b5cad",
        )
    return colour.lower()


def _repo_file_or_https(value: str) -> str:
    if value.startswith("https://"):
        return value
    if value.startswith(("/", "..")) or ".." in Path(value).parts or not (ROOT / value).is_file():
        raise settings_error(
            f"'{value}' is neither an https URL nor a file in the repository",
            f"give an https:// URL or a path from the repository root, e.g. {DEFAULT_FAVICON}",
        )
    return value


def _web_link(value: str) -> str:
    if not value.startswith(("https://", "mailto:")):
        raise settings_error(
            f"'{value}' is not an https:// or mailto: link",
            "write the full link, e.g. https://example.com/support or mailto:help@example.com",
        )
    return value


Colour = Annotated[
    str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$"), AfterValidator(_readable_on_white)
]
Asset = Annotated[str, AfterValidator(_repo_file_or_https)]
Link = Annotated[str, AfterValidator(_web_link)]
ProductName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
