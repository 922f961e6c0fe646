"""`sheetbill audit`: the Invoices tab's Paid against the clients' accounts.

Every document (invoice, receipt, statement, reminder, email) takes its figures
from the client's account (`core.account`), which counts a payment for the client
its Client names, else for the client of the invoices its money is on. The
Invoices tab's Paid counts every payment applied to the invoice. When the two
disagree (a payment whose Client names another client than its invoices', or
one the account cannot place), the documents ask for money the ledger says is
paid: that is a finding, as is an applied payment no account counts at all.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable, Iterable, Sequence

from .account import accounts, owner_of
from .lifecycle import is_draft_key
from .model import ISSUED, Client, Invoice, Payment
from .number import CENT, ZERO, fmt


def account_findings(clients: Sequence[Client], invoices: Sequence[Invoice], payments: Sequence[Payment],
                     credit_note: Callable[[str], bool], minor: Decimal = CENT) -> list[str]:
    """Sentences for each issued invoice whose Paid is not what its client's account has on it,
    and each applied payment that no client's account counts."""
    book = accounts(clients, invoices, payments, credit_note)
    owner = owner_of(clients, invoices)
    out = []
    for inv in invoices:
        if (inv.status not in ISSUED or credit_note(inv.invoice_no) or is_draft_key(inv.invoice_no)
                or inv.client_id not in book):
            continue
        counted = book[inv.client_id].shown_paid(inv.invoice_no)
        if counted != inv.paid:
            why = _elsewhere(inv, payments, owner, minor)
            out.append(f"{inv.invoice_no}: Paid {fmt(inv.paid, minor)} but the account of client {inv.client_id}, from "
                       f"which its documents are made, has {fmt(counted, minor)} on it{why}")
    for p in payments:
        if p.applied and owner(p) is None:
            out.append(f"Payment {p.payment_id} is applied but no client's account counts it: its Client "
                       f"'{p.client.strip()}' is not in Clients and its money is on no invoice; "
                       "put the Client ID in its Client cell")
    return out


def _elsewhere(inv: Invoice, payments: Iterable[Payment], owner: Callable[[Payment], str | None],
               minor: Decimal) -> str:
    """Which payments on `inv` the account of its client does not count, and why."""
    parts = []
    for p in payments:
        on = sum((a.amount for a in p.applied if a.invoice_no.strip().upper() == inv.invoice_no.strip().upper()), ZERO)
        if not on:
            continue
        cid = owner(p)
        if cid != inv.client_id:
            whose = f"client {cid}" if cid else "no client in Clients"
            parts.append(f"payment {p.payment_id} ({fmt(on, minor)}), whose Client '{p.client.strip()}' names {whose}")
        elif p.date is None or p.amount is None:
            parts.append(f"payment {p.payment_id} ({fmt(on, minor)}), which has no {'Date' if p.date is None else 'Amount'}")
    return f" (not counted: {'; '.join(parts)})" if parts else ""
