"""`sheetbill webhook --port N`: Stripe's webhook, for practices that can expose a port.

An event whose `Stripe-Signature` checks out (the endpoint's signing secret,
from the environment) only wakes the worker: the cycle it runs reads the
events from Stripe as every cycle does (card_events.py), so a payment is
added once however it is announced. A bad or missing signature is answered
400 and wakes nothing. Cycles run one at a time on their own thread; events
arriving meanwhile make one more cycle.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from stripe import SignatureVerificationError, WebhookSignature

log = logging.getLogger("sheetbill")
MAX_BODY = 1 << 20


class WebhookServer:
    def __init__(self, secret: str, cycle: Callable[[], None], host: str = "0.0.0.0", port: int = 8080) -> None:
        self.secret = secret
        self.cycle = cycle
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.cycles = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_BODY:
                    return self._answer(413, "too large")
                body = self.rfile.read(length)
                try:
                    WebhookSignature.verify_header(body.decode("utf-8"), self.headers.get("Stripe-Signature"),
                                                   outer.secret, 300)
                except (SignatureVerificationError, UnicodeDecodeError):
                    log.warning("webhook: a request with a bad signature was refused")
                    return self._answer(400, "bad signature")
                outer.wake.set()
                self._answer(200, "ok")

            def _answer(self, status: int, text: str) -> None:
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer((host, port), Handler)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def start(self) -> WebhookServer:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        threading.Thread(target=self._cycles, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
        self.server.shutdown()
        self.server.server_close()

    def _cycles(self) -> None:
        while True:
            self.wake.wait()
            if self.stopping.is_set():
                return
            self.wake.clear()
            try:
                self.cycle()
            except Exception as exc:  # noqa: BLE001  (a failing cycle is logged; the server goes on)
                log.error("webhook: cycle failed: %s", exc)
            self.cycles += 1


def serve(secret: str, cycle: Callable[[], None], host: str, port: int, say: Callable[[str], None] = print) -> None:
    """Serve until Ctrl-C."""
    server = WebhookServer(secret, cycle, host, port).start()
    say(f"Listening for Stripe's webhook on {host}:{server.port} (Ctrl-C stops)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        say("stopped")
    finally:
        server.stop()
