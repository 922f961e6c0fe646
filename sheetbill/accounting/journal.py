"""The period's books: every finalized invoice, credit note and payment.

A pure function of the ledger (the Invoices, Lines, Payments and Clients
tabs as records). Drafts are left out; a voided invoice stays in (it was
issued) and its credit note takes it back. A payment counts once the worker
has applied it (its Applied To is written); a row with a Problem does not.

Where a payment's money went is taken from the client's account as of the
period's end (`Account.payment_on`), not from Applied To as it reads today:
Applied To grows when credit pays a later invoice or a void moves the money,
and a period's books must not change with what happened after it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable

from ..core.account import Account, Accounts, account_of, accounts, owner_of
from ..core.cancellation import cancellation
from ..core.clients import ClientBook, ClientProblem
from ..core.lifecycle import is_draft_key
from ..core.model import Allocation, Client, InvoiceStatus, Ledger, Line, Payment
from ..core.number import ZERO, money
from ..core.numbering import NumberPattern
from ..core.account import CHARGEBACK, NOT_ON_INVOICES
from ..core.kind import is_credit_note
from .refunds import repaid

INVOICE = "invoice"
CREDIT_NOTE = "credit_note"


@dataclass(frozen=True)
class Customer:
    client_id: str
    name: str
    email: str = ""
    address: str = ""
    tax_id: str = ""


@dataclass(frozen=True)
class RateTotal:
    """One tax rate's part of a document."""

    rate: Decimal
    net: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


@dataclass(frozen=True)
class Sale:
    """An invoice or a credit note (negative amounts) as issued."""

    number: str
    kind: str  # INVOICE or CREDIT_NOTE
    date: datetime.date
    due_date: datetime.date
    customer: Customer
    lines: tuple[Line, ...]
    net: Decimal
    tax: Decimal
    total: Decimal
    credits: str = ""  # a credit note: the invoice it voids
    void: bool = False  # an invoice later voided by a credit note
    # a credit note: of the money paid on the invoice it voids, what the account set against other
    # invoices by the period's end (core.cancellation), in the order they took it
    moved: tuple[Allocation, ...] = ()

    @property
    def rates(self) -> tuple[RateTotal, ...]:
        nets: dict[Decimal, list[Decimal]] = {}
        for line in self.lines:
            sums = nets.setdefault(line.tax_rate.normalize(), [ZERO, ZERO])
            sums[0] += line.net
            sums[1] += line.tax
        return tuple(RateTotal(rate, net, tax) for rate, (net, tax) in sorted(nets.items()))


@dataclass(frozen=True)
class Received:
    """A payment (or, with a negative amount, a refund or a chargeback) and where its money went."""

    payment_id: str
    date: datetime.date
    customer: Customer
    amount: Decimal
    method: str
    reference: str
    allocations: tuple[Allocation, ...]  # as of the period's end, the rest as `Credit` (see module doc)
    repaid: tuple[Allocation, ...] = ()  # a refund: the credit it paid back, by document (see `refunds`)

    @property
    def chargeback(self) -> bool:
        """Money the client's bank took back after a card dispute (Applied To `Chargeback`): booked
        as a refund is, and named as what it is."""
        return any(a.invoice_no == CHARGEBACK for a in self.allocations)

    def parts(self) -> tuple[tuple[str, Decimal], ...]:
        """The amount split by what it paid: `(invoice no, amount)`, and `("", rest)` for what
        was credit at the period's end or was refunded."""
        if self.amount < 0:
            return (("", self.amount),)
        return tuple(("" if a.invoice_no in NOT_ON_INVOICES else a.invoice_no, a.amount)
                     for a in self.allocations if a.amount > 0)


@dataclass(frozen=True)
class Journal:
    date_from: date
    date_to: date
    currency: str
    sales: tuple[Sale, ...]
    payments: tuple[Received, ...]


def unit_and_quantity(line: Line, minor: Decimal) -> tuple[Decimal, Decimal]:
    """A quantity and unit amount whose product is the line's net to the cent (a line's discount
    folded into its unit amount, else the whole net as one unit)."""
    if line.quantity and money(line.quantity * line.unit_price, minor) == line.net:
        return line.quantity, line.unit_price
    if line.quantity:
        unit = money(line.net / line.quantity, minor)
        if money(unit * line.quantity, minor) == line.net:
            return line.quantity, unit
    return Decimal(1), line.net


def priced(line: Line, minor: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """Quantity, net unit amount and discount with quantity × unit − discount = the line's net to
    the cent: the line's own where they make its net (a net price), else `unit_and_quantity`'s
    with the discount in the unit amount (a gross price: VAT out of the price and the discount)."""
    if line.quantity and money(line.quantity * line.unit_price, minor) - line.discount == line.net:
        return line.quantity, line.unit_price, line.discount
    return (*unit_and_quantity(line, minor), ZERO)


def journal(ledger: Ledger, date_from: date, date_to: date, credit_notes: NumberPattern,
            currency: str) -> Journal:
    clients = ClientBook(ledger.clients)
    by_id = {c.client_id: c for c in ledger.clients if c.client_id}
    sales = []
    owner: dict[str, Customer] = {}
    books = _Books(ledger, lambda number: is_credit_note(number, credit_notes))
    for inv in ledger.invoices:
        if is_draft_key(inv.invoice_no) or inv.status is InvoiceStatus.DRAFT or inv.issue_date is None:
            continue
        customer = _customer(by_id.get(inv.client_id), inv.client_id, inv.client_name)
        owner[inv.invoice_no] = customer
        if not date_from <= inv.issue_date <= date_to:
            continue
        note = is_credit_note(inv.invoice_no, credit_notes)
        credits = inv.session_ids[0] if note and inv.session_ids else ""
        sales.append(Sale(
            number=inv.invoice_no, kind=CREDIT_NOTE if note else INVOICE, date=inv.issue_date,
            due_date=inv.due_date or inv.issue_date, customer=customer, lines=inv.lines, net=inv.net,
            tax=inv.tax, total=inv.total, credits=credits, void=inv.status is InvoiceStatus.VOID,
            moved=books.moved(inv.client_id, credits, date_to) if credits else ()))
    payments = []
    for p in ledger.payments:
        if p.errors or p.date is None or p.amount is None or not p.applied or not date_from <= p.date <= date_to:
            continue
        account = books.account(p)
        allocations = account.payment_on(p.payment_id, date_to)
        paid_for = next((owner[a.invoice_no] for a in allocations if a.invoice_no in owner), None)
        back = repaid(account, date_from, date_to).get(p.payment_id, ()) if p.amount < 0 else ()
        payments.append(Received(p.payment_id, p.date, paid_for or books.customer(p, by_id, clients), p.amount,
                                 p.method, p.reference, allocations, back))
    sales.sort(key=lambda s: (s.date, s.kind != INVOICE, s.number))
    payments.sort(key=lambda r: (r.date, r.payment_id))
    return Journal(date_from, date_to, currency, tuple(sales), tuple(payments))


def _customer(client: Client | None, client_id: str, name: str) -> Customer:
    if client is None:
        return Customer(client_id, name)
    return Customer(client.client_id, client.name or name, client.email, client.address, client.tax_id)


def _payer(clients: ClientBook, ref: str) -> Customer:
    try:
        c = clients.find(ref)
    except ClientProblem:
        return Customer("", ref)
    return _customer(c, c.client_id, c.name)


class _Books:
    """Each payment's client account (the one account model), made once per client."""

    def __init__(self, ledger: Ledger, credit_note: Callable[[str], bool]) -> None:
        self._ledger, self._credit_note = ledger, credit_note
        self._accounts: Accounts = accounts(ledger.clients, ledger.invoices, ledger.payments, credit_note)
        self._owner = owner_of(ledger.clients, ledger.invoices)
        self._client_of = {i.invoice_no: i.client_id for i in ledger.invoices}

    def customer(self, p: Payment, by_id: dict[str, Client], clients: ClientBook) -> Customer:
        """Whose money `p` is (`owner_of`, the one rule): the client its Client names, else the client
        of the invoice or session its Applied To or Invoice No names, though its money was still
        credit at the period's end (an invoice issued later); else whom its Client cell names."""
        client_id = self._owner(p)
        if not client_id:
            return _payer(clients, p.client)
        client = by_id.get(client_id)
        if client is not None and client.name:
            return _customer(client, client_id, client.name)
        name = next((i.client_name for i in self._ledger.invoices if i.client_id == client_id), p.client)  # gone
        return _customer(client, client_id, name)

    def moved(self, client_id: str, voided: str, day: date) -> tuple[Allocation, ...]:
        """Of the money paid on the void invoice `voided`, what other invoices took by `day`."""
        if client_id not in self._accounts:
            return ()
        cancelled = cancellation(self._accounts[client_id], voided, day)
        return cancelled.set_against if cancelled is not None else ()

    def account(self, p: Payment) -> Account:
        """The account the payment is on. A payment whose client is no longer found (renamed,
        deleted) gets an account of its own, with the invoices of the client it paid."""
        client_id = self._owner(p)
        if client_id is not None and client_id in self._accounts:
            return self._accounts[client_id]
        client_id = next((self._client_of[a.invoice_no] for a in p.applied if a.invoice_no in self._client_of), "")
        return account_of(client_id, self._ledger.invoices, (p,), lambda _: client_id, self._credit_note)
