"""Secrets given to the local stack are checked by name before anything starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from kratos_config.secrets_env import COOKIE_SECRET
from local_stack import LocalStack
from local_stack.errors import LocalStackError
from local_stack.run_secrets import checked_secrets, generate_secrets, with_rotation


def test_a_misspelled_secret_name_is_named_and_its_value_is_not(tmp_path: Path) -> None:
    with pytest.raises(LocalStackError, match="'SECRETS_COOKIES_0' is not") as error:
        LocalStack(tmp_path, secrets={"SECRETS_COOKIES_0": "value-never-shown"})
    assert "value-never-shown" not in str(error.value)


def test_the_current_value_of_each_rotatable_secret_is_required() -> None:
    given = {**generate_secrets(), "SECRETS_COOKIE_1": "old-cookie-secret"}
    del given["SECRETS_COOKIE_0"]
    with pytest.raises(LocalStackError, match=r"SECRETS_COOKIE_0 .*missing"):
        checked_secrets(given)


def test_previous_values_are_accepted_beside_the_current_ones() -> None:
    given = {**generate_secrets(), "SECRETS_COOKIE_1": "old", "SECRETS_CIPHER_1": "o" * 32}
    assert checked_secrets(given) == given


def test_a_rotation_replaces_only_the_rotated_list() -> None:
    base = {**generate_secrets(), "SECRETS_COOKIE_1": "older"}
    rotated = with_rotation(base, COOKIE_SECRET, "new", "old")
    assert rotated == {
        **{k: v for k, v in base.items() if not k.startswith("SECRETS_COOKIE_")},
        "SECRETS_COOKIE_0": "new",
        "SECRETS_COOKIE_1": "old",
    }
