"""courier.languageTrait: an optional `language` trait of the UI's locales in every identity schema,
mails that pick their words by it, and the first-paint form that leaves it out."""

from __future__ import annotations

import base64
import json
from typing import Any

from kratos_config import render
from kratos_config.mail_templates import WORDS
from stack_settings.load import load_stack
from stack_settings.locales import LOCALES_FILE, language_trait, locale_codes
from stack_settings.model import StackSettings
from stack_settings.ui_build import registration_fields

KINDS = ("verification_code", "recovery_code", "verification", "recovery")


def with_trait(on: bool) -> StackSettings:
    settings = load_stack("prod")
    courier = settings.courier.model_copy(update={"language_trait": on})
    return settings.model_copy(update={"courier": courier})


def rendered(on: bool) -> dict[str, Any]:
    out = render(with_trait(on), schema_base_url="file:///schemas/")
    return {"config": out.config, "schemas": out.schemas}


def decoded(uri: str) -> str:
    return base64.b64decode(uri.removeprefix("base64://")).decode()


def test_the_locales_come_from_the_uis_own_file() -> None:
    data = json.loads(LOCALES_FILE.read_text(encoding="utf-8"))
    assert locale_codes() == (
        data["default"],
        *(c for c in data["locales"] if c != data["default"]),
    )
    assert language_trait() == data["trait"] == "language"
    # Every locale of the UI has its mail words (a new language needs them too).
    assert set(WORDS) == set(locale_codes())


def test_on_every_schema_gets_an_optional_trait_of_the_locales() -> None:
    for schema in rendered(True)["schemas"].values():
        traits = schema["properties"]["traits"]
        assert traits["properties"]["language"] == {
            "type": "string",
            "title": "Language",
            "enum": list(locale_codes()),
        }
        assert "language" not in traits.get("required", [])
    for schema in rendered(False)["schemas"].values():
        assert "language" not in schema["properties"]["traits"]["properties"]


def test_on_valid_mails_pick_their_words_by_the_trait_invalid_ones_stay_english() -> None:
    templates = rendered(True)["config"]["courier"]["templates"]
    for kind in KINDS:
        valid = templates[kind]["valid"]["email"]
        for part in map(
            decoded, [valid["subject"], valid["body"]["html"], valid["body"]["plaintext"]]
        ):
            # Read without failing on an identity that has no such trait.
            assert '{{- with index . "language" -}}' in part, (kind, part)
            for code in locale_codes()[1:]:
                assert f'eq (printf "%v" $lang) "{code}"' in part, (kind, code)
        html = decoded(valid["body"]["html"])
        assert '<html lang="ar" dir="rtl">' in html and '<html lang="de">' in html
        invalid = decoded(templates[kind]["invalid"]["email"]["body"]["plaintext"])
        assert "$lang" not in invalid and "no account" in invalid
    off = rendered(False)["config"]["courier"]["templates"]
    assert "$lang" not in decoded(off["recovery_code"]["valid"]["email"]["body"]["html"])


def test_the_first_paint_form_leaves_the_trait_out() -> None:
    fields = registration_fields(with_trait(True)) or []
    assert fields and all(f["name"] != "traits.language" for f in fields)
