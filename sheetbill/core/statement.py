"""A client's statement of account for a period, from the ledger alone.

`statement_for` reads the client's invoices (credit notes are invoices with a
negative total) and the allocations the payments recorded (`Payment.applied`,
the Applied To column):

- the opening balance at `date_from`: invoices issued before it minus the
  payments applied to them before it;
- the period's entries, oldest first with a running balance: invoices (+),
  credit notes (-), and each allocation of a payment to an invoice (-);
- the closing balance at `date_to` = opening + invoiced - paid;
- the credit on account at `date_to`: payment money not applied to an invoice
  (left over, or paid on an invoice since voided; refunds take it back), as
  the Clients tab's Credit counts it;
- the invoices still open at `today`, and their aging by days past the due date.

An allocation takes effect on the payment's date, or on the invoice's issue
date when credit from an earlier payment is applied to a later invoice, so
one period's closing balance is always the next period's opening balance.
Only applied payments count (a row the worker has not applied yet has an
empty Applied To). Drafts and invoices without an issue date are not on a
statement; a voided invoice is (its credit note takes it back) but is never
open, and money applied to it is credit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Iterable

from .model import Client, Invoice, InvoiceStatus, Payment
from .number import CENT, ZERO, money

INVOICE, CREDIT_NOTE, PAYMENT = "invoice", "credit_note", "payment"
_VOID = InvoiceStatus.VOID.value


@dataclass(frozen=True)
class StatementEntry:
    """One row of the period: an invoice, a credit note or a payment applied."""

    date: date
    kind: str  # INVOICE, CREDIT_NOTE or PAYMENT
    reference: str  # the invoice's or credit note's number, the payment's ID
    invoice_no: str  # the invoice concerned: itself, the one credited, the one paid
    amount: Decimal  # the change of the balance: + invoice, - credit note, - payment
    balance: Decimal  # the running balance after this entry
    method: str = ""  # payments: Card, Bank transfer, Cash, Other
    payment_reference: str = ""  # payments: the reference the client gave


@dataclass(frozen=True)
class OpenItem:
    """An invoice not fully paid at the statement's `today`."""

    invoice_no: str
    issue_date: date
    due_date: date
    total: Decimal
    open: Decimal
    days_overdue: int  # days past the due date; negative while not yet due


@dataclass(frozen=True)
class Aging:
    """What is open at `today`, by days past the due date."""

    not_due: Decimal = ZERO
    days_0_30: Decimal = ZERO
    days_31_60: Decimal = ZERO
    days_61_90: Decimal = ZERO
    over_90: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.not_due + self.days_0_30 + self.days_31_60 + self.days_61_90 + self.over_90


@dataclass(frozen=True)
class Statement:
    client_id: str
    date_from: date
    date_to: date
    today: date  # the statement's date; open items and aging are as of this day
    opening: Decimal
    entries: tuple[StatementEntry, ...]
    closing: Decimal
    credit: Decimal  # payment money not applied to any invoice at `date_to`
    open_items: tuple[OpenItem, ...]
    aging: Aging

    @property
    def invoiced(self) -> Decimal:
        """Invoices less credit notes of the period."""
        return sum((e.amount for e in self.entries if e.kind != PAYMENT), ZERO)

    @property
    def paid(self) -> Decimal:
        """Payments applied in the period (a positive amount)."""
        return -sum((e.amount for e in self.entries if e.kind == PAYMENT), ZERO)

    @property
    def due(self) -> Decimal:
        """The closing balance less the credit on account."""
        return self.closing - self.credit


@dataclass(frozen=True)
class _Applied:
    """One allocation of a payment, dated when it takes effect."""

    day: date
    payment: Payment
    invoice_no: str
    amount: Decimal


def statement_for(client: Client, invoices: Iterable[Invoice], payments: Iterable[Payment],
                  date_from: date, date_to: date, today: date,
                  minor: Decimal = CENT) -> Statement:
    """The statement of `client` from `date_from` to `date_to` (both included).

    `invoices` and `payments` may be the whole ledger: other clients' rows are
    left out. Raises ValueError when the period ends before it starts.
    """
    if date_to < date_from:
        raise ValueError(f"the period ends ({date_to}) before it starts ({date_from})")
    own = {_key(i.invoice_no): i for i in invoices
           if _billed(i) and i.client_id == client.client_id}
    mine = [p for p in payments if p.applied and p.date is not None and p.amount is not None
            and _owned(p, client, own)]
    applied = [_Applied(max(p.date, own[_key(a.invoice_no)].issue_date), p,
                        own[_key(a.invoice_no)].invoice_no, a.amount)
               for p in mine for a in p.applied
               if _key(a.invoice_no) in own and own[_key(a.invoice_no)].status != _VOID]

    opening = money(sum((i.total for i in own.values() if i.issue_date < date_from), ZERO)
                    - sum((a.amount for a in applied if a.day < date_from), ZERO), minor)
    entries = _entries(own.values(), applied, date_from, date_to, opening, minor)
    items = _open_items(own.values(), applied, today, minor)
    return Statement(
        client_id=client.client_id, date_from=date_from, date_to=date_to, today=today,
        opening=opening, entries=entries, closing=entries[-1].balance if entries else opening,
        credit=money(_credit(mine, applied, date_to), minor), open_items=items,
        aging=_aging(items, minor))


def _billed(invoice: Invoice) -> bool:
    return (invoice.status != InvoiceStatus.DRAFT.value and invoice.issue_date is not None
            and bool(invoice.invoice_no))


def _key(invoice_no: str) -> str:
    """Invoice numbers as Applied To may spell them (typed by hand: `inv-2026-0001 `)."""
    return invoice_no.strip().upper()


def _owned(payment: Payment, client: Client, own: dict[str, Invoice]) -> bool:
    """The client's money: the payment names the client (ID or exact name), or
    names none and paid the client's invoices."""
    named = " ".join(payment.client.split())
    if named:
        return named in (" ".join(client.client_id.split()), " ".join(client.name.split()))
    return any(_key(ref) in own for ref in (payment.invoice_no, *(a.invoice_no for a in
                                                                    payment.applied)))


def _entries(invoices: Iterable[Invoice], applied: list[_Applied], start: date, end: date,
             opening: Decimal, minor: Decimal) -> tuple[StatementEntry, ...]:
    rows: list[tuple[date, int, str, StatementEntry]] = []
    for i in invoices:
        if start <= i.issue_date <= end:
            credit_note = i.total < 0
            credited = i.session_ids[0] if credit_note and i.session_ids else i.invoice_no
            entry = StatementEntry(i.issue_date, CREDIT_NOTE if credit_note else INVOICE,
                                   i.invoice_no, credited, money(i.total, minor), ZERO)
            rows.append((i.issue_date, 0, i.invoice_no, entry))
    for a in applied:
        if start <= a.day <= end:
            entry = StatementEntry(a.day, PAYMENT, a.payment.payment_id, a.invoice_no,
                                   -money(a.amount, minor), ZERO, a.payment.method,
                                   a.payment.reference)
            rows.append((a.day, 1, f"{a.payment.payment_id}\n{a.invoice_no}", entry))
    balance, out = opening, []
    for *_, entry in sorted(rows, key=lambda row: row[:3]):
        balance += entry.amount
        out.append(replace(entry, balance=balance))
    return tuple(out)


def _credit(payments: list[Payment], applied: list[_Applied], day: date) -> Decimal:
    """Money received by `day` (less refunds) and not applied to an invoice by then."""
    received = sum((p.amount for p in payments if p.date <= day), ZERO)
    return max(ZERO, received - sum((a.amount for a in applied if a.day <= day), ZERO))


def _open_items(invoices: Iterable[Invoice], applied: list[_Applied], today: date,
                minor: Decimal) -> tuple[OpenItem, ...]:
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for a in applied:
        if a.day <= today:
            paid[a.invoice_no] += a.amount
    items = []
    for i in sorted(invoices, key=lambda i: (i.issue_date, i.invoice_no)):
        open_ = money(i.total - paid[i.invoice_no], minor)
        if i.total > 0 and i.status != _VOID and i.issue_date <= today \
                and open_ > 0:
            due = i.due_date or i.issue_date
            items.append(OpenItem(i.invoice_no, i.issue_date, due, money(i.total, minor),
                                  open_, (today - due).days))
    return tuple(items)


def _aging(items: tuple[OpenItem, ...], minor: Decimal) -> Aging:
    buckets = [ZERO] * 5
    for item in items:
        days = item.days_overdue
        index = 0 if days < 0 else 1 if days <= 30 else 2 if days <= 60 else \
            3 if days <= 90 else 4
        buckets[index] += item.open
    return Aging(*(money(b, minor) for b in buckets))
