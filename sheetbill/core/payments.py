"""Payments -> allocations, receipts and balances: a pure function of the rows.

`plan_payments(ledger, invoices, rules, today)` applies the payments entered
since the last cycle, numbers their receipts and works out every invoice's
Paid, Balance and Status and every client's Balance and Credit.

A payment's Applied To column is the ledger of where its money went. Once
written it is never changed, only appended to:

    INV-2026-0001 40.00; INV-2026-0002 25.00; Credit 10.00

- `<Invoice No> <amount>`: money applied to that invoice.
- `Credit <amount>`: what was left over as the client's credit when the
  payment was applied. When that credit later pays an invoice, an
  `<Invoice No> <amount>` entry is appended after it.
- `Refund -<amount>`: on a refund row (a negative Amount): money paid back
  out of the client's credit.
- `Chargeback -<amount>`: on the row of a card dispute the practice lost: the
  client's card payment reversed by their bank, out of the client's credit
  (the practice refunded nothing; its documents say so).

A client's Credit is, over all applied payments, Amount minus what was
applied to invoices that are not void: money paid on an invoice that is
later voided by a credit note becomes credit again.

A void invoice asks for nothing: its row shows Balance 0 and, as Paid, what
was paid on it and is still the client's Credit (`Account.shown_paid`): money
its credit note set free that later invoices took is their Paid, not its too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from decimal import Decimal
from typing import Iterable, Literal, Mapping, Sequence, overload

from .account import CHARGEBACK, NOT_ON_INVOICES, Accounts, accounts
from .clients import ClientBook, ClientProblem
from .lifecycle import is_draft_key
from .limits import Limits, payment_problem
from .payment_date import FirstVisit, payment_date_problem
from .model import ISSUED, Allocation, Invoice, InvoiceStatus, Ledger, Payment, PaymentMethod
from .number import CENT, D, ZERO, fmt, money
from .numbering import NumberPattern, Sequencer, with_ids
from .plan import CellWrite, RowProblem
from .kind import is_credit_note
from .owner import payment_owner

CREDIT = "Credit"
REFUND = "Refund"
# How a Problem an import wrote for a person begins (a card dispute, payments/card_events.py): the
# row waits, unapplied and with those words, until the person clears the Problem; no rule of
# this module writes over it.
DISPUTED = "Disputed"
# How the words on a dispute row the practice won begin (payments/card_disputes.py): the money stayed,
# so the row is never applied; its words stay for the record and are no problem to report.
DISPUTE_WON = "Dispute won"
# How the words on a dispute row begin when the dispute was stopped before it became a chargeback: the
# dispute took nothing (a refund made to stop it is a row of its own); as a dispute won, for the record.
DISPUTE_PREVENTED = "Dispute prevented"
# How the words on a dispute row the practice lost begin (payments/card_disputes.py): the bank reversed the
# client's card payment. The row is applied as money taken back (`Chargeback`, out of the client's credit),
# and until it can be, what it asks of a person begins with these words too.
DISPUTE_LOST = "Dispute lost"
_KINDS = {CREDIT.lower(): CREDIT, REFUND.lower(): REFUND, CHARGEBACK.lower(): CHARGEBACK}
METHODS = {m.value.lower(): m.value for m in PaymentMethod}
_METHOD_HINT = "(use Card, Bank transfer, Cash or Other)"
# Invoices that take payments and whose Paid, Balance and Status are kept here; Draft and Archived
# invoices, dropped drafts and credit notes are left as they are; a void invoice shows Balance 0.
PAYABLE = ISSUED  # payments apply to issued invoices
ClientCells = Mapping[str, tuple[Decimal | None, Decimal | None]]  # client id -> Balance, Credit as shown
InvoiceCells = tuple[Decimal, Decimal, InvoiceStatus | None]  # an invoice's Paid, Balance, Status


@dataclass(frozen=True)
class PaymentRules:
    """The config's payment settings, as the core needs them."""

    receipt_pattern: NumberPattern = NumberPattern("RCPT-{year}-{seq:04}")
    payment_id_pattern: NumberPattern = NumberPattern("P-{seq:05}")
    credit_note_pattern: NumberPattern = NumberPattern("CN-{year}-{seq:04}")
    minor_unit: Decimal = Decimal("0.01")
    limits: Limits = Limits()


@dataclass(frozen=True)
class Receipt:
    """A receipt to render and send: one newly applied payment."""

    receipt_no: str
    payment_id: str
    date: date
    client_id: str
    amount: Decimal
    method: str
    allocations: tuple[Allocation, ...]  # may end with a `Credit` entry


@dataclass(frozen=True)
class PaymentPlan:
    """Everything the payments change this cycle, with the balances the renderer shows."""

    writes: tuple[CellWrite, ...] = ()
    problems: tuple[RowProblem, ...] = ()
    receipts: tuple[Receipt, ...] = ()
    payments: tuple[Payment, ...] = ()  # the Payments rows (but empty ones) as they are after this cycle
    # invoice no -> (paid, balance, status) and client id -> (balance, credit), after this cycle
    invoice_paid: Mapping[str, InvoiceCells] = field(default_factory=dict)
    client_balances: Mapping[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    waiting: frozenset[int] = frozenset()  # rows of good payments waiting only for their session's invoice

    def settled(self, invoices: Iterable[Invoice]) -> tuple[Invoice, ...]:
        """`invoices` with the Paid, Balance and Status they have after this cycle. Invoices not yet
        in the tab (row None, made this cycle) get no cell writes: append them as settled here."""
        out = []
        for inv in invoices:
            after = self.invoice_paid.get(inv.invoice_no)
            if after is not None and not _same(after, (inv.paid, inv.balance, inv.status)):
                paid, balance, status = after
                inv = replace(inv, paid=paid, balance=balance, status=status)
            out.append(inv)
        return tuple(out)


def _same(a: InvoiceCells, b: InvoiceCells) -> bool:
    """Equal to the digit (65.5 and 65.50 print differently)."""
    return a[2] == b[2] and str(a[0]) == str(b[0]) and str(a[1]) == str(b[1])


class _Problem(Exception):
    """The payment cannot be applied; str() is the Problem text."""


class _Waiting(_Problem):
    """A good payment for a session not invoiced yet (paid at the desk, a daily invoice made once
    the day is over): applied once the invoice is made; its money was received all the same."""


def format_applied(allocations: Iterable[Allocation], minor: Decimal = CENT) -> str:
    """Allocations -> Applied To text: `INV-2026-0001 40.00; Credit 10.00`."""
    return "; ".join(f"{a.invoice_no} {fmt(a.amount, minor)}" for a in allocations)


def split_refs(invoice_no: str) -> list[str]:
    """A refund's Invoice No: the invoices the payment it refunds paid, `INV-2026-0001, INV-2026-0002`
    (a card charge that paid several at once), in the order it paid them; one, or none."""
    return [ref.strip() for ref in invoice_no.split(",") if ref.strip()]


def join_refs(invoice_nos: Iterable[str]) -> str:
    return ", ".join(invoice_nos)


def parse_applied(text: str) -> tuple[Allocation, ...]:
    """Applied To text -> allocations; ValueError with a sentence when a part is not `<ref> <amount>`."""
    out = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        ref, _, amount = part.rpartition(" ")
        try:
            value = D(amount)
        except ValueError:
            value = None
        if not ref.strip() or value is None:
            raise ValueError(f"Applied To part '{part}' is not like 'INV-2026-0001 40.00'")
        ref = ref.strip()
        out.append(Allocation(_KINDS.get(ref.lower(), ref), value))
    return tuple(out)


def _owes(status: InvoiceStatus | None, balance: Decimal) -> bool:
    return status in PAYABLE and balance > 0


class _Invoices:
    """The invoices a payment can name: by Invoice No, or by a Session ID on a live invoice."""

    def __init__(self, invoices: Sequence[Invoice], session_ids: Iterable[str], credit_notes: NumberPattern):
        self.credit_notes = credit_notes
        self.by_no = {i.invoice_no.strip().upper(): i for i in invoices}
        self.by_session = {sid.strip().upper(): i for i in invoices
                           if i.live and not self.is_credit_note(i) for sid in i.session_ids}
        self.sessions = {s.strip().upper() for s in session_ids}
        self.open_of: dict[str, list[Invoice]] = {}  # client id -> payable invoices, oldest first
        for i in sorted(invoices, key=lambda i: (i.issue_date or date.min, i.invoice_no)):
            if self.maintained(i):
                self.open_of.setdefault(i.client_id, []).append(i)

    def is_credit_note(self, inv: Invoice) -> bool:
        return is_credit_note(inv.invoice_no, self.credit_notes)

    def maintained(self, inv: Invoice) -> bool:
        return inv.status in PAYABLE and not self.is_credit_note(inv)

    def voided(self, inv: Invoice) -> bool:
        """An issued invoice a credit note voids (not a dropped draft, not a credit note)."""
        return (inv.status is InvoiceStatus.VOID and not self.is_credit_note(inv)
                and not is_draft_key(inv.invoice_no))

    def get(self, ref: str) -> Invoice | None:
        key = ref.strip().upper()
        return self.by_no.get(key) or self.by_session.get(key)

    def canonical(self, a: Allocation) -> Allocation:
        """The allocation with the invoice's number as the ledger spells it (`inv-2026-0001` typed by hand)."""
        inv = self.by_no.get(a.invoice_no.strip().upper())
        return replace(a, invoice_no=inv.invoice_no) if inv else a

    def named(self, ref: str) -> Invoice:
        inv = self.get(ref)
        if inv is not None:
            return inv
        if ref.strip().upper() in self.sessions:
            raise _Waiting(f"Session {ref.strip()} is not invoiced yet; the payment is applied once it is")
        raise _Problem(f"Unknown Invoice No '{ref.strip()}' (not an Invoice No in Invoices, "
                       "nor a Session ID on an invoice)")

    def counts(self, invoice_no: str) -> bool:
        """Whether money applied to this entry stays there (not credit, refund or a void invoice)."""
        inv = self.by_no.get(invoice_no.strip().upper())
        return invoice_no not in NOT_ON_INVOICES and (inv is None or inv.status is not InvoiceStatus.VOID)


def plan_payments(ledger: Ledger, invoices: Sequence[Invoice], rules: PaymentRules, today: date,
                  client_cells: ClientCells | None = None) -> PaymentPlan:
    """The payment plan. `invoices` is every invoice, including those the billing plan makes this
    cycle; `client_cells` is each client's Balance and Credit as the Clients tab shows them now
    (by Client ID), so that only changed cells are written (a client missing there is written)."""
    writes: list[CellWrite] = []
    payments = with_ids(ledger.payments, "payments", "payment_id", rules.payment_id_pattern, _has_content, writes)
    run = _Run(payments, invoices, ledger, rules, today)
    receipts = run.apply_new()
    run.apply_credit()
    run.explain_refused()
    invoice_paid = run.invoice_cells(writes)
    client_balances = run.client_cells(writes, invoice_paid, client_cells or {})
    after, problems = run.payment_cells(writes)
    return PaymentPlan(tuple(writes), problems, receipts, after, invoice_paid, client_balances,
                       frozenset(run.waiting))


class _Run:
    """One cycle's money: what each payment applied, what each invoice got, what each client holds."""

    def __init__(self, payments: list[Payment], invoices: Sequence[Invoice], ledger: Ledger,
                 rules: PaymentRules, today: date) -> None:
        self.payments, self.invoices, self.clients, self.rules = payments, invoices, ledger.clients, rules
        self.sessions = ledger.sessions
        self.issued = ledger.receipts_issued
        self.index = _Invoices(invoices, (s.session_id for s in ledger.sessions), rules.credit_note_pattern)
        self.by_row = {p.row: p for p in payments}
        self.problem = _duplicates(payments)
        self.applied: dict[int, list[Allocation]] = {}  # row -> Applied To
        self.owner: dict[int, str] = {}  # row of an applied payment -> its client id
        self.frozen: dict[str, str] = {}  # client id -> the payment whose Applied To was cleared
        self.new: list[tuple[Payment, str, Invoice | None]] = []  # (payment, client id, invoice it names)
        self.refused: list[tuple[Payment, str]] = []  # refunds larger than the credit
        self.chargebacks: set[int] = set()  # rows of lost disputes: money the bank took back (DISPUTE_LOST)
        self.receipt_of: dict[int, str] = {}
        self.waiting: set[int] = set()  # rows whose Problem is only that their session is not invoiced yet
        book = ClientBook(ledger.clients)
        for p in payments:
            if p.row not in self.problem:
                try:
                    self._take(p, book, today)
                except (_Problem, ClientProblem) as exc:
                    self.problem[p.row] = str(exc)
                    if isinstance(exc, _Waiting):
                        self.waiting.add(p.row)
        self.paid: dict[str, Decimal] = {}  # invoice no -> sum of what is applied to it
        for a in (a for allocs in self.applied.values() for a in allocs):
            self.paid[a.invoice_no] = self.paid.get(a.invoice_no, ZERO) + a.amount
        self.credit: dict[str, Decimal] = {}  # client id -> money not on any (live) invoice
        for row, cid in self.owner.items():
            self.credit[cid] = self.credit.get(cid, ZERO) + self._held(row)

    def _take(self, p: Payment, book: ClientBook, today: date) -> None:
        if p.applied:
            self.applied[p.row] = [self.index.canonical(a) for a in p.applied]
            self.owner[p.row] = _owner(p, book, self.index)
            _check_applied(p, self.applied[p.row], self.index, self.rules.minor_unit)
        elif p.receipt_no:
            if cid := _owner(p, book, self.index, strict=False):
                self.frozen.setdefault(cid, p.payment_id)
            raise _Problem(f"{p.errors[0]}; restore it from the Changelog" if p.errors else
                           f"Applied To was cleared after the receipt {p.receipt_no} was issued; "
                           "restore it from the Changelog")
        elif p.problem.startswith(DISPUTED):
            raise _Problem(p.problem)  # waits for a person, who clears it once the dispute is settled
        elif for_the_record(p.problem):
            raise _Problem(p.problem)  # the money stayed: kept as it is, never applied
        else:
            new = _validate(p, book, self.index, today, self.rules.minor_unit, self.rules.limits.prepayment_days)
            assert new[0].amount is not None and new[0].date is not None  # _validate refuses a payment without
            held = payment_problem(new[0].amount, self.rules.limits) or payment_date_problem(
                new[0].date, today, new[1], self.first_visits.get(new[1]), self.rules.limits.prepayment_days)
            if held:
                raise _Problem(held)
            if p.problem.startswith(DISPUTE_LOST) and new[0].amount < 0:
                self.chargebacks.add(p.row)
            self.new.append(new)

    @cached_property
    def first_visits(self) -> dict[str, FirstVisit]:
        """Each client's earliest session or invoice (a payment dated long before is likely a typo)."""
        out: dict[str, FirstVisit] = {}

        def seen(cid: str | None, day: date | None, what: str) -> None:
            if cid and day is not None and (cid not in out or day < out[cid].day):
                out[cid] = FirstVisit(day, what)
        for inv in self.invoices:
            if not self.index.is_credit_note(inv) and not is_draft_key(inv.invoice_no):
                seen(inv.client_id, inv.issue_date, f"invoice {inv.invoice_no}")
            for line in inv.lines:
                seen(inv.client_id, line.date, f"session {line.session_id}")
        book = ClientBook(self.clients)
        for s in self.sessions:
            seen(book.id_of(s.client) if s.client.strip() else None, s.date, f"session {s.session_id}")
        return out

    def _held(self, row: int) -> Decimal:
        """The payment's part of its client's credit: Amount minus what stays on invoices."""
        amount = self.by_row[row].amount
        if amount is None:
            return ZERO
        return amount - _sum(a for a in self.applied[row] if self.index.counts(a.invoice_no))

    def _spend(self, amount: Decimal, targets: Iterable[Invoice]) -> list[Allocation]:
        """Pay `targets` in order, each up to its open balance."""
        out = []
        for inv in targets:
            take = min(amount, inv.total - self.paid.get(inv.invoice_no, ZERO))
            if take > 0:
                out.append(Allocation(inv.invoice_no, take))
                self.paid[inv.invoice_no] = self.paid.get(inv.invoice_no, ZERO) + take
                amount -= take
        return out

    def _room(self, p: Payment, cid: str) -> Decimal:
        """What a refund can take: the client's credit now, and on the refund's date."""
        before = sum((self._held(r) for r, c in self.owner.items()
                      if c == cid and _order(self.by_row[r]) < _order(p)), ZERO)
        return max(min(self.credit.get(cid, ZERO), before), ZERO)

    def apply_new(self) -> tuple[Receipt, ...]:
        """New payments in (date, row) order, then new refunds: what people entered comes first.
        Of the refunds, those of the money of a voided invoice they name come first: the credit
        its void leaves is theirs before a refund of another invoice's money may take it.
        Receipts (a refund's too) are numbered in (date, row) order."""
        sequencer = Sequencer(self.rules.receipt_pattern,  # on from the highest ever issued, shown or not
                              [p.receipt_no for p in self.payments] + list(self.issued))
        issued: list[tuple[Payment, str, tuple[Allocation, ...]]] = []

        def order(new: tuple[Payment, str, Invoice | None]) -> tuple:
            p, _, target = new
            refund = (p.amount or ZERO) < 0
            of_a_void = refund and target is not None and target.status is InvoiceStatus.VOID
            return refund, not of_a_void, _order(p)

        for p, cid, target in sorted(self.new, key=order):
            assert p.amount is not None  # new payments passed _validate
            if cid in self.frozen:
                self.problem[p.row] = (f"Not applied while payment {self.frozen[cid]} of client {cid} "
                                       "has its Applied To cleared; restore that first")
                continue
            if p.amount < 0:
                if -p.amount > self._room(p, cid):
                    self.refused.append((p, cid))
                    continue
                allocs = [Allocation(CHARGEBACK if p.row in self.chargebacks else REFUND, p.amount)]
            else:
                allocs = self._spend(p.amount, [target] if target else [])
                allocs += self._spend(p.amount - _sum(allocs), self.index.open_of.get(cid, ()))
                if left := p.amount - _sum(allocs):
                    allocs.append(Allocation(CREDIT, left))
            issued.append((p, cid, tuple(allocs)))
            self.applied[p.row], self.owner[p.row], self.by_row[p.row] = allocs, cid, p
            self.credit[cid] = self.credit.get(cid, ZERO) + self._held(p.row)
        receipts = []
        for p, cid, issued_allocs in sorted(issued, key=lambda n: _order(n[0])):
            assert p.amount is not None and p.date is not None  # new payments passed _validate
            self.receipt_of[p.row] = sequencer.next(p.date)
            receipts.append(Receipt(self.receipt_of[p.row], p.payment_id, p.date, cid, p.amount,
                                    METHODS[p.method.strip().lower()], issued_allocs))
        return tuple(receipts)

    def apply_credit(self) -> None:
        """Credit still held pays the client's open invoices (e.g. made since), oldest credit first,
        appended to the Applied To of the payment the credit came from."""
        for row in sorted(self.owner, key=lambda r: _order(self.by_row[r])):
            cid = self.owner[row]
            available = min(self._held(row), self.credit[cid])
            if cid not in self.frozen and available > 0:
                used = self._spend(available, self.index.open_of.get(cid, ()))
                self.applied[row] += used
                self.credit[cid] -= _sum(used)

    def explain_refused(self) -> None:
        """Told once all is applied, so that the sentence is the same next cycle."""
        minor = self.rules.minor_unit
        for p, cid in self.refused:
            assert p.amount is not None and p.date is not None  # refunds passed _validate
            # what is left now (invoices since may have used some), never dated as if it were the credit then
            what = (f"{DISPUTE_LOST}: the {fmt(-p.amount, minor)} reversed by the bank" if p.row in self.chargebacks
                    else f"Refund of {fmt(-p.amount, minor)}")
            self.problem[p.row] = self._paid_back(p, cid) or (
                f"{what} is more than client {cid}'s Credit still there from payments "
                f"up to {p.date.isoformat()} ({fmt(self._room(p, cid), minor)})")

    def _paid_back(self, p: Payment, cid: str) -> str:
        """A refund of money that is on the invoice it names (a card refund made on the card service, a
        chargeback): what happened and what to do, as a credit note is how an invoice gives money back."""
        if len(split_refs(p.invoice_no)) > 1:
            return self._paid_back_of_many(p, cid)
        inv = self.index.get(p.invoice_no) if p.invoice_no.strip() else None
        if inv is None or self.index.voided(inv) or self.index.is_credit_note(inv) or inv.client_id != cid:
            return ""
        minor, on = self.rules.minor_unit, self.paid.get(inv.invoice_no, ZERO)
        if on <= 0:
            return ""
        assert p.amount is not None  # refunds passed _validate
        no = inv.invoice_no
        which = "which is paid" if on >= inv.total else f"which has {fmt(on, minor)} paid on it"
        if p.row in self.chargebacks:
            return (f"{DISPUTE_LOST}: client {cid}'s payment of {fmt(-p.amount, minor)}{_by(p.method)} for {no}, "
                    f"{which}, was disputed and reversed by the bank: void {no}, and correct or cancel the sessions "
                    "concerned so that the invoice made again bills only the rest; the next run then takes the "
                    "reversal out of the credit the void leaves")
        return (f"Client {cid} was refunded {fmt(-p.amount, minor)}{_by(p.method)} for {no}, {which}: void {no}, "
                "and correct or cancel the sessions refunded so that the invoice made again bills only the rest; "
                "the next run then takes the refund out of the credit the void leaves")

    def _paid_back_of_many(self, p: Payment, cid: str) -> str:
        """`_paid_back` of a refund of a payment that paid several invoices (its Invoice No names them all):
        what the account says was taken back from each (the last paid first), and the ones to void."""
        assert p.amount is not None and p.date is not None  # refunds passed _validate
        minor, names = self.rules.minor_unit, split_refs(p.invoice_no)
        taken = self.accounts[cid].taken_back(names, -p.amount, p.date) if cid in self.accounts else ()
        void = [a.invoice_no for a in taken
                if (inv := self.index.get(a.invoice_no)) is not None and not self.index.voided(inv)]
        if not void:
            return ""  # voided already: the refund comes out of the credit the voids left
        paid = " and ".join((", ".join(names[:-1]), names[-1]))
        parts = [f"{fmt(a.amount, minor)} taken back from {a.invoice_no}" if i == 0 else
                 f"{fmt(a.amount, minor)} from {a.invoice_no}" for i, a in enumerate(taken)]
        what = (", ".join(parts[:-1]) + " and " + parts[-1]) if len(parts) > 1 else parts[0]
        many = len(void) > 1
        todo = (f"Void {' and '.join((', '.join(void[:-1]), void[-1])) if many else void[0]}, and correct or cancel "
                f"the sessions refunded so that the {'invoices made again bill' if many else 'invoice made again bills'}"
                f" only the rest; the next run then takes the "
                f"{'reversal' if p.row in self.chargebacks else 'refund'} out of the credit the "
                f"{'voids leave' if many else 'void leaves'}")
        if p.row in self.chargebacks:
            return (f"{DISPUTE_LOST}: client {cid}'s payment{_by(p.method)} that paid {paid} was disputed and "
                    f"{fmt(-p.amount, minor)} of it reversed by the bank: {what} (the last paid first). {todo}")
        return (f"Client {cid} was refunded {fmt(-p.amount, minor)}{_by(p.method)} of a payment that paid {paid}: "
                f"{what} (the last paid first). {todo}")

    def invoice_cells(self, writes: list[CellWrite]) -> dict[str, InvoiceCells]:
        out = {}
        for inv in self.invoices:
            void = self.index.voided(inv)
            if not (self.index.maintained(inv) or void) or inv.client_id in self.frozen:
                out[inv.invoice_no] = (inv.paid, inv.balance, inv.status)
                continue
            got = self.paid.get(inv.invoice_no, ZERO)
            # a void invoice: nothing open on it; what was paid on it and is credit again stays its Paid
            if void and got and inv.client_id in self.accounts:
                got = self.accounts[inv.client_id].shown_paid(inv.invoice_no)
            after = (got, ZERO, InvoiceStatus.VOID) if void else (got, inv.total - got, _status(inv.total, got))
            shown = (inv.paid, inv.balance, inv.status)
            if _same(after, shown):  # as the row shows it: keep those (100,000 invoices, mostly unchanged)
                out[inv.invoice_no] = shown
                continue
            out[inv.invoice_no] = after
            if inv.row is not None:  # one appended this cycle is written whole: see PaymentPlan.settled
                _diff(writes, "invoices", inv.row, inv.invoice_no,
                      zip(("paid", "balance", "status"), (inv.paid, inv.balance, inv.status_text),
                          (after[0], after[1], after[2].value)))
        return out

    @cached_property
    def accounts(self) -> Accounts:
        """The clients' accounts as the payments stand after this cycle (the one account model)."""
        applied = tuple(replace(p, applied=tuple(self.applied[p.row])) for p in self.payments if p.row in self.applied)
        return accounts(self.clients, self.invoices, applied,
                        lambda number: is_credit_note(number, self.rules.credit_note_pattern))

    def client_cells(self, writes: list[CellWrite], invoice_paid: Mapping[str, InvoiceCells],
                     shown: ClientCells) -> dict[str, tuple[Decimal, Decimal]]:
        owed: dict[str, Decimal] = {}
        for inv in self.invoices:
            _, balance, status = invoice_paid[inv.invoice_no]
            if _owes(status, balance) and not self.index.is_credit_note(inv):
                owed[inv.client_id] = owed.get(inv.client_id, ZERO) + balance
        out: dict[str, tuple[Decimal, Decimal]] = {}
        for c in self.clients:
            cid = c.client_id
            if cid and cid not in out:
                out[cid] = after = (owed.get(cid, ZERO), self.credit.get(cid, ZERO))
                if cid not in self.frozen:
                    before = shown.get(cid, (None, None))
                    _diff(writes, "clients", c.row, cid, zip(("balance", "credit"), before, after))
        return out

    def payment_cells(self, writes: list[CellWrite]) -> tuple[tuple[Payment, ...], tuple[RowProblem, ...]]:
        minor = self.rules.minor_unit
        out, problems = [], []
        for p in self.payments:
            done = replace(p, applied=tuple(self.applied.get(p.row, p.applied)),
                           method=METHODS.get(p.method.strip().lower(), p.method),
                           receipt_no=self.receipt_of.get(p.row, p.receipt_no),
                           problem=self.problem.get(p.row, ""))
            _diff(writes, "payments", p.row, p.payment_id,
                  [("applied_to", format_applied(p.applied, minor), format_applied(done.applied, minor)),
                   ("receipt_no", p.receipt_no, done.receipt_no), ("method", p.method, done.method),
                   ("problem", p.problem, done.problem)])
            if done.problem and not for_the_record(done.problem):
                problems.append(RowProblem("payments", p.row, p.payment_id, done.problem))
            out.append(done)
        return tuple(out), tuple(problems)


def _by(method: str) -> str:
    """How money went: ' by card', ' in cash'; '' for Other."""
    kind = METHODS.get(method.strip().lower(), "")
    if kind == PaymentMethod.CASH.value:
        return " in cash"
    return f" by {kind.lower()}" if kind and kind != PaymentMethod.OTHER.value else ""


def for_the_record(problem: str) -> bool:
    """Words a Payments row keeps that ask nothing of anyone (a dispute the practice won, or one prevented)."""
    return problem.startswith((DISPUTE_WON, DISPUTE_PREVENTED))


def _has_content(p: Payment) -> bool:
    return bool(p.date or p.client or p.invoice_no or p.amount is not None or p.method or p.applied
                or p.receipt_no or p.errors)


def _duplicates(payments: list[Payment]) -> dict[int, str]:
    """Copies of a Payment ID (a copied row): every row after the first is flagged and not counted."""
    first: dict[str, int] = {}
    flagged = {}
    for p in payments:
        if p.payment_id in first:
            flagged[p.row] = (f"Duplicate Payment ID {p.payment_id} (also on row {first[p.payment_id]}); "
                              "give this row a new ID or clear it, and clear its Applied To and Receipt No")
        first.setdefault(p.payment_id, p.row)
    return flagged


def _validate(p: Payment, book: ClientBook, index: _Invoices, today: date,
              minor: Decimal, prepayment_days: int | None) -> tuple[Payment, str, Invoice | None]:
    """A new payment -> (payment with a rounded amount, client id, invoice it names), or _Problem."""
    if p.errors:
        raise _Problem(p.errors[0])
    if p.date is None:
        raise _Problem("No Date given")
    if p.date > today:  # whoever's it is
        raise _Problem(payment_date_problem(p.date, today, "", None, prepayment_days))
    if p.amount is None:
        raise _Problem("No Amount given")
    if p.amount == 0:
        raise _Problem("Amount is 0; enter the amount received, or a negative amount for a refund")
    if money(p.amount, minor) != p.amount:
        raise _Problem(f"Amount {p.amount} has more decimals than the currency has")
    if p.method.strip().lower() not in METHODS:
        raise _Problem(f"Unknown Method '{p.method.strip()}' {_METHOD_HINT}" if p.method.strip()
                       else f"No Method given {_METHOD_HINT}")
    refs = split_refs(p.invoice_no) if p.amount < 0 else []
    if len(refs) > 1:  # a refund of a payment that paid several invoices: each one named must be there
        targets = [index.named(ref) for ref in refs]
        whose = _client_id(p.client, book) if p.client.strip() else targets[0].client_id
        if other := next((t for t in targets if t.client_id != whose), None):
            raise _Problem(f"Invoice {other.invoice_no} is for client {other.client_id}, not {whose}")
        return replace(p, amount=money(p.amount, minor)), whose, None
    target = index.named(p.invoice_no) if p.invoice_no.strip() else None
    cid = _client_id(p.client, book) if p.client.strip() else None
    if target and cid and target.client_id != cid:
        raise _Problem(f"Invoice {target.invoice_no} is for client {target.client_id}, not {cid}")
    if target is None and cid is None:
        raise _Problem("No Client or Invoice No given")
    if target and p.amount > 0:
        _check_payable(target, index)
    if cid is None:
        assert target is not None  # one of the two is given (checked above)
        cid = target.client_id
    return replace(p, amount=money(p.amount, minor)), cid, target


def _client_id(ref: str, book: ClientBook) -> str:
    client = book.find(ref)
    if not client.client_id:
        raise _Problem(f"Client '{client.name}' has no Client ID (Clients row {client.row})")
    return client.client_id


def _check_payable(inv: Invoice, index: _Invoices) -> None:
    no = inv.invoice_no
    if index.is_credit_note(inv):
        raise _Problem(f"{no} is a credit note; name an invoice, or only the Client")
    if inv.status is InvoiceStatus.VOID:
        raise _Problem(f"Invoice {no} is void; name the invoice that replaced it, or only the Client")
    if inv.status is InvoiceStatus.DRAFT:
        raise _Problem(f"Invoice {no} is not finalized yet; finalize it first, or name only the Client")
    if inv.status not in PAYABLE:
        raise _Problem(f"Invoice {no} is {inv.status_text.lower() or 'without a Status'}; name another invoice, "
                       "or only the Client")


@overload
def _owner(p: Payment, book: ClientBook, index: _Invoices, strict: Literal[True] = True) -> str: ...
@overload
def _owner(p: Payment, book: ClientBook, index: _Invoices, strict: bool) -> str | None: ...


def _owner(p: Payment, book: ClientBook, index: _Invoices, strict: bool = True) -> str | None:
    """The client whose money an applied payment is (`core.owner.payment_owner`, as every account
    says): its Client, else the client of its invoices."""
    cid = payment_owner(p, book.id_of, lambda ref: inv.client_id if (inv := index.get(ref)) else None)
    if cid is not None:
        return cid
    if strict and p.client.strip():
        raise _Problem(f"Client '{p.client.strip()}' of this applied payment is not in Clients (renamed, or "
                       "its row deleted?) and its money is on no invoice; put the Client ID in Client. "
                       "Its credit is not counted until then")
    if strict:
        raise _Problem("No Client, and no invoice in Invoices is named by Invoice No or Applied To; "
                       "its credit is not counted until one is")
    return None


def _check_applied(p: Payment, allocs: list[Allocation], index: _Invoices, minor: Decimal) -> None:
    """An applied payment whose Amount was edited afterwards is flagged (its allocations stay)."""
    spent = _sum(a for a in allocs if index.counts(a.invoice_no))
    if p.amount is None:
        raise _Problem(f"Amount was cleared or changed after the payment was applied "
                       f"({format_applied(allocs, minor)}); restore it from the Changelog")
    if p.amount > 0 and spent > p.amount:
        raise _Problem(f"Amount {fmt(p.amount, minor)} is less than the {fmt(spent, minor)} already applied; "
                       "restore it from the Changelog")


def _sum(allocs: Iterable[Allocation]) -> Decimal:
    return sum((a.amount for a in allocs), ZERO)


def _status(total: Decimal, paid: Decimal) -> InvoiceStatus:
    if total > 0 and paid >= total:
        return InvoiceStatus.PAID
    if paid > 0:
        return InvoiceStatus.PARTIALLY_PAID
    return InvoiceStatus.FINALIZED


def _order(p: Payment) -> tuple[date, int]:
    return p.date or date.min, p.row


def _diff(writes: list[CellWrite], tab: str, row: int, key: str,
          cells: Iterable[tuple[str, object, object]]) -> None:
    """Write the cells whose value changes."""
    writes.extend(CellWrite(tab, row, key, name, before, after) for name, before, after in cells
                  if before != after)
