"""Gross prices on the invoice PDF: a line reads in one basis, so a reader who multiplies
quantity by unit price and takes off the discount gets the amount printed beside them."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from babel.numbers import parse_decimal

from sheetbill.core.document import InvoiceDocument
from sheetbill.core.kind import InvoiceKind
from sheetbill.core.invoice import assemble, tax_summary
from sheetbill.core.model import Client, Discount, Extra, InvoiceStatus, ServicePrice, Session, SessionStatus
from sheetbill.core.pricing import PriceList, session_lines
from sheetbill.core.vat import VatRules
from sheetbill.render.context import format_date
from sheetbill.render.docx import DocxRenderer
from sheetbill.render.html import HtmlRenderer
from sheetbill.render.sample import PRACTICE, sample_document

from .test_render_html import flat, pdf_text

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "invoice.html"
WORD_TEMPLATE = TEMPLATE.with_name("invoice.docx")
DAY = date(2026, 11, 27)
CENT = Decimal("0.01")
VAT = VatRules(exemption_reason="VATEX-EU-132-1C", country="DE")


def service(code: str, description: str, price: str, rate: str, prices: str, category: str = "") -> ServicePrice:
    return ServicePrice(row=2, code=code, description=description, unit_price=Decimal(price),
                        tax_rate=Decimal(rate), unit="piece", valid_from=date(2026, 1, 1), active=True,
                        vat_category=category, prices=prices)


PRICES = PriceList([
    service("MASG", "Massage (gross)", "49.99", "19", "gross"),
    service("GELG", "Skin gel (gross)", "8.21", "19", "gross"),
    service("BOOK", "Exercise booklet", "9.99", "7", "gross"),
    service("LDG", "Lymph drainage (gross)", "65", "0", "gross", "E"),
    service("PT60", "Physiotherapy (net)", "85.00", "19", "net"),
    service("TAPE", "Kinesio tape (net)", "7.90", "7", "net"),
])
FULLY_GROSS = (("MASG", 1, "GELG x3, BOOK x2", None), ("LDG", 1, "BOOK", "10%"), ("MASG", 3, "", "5.00"))
MIXED = (("MASG", 3, "GELG x2", "5.00"), ("PT60", 1, "TAPE x2", "10%"), ("BOOK", 1, "", None))
LANGUAGES = {"en": "", "de": "de_DE", "fr": "fr_FR"}


def session(n: int, code: str, quantity: int, extras: str, discount: str | None) -> Session:
    items = tuple(Extra(e.split(" x")[0], Decimal(e.split(" x")[1] if " x" in e else 1))
                  for e in extras.split(", ") if e)
    cut = None if discount is None else (Discount(percent=Decimal(discount[:-1])) if discount.endswith("%")
                                         else Discount(amount=Decimal(discount)))
    return Session(row=n + 1, session_id=f"S-{95000 + n}", date=DAY, client="C-020", service=code,
                   quantity=Decimal(quantity), extras=items, discount=cut, provider="Tom",
                   status=SessionStatus.COMPLETED, notes="", invoice_no="", billing_status=None, problem="")


def invoice(plan, language: str) -> InvoiceDocument:
    client = Client(row=2, client_id="C-020", name="Karl Schmidt", email="karl@example.com",
                    address="Bergstraße 1\n10115 Berlin", discount=None, terms_days=14, invoice_mode=None,
                    tax_id="", language=language)
    lines = [line for n, s in enumerate(plan) for line in session_lines(session(n, *s), client, PRICES, CENT, vat=VAT)]
    inv = assemble("INV-2026-0044", DAY, date(2026, 12, 11), client.client_id, client.name, lines,
                   InvoiceStatus.FINALIZED, CENT)
    return InvoiceDocument(practice=replace(PRACTICE, language=language), invoice=inv, client=client,
                           taxes=tax_summary(inv.lines, CENT), terms_days=14, today=DAY)


def amounts(text: str, language: str) -> list[Decimal]:
    """The amounts printed in a text, as a reader reads them (`-5,00 €`, `1 234,50 €`, `49.99 EUR`)."""
    if language:
        found = re.findall(r"-?\d[\d.\u202f\u00a0]*,\d\d\s?€", text)
        return [parse_decimal(re.sub(r"[\s€]", "", a), locale=language) for a in found]
    return [Decimal(a.replace(",", "")) for a in re.findall(r"-?[\d,]+\.\d\d(?= EUR)", text)]


@dataclass
class Row:
    """One line of the PDF's lines table as printed: description, figures, the note under the amount."""
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal  # as printed in the Discount column, signed (-5.00); 0 when empty
    amount: Decimal
    note: str


def printed(doc: InvoiceDocument) -> tuple[str, list[Row]]:
    """The PDF's text and its lines table, row by row (pdftotext -raw: date and description, the code,
    then quantity, unit price, discount, tax and amount, then any note under the amount)."""
    language = doc.client.language
    text = pdf_text(HtmlRenderer(TEMPLATE).render(doc))
    table = text.split("\n")
    rows, at = [], 0
    for line in doc.invoice.lines:
        day = format_date(line.date, language)
        at = next(i for i in range(at, len(table)) if table[i].startswith(f"{day} {line.description}"))
        figures = table[at + 2]
        quantity = parse_decimal(figures.split(" ")[0], locale=language or "en")
        money = amounts(figures, language)
        note = table[at + 3] if table[at + 3] in MARKS else ""
        rows.append(Row(line.description, quantity, money[0], money[1] if len(money) == 3 else Decimal(0),
                        money[-1], note))
        at += 3
    return flat(text), rows


MARKS = ("incl. VAT", "brutto", "TTC")  # what a gross line's amount may carry under it


def credit_note(doc: InvoiceDocument) -> InvoiceDocument:
    """The credit note voiding `doc`, as the ledger has it (see render.sample.sample_credit_note)."""
    lines = tuple(replace(line, invoice_no="CN-2026-0003", quantity=-line.quantity, discount=-line.discount,
                          net=-line.net, tax=-line.tax, total=-line.total) for line in doc.invoice.lines)
    inv = replace(doc.invoice, invoice_no="CN-2026-0003", net=-doc.invoice.net, tax=-doc.invoice.tax,
                  total=-doc.invoice.total, balance=Decimal(0), lines=lines)
    return replace(doc, invoice=inv, taxes=tax_summary(lines, CENT), kind=InvoiceKind.CREDIT_NOTE,
                   credits=doc.invoice.invoice_no)


HEADERS = {  # unit price and amount column headers, as printed (in capitals)
    "en": ("UNIT PRICE INCL. VAT", "AMOUNT INCL. VAT", "UNIT PRICE", "NET", "incl. VAT"),
    "de": ("EINZELPREIS BRUTTO", "BETRAG BRUTTO", "EINZELPREIS", "NETTO", "brutto"),
    "fr": ("PRIX UNITAIRE TTC", "MONTANT TTC", "PRIX UNITAIRE", "HT", "TTC"),
}
TOTAL = {"en": "Total ", "de": "Gesamt ", "fr": "Total TTC "}  # the totals block's Total row


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("plan", [FULLY_GROSS, MIXED], ids=["fully-gross", "mixed"])
def test_each_line_adds_up_as_printed(plan, lang):
    doc = invoice(plan, LANGUAGES[lang])
    _, rows = printed(doc)
    assert len(rows) == len(doc.invoice.lines) and any(line.gross for line in doc.invoice.lines)
    for row in rows:  # quantity x unit price, less the discount, is the amount beside them
        assert row.quantity * row.unit_price + row.discount == row.amount, row


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_fully_gross_invoice_says_its_prices_include_vat_and_its_amounts_add_up_to_the_total(lang):
    doc = invoice(FULLY_GROSS, LANGUAGES[lang])
    text, rows = printed(doc)
    unit_price, amount, *_ = HEADERS[lang]
    assert unit_price in text and amount in text
    assert [row.amount for row in rows] == [Decimal(a) for a in ("49.99", "24.63", "19.98", "58.50", "8.99",
                                                                 "144.97")]
    assert all(row.note == "" for row in rows)  # the headers say it once
    total = amounts(text[text.index(TOTAL[lang]):], LANGUAGES[lang])[0]
    assert sum(row.amount for row in rows) == total == Decimal("307.06")
    # the totals block still shows the net and the VAT per rate on its net
    assert amounts(text, LANGUAGES[lang]).count(Decimal("270.10")) == 1  # net total
    assert Decimal("35.06") in amounts(text, LANGUAGES[lang]) and Decimal("184.53") in amounts(text, LANGUAGES[lang])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_mixed_invoice_marks_its_gross_lines(lang):
    doc = invoice(MIXED, LANGUAGES[lang])
    text, rows = printed(doc)
    unit_price, amount, net_price, net, mark = HEADERS[lang]
    assert unit_price not in text and amount not in text
    assert f"{net_price} " in text and f" {net} " in text
    assert [(row.description, row.note) for row in rows] == [
        ("Massage (gross)", mark), ("Skin gel (gross)", mark), ("Physiotherapy (net)", ""),
        ("Kinesio tape (net)", ""), ("Exercise booklet", mark)]


def test_a_credit_note_of_gross_lines_reads_the_same_way():
    doc = credit_note(invoice(FULLY_GROSS, "de_DE"))
    text, rows = printed(doc)
    assert "EINZELPREIS BRUTTO" in text and "BETRAG BRUTTO" in text
    assert [row.amount for row in rows][-1] == Decimal("-144.97")
    for row in rows:
        assert row.quantity * row.unit_price + row.discount == row.amount, row


def test_net_prices_keep_their_columns():
    text = flat(pdf_text(HtmlRenderer(TEMPLATE).render(sample_document())))
    assert "UNIT PRICE DISCOUNT TAX NET" in text and "incl. VAT" not in text



def word_rows(doc: InvoiceDocument) -> list[list[str]]:
    """The lines table of the filled-in Word template, cell texts row by row (its header first)."""
    document = docx.Document(io.BytesIO(DocxRenderer(WORD_TEMPLATE).render_docx(doc)))
    table = max(document.tables, key=lambda t: len(t.columns))
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("plan", [FULLY_GROSS, MIXED], ids=["fully-gross", "mixed"])
def test_the_word_template_reads_the_same_way(plan, lang):
    doc = invoice(plan, LANGUAGES[lang])
    header, *rows = word_rows(doc)
    unit_price, amount, net_price, net, mark = HEADERS[lang]
    gross = plan is FULLY_GROSS
    assert (header[3], header[6]) == ((unit_price, amount) if gross else (net_price, net))
    assert len(rows) == len(doc.invoice.lines)
    for line, (_, _, quantity, unit, discount, _, printed_amount) in zip(doc.invoice.lines, rows):
        figure, _, note = printed_amount.partition("\n")
        unit_price_, cut, total = (amounts(t, LANGUAGES[lang]) for t in (unit, discount, figure))
        assert parse_decimal(quantity, locale=LANGUAGES[lang] or "en") * unit_price_[0] + sum(cut) == total[0]
        assert note == (mark if line.gross and not gross and line.tax_rate else "")
