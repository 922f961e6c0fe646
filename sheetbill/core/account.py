"""A client's account: every figure a client or the admin reads, as of a moment.

The account is built from the ledger alone: the client's invoices and credit
notes (the Invoices tab) and the payments the worker applied (the Payments
tab, whose Applied To column records where each payment's money went, see
`core.payments`). Nothing else in sheetbill adds up a balance.

A moment is a date and a place in a series:

- an invoice is "earlier" than another when it was issued on an earlier date,
  or on the same date with a smaller number (`series_key`);
- a payment is earlier than another when it is dated earlier, or on the same
  date in an earlier row.

When money takes effect: an Applied To entry made when the payment was
applied (the first entries, up to the payment's Amount) counts from the
payment's date, also when it paid an invoice issued later (paid at the desk,
invoiced at the end of the day). An entry appended later, when credit held
from the payment paid a newer invoice, counts from that invoice's issue date.

A voided invoice stops being open, and the money applied to it becomes credit
again, on the day of the credit note that voids it (documents of earlier days
still see it paid and open as it was then); where that money went next is the
void's `Cancellation` (core.cancellation), and what invoices took of it is no
longer the void invoice's Paid (`shown_paid`);
drafts and rows without number or issue date are not on the account.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from datetime import date
from decimal import Decimal
from enum import Enum

from .cancellation import Cancellation, cancellation
from .refund_share import refund_shares
from .clients import ClientBook
from .model import Allocation, Client, Invoice, InvoiceStatus, Payment
from .number import ZERO
from .owner import payment_owner
from .record import record

CREDIT, REFUND = "Credit", "Refund"  # the Applied To words (core.payments spells them the same)
CHARGEBACK = "Chargeback"  # a card payment the client's bank reversed (a dispute the practice lost)
NOT_ON_INVOICES = (CREDIT, REFUND, CHARGEBACK)  # Applied To words that name no invoice
_END_OF_DAY = 1 << 62  # a row after every row: (day, _END_OF_DAY) is a place after all of a day's payments


class AccountStatus(str, Enum):
    """What an invoice document says of its invoice as of its moment (translated: the texts are msgids)."""

    PAID = "Paid"
    PARTIALLY_PAID = "Partially paid"
    OPEN = "Open"
    NOTHING_DUE = "Nothing to pay"  # an invoice of 0.00 (a session at 100 % off): never paid, never open
    CREDIT_NOTE = "Credit note"
    VOID = "Void"


def series_key(invoice_no: str) -> tuple:
    """`INV-2026-0009` before `INV-2026-0010`, also when the numbers are not zero-padded."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", invoice_no.strip().upper()) if part)


def _key(invoice_no: str) -> str:
    """Invoice numbers as Applied To may spell them (typed by hand: `inv-2026-0001 `)."""
    return invoice_no.strip().upper()


@record
class Charge:
    """An invoice (positive total) or a credit note (negative total) on the account."""

    invoice_no: str
    issue_date: date
    due_date: date
    total: Decimal
    credit_note: bool
    void: bool
    credits: str = ""  # a credit note's cancelled invoice
    voided_on: date | None = None  # a void invoice's credit note's date (None: void from its issue)
    voided_by: str = ""  # that credit note's number ("" when none is on the account)

    @property
    def order(self) -> tuple:
        return self.issue_date, series_key(self.invoice_no)

    def void_by(self, day: date) -> bool:
        """Voided on or before `day`."""
        return self.void and (self.voided_on is None or self.voided_on <= day)

    def payable_on(self, day: date) -> bool:
        """An invoice that can be open on `day`: not a credit note, not void by then."""
        return not self.credit_note and not self.void_by(day) and self.total > 0


@record
class Application:
    """Money of one payment on one invoice, and from when it counts."""

    payment_id: str
    invoice_no: str
    amount: Decimal
    on: date  # the payment's date, or the invoice's issue date for credit applied later
    at_receipt: bool  # applied when the payment was (shown on its receipt)
    void_from: date | None = None  # on an invoice voided on that day: from then on the money is credit again
    freed: tuple[tuple[str, Decimal], ...] = ()  # of this money, what the void of these invoices set free

    def void_by(self, day: date) -> bool:
        return self.void_from is not None and self.void_from <= day

    def on_invoice(self, day: date) -> bool:
        """On the invoice at the end of `day`."""
        return self.on <= day and not self.void_by(day)


@record
class Received:
    """One applied payment (a refund has a negative amount)."""

    payment_id: str
    row: int
    date: date
    amount: Decimal
    method: str
    reference: str
    receipt_no: str
    applications: tuple[Application, ...]
    # a refund: the invoices its row names (its Invoice No, `INV-1, INV-2` for a charge that paid several),
    # those on the account, as it spells them, in the order the payment it refunds paid them
    named: tuple[str, ...] = ()
    chargeback: bool = False  # money taken back by the client's bank (Applied To `Chargeback`), not refunded

    @property
    def order(self) -> tuple:
        return self.date, self.row

    @property
    def refund(self) -> bool:
        """Money that went back to the client (a refund, or a chargeback)."""
        return self.amount < 0

    @property
    def applied(self) -> Decimal:
        """What of this payment stays on invoices (not void ones)."""
        return sum((a.amount for a in self.applications if a.void_from is None), ZERO)


@record
class PaymentOnInvoice:
    """A payment as an invoice lists it."""

    date: date
    reference: str  # the receipt number, else the payment's ID
    method: str
    amount: Decimal


@record
class InvoiceFigures:
    """What an invoice document says about money, as of its moment."""

    total: Decimal
    paid: Decimal
    balance: Decimal
    payments: tuple[PaymentOnInvoice, ...]
    previous_balance: Decimal  # open on earlier invoices, less unapplied credit
    amount_due: Decimal  # max(0, balance + previous_balance); 0 for a credit note
    status: AccountStatus
    cancellation: Cancellation | None = None  # a void invoice's, or the one a credit note made

    @property
    def is_paid(self) -> bool:
        return self.status is AccountStatus.PAID


@record
class ReceiptFigures:
    """What a receipt (or a refund receipt) says, as of its payment's moment."""

    kind: str  # "receipt", "refund", or "chargeback" (a card payment the client's bank reversed)
    amount: Decimal  # money received, or paid back (positive)
    allocations: tuple[Allocation, ...]  # invoices it paid when it was applied; money back: taken back from
    unapplied: Decimal  # kept as credit (0 for a refund)
    still_open: Decimal  # open on invoices issued by `on`, after it
    credit: Decimal  # unapplied credit after it
    on: date  # the day those two are of: the payment's date, or the newest issue date of the invoices it paid
    ahead: Decimal = ZERO  # a refund: what of it was paid back ahead of the credit it comes out of
    settled_by: tuple[str, ...] = ()  # the void invoices whose cancellation settles that (core.refund_share)


@record
class OpenInvoice:
    """An invoice not fully paid on a day."""

    invoice_no: str
    issue_date: date
    due_date: date
    total: Decimal
    open: Decimal


@dataclass(frozen=True)
class Account:
    """One client's charges and payments, each list in its series order."""

    client_id: str
    charges: tuple[Charge, ...]
    received: tuple[Received, ...]

    # -- pieces -------------------------------------------------------------
    @cached_property
    def _charge_of(self) -> dict[str, Charge]:
        out: dict[str, Charge] = {}
        for c in self.charges:
            out.setdefault(_key(c.invoice_no), c)  # the first, as a search in order finds it
        return out

    @cached_property
    def _applied_to(self) -> dict[str, list[tuple[tuple, Application]]]:
        """Invoice -> (its payment's place, application), in the order of `applications()`."""
        out: dict[str, list[tuple[tuple, Application]]] = {}
        for r in self.received:
            for a in r.applications:
                out.setdefault(_key(a.invoice_no), []).append((r.order, a))
        return out

    def _applications_to(self, invoice_no: str, day: date | None,
                         upto: tuple[date, int] | None) -> list[Application]:
        """`applications(day, upto)` to `invoice_no` only."""
        return [a for order, a in self._applied_to.get(_key(invoice_no), ())
                if (upto is None or order <= upto) and (day is None or a.on <= day)]

    def charge(self, invoice_no: str) -> Charge | None:
        return self._charge_of.get(_key(invoice_no))

    def applications(self, day: date | None = None, upto: tuple[date, int] | None = None) -> list[Application]:
        """Applications counting on `day`, of payments up to and including the place `upto`."""
        return [a for r in self.received if upto is None or r.order <= upto
                for a in r.applications if day is None or a.on <= day]

    def paid_on(self, invoice_no: str, day: date | None = None, upto: tuple[date, int] | None = None) -> Decimal:
        return sum((a.amount for a in self._applications_to(invoice_no, day, upto)), ZERO)

    def shown_paid(self, invoice_no: str) -> Decimal:
        """The invoice's Paid in the Invoices tab: the money on it; on a void invoice, what was paid
        on it less what invoices took of it since (that money is theirs, and their Paid says so),
        so that no money is counted as Paid twice."""
        c = self.charge(invoice_no)
        cancelled = cancellation(self, c.invoice_no, date.max) if c is not None and c.void else None
        return cancelled.kept if cancelled is not None else self.paid_on(invoice_no)

    def open_invoices(self, day: date, issued_by: date | None = None,
                      upto: tuple[date, int] | None = None) -> tuple[OpenInvoice, ...]:
        """Invoices issued by `issued_by` (default `day`) with money open on `day`."""
        last = issued_by or day
        out = []
        for c in self.charges:
            if c.payable_on(day) and c.issue_date <= last:
                left = c.total - self.paid_on(c.invoice_no, day, upto)
                if left > 0:
                    out.append(OpenInvoice(c.invoice_no, c.issue_date, c.due_date, c.total, left))
        return tuple(out)

    def credit(self, day: date, upto: tuple[date, int] | None = None) -> Decimal:
        """Money received by `day` (less refunds) not on a (live) invoice on `day`."""
        mine = [r for r in self.received if r.date <= day and (upto is None or r.order <= upto)]
        kept = sum((a.amount for r in mine for a in r.applications if a.on_invoice(day)), ZERO)
        return sum((r.amount for r in mine), ZERO) - kept

    # -- documents ----------------------------------------------------------
    def invoice(self, invoice_no: str, today: date) -> InvoiceFigures:
        """An invoice as it stands on `today`. KeyError when it is not on the account."""
        c = self.charge(invoice_no)
        if c is None:
            raise KeyError(invoice_no)
        if c.credit_note:
            return InvoiceFigures(c.total, ZERO, c.total, (), ZERO, ZERO, AccountStatus.CREDIT_NOTE,
                                  cancellation(self, c.credits, today) if c.credits else None)
        by_id = {r.payment_id: r for r in self.received}
        mine = [a for a in self._applications_to(c.invoice_no, today, None) if not a.void_by(today)]
        paid = sum((a.amount for a in mine), ZERO)
        payments = tuple(PaymentOnInvoice(by_id[a.payment_id].date,
                                          by_id[a.payment_id].receipt_no or a.payment_id,
                                          by_id[a.payment_id].method, a.amount) for a in mine)
        if c.void:  # its credit note cancels what was open; what was paid on it is the cancellation's
            return InvoiceFigures(c.total, paid, ZERO, payments, ZERO, ZERO, AccountStatus.VOID,
                                  cancellation(self, c.invoice_no, today))
        balance = c.total - paid
        earlier = sum((o.open for o in self.open_invoices(today)
                       if (o.issue_date, series_key(o.invoice_no)) < c.order), ZERO)
        previous = earlier - self.credit(today)
        status = (AccountStatus.NOTHING_DUE if c.total == 0 else AccountStatus.PAID if balance <= 0 < c.total
                  else AccountStatus.PARTIALLY_PAID if paid > 0 else AccountStatus.OPEN)
        return InvoiceFigures(c.total, paid, balance, payments, previous,
                              max(ZERO, balance + previous), status)

    def receipt(self, payment_id: str) -> ReceiptFigures:
        """A payment's receipt, as of its own date and place; a payment dated before an invoice it
        paid (paid at the desk, the invoice made later) as of the newest such invoice's date, so
        that what those invoices still ask is not left out of what is still open after it.
        KeyError when it is not on the account."""
        r = next((r for r in self.received if r.payment_id == payment_id), None)
        if r is None:
            raise KeyError(payment_id)
        paid = [a for a in r.applications if a.at_receipt]
        on = max([r.date] + [c.issue_date for a in paid if (c := self.charge(a.invoice_no)) is not None])
        # the payments up to this one in the series; as of a later day, every payment dated by its end
        moment = r.order if on == r.date else (on, _END_OF_DAY)
        still_open = sum((o.open for o in self.open_invoices(on, upto=moment)), ZERO)
        raw = self.credit(on, upto=moment)
        # never below nothing: a refund made before the void of the invoice its money is on is owed
        # back until that void (as a statement shows it), not a credit of less than 0.00
        credit = max(ZERO, raw)
        if r.refund:  # the credit went below nothing: that much was paid back ahead of it
            ahead = max(ZERO, -raw) - max(ZERO, r.amount - raw)
            share = refund_shares(self, date.max)[r.payment_id] if ahead > 0 else None
            return ReceiptFigures("chargeback" if r.chargeback else "refund", -r.amount,
                                  self.taken_back(r.named, -r.amount, r.date), ZERO, still_open, credit, on, ahead,
                                  share.voided_after(self, r.date) if share is not None else ())
        allocations = tuple(Allocation(a.invoice_no, a.amount) for a in paid)
        return ReceiptFigures("receipt", r.amount, allocations,
                              r.amount - sum((a.amount for a in allocations), ZERO), still_open, credit, on)

    def taken_back(self, invoice_nos: Iterable[str], amount: Decimal, day: date) -> tuple[Allocation, ...]:
        """Money paid back (`amount`, positive) of a payment that paid `invoice_nos` (in the order it
        paid them): what comes off each, the last paid first, each up to what was paid on it by the end
        of `day`; positive amounts, none past `amount`. () when none of them is on the account."""
        out, left = [], amount
        for number in reversed(list(dict.fromkeys(invoice_nos))):
            c = self.charge(number)
            take = min(left, self.paid_on(number, day)) if c is not None and not c.credit_note else ZERO
            if take > 0:
                out.append(Allocation(c.invoice_no if c is not None else number, take))
                left -= take
        return tuple(out)

    def payment_on(self, payment_id: str, day: date) -> tuple[Allocation, ...]:
        """Where a payment's money was at the end of `day`, as the books of a period ending that
        day say it: on each invoice issued by then that it was on and that was not void by then,
        in Applied To's order, and the rest `Credit`; a refund is `Refund` (a chargeback `Chargeback`) and its
        amount. Never
        more than the payment. Credit a later invoice uses, and money a later void moves, are
        not there yet. KeyError when the payment is not on the account."""
        r = next((r for r in self.received if r.payment_id == payment_id), None)
        if r is None:
            raise KeyError(payment_id)
        if r.refund:
            return (Allocation(CHARGEBACK if r.chargeback else REFUND, r.amount),)
        on: dict[str, Decimal] = {}
        left = r.amount
        for a in r.applications:
            c = self.charge(a.invoice_no)
            if left <= 0 or a.amount <= 0 or not a.on_invoice(day) or (c is not None and c.issue_date > day):
                continue
            take = min(a.amount, left)
            on[a.invoice_no] = on.get(a.invoice_no, ZERO) + take
            left -= take
        out = [Allocation(number, amount) for number, amount in on.items()]
        if left > 0:
            out.append(Allocation(CREDIT, left))
        return tuple(out)

    def balance_before(self, day: date) -> Decimal:
        """Charges issued before `day` less the money on (live) invoices before it."""
        charged = sum((c.total for c in self.charges if c.issue_date < day), ZERO)
        return charged - sum((a.amount for r in self.received for a in r.applications
                              if a.on < day and not (a.void_from is not None and a.void_from < day)), ZERO)


def account_of(client_id: str, invoices: Iterable[Invoice], payments: Iterable[Payment],
               owner: Callable[[Payment], str | None],
               credit_note: Callable[[str], bool] = lambda number: False) -> Account:
    """The account of `client_id`: `invoices` and `payments` may be the whole ledger; `owner`
    says whose money a payment is (see `owner_of`); `credit_note` tells a credit note's number."""
    charges = []
    for i in invoices:
        if (i.client_id == client_id and i.invoice_no and i.issue_date is not None
                and i.status is not InvoiceStatus.DRAFT and not i.invoice_no.startswith("DRAFT-")):
            note = credit_note(i.invoice_no) or i.total < 0
            charges.append(Charge(i.invoice_no, i.issue_date, i.due_date or i.issue_date, i.total, note,
                                  i.status is InvoiceStatus.VOID,
                                  i.session_ids[0] if note and i.session_ids else ""))
    voided: dict[str, Charge] = {}  # invoice -> the (first) credit note that voids it
    for c in sorted(charges, key=lambda c: c.order):
        if c.credit_note and c.credits:
            voided.setdefault(_key(c.credits), c)
    charges = [_voided(c, voided.get(_key(c.invoice_no))) if c.void else c for c in charges]
    charges.sort(key=lambda c: c.order)
    by_no = {_key(c.invoice_no): c for c in charges}
    received = [_received(p, by_no) for p in payments
                if p.applied and p.date is not None and p.amount is not None and owner(p) == client_id]
    received.sort(key=lambda r: r.order)
    return Account(client_id, tuple(charges), tuple(received))


def _voided(invoice: Charge, credit_note: Charge | None) -> Charge:
    if credit_note is None:
        return invoice
    return replace(invoice, voided_on=credit_note.issue_date, voided_by=credit_note.invoice_no)


def _received(p: Payment, by_no: Mapping[str, Charge]) -> Received:
    """The payment's Applied To as applications, each dated from when its money could be there:
    what was applied with the payment from the payment's date; entries appended later spend the
    payment's free money oldest first (what was left over counts from the payment's date, money
    freed by a void from the credit note's date), and count from then or from the invoice's
    issue date, whichever is later. Each says how much of it a void set free, and whose."""
    assert p.date is not None and p.amount is not None
    out, spent = [], ZERO
    free: list[list] = [[p.date, p.amount, ""]]  # [available from, amount, voided invoice or ""]: not on an invoice
    for a in p.applied:
        at_receipt = spent + a.amount <= p.amount
        spent += a.amount
        if a.invoice_no in NOT_ON_INVOICES:
            continue
        c = by_no.get(_key(a.invoice_no))
        on, freed = _spend(free, a.amount, p.date)
        if c is None:  # not (or no longer) on the account: the money is on it all the same
            out.append(Application(p.payment_id, a.invoice_no.strip(), a.amount, on, at_receipt, freed=freed))
            continue
        if not at_receipt:
            on = max(on, c.issue_date)
        void_from = (c.voided_on or c.issue_date) if c.void else None
        if void_from is not None:
            free.append([max(on, void_from), a.amount, c.invoice_no])
        out.append(Application(p.payment_id, c.invoice_no, a.amount, on, at_receipt, void_from, freed))
    named = (by_no.get(_key(ref)) for ref in p.invoice_no.split(",")) if p.amount < 0 else iter(())
    return Received(p.payment_id, p.row, p.date, p.amount, p.method, p.reference, p.receipt_no, tuple(out),
                    tuple(dict.fromkeys(c.invoice_no for c in named if c is not None)),
                    any(a.invoice_no == CHARGEBACK for a in p.applied))


def _spend(free: list[list], amount: Decimal, fallback: date) -> tuple[date, tuple[tuple[str, Decimal], ...]]:
    """Take `amount` from the free money, oldest first; the day by which all of it was there, and
    what of it a void set free (voided invoice, amount)."""
    free.sort(key=lambda part: part[0])
    day, freed = fallback, []
    for part in free:
        if amount <= 0:
            break
        take = min(amount, part[1])
        if take > 0:
            part[1] -= take
            amount -= take
            day = max(day, part[0])
            if part[2]:
                freed.append((part[2], take))
    return day, tuple(freed)


def owner_of(clients: Iterable[Client], invoices: Iterable[Invoice]) -> Callable[[Payment], str | None]:
    """A payment's client (see `core.owner.payment_owner`): the one its Client names (ID or current
    exact name), else the client of the invoices its money is on."""
    book = ClientBook(clients)
    client_of: dict[str, str] = {}
    for i in invoices:
        client_of.setdefault(_key(i.invoice_no), i.client_id)
        for sid in i.session_ids:
            client_of.setdefault(_key(sid), i.client_id)

    def owner(p: Payment) -> str | None:
        return payment_owner(p, book.id_of, lambda ref: client_of.get(_key(ref)))
    return owner


def accounts(clients: Iterable[Client], invoices: Iterable[Invoice], payments: Iterable[Payment],
             credit_note: Callable[[str], bool] = lambda number: False) -> Accounts:
    """Every client's account, by Client ID."""
    return Accounts(tuple(clients), tuple(invoices), tuple(payments), credit_note)


class Accounts(Mapping[str, Account]):
    """Every client's account, by Client ID, each made when it is first asked for: a
    cycle's documents need the accounts of a few of a practice's clients."""

    def __init__(self, clients: tuple[Client, ...], invoices: tuple[Invoice, ...], payments: tuple[Payment, ...],
                 credit_note: Callable[[str], bool]) -> None:
        self._clients, self._invoices, self._payments, self._credit_note = clients, invoices, payments, credit_note
        self._ids = dict.fromkeys(c.client_id for c in clients if c.client_id)  # in order, looked up at once
        self._made: dict[str, Account] = {}

    @cached_property
    def _ledger(self) -> tuple[Callable[[Payment], str | None], dict[str, list[Invoice]], dict[str | None, list[Payment]]]:
        """Whose each payment is, and each client's invoices and payments."""
        owner = owner_of(self._clients, self._invoices)
        invoices_of: dict[str, list[Invoice]] = {}
        for i in self._invoices:
            invoices_of.setdefault(i.client_id, []).append(i)
        payments_of: dict[str | None, list[Payment]] = {}
        for p in self._payments:
            if p.applied:
                payments_of.setdefault(owner(p), []).append(p)
        return owner, invoices_of, payments_of

    def __getitem__(self, client_id: str) -> Account:
        if client_id not in self._made:
            if client_id not in self._ids:
                raise KeyError(client_id)
            owner, invoices_of, payments_of = self._ledger
            self._made[client_id] = account_of(client_id, invoices_of.get(client_id, ()),
                                               payments_of.get(client_id, ()), owner, self._credit_note)
        return self._made[client_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)
