"""Real Google clients pointed at the fake.

* gspread: :func:`gspread_client` passes an ``http_client`` class that
  rewrites ``https://sheets.googleapis.com`` and ``https://www.googleapis.com``
  to the fake's base URL.
* googleapiclient: :func:`google_service` calls ``build()`` with
  ``client_options={"api_endpoint": ...}`` and ``static_discovery=True``.
  googleapiclient keeps the ``https`` scheme on media-upload URLs when only
  the host is overridden, so the service also gets an httplib2 transport
  that sends ``https://127.0.0.1:<port>`` requests over plain HTTP.
"""

from __future__ import annotations

from typing import Any, ClassVar

import google_auth_httplib2
import gspread
import httplib2
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import Resource, build
from gspread.http_client import HTTPClient

GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")
API_PATHS = {"sheets": "/", "drive": "/drive/v3/", "docs": "/", "gmail": "/"}
VERSIONS = {"sheets": "v4", "drive": "v3", "docs": "v1", "gmail": "v1"}


class FakeHTTPClient(HTTPClient):
    """gspread's HTTP client with Google's hosts swapped for ``base_url``."""

    base_url: ClassVar[str] = ""

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        for host in GOOGLE_HOSTS:
            if endpoint.startswith(host):
                endpoint = self.base_url + endpoint[len(host) :]
                break
        return super().request(method, endpoint, *args, **kwargs)


def http_client_for(base_url: str) -> type[HTTPClient]:
    """A FakeHTTPClient subclass bound to one server (gspread wants a class)."""
    return type("FakeHTTPClient", (FakeHTTPClient,), {"base_url": base_url.rstrip("/")})


def credentials(token: str = "test") -> Credentials:
    return Credentials(token=token)


def gspread_client(base_url: str, token: str = "test", timeout: float | None = None) -> gspread.Client:
    """A real ``gspread.Client`` talking to the fake at ``base_url``."""
    client = gspread.Client(auth=credentials(token), http_client=http_client_for(base_url))
    if timeout is not None:
        client.set_timeout(timeout)
    return client


class LocalHttp(httplib2.Http):
    """httplib2 transport that sends the fake's https URLs over plain HTTP."""

    def __init__(self, base_url: str, timeout: float | None = None) -> None:
        super().__init__(timeout=timeout)
        self.plain = base_url.rstrip("/")
        self.secure = "https://" + self.plain.split("://", 1)[1]
        self.redirect_codes = self.redirect_codes - {308}

    def request(
        self, uri: str, method: str = "GET", body: Any = None, headers: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        if uri.startswith(self.secure):
            uri = self.plain + uri[len(self.secure) :]
        return super().request(uri, method, body, headers, *args, **kwargs)


def api_endpoint(base_url: str, api: str) -> str:
    """The ``client_options["api_endpoint"]`` for an API (Drive needs ``/drive/v3/``)."""
    return base_url.rstrip("/") + API_PATHS[api]


def google_service(
    base_url: str, api: str, version: str | None = None, token: str = "test", timeout: float | None = None
) -> Resource:
    """A googleapiclient service (``sheets``, ``drive``, ``docs``, ``gmail``) on the fake."""
    http = google_auth_httplib2.AuthorizedHttp(credentials(token), http=LocalHttp(base_url, timeout))
    return build(
        api,
        version or VERSIONS[api],
        http=http,
        client_options={"api_endpoint": api_endpoint(base_url, api)},
        static_discovery=True,
        cache_discovery=False,
    )
