"""A card payment the client's bank reversed (a dispute the practice lost, Applied To `Chargeback`):
its notice (PDF and email), the statement and the credit note say so in the client's language, and
never that the practice refunded the client."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from sheetbill.core.account import account_of
from sheetbill.core.document import StatementDocument, receipt_for
from sheetbill.core.model import Allocation, Invoice, InvoiceStatus, Payment
from sheetbill.core.statement import statement_for
from sheetbill.deliver.message import receipt_message
from sheetbill.render.context import invoice_context
from sheetbill.render.html import HtmlRenderer
from sheetbill.render.receipt import RECEIPT
from sheetbill.render.sample import CLIENT, PRACTICE
from sheetbill.render.statement import STATEMENT
from tests.test_render_cancellation import KEPT, NOTE, SPLIT, document, paid
from tests.test_render_html import flat, pdf_text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
EMAIL = TEMPLATES / "email"
INVOICE = Invoice("INV-1", date(2026, 10, 2), date(2026, 10, 16), CLIENT.client_id, "", (), Decimal(50), Decimal(0),
                  Decimal(50), Decimal(50), Decimal(0), InvoiceStatus.PAID)
CARD = Payment(2, "P-1", date(2026, 10, 3), CLIENT.client_id, "", Decimal(80), "Card", "pi_1",
               (Allocation("INV-1", Decimal(50)),), "RCPT-1", "", "")
REVERSED = Payment(3, "P-2", date(2026, 10, 9), CLIENT.client_id, "", Decimal(-30), "Card", "dp_1",
                   (Allocation("Chargeback", Decimal(-30)),), "RCPT-2", "", "")
# what each language says, on the notice's PDF, in its email (subject, body) and on the statement
WORDS = {
    "": ("REVERSED FOR", "Reversed by your bank", "Amount reversed 30.00 EUR",
         "Card payment reversed: notice RCPT-2 from",
         "Your payment of 30.00 EUR (Card) of 9 Oct 2026 was disputed with your bank and reversed by it: the money "
         "went back to you through your bank, not as a refund from us, and we have taken it out of the credit on "
         "your account.",
         "Card payment reversed: 30.00 EUR disputed with your bank and taken back by it"),
    "de_DE": ("RÜCKBUCHUNG FÜR", "Von Ihrer Bank rückgebucht", "Rückgebuchter Betrag 30,00\xa0€",
              "Kartenzahlung rückgebucht: Beleg RCPT-2 von",
              "Ihre Zahlung über 30,00\xa0€ (Kartenzahlung) vom 09.10.2026 wurde bei Ihrer Bank angefochten und von ihr "
              "rückgebucht: Das Geld ist über Ihre Bank an Sie zurückgegangen, nicht als Erstattung von uns, und wir "
              "haben es von dem Guthaben auf Ihrem Konto abgezogen.",
              "Kartenzahlung rückgebucht: 30,00\xa0€ bei Ihrer Bank angefochten und von ihr zurückgeholt"),
    "fr_FR": ("ANNULATION POUR", "Annulé par votre banque", "Montant annulé 30,00\xa0€",
              "Paiement par carte annulé : avis RCPT-2 de",
              "Votre paiement de 30,00\xa0€ (Carte bancaire) du 9 oct. 2026 a été contesté auprès de votre banque et annulé "
              "par elle : l'argent vous est revenu par votre banque, et non comme un remboursement de notre part, et "
              "nous l'avons déduit du crédit de votre compte.",
              "Paiement par carte annulé : 30,00\xa0€ contesté auprès de votre banque et repris par elle"),
}
REFUND_WORDS = ("refund", "erstatt", "rembours")


def _pdf(words: str) -> str:
    """`words` as pdftotext reads them back (a no-break space as a space)."""
    return words.replace("\xa0", " ")


def _no_refund_words(text: str, but: str = "") -> None:
    text = text.replace(but, "").lower()
    assert not [w for w in REFUND_WORDS if w in text], text


@pytest.mark.parametrize("language", list(WORDS))
def test_the_notice_of_a_reversed_card_payment_says_the_bank_took_it_back(language):
    client = replace(CLIENT, language=language)
    practice = replace(PRACTICE, currency="EUR")
    figures = account_of(client.client_id, [INVOICE], [CARD, REVERSED], lambda p: p.client).receipt("P-2")
    doc = receipt_for(REVERSED, "RCPT-2", client, practice, figures)
    label, thanks, total, subject, said, _ = WORDS[language]
    text = flat(pdf_text(HtmlRenderer(TEMPLATES / "receipt.html", RECEIPT).render(doc)))
    assert label in text and thanks in text and _pdf(total) in text
    _no_refund_words(text)
    message = receipt_message(doc, b"%PDF-1.7\n", "RCPT-2.pdf", "billing@practice.example",
                              EMAIL / "receipt_subject.txt", EMAIL / "receipt_body.txt",
                              written=datetime(2026, 10, 9, tzinfo=timezone.utc), workbook="")
    body = flat(message.get_body(("plain",)).get_content())
    assert message["Subject"].startswith(subject)
    assert _pdf(said) in _pdf(body)
    _no_refund_words(_pdf(message["Subject"] + body), but=_pdf(said))


@pytest.mark.parametrize("language", list(WORDS))
def test_the_statement_names_the_reversal_not_a_refund(language):
    client = replace(CLIENT, language=language)
    statement = statement_for(client, [INVOICE], [CARD, REVERSED], date(2026, 10, 1), date(2026, 10, 31),
                              date(2026, 11, 1))
    text = flat(pdf_text(HtmlRenderer(TEMPLATES / "statement.html", STATEMENT).render(
        StatementDocument(replace(PRACTICE, currency="EUR"), client, statement))))
    assert _pdf(WORDS[language][5]) in text
    _no_refund_words(text)


@pytest.mark.parametrize("payments, language, expected", [
    pytest.param([*KEPT, paid("Chargeback -100.00", "-100.00", row=3)], "",
                 "This credit note cancels invoice INV-2026-0042. The 100.00 EUR paid on it was disputed with your "
                 "bank and taken back by it.", id="all taken back"),
    pytest.param([*SPLIT, paid("Chargeback -79.98", "-79.98", row=3)], "de_DE",
                 "Diese Gutschrift storniert die Rechnung INV-2026-0042. Darauf waren 199,98\xa0€ bezahlt worden: "
                 "120,00\xa0€ werden mit der Rechnung INV-2026-0050 verrechnet, 79,98\xa0€ wurden bei Ihrer Bank "
                 "angefochten und von ihr zurückgeholt.", id="de"),
    pytest.param([*KEPT, paid("Chargeback -30.00", "-30.00", row=3)], "fr_FR",
                 "Cet avoir annule la facture INV-2026-0042. 100,00\xa0€ avaient été réglés au titre de cette "
                 "facture : 30,00\xa0€ ont été contestés auprès de votre banque et repris par elle, 70,00\xa0€ "
                 "restent en crédit sur votre compte.", id="fr"),
])
def test_the_credit_note_says_the_bank_took_the_money_back(payments, language, expected):
    assert invoice_context(document(NOTE.invoice_no, payments, language))["payment_terms"] == expected
