"""A payment's Method is printed in the document's language; the workbook keeps its values."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from sheetbill.core.account import PaymentOnInvoice
from sheetbill.language import gettext_for
from sheetbill.render.context import invoice_context
from sheetbill.render.method import method_words
from sheetbill.render.sample import sample_document

# the workbook's Method, language -> what documents print
WORDS = [
    ("Bank transfer", "de", "Überweisung"),
    ("Card", "de", "Kartenzahlung"),
    ("Cash", "de", "Barzahlung"),
    ("Other", "de", "Sonstige Zahlung"),
    ("Bank transfer", "fr", "Virement"),
    ("Card", "fr", "Carte bancaire"),
    ("Cash", "fr", "Espèces"),
    ("Other", "fr", "Autre moyen de paiement"),
    ("bank  transfer", "de", "Überweisung"),  # as typed, any case or spacing
    ("Cash", "", "Cash"),
    ("PayPal", "de", "PayPal"),  # not one of the dropdown's values: as typed
    ("", "fr", ""),
]


@pytest.mark.parametrize("method, language, printed", WORDS)
def test_the_method_in_the_documents_language(method, language, printed):
    assert method_words(method, gettext_for(language)) == printed


@pytest.mark.parametrize("language, printed", [("de_DE", "Barzahlung"), ("fr_FR", "Espèces"), ("", "Cash")])
def test_an_invoice_lists_its_payments_with_their_method_in_its_language(language, printed):
    doc = sample_document()
    doc = replace(doc, client=replace(doc.client, language=language),
                  payments=(PaymentOnInvoice(date(2026, 11, 30), "RCPT-2026-0008", "Cash", Decimal("20.00")),))
    assert [p["method"] for p in invoice_context(doc)["payments"]] == [printed]
