"""One connection to Google: Sheets through gspread's HTTP client, Drive,
Docs and Gmail through googleapiclient, all over one authorized `requests`
session with timeouts and no silent resends.

googleapiclient's usual transport (httplib2) sends a request again when the
connection drops after it was written, so a write could land twice; here
every call is sent once, and retrying is `Backoff`'s decision alone.

`base_url` sends every call to another host (a local emulator, the tests'
fake Google) instead of Google's; nothing else differs.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any, Callable

import httplib2
import requests
from google.auth.credentials import Credentials
from google.auth.exceptions import RefreshError, TransportError
from google.auth.transport.requests import AuthorizedSession
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from .retry import ApiFailure, Backoff

SHEETS_URL = "https://sheets.googleapis.com/v4/spreadsheets"
_GOOGLE_HOST = re.compile(r"^https://[a-z]+\.googleapis\.com")
VERSIONS = {"drive": "v3", "docs": "v1", "gmail": "v1"}
TIMEOUT = (10.0, 120.0)  # seconds to connect, seconds to wait for an answer


class GoogleSession(AuthorizedSession):
    """An authorized requests session that can point at another host."""

    def __init__(self, credentials: Credentials, base_url: str | None = None) -> None:
        super().__init__(credentials)
        self.base_url = base_url.rstrip("/") if base_url else None

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if self.base_url:
            url = _GOOGLE_HOST.sub(self.base_url, url, count=1)
        return super().request(method, url, *args, **kwargs)


class RequestsHttp:
    """The part of httplib2.Http that googleapiclient uses, over `GoogleSession`."""

    def __init__(self, session: GoogleSession, timeout: tuple[float, float]) -> None:
        self.session, self.timeout = session, timeout

    def request(self, uri: str, method: str = "GET", body: Any = None, headers: Any = None,
                redirections: int = 5, connection_type: Any = None) -> tuple[httplib2.Response, bytes]:
        answer = self.session.request(method, uri, data=body, headers=headers, timeout=self.timeout)
        info = {k.lower(): v for k, v in answer.headers.items()}
        info["status"] = str(answer.status_code)
        return httplib2.Response(info), answer.content


class Google:
    """Calls to Google's APIs with one retry policy."""

    def __init__(self, credentials: Credentials, base_url: str | None = None,
                 backoff: Backoff | None = None, timeout: tuple[float, float] = TIMEOUT) -> None:
        self.session = GoogleSession(credentials, base_url)
        self.backoff = backoff or Backoff()
        self.timeout = timeout
        self._gspread = HTTPClient(auth=None, session=self.session)  # type: ignore[arg-type]
        self._gspread.set_timeout(timeout)
        self._http = RequestsHttp(self.session, timeout)

    # -- Sheets (gspread's HTTP client; numbers parsed as Decimal) -----------------
    def sheets(self, method: str, path: str, *, params: dict[str, Any] | None = None,
               body: dict[str, Any] | None = None, idempotent: bool = True) -> dict[str, Any]:
        """`method` on `SHEETS_URL + path`; the answer's numbers come as Decimal."""
        params = {**(params or {}), "prettyPrint": "false"}

        def call() -> dict[str, Any]:
            try:
                answer = self._gspread.request(method, SHEETS_URL + path, params=params, json=body)
            except APIError as error:
                raise _failure(error.response) from None
            except (RefreshError, TransportError) as error:
                raise _sign_in_failure(error) from None
            except requests.RequestException as error:
                raise ApiFailure(None, f"no answer from Google Sheets ({type(error).__name__})") from None
            return json.loads(answer.text or "{}", parse_float=Decimal)

        return self.backoff.run(call, idempotent)

    # -- Drive, Docs, Gmail (googleapiclient) ----------------------------------------
    @staticmethod
    def service(api: str) -> Any:
        """The googleapiclient resource of `api` ("drive", "docs", "gmail"). Built
        once per process (building one is slow); its requests go through the
        connection that `execute` runs them on."""
        if api not in _SERVICES:
            from googleapiclient.discovery import build

            _SERVICES[api] = build(api, VERSIONS[api], http=_Unset(), static_discovery=True, cache_discovery=False)
        return _SERVICES[api]

    def execute(self, make: Callable[[], Any], idempotent: bool = True) -> Any:
        """Run `make().execute()` on this connection, with the retry policy."""
        from googleapiclient.errors import HttpError

        def call() -> Any:
            try:
                return make().execute(http=self._http, num_retries=0)
            except HttpError as error:
                raise ApiFailure.from_answer(error.resp.status, error.content or b"", dict(error.resp)) from None
            except (RefreshError, TransportError) as error:
                raise _sign_in_failure(error) from None
            except (requests.RequestException, OSError) as error:
                raise ApiFailure(None, f"no answer from Google ({type(error).__name__})") from None

        return self.backoff.run(call, idempotent)


_SERVICES: dict[str, Any] = {}


class _Unset(httplib2.Http):
    """The transport of a built service: every request is given its own."""

    def request(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a Google request was sent without a connection (use Google.execute)")


def _failure(response: requests.Response) -> ApiFailure:
    return ApiFailure.from_answer(response.status_code, response.content, response.headers)


def _sign_in_failure(error: RefreshError | TransportError) -> ApiFailure:
    """A failed renewal of the access token (made before the call was sent) as Google's own answers:
    refused (the sign-in expired or was revoked: `invalid_grant`) as a 401 that asks for a new sign-in;
    no answer from Google's sign-in server (or a passing refusal, which google-auth calls retryable)
    as a call that got no answer, which is retried."""
    reason = error.args[0] if error.args else type(error).__name__
    if isinstance(error, RefreshError) and not error.retryable:
        return ApiFailure(401, f"renewing the sign-in failed: {reason}", "invalid_grant")
    return ApiFailure(None, f"no answer from Google's sign-in ({reason})", unsent=True)
