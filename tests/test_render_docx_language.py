"""The Word invoice in the client's language: every label of the shipped
template translated, dates and amounts the locale's, and a template edited
before languages existed still filled in (in English)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from babel.messages.pofile import read_po

from sheetbill.core.account import PaymentOnInvoice
from sheetbill.core.document import InvoiceDocument
from sheetbill.render.docx import DocxRenderer
from sheetbill.render.sample import sample_credit_note, sample_document

from .test_render_docx import all_text

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / "invoice.docx"

# What the English template prints around the data; none may be left in German or French.
ENGLISH = ["Tax ID", "BILL TO", "CREDIT TO", "Invoice no.", "Credit note no.", "Issue date", "Due date",
           "Credits invoice", "Client no.", "DATE", "DESCRIPTION", "QTY", "UNIT PRICE", "DISCOUNT", "NET",
           "Net total", "Tax 19", " on ", "Total", "Paid ", "Balance of this invoice", "Previous balance",
           "now due", "Amount due", "Total credited", "PAYMENT", "CREDIT", "BANK DETAILS", "Page", " of ",
           "PAID", "Open", "Draft", "not a valid"]


SAME_WORD = {"de": set(), "fr": {"DATE", "Total", "Page"}}  # French writes these as English does


def english_left(text: str, language: str = "de") -> list[str]:
    """The English labels in `text` (whole words)."""
    return [word for word in ENGLISH if word not in SAME_WORD[language]
            and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


def in_language(doc: InvoiceDocument, language: str) -> InvoiceDocument:
    return replace(doc, client=replace(doc.client, language=language))


def with_payment(doc: InvoiceDocument) -> InvoiceDocument:
    """The sample invoice with a payment on it, so that the payment rows print."""
    half = Decimal("100.00")
    return replace(doc, paid=half, payments=(PaymentOnInvoice(date(2026, 11, 25), "RCPT-2026-0016", "Bank transfer",
                                                              half),))


@pytest.fixture(scope="module")
def renderer() -> DocxRenderer:
    return DocxRenderer(TEMPLATE)


@pytest.mark.parametrize("language, expected", [
    ("de", ["RECHNUNG AN", "Rechnungsnr.", "Rechnungsdatum", "21.11.2026", "Fällig am", "05.12.2026",
            "Kundennr.", "DATUM", "EINZELPREIS", "Summe netto", "USt. 19\xa0% auf 141,25\xa0€", "26,84\xa0€",
            "Vorheriger Saldo", "Jetzt fällig", "248,48\xa0€", "ZAHLUNG", "BANKVERBINDUNG", "Seite"]),
    ("fr", ["FACTURÉ À", "Facture n°", "Date d'émission", "21 nov. 2026", "Échéance", "PRIX UNITAIRE",
            "Total HT", "TVA 19\xa0% sur 141,25\xa0€", "Solde antérieur", "Total à payer", "PAIEMENT",
            "COORDONNÉES BANCAIRES", "Page"]),
])
def test_a_word_invoice_speaks_the_clients_language(renderer, language, expected):
    text = all_text(renderer.render_docx(in_language(sample_document(), language)))
    for words in expected:
        assert words in text
    assert english_left(text, language) == []


@pytest.mark.parametrize("make", [sample_credit_note, lambda: sample_document(draft=True),
                                  lambda: with_payment(sample_document())],
                         ids=["credit note", "draft", "part paid"])
def test_no_english_label_is_left_in_a_german_word_document(renderer, make):
    data = renderer.render_docx(in_language(make(), "de"))
    text = all_text(data)
    assert english_left(text) == []
    header = docx.Document(io.BytesIO(data)).sections[0].header._element.xml
    assert "DRAFT" not in header  # the watermark says ENTWURF on a draft


def test_the_draft_watermark_in_german(renderer):
    header = docx.Document(io.BytesIO(renderer.render_docx(in_language(sample_document(draft=True), "de"))))
    assert 'string="ENTWURF"' in header.sections[0].header._element.xml


def test_without_a_language_the_word_invoice_is_as_before(renderer):
    text = all_text(renderer.render_docx(sample_document()))
    for words in ["BILL TO", "Invoice no.", "Issue date", "21 Nov 2026", "Tax 19% on 141.25 EUR",
                  "Previous balance", "Total now due", "248.48 EUR", "PAYMENT", "BANK DETAILS", "Page"]:
        assert words in text


def test_a_template_edited_before_languages_still_fills_in(tmp_path):
    """A practice's own template without `_`: its words stay, the data is the client's locale's."""
    own = tmp_path / "own.docx"
    document = docx.Document()
    document.add_paragraph("Invoice {{ number }} of {{ issue_date }}, due {{ amount_due }}")
    document.save(own)
    text = all_text(DocxRenderer(own).render_docx(in_language(sample_document(), "de")))
    assert "Invoice INV-2026-0042 of 21.11.2026, due 248,48\xa0€" in text


def words_of_the_template() -> set[str]:
    """Every `_('...')` of the shipped Word template."""
    with zipfile.ZipFile(TEMPLATE) as archive:
        xml = "".join(archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml"))
    return set(re.findall(r"_\((?:'|&apos;|&#39;)(.+?)(?:'|&apos;|&#39;)\)", xml))


@pytest.mark.parametrize("language", ["de", "fr"])
def test_every_word_of_the_word_template_has_a_translation(language):
    words = words_of_the_template()
    assert {"Due date", "Net total", "Amount due", "Page", "DRAFT"} <= words
    with (ROOT / "sheetbill" / "locale" / language / "LC_MESSAGES" / "sheetbill.po").open("rb") as f:
        catalogue = {m.id: m.string for m in read_po(f) if m.id}
    assert sorted(w for w in words if not catalogue.get(w)) == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_a_german_word_invoice_as_pdf(renderer):
    pdf = renderer.render(in_language(sample_document(), "de"))
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    for expected in ["RECHNUNG AN", "Rechnungsdatum", "21.11.2026", "USt. 19", "Jetzt fällig", "248,48",
                     "Seite 1 von 1"]:
        assert expected in text
    assert english_left(text) == []


@pytest.mark.parametrize("language, make, banner", [
    ("de", lambda: sample_document(draft=True), "Entwurf — keine gültige Rechnung"),  # the noun keeps its capital
    ("fr", lambda: sample_document(draft=True), "Brouillon — ceci n'est pas une facture valable"),
    ("en", lambda: sample_document(draft=True), "Draft — not a valid invoice"),
])
def test_the_draft_banner_is_a_whole_sentence_of_the_language(renderer, language, make, banner):
    assert banner in all_text(renderer.render_docx(in_language(make(), language)))
