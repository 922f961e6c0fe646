"""What was paid for each session: the one place a superbill's "amount paid" comes from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from .model import Invoice, InvoiceStatus, Payment
from .number import ZERO


def paid_per_session(invoices: Iterable[Invoice], payments: Iterable[Payment],
                     as_of: date) -> dict[str, Decimal]:
    """Session ID -> the amount paid for it by `as_of` (included).

    The money is what the payments dated up to `as_of` applied to the session's
    invoice, as their Applied To records it (`Payment.applied`; a payment not
    applied yet pays nothing). Drafts, voided invoices and credit notes
    (negative totals) pay no session. On an invoice of several sessions (daily
    mode) the money paid goes to its sessions in the order of the invoice's
    lines, each session taking up to the total of its own lines, so the
    sessions' amounts add up to what the invoice received (never more than its
    total). Invoice numbers match as Applied To may spell them (case, spaces).

    This is the only function that turns payments into per-session amounts;
    when the account model exists, it is to answer from there.
    """
    live = {i.invoice_no.strip().upper(): i for i in invoices
            if i.invoice_no and i.total > 0 and i.status not in (InvoiceStatus.VOID,
                                                                  InvoiceStatus.DRAFT)}
    received: dict[str, Decimal] = defaultdict(Decimal)
    for p in payments:
        if p.date is None or p.amount is None or p.date > as_of:
            continue
        for a in p.applied:
            key = a.invoice_no.strip().upper()
            if key in live:
                received[key] += a.amount
    out: dict[str, Decimal] = {}
    for key, invoice in live.items():
        left = min(max(received.get(key, ZERO), ZERO), invoice.total)
        for sid in _sessions_in_line_order(invoice):
            owed = sum((line.total for line in invoice.lines if line.session_id == sid), ZERO)
            share = min(left, max(owed, ZERO))
            out[sid] = out.get(sid, ZERO) + share
            left -= share
    return out


def _sessions_in_line_order(invoice: Invoice) -> list[str]:
    order: list[str] = []
    for line in invoice.lines:
        if line.session_id and line.session_id not in order:
            order.append(line.session_id)
    return order + [sid for sid in invoice.session_ids if sid not in order]
