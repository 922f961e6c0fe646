"""What each refund of an account came out of, as of a day.

Money is paid back out of the client's credit: money no void set free first
(left over from payments), then what the voids set free and invoices did not
take since, in the refunds' order. Of the voids' money, a refund takes first
from the invoice its row names (its Invoice No) when that invoice is among
them (a refund of a charge that paid several names them all: the last paid
first, as `Account.taken_back` says what came off each), then from the
oldest void (by its credit note's day, then the invoices' order). What no credit covers yet is still owed: a refund paid back before
the void whose credit it comes out of (a card refund made on the card
service, or a chargeback: a card payment the client's bank reversed) is
settled by that credit once the credit note is made. A chargeback is money
back like a refund and takes its share the same way; the documents word it
as the bank's.

Every document says where a refund's money came from with these shares: the
credit notes and the void invoices' Paid (`core.cancellation`), the statement
and the refund receipt (`core.account`), so that they name the same voids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from .number import ZERO

if TYPE_CHECKING:  # the account asks for its refunds' shares
    from .account import Account


@dataclass(frozen=True, slots=True)
class RefundShare:
    """Where one refund's money came from."""

    out_of_credit: Decimal  # out of money no void set free
    from_voids: tuple[tuple[str, Decimal], ...]  # (void invoice, amount): out of the money its void set free
    owed: Decimal  # not covered by any credit yet

    def voided_after(self, account: Account, day: date) -> tuple[str, ...]:
        """The voids it comes out of whose credit notes are dated after `day` (the refund's): the
        invoices whose cancellation settles what was paid back ahead of it."""
        return tuple(number for number, _ in self.from_voids
                     if (c := account.charge(number)) is not None and c.voided_on is not None and c.voided_on > day)


def refund_shares(account: Account, day: date, also: str = "") -> dict[str, RefundShare]:
    """Each refund dated by `day` (its Payment ID) and what it came out of, as of the end of `day`;
    `also`: a void invoice counted among the voids though its credit note is dated later."""
    voids = [v for v in account.charges if v.void and (v.void_by(day) or v.invoice_no == also)]
    paid, against = void_money(account, {v.invoice_no for v in voids}, day)
    left = {v.invoice_no: max(ZERO, paid[v.invoice_no] - sum(against[v.invoice_no].values(), ZERO)) for v in voids}
    oldest = [v.invoice_no for v in sorted(voids, key=lambda v: (v.voided_on or v.issue_date, v.order))]
    refunds = [r for r in account.received if r.refund and r.date <= day]
    # money not on an invoice and no void's: the credit, less the voids' money, before the refunds
    free = max(ZERO, account.credit(day) - sum((r.amount for r in refunds), ZERO) - sum(left.values(), ZERO))
    out = {}
    for r in refunds:
        need = -r.amount
        out_of_credit = min(need, free)
        free -= out_of_credit
        need -= out_of_credit
        # the voids its row names (a charge that paid several: the last paid first, as `Account.taken_back`)
        first = [number for number in reversed(r.named) if number in left]
        taken = []
        for number in first + [n for n in oldest if n not in first]:
            take = min(need, left[number])
            if take > 0:
                taken.append((number, take))
                left[number] -= take
                need -= take
        out[r.payment_id] = RefundShare(out_of_credit, tuple(taken), need)
    return out


def void_money(account: Account, voided: set[str], day: date) -> tuple[dict[str, Decimal], dict[str, dict[str, Decimal]]]:
    """Of each invoice in `voided`, by the end of `day`: what had been paid on it, and what each
    invoice took of that money since (in the order they took it)."""
    paid = dict.fromkeys(voided, ZERO)
    against: dict[str, dict[str, Decimal]] = {number: {} for number in voided}
    for r in account.received:
        for a in r.applications:
            if a.on > day:
                continue
            if a.invoice_no in paid:
                paid[a.invoice_no] += a.amount
            for source, amount in a.freed:
                if source in against:
                    took = against[source]
                    took[a.invoice_no] = took.get(a.invoice_no, ZERO) + amount
    return paid, against
