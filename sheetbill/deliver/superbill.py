"""The email that carries a superbill (see `message` for the conventions)."""

from __future__ import annotations

from email.message import EmailMessage
from datetime import datetime
from pathlib import Path

from ..core.superbill import SuperbillDocument
from ..render.superbill import superbill_context
from .compose import compose, message_id


def superbill_message_id(client_id: str, period: str, sender: str, workbook: str = "") -> str:
    """`<superbill.c-0042.2026-10-01-2026-10-31.…@practice.example>`, one per client and period
    (and workbook: see `compose.message_id`)."""
    return message_id(("superbill", client_id, period), f"superbill\n{client_id}\n{period}", sender, workbook)


def superbill_message(doc: SuperbillDocument, pdf: bytes, pdf_name: str, sender: str,
                      subject_template: Path, body_template: Path,
                      reply_to: str | None = None, bcc: str | None = None, *,
                      written: datetime, workbook: str) -> EmailMessage:
    """Dated when written. Raises as `message.invoice_message` does."""
    s = doc.superbill
    period = f"{s.date_from.isoformat()}..{s.date_to.isoformat()}"
    return compose(superbill_context(doc), written, superbill_message_id(s.client_id, period, sender, workbook),
                   sender, subject_template, body_template, (pdf, pdf_name), reply_to, bcc)
