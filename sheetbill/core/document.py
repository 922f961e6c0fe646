"""What a rendered document shows: the invoice (or credit note), receipt or
statement, its client and the practice.

Renderers (HTML, Word, Google Docs) and email builders take an
`InvoiceDocument`, `ReceiptDocument` or `StatementDocument`; they never read
the workbook or the config themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .model import Allocation, Client, Invoice, Payment
from .payments import CREDIT, REFUND
from .statement import Statement


@dataclass(frozen=True)
class Practice:
    """The sender, from the config's `practice:` section."""

    name: str
    address: str = ""
    email: str = ""
    phone: str = ""
    tax_id: str = ""
    bank: str = ""  # free text: IBAN, BIC, account holder...
    website: str = ""
    currency: str = "EUR"
    minor_unit: Decimal = Decimal("0.01")
    payment_note: str = ""  # e.g. "Please pay within {terms} days to ..."
    account_holder: str = ""  # the structured account (config payments.account), for QR codes
    iban: str = ""  # compact, checked by the config
    bic: str = ""


@dataclass(frozen=True)
class TaxSummary:
    """Totals of one tax rate on an invoice."""

    rate: Decimal  # in percent, 19 for 19 %
    net: Decimal
    tax: Decimal


@dataclass(frozen=True)
class InvoiceDocument:
    practice: Practice
    invoice: Invoice  # with .lines
    client: Client
    taxes: tuple[TaxSummary, ...]
    terms_days: int
    draft: bool = False  # review mode: rendered with a DRAFT watermark, no number yet
    previous_balance: Decimal = Decimal("0")  # open balance carried forward
    today: date | None = None
    kind: str = "invoice"  # or "credit_note": negative amounts, titled Credit note
    credits: str = ""  # for a credit note: the number of the invoice it voids
    open_amount: Decimal = Decimal("0")  # what the invoice still asks for (its payment QR code); 0: nothing
    pay_link: str = ""  # where the client pays it by card online; "": nowhere

    @property
    def amount_due(self) -> Decimal:
        return self.invoice.total + self.previous_balance


def document_for(invoice: Invoice, client: Client, practice: Practice, default_terms_days: int,
                 today: date | None = None, kind: str = "invoice", credits: str = "",
                 previous_balance: Decimal = Decimal("0")) -> InvoiceDocument:
    """Everything a renderer needs for one invoice of the ledger."""
    from .invoice import tax_summary  # invoice imports this module's TaxSummary

    terms = client.terms_days if client.terms_days is not None else default_terms_days
    return InvoiceDocument(practice=practice, invoice=invoice, client=client,
                           taxes=tax_summary(invoice.lines, practice.minor_unit), terms_days=terms,
                           draft=invoice.status == "Draft", today=today, kind=kind, credits=credits,
                           previous_balance=previous_balance)


@dataclass(frozen=True)
class ReceiptDocument:
    """The receipt for one payment: what was received and what it paid."""

    practice: Practice
    client: Client
    receipt_no: str
    payment_id: str
    date: date  # the payment's date
    amount: Decimal
    method: str  # Card, Bank transfer, Cash, Other
    reference: str
    allocations: tuple[Allocation, ...]  # the invoices it paid, and how much of each
    credit: Decimal = Decimal("0")  # the client's credit on account after this payment
    balance: Decimal = Decimal("0")  # what the client still owes after this payment

    @property
    def applied(self) -> Decimal:
        return sum((a.amount for a in self.allocations), Decimal("0"))

    @property
    def unapplied(self) -> Decimal:
        """The part of this payment that paid no invoice (kept as credit)."""
        return self.amount - self.applied


def receipt_for(payment: Payment, receipt_no: str, client: Client, practice: Practice,
                credit: Decimal = Decimal("0"), balance: Decimal = Decimal("0")) -> ReceiptDocument:
    """The receipt of a payment row once it is applied: its Applied To's
    invoice entries are the allocations (a `Credit` entry is what `unapplied`
    shows). Raises ValueError for a payment without date or amount (its row
    has a Problem instead)."""
    if payment.date is None or payment.amount is None:
        raise ValueError(f"payment {payment.payment_id or payment.row} has no date or amount")
    paid = tuple(a for a in payment.applied if a.invoice_no not in (CREDIT, REFUND))
    return ReceiptDocument(practice=practice, client=client, receipt_no=receipt_no,
                           payment_id=payment.payment_id, date=payment.date, amount=payment.amount,
                           method=payment.method, reference=payment.reference,
                           allocations=paid, credit=credit, balance=balance)


@dataclass(frozen=True)
class StatementDocument:
    """A client's statement of account (see `statement.statement_for`)."""

    practice: Practice
    client: Client
    statement: Statement
