"""Gzip size of everything the login page loads (HTML + JS + CSS). Prints figures; never fails.

Usage: .venv/bin/python benchmarks/ui_size.py [--dist DIR | --stack prod]

Without --dist it builds the site for the stack into a temp dir with scripts/build-site.
Figures: /login in each locale of frontend_site/locales.json (GitHub Pages serves login.html, a
copy of index.html, what it references, and the locale's login catalogue chunk), and an unknown
path such as /register, which first gets 404.html and its redirect script. Target: under 12 KB
gzip, theme (the inline stylesheet) and the active locale included.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_BYTES = 12 * 1024
LOCALES = json.loads((ROOT / "frontend_site/locales.json").read_text())


class Assets(HTMLParser):
    """Local files a page loads: module scripts, stylesheets, preloads."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        ref = a.get("src") if tag == "script" else a.get("href") if tag == "link" else None
        rel = a.get("rel") or ""
        loads = tag == "script" or rel in ("stylesheet", "modulepreload")
        if ref and ref.startswith("/") and loads:
            self.paths.append(ref)


def page_files(dist: Path, page: str) -> list[Path]:
    parser = Assets()
    parser.feed((dist / page).read_text())
    return [dist / page, *(dist / p.lstrip("/") for p in parser.paths)]


def login_catalogue(dist: Path, code: str) -> Path:
    """The chunk with what the login page shows in one locale (not its -more part)."""
    [chunk] = [p for p in (dist / "assets").glob(f"locale-{code}-*.js") if "-more-" not in p.name]
    return chunk


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def report(title: str, files: list[Path], dist: Path) -> int:
    print(title)
    total_raw = total_gz = 0
    for f in files:
        raw, packed = f.stat().st_size, gz(f)
        total_raw += raw
        total_gz += packed
        print(f"  {f.relative_to(dist)!s:<40} {raw:>7} B  gzip {packed:>6} B")
    verdict = "under" if total_gz < TARGET_BYTES else "OVER"
    print(
        f"  {'total':<40} {total_raw:>7} B  gzip {total_gz:>6} B "
        f"({total_gz / 1024:.1f} KB, {verdict} the {TARGET_BYTES // 1024} KB target)"
    )
    return total_gz


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dist", type=Path, help="an already built site")
    parser.add_argument("--stack", default="prod", help="stack to build when --dist is not given")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ui-size-") as tmp:
        dist = args.dist
        if dist is None:
            dist = Path(tmp) / "site"
            subprocess.run(
                [str(ROOT / "scripts/build-site"), "--stack", args.stack, "--out", str(dist)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        shell = page_files(dist, "login.html")
        for code, locale in LOCALES["locales"].items():
            report(
                f"GET /login in {locale['name']} ({code}): login.html + assets + catalogue:",
                [*shell, login_catalogue(dist, code)],
                dist,
            )
        report(
            f"GET /register (404.html redirect, then index.html + assets, {LOCALES['default']}):",
            page_files(dist, "404.html")
            + page_files(dist, "index.html")
            + [login_catalogue(dist, LOCALES["default"])],
            dist,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
