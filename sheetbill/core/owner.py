"""Whose money a payment is: one rule, for applying payments and for every client's account.

A payment's Client cell holds a Client ID or a client's exact name. A name
is only good for as long as the client keeps it: a client renamed in Clients
(she married) no longer answers to the name her earlier payments carry. So
once a payment is applied, the invoices its money went to (Applied To, the
worker's own record, never rewritten) say whose it is whenever the Client
cell names nobody; the Client ID a finalized invoice carries is protected.
"""

from __future__ import annotations

from typing import Callable

from .model import Payment


def payment_owner(p: Payment, client_id_of: Callable[[str], str | None],
                  invoice_client: Callable[[str], str | None]) -> str | None:
    """The Client ID whose money `p` is: the client its Client cell names (by ID or current exact
    name); when that names nobody (a client renamed since, or no Client given), the client of the
    invoices its money is on (Applied To), else of the invoice or session its Invoice No names;
    None when none of these says. `client_id_of` finds a Client cell's client, `invoice_client`
    the client of an Invoice No or Session ID (None when there is none, as for `Credit`)."""
    if p.client.strip() and (cid := client_id_of(p.client)):
        return cid
    for ref in (*(a.invoice_no for a in p.applied), p.invoice_no):
        if ref.strip() and (cid := invoice_client(ref)):
            return cid
    return None
