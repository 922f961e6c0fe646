"""A status cell's text -> its enum member, or None when the text names none.

A session's Status, an invoice's Status and a client's Invoice Mode are typed by
people: any case, spaces around (`per session` for `per-session`, `Finalised` for
Finalized); a session's Billing Status is written by the worker only and matches
only as written.
"""

from __future__ import annotations

from .model import BillingStatus, InvoiceMode, InvoiceStatus, SessionStatus

_SESSION = {s.value.lower(): s for s in SessionStatus}
_INVOICE = {s.value.casefold(): s for s in InvoiceStatus} | {"finalised": InvoiceStatus.FINALIZED}
_BILLING = {s.value: s for s in BillingStatus}


def session_status(text: str) -> SessionStatus | None:
    """`completed`, ` No-Show ` -> the status; "" or `Done` -> None."""
    return _SESSION.get(text.strip().lower())


def invoice_status(text: str) -> InvoiceStatus | None:
    """`Paid`, ` void `, `Finalised` -> the status; `Cancelled` or "" -> None."""
    return _INVOICE.get(" ".join(text.split()).casefold())


def billing_status(text: str) -> BillingStatus | None:
    """`Sent` -> SENT; `sent` or "" -> None."""
    return _BILLING.get(text)


def invoice_mode(text: str) -> InvoiceMode | None:
    """`Daily`, `per session`, `per-session` -> the mode; "" or `weekly` -> None."""
    text = text.strip().lower()
    for mode in InvoiceMode:
        if text == mode.value or text.replace(" ", "-") == mode.value:
            return mode
    return None
