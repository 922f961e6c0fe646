"""Which monthly statements are due: last month's, to every client with invoices or
payments in it (each sent once, see `marks.statement_key`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

from .account import owner_of
from .model import Client, Invoice, Payment


def last_month(today: date) -> tuple[date, date]:
    """The first and last day of the month before `today`'s."""
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def statements_due(today: date, clients: Iterable[Client], invoices: Iterable[Invoice],
                   payments: Iterable[Payment]) -> list[Client]:
    """The clients (in the Clients tab's order) with an invoice issued or a payment applied last month."""
    clients, invoices = tuple(clients), tuple(invoices)
    start, end = last_month(today)
    active = {i.client_id for i in invoices if i.issue_date and start <= i.issue_date <= end}
    owner = owner_of(clients, invoices)
    active |= {cid for p in payments if p.date and start <= p.date <= end and p.applied
               and (cid := owner(p)) is not None}
    return [c for c in clients if c.client_id in active]
