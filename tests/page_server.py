"""A web server on 127.0.0.1 for tests that read product pages: started and stopped by the
test, serving the saved store pages in tests/pages/ and a few misbehaving answers."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).parent / "pages"


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class PageServer:
    """Routes by path; every request seen is kept (path, headers) to check what was sent."""

    def __init__(self) -> None:
        self.routes: dict[str, Answer] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.base = ""

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, fixture: str, *, content_type: str = "text/html; charset=utf-8"):
        """Serve a saved store page from tests/pages/ at `path`."""
        body = (PAGES / fixture).read_bytes()
        self.routes[path] = Answer(200, body, {"Content-Type": content_type})
        return self.url(path)

    def html(self, path: str, text: str) -> str:
        self.routes[path] = Answer(200, text.encode(), {"Content-Type": "text/html"})
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        self.routes[path] = Answer(status, b"", {"Location": to})
        return self.url(path)


def _handler(server: PageServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server name)
            server.requests.append((self.path, dict(self.headers)))
            answer = server.routes.get(self.path.split("?")[0])
            if answer is None:
                answer = Answer(404, b"<h1>Not found</h1>", {"Content-Type": "text/html"})
            if answer.delay:
                time.sleep(answer.delay)
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            try:
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serving() -> Iterator[PageServer]:
    pages = PageServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(pages))
    httpd.daemon_threads = True
    pages.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield pages
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
