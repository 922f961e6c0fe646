"""What voiding an invoice did with the money paid on it.

A credit note cancels what was still open on the invoice it voids; what had
been paid on it becomes the client's credit on the credit note's day
(`core.account`), and from there is set against invoices made since (often
the one that replaces it, in the same run), paid back to the client (a
refund taken out of that credit, also one dated before the void that waited
for it), or kept as credit. Both the void invoice's document and its credit
note's say so, from these figures: what is kept is never more than the
credit the account holds at the end of the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from .model import Allocation
from .number import ZERO

if TYPE_CHECKING:  # the account makes its documents' cancellations
    from .account import Account


@dataclass(frozen=True, slots=True)
class Cancellation:
    """A void invoice, the credit note that voids it and, as of a day, where its money went."""

    invoice_no: str  # the void invoice
    credit_note: str  # the credit note that voids it ("" when none is on the account)
    on: date | None  # that credit note's date
    paid: Decimal  # what had been paid on the invoice: credit from the void on
    set_against: tuple[Allocation, ...]  # of it, what invoices took since, in the order they took it
    refunded: Decimal = ZERO  # of it, what was paid back to the client (refunds out of the credit)

    @property
    def kept(self) -> Decimal:
        """What of the money paid on it is still the client's credit."""
        return self.paid - sum((a.amount for a in self.set_against), ZERO) - self.refunded


def cancellation(account: Account, invoice_no: str, day: date) -> Cancellation | None:
    """The cancellation of `invoice_no` as of the end of `day`; None when it is not a void invoice
    of the account."""
    c = account.charge(invoice_no)
    if c is None or not c.void:
        return None
    paid = ZERO
    against: dict[str, Decimal] = {}  # invoice -> what it took of the money
    for r in account.received:
        for a in r.applications:
            if a.on > day:
                continue
            if a.invoice_no == c.invoice_no:
                paid += a.amount
            for source, amount in a.freed:
                if source == c.invoice_no:
                    against[a.invoice_no] = against.get(a.invoice_no, ZERO) + amount
    left = paid - sum(against.values(), ZERO)  # not on an invoice: credit, unless refunds took it
    kept = min(left, max(ZERO, account.credit(day))) if left > 0 else left
    return Cancellation(c.invoice_no, c.voided_by, c.voided_on, paid,
                        tuple(Allocation(number, amount) for number, amount in against.items()), left - kept)
