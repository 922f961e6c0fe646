"""What the sync needs of an accounting system (Xero, QuickBooks Online): one Protocol.

Documents are found by our own numbers (an invoice's number is theirs too; a
payment's reference is `<Payment ID> <Invoice No>`), so that anything
created before a crash is found instead of created again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Mapping, Protocol, Sequence

from .journal import Customer, Sale


@dataclass(frozen=True)
class Refusal:
    """The remote refused a document; `message` is its own words."""

    message: str


@dataclass(frozen=True)
class PaymentPart:
    """A payment's money applied to one invoice: one payment in the remote books."""

    reference: str  # "<Payment ID> <Invoice No>"
    payment_id: str
    invoice_no: str
    date: date
    amount: Decimal
    method: str


@dataclass(frozen=True)
class CreditMove:
    """A credit note applied to an invoice: to the one it voids, for what that still asks; or, for
    money paid on the voided invoice which the sheet then set against another invoice
    (core.cancellation), to that invoice for it."""

    credit_note: str  # our number
    invoice_no: str  # the invoice it voids, or the one the money went on to
    amount: Decimal  # the credit note's total, or what of the voided invoice's money the sheet set against it
    date: date  # the credit note's date


class RemoteFailure(Exception):
    """The accounting system could not be reached or answered with an error for the whole call."""


class RemoteBooks(Protocol):
    name: str  # "xero", "quickbooks"
    needs_account: bool  # lines name a revenue account (Xero), or an item that has one (QuickBooks)

    def contacts(self, customers: Sequence[Customer]) -> Mapping[str, str | Refusal]:
        """Customer name -> remote contact id, matched by email, else name; created where absent."""

    def find(self, kind: str, keys: Sequence[str]) -> Mapping[str, str]:
        """Our number (kind invoice or credit_note) -> remote id, for those there."""

    def find_payments(self, parts: Sequence[PaymentPart]) -> Mapping[str, str]:
        """Payment reference -> remote id, for those there."""

    def create_sales(self, kind: str, sales: Sequence[Sale], contacts: Mapping[str, str],
                     credited: Mapping[str, str]) -> Mapping[str, str | Refusal]:
        """Create invoices or credit notes (`credited`: our number -> remote id of the invoices
        there); our number -> remote id or Refusal. A credit note is applied to the invoice it voids
        by `move_credit`, which the push calls after."""

    def create_payments(self, parts: Sequence[PaymentPart], invoices: Mapping[str, str]) -> Mapping[str, str | Refusal]:
        """Create payments on the remote invoices; reference -> remote id or Refusal."""

    def move_credit(self, moves: Sequence[CreditMove], ids: Mapping[str, str]) -> Mapping[str, Refusal]:
        """Apply credit notes to the invoices they void and to those their voided invoice's money
        went on to, as far as not done before (the same moves again, after a crash or next cycle:
        done once); `ids`: our number -> remote id. Our credit note number -> Refusal where the
        remote refused."""
