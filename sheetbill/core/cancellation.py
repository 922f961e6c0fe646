"""What voiding an invoice did with the money paid on it.

A credit note cancels what was still open on the invoice it voids; what had
been paid on it becomes the client's credit on the credit note's day
(`core.account`), and from there is set against invoices made since (often
the one that replaces it, in the same run), paid back to the client (a
refund taken out of that credit, also one dated before the void that waited
for it; or reversed by the client's bank, a card dispute the practice lost),
or kept as credit. Both the void invoice's document and its credit
note's say so, from these figures: what the voids of an account say is kept,
all together, is never more than the credit the account holds at the end of
the day (a refund is one void's, the one its row names or else the oldest's,
not each one's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from .model import Allocation
from .number import ZERO
from .refund_share import refund_shares, void_money

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
    reversed: Decimal = ZERO  # of it, what the client's bank took back (chargebacks out of the credit)

    @property
    def kept(self) -> Decimal:
        """What of the money paid on it is still the client's credit."""
        return self.paid - sum((a.amount for a in self.set_against), ZERO) - self.refunded - self.reversed


def cancellation(account: Account, invoice_no: str, day: date) -> Cancellation | None:
    """The cancellation of `invoice_no` as of the end of `day`; None when it is not a void invoice
    of the account.

    What of its money went back to the client is what the refunds took of it (`core.refund_share`):
    they come out of money no void set free first, then out of what the voids set free, the void the
    refund's row names first, then the oldest void's, so that each void is told only its own share and
    what all of them say is kept is never more than the credit the account holds at the end of `day`.
    Of that, what chargebacks took (money the client's bank took back) is told apart from refunds."""
    c = account.charge(invoice_no)
    if c is None or not c.void:
        return None
    paid, against = void_money(account, {c.invoice_no}, day)
    reversal = {r.payment_id for r in account.received if r.chargeback}
    refunded = reversed_ = ZERO
    for payment_id, share in refund_shares(account, day, also=c.invoice_no).items():
        took = sum((amount for number, amount in share.from_voids if number == c.invoice_no), ZERO)
        if payment_id in reversal:
            reversed_ += took
        else:
            refunded += took
    return Cancellation(c.invoice_no, c.voided_by, c.voided_on, paid[c.invoice_no],
                        tuple(Allocation(number, amount) for number, amount in against[c.invoice_no].items()),
                        refunded, reversed_)
