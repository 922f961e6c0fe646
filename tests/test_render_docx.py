"""render.docx: the Word template filled in (read back with python-docx), and
its PDF where LibreOffice is installed."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from sheetbill.render.docx import DocxRenderer
from sheetbill.render.errors import RenderError
from sheetbill.render.sample import sample_credit_note, sample_document

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "invoice.docx"
NASTY = "{{ 7*7 }} <b>x</b> & {%p if true %}"


def all_text(data: bytes) -> str:
    """Body, tables (nested too), headers and footers, one line per paragraph."""
    document = docx.Document(io.BytesIO(data))
    texts: list[str] = []

    def walk(container) -> None:  # noqa: ANN001 - a document, cell, header or footer
        texts.extend(p.text for p in container.paragraphs)
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    walk(cell)

    walk(document)
    for section in document.sections:
        walk(section.header)
        walk(section.footer)
    return "\n".join(texts)


def lines_table(data: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(data))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "DATE")
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture(scope="module")
def renderer() -> DocxRenderer:
    return DocxRenderer(TEMPLATE)


def test_the_filled_in_document(renderer):
    data = renderer.render_docx(sample_document())
    text = all_text(data)
    for expected in ["Lindenhof Physiotherapy", "INVOICE", "INV-2026-0042", "21 Nov 2026",
                     "5 Dec 2026", "Dr. Margarethe Schönberg-Castellanos",
                     "10707 Berlin-Charlottenburg", "Tax 19% on 141.25 EUR", "26.84 EUR",
                     "199.98 EUR", "Previous balance", "Total now due", "248.48 EUR",
                     "IBAN DE89 3704 0044 0532 0130 00", "Page"]:
        assert expected in text
    assert "Draft" not in text and "{{" not in text and "{%" not in text
    rows = lines_table(data)
    assert len(rows) == 5  # the header and one row per line
    assert rows[2] == ["18 Nov 2026", "Manual lymph drainage, 45 min", "1", "62.50 EUR",
                       "-6.25 EUR", "19%", "56.25 EUR"]


def test_credit_note(renderer):
    data = renderer.render_docx(sample_credit_note())
    text = all_text(data)
    for expected in ["CREDIT NOTE", "CREDIT TO", "Credit note no.", "CN-2026-0003",
                     "Credits invoice", "INV-2026-0042", "Total credited", "-199.98 EUR",
                     "cancels invoice INV-2026-0042", "credited to your account"]:
        assert expected in text
    for absent in ["Due date", "Amount due", "now due", "BANK DETAILS", "Please pay"]:
        assert absent not in text
    assert lines_table(data)[2][2:] == ["-1", "62.50 EUR", "6.25 EUR", "19%", "-56.25 EUR"]


def test_cell_text_is_printed_literally(renderer):
    doc = sample_document(previous_balance=Decimal(0))
    lines = (replace(doc.invoice.lines[0], description=f"Massage {NASTY}"),)
    doc = replace(doc, client=replace(doc.client, name=f"Client {NASTY}"),
                  invoice=replace(doc.invoice, lines=lines))
    data = renderer.render_docx(doc)
    text = all_text(data)
    assert f"Client {NASTY}" in text and lines_table(data)[1][1] == f"Massage {NASTY}"
    assert "Previous balance" not in text and "Amount due" in text


def test_draft(renderer):
    data = renderer.render_docx(sample_document(draft=True))
    assert "Draft — not a valid invoice" in all_text(data)
    header = docx.Document(io.BytesIO(data)).sections[0].header._element.xml
    assert 'string="DRAFT"' in header  # the watermark shape
    final = renderer.render_docx(sample_document())
    assert 'string="DRAFT"' not in docx.Document(io.BytesIO(final)).sections[0].header._element.xml


def test_template_errors(tmp_path):
    with pytest.raises(RenderError, match="template not found"):
        DocxRenderer(tmp_path / "missing.docx")
    broken = tmp_path / "broken.docx"
    document = docx.Document()
    document.add_paragraph("Dear {{ client.name }")
    document.save(broken)
    with pytest.raises(RenderError, match=r"broken\.docx: .*near: Dear"):
        DocxRenderer(broken).render_docx(sample_document())
    not_word = tmp_path / "not-word.docx"
    not_word.write_text("hello")
    with pytest.raises(RenderError, match="cannot fill in .*not-word.docx"):
        DocxRenderer(not_word).render_docx(sample_document())


def test_missing_soffice_says_what_to_install():
    renderer = DocxRenderer(TEMPLATE, soffice="/nonexistent/soffice")
    with pytest.raises(RenderError, match="libreoffice-writer-nogui") as error:
        renderer.render(sample_document())
    assert "/nonexistent/soffice" in str(error.value) and "HTML template" in str(error.value)


def fake_soffice(tmp_path: Path, script: str) -> str:
    path = tmp_path / "soffice"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)
    return str(path)


def test_failing_soffice(tmp_path):
    program = fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 1\n")
    with pytest.raises(RenderError, match="could not convert.*source file could not be loaded"):
        DocxRenderer(TEMPLATE, soffice=program).render(sample_document())


def test_slow_soffice_is_stopped_with_its_children(tmp_path):
    pids = tmp_path / "pids"
    program = fake_soffice(tmp_path, f"sleep 300 &\necho $! > {pids}\nwait\n")
    renderer = DocxRenderer(TEMPLATE, soffice=program, timeout=0.5)
    with pytest.raises(RenderError, match="longer than 0.5 s"):
        renderer.render(sample_document())
    assert not running(int(pids.read_text()))


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan may wait a moment for init to reap it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:  # reaped meanwhile, or no /proc: kill(0) said enough
        return not Path("/proc").is_dir()


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="pdftotext (poppler-utils) is not installed")
def test_pdf_through_libreoffice(renderer):
    pdf = renderer.render(sample_document())
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    for expected in ["INV-2026-0042", "Dr. Margarethe Schönberg-Castellanos", "248.48 EUR",
                     "Page 1 of 1"]:
        assert expected in text


def test_a_batch_goes_through_one_libreoffice(tmp_path):
    runs = tmp_path / "runs"
    program = fake_soffice(tmp_path, f"""echo run >> {runs}
prev=""; for a in "$@"; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; done
mkdir -p "$out"
for a in "$@"; do case "$a" in *invoice-00001.docx) ;; *.docx) b=$(basename "$a" .docx); printf '%%PDF %s' "$b" > "$out/$b.pdf";; esac; done
""")
    results = list(DocxRenderer(TEMPLATE, soffice=program).render_all([sample_document()] * 3))
    assert runs.read_text().count("run") == 1
    assert results[0] == b"%PDF invoice-00000" and results[2] == b"%PDF invoice-00002"
    assert isinstance(results[1], RenderError)  # the one it did not convert, in its place


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="pdftotext (poppler-utils) is not installed")
def test_a_batch_through_libreoffice(renderer):
    from sheetbill.render.sample import sample_credit_note

    pdfs = list(renderer.render_all([sample_document(), sample_credit_note()]))
    texts = [subprocess.run(["pdftotext", "-", "-"], input=p, capture_output=True, check=True).stdout.decode()
             for p in pdfs]
    assert "INV-2026-0042" in texts[0] and "CN-2026-0003" in texts[1]
