"""Signing in to Google: which permissions (scopes) sheetbill asks for, the
one-time sign-in, and the credentials file it leaves behind.

Two ways to sign in:
- a person's Google account (personal or Workspace), through the OAuth
  "installed app" flow: `sheetbill auth google --client-secrets FILE` opens
  the browser once and writes a token (with a refresh token) to
  `google.credentials`;
- a service account: its key file is `google.credentials` (copied there,
  owner-only, by `sheetbill auth google --service-account KEY`). It sees
  only what is shared with its email address, and sends mail only through
  Workspace domain-wide delegation (`google.impersonate`).

Either way the file is written readable by its owner only (mode 600).
"""

from __future__ import annotations

import functools
import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from google.auth.credentials import Credentials

from ..errors import ConfigError

if TYPE_CHECKING:
    from ..config import GoogleSettings
    from .http import Google

SPREADSHEETS = "https://www.googleapis.com/auth/spreadsheets"
DRIVE_FILE = "https://www.googleapis.com/auth/drive.file"
DRIVE = "https://www.googleapis.com/auth/drive"
GMAIL_SEND = "https://www.googleapis.com/auth/gmail.send"
GMAIL_READ = "https://www.googleapis.com/auth/gmail.readonly"


def scopes(gmail: bool, service_account: bool) -> list[str]:
    """The permissions sheetbill needs, and no more.

    - spreadsheets: read the practice's sheet and write invoices back;
    - drive.file (a person): only the files sheetbill itself creates: the
      PDF folder, the Docs template made by `init --google`, the PDFs;
      drive (a service account, which sees only files shared with it): the
      shared folder and template;
    - gmail.send: send the invoice emails;
    - gmail.readonly: look an email up by its Message-ID before sending it
      again after an interrupted run (Gmail's search needs it), so a client
      never gets an invoice twice.
    """
    out = [SPREADSHEETS, DRIVE if service_account else DRIVE_FILE]
    if gmail:
        out += [GMAIL_SEND, GMAIL_READ]
    return out


@functools.lru_cache(maxsize=8)
def connect(settings: "GoogleSettings", gmail: bool, base_url: str | None = None) -> "Google":
    """One connection (one session, services built once) per config and process."""
    from .http import Google

    wanted = scopes(gmail, is_service_account(settings.credentials))
    return Google(load(settings.credentials, wanted, settings.impersonate), base_url)


def is_service_account(path: Path) -> bool:
    return _info(path).get("type") == "service_account"


def load(path: Path, wanted: Sequence[str], impersonate: str | None = None) -> Credentials:
    """The credentials in `path` (a token from `sheetbill auth google`, or a
    service-account key), for the `wanted` scopes."""
    info = _info(path)
    if info.get("type") == "service_account":
        from google.oauth2 import service_account

        try:
            return service_account.Credentials.from_service_account_info(
                info, scopes=list(wanted), subject=impersonate or None)
        except ValueError as error:
            raise ConfigError(f"google.credentials: {path.name} is not a usable service-account key ({error})") from None
    from google.oauth2.credentials import Credentials as UserCredentials

    try:
        return UserCredentials.from_authorized_user_info(info)
    except ValueError as error:
        raise ConfigError(f"google.credentials: {path.name} is not a sheetbill token ({error}); "
                          "sign in with `sheetbill auth google`") from None


def sign_in(client_secrets: Path, wanted: Sequence[str], target: Path, open_browser: bool = True) -> str:
    """The OAuth installed-app flow: the person signs in in the browser once;
    the token goes to `target` (owner-only). Returns the signed-in account."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    if not client_secrets.is_file():
        raise ConfigError(f"{client_secrets}: no such file (download the OAuth client of type Desktop app "
                          "from the Google Cloud console, APIs & Services > Credentials)")
    try:
        flow = InstalledAppFlow.from_client_secrets_file(str(client_secrets), scopes=list(wanted))
    except ValueError as exc:  # not JSON, or not an OAuth client file (JSONDecodeError is a ValueError)
        raise ConfigError(f"{client_secrets}: not an OAuth client file ({exc}); download the client of type "
                          "Desktop app from the Google Cloud console, APIs & Services > Credentials") from None
    credentials = flow.run_local_server(port=0, open_browser=open_browser)
    write_private(target, credentials.to_json().encode())
    return getattr(credentials, "account", "") or "your Google account"


def keep_service_account(key: Path, target: Path) -> str:
    """Copy a service-account key to `target` (owner-only); returns the
    account's email address, to share the spreadsheet with."""
    info = _info(key)
    if info.get("type") != "service_account":
        raise ConfigError(f"{key}: not a service-account key file (its \"type\" is not service_account)")
    write_private(target, key.read_bytes())
    return str(info.get("client_email", ""))


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically, readable and writable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
        os.write(descriptor, data)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(temporary, path)


def owner_only(path: Path) -> bool:
    """Whether nobody but the file's owner can read it."""
    return not path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO)


def _info(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"google.credentials: {path} does not exist; sign in with `sheetbill auth google`") from None
    except (OSError, ValueError) as error:
        raise ConfigError(f"google.credentials: cannot read {path} ({error})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"google.credentials: {path} is not a credentials file")
    return data
