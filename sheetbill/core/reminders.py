"""Payment reminders: which overdue invoice gets which reminder today.

Levels come from the config's days after the due date (e.g. 7, 21, 45): an
invoice that is that many days overdue and still open gets that level's
reminder once. An invoice that is already past several levels (the worker
was off) gets only the highest, never a burst. Reminders already sent are
recorded (`sent`: invoice -> highest level sent).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping

from .model import Invoice, InvoiceStatus

OPEN = frozenset({InvoiceStatus.FINALIZED, InvoiceStatus.PARTIALLY_PAID})
STOP_WORDS = frozenset({"no", "stop", "never", "none", "off", "false", "0"})


@dataclass(frozen=True)
class Reminder:
    invoice: Invoice
    level: int  # 1-based
    days_overdue: int


def due_reminders(invoices: Iterable[Invoice], days: tuple[int, ...], sent: Mapping[str, int], today: date,
                  muted_clients: frozenset[str] = frozenset(), muted_invoices: frozenset[str] = frozenset(),
                  credit_note=lambda number: False) -> list[Reminder]:
    out = []
    for inv in invoices:
        if (inv.status not in OPEN or inv.balance <= 0 or not inv.sent_at or inv.due_date is None
                or inv.client_id in muted_clients or inv.invoice_no in muted_invoices or credit_note(inv.invoice_no)):
            continue
        overdue = (today - inv.due_date).days
        level = sum(1 for d in days if overdue >= d)
        if level > sent.get(inv.invoice_no, 0):
            out.append(Reminder(inv, level, overdue))
    return out


def muted(flag_text: str) -> bool:
    """A Reminders cell that says not to remind (No, Stop...)."""
    return flag_text.strip().lower() in STOP_WORDS
