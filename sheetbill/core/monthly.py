"""Which monthly statements are due: last month's, to every client with invoices or
payments in it, or with an invoice still open at its end (each sent once, see
`marks.statement_key`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from .account import owner_of
from .model import Client, Invoice, Payment


def last_month(today: date) -> tuple[date, date]:
    """The first and last day of the month before `today`'s."""
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def statements_due(today: date, clients: Iterable[Client], invoices: Iterable[Invoice],
                   payments: Iterable[Payment], owing: Callable[[str, date], bool] = lambda cid, day: False,
                   skip: Callable[[str], bool] = lambda cid: False) -> list[Client]:
    """The clients (in the Clients tab's order) with an invoice issued or a payment applied last
    month, or for whom `owing(client_id, last month's last day)` (an invoice open then: a client
    who neither bought nor paid still hears what they owe). `skip`: clients left out before
    `owing` is asked (their statement went out already)."""
    clients, invoices = tuple(clients), tuple(invoices)
    start, end = last_month(today)
    active = {i.client_id for i in invoices if i.issue_date and start <= i.issue_date <= end}
    owner = owner_of(clients, invoices)
    active |= {cid for p in payments if p.date and start <= p.date <= end and p.applied
               and (cid := owner(p)) is not None}
    return [c for c in clients if not skip(c.client_id) and (c.client_id in active or owing(c.client_id, end))]
