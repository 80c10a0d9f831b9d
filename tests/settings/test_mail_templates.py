"""Kratos's verification and recovery mails carry the brand: checked on the rendered config."""

from __future__ import annotations

import base64
from typing import Any

from kratos_config import render
from stack_settings.load import load_stack

KINDS = ("verification_code", "recovery_code", "verification", "recovery")


def decoded(uri: str) -> str:
    assert uri.startswith("base64://"), uri
    return base64.b64decode(uri.removeprefix("base64://")).decode()


def templates(product_name: str) -> dict[str, Any]:
    settings = load_stack("prod")
    branded = settings.model_copy(
        update={"brand": settings.brand.model_copy(update={"product_name": product_name})}
    )
    config = render(branded, schema_base_url="file:///schemas/").config
    return dict(config["courier"]["templates"])


def test_every_mail_is_branded_in_subject_html_and_text() -> None:
    found = templates("Example Cloud")
    assert set(found) == set(KINDS)
    for kind in KINDS:
        for state in ("valid", "invalid"):
            email = found[kind][state]["email"]
            parts = [email["subject"], email["body"]["html"], email["body"]["plaintext"]]
            for part in map(decoded, parts):
                assert '{{ "Example Cloud" }}' in part, (kind, state, part)


def test_the_code_is_prominent_and_the_link_is_there() -> None:
    found = templates("Example")
    html = decoded(found["verification_code"]["valid"]["email"]["body"]["html"])
    assert "font:700 28px" in html and "{{ .VerificationCode }}</p>" in html
    text = decoded(found["verification_code"]["valid"]["email"]["body"]["plaintext"])
    assert "{{ .VerificationCode }}" in text and "{{ .VerificationURL }}" in text
    recovery = decoded(found["recovery"]["valid"]["email"]["body"]["html"])
    assert '<a href="{{ .RecoveryURL }}">' in recovery


def test_a_name_with_template_syntax_stays_a_string() -> None:
    subject = decoded(templates('{{ .To }} "x"')["recovery_code"]["valid"]["email"]["subject"])
    # A Go string literal: html/template and text/template print it, never run it.
    assert subject.startswith('{{ "{{ .To }} \\"x\\"" }}'), subject
