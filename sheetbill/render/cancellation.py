"""The sentences of a cancellation (`core.cancellation`), in the document's language:
what the credit note cancels, and what became of the money paid on the
cancelled invoice. Every figure is the account's; nothing is added up here
beyond joining its parts into one sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..core.cancellation import Cancellation
from ..language import N_

Money = Callable[[Decimal], str]

_NOTHING_PAID = N_("Nothing had been paid on it: there is nothing to pay on it.")
_ALL_SET_AGAINST = N_("The {amount} paid on it is set against invoice {invoice}.")
_ALL_KEPT = N_("The {amount} paid on it is kept as credit on your account: it will be set against your next "
               "invoice, or refunded if you ask us to.")
_ALL_REFUNDED = N_("The {amount} paid on it has been refunded to you.")
_ALL_REVERSED = N_("The {amount} paid on it was disputed with your bank and taken back by it.")
_PAID_IN_PARTS = N_("{amount} had been paid on it: {parts}.")
_PART_SET_AGAINST = N_("{amount} is set against invoice {invoice}")
_PART_REFUNDED = N_("{amount} has been refunded to you")
_PART_REVERSED = N_("{amount} was disputed with your bank and taken back by it")
_PART_KEPT = N_("{amount} is kept as credit on your account")
_CANCELLED_BY = N_("This invoice was cancelled by credit note {credit_note} of {date}: nothing is open on it "
                   "and there is nothing to pay.")
_VOID = N_("This invoice is void: nothing is open on it and there is nothing to pay.")


def settlement(c: Cancellation, amount: Money, _: Callable[[str], str]) -> str:
    """What became of the money paid on the cancelled invoice: set against which invoices, refunded,
    kept as credit (only what the account still holds), or that nothing had been paid."""
    if c.paid <= 0:
        return _(_NOTHING_PAID)
    kept, refunded, reversed_ = c.kept, c.refunded, c.reversed
    if not c.set_against and refunded <= 0 and reversed_ <= 0:
        return _(_ALL_KEPT).format(amount=amount(c.paid))
    if not c.set_against and kept <= 0 and reversed_ <= 0:
        return _(_ALL_REFUNDED).format(amount=amount(c.paid))
    if not c.set_against and kept <= 0 and refunded <= 0:
        return _(_ALL_REVERSED).format(amount=amount(c.paid))
    if len(c.set_against) == 1 and kept <= 0 and refunded <= 0 and reversed_ <= 0:
        return _(_ALL_SET_AGAINST).format(amount=amount(c.paid), invoice=c.set_against[0].invoice_no)
    parts = [_(_PART_SET_AGAINST).format(amount=amount(a.amount), invoice=a.invoice_no) for a in c.set_against]
    if refunded > 0:
        parts.append(_(_PART_REFUNDED).format(amount=amount(refunded)))
    if reversed_ > 0:
        parts.append(_(_PART_REVERSED).format(amount=amount(reversed_)))
    if kept > 0:
        parts.append(_(_PART_KEPT).format(amount=amount(kept)))
    return _(_PAID_IN_PARTS).format(amount=amount(c.paid), parts=", ".join(parts))


def void_terms(c: Cancellation | None, amount: Money, day: Callable, _: Callable[[str], str]) -> str:
    """A void invoice's payment sentence: cancelled by which credit note, nothing to pay, and
    where the money paid on it went."""
    if c is None or not c.credit_note:
        said = _(_VOID)
    else:
        said = _(_CANCELLED_BY).format(credit_note=c.credit_note, date=day(c.on))
    return f"{said} {settlement(c, amount, _)}" if c is not None and c.paid > 0 else said
