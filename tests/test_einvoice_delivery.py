"""A client's E-Invoice setting: what goes with the invoice email."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sheetbill.einvoice.delivery import einvoice_format, schema_problem, with_einvoice
from tests.test_einvoice import CASES


def doc_for(setting: str, reference: str = ""):
    d = CASES["two rates"]()
    return replace(d, client=replace(d.client, e_invoice=setting, buyer_reference=reference))


@pytest.mark.parametrize("setting, fmt", [("", ""), ("none", ""), ("Factur-X", "facturx"), ("ZUGFeRD", "facturx"),
                                          ("xrechnung-cii", "xrechnung-cii"), ("XRechnung-UBL", "xrechnung-ubl"),
                                          ("peppol", "peppol"), ("peppol-ubl", "peppol")])
def test_settings(setting, fmt):
    assert einvoice_format(setting) == fmt


def test_an_unknown_setting_names_the_choices():
    with pytest.raises(ValueError, match="E-Invoice 'edifact' is not one of none, facturx"):
        einvoice_format("edifact")


def test_xrechnung_goes_beside_the_pdf_with_the_leitweg_id():
    pdf, xml = with_einvoice(doc_for("xrechnung-ubl", "04011000-12345-03"), b"%PDF-plain")
    assert pdf == b"%PDF-plain"
    assert xml[1] == "INV-2026-0042.xrechnung.xml"
    assert b"<cbc:BuyerReference>04011000-12345-03</cbc:BuyerReference>" in xml[0]


def test_no_setting_sends_the_pdf_alone():
    assert with_einvoice(doc_for("none"), b"%PDF-plain") == (b"%PDF-plain", None)


@pytest.mark.parametrize("setting", ["facturx", "xrechnung-cii", "xrechnung-ubl", "peppol", ""])
def test_check_finds_no_schema_problem(setting):
    assert schema_problem(doc_for(setting)) == ""


def test_check_names_a_bad_setting():
    assert schema_problem(doc_for("edifact")).startswith("INV-2026-0042: e-invoice not valid: E-Invoice 'edifact'")
