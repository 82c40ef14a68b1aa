"""Faults the replica serves instead of its normal answers: the failures a crawler meets on the real web.

``ReplicaServer(blog, faults=[Fault(r"^/feeds/comments/", "status", status=503, times=2)])``, or live with
``server.set_faults([...])`` (thread-safe; the next request sees the new list). A fault applies to every request
whose path and query (as requested, e.g. ``/feeds/posts/default?start-index=1&max-results=500``) the regular
expression ``pattern`` matches (``re.search``). ``times``: how many matching requests *of each URL* fail before
that URL recovers and is served normally again; ``None``: it never recovers (the two ends of a redirect loop
are one URL, each hop counts). When several faults match, the first one listed that still has failures to serve
wins.

Kinds (:data:`KINDS`) and their parameters:

``status``            ``status`` (500, 502, 503 ...) with a short HTML error page; ``Retry-After`` when
                      ``retry_after`` is set.
``429``               429 Too Many Requests with ``Retry-After: retry_after`` (seconds, or an HTTP date
                      ``retry_after`` seconds ahead, rounded up to the next whole second, when
                      ``retry_after_date``).
``timeout``           no answer: the connection is held ``delay`` seconds (at most :data:`MAX_DELAY`; sooner when
                      the client gives up and closes), then closed.
``reset``             the connection is reset at once, nothing answered (``SO_LINGER`` 0: a real TCP RST).
``truncate``          the real answer with its full ``Content-Length`` but only the first half of the body, then
                      the connection is closed.
``charset_wrong``     the real body (UTF-8) with a ``Content-Type`` claiming ``charset``.
``charset_missing``   the real body with no charset in ``Content-Type``.
``invalid_xml``       the real document made ill-formed: ``variant="cut"`` stops it in the middle of a tag
                      (the ``Content-Length`` is honest: the transfer is complete, the XML is not);
                      ``variant="broken_tag"`` misspells the closing tag of the first entry's title.
``entity_bomb``       the real document with a billion-laughs DOCTYPE (nine levels of ten, 3 GB when expanded)
                      and the biggest entity referenced in its first title.
``redirect_loop``     302 from A to B (A plus :data:`LOOP_MARKER` in the query) and from B back to A.
``redirect``          301 to ``location`` (a base such as ``http://localhost:PORT``: another host name of the
                      same server) followed by the path asked for, when ``keep_path``; else to ``location``
                      itself (a page moved elsewhere).
``gzip_bomb``         200 ``text/html`` with ``Content-Encoding: gzip``: ``size`` bytes of zeros compressed (50 MB
                      by default; about a thousandth of that on the wire).
``huge``              a ``size``-byte HTML page (50 MB by default), streamed in 64 KiB chunks; with
                      ``announce_size=False`` there is no ``Content-Length`` and the body ends when the
                      connection closes.
``html_for_feed``     200 ``text/html``: the blog's home page, wherever it is asked for (a feed, typically).
``robots_disallow_all``  ``User-agent: *`` / ``Disallow: /`` (for ``pattern=r"^/robots\\.txt$"``).

"Real" answers are what the replica would have served; when that is not a 200 (a 304 to a conditional
request, a 404), the kinds that alter a real answer serve it unaltered, since there is nothing to corrupt.
"""

from __future__ import annotations

import math
import re
import select
import socket
import struct
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Callable, Iterable
from urllib.parse import urlsplit

from .loopback import LoopbackServer, Response

KINDS = ("status", "429", "timeout", "reset", "truncate", "charset_wrong", "charset_missing", "invalid_xml",
         "entity_bomb", "redirect_loop", "redirect", "huge", "gzip_bomb", "html_for_feed", "robots_disallow_all")
INVALID_XML_VARIANTS = ("cut", "broken_tag")
# a test that forgets to bound a timeout fault must not hold a server thread for ever
MAX_DELAY = 120.0
HUGE_SIZE = 50 * 1024 * 1024
CHUNK_SIZE = 64 * 1024
LOOP_MARKER = "replica-loop=b"
ROBOTS_DISALLOW_ALL = "User-agent: *\nDisallow: /\n"
BOMB_LEVELS = 9
BOMB_FANOUT = 10

_HUGE_HEAD = b"<!DOCTYPE html><html><head><meta charset='UTF-8'/><title>Huge page</title></head><body>\n"
_HUGE_TAIL = b"</body></html>\n"
_FILLER_LINE = b"<p>Filler of a page far larger than any blog page: nothing in it is data.</p>\n"


def _huge_chunk() -> bytes:
    lines = _FILLER_LINE * (CHUNK_SIZE // len(_FILLER_LINE) + 1)
    return lines[:CHUNK_SIZE]


_CHUNK = _huge_chunk()


@dataclass(frozen=True)
class Fault:
    """One fault: which requests (``pattern``), what goes wrong (``kind``), for how long (``times``); the other
    fields are parameters of some kinds only (see the module doc)."""

    pattern: str
    kind: str
    times: int | None = None
    status: int = 503
    retry_after: int | None = None
    retry_after_date: bool = False
    delay: float = 30.0
    charset: str = "ISO-8859-1"
    variant: str = "cut"
    size: int = HUGE_SIZE
    announce_size: bool = True
    location: str = ""
    keep_path: bool = True

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")
        re.compile(self.pattern)  # a typo in a pattern should fail where the fault is made, not on a request
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1, or None for a fault that never recovers")
        if self.kind == "status" and not 400 <= self.status <= 599:
            raise ValueError(f"a status fault needs an error status (4xx/5xx), not {self.status}")
        if self.kind == "invalid_xml" and self.variant not in INVALID_XML_VARIANTS:
            raise ValueError(f"variant must be one of {INVALID_XML_VARIANTS}, not {self.variant!r}")
        if self.kind == "429" and self.retry_after is None:
            raise ValueError("a 429 fault needs retry_after (seconds)")
        if self.kind == "redirect" and not self.location.startswith(("http://", "https://")):
            raise ValueError(f"a redirect needs a location (http://...), not {self.location!r}")
        if self.kind == "huge" and self.size < len(_HUGE_HEAD) + len(_HUGE_TAIL):
            raise ValueError(f"a huge page has at least {len(_HUGE_HEAD) + len(_HUGE_TAIL)} bytes, not {self.size}")

    def matches(self, path: str) -> bool:
        return re.search(self.pattern, path) is not None


class FaultSet:
    """The faults a server serves now and how often each URL has failed so far (thread-safe)."""

    def __init__(self, faults: Iterable[Fault] = ()):
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._served: Counter[tuple[int, str]] = Counter()
        self.replace(faults)

    def replace(self, faults: Iterable[Fault]) -> None:
        """Serve these faults from the next request on; every URL's failure count starts again."""
        faults = list(faults)
        if not all(isinstance(f, Fault) for f in faults):
            raise TypeError("faults must be Fault instances")
        with self._lock:
            self._faults = faults
            self._served = Counter()

    @property
    def faults(self) -> list[Fault]:
        return list(self._faults)

    def take(self, path: str) -> Fault | None:
        """The fault to serve for this request, counted against its URL; None to answer normally."""
        url = without_loop_marker(path)  # both ends of a redirect loop are one URL
        with self._lock:
            for index, fault in enumerate(self._faults):
                if not fault.matches(url):
                    continue
                key = (index, url)
                if fault.times is not None and self._served[key] >= fault.times:
                    continue  # this URL has recovered from this fault
                self._served[key] += 1
                return fault
        return None


def without_loop_marker(path: str) -> str:
    """A URL or path without the redirect loop's marker: B -> A."""
    parts = urlsplit(path)
    if LOOP_MARKER not in parts.query.split("&"):
        return path
    query = "&".join(p for p in parts.query.split("&") if p != LOOP_MARKER)
    return parts._replace(query=query).geturl()


# ------------------------------------------------------------------------------------------------ serving


@dataclass
class _Request:
    handler: BaseHTTPRequestHandler
    fault: Fault
    replica: LoopbackServer
    head: bool

    @property
    def path(self) -> str:
        return self.handler.path

    def real(self, path: str | None = None) -> Response:
        return self.replica.route(path or without_loop_marker(self.path), self.handler.headers)


def serve(handler: BaseHTTPRequestHandler, fault: Fault, replica: LoopbackServer, head: bool) -> None:
    """Answer the handler's request with ``fault`` (from the replica's :meth:`~LoopbackServer.intercept`, instead
    of its own answer); the "real" answer is ``replica.route``'s."""
    request = _Request(handler, fault, replica, head)
    try:
        _SERVERS[fault.kind](request)
    except (BrokenPipeError, ConnectionResetError, TimeoutError):
        # the client hung up on (or stopped reading) a huge page it would not take: nothing left to do
        handler.close_connection = True


def _send(request: _Request, status: int, headers: dict[str, str], body: bytes = b"",
          declared_length: int | None = None) -> None:
    handler = request.handler
    handler.send_response(status)
    handler.send_header("Content-Length", str(len(body) if declared_length is None else declared_length))
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    if not request.head:
        handler.wfile.write(body)


def _send_real(request: _Request, response: Response, ctype: str | None = None, body: bytes | None = None) -> None:
    status, real_ctype, real_body, headers = response
    if status == 304:
        _send(request, status, headers)  # a 304 has no body and, in the replica, no Content-Type
        return
    _send(request, status, {"Content-Type": ctype or real_ctype, **headers}, real_body if body is None else body)


def _altered(alter: Callable[[_Request, Response], None]) -> Callable[[_Request], None]:
    """A kind that corrupts the real answer: only a 200 has something to corrupt."""
    def serve_kind(request: _Request) -> None:
        response = request.real()
        if response[0] != 200:
            _send_real(request, response)
        else:
            alter(request, response)
    return serve_kind


def _error_page(status: int) -> bytes:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:  # a status Python does not name
        phrase = "Error"
    return (f"<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error {status} ({phrase})!!1</title>"
            f"<p><b>{status}.</b> <ins>That's an error.</ins></p><p>The server cannot process the request "
            f"right now. Please try again later. <ins>That's all we know.</ins></p></html>").encode()


def _retry_after(fault: Fault) -> dict[str, str]:
    if fault.retry_after is None:
        return {}
    if fault.retry_after_date:
        # rounded up: an HTTP date has whole seconds and must not promise an earlier retry than asked
        return {"Retry-After": formatdate(math.ceil(time.time() + fault.retry_after), usegmt=True)}
    return {"Retry-After": str(fault.retry_after)}


def _serve_status(request: _Request) -> None:
    fault = request.fault
    status = 429 if fault.kind == "429" else fault.status
    _send(request, status, {"Content-Type": "text/html; charset=UTF-8", **_retry_after(fault)}, _error_page(status))


def _serve_timeout(request: _Request) -> None:
    """Say nothing until ``delay`` has passed or the client has hung up, then close."""
    handler = request.handler
    sock = handler.connection
    deadline = time.monotonic() + min(request.fault.delay, MAX_DELAY)
    while (left := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select([sock], [], [], left)
        if not readable:
            continue
        try:
            if not sock.recv(1, socket.MSG_PEEK):
                break  # the client closed its end: holding on serves no one
        except OSError:
            break
        time.sleep(min(left, 0.05))  # the client sent more; keep waiting without spinning
    handler.close_connection = True


def _serve_reset(request: _Request) -> None:
    handler = request.handler
    sock = handler.connection
    # linger 0: close() aborts the connection with a RST instead of the orderly FIN a plain close sends
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.rfile.close()  # the buffered reader holds the socket open; it must go for close() to act now
    sock.close()
    handler.close_connection = True


def _truncate(request: _Request, response: Response) -> None:
    status, ctype, body, headers = response
    declared = len(body) if body else 1024
    _send(request, status, {"Content-Type": ctype, **headers}, body[: len(body) // 2], declared_length=declared)
    request.handler.wfile.flush()
    request.handler.close_connection = True


def _content_type(ctype: str, charset: str | None) -> str:
    params = [p.strip() for p in ctype.split(";")[1:] if not p.strip().lower().startswith("charset=")]
    if charset:
        params.append(f"charset={charset}")
    return "; ".join([ctype.split(";")[0].strip(), *params])


def _charset_wrong(request: _Request, response: Response) -> None:
    _send_real(request, response, ctype=_content_type(response[1], request.fault.charset))


def _charset_missing(request: _Request, response: Response) -> None:
    _send_real(request, response, ctype=_content_type(response[1], None))


def invalid_xml(body: bytes, variant: str) -> bytes:
    """The document ``body`` made ill-formed (see ``invalid_xml`` in the module doc)."""
    if variant == "cut":
        middle = len(body) // 2
        tag = body.find(b"<", middle)
        return body[: tag + 3] if tag >= 0 else body[:middle]
    entry = max(body.find(b"<entry"), 0)
    close = body.find(b"</title>", entry)
    if close < 0:
        return body[: len(body) // 2]
    return body[:close] + b"</titel>" + body[close + len(b"</title>"):]


def _invalid_xml(request: _Request, response: Response) -> None:
    _send_real(request, response, body=invalid_xml(response[2], request.fault.variant))


_ROOT_RE = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_TITLE_RE = re.compile(rb"<title\b[^>]*>")


def entity_bomb(body: bytes) -> bytes:
    """``body`` with a billion-laughs DOCTYPE before its root and the top entity used in its first title."""
    root = _ROOT_RE.search(body)
    if root is None:
        return body
    entities = ["<!ENTITY lol0 'lol'>"] + [
        f"<!ENTITY lol{level} '{f'&lol{level - 1};' * BOMB_FANOUT}'>" for level in range(1, BOMB_LEVELS + 1)]
    doctype = f"<!DOCTYPE {root.group(1).decode()} [{''.join(entities)}]>".encode()
    bombed = body[: root.start()] + doctype + body[root.start():]
    title = _TITLE_RE.search(bombed, root.start() + len(doctype))
    if title is None:
        return bombed
    return bombed[: title.end()] + f"&lol{BOMB_LEVELS};".encode() + bombed[title.end():]


def _entity_bomb(request: _Request, response: Response) -> None:
    _send_real(request, response, body=entity_bomb(response[2]))


def loop_partner(path: str) -> str:
    """The other end of a redirect loop: A -> B (A with the marker), B -> A."""
    if without_loop_marker(path) != path:
        return without_loop_marker(path)
    return f"{path}{'&' if '?' in path else '?'}{LOOP_MARKER}"


def _serve_redirect_loop(request: _Request) -> None:
    _send(request, 302, {"Content-Type": "text/html; charset=UTF-8",
                         "Location": request.replica.base + loop_partner(request.path)})




def _serve_redirect(request: _Request) -> None:
    fault = request.fault
    target = fault.location.rstrip("/") + request.path if fault.keep_path else fault.location
    _send(request, 301, {"Content-Type": "text/html; charset=UTF-8", "Location": target})


def _serve_gzip_bomb(request: _Request) -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header and trailer
    zeros = bytes(CHUNK_SIZE)
    body = b"".join(compressor.compress(zeros) for _ in range(request.fault.size // CHUNK_SIZE))
    _send(request, 200, {"Content-Type": "text/html; charset=UTF-8", "Content-Encoding": "gzip"},
          body + compressor.flush())


def _serve_huge(request: _Request) -> None:
    """Stream ``size`` bytes from one reused 64 KiB chunk: the page is never built in memory."""
    fault, handler = request.fault, request.handler
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=UTF-8")
    if fault.announce_size:
        handler.send_header("Content-Length", str(fault.size))
    else:
        handler.send_header("Connection", "close")  # without a length, the end of the body is the close
    handler.end_headers()
    handler.close_connection = True
    if request.head:
        return
    out = handler.wfile
    out.write(_HUGE_HEAD)
    filler = fault.size - len(_HUGE_HEAD) - len(_HUGE_TAIL)
    chunk = memoryview(_CHUNK)
    while filler > 0:
        piece = chunk[: min(filler, CHUNK_SIZE)]
        out.write(piece)
        filler -= len(piece)
    out.write(_HUGE_TAIL)


def _serve_html_for_feed(request: _Request) -> None:
    _, _, body, _ = request.real("/")
    _send(request, 200, {"Content-Type": "text/html; charset=UTF-8"}, body)


def _serve_robots_disallow_all(request: _Request) -> None:
    _send(request, 200, {"Content-Type": "text/plain; charset=UTF-8"}, ROBOTS_DISALLOW_ALL.encode())


_SERVERS: dict[str, Callable[[_Request], None]] = {
    "status": _serve_status,
    "429": _serve_status,
    "timeout": _serve_timeout,
    "reset": _serve_reset,
    "truncate": _altered(_truncate),
    "charset_wrong": _altered(_charset_wrong),
    "charset_missing": _altered(_charset_missing),
    "invalid_xml": _altered(_invalid_xml),
    "entity_bomb": _altered(_entity_bomb),
    "redirect_loop": _serve_redirect_loop,
    "redirect": _serve_redirect,
    "gzip_bomb": _serve_gzip_bomb,
    "huge": _serve_huge,
    "html_for_feed": _serve_html_for_feed,
    "robots_disallow_all": _serve_robots_disallow_all,
}
