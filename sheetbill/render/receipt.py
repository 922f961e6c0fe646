"""A `ReceiptDocument` as a plain template context, every value already text
(the conventions of `render.context`), and the receipt's document type."""

from __future__ import annotations

from typing import TypedDict

from ..core.document import ReceiptDocument
from .base import DocumentType
from .method import method_words
from ..language import N_, document_language, gettext_for
from .context import (ClientContext, PracticeContext, client_context, format_date,
                      money_format, practice_context, text)


TITLES = {"receipt": N_("Receipt"), "refund": N_("Refund receipt"), "chargeback": N_("Card payment reversed")}


class AllocationContext(TypedDict):
    invoice_no: str
    amount: str


class ReceiptContext(TypedDict):
    practice: PracticeContext
    client: ClientContext
    kind: str  # "receipt", or "refund" (money back to the client: paid back, or reversed by the bank)
    chargeback: bool  # a "refund" that is the client's card payment reversed by their bank (a dispute lost)
    title: str  # "Receipt", "Refund receipt" or "Card payment reversed"
    number: str  # the receipt number, RCPT-2026-0001
    payment_id: str
    date: str
    date_iso: str
    amount: str  # received, or paid back (positive)
    method: str
    reference: str
    currency: str
    allocations: list[AllocationContext]
    applied: str  # the sum of the allocations
    unapplied: str  # the part of this payment kept as credit
    has_unapplied: bool
    credit: str  # the client's credit on account after this payment
    has_credit: bool
    still_open: str  # open on invoices issued by `open_on`, after this payment
    open_on: str  # the payment's date, or the newest issue date of the invoices it paid (made after it)
    balance: str  # the same as still_open
    has_balance: bool
    out_of_credit: str  # a refund: what of it came out of the credit the client held on its day; else ""
    ahead: str  # a refund: what of it was paid back ahead of the credit it comes out of; else ""
    settled_by: str  # the void invoices whose cancellation settles that (", ")
    settled_by_count: int  # how many settled_by names
    language: str  # the document's locale name, "" for sheetbill's plain English


def receipt_context(doc: ReceiptDocument) -> ReceiptContext:
    """The template context of `doc`: plain dicts, lists, text, bools."""
    language = document_language(doc.client.language, doc.practice.language)
    _ = gettext_for(language)
    amount = money_format(doc.practice, language)
    return {
        "practice": practice_context(doc.practice),
        "client": client_context(doc.client),
        "kind": "receipt" if doc.kind == "receipt" else "refund",
        "chargeback": doc.kind == "chargeback",
        "title": _(TITLES[doc.kind]),
        "number": text(doc.receipt_no),
        "payment_id": text(doc.payment_id),
        "date": format_date(doc.date, language),
        "date_iso": doc.date.isoformat(),
        "open_on": format_date(doc.open_on or doc.date, language),
        "amount": amount(doc.amount),
        "method": text(method_words(doc.method, _)),
        "reference": text(doc.reference),
        "currency": doc.practice.currency,
        "allocations": [{"invoice_no": text(a.invoice_no), "amount": amount(a.amount)}
                        for a in doc.allocations],
        "applied": amount(doc.applied),
        "unapplied": amount(doc.unapplied),
        "has_unapplied": doc.unapplied > 0,
        "credit": amount(doc.credit),
        "has_credit": doc.credit > 0,
        "still_open": amount(doc.balance),
        "balance": amount(doc.balance),
        "has_balance": doc.balance > 0,
        "out_of_credit": amount(doc.out_of_credit) if doc.ahead and doc.out_of_credit > 0 else "",
        "ahead": amount(doc.ahead) if doc.ahead > 0 else "",
        "settled_by": text(", ".join(doc.settled_by)),
        "settled_by_count": len(doc.settled_by),
        "language": language,
    }


RECEIPT: DocumentType[ReceiptDocument] = DocumentType(
    "receipt", receipt_context, lambda doc: doc.date, repr)
