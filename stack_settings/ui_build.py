"""What the static UI build bakes in, from the same settings the Pulumi program deploys."""

from __future__ import annotations

from typing import Any

from kratos_config.build import render
from kratos_config.identity import build_identity_schema
from stack_settings.brand import text_colour_on
from stack_settings.model import StackSettings

# scripts/build-site writes the config it built with under this name, next to the site.
SITE_CONFIG_FILE = "site-config.json"
# The stack output carrying the same config, for the deploy check to compare.
UI_BUILD_OUTPUT = "uiBuild"


def password_min_length(settings: StackSettings) -> int:
    """The minimum Kratos enforces, read from the rendered config (overrides included)."""
    config = render(settings, schema_base_url="file:///schemas/").config
    return int(config["selfservice"]["methods"]["password"]["config"]["min_password_length"])


def brand_config(settings: StackSettings) -> dict[str, str | None]:
    brand = settings.brand.model_dump(by_alias=True)
    return {**brand, "onPrimaryColor": text_colour_on(settings.brand.primary_color)}


def _input_type(schema: dict[str, Any]) -> str:
    """The input type Kratos gives a trait of this schema."""
    if schema.get("type") == "boolean":
        return "checkbox"
    return {"email": "email", "tel": "tel"}.get(schema.get("format", ""), "text")


def _fields(properties: dict[str, Any], required: list[str], prefix: str) -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = []
    for key, schema in properties.items():
        name = f"{prefix}.{key}"
        if schema.get("type") == "object":
            fields += _fields(schema["properties"], schema.get("required", []), name)
        else:
            fields.append(
                {
                    "name": name,
                    "type": _input_type(schema),
                    "label": schema.get("title", key),
                    "required": key in required,
                }
            )
    return fields


def registration_fields(settings: StackSettings) -> list[dict[str, Any]] | None:
    """The fields of Kratos's first registration form (the default schema's traits, in its
    order), which registration.html shows before the flow arrives; None without sign-up."""
    if not settings.flows.registration:
        return None
    [spec] = [s for s in settings.identity_schemas if s.id == settings.resolved_default_schema]
    # Without the language trait: the app fills that in itself, unseen (courier.languageTrait).
    traits = build_identity_schema(spec, settings.methods, "")["properties"]["traits"]
    return _fields(traits["properties"], traits.get("required", []), "traits")


def ui_build_config(settings: StackSettings) -> dict[str, Any]:
    """The JSON the UI build reads; a custom domain only where GitHub Pages hosts the UI."""
    return {
        "kratosPublicUrl": settings.kratos_public_url,
        "uiOrigin": settings.ui_origin,
        "customDomain": settings.resolved_ui_host if settings.pages else None,
        "passwordMinLength": password_min_length(settings),
        "brand": brand_config(settings),
        "registrationFields": registration_fields(settings),
    }
