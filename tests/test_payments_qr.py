"""payments.qr: the EPC QR code and the Swiss QR-bill, payload and image."""

from __future__ import annotations

import base64
import io
import urllib.parse
from decimal import Decimal

import pytest
import segno

from sheetbill.payments.account import account_problems, bank_account
from sheetbill.payments.qr import epc_payload, payment_code

SEPA = bank_account("Lindenhof Physio", "DE89 3704 0044 0532 0130 00", "COBADEFFXXX")
SWISS = bank_account("Praxis am See", "CH93 0076 2011 6238 5295 7")
UK = bank_account("Clinic Ltd", "GB33 BUKB 2020 1555 5555 55")


def test_epc_payload_is_exactly_epc069_12():
    payload = epc_payload(SEPA, Decimal("105.96"), "RF09INV20260030")
    assert payload == ("BCD\n002\n1\nSCT\nCOBADEFFXXX\nLindenhof Physio\nDE89370400440532013000\n"
                       "EUR105.96\n\nRF09INV20260030")
    assert len(payload.encode()) <= 331


def test_epc_payload_without_bic_and_with_a_whole_amount():
    account = bank_account("A", "AT61 1904 3002 3457 3201")
    assert epc_payload(account, Decimal(40), "RF16INV20260001").split("\n")[4:8] == [
        "", "A", "AT611904300234573201", "EUR40.00"]


def test_epc_code_is_what_segno_makes_of_the_payload():
    code = payment_code(SEPA, "EUR", Decimal("105.96"), "RF09INV20260030")
    assert code is not None and code.kind == "epc"
    svg = urllib.parse.unquote(code.image.split(",", 1)[1])
    assert svg.startswith("<svg")
    expected = segno.make(code.payload, error="m", micro=False, boost_error=False, encoding="utf-8")
    assert expected.error == "M" and not expected.is_micro
    assert svg == urllib.parse.unquote(expected.svg_data_uri(scale=4, border=4, unit="mm", xmldecl=False)
                                       .split(",", 1)[1])


def test_epc_code_decodes_to_the_payload():
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    code = payment_code(SEPA, "EUR", Decimal("1234.50"), "RF16INV20260001")
    qr = segno.make(code.payload, error="m", micro=False, boost_error=False, encoding="utf-8")
    out = io.BytesIO()
    qr.save(out, kind="png", scale=6)
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(out.getvalue())))
    assert [f.text for f in found] == [code.payload]


def test_swiss_qr_bill_for_francs():
    code = payment_code(SWISS, "CHF", Decimal("120.5"), "RF16INV20260001", "Seestrasse 4\n8002 Zürich")
    assert code is not None and code.kind == "swiss"
    lines = code.payload.split("\r\n")
    assert lines[:4] == ["SPC", "0200", "1", "CH9300762011623852957"]
    assert "120.50" in lines and "CHF" in lines
    assert lines[lines.index("SCOR") + 1] == "RF16INV20260001"
    assert "8002" in lines and "Zürich" in lines
    svg = base64.b64decode(code.image.split(",", 1)[1]).decode()
    assert 'width="210mm"' in svg


@pytest.mark.parametrize("account, currency, amount", [
    (SEPA, "EUR", Decimal(0)),  # paid: nothing to ask for
    (SEPA, "EUR", Decimal(-5)),
    (None, "EUR", Decimal(10)),  # no structured account
    (SEPA, "USD", Decimal(10)),  # other currencies: none
    (SEPA, "CHF", Decimal(10)),  # francs need a Swiss IBAN
    (SWISS, "GBP", Decimal(10)),
    (UK, "GBP", Decimal(10)),
])
def test_no_code(account, currency, amount):
    assert payment_code(account, currency, amount, "RF16INV20260001", "Seestrasse 4\n8002 Zürich") is None


def test_euro_to_a_swiss_account_is_sepa_too():
    code = payment_code(SWISS, "EUR", Decimal(10), "RF16INV20260001")
    assert code is not None and code.kind == "epc"


@pytest.mark.parametrize("holder, iban, bic, keys", [
    ("A", "DE89 3704 0044 0532 0130 00", "COBADEFFXXX", []),
    ("A", "DE89 3704 0044 0532 0130 01", "", ["iban"]),
    ("A", "DE89", "", ["iban"]),
    ("", "DE89 3704 0044 0532 0130 00", "", ["holder"]),
    ("A", "DE89 3704 0044 0532 0130 00", "COBAXX", ["bic"]),
    ("A" * 71, "DE89 3704 0044 0532 0130 00", "", ["holder"]),
    ("A", "CH44 3199 9123 0008 8901 2", "", ["iban"]),  # a QR-IBAN: QR references only, no RF, no SEPA
])
def test_account_problems(holder, iban, bic, keys):
    assert [k for k, _ in account_problems(holder, iban, bic)] == keys


@pytest.mark.parametrize("address, town", [
    ("Seestrasse 4\n8002 Zürich", ("CH", "8002", "Zürich", "Seestrasse 4")),
    ("Seestrasse 4\nCH-8002 Zürich\nSchweiz", ("CH", "8002", "Zürich", "Seestrasse 4")),
    ("Seestrasse 4, 8002 Zürich", ("CH", "8002", "Zürich", "Seestrasse 4")),
    ("Städtle 7\n9490 Vaduz\nLiechtenstein", ("LI", "9490", "Vaduz", "Städtle 7")),
    ("Städtle 7\n9490 Vaduz", ("LI", "9490", "Vaduz", "Städtle 7")),
])
def test_the_qr_bills_creditor_address(address, town):
    code = payment_code(SWISS, "CHF", Decimal("10"), "RF16INV20260001", address)
    assert code is not None
    lines = code.payload.split("\r\n")
    assert (lines[10], lines[8], lines[9], lines[6]) == town  # country, postcode, town, street


def test_epc_payload_with_remittance_text_instead_of_a_reference():
    payload = epc_payload(SEPA, Decimal("12.34"), "", "INV-2026-PRAXISLINDENHOF-000042")
    assert payload.split("\n")[7:] == ["EUR12.34", "", "", "INV-2026-PRAXISLINDENHOF-000042"]


@pytest.mark.parametrize("number, text", [
    ("INV-2026-PRAXISLINDENHOF-000042", "INV-2026-PRAXISLINDENHOF-000042"),
    ("RE-2026-Ærø_Straße#7", "RE-2026-AEro-Strasse-7"),
    ("Rechnung Nr. 42/2026 (Müller)", "Rechnung Nr. 42/2026 (Muller)"),
    ("請求-2026-0001", ""),  # letters with no Latin spelling: no text, no code
    ("X" * 141, ""),  # longer than the field
])
def test_remittance_text_is_in_the_sepa_latin_set(number, text):
    from sheetbill.payments.remittance import remittance_text

    assert remittance_text(number) == text
