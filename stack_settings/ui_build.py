"""What the static UI build bakes in, from the same settings the Pulumi program deploys."""

from __future__ import annotations

from stack_settings.model import StackSettings

# scripts/build-site writes the config it built with under this name, next to the site.
SITE_CONFIG_FILE = "site-config.json"
# The stack output carrying the same config, for the deploy check to compare.
UI_BUILD_OUTPUT = "uiBuild"


def ui_build_config(settings: StackSettings) -> dict[str, str | None]:
    """The JSON the UI build reads; a custom domain only where GitHub Pages hosts the UI."""
    return {
        "kratosPublicUrl": settings.kratos_public_url,
        "uiOrigin": settings.ui_origin,
        "customDomain": settings.resolved_ui_host if settings.pages else None,
    }
