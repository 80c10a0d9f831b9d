"""What the static UI build bakes in, from the same settings the Pulumi program deploys."""

from __future__ import annotations

from typing import Any

from stack_settings.brand import text_colour_on
from stack_settings.model import StackSettings

# scripts/build-site writes the config it built with under this name, next to the site.
SITE_CONFIG_FILE = "site-config.json"
# The stack output carrying the same config, for the deploy check to compare.
UI_BUILD_OUTPUT = "uiBuild"


def password_min_length(settings: StackSettings) -> int:
    """The minimum Kratos enforces, read from the rendered config (overrides included)."""
    from kratos_config.build import render  # kratos_config builds on stack_settings: late import

    config = render(settings, schema_base_url="file:///schemas/").config
    return int(config["selfservice"]["methods"]["password"]["config"]["min_password_length"])


def brand_config(settings: StackSettings) -> dict[str, str | None]:
    brand = settings.brand.model_dump(by_alias=True)
    return {**brand, "onPrimaryColor": text_colour_on(settings.brand.primary_color)}


def ui_build_config(settings: StackSettings) -> dict[str, Any]:
    """The JSON the UI build reads; a custom domain only where GitHub Pages hosts the UI."""
    return {
        "kratosPublicUrl": settings.kratos_public_url,
        "uiOrigin": settings.ui_origin,
        "customDomain": settings.resolved_ui_host if settings.pages else None,
        "passwordMinLength": password_min_length(settings),
        "brand": brand_config(settings),
    }
