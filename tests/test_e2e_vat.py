"""End to end on a real .xlsx: exempt therapy with its note, goods at 19 %, a business client
abroad under reverse charge, one without a valid VAT ID, and a gross price list."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pikepdf

from sheetbill import cli

from .conftest import session
from .einvoice_rules import RULES, Rules
from .test_e2e_excel import pdf_text

P14 = "VATEX-EU-132-1C Umsatzsteuerfrei gemäß § 4 Nr. 14 UStG"


def add_columns(practice, tab: str, values: dict[str, dict[str, object]]) -> None:
    """Add optional columns to `tab` (by header) and fill them for rows keyed by their first cell."""
    wb = openpyxl.load_workbook(practice.workbook)
    ws = wb[tab]
    headers = [c.value for c in ws[1]]
    wanted = sorted({h for row in values.values() for h in row})
    for header in wanted:
        if header not in headers:
            ws.cell(row=1, column=len(headers) + 1, value=header)
            headers.append(header)
    for row in ws.iter_rows(min_row=2):
        for header, value in values.get(row[0].value, {}).items():
            ws.cell(row=row[0].row, column=headers.index(header) + 1, value=value)
    wb.save(practice.workbook)


def vat_practice(practice):
    add_columns(practice, "Services", {"LD60": {"VAT Category": "E", "Exemption Reason": P14}})
    practice.append("Clients",
                    ["C-010", "Atelier Lumière SARL", "compta@lumiere.example", "3 rue X\n69001 Lyon", None, 30,
                     None, "FR40303265045"],
                    ["C-011", "Werkstatt Wien GmbH", "office@ww.example", "Ring 1\n1010 Wien", None, 30, None,
                     "ATU12345678"])
    add_columns(practice, "Clients", {"C-010": {"VAT Category": "AE"}, "C-011": {"VAT Category": "AE"}})
    practice.append("Sessions",
                    session("S-00001", date(2026, 11, 3), extras="BANDAGE x2"),
                    session("S-00002", date(2026, 11, 4), client="C-010", service="GEL", quantity=3),
                    session("S-00003", date(2026, 11, 4), client="C-011", service="GEL"))


def test_exempt_standard_and_reverse_charge_on_a_real_workbook(practice):
    vat_practice(practice)
    report = practice.run()
    assert report.created == ["INV-2026-0001", "INV-2026-0002"]

    sessions = {s["Session ID"]: s for s in practice.rows("Sessions")}
    assert sessions["S-00003"]["Problem"] == ("Reverse charge for client C-011 needs their VAT ID: "
                                              "Tax ID 'ATU12345678' fails its check digits")
    assert sessions["S-00003"]["Invoice No"] is None

    invoices = {i["Invoice No"]: i for i in practice.rows("Invoices")}
    assert Decimal(str(invoices["INV-2026-0001"]["Total"])) == Decimal("94.75")  # as before: 65 + 25 + 4.75
    assert Decimal(str(invoices["INV-2026-0002"]["Tax"])) == Decimal(0)
    lines = {(l["Invoice No"], l["Code"]): l for l in practice.rows("Lines")}
    therapy, bandage, gel = (lines[("INV-2026-0001", "LD60")], lines[("INV-2026-0001", "BANDAGE")],
                             lines[("INV-2026-0002", "GEL")])
    assert (therapy["VAT Category"], therapy["Exemption Reason"], therapy["VATEX"]) == (
        "E", "Umsatzsteuerfrei gemäß § 4 Nr. 14 UStG", "VATEX-EU-132-1C")
    assert bandage["VAT Category"] is None  # taxed at 19 %: the rate says it all
    assert (gel["VAT Category"], gel["VATEX"], gel["Tax Rate"]) == ("AE", "VATEX-EU-AE", "0%")

    exempt = pdf_text(practice.folder / invoices["INV-2026-0001"]["PDF"])
    assert exempt.count("Umsatzsteuerfrei gemäß § 4 Nr. 14 UStG") == 1
    assert "VAT exempt" in exempt and "Tax 0%" not in exempt and "Tax 19%" in exempt
    reverse = pdf_text(practice.folder / invoices["INV-2026-0002"]["PDF"])
    assert "Reverse charge: VAT to be accounted for by the recipient." in reverse
    assert "Recipient VAT ID: FR40303265045" in reverse

    assert practice.run().created == []  # read back, the ledger's checksums hold: nothing flagged
    assert all(not s["Problem"] for s in practice.rows("Sessions") if s["Session ID"] != "S-00003")


def test_a_practice_that_configures_nothing_keeps_its_lines_tab(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), extras="BANDAGE x2"))
    practice.run()
    headers = [c.value for c in openpyxl.load_workbook(practice.workbook)["Lines"][1]]
    assert "VAT Category" not in headers
    text = pdf_text(practice.folder / practice.rows("Invoices")[0]["PDF"])
    assert "VAT exempt" in text and "Exempt from VAT." not in text and "Tax 0%" not in text


def test_gross_prices_and_the_small_business_scheme(practice, capsys):
    practice.config_path.write_text(practice.config_path.read_text() + "\nvat:\n  prices: gross\n")
    add_columns(practice, "Services", {"LD60": {"VAT Category": "E", "Exemption Reason": P14}})
    practice.append("Sessions", session("S-00001", date(2026, 11, 3), extras="BANDAGE x4"))
    practice.run()
    inv, = practice.rows("Invoices")
    assert Decimal(str(inv["Total"])) == Decimal("115.00")  # 65.00 + 4 x 12.50, VAT included
    assert Decimal(str(inv["Tax"])) == Decimal("7.98")  # 50.00 x 19/119 = 7.983
    assert Decimal(str(inv["Net"])) == Decimal("107.02")
    lines = practice.rows("Lines")
    assert sum(Decimal(str(l["Total"])) for l in lines) == Decimal("115.00")
    assert [l["Prices"] for l in lines] == ["gross", "gross"]
    assert practice.run().created == []

    practice.config_path.write_text(practice.config_path.read_text().replace(
        "prices: gross", "small_business: true"))
    practice.append("Sessions", session("S-00002", date(2026, 11, 4), extras="GEL"))
    practice.run()
    second = practice.rows("Invoices")[1]
    assert Decimal(str(second["Tax"])) == 0 and Decimal(str(second["Total"])) == Decimal("71.90")
    text = pdf_text(practice.folder / second["PDF"])
    assert text.count("No VAT is charged under the small-business scheme (§ 19 UStG).") == 1
    capsys.readouterr()
    assert cli.main(["-q", "audit", "--config", str(practice.config_path)]) == 0  # the ledger adds up
    assert "ledger adds up" in capsys.readouterr().out


def test_the_notes_come_as_one_text_too_for_google_docs_and_emails():
    from sheetbill.core.document import document_for
    from sheetbill.render.context import invoice_context
    from sheetbill.render.sample import PRACTICE, sample_document

    doc = sample_document()
    lines = tuple(replace(l, tax_rate=Decimal(0), tax=Decimal(0), total=l.net, vat_category="AE",
                          exemption_reason="Reverse charge: VAT to be accounted for by the recipient.")
                  for l in doc.invoice.lines)
    client = replace(doc.client, tax_id="FR40303265045")
    context = invoice_context(document_for(replace(doc.invoice, lines=lines), client, PRACTICE, 14))
    assert context["vat_note"] == ("Reverse charge: VAT to be accounted for by the recipient.\n"
                                   "Supplier VAT ID: DE 123 456 789. Recipient VAT ID: FR40303265045.")
    assert [(t["category"], t["label"]) for t in context["taxes"]] == [("AE", "Reverse charge")]
    assert {l["tax_rate"] for l in context["lines"]} == {"reverse charge"}


def test_check_names_vat_settings_that_would_hold_a_session(practice, capsys):
    vat_practice(practice)
    add_columns(practice, "Services", {"GEL": {"VAT Category": "exemptt"}})
    capsys.readouterr()
    cli.main(["check", "--offline", "--config", str(practice.config_path)])
    out = capsys.readouterr().out
    assert ("workbook: Clients row 6 (C-011): AE needs the client's VAT ID in Tax ID: "
            "Tax ID 'ATU12345678' fails its check digits") in out
    assert "workbook: Services row 6 (GEL): VAT Category 'exemptt' is not one of S, Z, E, AE, K, O" in out
    assert "C-010" not in out


def test_the_word_template_prints_the_notes_and_names_the_category():
    from io import BytesIO

    from docx import Document

    from sheetbill.core.document import document_for
    from sheetbill.render.docx import DocxRenderer
    from sheetbill.render.sample import PRACTICE, sample_document

    doc = sample_document()
    lines = tuple(replace(l, tax_rate=Decimal(0), tax=Decimal(0), total=l.net, vat_category="E",
                          exemption_reason="Umsatzsteuerfrei gemäß § 4 Nr. 14 UStG") for l in doc.invoice.lines)
    renderer = DocxRenderer(Path(__file__).resolve().parent.parent / "templates" / "invoice.docx")
    word = Document(BytesIO(renderer.render_docx(
        document_for(replace(doc.invoice, lines=lines), doc.client, PRACTICE, 14))))
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs.count("Umsatzsteuerfrei gemäß § 4 Nr. 14 UStG") == 1
    cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
    assert any(c.startswith("VAT exempt on") for c in cells) and not any(c.startswith("Tax 0%") for c in cells)


def test_an_exemption_given_by_any_vatex_code_prints_its_article_and_an_unknown_code_is_a_problem(practice, capsys):
    add_columns(practice, "Services", {"LD60": {"VAT Category": "E", "Exemption Reason": "VATEX-EU-132-1B"},
                                       "LD30": {"VAT Category": "E", "Exemption Reason": "VATEX-EU-999"}})
    add_columns(practice, "Clients", {"C-001": {"Language": "de_DE", "E-Invoice": "facturx"},
                                      "C-002": {"Language": "fr_FR"}})
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)),
                    session("S-00002", date(2026, 11, 3), client="C-002"),
                    session("S-00003", date(2026, 11, 4), service="LD30"))
    practice.run()

    sessions = {s["Session ID"]: s for s in practice.rows("Sessions")}
    assert sessions["S-00003"]["Problem"] == (
        "Services row 2 (LD30) has Exemption Reason code 'VATEX-EU-999', not on the VATEX code list "
        "(use a listed code, e.g. VATEX-EU-132-1C, or write the reason without a code)")
    assert sessions["S-00003"]["Invoice No"] is None
    anna, jonas = (practice.rows("Invoices")[i] for i in (0, 1))
    assert (anna["Client ID"], jonas["Client ID"]) == ("C-001", "C-002")
    assert pdf_text(practice.folder / anna["PDF"]).count(
        "Umsatzsteuerfrei gemäß Art. 132 Abs. 1 Buchst. b der Richtlinie 2006/112/EG.") == 1
    assert pdf_text(practice.folder / jonas["PDF"]).count(
        "Exonération de TVA, article 132, paragraphe 1, point b), de la directive 2006/112/CE.") == 1
    lines = practice.rows("Lines")
    assert {(l["Exemption Reason"], l["VATEX"]) for l in lines} == {
        ("VAT exempt under Article 132(1)(b) of Council Directive 2006/112/EC.", "VATEX-EU-132-1B")}

    message = next(m for m in practice.emails() if m["To"].addresses[0].username == "anna")
    pdf = next(part.get_content() for part in message.iter_attachments())
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        xml = doc.attachments["factur-x.xml"].get_file().read_bytes()
    assert (b"<ram:ExemptionReason>Umsatzsteuerfrei gem\xc3\xa4\xc3\x9f Art. 132 Abs. 1 Buchst. b der Richtlinie "
            b"2006/112/EG.</ram:ExemptionReason>") in xml
    assert b"<ram:ExemptionReasonCode>VATEX-EU-132-1B</ram:ExemptionReasonCode>" in xml
    if RULES.is_dir():
        assert Rules().failures("cii", xml) == []

    capsys.readouterr()
    cli.main(["check", "--offline", "--config", str(practice.config_path)])
    out = capsys.readouterr().out
    assert "workbook: Services row 2 (LD30): Exemption Reason code 'VATEX-EU-999' is not on the VATEX code list" in out
    assert "(LD60)" not in out


def test_datev_and_xero_book_reverse_charge_and_outside_scope_apart_from_exempt(practice, capsys):
    """The exempt therapy, reverse charge to a French SARL and an outside-scope service, all at 0 %:
    DATEV books each on its own revenue account, Xero gets each its own tax type."""
    vat_practice(practice)
    practice.append("Services", ["NOSHOW", "Missed appointment fee", Decimal("30.00")])
    add_columns(practice, "Services", {"NOSHOW": {"VAT Category": "O", "Exemption Reason": "Not a supply"}})
    practice.append("Sessions", session("S-00004", date(2026, 11, 5), client="C-002", service="NOSHOW"))
    with practice.config_path.open("a") as f:
        f.write('\naccounting:\n  rates: {0: "8100", 19: "8400"}\n'
                '  datev: {consultant: 1234567, client: 10001, chart: SKR03}\n')
    practice.run()
    categories = {(l["Invoice No"], l["Code"]): l["VAT Category"] or "" for l in practice.rows("Lines")}
    assert sorted(categories.values()) == ["", "AE", "E", "O"]

    def exported(fmt: str, *extra: str) -> str:
        target = practice.folder / f"{fmt}.csv"
        assert cli.main(["-q", "export", fmt, "--from", "2026-11-01", "--to", "2026-11-30", "--config",
                         str(practice.config_path), "--out", str(target), *extra]) == 0, capsys.readouterr().err
        return target.read_bytes().decode("cp1252" if fmt == "datev" else "utf-8")

    revenue = {(r[10], r[7]) for r in (line.split(";") for line in exported("datev").split("\r\n")[2:-1])
               if r[6] == "10000"}
    numbers = {category: no for (no, _), category in categories.items()}
    assert (f'"{numbers["E"]}"', "8100") in revenue and (f'"{numbers[""]}"', "8400") in revenue
    assert (f'"{numbers["AE"]}"', "8336") in revenue  # reverse charge: SKR03's account for it
    assert (f'"{numbers["O"]}"', "8338") in revenue  # outside the scope: not with the exempt therapy

    practice.config_path.write_text(practice.config_path.read_text().replace(
        '  rates: {0: "8100", 19: "8400"}\n',
        '  rates: {0: {account: "200", tax_code: Tax Exempt}, 19: {account: "200", tax_code: OUTPUT2}}\n'
        '  categories: {AE: {tax_code: ECOUTPUTSERVICES}, O: {tax_code: NONE}}\n'))
    rows = list(csv.DictReader(io.StringIO(exported("xero"))))
    by_code = {r["*Description"]: r["*TaxType"] for r in rows}
    assert sorted(set(by_code.values())) == ["ECOUTPUTSERVICES", "NONE", "OUTPUT2", "Tax Exempt"]
