"""The UI server follows GitHub Pages' rules, so the SPA's 404 fallback works locally too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from local_stack.errors import LocalStackError
from local_stack.ports import free_port
from local_stack.static_site import StaticSite


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp_path = tmp_path_factory.mktemp("site")
    (tmp_path / "index.html").write_text("home")
    (tmp_path / "404.html").write_text("fallback")
    (tmp_path / "login.html").write_text("login page")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "app.js").write_text("console.log(1)")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.html").write_text("docs home")
    port = free_port()
    server = StaticSite(tmp_path, "127.0.0.1", port)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/", 200, "home"),
        ("/index.html", 200, "home"),
        ("/assets/app.js", 200, "console.log(1)"),
        ("/login", 200, "login page"),
        ("/login.html", 200, "login page"),
        ("/docs/", 200, "docs home"),
        ("/login?flow=abc", 200, "login page"),
        ("/settings", 404, "fallback"),
        ("/deep/link/to/nothing", 404, "fallback"),
        ("/assets/", 404, "fallback"),
        ("/../../etc/passwd", 404, "fallback"),
        ("/%2e%2e/%2e%2e/etc/passwd", 404, "fallback"),
    ],
)
def test_pages_rules(site: str, path: str, status: int, body: str) -> None:
    answer = httpx.get(site + path)
    assert (answer.status_code, answer.text) == (status, body)


def test_directory_without_slash_redirects(site: str) -> None:
    answer = httpx.get(site + "/docs")
    assert answer.status_code == 301
    assert answer.headers["location"] == "/docs/"


def test_content_types(site: str) -> None:
    assert httpx.get(site + "/").headers["content-type"] == "text/html; charset=utf-8"
    assert "javascript" in httpx.get(site + "/assets/app.js").headers["content-type"]
    assert httpx.get(site + "/missing").headers["content-type"] == "text/html; charset=utf-8"


def test_head_has_no_body(site: str) -> None:
    answer = httpx.head(site + "/missing")
    assert answer.status_code == 404
    assert answer.content == b""


def test_busy_port_is_a_clear_error(site: str) -> None:
    port = int(site.rsplit(":", 1)[1])
    with pytest.raises(LocalStackError, match=f"127.0.0.1:{port}"):
        StaticSite(Path("."), "127.0.0.1", port)
