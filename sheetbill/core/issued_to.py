"""Whom an invoice was issued to: the name and address it was sent with.

The Invoices row keeps the client's name as issued (Client Name); the address
lives only in Clients, where a person may change it after the invoice went. So
when a cycle finds a client's Address edited, the address before the edit is
kept in the worker's state for each of that client's invoices still open
(`issued-to/<invoice>`), the ones a reminder may attach again. A reminder's copy
of the invoice then shows the name and address the client got it with, while
the reminder's email is written to the client as Clients says today.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from .changelog import Change
from .model import Client, Invoice
from .payments import PAYABLE

ISSUED_TO = "issued-to/"


def kept_addresses(edits: Iterable[Change], invoices: Iterable[Invoice], state: Mapping[str, str],
                   clients_tab: str, address_header: str) -> dict[str, str]:
    """The state entries to write with a cycle's human `edits`: for each Address edited in
    `clients_tab`, the address before it, for the client's open invoices that keep none yet."""
    before = {e.key: e.before for e in edits
              if e.action == "edit" and e.tab == clients_tab and e.field == address_header}
    if not before:
        return {}
    out: dict[str, str] = {}
    for inv in invoices:
        key = ISSUED_TO + inv.invoice_no
        if (inv.client_id in before and inv.invoice_no and inv.status in PAYABLE and inv.balance > 0
                and key not in state):
            out[key] = before[inv.client_id]
    return out


def as_issued(client: Client, invoice: Invoice, state: Mapping[str, str]) -> Client:
    """`client` with the name and address `invoice` was issued to."""
    address = state.get(ISSUED_TO + invoice.invoice_no)
    return replace(client, name=invoice.client_name or client.name,
                   address=client.address if address is None else address)
