"""A `StatementDocument` as a plain template context, every value already
text (the conventions of `render.context`), and the statement's document type.

Amounts keep their sign (a balance in the client's favour is negative), but for
`due`, the amount due, which is 0.00 where the client's credit covers everything;
`charge` and `payment` split an entry for two-column tables, each "" when
the entry is of the other kind.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypedDict

from ..core.document import StatementDocument
from ..core.statement import CREDIT_NOTE, INVOICE, RELEASED, REFUND, Aging, OpenItem, StatementEntry
from ..core.number import ZERO
from .base import DocumentType
from .method import method_words
from .payment import PaymentContext as PaymentBlock, statement_payment_context
from ..language import N_, document_language, gettext_for
from .context import (ClientContext, Money, PracticeContext, client_context, format_date,
                      money_format, practice_context, text)


class EntryContext(TypedDict):
    date: str
    date_iso: str
    kind: str  # "invoice", "credit_note", "payment", "released" (taken off a voided invoice), "refund"
    chargeback: bool  # a "refund" that is a card payment the client's bank reversed (a dispute lost)
    reference: str  # the invoice's or credit note's number, the payment's ID
    invoice_no: str  # the invoices concerned: itself, the one credited, the ones paid (", ")
    invoice_count: int  # how many invoice_no names
    method: str  # payments only
    payment_reference: str  # payments only: the reference the client gave
    charge: str  # an invoice's total (a credit note's is negative)
    payment: str  # a payment, as a positive amount
    amount: str  # the signed change of the balance
    received: str  # payments: the money received; refunds: paid back (positive); else ""
    kept_as_credit: str  # payments: the part of it not on an invoice; else ""
    out_of_credit: str  # refunds: the part paid back out of the client's credit; else ""
    ahead: str  # refunds: the part paid back ahead of the credit it comes out of (owed until then); else ""
    settled_by: str  # refunds paid back ahead: the voided invoices whose credit settles them (", ")
    settled_by_count: int  # how many settled_by names
    back: str  # money back from a void: all of it, also what settles refunds paid back ahead; else ""
    settles: str  # of it, what settles refunds paid back ahead of it; else ""
    settles_dates: str  # those refunds' dates (", ")
    settles_count: int  # how many refunds
    settles_all: bool  # all of it settles them: none is kept as credit
    settles_kind: str  # what those are: "refund", "chargeback" (all card payments the bank reversed) or "both"
    balance: str


class OpenItemContext(TypedDict):
    invoice_no: str
    issue_date: str
    due_date: str
    days_overdue: int  # negative while not yet due
    total: str
    open: str


class AgingContext(TypedDict):
    not_due: str
    days_0_30: str
    days_31_60: str
    days_61_90: str
    over_90: str
    total: str


class StatementContext(PaymentBlock):  # and the payment block's keys
    practice: PracticeContext
    client: ClientContext
    date: str  # the statement's date
    date_iso: str
    period_from: str
    period_to: str
    currency: str
    opening: str
    invoiced: str
    charges: str  # the same as invoiced
    paid: str
    payments: str  # the same as paid: what payments put on invoices
    received: str  # money received in the period, less refunds
    closing: str
    credit: str
    has_credit: bool
    credit_note: str  # the amount-due box's line on the credit: taken off, or (nothing due) held on account
    due: str  # closing balance less credit on account, 0.00 where the credit covers it all
    has_due: bool
    entries: list[EntryContext]
    open_items: list[OpenItemContext]
    aging: AgingContext
    nothing_to_pay: bool  # nothing open on the statement's date and nothing due
    language: str  # the document's locale name, "" for sheetbill's plain English


_CREDIT_TAKEN_OFF = N_("less credit {credit}")
_CREDIT_HELD = N_("Credit on your account: {credit}")


def statement_context(doc: StatementDocument) -> StatementContext:
    """The template context of `doc`: plain dicts, lists, text, bools."""
    language = document_language(doc.client.language, doc.practice.language)
    s, amount = doc.statement, money_format(doc.practice, language)
    _ = gettext_for(language)
    day = partial(format_date, language=language)
    return {
        "practice": practice_context(doc.practice),
        "client": client_context(doc.client),
        "date": day(s.today),
        "date_iso": s.today.isoformat(),
        "period_from": day(s.date_from),
        "period_to": day(s.date_to),
        "currency": doc.practice.currency,
        "opening": amount(s.opening),
        "invoiced": amount(s.invoiced),
        "charges": amount(s.invoiced),
        "paid": amount(s.paid),
        "payments": amount(s.paid),
        "received": amount(s.received),
        "closing": amount(s.closing),
        "credit": amount(s.credit),
        "has_credit": s.credit > 0,
        "credit_note": _(_CREDIT_TAKEN_OFF if s.due > 0 else _CREDIT_HELD).format(credit=amount(s.credit))
        if s.credit > 0 else "",
        "due": amount(max(ZERO, s.due)),
        "has_due": s.due > 0,
        "entries": [_entry(e, amount, language, _) for e in s.entries],
        "open_items": [_open_item(i, amount, language) for i in s.open_items],
        "aging": _aging(s.aging, amount),
        "nothing_to_pay": s.nothing_to_pay,
        "language": language,
        **statement_payment_context(doc, amount),
    }


def _entry(entry: StatementEntry, amount: Money, language: str = "",
           translate: Callable[[str], str] = str) -> EntryContext:
    payment = entry.kind not in (INVOICE, CREDIT_NOTE)
    money_in = entry.kind == "payment" and entry.received > 0
    refund = entry.kind == REFUND
    return {
        "date": format_date(entry.date, language),
        "date_iso": entry.date.isoformat(),
        "kind": entry.kind,
        "chargeback": entry.chargeback,
        "reference": text(entry.reference),
        "invoice_no": text(entry.invoice_no),
        "invoice_count": len(entry.invoice_no.split(", ")) if entry.invoice_no else 0,
        "method": text(method_words(entry.method, translate)),
        "payment_reference": text(entry.payment_reference),
        "charge": "" if payment else amount(entry.amount),
        "payment": amount(-entry.amount) if payment else "",
        "amount": amount(entry.amount),
        "received": amount(abs(entry.received)) if entry.received else "",
        "kept_as_credit": amount(entry.received + entry.amount) if money_in and entry.received + entry.amount
        else "",
        "out_of_credit": amount(-entry.received - entry.ahead) if refund and -entry.received > entry.ahead else "",
        "ahead": amount(entry.ahead) if entry.ahead else "",
        "settled_by": text(entry.settled_by),
        "settled_by_count": len(entry.settled_by.split(", ")) if entry.settled_by else 0,
        "back": amount(entry.amount + entry.settled) if entry.kind == RELEASED else "",
        "settles": amount(entry.settled) if entry.settles else "",
        "settles_dates": ", ".join(dict.fromkeys(format_date(day, language) for day, _ in entry.settles)),
        "settles_count": len({day for day, _ in entry.settles}),
        "settles_all": bool(entry.settles) and entry.amount <= 0,
        "settles_kind": "" if not entry.settles else "refund" if not entry.reversals else
        "chargeback" if entry.reversals == len(entry.settles) else "both",
        "balance": amount(entry.balance),
    }


def _open_item(item: OpenItem, amount: Money, language: str = "") -> OpenItemContext:
    return {
        "invoice_no": text(item.invoice_no),
        "issue_date": format_date(item.issue_date, language),
        "due_date": format_date(item.due_date, language),
        "days_overdue": item.days_overdue,
        "total": amount(item.total),
        "open": amount(item.open),
    }


def _aging(aging: Aging, amount: Money) -> AgingContext:
    return {
        "not_due": amount(aging.not_due),
        "days_0_30": amount(aging.days_0_30),
        "days_31_60": amount(aging.days_31_60),
        "days_61_90": amount(aging.days_61_90),
        "over_90": amount(aging.over_90),
        "total": amount(aging.total),
    }


STATEMENT: DocumentType[StatementDocument] = DocumentType(
    "statement", statement_context, lambda doc: doc.statement.today, repr)
