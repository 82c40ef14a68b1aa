"""What every replica server shares: an HTTP server on 127.0.0.1 in a daemon thread, and its one request handler.

A server is a :class:`LoopbackServer` subclass that says only what it serves:

``server_version``
    the ``Server`` header the real platform sends (``GSE`` for Blogger, ``cloudflare`` for Substack);
``route(raw_path, headers)``
    the answer to a GET of ``raw_path`` (path and query as requested) as a :data:`Response`
    ``(status, content_type, body, extra_headers)``; a HEAD gets the same answer without the body;
``intercept(handler, head)`` (optional)
    answer a request at the socket level instead (the Blogger replica's faults: timeouts, resets, truncated or
    huge bodies) and return True.

:class:`ReplicaHandler` does the rest for all of them: HTTP/1.1 with keep-alive, GET and HEAD, one answer format
(a 304 has no body and no ``Content-Type``), every request recorded in ``requests`` / ``request_log``, no stderr
line per request, and a bug in a replica answered as a 500 with its traceback on stderr rather than a dropped
connection.

``with SomeReplica(...) as server: server.url`` starts it on a free port (``port=0``) and stops it on exit;
``serve_forever()`` is the blocking variant for the command line."""

from __future__ import annotations

import signal
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Response = tuple[int, str, bytes, dict[str, str]]
"""What a route answers: status, Content-Type, body, extra headers (in the order they are sent)."""


class ReplicaHandler(BaseHTTPRequestHandler):
    """The request handler of every replica server: it asks its server (``self.replica``, set by
    :meth:`LoopbackServer.start`) what to answer and sends it."""

    protocol_version = "HTTP/1.1"
    sys_version = ""
    timeout = 60
    replica: "LoopbackServer"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.serve(head=False)

    def do_HEAD(self) -> None:
        self.serve(head=True)

    def serve(self, head: bool) -> None:
        replica = self.replica
        replica.record(self.path)
        if replica.intercept(self, head):
            return
        try:
            status, content_type, body, headers = replica.route(self.path, self.headers)
        except Exception as exc:  # a bug in the replica should not look like a network error
            traceback.print_exc()
            status, content_type, body, headers = 500, "text/plain; charset=UTF-8", f"replica error: {exc}".encode(), {}
        self.answer(status, content_type, body, headers, head)

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


class LoopbackServer:
    """Base of the replica servers (see the module doc for what a subclass defines).

    ``requests`` lists every request's path and query in arrival order; ``request_log`` the same with the
    ``time.monotonic()`` at which each arrived."""

    server_version = "Replica"
    handler_class: type[ReplicaHandler] = ReplicaHandler

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.requests: list[str] = []
        self.request_log: list[tuple[float, str]] = []
        self._requests_lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base}/"

    # -- what a subclass says -------------------------------------------------------------------

    def route(self, raw_path: str, headers: Any) -> Response:
        """The answer to ``GET raw_path`` (``headers``: the request's, or None when called directly)."""
        raise NotImplementedError

    def intercept(self, handler: ReplicaHandler, head: bool) -> bool:
        """Answer this request at the socket level instead of :meth:`route` and return True (default: never)."""
        return False

    def started(self) -> None:
        """Called once the port is known, before the first request is served."""

    # -- serving ----------------------------------------------------------------------------------

    def record(self, path: str) -> None:
        with self._requests_lock:
            self.requests.append(path)
            self.request_log.append((time.monotonic(), path))

    def start(self):
        handler = type(f"{type(self).__name__}Handler", (self.handler_class,),
                       {"replica": self, "server_version": self.server_version})
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

    def serve_until_stopped(self, description: str) -> None:
        """How the command line runs a replica: start, say what is served (stderr) and where (the URL alone on
        stdout, for scripts), serve until Ctrl-C or SIGTERM."""
        if self._httpd is None:
            self.start()
        print(f"{description} (Ctrl-C stops it)", file=sys.stderr)
        print(self.url, flush=True)

        def terminate(signum: int, frame: Any) -> None:  # SIGTERM: stop like Ctrl-C
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, terminate)
        try:
            self.serve_forever()
        except KeyboardInterrupt:
            pass
