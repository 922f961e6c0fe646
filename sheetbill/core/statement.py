"""A client's statement of account for a period, from the account alone.

`statement_for` takes every figure from `core.account` (the client's invoices,
credit notes and the payments as their Applied To recorded them):

- the opening balance at `date_from`: invoices and credit notes issued before
  it less the money put on invoices before it;
- the period's entries in date order with a running balance: invoices (+),
  credit notes (-, after the invoice they cancel), each payment on its own
  date (-, what it put on invoices; its whole amount is in `received`),
  credit applied later to a newer invoice (-, on that invoice's date), money
  a payment had on an invoice since voided, taken off it on the credit note's
  date (+, it is the client's credit again) and refunds (money paid back out
  of credit: the balance does not change);
- money paid back before the credit it comes out of exists (a refund made on
  the card service before the invoice it refunds is voided) is owed until
  then: while the client's credit is below nothing, the balance counts it
  (the refund +, the money a void sets free - that much less), so that the
  balance never shows as the client's a credit already paid back to them;
  such a refund's entry says how much of it was paid back ahead (`ahead`)
  and names the voided invoices whose credit settles it (`settled_by`: the
  voids the account charges it to, `core.refund_share`, the one its row
  names first), so that it is not said to come out of a credit the client
  did not have yet, and the money a void sets free says what of it settles which refund
  (`settles`), so that its line is not taken for all of it;
- the closing balance at `date_to` = opening + charges - payments;
- the credit on account at `date_to`: money received and not on an invoice
  (left over, or paid on an invoice since voided; refunds take it back);
- the invoices still open at `today`, and their aging by days past the due date.

So one period's closing balance is the next period's opening balance, and
closing - credit is what the client was charged less what they paid.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Iterable, Mapping

from .account import Account, account_of, owner_of, series_key
from .model import Client, Invoice, Payment
from .number import CENT, ZERO, money
from .refund_share import RefundShare, refund_shares

INVOICE, CREDIT_NOTE, PAYMENT, REFUND = "invoice", "credit_note", "payment", "refund"
RELEASED = "released"  # a payment's money taken off an invoice since voided
_RANK = {INVOICE: 0, CREDIT_NOTE: 1, PAYMENT: 2, RELEASED: 2, REFUND: 3}


@dataclass(frozen=True)
class StatementEntry:
    """One row of the period: an invoice, a credit note, a payment or a refund."""

    date: date
    kind: str  # INVOICE, CREDIT_NOTE, PAYMENT, RELEASED or REFUND
    reference: str  # the invoice's or credit note's number, the payment's ID
    invoice_no: str  # the invoice concerned: itself, the one credited, the ones paid (", ")
    amount: Decimal  # the change of the balance: + invoice, - credit note, - payment
    balance: Decimal  # the running balance after this entry
    method: str = ""  # payments: Card, Bank transfer, Cash, Other
    payment_reference: str = ""  # payments: the reference the client gave
    received: Decimal = ZERO  # payments: the money received (refunds: paid back, negative)
    settled_by: str = ""  # a refund paid back ahead of its credit: the voided invoices whose credit settles it (", ")
    chargeback: bool = False  # a refund that is a card payment the client's bank reversed (a dispute lost)
    settles: tuple[tuple[datetime.date, Decimal], ...] = ()  # money back from a void: the refunds paid back ahead it settles
    # (each refund's date and how much of it), which is that much less credit on this line
    reversals: int = 0  # of those, how many are chargebacks (card payments the client's bank reversed)

    @property
    def settled(self) -> Decimal:
        """Money back from a void: what of it settles refunds paid back ahead of it (not on `amount`)."""
        return sum((amount for _, amount in self.settles), ZERO)

    @property
    def ahead(self) -> Decimal:
        """A refund: what of it was paid back ahead of the credit it comes out of (owed until then)."""
        return max(ZERO, self.amount) if self.kind == REFUND else ZERO


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
        """Invoices less credit notes of the period (the charges)."""
        return sum((e.amount for e in self.entries if e.kind in (INVOICE, CREDIT_NOTE)), ZERO)

    @property
    def paid(self) -> Decimal:
        """What payments put on invoices in the period, less what voids took off them (a positive amount)."""
        return -sum((e.amount for e in self.entries if e.kind in (PAYMENT, RELEASED, REFUND)), ZERO)

    @property
    def received(self) -> Decimal:
        """Money received in the period, less refunds."""
        return sum((e.received for e in self.entries), ZERO)

    @property
    def due(self) -> Decimal:
        """The closing balance less the credit on account."""
        return self.closing - self.credit

    @property
    def nothing_to_pay(self) -> bool:
        """Nothing is open on the statement's date and nothing is due."""
        return self.aging.total == 0 and self.due <= 0


def statement_for(client: Client, invoices: Iterable[Invoice], payments: Iterable[Payment],
                  date_from: date, date_to: date, today: date,
                  minor: Decimal = CENT, credit_note=lambda number: False) -> Statement:
    """The statement of `client` from `date_from` to `date_to` (both included).

    `invoices` and `payments` may be the whole ledger: other clients' rows are
    left out. Raises ValueError when the period ends before it starts.
    """
    if date_to < date_from:
        raise ValueError(f"the period ends ({date_to}) before it starts ({date_from})")
    invoices = tuple(invoices)
    account = account_of(client.client_id, invoices, payments, owner_of((client,), invoices), credit_note)
    return statement_of(account, date_from, date_to, today, minor)


def statement_of(account: Account, date_from: date, date_to: date, today: date,
                 minor: Decimal = CENT) -> Statement:
    """The statement of an account (see `statement_for`)."""
    opening = money(account.balance_before(date_from) + _owed(account.credit(date_from - timedelta(days=1))), minor)
    entries = _entries(account, date_from, date_to, opening, minor)
    items = tuple(OpenItem(o.invoice_no, o.issue_date, o.due_date, money(o.total, minor), money(o.open, minor),
                           (today - o.due_date).days) for o in account.open_invoices(today))
    return Statement(
        client_id=account.client_id, date_from=date_from, date_to=date_to, today=today,
        opening=opening, entries=entries, closing=entries[-1].balance if entries else opening,
        credit=money(max(ZERO, account.credit(date_to)), minor), open_items=items, aging=_aging(items, minor))


def _entries(account: Account, start: date, end: date, opening: Decimal,
             minor: Decimal) -> tuple[StatementEntry, ...]:
    """The period's entries with their running balance. With refunds on the account, the entries
    before the period are gone through too: which refunds paid back ahead are still owed at its start.
    Which voids' money settles a refund paid back ahead is the account's (`core.refund_share`)."""
    balance, out = opening, []
    credit, period = ZERO, False
    shares = refund_shares(account, date.max) if any(r.refund for r in account.received) else {}
    waiting: list[list] = []  # refunds paid back ahead, still owed: [Payment ID, date, owed, chargeback]
    for entry in _in_refund_order(_rows(account, date.min if shares else start, end, minor), shares):
        if not period and entry.date >= start:
            period, credit = True, account.credit(start - timedelta(days=1))
        owed = _owed(credit)
        if entry.kind not in (INVOICE, CREDIT_NOTE):
            credit += entry.received + entry.amount  # money received, less what it put on invoices
        amount = entry.amount + money(_owed(credit) - owed, minor)
        settled = entry.amount - amount
        settles = _settle(waiting, settled, {refund for refund, share in shares.items() if any(
            number == entry.invoice_no for number, _ in share.from_voids)} if settled > 0 and entry.kind == RELEASED
                          else set())
        if entry.kind == REFUND and amount > 0:
            waiting.append([entry.reference, entry.date, amount, entry.chargeback])
            if entry.reference in shares:
                entry = replace(entry, settled_by=", ".join(shares[entry.reference].voided_after(account, entry.date)))
        if not period:
            continue
        balance += amount
        if entry.kind == RELEASED:
            entry = replace(entry, settles=tuple((day, part) for day, part, _ in settles),
                            reversals=sum(1 for _, _, chargeback in settles if chargeback))
        out.append(replace(entry, amount=amount, balance=balance))
    return tuple(out)


def _settle(waiting: list[list], settled: Decimal, charged: set[str]) -> tuple[tuple[date, Decimal, bool], ...]:
    """What is owed less by `settled` settles the refunds still owed: first those `charged` to the
    money that settles them, then the others, each in the order they were paid back. Those refunds'
    dates, how much of each, and whether it is a chargeback."""
    out = []
    for item in sorted(waiting, key=lambda item: item[0] not in charged):
        take = min(settled, item[2])
        if take <= 0:
            break
        out.append((item[1], take, item[3]))
        item[2] -= take
        settled -= take
    waiting[:] = [item for item in waiting if item[2] > 0]
    return tuple(out)


def _in_refund_order(rows: list[StatementEntry], shares: Mapping[str, RefundShare]) -> list[StatementEntry]:
    """`rows` with the money back from voids of one day in the order refunds are charged to them
    (`core.refund_share`: the void a refund's row names first, then the oldest), so that what settles a
    refund paid back ahead of them is on the line of the void it comes out of."""
    rank: dict[str, int] = {}
    for share in shares.values():
        for number, _ in share.from_voids:
            rank.setdefault(number, len(rank))
    if not rank:
        return rows
    out: list[StatementEntry] = []
    for row in rows:
        run = 0
        while run < len(out) and out[-1 - run].kind == RELEASED and out[-1 - run].date == row.date:
            run += 1
        if row.kind != RELEASED or not run:
            out.append(row)
            continue
        place = len(out)  # after the releases of the day charged before it
        while place > len(out) - run and rank.get(out[place - 1].invoice_no, len(rank)) > rank.get(
                row.invoice_no, len(rank)):
            place -= 1
        out.insert(place, row)
    return out


def _rows(account: Account, start: date, end: date, minor: Decimal) -> list[StatementEntry]:
    """The entries from `start` to `end` in the statement's order, each with the change of the
    balance its money makes (not yet what a refund ahead of its credit leaves owed)."""
    rows: list[tuple[tuple, StatementEntry]] = []
    for c in account.charges:
        if start <= c.issue_date <= end:
            kind = CREDIT_NOTE if c.credit_note else INVOICE
            entry = StatementEntry(c.issue_date, kind, c.invoice_no, c.credits if c.credit_note else c.invoice_no,
                                   money(c.total, minor), ZERO)
            rows.append(((c.issue_date, _RANK[kind], series_key(c.invoice_no)), entry))
    for r in account.received:
        if start <= r.date <= end:
            now = [a for a in r.applications if a.on == r.date and not a.void_by(r.date)]
            kind = REFUND if r.refund else PAYMENT
            entry = StatementEntry(r.date, kind, r.payment_id, ", ".join(a.invoice_no for a in now),
                                   -money(sum((a.amount for a in now), ZERO), minor), ZERO, r.method,
                                   r.reference, money(r.amount, minor), chargeback=r.chargeback)
            rows.append(((r.date, _RANK[kind], (), r.row), entry))
        for a in r.applications:
            if a.on != r.date and start <= a.on <= end and not a.void_by(a.on):
                # credit held from the payment, put on a newer invoice
                entry = StatementEntry(a.on, PAYMENT, r.payment_id, a.invoice_no, -money(a.amount, minor), ZERO,
                                       r.method, r.reference)
                rows.append(((a.on, _RANK[PAYMENT], (), r.row), entry))
            if a.void_from is not None and a.on < a.void_from and start <= a.void_from <= end:
                # the invoice it paid is voided: the money leaves it and is the client's credit again
                entry = StatementEntry(a.void_from, RELEASED, r.payment_id, a.invoice_no, money(a.amount, minor), ZERO,
                                       r.method, r.reference)
                rows.append(((a.void_from, _RANK[RELEASED], (), r.row), entry))
    return [entry for _, entry in sorted(rows, key=lambda row: row[0])]


def _owed(credit: Decimal) -> Decimal:
    """Credit below nothing: money paid back ahead of the credit it comes out of, owed until then."""
    return max(ZERO, -credit)


def _aging(items: tuple[OpenItem, ...], minor: Decimal) -> Aging:
    buckets = [ZERO] * 5
    for item in items:
        days = item.days_overdue
        index = 0 if days < 0 else 1 if days <= 30 else 2 if days <= 60 else \
            3 if days <= 90 else 4
        buckets[index] += item.open
    return Aging(*(money(b, minor) for b in buckets))
