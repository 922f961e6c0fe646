"""What a rendered invoice shows: the invoice, its client and the practice.

Renderers (HTML, Word, Google Docs) and email builders take an
`InvoiceDocument`; they never read the workbook or the config themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .model import Client, Invoice


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
