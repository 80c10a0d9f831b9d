"""Every constraint in the settings model has plain words, so no pattern ever reaches a person."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from stack_settings.model import StackSettings, nested_model
from stack_settings.plain_words import PATTERN_FORMS


def _patterns(model: type[BaseModel]) -> Iterator[tuple[str, str]]:
    for name, field in model.model_fields.items():
        for item in field.metadata:
            pattern = getattr(item, "pattern", None)
            if pattern:
                yield f"{model.__name__}.{name}", str(pattern)
        inner, _ = nested_model(field.annotation)
        if inner is not None:
            yield from _patterns(inner)
        for arg in getattr(field.annotation, "__args__", ()):
            for item in getattr(arg, "__metadata__", ()):
                pattern = getattr(item, "pattern", None)
                if pattern:
                    yield f"{model.__name__}.{name}", str(pattern)


def test_every_pattern_has_plain_words() -> None:
    found = list(_patterns(StackSettings))
    assert len(found) >= 10, "the walk must see the model's patterns"
    for where, pattern in found:
        assert any(part in pattern for part in PATTERN_FORMS), f"{where}: no words for its form"
