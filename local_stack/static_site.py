"""A static file server with GitHub Pages' rules, so the UI behaves locally as it will online.

Rules: an existing file is served; `/dir` redirects to `/dir/` and `/dir/` serves its
index.html; `/page` serves `page.html` when that exists; anything else gets the site's
404.html with status 404 (the SPA's fallback page).
"""

from __future__ import annotations

import mimetypes
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from local_stack.errors import LocalStackError

NOT_FOUND_PAGE = "404.html"
FALLBACK_404 = b"<!doctype html><title>404</title><h1>404 Not Found</h1>\n"


def resolve(root: Path, raw_path: str) -> tuple[HTTPStatus, Path | None, str | None]:
    """What GitHub Pages answers for a request path: (status, file to send, redirect target)."""
    path = unquote(urlsplit(raw_path).path)
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts:
        return HTTPStatus.NOT_FOUND, _not_found(root), None
    target = root.joinpath(*parts)
    if target.is_dir():
        if not path.endswith("/"):
            return HTTPStatus.MOVED_PERMANENTLY, None, path + "/"
        index = target / "index.html"
        if index.is_file():
            return HTTPStatus.OK, index, None
    elif target.is_file():
        return HTTPStatus.OK, target, None
    elif parts and target.with_name(target.name + ".html").is_file():
        return HTTPStatus.OK, target.with_name(target.name + ".html"), None
    return HTTPStatus.NOT_FOUND, _not_found(root), None


def _not_found(root: Path) -> Path | None:
    page = root / NOT_FOUND_PAGE
    return page if page.is_file() else None


def _handler_for(root: Path) -> type[BaseHTTPRequestHandler]:
    class PagesHandler(BaseHTTPRequestHandler):
        server_version = "local-pages"

        def do_GET(self) -> None:
            self._answer(send_body=True)

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def _answer(self, send_body: bool) -> None:
            status, file, location = resolve(root, self.path)
            if location is not None:
                self.send_response(status)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = file.read_bytes() if file is not None else FALLBACK_404
            kind = mimetypes.guess_type(file.name)[0] if file is not None else None
            self.send_response(status)
            self.send_header("Content-Type", _with_charset(kind or "text/html"))
            self.send_header("Content-Length", str(len(body)))
            # Local edits must show up on reload; Pages' 10-minute cache would hide them.
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the CLI's terminal shows only what a person needs

    return PagesHandler


def _with_charset(kind: str) -> str:
    textual = kind.startswith("text/") or kind in ("application/javascript", "application/json")
    return f"{kind}; charset=utf-8" if textual else kind


class StaticSite:
    """Serve one folder on host:port from a background thread."""

    def __init__(self, root: Path, host: str, port: int) -> None:
        self.root = root
        try:
            self._server = ThreadingHTTPServer((host, port), _handler_for(root))
        except OSError as error:
            raise LocalStackError(
                f"the UI server could not listen on {host}:{port} ({error.strerror}); "
                "free the port or pick another"
            ) from None
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()
