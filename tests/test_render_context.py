"""render.context: every value formatted once, as text."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from sheetbill.render.context import (
    format_date, format_money, format_quantity, format_rate, invoice_context, payment_terms, text,
)
from sheetbill.render.sample import sample_credit_note, sample_document


@pytest.mark.parametrize(("value", "currency", "minor", "expected"), [
    ("1234.5", "EUR", "0.01", "1,234.50 EUR"),
    ("1234.5", "eur", "0.01", "1,234.50 EUR"),
    ("1234.5", "€", "0.01", "€1,234.50"),
    ("-5", "€", "0.01", "-€5.00"),
    ("-5", "CHF", "0.01", "-5.00 CHF"),
    ("0.005", "EUR", "0.01", "0.01 EUR"),  # half-up
    ("1234567.4", "JPY", "1", "1,234,567 JPY"),
    ("0", "$", "0.01", "$0.00"),
    ("12.3456", "KWD", "0.001", "12.346 KWD"),
])
def test_money(value, currency, minor, expected):
    assert format_money(Decimal(value), currency, Decimal(minor)) == expected


def test_dates_do_not_depend_on_the_locale():
    assert format_date(date(2026, 11, 21)) == "21 Nov 2026"
    assert format_date(date(2027, 1, 5)) == "5 Jan 2027"
    assert format_date(None) == ""


@pytest.mark.parametrize(("value", "expected"), [
    ("1", "1"), ("1.50", "1.5"), ("2.000", "2"), ("1E+1", "10"), ("1500", "1,500")])
def test_quantity(value, expected):
    assert format_quantity(Decimal(value)) == expected


@pytest.mark.parametrize(("value", "expected"), [("19", "19%"), ("19.00", "19%"), ("5.5", "5.5%"),
                                                 ("0", "0%")])
def test_rate(value, expected):
    assert format_rate(Decimal(value)) == expected


def test_payment_note_tokens_are_filled_and_unknown_ones_kept():
    values = {"number": "INV-1", "reference": "RF47 INV1", "due_date": "5 Dec 2026", "amount_due": "10.00 EUR"}
    note = "Pay {amount_due} within {terms} days ({number}, by {due_date}) {iban}"
    assert payment_terms(note, 14, values) == \
        "Pay 10.00 EUR within 14 days (INV-1, by 5 Dec 2026) {iban}"
    assert payment_terms("", 14, values) == \
        "Please pay 10.00 EUR by 5 Dec 2026 (14 days), quoting RF47 INV1."
    assert payment_terms("", 0, values).startswith("Payment is due on receipt")


def test_cell_text_keeps_newlines_and_drops_control_characters():
    assert text("a\r\nb\x00c\x0bd\te\x7f ") == "a\nbcd\te"


def test_context_of_the_sample_invoice():
    context = invoice_context(sample_document())
    assert context["number"] == "INV-2026-0042"
    assert (context["issue_date"], context["due_date"]) == ("21 Nov 2026", "5 Dec 2026")
    assert context["issue_date_iso"] == "2026-11-21"
    assert context["client"]["address_lines"][-1] == "Germany"
    assert [t["rate"] for t in context["taxes"]] == ["19%", "7%"]
    assert (context["total"], context["previous_balance"], context["amount_due"]) == \
        ("199.98 EUR", "48.50 EUR", "248.48 EUR")
    assert context["has_previous_balance"] and context["has_discounts"]
    first, second = context["lines"][:2]
    assert (first["date"], first["quantity"], first["unit_price"], first["discount"]) == \
        ("17 Nov 2026", "1", "85.00 EUR", "")
    assert second["discount"] == "-6.25 EUR"


def test_a_draft_without_number_or_dates():
    doc = sample_document(draft=True, previous_balance=Decimal(0))
    doc = replace(doc, invoice=replace(doc.invoice, issue_date=None, due_date=None),
                  today=date(2026, 12, 1))
    context = invoice_context(doc)
    assert context["draft"] and context["number"] == "DRAFT"
    assert (context["issue_date"], context["due_date"]) == ("1 Dec 2026", "15 Dec 2026")
    assert not context["has_previous_balance"]
    assert context["amount_due"] == context["total"]


def test_symbol_currency_from_the_practice():
    doc = sample_document()
    doc = replace(doc, practice=replace(doc.practice, currency="€"))
    assert invoice_context(doc)["amount_due"] == "€248.48"


def test_credit_note():
    context = invoice_context(sample_credit_note())
    assert (context["kind"], context["title"], context["credits"], context["number"]) == \
        ("credit_note", "Credit note", "INV-2026-0042", "CN-2026-0003")
    assert (context["total"], context["credited"]) == ("-199.98 EUR", "199.98 EUR")
    assert context["payment_terms"] == ("This credit note cancels invoice INV-2026-0042. The "
                                        "amount is credited to your account; there is nothing "
                                        "to pay.")
    second = context["lines"][1]
    assert (second["quantity"], second["discount"], second["net"]) == \
        ("-1", "6.25 EUR", "-56.25 EUR")
    plain = invoice_context(sample_document())
    assert (plain["title"], plain["credited"]) == ("Invoice", "")


def test_the_figures_of_the_account_contract():
    from sheetbill.core.account import AccountStatus, PaymentOnInvoice

    doc = sample_document(previous_balance=Decimal(0))
    total = doc.invoice.total
    paid = PaymentOnInvoice(date(2026, 11, 22), "RCPT-2026-0003", "Card", Decimal("50.00"))
    part = replace(doc, paid=Decimal("50.00"), payments=(paid,), previous_balance=Decimal("-10.00"),
                   status=AccountStatus.PARTIALLY_PAID)
    c = invoice_context(part)
    assert (c["total"], c["paid"], c["balance"], c["previous_balance"], c["amount_due"]) == \
        (format_money(total, "EUR"), "50.00 EUR", format_money(total - 50, "EUR"), "-10.00 EUR",
         format_money(total - 60, "EUR"))
    assert c["payments"] == [{"date": "22 Nov 2026", "reference": "RCPT-2026-0003", "method": "Card",
                              "amount": "50.00 EUR"}]
    assert (c["status"], c["is_paid"], c["has_previous_balance"]) == ("Partially paid", False, True)
    settled = invoice_context(replace(doc, paid=total, status=AccountStatus.PAID))
    assert (settled["is_paid"], settled["status"], settled["amount_due"], settled["balance"]) == \
        (True, "Paid", "0.00 EUR", "0.00 EUR")
    assert "nothing to pay" in settled["payment_terms"]
    note = invoice_context(sample_credit_note())
    assert (note["amount_due"], note["status"], note["is_paid"], note["paid"]) == \
        ("0.00 EUR", "Credit note", False, "0.00 EUR")


@pytest.mark.parametrize("total, previous, language, terms, status", [
    ("0.00", "0", "", "Nothing is charged on this invoice: there is nothing to pay.", "Nothing to pay"),  # a whole discount
    ("0.00", "-20.00", "", "Nothing is charged on this invoice: there is nothing to pay.",
     "Nothing to pay"),  # no credit spent on it
    ("0.00", "0", "de_DE", "Auf dieser Rechnung wird nichts berechnet: Es ist nichts zu zahlen.", "Nichts zu zahlen"),
    ("0.00", "0", "fr_FR", "Rien n'est facturé sur cette facture : il n'y a rien à payer.", "Rien à payer"),
    ("65.00", "-80.00", "", "Your credit on account covers it: there is nothing to pay.", "Open"),
    ("65.00", "-80.00", "fr_FR", "Votre avoir couvre ce montant : il n'y a rien à payer.", "Ouvert"),
])
def test_an_invoice_that_asks_for_nothing_says_why(total, previous, language, terms, status):
    """An invoice of 0.00 said the client's credit covered it, to a client without any, and
    its Status said "Open" although nothing is ever to be paid on it."""
    doc = sample_document(previous_balance=Decimal(previous))
    amount = Decimal(total)
    doc = replace(doc, client=replace(doc.client, language=language),
                  invoice=replace(doc.invoice, net=amount, tax=Decimal(0), total=amount, balance=amount))
    assert doc.amount_due == 0 and not doc.is_paid
    context = invoice_context(doc)
    assert (context["payment_terms"], context["status"]) == (terms, status)
