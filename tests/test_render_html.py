"""render.html: the PDF a client receives, read back with pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
from dataclasses import replace
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sheetbill.core.document import InvoiceDocument
from sheetbill.render.errors import RenderError
from sheetbill.render.html import HtmlRenderer
from sheetbill.render.sample import sample_credit_note, sample_document

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "invoice.html"
NASTY = "{{ 7*7 }} <b>x</b> <script>alert(1)</script> {% raw %}"


def pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf,
                            capture_output=True, check=True)
    return result.stdout.decode()


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def renderer() -> HtmlRenderer:
    return HtmlRenderer(TEMPLATE)


def nasty_document() -> InvoiceDocument:
    doc = sample_document()
    lines = list(doc.invoice.lines)
    lines[0] = replace(lines[0], description=f"Massage {NASTY}")
    return replace(
        doc,
        client=replace(doc.client, name=f"Client {NASTY}", address=f"Street {NASTY}\nTown"),
        invoice=replace(doc.invoice, lines=tuple(lines)),
        practice=replace(doc.practice, payment_note=f"Pay {{terms}} days {NASTY}"),
    )


def test_what_the_client_sees(renderer):
    text = flat(pdf_text(renderer.render(sample_document())))
    assert text.startswith("Lindenhof Physiotherapy")
    for expected in ["INVOICE", "Invoice no. INV-2026-0042", "Issue date 21 Nov 2026",
                     "Due date 5 Dec 2026", "Dr. Margarethe Schönberg-Castellanos",
                     "10707 Berlin-Charlottenburg", "Tax ID DE 987 654 321",
                     "Physiotherapy session, 60 min", "Manual lymph drainage, 45 min",
                     "-6.25 EUR", "Net total 171.05 EUR", "Tax 19% on 141.25 EUR 26.84 EUR",
                     "Tax 7% on 29.80 EUR 2.09 EUR", "Total 199.98 EUR",
                     "Previous balance 48.50 EUR", "Total now due 248.48 EUR",
                     "Please pay 248.48 EUR by 5 Dec 2026 (14 days), quoting RF73 INV2 0260 042.",
                     "IBAN DE89 3704 0044 0532 0130 00"]:
        assert expected in text
    assert "DRAFT" not in text and "Page " not in text


def test_no_previous_balance_no_extra_rows(renderer):
    doc = sample_document(previous_balance=Decimal(0))
    text = flat(pdf_text(renderer.render(doc)))
    assert "Amount due 199.98 EUR" in text
    assert "Previous balance" not in text and "now due" not in text


def test_cell_text_is_printed_literally(renderer):
    text = flat(pdf_text(renderer.render(nasty_document())))
    assert text.count(NASTY) == 4  # client name, address, line, payment note
    assert "Client 49" not in text and "Massage 49" not in text


def test_same_document_same_bytes_whatever_the_clock(renderer, monkeypatch):
    first = renderer.render(sample_document())
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 86_400 * 400)
    assert renderer.render(sample_document()) == first
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-isodates", "-"], input=first,
                              capture_output=True, check=True).stdout.decode()
        assert re.search(r"CreationDate:\s+2026-11-21T00:00:00", info)


def test_a_reissued_invoice_is_a_different_file(renderer):
    doc = sample_document()
    reissued = replace(doc, invoice=replace(doc.invoice, checksum="another"))
    assert renderer.render(doc) != renderer.render(reissued)


def test_draft_has_watermark_and_warning(renderer):
    text = flat(pdf_text(renderer.render(sample_document(draft=True))))
    assert "Draft — not a valid invoice" in text
    assert "DRAFT" in text.replace("Invoice no. DRAFT", "")


def test_credit_note(renderer):
    text = flat(pdf_text(renderer.render(sample_credit_note())))
    for expected in ["CREDIT NOTE", "CREDIT TO", "Credit note no. CN-2026-0003",
                     "Date 28 Nov 2026", "Credits invoice INV-2026-0042",
                     "-1 62.50 EUR 6.25 EUR 19% -56.25 EUR", "Net total -171.05 EUR",
                     "Tax 19% on -141.25 EUR -26.84 EUR", "Total credited -199.98 EUR",
                     "This credit note cancels invoice INV-2026-0042. The amount is credited "
                     "to your account; there is nothing to pay."]:
        assert expected in text
    for absent in ["Amount due", "now due", "Please pay", "Due date", "BANK DETAILS", "BILL TO"]:
        assert absent not in text


def test_long_invoice_repeats_the_table_header_and_numbers_pages(renderer):
    text = pdf_text(renderer.render(sample_document(lines=40)))
    pages = text.split("\f")[:-1]
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        assert "DESCRIPTION" in page
        assert f"Page {number} of {len(pages)}" in page
    assert "Total now due" in pages[-1]



def test_one_renderer_gives_each_language_its_own_page_words(renderer):
    long = sample_document(lines=40)
    german = replace(long, client=replace(long.client, language="de"))
    texts = [flat(pdf_text(renderer.render(doc))) for doc in (long, german, long)]
    assert "Page 1 of 3" in texts[0] and texts[2] == texts[0]
    assert "Seite 1 von 3" in texts[1] and "Page 1 of" not in texts[1]
    assert renderer.render(german) == HtmlRenderer(TEMPLATE).render(german)


def test_the_blocks_side_by_side_keep_their_place(renderer, tmp_path):
    """Client and invoice facts side by side, then the lines, then terms and totals side by side,
    then the payment reference: each below the one before, none over another."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed")
    (tmp_path / "invoice.pdf").write_bytes(renderer.render(sample_document()))
    html = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "invoice.pdf"), "-"], capture_output=True,
                          check=True).stdout.decode()
    top: dict[str, float] = {}  # each word's first place, from the top of the page
    for y, word in re.findall(r'yMin="([\d.]+)"[^>]*>([^<]+)</word>', html):
        top.setdefault(word, float(y))
    assert top["Schönberg-Castellanos"] < top["DATE"] and top["Status"] < top["DATE"]
    assert top["Home"] < top["PAYMENT"] < top["REFERENCE"] and top["Home"] < top["Net"]
    assert top["Total"] < top["REFERENCE"] and top["COBADEFFXXX"] < top["REFERENCE"]


def test_template_errors_name_file_and_line(tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text("<p>\n{{ number }}\n{% if %}\n</p>")
    with pytest.raises(RenderError, match=r"broken\.html, line 3"):
        HtmlRenderer(broken)
    misspelt = tmp_path / "misspelt.html"
    misspelt.write_text("<p>\n{{ client.nmae }}</p>")
    with pytest.raises(RenderError, match=r"misspelt\.html, line 2: .*nmae"):
        HtmlRenderer(misspelt).render(sample_document())


def test_missing_template(tmp_path):
    with pytest.raises(RenderError, match="template not found"):
        HtmlRenderer(tmp_path / "nope.html")


class _Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body::after { content: 'FETCHED'; }")

    def log_message(self, *args: object) -> None:
        pass


def test_resources_only_from_the_template_folder(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        folder = tmp_path / "templates"
        folder.mkdir()
        (folder / "style.css").write_text("body::before { content: 'INSIDE'; }")
        (tmp_path / "secret.css").write_text("body::after { content: 'OUTSIDE'; }")
        (folder / "t.html").write_text(
            '<link rel="stylesheet" href="style.css">'
            '<link rel="stylesheet" href="../secret.css">'
            f'<link rel="stylesheet" href="http://127.0.0.1:{server.server_port}/x.css">'
            "<p>{{ number }}</p>")
        text = pdf_text(HtmlRenderer(folder / "t.html").render(sample_document()))
    finally:
        server.shutdown()
    assert "INSIDE" in text and "INV-2026-0042" in text
    assert "OUTSIDE" not in text and "FETCHED" not in text
    assert _Counter.hits == []


@pytest.mark.parametrize("lines", range(6, 11))
def test_the_totals_are_never_split_across_pages(lines):
    """Where the lines end near the bottom of a page, the summary (payment terms, bank details,
    totals, amount due) goes whole to the next page: the client never reads "Total now due" on a
    page of its own, nor the bank details printed over the reference box."""
    pages = pdf_text(HtmlRenderer(TEMPLATE).render(sample_document(lines=lines))).split("\f")
    on = [i for i, page in enumerate(pages) if "Net total" in page]
    assert len(on) == 1, pages
    assert "Total now due" in pages[on[0]] and "Please pay" in pages[on[0]]
    assert not any("Total now due" in page for i, page in enumerate(pages) if i != on[0])
