"""`sheetbill auth quickbooks`: the OAuth 2 sign-in to QuickBooks Online, once, in the browser.

The Intuit app (developer.intuit.com) has a client id and secret and the
redirect URI `http://localhost:<port>/callback`. `intuit-oauth` builds the
sign-in address and trades the code for tokens; the company (realm) comes
with the redirect. All of it is kept in `accounting.credentials`, readable
by its owner only; each push refreshes the token and writes the new refresh
token back.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Callable

from ..errors import SheetbillError
from . import tokens
from .xero_auth import wait_for_redirect


def sign_in(client_id: str, client_secret: str, target: Path, show: Callable[[str], None], port: int = 8765,
            endpoint: str | None = None, sandbox: bool = False) -> str:
    """Sign in; `show(url)` opens (or prints) the sign-in page. Returns the company's realm id."""
    from intuitlib.client import AuthClient  # type: ignore[import-untyped]
    from intuitlib.enums import Scopes  # type: ignore[import-untyped]
    from intuitlib.exceptions import AuthClientError  # type: ignore[import-untyped]

    redirect = f"http://localhost:{port}/callback"
    environment = f"{endpoint}/.well-known/openid_configuration" if endpoint else ("sandbox" if sandbox else "production")
    state = secrets.token_urlsafe(16)
    try:
        auth = AuthClient(client_id, client_secret, redirect, environment, state_token=state)
        url = auth.get_authorization_url([Scopes.ACCOUNTING], state_token=state)
        answer = wait_for_redirect(port, state, "QuickBooks", lambda: show(url))
        if not answer.get("realmId"):
            raise SheetbillError("QuickBooks sign-in: no company (realmId) in the answer")
        auth.get_bearer_token(answer["code"], realm_id=answer["realmId"])
    except AuthClientError as exc:
        raise SheetbillError(f"QuickBooks sign-in refused ({exc.status_code}): {exc.content[:200]!r}") from None
    tokens.save(target, {"system": "quickbooks", "client_id": client_id, "client_secret": client_secret,
                         "realm_id": answer["realmId"], "refresh_token": auth.refresh_token,
                         "redirect_uri": redirect, "environment": environment if not endpoint else "production"})
    return answer["realmId"]
