"""Where each invoice stands with its PDF and email, from the ledger alone.

An email is sent in three steps, each recorded in the workbook: its
Message-ID is written (the mark), it is sent, its Sent At is written. A
mark without Sent At means a run stopped mid-send: where the transport can
look the Message-ID up (outbox, Gmail) the worker checks and records; where
it cannot (SMTP), a person decides, and nothing is resent blindly.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Invoice, InvoiceStatus

DELIVERABLE = frozenset({InvoiceStatus.FINALIZED.value, InvoiceStatus.PARTIALLY_PAID.value,
                         InvoiceStatus.PAID.value})


@dataclass(frozen=True)
class Pending:
    invoice: Invoice
    needs_pdf: bool
    needs_email: bool
    interrupted: bool  # marked as sending in an earlier run, outcome not recorded


def pending(invoices: list[Invoice], pdf_exists, emailing: bool) -> list[Pending]:
    """Invoices that still need a PDF or an email. `pdf_exists(link)` checks a PDF column value."""
    out = []
    for inv in invoices:
        if inv.status not in DELIVERABLE and inv.status != InvoiceStatus.DRAFT.value:
            continue
        needs_pdf = not inv.pdf or not pdf_exists(inv.pdf)
        needs_email = emailing and inv.status in DELIVERABLE and not inv.sent_at
        if needs_pdf or needs_email:
            out.append(Pending(inv, needs_pdf, needs_email, bool(needs_email and inv.message_id)))
    return out


def interrupted_problem(invoice: Invoice) -> str:
    return (f"Email of {invoice.invoice_no} may or may not have gone out (a run stopped while sending). "
            f"Check the mailbox's Sent folder: if it was sent, put the time in Sent At on Invoices; "
            f"to send it again, clear its Message ID")
