"""A QuickBooks Online connection from the stored sign-in: `intuit-oauth` refreshes the
token at the start of each push (Intuit hands out a new refresh token each time, which is
written back, owner-only), `python-quickbooks` makes the calls."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from . import tokens
from .quickbooks_books import QuickBooksBooks
from .settings import AccountingSettings

MINOR_VERSION = 75


def books(path: Path, settings: AccountingSettings, minor: Decimal, endpoint: str | None = None) -> QuickBooksBooks:
    """`endpoint`: another host for the API and the sign-in (a test's fake)."""
    from intuitlib.client import AuthClient  # type: ignore[import-untyped]
    from quickbooks import QuickBooks  # type: ignore[import-untyped]

    stored = tokens.load(path, "quickbooks")  # now, so that a missing sign-in is said at once

    def connect():
        environment = (f"{endpoint}/.well-known/openid_configuration" if endpoint
                       else stored.get("environment", "production"))
        auth = AuthClient(stored["client_id"], stored["client_secret"], stored.get("redirect_uri", ""), environment,
                          refresh_token=stored["refresh_token"], realm_id=stored["realm_id"])
        client = QuickBooks(auth_client=auth, refresh_token=stored["refresh_token"], company_id=stored["realm_id"],
                            minorversion=MINOR_VERSION)
        if auth.refresh_token != stored["refresh_token"]:  # Intuit's refresh tokens rotate
            stored["refresh_token"] = auth.refresh_token
            tokens.save(path, stored)
        if endpoint:
            client.api_url_v3 = f"{endpoint}/v3"
        return client

    return QuickBooksBooks(connect, settings, minor)
