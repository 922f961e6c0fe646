"""render.statement: the statement's context and its PDF, read back with pdftotext."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sheetbill.core.document import StatementDocument
from sheetbill.core.model import Allocation, Invoice, InvoiceStatus, Payment
from sheetbill.core.statement import statement_for
from sheetbill.render.html import HtmlRenderer
from sheetbill.render.sample import CLIENT, PRACTICE, sample_statement
from sheetbill.render.statement import STATEMENT, statement_context
from tests.test_render_html import flat, pdf_text

NASTY = "{{ 7*7 }} <b>x</b> {% raw %}"  # short: a wrapped <tag> would read back as "</ b>"

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "statement.html"


@pytest.fixture(scope="module")
def renderer() -> HtmlRenderer:
    return HtmlRenderer(TEMPLATE, STATEMENT)


def test_context():
    context = statement_context(sample_statement())
    assert (context["date"], context["period_from"], context["period_to"]) == \
        ("1 Dec 2026", "1 Oct 2026", "30 Nov 2026")
    assert (context["opening"], context["invoiced"], context["paid"], context["closing"],
            context["credit"], context["due"]) == \
        ("96.30 EUR", "344.98 EUR", "192.80 EUR", "248.48 EUR", "3.70 EUR", "244.78 EUR")
    payment, invoice = context["entries"][:2]
    assert (payment["charge"], payment["payment"], payment["balance"], payment["method"]) == \
        ("", "96.30 EUR", "0.00 EUR", "Card")
    assert (invoice["charge"], invoice["payment"], invoice["reference"]) == \
        ("145.00 EUR", "", "INV-2026-0038")
    assert [i["days_overdue"] for i in context["open_items"]] == [31, -4]
    assert context["aging"]["days_31_60"] == "48.50 EUR"
    assert context["aging"]["total"] == "248.48 EUR"


def test_what_the_client_sees(renderer):
    text = flat(pdf_text(renderer.render(sample_statement())))
    assert text.startswith("Lindenhof Physiotherapy")
    for expected in [
        "STATEMENT FOR Dr. Margarethe Schönberg-Castellanos", "Statement date 1 Dec 2026",
        "Period 1 Oct 2026 – 30 Nov 2026", "Client no. C-0042",
        "OPENING BALANCE 96.30 EUR", "INVOICED 344.98 EUR", "PAID 192.80 EUR",
        "CLOSING BALANCE 248.48 EUR", "BALANCE DUE 244.78 EUR less credit 3.70 EUR",
        "1 Oct 2026 Opening balance 96.30 EUR",
        "8 Oct 2026 Payment of 100.00 EUR received, thank you P-0079 · Card · for invoice INV-2026-0035 "
        "· 3.70 EUR kept as credit 96.30 EUR 0.00 EUR",
        "17 Oct 2026 Invoice INV-2026-0038 145.00 EUR 145.00 EUR",
        "27 Oct 2026 Credit note CN-2026-0002 cancels invoice INV-2026-0040 -85.00 EUR 145.00 EUR",
        "30 Nov 2026 Closing balance 248.48 EUR",
        "INV-2026-0038 17 Oct 2026 31 Oct 2026 31 days 145.00 EUR 48.50 EUR",
        "INV-2026-0042 21 Nov 2026 5 Dec 2026 not yet due 199.98 EUR 199.98 EUR",
        "OPEN 199.98 EUR 0.00 EUR 48.50 EUR 0.00 EUR 0.00 EUR 248.48 EUR",
        "please pay 244.78 EUR to Lindenhof Physiotherapie GmbH · IBAN DE89 3704 0044 0532 "
        "0130 00 · BIC COBADEFFXXX, quoting the reference RF28 C004 2.",
    ]:
        assert expected in text
    assert "Page " not in text  # one page


def test_nothing_due():
    invoices = [Invoice("INV-1", date(2026, 10, 2), date(2026, 10, 16), CLIENT.client_id, "",
                        (), Decimal(50), Decimal(0), Decimal(50), Decimal(50), Decimal(0), InvoiceStatus.PAID)]
    payments = [Payment(2, "P-1", date(2026, 10, 3), CLIENT.client_id, "", Decimal(60), "Cash",
                        "", (Allocation("INV-1", Decimal(50)),), "", "", "")]
    statement = statement_for(CLIENT, invoices, payments, date(2026, 10, 1),
                              date(2026, 10, 31), date(2026, 11, 1))
    doc = StatementDocument(PRACTICE, CLIENT, statement)
    text = flat(pdf_text(HtmlRenderer(TEMPLATE, STATEMENT).render(doc)))
    assert "Thank you: there is nothing to pay. Your credit of 10.00 EUR will be set " \
           "against your next invoice." in text
    assert "OPEN ON" not in text and "please pay" not in text


@pytest.mark.parametrize("language, expected", [
    ("de_DE", ["FÄLLIGER BETRAG 0,00 € Guthaben auf Ihrem Konto: 10,00 €", "P-1 · Barzahlung · für Rechnung INV-1"]),
    ("fr_FR", ["Crédit sur votre compte : 10,00 €", "P-1 · Espèces ·"]),
])
def test_credit_beyond_the_charges_is_named_and_nothing_is_due(language, expected):
    invoices = [Invoice("INV-1", date(2026, 10, 2), date(2026, 10, 16), CLIENT.client_id, "",
                        (), Decimal(50), Decimal(0), Decimal(50), Decimal(50), Decimal(0), InvoiceStatus.PAID)]
    payments = [Payment(2, "P-1", date(2026, 10, 3), CLIENT.client_id, "", Decimal(60), "Cash",
                        "", (Allocation("INV-1", Decimal(50)),), "", "", "")]
    client = replace(CLIENT, language=language)
    statement = statement_for(client, invoices, payments, date(2026, 10, 1), date(2026, 10, 31), date(2026, 11, 1))
    doc = StatementDocument(replace(PRACTICE, currency="EUR"), client, statement)
    assert statement_context(doc)["due"] == "0,00\u00a0€"
    text = flat(pdf_text(HtmlRenderer(TEMPLATE, STATEMENT).render(doc)))
    for words in expected:
        assert words in text
    assert "-10,00" not in text and "less credit" not in text and "Cash" not in text


def test_a_long_statement_repeats_the_table_header_and_numbers_pages(renderer):
    text = pdf_text(renderer.render(sample_statement(extra=30)))
    pages = text.split("\f")[:-1]
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        assert "DESCRIPTION" in page or "OPEN ON" in page
        assert f"Page {number} of {len(pages)}" in page
    assert "please pay 244.78 EUR" in flat(pages[-1])


def test_cell_text_is_printed_literally(renderer):
    invoices = [Invoice(f"INV {NASTY}", date(2026, 10, 2), date(2026, 10, 16),
                        CLIENT.client_id, "", (), Decimal(50), Decimal(0), Decimal(50),
                        Decimal(0), Decimal(50), InvoiceStatus.FINALIZED)]
    payments = [Payment(2, f"P {NASTY}", date(2026, 10, 3), CLIENT.client_id, "", Decimal(20),
                        f"Cash {NASTY}", f"Ref {NASTY}", (Allocation(f"INV {NASTY}", Decimal(20)),),
                        "", "", "")]
    client = replace(CLIENT, name=f"Client {NASTY}")
    statement = statement_for(client, invoices, payments, date(2026, 10, 1),
                              date(2026, 10, 31), date(2026, 11, 1))
    text = flat(pdf_text(renderer.render(StatementDocument(PRACTICE, client, statement))))
    assert f"Client {NASTY}" in text and f"Ref {NASTY}" in text and f"P {NASTY}" in text
    assert f"INV {NASTY}" in text and f"Cash {NASTY}" in text
    assert " 49 " not in text.replace("+49 30", "")


def test_same_statement_same_bytes_whatever_the_clock(renderer, monkeypatch):
    first = renderer.render(sample_statement())
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 86_400 * 400)
    assert renderer.render(sample_statement()) == first
    assert renderer.render(sample_statement(extra=1)) != first


@pytest.mark.parametrize("today, shown", [(date(2026, 11, 1), "1 day"), (date(2026, 10, 31),
                                                                         "due today"),
                                          (date(2026, 10, 30), "not yet due")])
def test_days_overdue(renderer, today, shown):
    invoices = [Invoice("INV-1", date(2026, 10, 17), date(2026, 10, 31), CLIENT.client_id, "",
                        (), Decimal(50), Decimal(0), Decimal(50), Decimal(0), Decimal(50),
                        InvoiceStatus.FINALIZED)]
    statement = statement_for(CLIENT, invoices, [], date(2026, 10, 1), date(2026, 10, 30), today)
    text = flat(pdf_text(renderer.render(StatementDocument(PRACTICE, CLIENT, statement))))
    assert f"INV-1 17 Oct 2026 31 Oct 2026 {shown} 50.00 EUR 50.00 EUR" in text


@pytest.mark.parametrize("extra", [0, 11, 12])
def test_the_payment_sentence_and_the_reference_box_are_on_one_page(renderer, extra):
    """Where the statement ends near a page's bottom, "please pay ..., quoting the reference" goes
    to the next page with the box that shows the reference and its QR code, not apart from it."""
    doc = sample_statement(extra=extra)
    doc = replace(doc, practice=replace(doc.practice, iban="DE89370400440532013000", bic="COBADEFFXXX"))
    pages = [page for page in pdf_text(renderer.render(doc)).split("\f") if page.strip()]
    (asked,) = [i for i, page in enumerate(pages) if "Payment:" in page]
    assert "REFERENCE" in pages[asked] and "Scan the code" in pages[asked]


@pytest.mark.parametrize("credit, expected", [
    ("0", "Open: 50.00 EUR is open on the invoices above on 1 Nov 2026. If you have paid in the meantime, thank you."),
    ("5", "Open: 50.00 EUR is open on the invoices above on 1 Nov 2026. Your credit of 5.00 EUR is set "
          "against it. If you have paid in the meantime, thank you."),
])
def test_what_is_open_after_the_period_reads_as_sentences(renderer, credit, expected):
    """A monthly statement made on the 1st, with that day's invoice not yet due and nothing
    due for the month: the open sentence read "...on 1 Nov 2026; If you have paid..."."""
    invoices = [Invoice("INV-1", date(2026, 11, 1), date(2026, 11, 15), CLIENT.client_id, "",
                        (), Decimal(50), Decimal(0), Decimal(50), Decimal(0), Decimal(50), InvoiceStatus.FINALIZED)]
    payments = [Payment(2, "P-1", date(2026, 10, 3), CLIENT.client_id, "", Decimal(credit), "Cash",
                        "", (Allocation("Credit", Decimal(credit)),), "", "", "")] if credit != "0" else []
    statement = statement_for(CLIENT, invoices, payments, date(2026, 10, 1), date(2026, 10, 31), date(2026, 11, 1))
    text = flat(pdf_text(renderer.render(StatementDocument(PRACTICE, CLIENT, statement))))
    assert expected in text


@pytest.mark.parametrize("language, expected", [
    ("", "P-1 · Cash · for invoices INV-1, INV-2"),
    ("de_DE", "P-1 · Barzahlung · für Rechnungen INV-1, INV-2"),
    ("fr_FR", "P-1 · Espèces · pour les factures INV-1, INV-2"),
])
def test_a_payment_on_several_invoices_names_them_in_the_plural(renderer, language, expected):
    invoices = [Invoice(no, date(2026, 10, 2), date(2026, 10, 16), CLIENT.client_id, "", (), Decimal(50),
                        Decimal(0), Decimal(50), Decimal(50), Decimal(0), InvoiceStatus.PAID) for no in ("INV-1", "INV-2")]
    payments = [Payment(2, "P-1", date(2026, 10, 3), CLIENT.client_id, "", Decimal(100), "Cash", "",
                        (Allocation("INV-1", Decimal(50)), Allocation("INV-2", Decimal(50))), "", "", "")]
    client = replace(CLIENT, language=language)
    statement = statement_for(client, invoices, payments, date(2026, 10, 1), date(2026, 10, 31), date(2026, 11, 1))
    text = flat(pdf_text(renderer.render(StatementDocument(PRACTICE, client, statement))))
    assert expected in text


def _refund_words(payments: list[Payment], language: str = "") -> str:
    """The description of the statement's refund line, as the template writes it."""
    from sheetbill.render.template import fill, load_template

    invoices = [Invoice(no, date(2026, 10, 2), date(2026, 10, 16), CLIENT.client_id, "", (), Decimal(65),
                        Decimal(0), Decimal(65), Decimal(65), Decimal(0), InvoiceStatus.VOID) for no in ("INV-1", "INV-2")]
    invoices += [Invoice(f"CN-{n}", date(2026, 10, 9), date(2026, 10, 9), CLIENT.client_id, "", (f"INV-{n}",),
                         Decimal(-65), Decimal(0), Decimal(-65), Decimal(0), Decimal(-65), InvoiceStatus.FINALIZED)
                 for n in (1, 2)]
    paid = [Payment(row, f"P-{row}", date(2026, 10, 3), CLIENT.client_id, "", Decimal(65), "Cash", "",
                    (Allocation(f"INV-{row - 1}", Decimal(65)),), "", "", "") for row in (2, 3)]
    client = replace(CLIENT, language=language)
    statement = statement_for(client, invoices, paid + payments, date(2026, 10, 1), date(2026, 10, 31),
                              date(2026, 11, 1), credit_note=lambda n: n.startswith("CN-"))
    context = {**statement_context(StatementDocument(PRACTICE, client, statement)), "pages": 1}
    html = fill(load_template(TEMPLATE, autoescape=True), context)
    row = html.split('<span class="kind">' + ("Erstattung" if language else "Refund") + "</span>")[1]
    return re.sub(r"[ \n]+", " ", row.split("<div")[0]).strip()


def _refund(row: int, day: int, amount: str) -> Payment:
    return Payment(row, f"P-{row}", date(2026, 10, day), CLIENT.client_id, "", Decimal(amount), "Cash", "",
                   (Allocation("Refund", Decimal(amount)),), "", "", "")


def _credit(row: int, day: int, amount: str) -> Payment:
    return Payment(row, f"P-{row}", date(2026, 10, day), CLIENT.client_id, "", Decimal(amount), "Cash", "",
                   (Allocation("Credit", Decimal(amount)),), "", "", "")


@pytest.mark.parametrize("payments, language, expected", [
    pytest.param([_refund(4, 12, "-10")], "", "of 10.00 EUR paid back to you out of your credit", id="after the voids"),
    pytest.param([_refund(4, 5, "-10")], "", "of 10.00 EUR paid back to you from what you paid on invoice INV-1, to "
                 "be settled by the credit its cancellation leaves", id="before the voids"),
    pytest.param([_refund(4, 5, "-100")], "", "of 100.00 EUR paid back to you from what you paid on invoices INV-1, "
                 "INV-2, to be settled by the credit their cancellation leaves", id="more than one void's money"),
    pytest.param([_credit(4, 4, "4"), _refund(5, 5, "-10")], "", "of 10.00 EUR paid back to you: 4.00 EUR out of "
                 "your credit, 6.00 EUR from what you paid on invoice INV-1, to be settled by the credit its "
                 "cancellation leaves", id="part out of the credit there was"),
    pytest.param([_credit(4, 4, "4"), _refund(5, 5, "-10")], "de_DE", "über 10,00\xa0€, an Sie erstattet: 4,00\xa0€ "
                 "aus Ihrem Guthaben, 6,00\xa0€ aus Ihrer Zahlung auf Rechnung INV-1, auszugleichen mit dem Guthaben, "
                 "das ihre Stornierung hinterlässt", id="de, part out of the credit there was"),
])
def test_a_refund_says_what_it_came_out_of_on_its_day(payments, language, expected):
    assert _refund_words(payments, language) == expected


def _released_words(payments: list[Payment], language: str = "") -> list[str]:
    """The second line of each 'Credit back from cancelled invoice' line (French: 'Crédit repris…'), as the
    template writes it."""
    from sheetbill.render.template import fill, load_template

    invoices = [Invoice(no, date(2026, 10, 2), date(2026, 10, 16), CLIENT.client_id, "", (), Decimal(65),
                        Decimal(0), Decimal(65), Decimal(65), Decimal(0), InvoiceStatus.VOID) for no in ("INV-1", "INV-2")]
    invoices += [Invoice(f"CN-{n}", date(2026, 10, 9), date(2026, 10, 9), CLIENT.client_id, "", (f"INV-{n}",),
                         Decimal(-65), Decimal(0), Decimal(-65), Decimal(0), Decimal(-65), InvoiceStatus.FINALIZED)
                 for n in (1, 2)]
    paid = [Payment(row, f"P-{row}", date(2026, 10, 3), CLIENT.client_id, "", Decimal(65), "Cash", "",
                    (Allocation(f"INV-{row - 1}", Decimal(65)),), "", "", "") for row in (2, 3)]
    client = replace(CLIENT, language=language)
    statement = statement_for(client, invoices, paid + payments, date(2026, 10, 1), date(2026, 10, 31),
                              date(2026, 11, 1), credit_note=lambda n: n.startswith("CN-"))
    context = {**statement_context(StatementDocument(PRACTICE, client, statement)), "pages": 1}
    html = fill(load_template(TEMPLATE, autoescape=True), context)
    rows = html.split('<span class="kind">' + ("Crédit" if language else "Credit") + "</span>")[1:]
    return [re.sub(r"[ \n]+", " ", row.split('<div class="code">')[1].split("</div>")[0]).strip() for row in rows]


@pytest.mark.parametrize("payments, language, expected", [
    pytest.param([_refund(4, 5, "-10"), _refund(5, 6, "-100")], "", [
        "from payment P-2: 65.00 EUR, which settles the refunds of 5 Oct 2026, 6 Oct 2026",
        "from payment P-3: 65.00 EUR, of which 45.00 EUR settles the refund of 6 Oct 2026 and the rest is kept as "
        "your credit"], id="all of one void's money, part of the other's"),
    pytest.param([_refund(4, 5, "-100")], "fr_FR", [
        "du paiement P-2 : 65,00\xa0€, qui règlent le remboursement du 5 oct. 2026",
        "du paiement P-3 : 65,00\xa0€, dont 35,00\xa0€ règlent le remboursement du 5 oct. 2026, le reste conservé "
        "en crédit"], id="fr"),
])
def test_the_money_back_from_a_void_says_which_refunds_it_settles(payments, language, expected):
    assert _released_words(payments, language) == expected


def _chargeback(row: int, day: int, amount: str) -> Payment:
    return replace(_refund(row, day, amount), method="Card", applied=(Allocation("Chargeback", Decimal(amount)),))


@pytest.mark.parametrize("payments, language, expected", [
    pytest.param([_chargeback(4, 5, "-100")], "", [
        "from payment P-2: 65.00 EUR, which settles the card payment reversed by your bank on 5 Oct 2026",
        "from payment P-3: 65.00 EUR, of which 35.00 EUR settles the card payment reversed by your bank on "
        "5 Oct 2026 and the rest is kept as your credit"], id="a chargeback: never called a refund"),
    pytest.param([_refund(4, 5, "-10"), _chargeback(5, 6, "-20")], "", [
        "from payment P-2: 65.00 EUR, of which 30.00 EUR settles the money refunded to you or reversed by your "
        "bank on 5 Oct 2026, 6 Oct 2026 and the rest is kept as your credit",
        "from payment P-3, kept as your credit"], id="a refund and a chargeback"),
    pytest.param([_chargeback(4, 5, "-100")], "fr_FR", [
        "du paiement P-2 : 65,00\xa0€, qui règlent le paiement par carte annulé par votre banque le 5 oct. 2026",
        "du paiement P-3 : 65,00\xa0€, dont 35,00\xa0€ règlent le paiement par carte annulé par votre banque le "
        "5 oct. 2026, le reste conservé en crédit"], id="fr"),
])
def test_the_money_back_from_a_void_says_which_chargebacks_it_settles(payments, language, expected):
    assert _released_words(payments, language) == expected
