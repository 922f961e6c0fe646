"""Google's refusals as sentences a practice can act on."""

from __future__ import annotations

from .retry import ApiFailure

API_NAMES = {"sheets.googleapis.com": "Google Sheets API", "drive.googleapis.com": "Google Drive API",
             "docs.googleapis.com": "Google Docs API", "gmail.googleapis.com": "Gmail API"}
SCOPE_REASONS = frozenset({"ACCESS_TOKEN_SCOPE_INSUFFICIENT", "insufficientPermissions"})


def explain(failure: ApiFailure, what: str) -> str:
    """What went wrong while doing `what` ("reading the spreadsheet"), and what to do."""
    if failure.reason in ("SERVICE_DISABLED", "accessNotConfigured"):
        service = next((d.get("metadata", {}).get("service", "") for d in failure.details if d.get("metadata")), "")
        link = next((link.get("url", "") for d in failure.details for link in d.get("links") or ()), "")
        name = API_NAMES.get(service, service or "an API sheetbill needs")
        where = f" at {link}" if link else " in the Google Cloud console (APIs & Services > Library)"
        return (f"{what}: the {name} is not enabled in the Google Cloud project of these credentials; "
                f"enable it{where}, wait a minute, and try again")
    if failure.status == 401:
        return (f"{what}: Google did not accept the credentials ({failure.message}); "
                "sign in again with `sheetbill auth google`")
    if failure.status == 403 and failure.reason in SCOPE_REASONS:
        return (f"{what}: the sign-in does not include the permission this needs ({failure.message}); "
                "run `sheetbill auth google` again")
    if failure.status == 403:
        return (f"{what}: access denied ({failure.message}); share it (as Editor) with the Google account or "
                "service account sheetbill signs in as")
    if failure.status == 404:
        return (f"{what}: not found ({failure.message}); check the id in the config, and that it is shared "
                "with sheetbill's account")
    if failure.transient:
        return f"{what}: Google did not answer ({failure.message}); nothing was lost, the next run tries again"
    return f"{what}: Google refused it ({failure.message})"
