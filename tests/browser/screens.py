"""Numbered, named screenshots of the pages a browser test visits."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page


class Shots:
    """Numbered screenshots of one test, named after the test."""

    def __init__(self, folder: Path, test_name: str) -> None:
        self.folder = folder
        self.prefix = re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)
        self.count = 0

    def take(self, page: Page, label: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.prefix}-{self.count:02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
