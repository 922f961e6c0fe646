"""`make demo`: the e-invoices of its business client (Factur-X) and public body (XRechnung),
and the VAT its clients read on their invoices."""

from __future__ import annotations

import email
import io
from datetime import date
from email import policy

import facturx
import pikepdf
import pytest

from sheetbill import app, demo
from sheetbill import config as config_mod
from sheetbill.demo_einvoice import LEITWEG_ID

from .conftest import FixedClock
from .einvoice_rules import RULES, Rules


@pytest.fixture(scope="module")
def demo_emails(tmp_path_factory):
    config_path = demo.build(tmp_path_factory.mktemp("demo") / "demo", date(2026, 11, 21))
    config = config_mod.load(config_path)
    app.worker_for(config, clock=FixedClock()).run_once()  # the day the demo was built for
    out = {}
    for path in sorted(config.email.outbox.glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        out.setdefault(msg["To"].addresses[0].addr_spec, []).append(msg)
    return out


def files(msg) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in msg.iter_attachments()}


def test_the_public_body_gets_xrechnung_with_its_leitweg_id(demo_emails):
    (msg,) = demo_emails["rechnungen@ba-mitte.example"]
    xml = next(data for name, data in files(msg).items() if name.endswith(".xrechnung.xml"))
    assert f"<ram:BuyerReference>{LEITWEG_ID}</ram:BuyerReference>".encode() in xml
    assert facturx.xml_check_xsd(xml, level="en16931")
    if not RULES.is_dir():
        pytest.skip("the EN 16931 rules (../shared/einvoice) are not next to the repository")
    assert Rules().failures("cii", xml) == []


def test_the_business_client_gets_factur_x_under_reverse_charge(demo_emails):
    (msg,) = demo_emails["compta@atelier-lumiere.example"]
    ((name, pdf),) = files(msg).items()
    assert name.endswith(".pdf")  # one attachment: the XML travels inside the PDF
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        xml = doc.attachments["factur-x.xml"].get_file().read_bytes()
    assert b"<ram:CategoryCode>AE</ram:CategoryCode>" in xml
    assert facturx.xml_check_xsd(xml, level="en16931")
    if not RULES.is_dir():
        pytest.skip("the EN 16931 rules (../shared/einvoice) are not next to the repository")
    assert Rules().failures("cii", xml) == []


def pdf_words(pdf: bytes) -> str:
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return " ".join(text.decode("utf-8").split())


def test_each_client_reads_the_vat_notes_in_their_language(demo_emails):
    (lyon,) = demo_emails["compta@atelier-lumiere.example"]
    pdf = next(iter(files(lyon).values()))
    words = pdf_words(pdf)
    assert "FACTURE" in words and "Autoliquidation : la TVA est due par le preneur." in words
    assert "N° de TVA du prestataire : DE123456789. N° de TVA du preneur : FR40303265045." in words
    with pikepdf.open(io.BytesIO(pdf)) as doc:  # the e-invoice says what the PDF says
        assert "Autoliquidation : la TVA est due par le preneur.".encode() in \
            doc.attachments["factur-x.xml"].get_file().read_bytes()
    (berlin,) = demo_emails["rechnungen@ba-mitte.example"]
    assert "RECHNUNG" in pdf_words(next(d for n, d in files(berlin).items() if n.endswith(".pdf")))
    paris = [pdf_words(next(iter(files(m).values()))) for m in demo_emails["claire.dubois@example.com"]]
    assert any("Exonération de TVA, § 4 n° 14 UStG" in w for w in paris)
    berlin_patient = [pdf_words(next(iter(files(m).values()))) for m in demo_emails["jonas.becker@example.com"]]
    assert any("Umsatzsteuerfrei gemäß § 4 Nr. 14 UStG." in w for w in berlin_patient)
    anna = [pdf_words(next(iter(files(m).values()))) for m in demo_emails["anna.meier@example.com"]]
    assert any("VAT exempt under § 4 No. 14 UStG (medical care)." in w for w in anna)


def test_the_stockings_priced_gross_read_incl_vat_and_add_up_to_the_total(demo_emails):
    from .test_render_html import flat, pdf_text

    lena = [flat(pdf_text(next(iter(files(m).values())))) for m in demo_emails["lena.wagner@example.com"]]
    (words,) = [w for w in lena if "Compression stockings, pair" in w]
    assert "UNIT PRICE INCL. VAT DISCOUNT TAX AMOUNT INCL. VAT" in words
    # her 5.00 off is shared by the two lines in proportion (3.15 and 1.85), so the stockings' VAT is on
    # what she pays for them
    assert "1 68.00 EUR -3.15 EUR exempt 64.85 EUR" in words and "1 39.90 EUR -1.85 EUR 19% 38.05 EUR" in words
    assert "Net total 96.82 EUR" in words and "Tax 19% on 31.97 EUR 6.08 EUR" in words
    assert "Total 102.90 EUR" in words  # 64.85 + 38.05
