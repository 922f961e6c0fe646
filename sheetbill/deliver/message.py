"""The emails of the payment lifecycle, each with its PDF attached: the
invoice (or credit note), the receipt of a payment, the statement of account,
and the reminder of an overdue invoice.

Subject and body come from the practice's text templates, filled in with the
document's template context (`render.context`, `render.receipt`,
`render.statement`); cell text is data, never template code. Its `Date` is
the moment it is written (`written`, from the worker's clock, in the
practice's time zone); its `Message-ID` is derived from what identifies the
document and from the sending workbook's own id (`workbook`), so an
interrupted run can ask the transport whether it went out already, the ids of
an invoice, its receipt, its statement and each reminder level never collide,
and two workbooks (a trial one and the real one) never share one. With an
empty `workbook` the ids are those of older versions (see `compose.message_id`).
"""

from __future__ import annotations

from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path

from ..core.document import InvoiceDocument, ReceiptDocument, StatementDocument
from ..core.kind import InvoiceKind
from ..render.context import format_date, invoice_context, money_format
from ..render.receipt import receipt_context
from ..render.statement import statement_context
from .base import DOCUMENT_HEADER
from .compose import compose, message_id, slug

CREDIT_NOTE_SUBJECT = "credit_note_subject.txt"  # looked up next to the invoice templates
CREDIT_NOTE_BODY = "credit_note_body.txt"


def message_id_for(invoice_no: str, checksum: str, sender: str, workbook: str = "") -> str:
    """`<inv-2026-0001.3f2a9c1e5b7d@practice.example>`: readable, stable for
    one invoice, different for a voided-and-reissued one (another checksum).

    Raises ValueError when `sender` has no domain.
    """
    label = invoice_no if slug(invoice_no) else "invoice"
    return message_id((label,), f"{invoice_no}\n{checksum}", sender, workbook)


def receipt_message_id(receipt_no: str, sender: str, workbook: str = "", payment_id: str = "") -> str:
    """`<receipt.rcpt-2026-0001.…@practice.example>`, one per receipt of a payment: a receipt
    number that ever came to another payment does not make the same id. Without
    `payment_id` it is the id older versions gave (one per receipt number)."""
    key = f"receipt\n{receipt_no}" + (f"\npayment {payment_id}" if payment_id else "")
    return message_id(("receipt", receipt_no), key, sender, workbook)


def receipt_document(receipt_no: str, payment_id: str) -> str:
    """The document a receipt email carries, as its DOCUMENT_HEADER says."""
    return f"receipt {receipt_no} of payment {payment_id}"


def statement_message_id(client_id: str, date_from: date, date_to: date, sender: str,
                         workbook: str = "") -> str:
    """`<statement.c-0042.2026-10-01.2026-11-30.…@practice.example>`, one per
    client and period."""
    return message_id(("statement", client_id, date_from.isoformat(), date_to.isoformat()),
                      f"statement\n{client_id}\n{date_from}\n{date_to}", sender, workbook)


def reminder_message_id(invoice_no: str, level: int, sender: str, workbook: str = "") -> str:
    """`<reminder-2.inv-2026-0001.…@practice.example>`, one per invoice and level."""
    return message_id((f"reminder-{level}", invoice_no), f"reminder\n{invoice_no}\n{level}",
                      sender, workbook)


def invoice_message(doc: InvoiceDocument, pdf: bytes, pdf_name: str, sender: str,
                    subject_template: Path, body_template: Path,
                    reply_to: str | None = None, bcc: str | None = None,
                    credit_note_templates: tuple[Path, Path] | None = None, *,
                    written: datetime, workbook: str) -> EmailMessage:
    """The email that carries an invoice's or a credit note's `pdf` to the client.

    A credit note (`doc.kind` CREDIT_NOTE) is written with
    `credit_note_templates` (subject, body), by default `credit_note_subject.txt`
    and `credit_note_body.txt` next to the invoice templates.
    Raises `RenderError` for a broken template, `PermanentFailure` when the
    client has no usable email address, ValueError for a sender without
    domain.
    """
    if doc.kind is InvoiceKind.CREDIT_NOTE:
        subject_template, body_template = credit_note_templates or (
            subject_template.with_name(CREDIT_NOTE_SUBJECT),
            body_template.with_name(CREDIT_NOTE_BODY))
    msg = compose(invoice_context(doc), written,
                  message_id_for(doc.invoice.invoice_no, doc.invoice.checksum, sender, workbook),
                  sender, subject_template, body_template, (pdf, pdf_name), reply_to, bcc)
    msg[DOCUMENT_HEADER] = f"{doc.invoice.invoice_no} checksum {doc.invoice.checksum}"
    return msg


def receipt_message(doc: ReceiptDocument, pdf: bytes, pdf_name: str, sender: str,
                    subject_template: Path, body_template: Path,
                    reply_to: str | None = None, bcc: str | None = None, *,
                    written: datetime, workbook: str) -> EmailMessage:
    """The email that thanks the client for a payment, its receipt attached.
    Raises as `invoice_message` does."""
    msg = compose(receipt_context(doc), written,
                  receipt_message_id(doc.receipt_no, sender, workbook, doc.payment_id),
                  sender, subject_template, body_template, (pdf, pdf_name), reply_to, bcc)
    msg[DOCUMENT_HEADER] = receipt_document(doc.receipt_no, doc.payment_id)
    return msg


def statement_message(doc: StatementDocument, pdf: bytes, pdf_name: str, sender: str,
                      subject_template: Path, body_template: Path,
                      reply_to: str | None = None, bcc: str | None = None, *,
                      written: datetime, workbook: str) -> EmailMessage:
    """The email that carries a statement of account. Raises as
    `invoice_message` does."""
    s = doc.statement
    return compose(statement_context(doc), written,
                   statement_message_id(s.client_id, s.date_from, s.date_to, sender, workbook),
                   sender, subject_template, body_template, (pdf, pdf_name), reply_to, bcc)


def reminder_message(doc: InvoiceDocument, pdf: bytes, pdf_name: str, level: int,
                     days_overdue: int, today: date, sender: str, subject_template: Path,
                     body_template: Path, reply_to: str | None = None,
                     bcc: str | None = None, *, written: datetime, workbook: str) -> EmailMessage:
    """The reminder of an overdue invoice, its PDF attached again, as of `today`.

    The templates get the invoice's context and `level` (1 friendly, 2 firmer,
    3 and above final), `days_overdue`, `open_balance` (open on the invoice today)
    and `reminder_date`. Raises ValueError for a level below 1, else as
    `invoice_message` does.
    """
    if level < 1:
        raise ValueError(f"a reminder level is 1 or more, not {level}")
    invoice = invoice_context(doc)
    language = invoice["language"]
    context = {**invoice, "level": level, "days_overdue": days_overdue,
               "open_balance": money_format(doc.practice, language)(doc.balance),
               "reminder_date": format_date(today, language)}
    return compose(context, written, reminder_message_id(doc.invoice.invoice_no, level, sender, workbook),
                   sender, subject_template, body_template, (pdf, pdf_name), reply_to, bcc)
