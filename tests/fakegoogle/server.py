"""The HTTP server: routing, the bearer-token check, faults, counting.

``FakeGoogle`` runs a ``ThreadingHTTPServer`` on 127.0.0.1 and answers the
Sheets v4, Drive v3, Docs v1 and Gmail v1 endpoints from one shared
:class:`~.state.State`.
"""

from __future__ import annotations

import socket
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from . import control, docs, drive, fields, gmail, sheets, sheets_values, uploads
from .errors import UNAUTHENTICATED_MESSAGE, ApiError
from .faults import Calls, Faults, injected_error
from .routing import Route, resolve, to_response
from .state import State
from .validate import check_body
from .wire import DROP, Request, Response

ROUTES: list[Route] = [
    *sheets_values.router.routes,
    *sheets.router.routes,
    *drive.router.routes,
    *docs.router.routes,
    *gmail.router.routes,
]


class FakeGoogle:
    """A running fake of Google's Sheets, Drive, Docs and Gmail REST APIs.

    Use as a context manager or call :meth:`start` / :meth:`stop`.
    ``state`` holds the data, ``faults`` arms failures, ``calls`` counts
    requests per API and per method.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, seed: int = 0) -> None:
        self.state = State(seed)
        self.faults = Faults()
        self.calls = Calls()
        self._http = _Server((host, port), _Handler)
        self._http.fake = self
        self.host, self.port = self._http.server_address[:2]
        self.base_url = f"http://{self.host}:{self.port}"
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle

    def start(self) -> FakeGoogle:
        if self._thread is None:
            serve = self._http.serve_forever
            self._thread = threading.Thread(target=serve, args=(0.05,), name="fakegoogle", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._http.shutdown()
            self._thread.join()
            self._thread = None
        self._http.server_close()

    def reset(self) -> None:
        """Forget all data, disarm all faults, zero the counters."""
        self.state.reset()
        self.faults.clear()
        self.calls.clear()

    def __enter__(self) -> FakeGoogle:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # ------------------------------------------------------------ counters

    def count(self, api: str | None = None, method: str | None = None) -> int:
        """Requests received so far, optionally for one API or one method id."""
        if method is not None:
            return self.calls.by_method[method]
        if api is not None:
            return self.calls.by_api[api]
        return sum(self.calls.by_api.values())

    # ------------------------------------------------------------ dispatch

    def handle(self, request: Request) -> Response:
        """Answer one request (runs on the server's worker threads)."""
        if request.path.startswith(control.PREFIX):
            return control.handle(self, request)
        if request.url_length > MAX_URL_LENGTH:  # Google's front end refuses it, in HTML, before any API
            request.method_id = URL_TOO_LONG_ID
            self.calls.record(request)
            return Response.raw(URL_TOO_LONG, "text/html; charset=UTF-8", 414)
        try:
            session = uploads.session_for(self.state, request)
            route = None if session else resolve(ROUTES, request)
        except ApiError as err:
            return Response.error(err)
        self.calls.record(request)
        if not request.headers.get("authorization", "").lower().startswith("bearer "):
            return Response.error(ApiError(401, UNAUTHENTICATED_MESSAGE))
        for rule in self.faults.take("hook", request):
            with self.state.lock:
                assert rule.action is not None
                rule.action(self.state)
        errors = self.faults.take("error", request)
        if errors:
            return Response.error(injected_error(errors[0], request.api))
        delays = self.faults.take("delay", request)
        drops = self.faults.take("drop", request) if request.writes else []
        response = self._run(route, request)
        if response.status >= 400:
            self.faults.refund(drops)
            drops = []
        if delays:
            time.sleep(max(rule.seconds for rule in delays))
        return DROP if drops else response

    def _run(self, route: Route | None, request: Request) -> Response:
        try:
            with self.state.lock:
                if route is None:
                    return uploads.resume(self.state, request)
                if request.body and "json" in request.content_type:
                    request.set_json(check_body(request.method_id, request.json()))
                result = route.handler(self.state, request)
                if isinstance(result, dict) and request.arg("fields") and request.api != "drive":
                    result = fields.select(result, fields.parse(request.arg("fields") or ""))
                return to_response(result, compact=request.arg("prettyPrint") == "false")
        except ApiError as err:
            return Response.error(err)
        except Exception as exc:  # a bug in the fake: answer 500 and say so
            traceback.print_exc()
            return Response.error(ApiError(500, f"Internal error in the local fake: {exc!r}"))


URL_TOO_LONG_ID = "url.too.long"  # how a refused request is counted (`count(method=...)`)
MAX_URL_LENGTH = 8192  # characters of path and query; Google's servers answer 414 beyond about this
URL_TOO_LONG = (b"<!DOCTYPE html><html lang=en><title>Error 414 (Request-URI Too Large)!!1</title>"
                b"<p><b>414.</b> <ins>That\xe2\x80\x99s an error.</ins><p>The requested URL is too large to process."
                b"  <ins>That\xe2\x80\x99s all we know.</ins></html>")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    fake: FakeGoogle


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                if not size:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        request = Request.parse(self.command, self.path, dict(self.headers.items()), self._body())
        response = self.server.fake.handle(request)
        if response is DROP:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.send_response(response.status, _REASONS.get(response.status))
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        try:
            if self.command != "HEAD":
                self._headers_buffer.append(b"\r\n" + response.body)
                self.wfile.write(b"".join(self._headers_buffer))
                self._headers_buffer = []
            else:
                self.end_headers()
        except OSError:
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve


_REASONS = {308: "Resume Incomplete"}
