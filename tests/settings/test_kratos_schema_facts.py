"""The vendored Kratos config facts are exactly what the official schema says."""

from __future__ import annotations

import json

from stack_settings.kratos_schema import FACTS_FILE, facts_from_schema
from stack_settings.kratos_version import KRATOS_VERSION
from tests.support import official_schemas


def test_vendored_facts_match_the_official_config_schema() -> None:
    vendored = json.loads(FACTS_FILE.read_text())
    assert vendored["kratos"] == KRATOS_VERSION, "regenerate after a Kratos bump"
    expected = facts_from_schema(official_schemas.load("config.schema.json"))
    assert vendored["paths"] == expected, (
        "stale facts: run `python -m stack_settings.kratos_schema "
        f"{official_schemas.CACHE / 'config.schema.json'}`"
    )


def test_facts_know_the_keys_the_override_check_relies_on() -> None:
    paths = json.loads(FACTS_FILE.read_text())["paths"]
    assert paths["selfservice.methods.password.config.min_password_length"]["minimum"] == 6
    assert paths["hashers.bcrypt.cost"]["maximum"] == 31
    assert "open" not in paths[""], "the top level must refuse unknown keys"
