"""Factur-X: the invoice PDF as PDF/A-3b with factur-x.xml embedded, as a reader's tools see it."""

from __future__ import annotations

import io

import facturx
import pikepdf

from sheetbill.config import PACKAGE_TEMPLATES
from sheetbill.einvoice.cii import FACTURX_EN16931, cii_xml
from sheetbill.einvoice.facturx_pdf import facturx_pdf
from sheetbill.einvoice.mapping import einvoice_for
from sheetbill.render.html import HtmlRenderer
from tests.test_einvoice import CASES

FX = "{urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#}"


def test_facturx_pdf_embeds_the_xml_as_pdfa3():
    doc = CASES["two rates"]()
    inv = einvoice_for(doc)
    xml = cii_xml(inv, FACTURX_EN16931)
    pdf_a3 = HtmlRenderer(PACKAGE_TEMPLATES / "invoice.html", pdf_variant="pdf/a-3b").render(doc)
    out = facturx_pdf(pdf_a3, xml, inv)

    with pikepdf.open(io.BytesIO(out)) as pdf:
        files = pdf.attachments
        assert list(files) == ["factur-x.xml"]
        spec = files["factur-x.xml"]
        assert spec.get_file().read_bytes() == xml
        assert str(spec.obj.AFRelationship) == "/Data"
        assert [str(f.F) for f in pdf.Root.AF] == ["factur-x.xml"]
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "B"
        assert meta[FX + "DocumentFileName"] == "factur-x.xml"
        assert meta[FX + "ConformanceLevel"] == "EN 16931"
        assert meta[FX + "DocumentType"] == "INVOICE"
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
    name, embedded = facturx.get_xml_from_pdf(out, check_xsd=True)
    assert name == "factur-x.xml" and embedded == xml
