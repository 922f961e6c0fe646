"""How much an invoice still asks for: the amount in its payment QR code and
what a bank transfer is matched against.

On a document it is the invoice's balance as the client's account has it at
the document's moment (`core.account`, carried by the InvoiceDocument); for
matching bank entries it is the invoice's Balance as this cycle leaves it
(the same account, as of today, written by `core.payments`).
"""

from __future__ import annotations

from decimal import Decimal

from ..core.document import InvoiceDocument
from ..core.model import Invoice
from ..core.number import ZERO
from ..core.payments import PAYABLE
from ..core.statement import Statement


def open_amount(invoice: Invoice) -> Decimal:
    """What is still to pay on `invoice`; 0 for a paid, draft, void or archived one."""
    if invoice.status not in PAYABLE or invoice.balance <= 0:
        return ZERO
    return invoice.balance


def document_open_amount(doc: InvoiceDocument) -> Decimal:
    """What an invoice document asks the client to pay now, the amount its QR code carries: its
    Amount due ("Total now due": this invoice's balance plus what is open on earlier ones, less
    credit), as of the document's moment, so that the code and the sentence above it agree; 0 for
    a paid, void or draft invoice and for a credit note. A transfer quoting the invoice's reference
    pays it first and the client's oldest open invoices with the rest."""
    if not doc.asks_payment or doc.is_paid:
        return ZERO
    return doc.amount_due


def statement_open_amount(statement: Statement) -> Decimal:
    """What a statement asks the client to pay: its balance due (closing less credit); 0 when none."""
    return statement.due if statement.due > 0 else ZERO
