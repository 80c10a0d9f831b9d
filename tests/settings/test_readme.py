"""The README's settings table is generated; it must match the model it documents."""

from __future__ import annotations

from pathlib import Path

from stack_settings.reference import BEGIN, END, table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_settings_reference_matches_the_model() -> None:
    text = README.read_text()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    assert text[start:end].strip() == table().strip(), "run `make reference` and paste it"


def test_every_setting_is_documented() -> None:
    undocumented = [line for line in table().splitlines() if line.endswith("|  |")]
    assert undocumented == []


def test_readme_starts_with_the_two_commands() -> None:
    head = README.read_text().split("\n## ", 1)[0]
    assert "make local" in head and "make test" in head
