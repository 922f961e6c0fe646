"""Payment references and QR codes through a real cycle on a real workbook."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest

from sheetbill import cli

from .conftest import session


def scan(pdf_path, folder) -> list[str]:
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    folder.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(pdf_path), str(folder / "p")],
                   check=True)
    return [f.text for f in zxingcpp.read_barcodes(Image.open(next(folder.glob("p*.png"))))]


def test_invoice_pdf_asks_for_what_is_open_after_this_cycles_payments(practice, tmp_path):
    practice.append("Sessions", session("S-00001", date(2026, 11, 20)), session("S-00002", date(2026, 11, 20),
                                                                              client="C-002"))
    # paid in part at the desk (INV-2026-0001) and in full (INV-2026-0002) before the invoices were made
    practice.append("Payments", [None, date(2026, 11, 20), None, "S-00001", Decimal("20.00"), "Cash", None],
                    [None, date(2026, 11, 20), None, "S-00002", Decimal("58.50"), "Card", None])
    practice.run()
    invoices = {r["Invoice No"]: r for r in practice.rows("Invoices")}
    assert invoices["INV-2026-0001"]["Status"] == "Partially Paid"
    assert invoices["INV-2026-0002"]["Status"] == "Paid"
    first = practice.folder / invoices["INV-2026-0001"]["PDF"]
    assert scan(first, tmp_path / "a") == [(
        "BCD\n002\n1\nSCT\nCOBADEFFXXX\nLindenhof Lymph & Physio\nDE89370400440532013000\nEUR45.00\n\n"
        "RF16INV20260001")]
    paid = practice.folder / invoices["INV-2026-0002"]["PDF"]
    assert scan(paid, tmp_path / "b") == []
    body = practice.emails()[0].get_body(("plain",)).get_content()
    assert "RF16 INV2 0260 001" in body


def test_check_names_a_bad_iban(practice, capsys):
    practice.configure("iban: DE89 3704 0044 0532 0130 00", "iban: DE89 3704 0044 0532 0130 01")
    code = cli.main(["check", "--offline", "--config", str(practice.config_path)])
    out = capsys.readouterr().out
    assert code == 1
    assert "sheetbill.yaml: payments.account.iban: 'DE89 3704 0044 0532 0130 01' is not a valid IBAN" in out


def test_check_names_a_bad_bic(practice, capsys):
    practice.configure("bic: COBADEFFXXX", "bic: COBA")
    assert cli.main(["check", "--offline", "--config", str(practice.config_path)]) == 1
    assert "payments.account.bic: 'COBA' is not a valid BIC" in capsys.readouterr().out


def swiss(practice, iban: str, address: str = "Seestrasse 4\n    8002 Zürich") -> None:
    practice.configure("currency: EUR", "currency: CHF")
    practice.configure("iban: DE89 3704 0044 0532 0130 00", f"iban: {iban}")
    practice.configure("bic: COBADEFFXXX", "bic: ''")
    practice.configure("Lindenstraße 12\n    10969 Berlin", address)


def test_check_names_a_qr_iban_which_takes_no_rf_reference(practice, capsys):
    """A QR-IBAN takes only QR-bill payments quoting a QR reference: every PDF failed to render
    with 'A QR-IBAN requires a QRR reference number' while check said all was right."""
    swiss(practice, "CH44 3199 9123 0008 8901 2")
    assert cli.main(["check", "--offline", "--config", str(practice.config_path)]) == 1
    out = capsys.readouterr().out
    assert "payments.account.iban: 'CH44 3199 9123 0008 8901 2' is a QR-IBAN" in out
    assert "ordinary IBAN" in out


def test_check_names_a_practice_address_the_swiss_qr_bill_cannot_read(practice, capsys):
    swiss(practice, "CH93 0076 2011 6238 5295 7", address="Seestrasse 4")
    assert cli.main(["check", "--offline", "--config", str(practice.config_path)]) == 1
    assert "practice.address: must end with a line like '8001 Zürich'" in capsys.readouterr().out


def test_a_swiss_practice_on_one_address_line_gets_its_qr_bill(practice, tmp_path):
    swiss(practice, "CH93 0076 2011 6238 5295 7", address="Seestrasse 4, 8002 Zürich")
    practice.append("Sessions", session("S-00001", date(2026, 11, 20)))
    report = practice.run()
    assert not report.errors
    text = subprocess.run(["pdftotext", str(practice.folder / practice.rows("Invoices")[0]["PDF"]), "-"],
                          capture_output=True, text=True).stdout if shutil.which("pdftotext") else ""
    assert not text or "Payment part" in text
