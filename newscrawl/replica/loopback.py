"""What every replica server shares: an HTTP server on 127.0.0.1 in a daemon thread.

``with SomeReplica(...) as server: server.url`` starts it on a free port (``port=0``) and
stops it on exit; ``serve_forever()`` is the blocking variant for the command line."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class LoopbackServer:
    """Base of the replica servers.  A subclass names its request handler
    (``handler_class``, which reaches the server as ``self.replica``) and may act once
    the port is known (``started``)."""

    handler_class: type[BaseHTTPRequestHandler]

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base}/"

    def started(self) -> None:
        """Called once the port is known, before the first request is served."""

    def start(self):
        handler = type(f"{type(self).__name__}Handler", (self.handler_class,), {"replica": self})
        httpd = ThreadingHTTPServer((self.host, self.port), handler)
        httpd.daemon_threads = True
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self.started()
        # a short poll interval: stop() (shutdown) waits for one poll, and tests start many servers
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"{type(self).__name__}-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def serve_forever(self) -> None:
        """Blocking variant for the command line (Ctrl-C stops it)."""
        if self._httpd is None:
            self.start()
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(0.5)
        finally:
            self.stop()


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive, no stderr line per request; a subclass names its
    ``server_version`` (what the real platform's ``Server`` header says) and serves GET
    and HEAD in ``serve(head)``."""

    protocol_version = "HTTP/1.1"
    sys_version = ""
    timeout = 60

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.serve(head=False)

    def do_HEAD(self) -> None:
        self.serve(head=True)

    def serve(self, head: bool) -> None:
        raise NotImplementedError

    def answer(self, status: int, content_type: str, body: bytes, headers: dict[str, str], head: bool) -> None:
        """Send one answer (a 304 has no body and no Content-Type)."""
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if status != 304 else 0))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head and status != 304:
            self.wfile.write(body)
