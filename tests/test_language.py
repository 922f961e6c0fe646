"""The document's language: amounts, dates, quantities and rates written the
locale's way, the words of its catalogue, its email templates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sheetbill.language import (
    UnknownLanguage,
    document_language,
    email_template,
    gettext_for,
    parse_language,
)
from sheetbill.render.context import (
    format_date,
    format_money,
    format_quantity,
    format_rate,
)

NNBSP, NBSP = "\u202f", "\xa0"


@pytest.mark.parametrize("language, value, currency, expected", [
    ("", "1234.5", "EUR", "1,234.50 EUR"),  # no language: sheetbill's plain English, as before
    ("", "-6.25", "€", "-€6.25"),
    ("de", "1234.5", "EUR", f"1.234,50{NBSP}€"),
    ("de_DE", "-6.25", "EUR", f"-6,25{NBSP}€"),
    ("fr", "1234.5", "EUR", f"1{NNBSP}234,50{NBSP}€"),
    ("fr_FR", "1234567.891", "EUR", f"1{NNBSP}234{NNBSP}567,89{NBSP}€"),
    ("en_IE", "1234.5", "EUR", "€1,234.50"),
    ("en_IE", "-1234.5", "EUR", "-€1,234.50"),
    ("de_DE", "-0.00", "EUR", f"0,00{NBSP}€"),  # zero has no sign (a credit note's exempt VAT)
    ("fr_FR", "-0.001", "EUR", f"0,00{NBSP}€"),
    ("de_CH", "1234.5", "CHF", f"CHF{NBSP}1'234.50"),
    ("de", "1234.5", "€", f"1.234,50{NBSP}€"),  # a symbol instead of a code
])
def test_money_in_each_locale(language, value, currency, expected):
    assert format_money(Decimal(value), currency, language=language) == expected


@pytest.mark.parametrize("language, expected", [
    ("", "21 Nov 2026"),
    ("de", "21.11.2026"),
    ("de_DE", "21.11.2026"),
    ("fr_FR", "21 nov. 2026"),
    ("en_IE", "21 Nov 2026"),
])
def test_dates_in_each_locale(language, expected):
    assert format_date(date(2026, 11, 21), language) == expected
    assert format_date(None, language) == ""


@pytest.mark.parametrize("language, quantity, rate, expected", [
    ("", "1.50", "19", ("1.5", "19%")),
    ("", "1000", "5.5", ("1,000", "5.5%")),
    ("de", "1.50", "19", ("1,5", f"19{NBSP}%")),
    ("de", "1000", "5.5", ("1.000", f"5,5{NBSP}%")),
    ("fr", "2.25", "5.5", ("2,25", f"5,5{NBSP}%")),
    ("en_IE", "1000", "0", ("1,000", "0%")),
])
def test_quantities_and_rates_in_each_locale(language, quantity, rate, expected):
    assert (format_quantity(Decimal(quantity), language), format_rate(Decimal(rate), language)) == expected


@pytest.mark.parametrize("cell, expected", [
    ("", ""), (" de ", "de"), ("fr_FR", "fr_FR"), ("de-DE", "de_DE"), ("en_IE", "en_IE"),
])
def test_a_language_is_a_locale_name(cell, expected):
    assert parse_language(cell) == expected


@pytest.mark.parametrize("cell", ["german", "xx", "12"])
def test_an_unknown_language_says_so_and_gives_examples(cell):
    with pytest.raises(UnknownLanguage, match=f"unknown language '{cell}' \\(e.g. en, de_DE"):
        parse_language(cell)


def test_the_clients_language_comes_before_the_practices():
    assert document_language("fr_FR", "de") == "fr_FR"
    assert document_language("", "de") == "de"
    assert document_language("", "") == ""


@pytest.mark.parametrize("language, message, expected", [
    ("", "Invoice", "Invoice"),
    ("de", "Invoice", "Rechnung"),
    ("de_AT", "Amount due", "Zu zahlen"),  # no de_AT catalogue: de's
    ("fr_FR", "Invoice", "Facture"),
    ("en_IE", "Invoice", "Invoice"),
    ("it", "Invoice", "Invoice"),  # no catalogue: English words
])
def test_words_come_from_the_languages_catalogue(language, message, expected):
    assert gettext_for(language)(message) == expected


def test_email_templates_of_a_language_else_the_ones_given(tmp_path: Path):
    own = tmp_path / "invoice_body.txt"
    own.write_text("Dear {{ client.name }}")
    assert email_template(own, "") == own
    assert email_template(own, "it") == own  # no Italian templates: the practice's own
    assert email_template(own, "fr_FR").parts[-2:] == ("fr", "invoice_body.txt")  # shipped French
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "invoice_body.txt").write_text("Bonjour")
    assert email_template(own, "fr_FR") == tmp_path / "fr" / "invoice_body.txt"  # the practice's French


@pytest.mark.parametrize("language, subject, greeting, due", [
    ("de_DE", "Zweite Mahnung: Rechnung INV-2026-0042 ist seit 12 Tagen überfällig", "Guten Tag", "fällig am 05.12.2026"),
    ("fr_FR", "Deuxième rappel : la facture INV-2026-0042 est en retard de 12 jours", "Bonjour", "due le 5 déc. 2026"),
    ("", "Second reminder: invoice INV-2026-0042 is 12 days overdue", "Dear", "due on 5 Dec 2026"),
])
def test_a_reminder_is_written_in_the_clients_language(language, subject, greeting, due):
    from dataclasses import replace
    from datetime import datetime, timezone

    from sheetbill.deliver.message import reminder_message
    from sheetbill.render.sample import sample_document

    doc = sample_document()
    doc = replace(doc, client=replace(doc.client, language=language))
    email = Path(__file__).resolve().parent.parent / "templates" / "email"
    message = reminder_message(doc, b"%PDF-1.7\n", "INV-2026-0042.pdf", 2, 12, date(2026, 12, 17),
                               "billing@practice.example", email / "reminder_subject.txt",
                               email / "reminder_body.txt", written=datetime(2026, 12, 17, tzinfo=timezone.utc),
                               workbook="")
    body = message.get_body(("plain",)).get_content()
    assert message["Subject"] == subject
    assert body.startswith(greeting) and due in body
    assert format_money(doc.balance, "EUR", language=language) in body


@pytest.mark.parametrize("language, unpaid, partly", [
    ("de_DE", "Wir haben noch keine Zahlung erhalten: 199,98\u00a0€ sind noch offen.",
     "Vielen Dank für die bisher erhaltenen 40,00\u00a0€; 159,98\u00a0€ sind noch offen."),
    ("fr_FR", "Nous n'avons pas encore reçu votre paiement : 199,98\u00a0€ reste dû.",
     "Merci pour les 40,00\u00a0€ déjà reçus ; 159,98\u00a0€ reste dû."),
    ("", "We have not received payment yet: 199.98 EUR is still open.",
     "Thank you for the 40.00 EUR received so far; 159.98 EUR is still open."),
])
def test_a_first_reminder_thanks_for_a_part_payment_instead_of_saying_none_came(language, unpaid, partly):
    """A partly paid invoice's first reminder told the client no payment had come, while the invoice it
    attaches lists theirs."""
    from dataclasses import replace
    from datetime import datetime, timezone
    from decimal import Decimal

    from sheetbill.core.account import PaymentOnInvoice
    from sheetbill.deliver.message import reminder_message
    from sheetbill.render.sample import sample_document

    email = Path(__file__).resolve().parent.parent / "templates" / "email"
    doc = sample_document()
    doc = replace(doc, client=replace(doc.client, language=language))
    paid = replace(doc, paid=Decimal("40.00"), payments=(PaymentOnInvoice(date(2026, 11, 30), "RCPT-2026-0001",
                                                                          "Bank transfer", Decimal("40.00")),))
    bodies = []
    for one in (doc, paid):
        message = reminder_message(one, b"%PDF-1.7\n", "INV-2026-0042.pdf", 1, 5, date(2026, 12, 10),
                                   "billing@practice.example", email / "reminder_subject.txt",
                                   email / "reminder_body.txt", written=datetime(2026, 12, 10, tzinfo=timezone.utc),
                                   workbook="")
        bodies.append(" ".join(message.get_body(("plain",)).get_content().split()))
    assert doc.balance == Decimal("199.98") and paid.balance == Decimal("159.98")
    assert " ".join(unpaid.split()) in bodies[0] and " ".join(partly.split()) in bodies[1]
    assert " ".join(unpaid.split()) not in bodies[1]
