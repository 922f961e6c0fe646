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

A client's Credit is, over all applied payments, Amount minus what was
applied to invoices that are not void: money paid on an invoice that is
later voided by a credit note becomes credit again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Iterable, Mapping, Sequence

from .clients import ClientBook, ClientProblem
from .model import Allocation, Invoice, InvoiceStatus, Ledger, Payment, PaymentMethod
from .number import CENT, D, ZERO, fmt, money
from .numbering import NumberPattern, Sequencer
from .plan import CellWrite, RowProblem

CREDIT = "Credit"
REFUND = "Refund"
_KINDS = {CREDIT.lower(): CREDIT, REFUND.lower(): REFUND}
METHODS = {m.value.lower(): m.value for m in PaymentMethod}
_METHOD_HINT = "(use Card, Bank transfer, Cash or Other)"
# Invoices whose Paid, Balance and Status the payments maintain; others are left untouched.
OPEN = frozenset({InvoiceStatus.FINALIZED.value, InvoiceStatus.PARTIALLY_PAID.value, InvoiceStatus.PAID.value})


@dataclass(frozen=True)
class PaymentRules:
    """The config's payment settings, as the core needs them."""

    receipt_pattern: NumberPattern = NumberPattern("RCPT-{year}-{seq:04}")
    payment_id_pattern: NumberPattern = NumberPattern("P-{seq:05}")
    credit_note_pattern: NumberPattern = NumberPattern("CN-{year}-{seq:04}")
    minor_unit: Decimal = Decimal("0.01")


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
    writes: tuple[CellWrite, ...] = ()
    problems: tuple[RowProblem, ...] = ()
    receipts: tuple[Receipt, ...] = ()
    payments: tuple[Payment, ...] = ()  # the Payments rows as they are after this cycle
    invoice_paid: Mapping[str, tuple[Decimal, Decimal, str]] = field(default_factory=dict)  # no -> paid, balance, status
    client_balances: Mapping[str, tuple[Decimal, Decimal]] = field(default_factory=dict)  # id -> balance, credit

    def settled(self, invoices: Iterable[Invoice]) -> tuple[Invoice, ...]:
        """`invoices` with the Paid, Balance and Status they have after this cycle."""
        out = []
        for inv in invoices:
            if inv.invoice_no in self.invoice_paid:
                paid, balance, status = self.invoice_paid[inv.invoice_no]
                inv = replace(inv, paid=paid, balance=balance, status=status)
            out.append(inv)
        return tuple(out)


class _Problem(Exception):
    """The payment cannot be applied; str() is the Problem text."""


def format_applied(allocations: Iterable[Allocation], minor: Decimal = CENT) -> str:
    """Allocations -> Applied To text: `INV-2026-0001 40.00; Credit 10.00`."""
    return "; ".join(f"{a.invoice_no} {fmt(a.amount, minor)}" for a in allocations)


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
        out.append(Allocation(_KINDS.get(ref.strip().lower(), ref.strip()), value))
    return tuple(out)


def open_balance(client_id: str, invoices_after: Iterable[Invoice], exclude_invoice_no: str = "") -> Decimal:
    """What the client still owes on its invoices (after this cycle's payments), but for one:
    the balance carried forward onto that invoice."""
    return sum((i.balance for i in invoices_after
                if i.client_id == client_id and i.invoice_no != exclude_invoice_no and _owes(i)), ZERO)


def _owes(inv: Invoice) -> bool:
    return inv.status in OPEN and inv.balance > 0


class _Invoices:
    """The invoices a payment can name: by Invoice No, or by a Session ID on a live invoice."""

    def __init__(self, invoices: Sequence[Invoice], session_ids: Iterable[str], credit_notes: NumberPattern):
        self.credit_notes = credit_notes
        self.by_no = {i.invoice_no.strip().upper(): i for i in invoices}
        self.by_session = {sid.strip().upper(): i for i in invoices
                           if i.live and not self.is_credit_note(i) for sid in i.session_ids}
        self.sessions = {s.strip().upper() for s in session_ids}
        self.open_of: dict[str, list[Invoice]] = {}  # client id -> maintained invoices, oldest first
        for i in sorted(invoices, key=lambda i: (i.issue_date or date.min, i.invoice_no)):
            if self.maintained(i):
                self.open_of.setdefault(i.client_id, []).append(i)

    def is_credit_note(self, inv: Invoice) -> bool:
        return self.credit_notes.parse(inv.invoice_no) is not None

    def maintained(self, inv: Invoice) -> bool:
        return inv.status in OPEN and not self.is_credit_note(inv)

    def get(self, ref: str) -> Invoice | None:
        key = ref.strip().upper()
        return self.by_no.get(key) or self.by_session.get(key)

    def named(self, ref: str) -> Invoice:
        inv = self.get(ref)
        if inv is not None:
            return inv
        if ref.strip().upper() in self.sessions:
            raise _Problem(f"Session {ref.strip()} is not invoiced yet; the payment is applied once it is")
        raise _Problem(f"Unknown Invoice No '{ref.strip()}' (not an Invoice No in Invoices, "
                       "nor a Session ID on an invoice)")

    def counts(self, invoice_no: str) -> bool:
        """Whether money applied to this entry stays there (not credit, refund or a void invoice)."""
        inv = self.by_no.get(invoice_no.strip().upper())
        return invoice_no not in (CREDIT, REFUND) and (inv is None or inv.status != InvoiceStatus.VOID.value)


def plan_payments(ledger: Ledger, invoices: Sequence[Invoice], rules: PaymentRules, today: date,
                  client_cells: Mapping[str, tuple[Decimal | None, Decimal | None]] | None = None) -> PaymentPlan:
    """The payment plan. `invoices` is every invoice, including those the billing plan makes this
    cycle; `client_cells` is each client's Balance and Credit as the Clients tab shows them now
    (by Client ID), so that only changed cells are written."""
    minor = rules.minor_unit
    writes: list[CellWrite] = []
    payments = _with_ids(ledger.payments, rules.payment_id_pattern, writes)
    index = _Invoices(invoices, (s.session_id for s in ledger.sessions), rules.credit_note_pattern)
    book = ClientBook(ledger.clients)
    problem = _duplicates(payments)
    applied: dict[int, list[Allocation]] = {}
    owner: dict[int, str] = {}
    frozen: dict[str, str] = {}  # client id -> the payment whose Applied To was cleared
    new: list[tuple[Payment, str, Invoice | None]] = []
    for p in (p for p in payments if p.row not in problem):
        try:
            if p.applied:
                applied[p.row] = list(p.applied)
                owner[p.row] = _owner(p, book, index)
                _check_applied(p, applied[p.row], index, minor)
            elif p.receipt_no:
                if cid := _owner(p, book, index, strict=False):
                    frozen.setdefault(cid, p.payment_id)
                raise _Problem(f"Applied To was cleared after the receipt {p.receipt_no} was issued; "
                               "restore it from the Changelog")
            else:
                new.append(_validate(p, book, index, today, minor))
        except (_Problem, ClientProblem) as exc:
            problem[p.row] = str(exc)

    paid: dict[str, Decimal] = {}
    for allocs in applied.values():
        for a in allocs:
            paid[a.invoice_no] = paid.get(a.invoice_no, ZERO) + a.amount
    by_row = {p.row: p for p in payments}
    credit: dict[str, Decimal] = {}
    for row, cid in owner.items():
        credit[cid] = credit.get(cid, ZERO) + _held(by_row[row], applied[row], index)

    def spend(amount: Decimal, targets: Iterable[Invoice]) -> list[Allocation]:
        out = []
        for inv in targets:
            take = min(amount, inv.total - paid.get(inv.invoice_no, ZERO))
            if take > 0:
                out.append(Allocation(inv.invoice_no, take))
                paid[inv.invoice_no] = paid.get(inv.invoice_no, ZERO) + take
                amount -= take
        return out

    def credit_before(p: Payment, cid: str) -> Decimal:
        """The client's credit from the payments and refunds before this one, by (date, row)."""
        return sum((_held(by_row[r], applied[r], index) for r, c in owner.items()
                    if c == cid and _order(by_row[r]) < _order(p)), ZERO)

    # New payments (date, row) order, then new refunds: what people entered comes first.
    receipts: list[Receipt] = []
    sequencer = Sequencer(rules.receipt_pattern, (p.receipt_no for p in payments))
    receipt_of: dict[int, str] = {}
    for p, cid, target in sorted(new, key=lambda n: (n[0].amount < 0, _order(n[0]))):
        if cid in frozen:
            problem[p.row] = (f"Not applied while payment {frozen[cid]} of client {cid} has its Applied To "
                              "cleared; restore that first")
            continue
        if p.amount < 0:
            room = max(min(credit.get(cid, ZERO), credit_before(p, cid)), ZERO)
            if -p.amount > room:
                problem[p.row] = (f"Refund of {fmt(-p.amount, minor)} is more than client {cid}'s Credit "
                                  f"on {p.date.isoformat()} ({fmt(room, minor)})")
                continue
            allocs = [Allocation(REFUND, p.amount)]
        else:
            allocs = spend(p.amount, [target] if target else [])
            allocs += spend(p.amount - _sum(allocs), index.open_of.get(cid, ()))
            if left := p.amount - _sum(allocs):
                allocs.append(Allocation(CREDIT, left))
            receipt_of[p.row] = sequencer.next(p.date)
            receipts.append(Receipt(receipt_of[p.row], p.payment_id, p.date, cid, p.amount,
                                    METHODS[p.method.strip().lower()], tuple(allocs)))
        applied[p.row], owner[p.row], by_row[p.row] = allocs, cid, p
        credit[cid] = credit.get(cid, ZERO) + _held(p, allocs, index)

    # Then credit still held pays the client's open invoices (e.g. made since), oldest credit first.
    for p in sorted((by_row[r] for r in owner), key=_order):
        cid = owner[p.row]
        available = min(_held(p, applied[p.row], index), credit[cid])
        if cid not in frozen and available > 0:
            used = spend(available, index.open_of.get(cid, ()))
            applied[p.row] += used
            credit[cid] -= _sum(used)

    invoice_paid: dict[str, tuple[Decimal, Decimal, str]] = {}
    for inv in invoices:
        if not index.maintained(inv) or inv.client_id in frozen:
            invoice_paid[inv.invoice_no] = (inv.paid, inv.balance, inv.status)
            continue
        got = paid.get(inv.invoice_no, ZERO)
        invoice_paid[inv.invoice_no] = after = (got, inv.total - got, _status(inv.total, got))
        _diff(writes, "invoices", inv.row or 0, inv.invoice_no,
              zip(("paid", "balance", "status"), (inv.paid, inv.balance, inv.status), after))

    owed: dict[str, Decimal] = {}
    for inv in invoices:
        _, balance, status = invoice_paid[inv.invoice_no]
        if status in OPEN and balance > 0 and not index.is_credit_note(inv):
            owed[inv.client_id] = owed.get(inv.client_id, ZERO) + balance
    client_balances: dict[str, tuple[Decimal, Decimal]] = {}
    for c in ledger.clients:
        if c.client_id and c.client_id not in client_balances:
            client_balances[c.client_id] = after = (owed.get(c.client_id, ZERO), credit.get(c.client_id, ZERO))
            if c.client_id not in frozen:
                shown = (client_cells or {}).get(c.client_id, (None, None))
                _diff(writes, "clients", c.row, c.client_id, zip(("balance", "credit"), shown, after))

    out, problems = [], []
    for p in payments:
        method = METHODS.get(p.method.strip().lower(), p.method)
        done = replace(p, applied=tuple(applied.get(p.row, p.applied)), method=method,
                       receipt_no=receipt_of.get(p.row, p.receipt_no), problem=problem.get(p.row, ""))
        _diff(writes, "payments", p.row, p.payment_id,
              [("applied_to", format_applied(p.applied, minor), format_applied(done.applied, minor)),
               ("receipt_no", p.receipt_no, done.receipt_no), ("method", p.method, done.method),
               ("problem", p.problem, done.problem)])
        if done.problem:
            problems.append(RowProblem("payments", p.row, p.payment_id, done.problem))
        out.append(done)
    return PaymentPlan(tuple(writes), tuple(problems), tuple(receipts), tuple(out), invoice_paid, client_balances)


def _with_ids(payments: Iterable[Payment], pattern: NumberPattern, writes: list[CellWrite]) -> list[Payment]:
    """Give rows entered without a Payment ID the next one; drop empty rows."""
    payments = list(payments)
    sequencer = Sequencer(pattern, (p.payment_id for p in payments))
    out = []
    for p in payments:
        if not p.payment_id and (p.date or p.client or p.invoice_no or p.amount is not None or p.method
                                 or p.applied or p.receipt_no or p.errors):
            p = replace(p, payment_id=sequencer.next(p.date or date.min))
            writes.append(CellWrite("payments", p.row, "", "payment_id", "", p.payment_id))
        if p.payment_id:
            out.append(p)
    return out


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
              minor: Decimal) -> tuple[Payment, str, Invoice | None]:
    """A new payment -> (payment with a rounded amount, client id, invoice it names), or _Problem."""
    if p.errors:
        raise _Problem(p.errors[0])
    if p.date is None:
        raise _Problem("No Date given")
    if p.date > today:
        raise _Problem(f"Date {p.date.isoformat()} is in the future; enter the payment once it is received")
    if p.amount is None:
        raise _Problem("No Amount given")
    if p.amount == 0:
        raise _Problem("Amount is 0; enter the amount received, or a negative amount for a refund")
    if money(p.amount, minor) != p.amount:
        raise _Problem(f"Amount {p.amount} has more decimals than the currency has")
    if p.method.strip().lower() not in METHODS:
        raise _Problem(f"Unknown Method '{p.method.strip()}' {_METHOD_HINT}" if p.method.strip()
                       else f"No Method given {_METHOD_HINT}")
    target = index.named(p.invoice_no) if p.invoice_no.strip() else None
    cid = _client_id(p.client, book) if p.client.strip() else None
    if target and cid and target.client_id != cid:
        raise _Problem(f"Invoice {target.invoice_no} is for client {target.client_id}, not {cid}")
    if target is None and cid is None:
        raise _Problem("No Client or Invoice No given")
    if target and p.amount > 0:
        _check_payable(target, index)
    return replace(p, amount=money(p.amount, minor)), cid or target.client_id, target


def _client_id(ref: str, book: ClientBook) -> str:
    client = book.find(ref)
    if not client.client_id:
        raise _Problem(f"Client '{client.name}' has no Client ID (Clients row {client.row})")
    return client.client_id


def _check_payable(inv: Invoice, index: _Invoices) -> None:
    no = inv.invoice_no
    if index.is_credit_note(inv):
        raise _Problem(f"{no} is a credit note; name an invoice, or only the Client")
    if inv.status == InvoiceStatus.VOID.value:
        raise _Problem(f"Invoice {no} is void; name the invoice that replaced it, or only the Client")
    if inv.status == InvoiceStatus.DRAFT.value:
        raise _Problem(f"Invoice {no} is not finalized yet; finalize it first, or name only the Client")
    if inv.status not in OPEN:
        raise _Problem(f"Invoice {no} is {inv.status.lower() or 'without a Status'}; name another invoice, "
                       "or only the Client")


def _owner(p: Payment, book: ClientBook, index: _Invoices, strict: bool = True) -> str | None:
    """The client whose money an applied payment is: its Client, else the client of its invoices."""
    if p.client.strip() and (cid := book.id_of(p.client)):
        return cid
    for ref in (p.invoice_no, *(a.invoice_no for a in p.applied)):
        if (inv := index.get(ref)) is not None:
            return inv.client_id
    if strict:
        raise _Problem(f"Client '{p.client.strip()}' of this applied payment is not in Clients; "
                       "its credit is not counted until it is")
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


def _held(p: Payment, allocs: Iterable[Allocation], index: _Invoices) -> Decimal:
    """The payment's part of its client's credit: Amount minus what stays on invoices."""
    if p.amount is None:
        return ZERO
    return p.amount - _sum(a for a in allocs if index.counts(a.invoice_no))


def _sum(allocs: Iterable[Allocation]) -> Decimal:
    return sum((a.amount for a in allocs), ZERO)


def _status(total: Decimal, paid: Decimal) -> str:
    if total > 0 and paid >= total:
        return InvoiceStatus.PAID.value
    if paid > 0:
        return InvoiceStatus.PARTIALLY_PAID.value
    return InvoiceStatus.FINALIZED.value


def _order(p: Payment) -> tuple[date, int]:
    return p.date or date.min, p.row


def _diff(writes: list[CellWrite], tab: str, row: int, key: str, cells: Iterable[tuple[str, object, object]]) -> None:
    writes.extend(CellWrite(tab, row, key, name, before, after) for name, before, after in cells if before != after)
