"""A refund (or a chargeback) of a card payment that paid several invoices at once: its receipt and
email name each invoice and what the account says was taken back from it, the last paid first, in the
client's language."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from sheetbill.core.account import account_of
from sheetbill.core.document import receipt_for
from sheetbill.core.model import Allocation, Invoice, InvoiceStatus, Payment
from sheetbill.deliver.message import receipt_message
from sheetbill.render.html import HtmlRenderer
from sheetbill.render.receipt import RECEIPT
from sheetbill.render.sample import CLIENT, PRACTICE
from tests.test_render_chargeback import EMAIL, TEMPLATES, _pdf
from tests.test_render_html import flat, pdf_text


def invoice(number: str) -> Invoice:
    return Invoice(number, date(2026, 10, 2), date(2026, 10, 16), CLIENT.client_id, "", (), Decimal(65), Decimal(0),
                   Decimal(65), Decimal(65), Decimal(0), InvoiceStatus.VOID)


CHARGE = Payment(2, "P-1", date(2026, 10, 3), CLIENT.client_id, "", Decimal(130), "Card", "pi_1",
                 (Allocation("INV-1", Decimal(65)), Allocation("INV-2", Decimal(65))), "RCPT-1", "", "")


def back(word: str) -> Payment:
    return Payment(3, "P-2", date(2026, 10, 9), CLIENT.client_id, "INV-1, INV-2", Decimal(-100), "Card", "re_1",
                   (Allocation(word, Decimal(-100)),), "RCPT-2", "", "")


@pytest.mark.parametrize("word, language, pdf, email", [
    ("Refund", "", "CONCERNS AMOUNT Invoice INV-2 65.00 EUR Invoice INV-1 35.00 EUR",
     "The refund concerns: - invoice INV-2: 65.00 EUR - invoice INV-1: 35.00 EUR"),
    ("Refund", "de_DE", "BETRIFFT BETRAG Rechnung INV-2 65,00 € Rechnung INV-1 35,00 €",
     "Die Erstattung betrifft: - Rechnung INV-2: 65,00 € - Rechnung INV-1: 35,00 €"),
    ("Chargeback", "fr_FR", "CONCERNE MONTANT Facture INV-2 65,00 € Facture INV-1 35,00 €",
     "L'annulation concerne : - facture INV-2 : 65,00 € - facture INV-1 : 35,00 €"),
])
def test_money_back_names_each_invoice_and_what_came_off_it(word, language, pdf, email):
    client = replace(CLIENT, language=language)
    payment = back(word)
    account = account_of(client.client_id, [invoice("INV-1"), invoice("INV-2")], [CHARGE, payment], lambda p: p.client)
    figures = account.receipt("P-2")
    assert figures.allocations == (Allocation("INV-2", Decimal(65)), Allocation("INV-1", Decimal(35)))
    doc = receipt_for(payment, "RCPT-2", client, replace(PRACTICE, currency="EUR"), figures)
    assert _pdf(pdf) in flat(pdf_text(HtmlRenderer(TEMPLATES / "receipt.html", RECEIPT).render(doc)))
    message = receipt_message(doc, b"%PDF-1.7\n", "RCPT-2.pdf", "billing@practice.example",
                              EMAIL / "receipt_subject.txt", EMAIL / "receipt_body.txt",
                              written=datetime(2026, 10, 9, tzinfo=timezone.utc), workbook="")
    assert _pdf(email) in _pdf(flat(message.get_body(("plain",)).get_content()))


def test_what_is_taken_back_never_passes_what_was_paid_nor_the_refund():
    account = account_of(CLIENT.client_id, [invoice("INV-1"), invoice("INV-2")], [CHARGE], lambda p: p.client)
    day = date(2026, 10, 9)
    assert account.taken_back(["INV-1", "INV-2"], Decimal(10), day) == (Allocation("INV-2", Decimal(10)),)
    assert account.taken_back(["INV-1", "INV-2"], Decimal(200), day) == (
        Allocation("INV-2", Decimal(65)), Allocation("INV-1", Decimal(65)))
    assert account.taken_back(["INV-1", "INV-2"], Decimal(10), date(2026, 10, 2)) == ()  # not paid yet then
    assert account.taken_back(["INV-9"], Decimal(10), day) == ()
