"""A Xero connection from the stored sign-in: the SDK's client, tokens refreshed by the SDK
and written back (owner-only) whenever it refreshes them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from . import tokens
from .settings import AccountingSettings
from .xero_books import XeroBooks

SCOPES = ("offline_access", "accounting.transactions", "accounting.contacts", "accounting.settings.read")
API = "https://api.xero.com/api.xro/2.0"


def books(path: Path, settings: AccountingSettings, minor: Decimal, endpoint: str | None = None) -> XeroBooks:
    """`endpoint`: another host for the API (a test's fake)."""
    from xero_python.accounting import AccountingApi  # type: ignore[import-untyped]
    from xero_python.api_client import ApiClient, Configuration  # type: ignore[import-untyped]
    from xero_python.api_client.oauth2 import OAuth2Token  # type: ignore[import-untyped]

    stored = tokens.load(path, "xero")

    def getter() -> dict:
        return stored["token"]

    def saver(token: dict) -> None:
        stored["token"] = token
        tokens.save(path, stored)

    client = ApiClient(Configuration(oauth2_token=OAuth2Token(client_id=stored["client_id"],
                                                             client_secret=stored["client_secret"])),
                       pool_threads=1, oauth2_token_getter=getter, oauth2_token_saver=saver)
    _no_silent_resends(client)
    api = AccountingApi(client, base_url=(endpoint.rstrip("/") + "/api.xro/2.0") if endpoint else API)
    return XeroBooks(api, stored["tenant_id"], settings, minor)


def _no_silent_resends(client) -> None:
    """The SDK's urllib3 pool would resend a PUT whose answer was lost and sleep through 429s on
    its own; sheetbill looks documents up before any create and waits for the rate limit itself
    (XeroBooks), so the pool is made to try each request once."""
    import certifi
    import urllib3

    client.rest_client.pool_manager = urllib3.PoolManager(num_pools=4, maxsize=4, cert_reqs="CERT_REQUIRED",
                                                          ca_certs=certifi.where(), retries=False)
