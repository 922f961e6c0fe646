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
