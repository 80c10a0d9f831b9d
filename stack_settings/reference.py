"""The settings reference table in the README, generated from the model so it cannot drift.

Run `python -m stack_settings.reference` to print it; a test compares it with the README.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from stack_settings.model import CONFIG_NAMESPACE, StackSettings, nested_model

BEGIN = "<!-- settings-reference:begin -->"
END = "<!-- settings-reference:end -->"


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return " \\| ".join(str(a) for a in typing.get_args(annotation))
    if origin is typing.Annotated:
        return _type_name(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        names = [_type_name(a) for a in typing.get_args(annotation) if a is not type(None)]
        return " \\| ".join(names)
    if origin is tuple:
        return f"list of {_type_name(typing.get_args(annotation)[0])}"
    if origin is dict:
        return "map"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "object"
    return getattr(annotation, "__name__", str(annotation))


def _default(field: FieldInfo) -> str:
    if field.default is PydanticUndefined and field.default_factory is None:
        return "required"
    if field.default_factory is not None:
        return "see below" if field.annotation is not dict else "{}"
    value = field.default
    if value is None or value == ():
        return "—"
    if isinstance(value, BaseModel):
        return "see below"
    return f"`{str(value).lower() if isinstance(value, bool) else value}`"


def rows(model: type[BaseModel] = StackSettings, prefix: str = "") -> Iterator[tuple[str, ...]]:
    for name, field in model.model_fields.items():
        key = prefix + (field.alias or name)
        nested, is_list = nested_model(field.annotation)
        description = (field.description or "").replace("|", "\\|")
        yield (f"`{key}`", _type_name(field.annotation), _default(field), description)
        if nested is not None:
            yield from rows(nested, key + ("[]." if is_list else "."))


def table() -> str:
    lines = [
        f"All keys live under the `{CONFIG_NAMESPACE}:` namespace in `Pulumi.<stack>.yaml`.",
        "",
        "| key | type | default | meaning |",
        "| --- | --- | --- | --- |",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
