"""The email that carries a superbill (see `message` for the conventions)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from ..core.superbill import SuperbillDocument
from ..render.superbill import superbill_context
from .compose import compose, message_id


def superbill_message_id(client_id: str, period: str, sender: str) -> str:
    """`<superbill.c-0042.2026-10-01-2026-10-31.…@practice.example>`, one per client and period."""
    return message_id(("superbill", client_id, period), f"superbill\n{client_id}\n{period}", sender)


def superbill_message(doc: SuperbillDocument, pdf: bytes, pdf_name: str, sender: str,
                      subject_template: Path, body_template: Path,
                      reply_to: str | None = None, bcc: str | None = None) -> EmailMessage:
    """Dated the superbill's day. Raises as `message.invoice_message` does."""
    s = doc.superbill
    period = f"{s.date_from.isoformat()}..{s.date_to.isoformat()}"
    return compose(superbill_context(doc), s.today, superbill_message_id(s.client_id, period, sender),
                   sender, subject_template, body_template, (pdf, pdf_name), reply_to, bcc)
