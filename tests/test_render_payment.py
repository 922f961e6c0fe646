"""The invoice PDF's payment block: reference, EPC QR code, Swiss payment part,
read back as a client would (pdftotext, and the PNG of the page scanned)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from sheetbill.render.context import invoice_context
from sheetbill.render.html import HtmlRenderer
from sheetbill.render.sample import sample_credit_note, sample_document

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "invoice.html"
EPC = ("BCD\n002\n1\nSCT\nCOBADEFFXXX\nLindenhof Physiotherapie GmbH\nDE89370400440532013000\n"
       "EUR{}\n\nRF73INV20260042")


def with_account(doc, iban="DE89370400440532013000", bic="COBADEFFXXX", currency="EUR", open_amount=None):
    practice = replace(doc.practice, account_holder="Lindenhof Physiotherapie GmbH", iban=iban, bic=bic,
                       currency=currency)
    still_open = doc.invoice.balance if open_amount is None else open_amount
    return replace(doc, practice=practice, paid=doc.invoice.total - still_open)


def pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return " ".join(subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True,
                                   check=True).stdout.decode().split())


def scanned(pdf: bytes, tmp_path: Path, page: int | None = 1) -> list[str]:
    """The QR codes a phone would find on the page (every page with `page=None`): the PDF as PNG, decoded."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    (tmp_path / "doc.pdf").write_bytes(pdf)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    subprocess.run(["pdftoppm", "-png", "-r", "200", *pages, str(tmp_path / "doc.pdf"), str(tmp_path / "page")],
                   check=True)
    return [found.text for png in sorted(tmp_path.glob("page*.png"))
            for found in zxingcpp.read_barcodes(Image.open(png))]


@pytest.fixture(scope="module")
def renderer() -> HtmlRenderer:
    return HtmlRenderer(TEMPLATE)


def test_reference_printed_and_epc_code_for_the_open_amount(renderer, tmp_path):
    doc = with_account(sample_document())
    pdf = renderer.render(doc)
    text = pdf_text(pdf)
    assert "RF73 INV2 0260 042" in text
    assert "IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX" in text
    amount = doc.amount_due.quantize(Decimal("0.01"))  # the Amount due above it: this invoice and earlier ones
    assert doc.amount_due > doc.balance
    assert f"Scan the code with your banking app to pay {amount:,} EUR" in text
    assert scanned(pdf, tmp_path) == [EPC.format(amount)]


def test_partly_paid_invoice_asks_for_what_is_open(renderer, tmp_path):
    doc = replace(with_account(sample_document(), open_amount=Decimal("12.34")), previous_balance=Decimal(0))
    assert scanned(renderer.render(doc), tmp_path) == [EPC.format("12.34")]


def test_paid_invoice_asks_for_nothing_no_reference_no_code(renderer, tmp_path):
    doc = with_account(sample_document(), open_amount=Decimal(0))
    pdf = renderer.render(doc)
    assert "PAID" in pdf_text(pdf)
    assert "RF73 INV2 0260 042" not in pdf_text(pdf)
    assert "Scan the code" not in pdf_text(pdf)
    assert scanned(pdf, tmp_path) == []


@pytest.mark.parametrize("doc", [sample_document(draft=True), sample_credit_note()], ids=["draft", "credit note"])
def test_drafts_and_credit_notes_ask_for_nothing(doc):
    context = invoice_context(with_account(doc, open_amount=Decimal(10)))
    assert context["payment_reference"] == "" and context["payment_qr"] == ""


def test_other_currency_reference_only(renderer):
    context = invoice_context(with_account(sample_document(), iban="GB33BUKB20201555555555", bic="",
                                           currency="GBP"))
    assert context["payment_reference"] == "RF73 INV2 0260 042"
    assert context["payment_qr"] == ""


def test_no_account_configured_reference_only():
    context = invoice_context(sample_document())
    assert (context["payment_reference"], context["payment_qr"], context["payment_account"]["iban"]) == (
        "RF73 INV2 0260 042", "", "")


def test_swiss_invoice_ends_with_the_payment_part(renderer, tmp_path):
    doc = with_account(sample_document(), iban="CH9300762011623852957", bic="", currency="CHF")
    doc = replace(doc, practice=replace(doc.practice, address="Seestrasse 4\n8002 Zürich\nSwitzerland"))
    pdf = renderer.render(doc)
    text = pdf_text(pdf)
    assert "The payment part for" in text and "Payment part" in text and "Receipt" in text
    found = scanned(pdf, tmp_path, page=2)
    assert len(found) == 1 and found[0].startswith("SPC\r\n0200\r\n1\r\nCH9300762011623852957")
    assert "SCOR\r\nRF73INV20260042" in found[0]


def test_statement_carries_the_clients_reference_and_a_code_for_its_balance_due(tmp_path):
    from sheetbill.render.sample import sample_statement
    from sheetbill.render.statement import STATEMENT

    doc = sample_statement()
    doc = replace(doc, practice=replace(doc.practice, account_holder="Lindenhof Physiotherapie GmbH",
                                        iban="DE89370400440532013000", bic="COBADEFFXXX"))
    pdf = HtmlRenderer(TEMPLATE.parent / "statement.html", STATEMENT).render(doc)
    assert "RF28 C004 2" in pdf_text(pdf)
    due = doc.statement.due.quantize(Decimal("0.01"))
    assert scanned(pdf, tmp_path, page=None) == [EPC.format(due).replace("RF73INV20260042", "RF28C0042")]


@pytest.mark.parametrize("language, words", [
    ("", ["PAY BY CARD", "Pay 199.98 EUR online by card", "Or scan the code, or open https://pay.example/c/1"]),
    ("de", ["ZAHLUNG PER KARTE", "199,98 € online per Karte zahlen",
            "Oder scannen Sie den Code oder öffnen Sie https://pay.example/c/1"]),
    ("fr", ["PAYER PAR CARTE", "Payer 199,98 € en ligne par carte", "Ou scannez le code, ou ouvrez https://pay.example/c/1"]),
], ids=["en", "de", "fr"])
def test_the_card_pay_link_speaks_the_clients_language(renderer, language, words):
    """The button names what the link charges: this invoice's own 199.98, not the 248.48 now due
    with the 48.50 open on earlier invoices (they have links of their own)."""
    doc = sample_document()
    doc = replace(doc, client=replace(doc.client, language=language), pay_link="https://pay.example/c/1")
    text = pdf_text(renderer.render(doc))
    for expected in words:
        assert expected in text
    if language:
        assert "BY CARD" not in text and "by card" not in text and "scan the code" not in text


def numbered(doc, number: str):
    """`doc` as the invoice `number` (its lines too)."""
    invoice = replace(doc.invoice, invoice_no=number,
                      lines=tuple(replace(line, invoice_no=number) for line in doc.invoice.lines))
    return replace(doc, invoice=invoice)


LONG = "INV-2026-PRAXISLINDENHOF-000042"  # 26 letters and digits: too many for an RF reference


def test_an_invoice_number_too_long_for_a_reference_is_quoted_as_remittance_text(renderer, tmp_path):
    doc = replace(with_account(numbered(sample_document(), LONG), open_amount=Decimal("12.34")),
                  previous_balance=Decimal(0))
    pdf = renderer.render(doc)
    text = pdf_text(pdf)
    assert f"REFERENCE {LONG} Please quote this reference with your transfer" in text
    assert "Scan the code with your banking app to pay 12.34 EUR" in text
    assert scanned(pdf, tmp_path) == [
        "BCD\n002\n1\nSCT\nCOBADEFFXXX\nLindenhof Physiotherapie GmbH\nDE89370400440532013000\n"
        f"EUR12.34\n\n\n{LONG}"]


def test_a_long_invoice_number_outside_ascii_is_quoted_in_latin_letters(renderer, tmp_path):
    number = "RE-2026-Praxis_Müllerstraße-0042"
    doc = replace(with_account(numbered(sample_document(), number), open_amount=Decimal("12.34")),
                  previous_balance=Decimal(0))
    pdf = renderer.render(doc)
    assert "REFERENCE RE-2026-Praxis-Mullerstrasse-0042" in pdf_text(pdf)
    assert scanned(pdf, tmp_path)[0].split("\n")[-3:] == ["", "", "RE-2026-Praxis-Mullerstrasse-0042"]


def test_a_swiss_invoice_with_a_long_number_carries_it_as_additional_information(renderer, tmp_path):
    doc = with_account(numbered(sample_document(), LONG), iban="CH9300762011623852957", bic="", currency="CHF")
    doc = replace(doc, practice=replace(doc.practice, address="Seestrasse 4\n8002 Zürich\nSwitzerland"))
    found = scanned(renderer.render(doc), tmp_path, page=2)
    assert len(found) == 1 and f"\r\nNON\r\n\r\n{LONG}\r\nEPD" in found[0]
