"""What an invoice row is, answered in one place: an invoice or a credit note (a credit
note is told by its number, made from the config's credit-note pattern)."""

from __future__ import annotations

from enum import Enum

from .numbering import NumberPattern


class InvoiceKind(str, Enum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


def kind_of(number: str, credit_notes: NumberPattern) -> InvoiceKind:
    """`CN-2026-0001` (with the pattern `CN-{year}-{seq:04}`) -> CREDIT_NOTE; anything else -> INVOICE."""
    return InvoiceKind.CREDIT_NOTE if credit_notes.matches(number) else InvoiceKind.INVOICE


def is_credit_note(number: str, credit_notes: NumberPattern) -> bool:
    return credit_notes.matches(number)
