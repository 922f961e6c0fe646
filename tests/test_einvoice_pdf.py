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


def test_the_same_invoice_gives_the_same_bytes_dated_by_the_invoice(monkeypatch):
    import datetime as real_datetime

    import facturx.facturx as made_by

    doc = CASES["two rates"]()
    inv = einvoice_for(doc)
    xml = cii_xml(inv, FACTURX_EN16931)
    pdf_a3 = HtmlRenderer(PACKAGE_TEMPLATES / "invoice.html", pdf_variant="pdf/a-3b").render(doc)
    first = facturx_pdf(pdf_a3, xml, inv)

    class Later(real_datetime.datetime):  # the factur-x package stamps the current time: months later now
        @classmethod
        def now(cls, tz=None):
            return real_datetime.datetime(2027, 3, 4, 5, 6, 7, tzinfo=tz)

    monkeypatch.setattr(made_by, "datetime", Later)
    again = facturx_pdf(pdf_a3, xml, inv)
    assert again == first
    with pikepdf.open(io.BytesIO(first)) as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == str(pdf.docinfo["/ModDate"]) == "D:20261121000000+00'00'"
        assert str(pdf.attachments["factur-x.xml"].obj.EF.F.Params.ModDate) == "D:20261121000000+00'00'"
        assert "/Filter" not in pdf.Root.Metadata  # PDF/A: the XMP is not compressed
        meta = pdf.open_metadata()
        assert meta["xmp:CreateDate"] == meta["xmp:ModifyDate"] == "2026-11-21T00:00:00+00:00"
        assert meta["pdf:Producer"] == str(pdf.docinfo["/Producer"])  # PDF/A: the XMP agrees with the info
    other = CASES["one rate"]()
    assert facturx_pdf(HtmlRenderer(PACKAGE_TEMPLATES / "invoice.html", pdf_variant="pdf/a-3b").render(other),
                       cii_xml(einvoice_for(other), FACTURX_EN16931), einvoice_for(other)) != first
