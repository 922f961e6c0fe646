"""Open invoices whose client's row is gone from Clients (deleted, or its Client ID typed
over): reminders and statements need the client's address, so they stop for that client
without a word unless the admin hears of it, on every cycle until the row is back."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from .model import ISSUED, Client, Invoice
from .number import CENT, ZERO, fmt


def missing_clients(clients: Iterable[Client], invoices: Iterable[Invoice], minor: Decimal = CENT) -> list[str]:
    """One sentence per client with open invoices who is not in Clients, in Client ID order."""
    known = {c.client_id for c in clients}
    open_of: dict[str, list[Invoice]] = {}
    for inv in invoices:
        if inv.status in ISSUED and inv.balance > 0 and inv.client_id not in known:
            open_of.setdefault(inv.client_id, []).append(inv)
    out = []
    for cid, open_invoices in sorted(open_of.items()):
        owed = sum((i.balance for i in open_invoices), ZERO)
        numbers = ", ".join(i.invoice_no for i in open_invoices[:3]) + (", ..." if len(open_invoices) > 3 else "")
        name = open_invoices[0].client_name
        out.append(f"Client {cid}{f' ({name})' if name else ''} is not in Clients (its row deleted, or its Client ID "
                   f"typed over), but {len(open_invoices)} of its invoices are open ({numbers}; {fmt(owed, minor)} "
                   "in all): no reminder or statement can reach the client. Put the row back (the Changelog "
                   "has what it held)")
    return out
