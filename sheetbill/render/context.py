"""An `InvoiceDocument` as a plain template context, every value already text.

Every renderer (HTML, Word, Google Docs) and the email templates use this
one context, so an amount or a date is formatted in exactly one place; the
receipt and statement contexts (`render.receipt`, `render.statement`) are
built from the same helpers.

A credit note (`kind` CREDIT_NOTE) has the negative amounts of the
ledger (quantities, nets, taxes, totals), its discounts shown as positive
amounts (a discount taken back), `credited` as a positive sum, and a
`payment_terms` sentence that asks for nothing: it names the invoice it
cancels and says what became of the money paid on it (`settlement`, from the
account's `core.cancellation`). A void invoice names its credit note
(`cancelled_by`), has nothing open and asks for nothing.

Conventions:
- The document's language (`language`: the client's, else the practice's,
  see `sheetbill.language`) writes every amount, date, quantity and rate the
  locale's way with babel (`1.234,50 €` in de, `1 234,50 €` in fr,
  `€1,234.50` in en_IE), and the sentences made here through its message
  catalogue; templates get `_` to translate their own labels.
- Without a language (the default) money has the currency's minor unit and
  a thousands comma. `Practice.currency` chooses the style: a three-letter
  code goes after the amount (`1,234.50 EUR`), anything else is a symbol
  put before it (`€1,234.50`). Dates are then `21 Nov 2026` (English month
  abbreviations, not the machine's locale).
- `*_iso` variants of dates give `2026-11-21`.
- Cell text is passed through as data, with control characters other than
  newline and tab removed (they are invalid in XML documents); multi-line
  cells (addresses, bank details) also come as lists of lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from decimal import Decimal
from typing import TypedDict

from babel import dates, numbers

from ..core.addressee import is_organisation
from ..core.account import AccountStatus
from ..core.document import InvoiceDocument, Practice, TaxSummary
from ..core.kind import InvoiceKind
from ..core.model import Client, Line
from ..core.number import money
from ..core.price_basis import Basis, basis, shown_amount, shown_gross
from ..core.vat import STANDARD, ZERO_RATED, label, short_label, vat_notes
from ..language import N_, document_language, gettext_for
from .base import DocumentType
from .cancellation import settlement, void_terms
from .method import method_words
from .payment import PaymentContext as PaymentBlock, payment_context

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TOKEN = re.compile(r"\{(\w+)\}")
# {reference}: the invoice's RF reference, which the bank import matches first and the QR code carries
_DEFAULT_NOTE = N_("Please pay {amount_due} by {due_date} ({terms} days), quoting {reference}.")
_ON_RECEIPT = N_("Payment is due on receipt. Please quote {reference} with your payment.")
_CREDIT_NOTE = N_("This credit note cancels invoice {}. ")
_CREDITED = N_("The amount is credited to your account; there is nothing to pay.")
_PAID = N_("Paid in full, thank you: there is nothing to pay.")
_PAID_EARLIER_OPEN = N_("This invoice is paid in full, thank you. {amount_due} is still open on earlier invoices.")
_COVERED = N_("Your credit on account covers it: there is nothing to pay.")
_NOTHING_CHARGED = N_("Nothing is charged on this invoice: there is nothing to pay.")
_TITLES = {"invoice": N_("Invoice"), "credit_note": N_("Credit note")}
# whole sentences, not a lowercased title: "Rechnung" keeps its capital, "un avoir" its gender
_DRAFT_TITLES = {"invoice": N_("Draft invoice"), "credit_note": N_("Draft credit note")}
_DRAFT_BANNERS = {"invoice": N_("Draft — not a valid invoice"), "credit_note": N_("Draft — not a valid credit note")}
# the lines' unit price and amount columns: net, or gross where every taxed line is priced gross
# (core.price_basis); on a mixed document each gross line's amount says so instead
_COLUMNS = {Basis.GROSS: (N_("Unit price incl. VAT"), N_("Amount incl. VAT"))}
_NET_COLUMNS = (N_("Unit price"), N_("Net"))
_GROSS_MARK = N_("incl. VAT")
_STATUSES = (N_("Paid"), N_("Partially paid"), N_("Open"), N_("Nothing to pay"), N_("Credit note"), N_("Void"),
             N_("Partially Paid"), N_("Finalized"), N_("Archived"), N_("Draft"))

Money = Callable[[Decimal], str]


class PracticeContext(TypedDict):
    name: str
    address: str
    address_lines: list[str]
    email: str
    phone: str
    tax_id: str
    bank: str
    bank_lines: list[str]
    website: str


class ClientContext(TypedDict):
    id: str
    name: str
    email: str
    address: str
    address_lines: list[str]
    tax_id: str
    organisation: bool  # a company or public body, greeted without a name (core.addressee)


class LineContext(TypedDict):
    session_id: str
    date: str
    code: str
    description: str
    quantity: str
    unit_price: str
    discount: str  # as a deduction, "-6.25 EUR"; "" when there is no discount
    tax_rate: str
    net: str
    tax: str
    total: str
    amount: str  # in the unit price's basis: the net, or for a gross-priced line its gross (core.price_basis)
    amount_note: str  # "incl. VAT" on a gross line of a document that mixes gross and net lines, else ""


class TaxContext(TypedDict):
    rate: str
    net: str
    tax: str
    category: str  # S, Z, E, AE, K, O (core.vat)
    label: str  # "" for S (the template prints "Tax 19%"), else e.g. "VAT exempt"


class PaymentContext(TypedDict):
    date: str
    reference: str  # the receipt number, else the payment's ID
    method: str
    amount: str


class InvoiceContext(PaymentBlock):  # and the payment block's keys
    practice: PracticeContext
    client: ClientContext
    kind: str  # "invoice" or "credit_note"
    title: str  # "Invoice" or "Credit note"
    draft_title: str  # "Draft invoice" or "Draft credit note"
    draft_banner: str  # "Draft — not a valid invoice" (or credit note)
    credits: str  # a credit note's cancelled invoice number, else ""
    credited: str  # a credit note's amount as a positive sum, "" for an invoice
    cancelled_by: str  # a void invoice's credit note number, else ""
    settlement: str  # what became of the money paid on the cancelled (void) invoice, "" for others
    number: str  # "DRAFT" while a draft has no number
    draft: bool
    issue_date: str
    issue_date_iso: str
    due_date: str
    due_date_iso: str
    terms_days: int
    payment_terms: str
    currency: str
    lines: list[LineContext]
    prices: str  # "net", "gross" (every taxed line priced gross) or "mixed" (core.price_basis)
    unit_price_label: str  # the lines' column headers: "Unit price" and "Net", or with VAT included
    amount_label: str
    has_discounts: bool
    taxes: list[TaxContext]
    vat_notes: list[str]  # the legally required VAT notes, each once (core.vat.vat_notes)
    vat_note: str  # the same as one text, a note a line (for Google Docs and email templates)
    net: str
    tax: str
    total: str
    paid: str  # paid on this invoice as of the document's day
    balance: str  # total - paid
    payments: list[PaymentContext]
    has_payments: bool
    previous_balance: str  # open on earlier invoices, less credit
    has_previous_balance: bool
    amount_due: str  # max(0, balance + previous_balance); nothing for a credit note
    has_amount_due: bool
    is_paid: bool
    status: str  # "Paid", "Partially paid", "Open", "Nothing to pay", "Credit note" (or "Void"), in the language
    language: str  # the document's locale name ("de_DE"), "" for sheetbill's plain English


def invoice_context(doc: InvoiceDocument) -> InvoiceContext:
    """The template context of `doc`: plain dicts, lists, text, bools."""
    practice, invoice = doc.practice, doc.invoice
    language = document_language(doc.client.language, practice.language)
    _ = gettext_for(language)
    amount = money_format(practice, language)
    day = partial(format_date, language=language)
    issue = invoice.issue_date or doc.today
    due = invoice.due_date or (issue + timedelta(days=doc.terms_days) if issue else None)
    number = text(invoice.invoice_no) or _("DRAFT")
    amount_due = amount(doc.amount_due)
    credit_note = doc.kind is InvoiceKind.CREDIT_NOTE
    pay = payment_context(doc, amount)
    prices = basis(invoice.lines)
    unit_price_label, amount_label = _COLUMNS.get(prices, _NET_COLUMNS)
    cancellation = doc.cancellation
    if credit_note:
        terms = (_(_CREDIT_NOTE).format(text(doc.credits)) if text(doc.credits) else "") + (
            settlement(cancellation, amount, _) if cancellation else _(_CREDITED))
    elif doc.void:
        terms = void_terms(cancellation, amount, day, _)
    elif doc.is_paid:
        terms = _(_PAID_EARLIER_OPEN).format(amount_due=amount_due) if doc.amount_due > 0 else _(_PAID)
    elif doc.amount_due <= 0 and not doc.draft:
        terms = _(_COVERED) if invoice.total > 0 else _(_NOTHING_CHARGED)  # 0.00 (a whole discount): no credit spent
    else:
        terms = payment_terms(practice.payment_note, doc.terms_days, {
            "number": number, "reference": pay["payment_reference"] or number,
            "due_date": day(due), "amount_due": amount_due}, language)
    return {
        "practice": practice_context(practice),
        "client": client_context(doc.client),
        "kind": doc.kind.value,
        "title": _(_TITLES["credit_note" if credit_note else "invoice"]),
        "draft_title": _(_DRAFT_TITLES["credit_note" if credit_note else "invoice"]),
        "draft_banner": _(_DRAFT_BANNERS["credit_note" if credit_note else "invoice"]),
        "credits": text(doc.credits),
        "credited": amount(-invoice.total) if credit_note else "",
        "cancelled_by": text(cancellation.credit_note) if doc.void and cancellation else "",
        "settlement": settlement(cancellation, amount, _) if cancellation else "",
        "number": number,
        "draft": doc.draft,
        "issue_date": day(issue),
        "issue_date_iso": issue.isoformat() if issue else "",
        "due_date": day(due),
        "due_date_iso": due.isoformat() if due else "",
        "terms_days": doc.terms_days,
        "payment_terms": terms,
        "currency": practice.currency,
        "lines": [_line(line, amount, language, _, prices is Basis.MIXED) for line in invoice.lines],
        "prices": prices.value,
        "unit_price_label": _(unit_price_label),
        "amount_label": _(amount_label),
        "has_discounts": any(line.discount for line in invoice.lines),
        "taxes": [_tax(tax, amount, language, _) for tax in doc.taxes],
        "vat_notes": (notes := [text(n) for n in vat_notes(invoice.lines, practice.tax_id, doc.client.tax_id, _)]),
        "vat_note": "\n".join(notes),
        "net": amount(invoice.net),
        "tax": amount(invoice.tax),
        "total": amount(invoice.total),
        "paid": amount(doc.paid),
        "balance": amount(doc.balance),
        "payments": [{"date": day(p.date), "reference": text(p.reference), "method": text(method_words(p.method, _)),
                      "amount": amount(p.amount)} for p in doc.payments],
        "has_payments": bool(doc.payments),
        "previous_balance": amount(doc.previous_balance),
        "has_previous_balance": bool(doc.previous_balance) and not credit_note,
        "amount_due": amount_due,
        "has_amount_due": doc.amount_due > 0,
        "is_paid": doc.is_paid,
        "status": _(_status(doc)),
        "language": language,
        **pay,
    }


def _status(doc: InvoiceDocument) -> str:
    if doc.kind is InvoiceKind.CREDIT_NOTE:
        return AccountStatus.CREDIT_NOTE.value
    if doc.status is not None:
        return doc.status.value
    status = (AccountStatus.NOTHING_DUE if doc.invoice.total == 0 else AccountStatus.PAID if doc.is_paid
              else AccountStatus.PARTIALLY_PAID if doc.paid > 0 else AccountStatus.OPEN)
    return status.value


def money_format(practice: Practice, language: str = "") -> Money:
    """The practice's way of writing an amount in `language` (see `format_money`)."""
    return partial(format_money, currency=practice.currency, minor=practice.minor_unit, language=language)


def format_money(value: Decimal, currency: str, minor: Decimal = Decimal("0.01"), language: str = "") -> str:
    """In a language, babel's way (`1.234,50 €` in de); without one
    `1,234.50 EUR` for a three-letter code, `€1,234.50` for a symbol, `-` first."""
    rounded = money(value, minor)
    if language:
        return numbers.format_currency(rounded, currency.strip().upper(), locale=language)
    places = max(0, -int(minor.as_tuple().exponent))
    digits = f"{abs(rounded):,.{places}f}"
    sign = "-" if rounded < 0 else ""
    code = currency.strip()
    if re.fullmatch(r"[A-Za-z]{3}", code):
        return f"{sign}{digits} {code.upper()}"
    return f"{sign}{code}{digits}"


def format_date(value: date | None, language: str = "") -> str:
    """`21 Nov 2026` whatever the machine's locale, or in a language babel's
    medium date (`21.11.2026`, `21 nov. 2026`); "" for no date."""
    if value is None:
        return ""
    if language:
        return dates.format_date(value, "medium", locale=language)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_quantity(value: Decimal, language: str = "") -> str:
    """`2`, `1.5`, `1,000` (`1,5` in de): no trailing zeros, never an exponent."""
    if language:
        return numbers.format_decimal(value.normalize(), locale=language, decimal_quantization=False)
    return f"{value.normalize():,f}"


def format_rate(value: Decimal, language: str = "") -> str:
    """A tax rate in percent: `19%`, `5.5%`, `0%` (`5,5 %` in de)."""
    if language:
        return numbers.format_percent(value / 100, locale=language, decimal_quantization=False)
    return f"{value.normalize():f}%"


def payment_terms(note: str, terms_days: int, values: dict[str, str], language: str = "") -> str:
    """The practice's payment note with `{terms}`, `{due_date}`, `{number}`,
    `{reference}` (the RF reference, else the number) and `{amount_due}` filled
    in; a plain default sentence when there is no note.

    Unknown `{tokens}` are left as they are (the note is the practice's text).
    """
    if not note.strip():
        note = gettext_for(language)(_DEFAULT_NOTE if terms_days > 0 else _ON_RECEIPT)
    known = {"terms": str(terms_days), **values}
    return text(_TOKEN.sub(lambda m: known.get(m[1], m[0]), note))


def text(value: str) -> str:
    """Cell text as printable data: CRLF to LF, other control characters removed."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def lines_of(value: str) -> list[str]:
    """The non-empty lines of a multi-line cell."""
    return [line.strip() for line in text(value).split("\n") if line.strip()]


def practice_context(practice: Practice) -> PracticeContext:
    return {
        "name": text(practice.name),
        "address": text(practice.address),
        "address_lines": lines_of(practice.address),
        "email": text(practice.email),
        "phone": text(practice.phone),
        "tax_id": text(practice.tax_id),
        "bank": text(practice.bank),
        "bank_lines": lines_of(practice.bank),
        "website": text(practice.website),
    }


def client_context(client: Client) -> ClientContext:
    return {
        "id": text(client.client_id),
        "name": text(client.name),
        "email": text(client.email),
        "address": text(client.address),
        "address_lines": lines_of(client.address),
        "tax_id": text(client.tax_id),
        "organisation": is_organisation(client),
    }


def _line(line: Line, amount: Money, language: str = "", _: Callable[[str], str] = str,
          mixed: bool = False) -> LineContext:
    category = line.category
    return {
        "session_id": text(line.session_id),
        "date": format_date(line.date, language),
        "code": text(line.code),
        "description": text(line.description),
        "quantity": format_quantity(line.quantity, language),
        "unit_price": amount(line.unit_price),
        "discount": amount(-line.discount) if line.discount else "",
        "tax_rate": format_rate(line.tax_rate, language) if category in (STANDARD, ZERO_RATED) else _(short_label(category)),
        "net": amount(line.net),
        "tax": amount(line.tax),
        "total": amount(line.total),
        "amount": amount(shown_amount(line)),
        "amount_note": _(_GROSS_MARK) if mixed and shown_gross(line) else "",
    }


def _tax(tax: TaxSummary, amount: Money, language: str = "", _: Callable[[str], str] = str) -> TaxContext:
    name = label(tax.category)
    return {"rate": format_rate(tax.rate, language), "net": amount(tax.net), "tax": amount(tax.tax),
            "category": tax.category, "label": _(name) if name else ""}


def _invoice_identity(doc: InvoiceDocument) -> str:
    """Stable for one invoice, different for a reissued one (another checksum)."""
    return f"{doc.invoice.invoice_no}\n{doc.invoice.checksum}\n{doc.draft}"


INVOICE: DocumentType[InvoiceDocument] = DocumentType(
    "invoice", invoice_context, lambda doc: doc.invoice.issue_date or doc.today,
    _invoice_identity)
