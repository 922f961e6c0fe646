"""The one mapping from sheetbill's invoice (or credit note) to EN 16931's
business terms, used by every e-invoice format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from ..core.document import InvoiceDocument, TaxSummary
from ..core.kind import InvoiceKind
from ..core.model import Line
from ..core.number import ZERO
from ..core import vatex as vatex_words
from ..core.vat import FIXED, MIXED_OUTSIDE_SCOPE, NOTE_EXEMPT, vat_notes
from ..language import N_, document_language, gettext_for
from ..payments.reference import creditor_reference
from .address import last_line_country, parse_address, practice_country, vat_country, vat_id
from .model import (
    CREDIT_NOTE,
    INVOICE,
    Category,
    EInvoice,
    InvoiceLine,
    Party,
    PaymentInstructions,
    Totals,
    VatBreakdown,
)

PRICE_PLACES = Decimal("0.0001")
UNIT = "C62"  # one (UN/ECE Recommendation 20): a session, an item


_CREDIT_NOTE_FOR = N_("Credit note for invoice {}")
_PAYABLE_WITHIN = N_("Payable within {} days")


def line_category(line: Line, translate: Callable[[str], str] = str) -> Category:
    """The VAT category of a line (core.vat decided it when the line was priced), with its
    exemption reason and VATEX code where the category has one."""
    return _category(line.category, line.tax_rate, line.exemption_reason, line.vatex, translate)


def _category(code: str, rate: Decimal, reason: str, vatex: str, translate: Callable[[str], str] = str) -> Category:
    """A category without VAT states why (BR-E-10, BR-AE-10, ...): its own reason, else the note
    the printed invoice shows for it (core.vat), in the invoice's language."""
    if code in ("S", "Z"):
        return Category(code, rate)
    fixed_reason, fixed_code = FIXED.get(code, (NOTE_EXEMPT, ""))
    vatex = vatex or fixed_code
    reason = reason or ("" if vatex_words.known(vatex) else fixed_reason)  # a code alone: its wording
    return Category(code, Decimal(0), vatex_words.printed(reason, vatex, translate), vatex)


def _breakdown_category(tax: TaxSummary, translate: Callable[[str], str]) -> Category:
    return _category(tax.category, tax.rate, tax.reason, tax.vatex, translate)


def einvoice_for(doc: InvoiceDocument, buyer_reference: str = "") -> EInvoice:
    """The invoice (a credit note as type 381 referencing the invoice it corrects) in EN 16931's
    terms, its texts in the invoice's language. Raises ValueError for an invoice without issue date."""
    inv, practice, client = doc.invoice, doc.practice, doc.client
    _ = gettext_for(document_language(client.language, practice.language))
    if inv.issue_date is None:
        raise ValueError(f"{inv.invoice_no} has no issue date")
    credit = doc.kind is InvoiceKind.CREDIT_NOTE
    sign = Decimal(-1) if credit else Decimal(1)

    seller_vat = vat_id(practice.tax_id)
    seller_country = practice_country(practice.tax_id, practice.address, practice.iban) or "DE"
    seller = Party(practice.name, parse_address(practice.address, seller_country), vat_id=seller_vat,
                   tax_number="" if seller_vat else practice.tax_id.strip(), email=practice.email,
                   phone=practice.phone)
    buyer_vat = vat_id(client.tax_id)
    buyer_country = last_line_country(client.address) or vat_country(buyer_vat) or seller_country
    buyer = Party(client.name, parse_address(client.address, buyer_country), vat_id=buyer_vat,
                  email=client.email)

    lines = tuple(_line(i, line, sign, _) for i, line in enumerate(inv.lines, 1))
    breakdown = tuple(VatBreakdown(_breakdown_category(t, _), t.net * sign, t.tax * sign) for t in doc.taxes)
    categories = {b.category.code for b in breakdown}
    if "O" in categories:  # BR-O-02: no VAT identifiers on an invoice outside the scope of VAT
        seller = replace(seller, vat_id="", tax_number=seller.tax_number or seller.vat_id)
        buyer = replace(buyer, vat_id="")
    if not seller.vat_id:
        seller = replace(seller, identifier=seller.tax_number)
    line_net = sum((l.net for l in lines), ZERO)
    tax = sum((b.tax for b in breakdown), ZERO)
    prepaid = ZERO if credit else max(ZERO, min(doc.paid, line_net + tax))
    totals = Totals(line_net, line_net, tax, line_net + tax, prepaid, line_net + tax - prepaid)

    reference = creditor_reference(inv.invoice_no)
    payment = None
    if not credit:
        if practice.iban:
            payment = PaymentInstructions("58", reference, practice.iban, practice.account_holder, practice.bic)
        else:
            payment = PaymentInstructions("1", reference)
    days = [l.date for l in inv.lines if l.date is not None]
    deliver_to = buyer.address.country if "K" in categories else ""
    notes: tuple[str, ...] = ((_(_CREDIT_NOTE_FOR).format(doc.credits),) if credit and doc.credits else ())
    notes += vat_notes(inv.lines, seller_vat, buyer_vat, _)  # what the printed invoice says about VAT
    return EInvoice(
        number=inv.invoice_no, type_code=CREDIT_NOTE if credit else INVOICE, issue_date=inv.issue_date,
        due_date=inv.due_date or inv.issue_date, currency=practice.currency,
        buyer_reference=buyer_reference.strip(), seller=seller, buyer=buyer, lines=lines,
        breakdown=breakdown, totals=totals, payment=payment, notes=notes,
        preceding=doc.credits if credit else "", delivery_date=max(days) if days else None,
        deliver_to_country=deliver_to,
        payment_terms="" if credit else _(_PAYABLE_WITHIN).format(doc.terms_days))


def rule_problem(inv: EInvoice) -> str:
    """A business rule of EN 16931 the invoice breaks whatever its format, "" for none: an
    invoice with lines outside the scope of VAT has only such lines (BR-O-11 to BR-O-14; the
    billing plan keeps them apart for clients who receive e-invoices, core.billing)."""
    codes = {line.category.code for line in inv.lines} | {b.category.code for b in inv.breakdown}
    if "O" in codes and len(codes) > 1:
        return f"{MIXED_OUTSIDE_SCOPE}: void it and bill the outside-scope item on an invoice of its own"
    return ""


def _line(number: int, line: Line, sign: Decimal, translate: Callable[[str], str]) -> InvoiceLine:
    """A gross-priced line states its net price (BT-146): its net over its quantity, its discount
    already inside it."""
    quantity = line.quantity * sign
    price, allowance = line.unit_price, line.discount * sign
    if line.gross:
        price = (line.net / line.quantity).quantize(PRICE_PLACES) if line.quantity else ZERO
        allowance = ZERO
    return InvoiceLine(line_id=str(number), name=line.description or line.code, seller_item_id=line.code,
                       quantity=quantity, unit_code=UNIT, price=price, allowance=allowance,
                       net=line.net * sign, category=line_category(line, translate), day=line.date)
