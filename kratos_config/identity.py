"""Identity schemas from typed traits: draft-07 JSON Schema with the `ory.sh/kratos` extension."""

from __future__ import annotations

from typing import Any

from stack_settings.locales import language_trait, locale_codes
from stack_settings.model import IdentitySchemaSettings, MethodSettings, TraitSettings

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
EXTENSION = "ory.sh/kratos"


def schema_file_name(schema_id: str) -> str:
    """File name of a schema, shared by the chart mount, the CLI and the local runner."""
    return f"identity.{schema_id}.schema.json"


def _credentials(trait: TraitSettings, methods: MethodSettings) -> dict[str, Any]:
    """Which credentials find the identity through this trait."""
    creds: dict[str, Any] = {"password": {"identifier": True}}
    if trait.type == "email":
        creds["code"] = {"identifier": True, "via": "email"}
    if methods.webauthn:
        creds["webauthn"] = {"identifier": True}
    if methods.passkey:
        creds["passkey"] = {"display_name": True}
    if methods.totp:
        creds["totp"] = {"account_name": True}
    return creds


def _extension(trait: TraitSettings, methods: MethodSettings) -> dict[str, Any]:
    ext: dict[str, Any] = {}
    if trait.identifier:
        ext["credentials"] = _credentials(trait, methods)
    if trait.verification:
        ext["verification"] = {"via": "email"}
    if trait.recovery:
        ext["recovery"] = {"via": "email"}
    return ext


def _trait_schema(trait: TraitSettings, methods: MethodSettings) -> dict[str, Any]:
    title = trait.title or trait.key.replace("_", " ").title()
    body: dict[str, Any]
    if trait.type == "email":
        body = {"type": "string", "format": "email", "minLength": 3, "maxLength": 320}
    elif trait.type == "phone":
        body = {"type": "string", "format": "tel", "pattern": r"^\+[1-9][0-9]{6,14}$"}
    elif trait.type == "text":
        body = {"type": "string", "maxLength": 256}
    elif trait.type == "boolean":
        body = {"type": "boolean"}
    else:  # name: the first / last pair Ory's UIs know how to render
        body = {
            "type": "object",
            "properties": {
                "first": {"type": "string", "title": "First name", "maxLength": 128},
                "last": {"type": "string", "title": "Last name", "maxLength": 128},
            },
        }
    schema: dict[str, Any] = {"title": title, **body}
    extension = _extension(trait, methods)
    if extension:
        schema[EXTENSION] = extension
    return schema


def language_schema() -> dict[str, Any]:
    """The optional language trait (courier.languageTrait): one of the UI's locales."""
    return {"type": "string", "title": "Language", "enum": list(locale_codes())}


def build_identity_schema(
    spec: IdentitySchemaSettings,
    methods: MethodSettings,
    schema_url: str,
    with_language: bool = False,
) -> dict[str, Any]:
    """One identity schema as a plain dict, ready to dump as JSON."""
    required = [trait.key for trait in spec.traits if trait.required]
    properties = {trait.key: _trait_schema(trait, methods) for trait in spec.traits}
    if with_language:
        # Optional: identities made before the setting, or by the admin API, have none.
        properties[language_trait()] = language_schema()
    traits: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        traits["required"] = required
    return {
        "$id": schema_url,
        "$schema": DRAFT_07,
        "title": spec.title or spec.id.title(),
        "type": "object",
        "properties": {"traits": traits},
    }
