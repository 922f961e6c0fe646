"""PDFs from a Google Docs template: placeholders filled, one table row per
line (and per tax rate), client text kept as text, the draft copy removed;
and the HTML renderer's PDFs stored in the Drive folder the same way."""

from __future__ import annotations

from tests.fakegoogle import extract_text, seed
from tests.fakegoogle.state import DOCUMENT

from .conftest import session
from .google_practice import TEMPLATE, GooglePractice, google_practice  # noqa: F401  (fixture)

pytest_plugins = ["tests.conftest_google"]


def only_pdf(p: GooglePractice) -> str:
    (pdf,) = p.pdfs().values()
    return extract_text(pdf)


def test_lines_and_taxes_fill_their_rows(google_practice: GooglePractice):
    p = google_practice
    template = seed.document(p.fake.state, "With taxes", TEMPLATE[:4] + [
        [["Rate", "Net", "Tax"], ["{{tax.rate}}", "{{tax.net}}", "{{tax.tax}}"]]] + TEMPLATE[4:])
    p.configure(f"docs_template: {p.template_id}", f"docs_template: {template.id}")
    p.append("Sessions", session("S-00001", "2026-11-02", extras="BANDAGE x2, GEL"))
    assert p.run().errors == []
    text = only_pdf(p).splitlines()
    assert "Lindenhof Physio" in text and "Invoice INV-2026-0001 of 21 Nov 2026" in text
    assert "Manual lymph drainage, 60 min | 1 | 65.00 EUR | 65.00 EUR" in text
    assert "Compression bandaging | 2 | 12.50 EUR | 29.75 EUR" in text
    assert "Skin care gel | 1 | 6.90 EUR | 8.21 EUR" in text
    assert "0% | 65.00 EUR | 0.00 EUR" in text and "19% | 31.90 EUR | 6.06 EUR" in text
    assert "Total due: 102.96 EUR" in text
    assert not any("{{" in line for line in text)


def test_client_text_that_looks_like_a_placeholder_stays_as_it_is(google_practice: GooglePractice):
    p = google_practice
    p.append("Clients", ["C-009", "{{total}} Ünïcødé 🦷 Ltd", "c9@example.com", "Street 1", None, 14, None, None])
    p.append("Sessions", session("S-00001", "2026-11-02", client="C-009"))
    assert p.run().errors == []
    assert "To: {{total}} Ünïcødé ? Ltd" in only_pdf(p)  # the fake's PDF font has no tooth


def test_the_draft_copy_is_deleted(google_practice: GooglePractice):
    p = google_practice
    p.append("Sessions", *[session(f"S-{n:05d}", f"2026-11-{n:02d}") for n in range(1, 3)])
    p.run()
    documents = [f.name for f in p.fake.state.files.values() if f.mime_type == DOCUMENT]
    assert documents == ["Invoice template"]


def test_the_html_renderer_stores_its_pdfs_in_the_drive_folder(google_practice: GooglePractice):
    p = google_practice
    p.configure("engine: gdocs", "engine: html")
    p.append("Sessions", session("S-00001", "2026-11-02"))
    report = p.run()
    assert report.errors == [] and report.pdfs == ["INV-2026-0001"]
    (name, pdf), = p.pdfs().items()
    assert name == "INV-2026-0001.pdf" and pdf.startswith(b"%PDF")
    assert p.rows("Invoices")[0]["PDF"].startswith("https://drive.google.com/file/d/")
    assert p.fake.count(api="docs") == 0


def test_the_starter_template_prints_each_line_in_its_prices_basis(google_practice: GooglePractice):
    """quantity x unit price - discount = the amount printed, net or gross, headed so."""
    from sheetbill.render.gdocs import GoogleDocsRenderer, create_template

    from .test_render_gross import FULLY_GROSS, MIXED, invoice

    google = google_practice.google()
    starter = GoogleDocsRenderer(google, create_template(google))
    gross, mixed = ([" ".join(line.split()) for line in extract_text(starter.render(invoice(plan, language))).splitlines()]
                    for plan, language in ((FULLY_GROSS, "de_DE"), (MIXED, "fr_FR")))
    assert "Description | Quantity | Einzelpreis brutto | Discount | Betrag brutto" in gross
    assert "Massage (gross) | 3 | 49,99 € | -5,00 € | 144,97 €" in gross
    assert "Description | Quantity | Prix unitaire | Discount | HT" in mixed
    assert "Massage (gross) | 3 | 49,99 € | -4,51 € | 145,46 € TTC" in mixed  # its share of the 5.00 off
    assert "Physiotherapy (net) | 1 | 85,00 € | -8,50 € | 76,50 €" in mixed


def test_a_credit_note_from_the_starter_template_calls_itself_one(google_practice: GooglePractice):
    """The client is not sent a credit note headed `Invoice CN-2026-0001` (the HTML template says
    `Credit note`): the starter template heads each document with its own title."""
    from tests.fakegoogle import humans

    from sheetbill.render.gdocs import create_template

    p = google_practice
    p.configure(f"docs_template: {p.template_id}", f"docs_template: {create_template(p.google(), p.drive_folder)}")
    p.append("Sessions", session("S-00001", "2026-11-02"))
    assert p.run().errors == []
    header = p.values("Invoices")[0]
    humans.type_values(p.fake.state, p.spreadsheet_id, "Invoices", 1, header.index("Status"), [["Void"]])
    report = p.run(p.later(1))
    assert report.created == ["INV-2026-0002", "CN-2026-0001"] and report.errors == []
    pdfs = {name: extract_text(pdf).splitlines() for name, pdf in p.pdfs().items()}
    assert "Credit note CN-2026-0001" in pdfs["CN-2026-0001.pdf"]
    assert not any("Invoice" in line for line in pdfs["CN-2026-0001.pdf"])
    assert "Invoice INV-2026-0002" in pdfs["INV-2026-0002.pdf"]


def test_a_copy_of_the_template_whose_answer_was_lost_is_not_left_in_the_folder(google_practice: GooglePractice):
    """The PDF folder does not collect `sheetbill draft INV-...` documents (with the template's text)
    that a dropped connection made; the next run makes the PDF."""
    p = google_practice
    p.append("Sessions", *[session(f"S-{n:05d}", f"2026-11-{n:02d}") for n in range(1, 3)])
    p.fake.faults.drop_after_write(times=1, match=lambda r: r.method_id == "drive.files.copy")
    report = p.run()
    assert report.pdfs == [] and "copying the Docs template" in report.errors[0]
    documents = [f.name for f in p.fake.state.files.values() if f.mime_type == DOCUMENT]
    assert documents == ["Invoice template"]
    assert p.run(p.later(1)).errors == []
    assert sorted(p.pdfs()) == ["INV-2026-0001.pdf", "INV-2026-0002.pdf"]
