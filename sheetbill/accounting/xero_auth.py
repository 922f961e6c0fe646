"""`sheetbill auth xero`: the OAuth 2 sign-in, once, in the browser.

The Xero app (developer.xero.com, type Web app) has a client id and secret
and the redirect URI `http://localhost:<port>/callback`. sheetbill opens the
sign-in page, takes the code Xero sends to that address, trades it for a
token (with a refresh token), picks the organisation, and keeps it all in
`accounting.credentials`, readable by its owner only. The SDK refreshes the
token on later runs and the new one is written back there.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Callable

from ..errors import ConfigError, SheetbillError
from . import tokens
from .xero_connect import SCOPES

LOGIN = "https://login.xero.com/identity/connect/authorize"
TOKEN = "https://identity.xero.com/connect/token"
CONNECTIONS = "https://api.xero.com/connections"
WAIT_SECONDS = 300


def sign_in(client_id: str, client_secret: str, target: Path, show: Callable[[str], None], port: int = 8765,
            organisation: str = "", endpoint: str | None = None) -> str:
    """Sign in; `show(url)` opens (or prints) the sign-in page. Returns the organisation's name."""
    login, token_url, connections = LOGIN, TOKEN, CONNECTIONS
    if endpoint:  # another host (the tests' fake)
        login, token_url, connections = (f"{endpoint}/identity/connect/authorize", f"{endpoint}/connect/token",
                                         f"{endpoint}/connections")
    redirect = f"http://localhost:{port}/callback"
    state = secrets.token_urlsafe(16)
    code = wait_for_redirect(port, state, "Xero", lambda: show(login + "?" + urllib.parse.urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": redirect,
        "scope": " ".join(("openid", *SCOPES)), "state": state})))["code"]
    basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
    token = _post(token_url, {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect},
                  {"Authorization": f"Basic {basic}"})
    token["expires_at"] = time.time() + float(token.get("expires_in", 1800))
    token["scope"] = str(token.get("scope", " ".join(SCOPES))).split()
    tenants = _get(connections, {"Authorization": f"Bearer {token['access_token']}"})
    orgs = [t for t in tenants if t.get("tenantType") == "ORGANISATION"]
    chosen = [t for t in orgs if not organisation or t.get("tenantName", "").lower() == organisation.lower()]
    if not chosen:
        names = ", ".join(t.get("tenantName", "?") for t in orgs) or "none"
        raise SheetbillError(f"Xero: no organisation {organisation or ''} connected (connected: {names})")
    tokens.save(target, {"system": "xero", "client_id": client_id, "client_secret": client_secret,
                         "tenant_id": chosen[0]["tenantId"], "tenant_name": chosen[0].get("tenantName", ""),
                         "token": token})
    return str(chosen[0].get("tenantName", ""))


def wait_for_redirect(port: int, state: str, system: str, open_page: Callable[[], None]) -> dict[str, str]:
    """Serve the redirect URI on 127.0.0.1:`port` for one answer; its query (with the code)."""
    got: dict[str, str] = {}

    class Callback(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
            if query.get("state") == state and query.get("code"):
                got.update(query)
                text = f"Signed in to {system}. You can close this tab and return to sheetbill.".encode()
            else:
                got["error"] = query.get("error", "the answer did not match the sign-in")
                text = f"{system} sign-in failed; see the command line.".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            self.wfile.write(text)

    try:
        server = HTTPServer(("127.0.0.1", port), Callback)
    except OSError as exc:
        raise ConfigError(f"port {port} is busy ({exc}); pass --port and register that redirect URI") from None
    server.timeout = WAIT_SECONDS
    with server:
        threading.Thread(target=open_page, daemon=True).start()
        server.handle_request()
    if "code" not in got:
        raise SheetbillError(f"{system} sign-in: {got.get('error', 'no answer within 5 minutes')}")
    return got


def _post(url: str, form: dict[str, str], headers: dict[str, str]) -> dict:
    data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers={
        **headers, "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
    return _json(request)


def _get(url: str, headers: dict[str, str]) -> list:
    return _json(urllib.request.Request(url, headers={**headers, "Accept": "application/json"}))


def _json(request: urllib.request.Request):
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())
    except (OSError, ValueError) as exc:
        raise SheetbillError(f"Xero sign-in: {request.full_url}: {exc}") from None
