"""E-invoices: each case's XML passes its schema (XSD) and the EN 16931 rules with no failed assert."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import facturx
import pytest
from lxml import etree

from sheetbill.core.document import Practice, document_for
from sheetbill.core.kind import InvoiceKind
from sheetbill.core.invoice import assemble
from sheetbill.core.lifecycle import _credit_note
from sheetbill.core.model import Client, Line
from sheetbill.einvoice.cii import FACTURX_EN16931, XRECHNUNG, cii_xml
from sheetbill.einvoice.mapping import einvoice_for
from sheetbill.einvoice.ubl import PEPPOL, XRECHNUNG_UBL, ubl_xml
from tests.einvoice_rules import RULES, Rules

D = Decimal
PRACTICE = Practice(name="Physio Mitte GmbH", address="Hauptstraße 5\n10115 Berlin\nDeutschland",
                    email="billing@physio-mitte.example", phone="+49 30 1234567", tax_id="DE 123 456 788",
                    account_holder="Physio Mitte GmbH", iban="DE89370400440532013000", bic="COBADEFFXXX")
CLIENT = Client(row=2, client_id="C-001", name="Werk AG", email="ap@werk.example",
                address="Industrieweg 2\n20095 Hamburg", discount=None, terms_days=14, invoice_mode=None,
                tax_id="DE 987 654 321")
ABROAD = replace(CLIENT, client_id="C-002", name="Atelier Lumière SARL", address="12 rue de la République\n69002 Lyon\nFrance",
                 tax_id="FR 40 303 265 045")


def line(code: str, price: str, rate: str, quantity: str = "1", discount: str = "0", day: int = 3,
         category: str = "", reason: str = "", vatex: str = "", gross: bool = False) -> Line:
    net = D(quantity) * D(price) - D(discount)
    return Line(invoice_no="", session_id=f"S-{code}-{day}", date=date(2026, 11, day), code=code,
                description=f"Service {code}", quantity=D(quantity), unit_price=D(price), discount=D(discount),
                tax_rate=D(rate), net=net, tax=D(0), total=net, vat_category=category,
                exemption_reason=reason, vatex=vatex, gross=gross)


PHYSIO = "Umsatzsteuerfrei gemäß § 4 Nr. 14 UStG"
BY_CODE = "VAT exempt under Article 143(1)(fa) of Council Directive 2006/112/EC."
SMALL = "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet."
RC = "Reverse charge: VAT to be accounted for by the recipient."
SMALL_PRACTICE = replace(PRACTICE, name="Praxis Klein", tax_id="12/345/67890")


def doc(lines, client=CLIENT, number="INV-2026-0042", practice=PRACTICE):
    inv = assemble(number, date(2026, 11, 21), date(2026, 12, 5), client.client_id, client.name, lines,
                   "Finalized", D("0.01"))
    return document_for(inv, client, practice, 14, today=date(2026, 11, 21))


def credit_note_doc(lines=None):
    original = doc(lines or [line("REP", "80.00", "19"), line("BOOK", "20.00", "7")]).invoice
    note = _credit_note(original, "CN-2026-0003", date(2026, 11, 25), D("0.01"))
    return document_for(note, CLIENT, PRACTICE, 14, today=date(2026, 11, 25), kind=InvoiceKind.CREDIT_NOTE,
                        credits=original.invoice_no)


CASES = {
    "one rate": lambda: doc([line("REP", "80.00", "19"), line("REP", "45.50", "19", quantity="2")]),
    "two rates": lambda: doc([line("COURSE", "120.00", "19"), line("BOOK", "24.90", "7")]),
    "discount": lambda: doc([line("REP", "80.00", "19", discount="8.00"), line("BOOK", "19.99", "7", quantity="3",
                                                                                 discount="5.99")]),
    "credit note": credit_note_doc,
    # its exempt VAT is 0.00 (BR-E-09), never -0.00
    "credit note of an exempt gross-priced line": lambda: credit_note_doc([
        line("LDG", "65.00", "0", category="E", reason=PHYSIO, vatex="VATEX-EU-132-1C", gross=True)]),
    "client abroad": lambda: doc([line("REPORT", "250.00", "19")], client=ABROAD),
    "exempt with reason": lambda: doc([line("KG60", "65.00", "0", category="E", reason=PHYSIO,
                                             vatex="VATEX-EU-132-1C"), line("REPORT", "40.00", "19")]),
    "exempt by its code": lambda: doc([line("HOSP", "90.00", "0", category="E", reason=BY_CODE,
                                            vatex="VATEX-EU-143-1FA"), line("REPORT", "40.00", "19")]),
    "reverse charge": lambda: doc([line("REP", "480.00", "0", category="AE", reason=RC, vatex="VATEX-EU-AE")],
                                  client=ABROAD),
    "small business": lambda: doc([line("KG60", "55.00", "0", quantity="2", category="E", reason=SMALL)],
                                  practice=SMALL_PRACTICE),
    "gross-priced": lambda: doc([line("COURSE", "50.00", "19", gross=True), line("BOOK", "19.99", "7",
                                                                                  quantity="3", gross=True),
                                 line("MAT", "12.00", "19", discount="1.20", gross=True)]),
    "intra-community": lambda: doc([line("PART", "300.00", "0", category="K",
                                         reason="Intra-community supply, exempt from VAT.", vatex="VATEX-EU-IC")],
                                   client=ABROAD),
    "outside scope": lambda: doc([line("FEE", "30.00", "0", category="O", reason="Not subject to VAT.",
                                       vatex="VATEX-EU-O")]),
}

FORMATS = {
    "facturx": lambda inv: cii_xml(inv, FACTURX_EN16931),
    "xrechnung-cii": lambda inv: cii_xml(inv, XRECHNUNG),
    "xrechnung-ubl": lambda inv: ubl_xml(inv, XRECHNUNG_UBL),
    "peppol": lambda inv: ubl_xml(inv, PEPPOL),
}


@pytest.fixture(scope="session")
def rules():
    if not RULES.is_dir():
        pytest.skip("the EN 16931 rules (../shared/einvoice) are not next to the repository")
    return Rules()


def xml_of(case: str, fmt: str) -> bytes:
    return FORMATS[fmt](einvoice_for(CASES[case](), buyer_reference="04011000-12345-03"))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES)
def test_passes_the_schema(case, fmt):
    assert facturx.xml_check_xsd(xml_of(case, fmt), level="en16931" if "ubl" not in fmt and fmt != "peppol"
                                 else "autodetect")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES)
def test_passes_the_en16931_rules(rules, case, fmt):
    syntax = "cii" if fmt in ("facturx", "xrechnung-cii") else "ubl"
    assert rules.failures(syntax, xml_of(case, fmt)) == []


def test_the_printed_vat_notes_are_the_invoices_notes():
    inv = einvoice_for(CASES["reverse charge"]())
    assert inv.notes == (RC, "Supplier VAT ID: DE123456788. Recipient VAT ID: FR40303265045.")
    assert einvoice_for(CASES["exempt with reason"]()).notes == (PHYSIO,)


def test_a_credit_note_is_381_and_names_the_invoice_it_corrects():
    inv = einvoice_for(CASES["credit note"]())
    assert (inv.type_code, inv.preceding, inv.totals.due, inv.payment) == ("381", "INV-2026-0042", D("116.60"), None)
    assert all(line.quantity > 0 and line.net > 0 for line in inv.lines)
    ubl = etree.fromstring(ubl_xml(inv))
    assert ubl.tag.endswith("}CreditNote")
    ns = {"cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
          "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
    assert ubl.xpath("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID/text()", namespaces=ns) == [
        "INV-2026-0042"]


def test_payment_means_carry_the_iban_and_the_rf_reference():
    inv = einvoice_for(CASES["one rate"]())
    assert inv.payment.means_code == "58" and inv.payment.iban == "DE89370400440532013000"
    assert inv.payment.reference.startswith("RF") and inv.payment.reference.endswith("INV20260042")


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_amount_is_minus_zero(fmt):
    """The UBL rules let -0.00 pass where the CII ones do not: every format writes the exempt VAT
    of a credit note as 0.00."""
    xml = xml_of("credit note of an exempt gross-priced line", fmt)
    amounts = etree.fromstring(xml).xpath("//*[local-name()='CalculatedAmount' or local-name()='TaxAmount'"
                                          " or local-name()='TaxTotalAmount']/text()")
    assert amounts and set(amounts) == {"0.00"}
