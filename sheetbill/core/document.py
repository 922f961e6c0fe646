"""What a rendered document shows: the invoice (or credit note), receipt or
statement, its client and the practice.

Renderers (HTML, Word, Google Docs) and email builders take an
`InvoiceDocument`, `ReceiptDocument` or `StatementDocument`; they never read
the workbook or the config themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
import datetime
from datetime import date
from decimal import Decimal

from .account import AccountStatus, InvoiceFigures, PaymentOnInvoice, ReceiptFigures
from .cancellation import Cancellation
from .kind import InvoiceKind
from .model import Allocation, Client, Invoice, InvoiceStatus, Payment
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
    language: str = ""  # config practice.language: the documents' locale where the client has none


@dataclass(frozen=True)
class TaxSummary:
    """Totals of one VAT category and rate on an invoice (EN 16931's VAT breakdown, BG-23)."""

    rate: Decimal  # in percent, 19 for 19 %
    net: Decimal
    tax: Decimal
    category: str = "S"  # core.vat's S, Z, E, AE, K, O
    reason: str = ""  # the exemption reason text of E, AE, K, O (the first line's)
    vatex: str = ""  # its VATEX code


@dataclass(frozen=True)
class InvoiceDocument:
    practice: Practice
    invoice: Invoice  # with .lines
    client: Client
    taxes: tuple[TaxSummary, ...]
    terms_days: int
    draft: bool = False  # review mode: rendered with a DRAFT watermark, no number yet
    previous_balance: Decimal = Decimal("0")  # open on earlier invoices, less credit (core.account)
    today: date | None = None
    kind: InvoiceKind = InvoiceKind.INVOICE  # a credit note: negative amounts, titled Credit note
    credits: str = ""  # for a credit note: the number of the invoice it voids
    paid: Decimal = Decimal("0")  # paid on this invoice as of `today`
    payments: tuple[PaymentOnInvoice, ...] = ()  # the payments on it as of `today`
    pay_link: str = ""  # where the client pays it by card online (payments/pay_links.py); "": nowhere
    status: AccountStatus | None = None  # as of `today` (core.account); None: worked out from `paid`
    cancellation: Cancellation | None = None  # a void invoice's, or the one a credit note made (core.cancellation)

    @property
    def void(self) -> bool:
        """A void invoice: its credit note cancels it, nothing is open or asked on it."""
        return self.kind is InvoiceKind.INVOICE and self.status is AccountStatus.VOID

    @property
    def balance(self) -> Decimal:
        """Still open on this invoice (a credit note's negative total; nothing on a void invoice)."""
        return Decimal(0) if self.void else self.invoice.total - self.paid

    @property
    def amount_due(self) -> Decimal:
        """What the client is asked to pay now: nothing for a credit note or a void invoice."""
        if self.kind is InvoiceKind.CREDIT_NOTE or self.status in (AccountStatus.CREDIT_NOTE, AccountStatus.VOID):
            return Decimal(0)
        return max(Decimal(0), self.balance + self.previous_balance)

    @property
    def is_paid(self) -> bool:
        return (self.kind is not InvoiceKind.CREDIT_NOTE and not self.void and self.invoice.total > 0
                and self.balance <= 0)

    @property
    def asks_payment(self) -> bool:
        """An invoice that asks to be paid (its reference, its QR code): numbered, not a draft, not void."""
        return (self.kind is InvoiceKind.INVOICE and not self.draft and not self.void
                and bool(self.invoice.invoice_no.strip()))


def document_for(invoice: Invoice, client: Client, practice: Practice, default_terms_days: int,
                 today: date | None = None, kind: InvoiceKind = InvoiceKind.INVOICE, credits: str = "",
                 previous_balance: Decimal = Decimal("0"),
                 figures: InvoiceFigures | None = None) -> InvoiceDocument:
    """Everything a renderer needs for one invoice of the ledger; `figures` (from the client's
    account, as of `today`) give what was paid on it and what is open before it."""
    from .invoice import tax_summary  # invoice imports this module's TaxSummary

    terms = client.terms_days if client.terms_days is not None else default_terms_days
    return InvoiceDocument(practice=practice, invoice=invoice, client=client,
                           taxes=tax_summary(invoice.lines, practice.minor_unit), terms_days=terms,
                           draft=invoice.status is InvoiceStatus.DRAFT, today=today, kind=kind, credits=credits,
                           previous_balance=figures.previous_balance if figures else previous_balance,
                           paid=figures.paid if figures else Decimal("0"),
                           payments=figures.payments if figures else (),
                           status=figures.status if figures else None,
                           cancellation=figures.cancellation if figures else None)


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
    balance: Decimal = Decimal("0")  # still open on invoices issued by `open_on`, after it
    kind: str = "receipt"  # or "refund", "chargeback": `amount` is then the money paid back (positive)
    open_on: datetime.date | None = None  # the day `balance` and `credit` are of (None: the payment's date)
    ahead: Decimal = Decimal("0")  # a refund: what of it was paid back ahead of the credit it comes out of
    settled_by: tuple[str, ...] = ()  # the void invoices whose cancellation settles that

    @property
    def out_of_credit(self) -> Decimal:
        """Money back (a refund, a chargeback): what of it came out of the credit the client held on its day."""
        return self.amount - self.ahead if self.kind != "receipt" else Decimal("0")

    @property
    def applied(self) -> Decimal:
        return sum((a.amount for a in self.allocations), Decimal("0"))

    @property
    def unapplied(self) -> Decimal:
        """The part of this payment that paid no invoice (kept as credit); 0 for money paid back."""
        return Decimal(0) if self.kind != "receipt" else self.amount - self.applied


def receipt_for(payment: Payment, receipt_no: str, client: Client, practice: Practice,
                figures: ReceiptFigures) -> ReceiptDocument:
    """The receipt (or refund receipt) of a payment row once it is applied, with the figures of
    the client's account as of the payment's date (`core.account.Account.receipt`). Raises
    ValueError for a payment without date or amount (its row has a Problem instead)."""
    if payment.date is None or payment.amount is None:
        raise ValueError(f"payment {payment.payment_id or payment.row} has no date or amount")
    return ReceiptDocument(practice=practice, client=client, receipt_no=receipt_no,
                           payment_id=payment.payment_id, date=payment.date, amount=figures.amount,
                           method=payment.method, reference=payment.reference,
                           allocations=figures.allocations, credit=figures.credit,
                           balance=figures.still_open, kind=figures.kind, open_on=figures.on,
                           ahead=figures.ahead, settled_by=figures.settled_by)


@dataclass(frozen=True)
class StatementDocument:
    """A client's statement of account (see `statement.statement_for`)."""

    practice: Practice
    client: Client
    statement: Statement
