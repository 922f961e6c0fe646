"""render.receipt: the receipt's context and its PDF, read back with pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sheetbill.core.account import account_of
from sheetbill.core.document import receipt_for
from sheetbill.core.model import Allocation, Payment
from sheetbill.render.html import HtmlRenderer
from sheetbill.render.receipt import RECEIPT, receipt_context
from sheetbill.render.sample import CLIENT, PRACTICE, sample_receipt
from tests.test_render_html import flat, pdf_text

NASTY = "{{ 7*7 }} <b>x</b> {% raw %}"  # short: a wrapped <tag> would read back as "</ b>"

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "receipt.html"


@pytest.fixture(scope="module")
def renderer() -> HtmlRenderer:
    return HtmlRenderer(TEMPLATE, RECEIPT)


def test_context():
    context = receipt_context(sample_receipt())
    assert (context["number"], context["payment_id"], context["date"], context["date_iso"]) == \
        ("RCPT-2026-0017", "P-0093", "3 Dec 2026", "2026-12-03")
    assert context["allocations"] == [
        {"invoice_no": "INV-2026-0038", "amount": "48.50 EUR"},
        {"invoice_no": "INV-2026-0042", "amount": "199.98 EUR"}]
    assert (context["amount"], context["applied"], context["unapplied"], context["credit"],
            context["balance"]) == \
        ("300.00 EUR", "248.48 EUR", "51.52 EUR", "51.52 EUR", "0.00 EUR")
    assert context["has_unapplied"] and context["has_credit"] and not context["has_balance"]


def test_a_payment_that_settles_everything_and_leaves_credit(renderer):
    text = flat(pdf_text(renderer.render(sample_receipt())))
    assert text.startswith("Lindenhof Physiotherapy")
    for expected in ["RECEIVED FROM Dr. Margarethe Schönberg-Castellanos", "RECEIPT",
                     "Receipt no. RCPT-2026-0017", "Date 3 Dec 2026", "Payment P-0093",
                     "Client no. C-0042", "Received with thanks", "300.00 EUR",
                     "Bank transfer · 3 Dec 2026",
                     "Reference: INV-2026-0042 Schönberg-Castellanos",
                     "Invoice INV-2026-0038 48.50 EUR", "Invoice INV-2026-0042 199.98 EUR",
                     "Kept as credit on your account 51.52 EUR",
                     "nothing was open on your invoices on 3 Dec 2026",
                     "Your credit of 51.52 EUR will be set against your next invoice.",
                     "Amount received 300.00 EUR", "Applied to invoices 248.48 EUR",
                     "Credit on your account 51.52 EUR", "Still open on 3 Dec 2026 0.00 EUR"]:
        assert expected in text
    assert "Page " not in text


def test_a_part_payment(renderer):
    text = flat(pdf_text(renderer.render(sample_receipt(Decimal("150.00")))))
    for expected in ["Invoice INV-2026-0042 101.50 EUR", "Applied to invoices 150.00 EUR",
                     "On 3 Dec 2026, after this payment, 98.48 EUR was still open on your invoices.",
                     "Still open on 3 Dec 2026 98.48 EUR"]:
        assert expected in text
    assert "credit" not in text.lower()


def test_a_payment_kept_entirely_as_credit(renderer):
    doc = replace(sample_receipt(Decimal("20.00")), allocations=(), credit=Decimal("20.00"),
                  balance=Decimal("248.48"))
    text = flat(pdf_text(renderer.render(doc)))
    assert "Kept as credit on your account 20.00 EUR" in text
    assert "Applied to invoices 0.00 EUR" in text and "Invoice INV" not in text


def test_cell_text_is_printed_literally(renderer):
    doc = sample_receipt()
    doc = replace(doc, client=replace(doc.client, name=f"Client {NASTY}"),
                  reference=f"Ref {NASTY}", method=f"Cheque {NASTY}",
                  allocations=(Allocation(f"INV {NASTY}", Decimal("300.00")),))
    text = flat(pdf_text(renderer.render(doc)))
    assert text.count(NASTY) == 4
    assert " 49 " not in text.replace("+49 30", "")


def test_same_receipt_same_bytes_whatever_the_clock(renderer, monkeypatch):
    first = renderer.render(sample_receipt())
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 86_400 * 400)
    assert renderer.render(sample_receipt()) == first
    assert renderer.render(sample_receipt(Decimal("150.00"))) != first
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-isodates", "-"], input=first,
                              capture_output=True, check=True).stdout.decode()
        assert re.search(r"CreationDate:\s+2026-12-03T00:00:00", info)
        assert re.search(r"Title:\s+Receipt RCPT-2026-0017 · Lindenhof Physiotherapy", info)


def test_a_receipt_from_a_payment_row(renderer):
    payment = Payment(row=7, payment_id="P-0093", date=date(2026, 12, 3), client="C-0042",
                      invoice_no="INV-2026-0042", amount=Decimal("300.00"),
                      method="Bank transfer", reference="",
                      applied=(Allocation("INV-2026-0038", Decimal("48.50")),
                               Allocation("INV-2026-0042", Decimal("199.98")),
                               Allocation("Credit", Decimal("51.52"))),
                      receipt_no="", receipt_sent_at="", problem="")
    figures = account_of("C-0042", [], [payment], lambda p: "C-0042").receipt("P-0093")
    doc = receipt_for(payment, "RCPT-2026-0017", CLIENT, PRACTICE, figures)
    assert [a.invoice_no for a in doc.allocations] == ["INV-2026-0038", "INV-2026-0042"]
    assert doc.unapplied == Decimal("51.52")
    text = flat(pdf_text(renderer.render(doc)))
    assert "Kept as credit on your account 51.52 EUR" in text and "Invoice Credit" not in text
    with pytest.raises(ValueError, match="P-0093 has no date"):
        receipt_for(replace(payment, date=None), "RCPT-1", CLIENT, PRACTICE, figures)


@pytest.mark.parametrize("language, words", [("de_DE", "Überweisung vom 03.12.2026"),
                                             ("fr_FR", "Virement du 3 déc. 2026")])
def test_the_method_is_printed_in_the_clients_language(renderer, language, words):
    doc = sample_receipt()
    doc = replace(doc, client=replace(doc.client, language=language))
    text = flat(pdf_text(renderer.render(doc)))
    assert words in text and "Bank transfer" not in text
