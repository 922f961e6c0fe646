"""The one mapping from sheetbill's invoice (or credit note) to EN 16931's
business terms, used by every e-invoice format."""

from __future__ import annotations

from decimal import Decimal

from ..core.document import InvoiceDocument
from ..core.model import Line
from ..core.number import HUNDRED, ZERO, money
from ..payments.reference import creditor_reference
from .address import country_of_line, parse_address, vat_country, vat_id
from .model import (CREDIT_NOTE, INVOICE, Category, EInvoice, InvoiceLine, Party, PaymentInstructions,
                    Totals, VatBreakdown)

UNIT = "C62"  # one (UN/ECE Recommendation 20): a session, an item


def line_category(line: Line) -> Category:
    """The VAT category of a line. The one place that decides it: a taxed line is standard
    rated (S), an untaxed one zero rated (Z)."""
    return Category("S" if line.tax_rate > 0 else "Z", line.tax_rate)


def einvoice_for(doc: InvoiceDocument, buyer_reference: str = "") -> EInvoice:
    """The invoice (a credit note as type 381 referencing the invoice it corrects) in EN 16931's
    terms. Raises ValueError for an invoice without issue date."""
    inv, practice, client = doc.invoice, doc.practice, doc.client
    if inv.issue_date is None:
        raise ValueError(f"{inv.invoice_no} has no issue date")
    credit = doc.kind == "credit_note"
    sign = Decimal(-1) if credit else Decimal(1)
    minor = practice.minor_unit

    seller_vat = vat_id(practice.tax_id)
    seller_country = (vat_country(seller_vat) or _last_line_country(practice.address)
                      or practice.iban[:2] or "DE")
    seller = Party(practice.name, parse_address(practice.address, seller_country), vat_id=seller_vat,
                   tax_number="" if seller_vat else practice.tax_id.strip(), email=practice.email,
                   phone=practice.phone)
    buyer_vat = vat_id(client.tax_id)
    buyer_country = _last_line_country(client.address) or vat_country(buyer_vat) or seller_country
    buyer = Party(client.name, parse_address(client.address, buyer_country), vat_id=buyer_vat,
                  email=client.email)

    lines = tuple(_line(i, line, sign) for i, line in enumerate(inv.lines, 1))
    groups: dict[tuple[str, Decimal], tuple[Category, Decimal]] = {}
    for line in lines:
        key = (line.category.code, line.category.rate)
        cat, net = groups.get(key, (line.category, ZERO))
        groups[key] = (cat, net + line.net)
    breakdown = tuple(VatBreakdown(cat, net, money(net * cat.rate / HUNDRED, minor))
                      for cat, net in (groups[k] for k in sorted(groups)))
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
    notes = ((f"Credit note for invoice {doc.credits}",) if credit and doc.credits else ())
    return EInvoice(
        number=inv.invoice_no, type_code=CREDIT_NOTE if credit else INVOICE, issue_date=inv.issue_date,
        due_date=inv.due_date or inv.issue_date, currency=practice.currency,
        buyer_reference=buyer_reference.strip(), seller=seller, buyer=buyer, lines=lines,
        breakdown=breakdown, totals=totals, payment=payment, notes=notes,
        preceding=doc.credits if credit else "", delivery_date=max(days) if days else None,
        payment_terms="" if credit else f"Payable within {doc.terms_days} days")


def _line(number: int, line: Line, sign: Decimal) -> InvoiceLine:
    quantity = line.quantity * sign
    return InvoiceLine(line_id=str(number), name=line.description or line.code, seller_item_id=line.code,
                       quantity=quantity, unit_code=UNIT, price=line.unit_price, allowance=line.discount * sign,
                       net=line.net * sign, category=line_category(line), day=line.date)


def _last_line_country(address: str) -> str:
    lines = [l for l in (address or "").replace(",", "\n").splitlines() if l.strip()]
    return country_of_line(lines[-1]) if lines else ""
