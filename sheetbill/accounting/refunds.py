"""Whose credit a refund pays back, as the exported books carry that credit.

A refund (money paid back out of a client's credit) closes open credit on
the client's account in the accounting system, and an open item there is
known by the document it was booked under: money a payment left over is
booked under the Payment ID; money on an invoice that a credit note later
voided was booked under that invoice, when the payment was exported before
the void (a payment exported with the void is booked as credit under its
Payment ID, see `journal`). Taken from the client's account (core.account):
the money of each payment not on a live invoice at the period's end, oldest
credit first, as the account spends credit on invoices.

A payment dated before the period is taken as exported in a file that ended
the day before the period begins (the files of a practice follow each other).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ..core.account import Account
from ..core.account import Received as AccountPayment
from ..core.model import Allocation
from ..core.number import ZERO


def repaid(account: Account, date_from: date, date_to: date) -> dict[str, tuple[Allocation, ...]]:
    """Each refund of the account dated by `date_to`: the credit it pays back, as `(document, -amount)`
    per document the credit is booked under (a Payment ID or a voided invoice's number), oldest credit
    first; `("", -amount)` for what no credit on the account covers."""
    parts: list[list] = []  # [from when (date, row), document, amount]
    refunds = []
    for r in account.received:
        if r.date > date_to:
            continue
        if r.refund:
            refunds.append(r)
        else:
            parts += _credit_of(account, r, date_from, date_to)
    parts.sort(key=lambda part: part[0])
    out: dict[str, tuple[Allocation, ...]] = {}
    for refund in refunds:
        left = -refund.amount
        taken: dict[str, Decimal] = {}
        for part in parts:
            if left <= 0:
                break
            if part[0] > refund.order or part[2] <= 0:
                continue
            take = min(left, part[2])
            part[2] -= take
            left -= take
            taken[part[1]] = taken.get(part[1], ZERO) + take
        if left > 0:
            taken[""] = taken.get("", ZERO) + left
        out[refund.payment_id] = tuple(Allocation(document, -amount) for document, amount in taken.items())
    return out


def _credit_of(account: Account, r: AccountPayment, date_from: date, date_to: date) -> list[list]:
    """The payment's money not on a live invoice at the end of `date_to`: what it left over (from its
    own place in the series) and what each void set free (from the void's day)."""
    exported_to = date_to if r.date >= date_from else date_from - timedelta(days=1)
    booked = {a.invoice_no for a in account.payment_on(r.payment_id, exported_to)}
    left_over = r.amount
    freed: dict[str, list] = {}  # voided invoice -> [from when, amount]
    for a in r.applications:
        if a.on > date_to:
            continue
        left_over -= a.amount - sum((amount for _, amount in a.freed), ZERO)
        for invoice_no, amount in a.freed:
            freed.setdefault(invoice_no, [(a.on, -1), ZERO])[1] -= amount
        if a.void_from is not None and a.void_from <= date_to:
            part = freed.setdefault(a.invoice_no, [(max(a.on, a.void_from), -1), ZERO])
            part[0] = min(part[0], (max(a.on, a.void_from), -1))
            part[1] += a.amount
    out = [[r.order, r.payment_id, max(left_over, ZERO)]]
    out += [[when, invoice_no if invoice_no in booked else r.payment_id, amount]
            for invoice_no, (when, amount) in freed.items()]
    return out
